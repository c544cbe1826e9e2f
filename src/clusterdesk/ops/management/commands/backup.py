from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clusterdesk.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write one archive with the database (pg_dump or SQLite's online backup) and the "
        "media files. DEST is a file name, or a folder for a dated archive."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path, metavar="DEST")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            path, manifest = backup_create(options["destination"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        media = (
            f"{manifest.media_files} media files"
            if manifest.media_included
            else "no media files (they are in an object store: back it up with its own tools)"
        )
        self.stdout.write(f"{path}: the {manifest.engine} database and {media}.")
