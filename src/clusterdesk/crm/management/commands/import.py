from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_scopes import scope

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import Conflict
from clusterdesk.core.models import Cluster
from clusterdesk.crm.importing.columns import MappingError, parse_map_options
from clusterdesk.crm.importing.parsing import ImportChoices
from clusterdesk.crm.importing.pipeline import import_organisations
from clusterdesk.crm.importing.tabular import TableError, read_table


class Command(BaseCommand):
    help = (
        "Import organisations from CSV or XLSX: clusterdesk import organisations FILE "
        "--cluster SLUG [--dry-run] [--strict] [--map field=column]. Prints the report; "
        "exits 1 when rows were rejected."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="what", required=True)
        orgs = sub.add_parser("organisations", help="Organisations, memberships, contacts.")
        orgs.add_argument("file", type=Path)
        orgs.add_argument("--cluster", required=True, help="The cluster's slug.")
        orgs.add_argument("--dry-run", action="store_true", help="Check only; write nothing.")
        orgs.add_argument(
            "--strict", action="store_true", help="Refuse the whole file when any row is rejected."
        )
        orgs.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help="Take FIELD from COLUMN (repeatable).",
        )
        orgs.add_argument("--sheet", default=None, help="XLSX sheet (default: the first).")
        orgs.add_argument(
            "--accept-kinds",
            action="store_true",
            help="Take the kind guessed for each of the file's own words (see the dry run).",
        )
        orgs.add_argument(
            "--create-terms",
            action="store_true",
            help="Create the themes and markets the cluster does not have yet.",
        )
        orgs.add_argument(
            "--as", dest="actor", default=None, help="E-mail of the person the audit log names."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        cluster = Cluster.objects.filter(slug=options["cluster"]).first()
        if cluster is None:
            raise CommandError(f"No cluster with the slug {options['cluster']!r}.")
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(f"No account with the e-mail address {options['actor']!r}.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        try:
            mapping = parse_map_options(options["map"])
            table = read_table(path.read_bytes(), path.name, sheet=options["sheet"])
            with scope(cluster=cluster):
                report = import_organisations(
                    cluster=cluster,
                    actor=actor,
                    table=table,
                    mapping=mapping,
                    dry_run=options["dry_run"],
                    strict=options["strict"],
                    choices=ImportChoices(
                        accept_guesses=options["accept_kinds"],
                        create_unknown=("themes", "markets") if options["create_terms"] else (),
                    ),
                )
        except (MappingError, TableError, Conflict) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.as_text())
        if report.rejected:
            raise SystemExit(1)
