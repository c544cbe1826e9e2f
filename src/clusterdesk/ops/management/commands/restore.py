from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterdesk.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media files with those of a `clusterdesk backup` "
        "archive, then apply newer migrations. Refuses a database holding data unless --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, metavar="SRC")
        parser.add_argument(
            "--force", action="store_true", help="Replace a database that holds data."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            manifest = backup_restore(options["source"], force=options["force"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored the backup of {manifest.created_at} (ClusterDesk {manifest.version}, "
            f"{manifest.media_files} media files)."
        )
