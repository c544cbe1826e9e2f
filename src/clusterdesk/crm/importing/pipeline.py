"""Importing organisations (with membership and contact columns) from a spreadsheet.

Two passes over the same code: the dry run reads and checks every row and says what it
would do; the real run does it for the valid rows in one transaction. Rows are matched to
existing organisations by identifier (then by name and city for rows without one), so
importing the same file twice updates and never duplicates.

The steps have their modules: ``parsing`` reads each row against the ``lookups``, this
module matches the rows to existing organisations and runs both passes, ``writing`` writes,
``reports`` says what was (or would be) done.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from clusterdesk.core.errors import Conflict, require
from clusterdesk.core.models import Cluster
from clusterdesk.crm.importing.columns import IMPORT_FIELDS, ColumnMap, map_columns
from clusterdesk.crm.importing.lookups import Lookups
from clusterdesk.crm.importing.parsing import TERM_KINDS, ImportChoices, ParsedRow, parse_row
from clusterdesk.crm.importing.reports import ImportReport, KindChoice, MergedRows, UnknownTerm
from clusterdesk.crm.importing.tabular import Table
from clusterdesk.crm.importing.values import normalise
from clusterdesk.crm.importing.writing import write_rows
from clusterdesk.crm.models import IDENTIFIER_FIELDS


def _match_existing(row: ParsedRow, lookups: Lookups) -> None:
    """Find the organisation the row describes, or say why the row is ambiguous."""
    matches = {
        lookups.by_identifier[f][row.org[f]]
        for f in IDENTIFIER_FIELDS
        if row.org.get(f) and row.org[f] in lookups.by_identifier[f]
    }
    if len(matches) > 1:
        names = ", ".join(sorted(str(m) for m in matches))
        row.report.problems.append(
            _("Its identifiers belong to different organisations: %(names)s.") % {"names": names}
        )
        return
    if matches:
        row.existing = matches.pop()
        for f in IDENTIFIER_FIELDS:
            mine, theirs = row.org.get(f), getattr(row.existing, f)
            if mine and theirs and mine != theirs:
                row.report.problems.append(
                    _("%(org)s already has %(field)s %(value)s, not %(mine)s.")
                    % {
                        "org": row.existing,
                        "field": IMPORT_FIELDS[f].label,
                        "value": theirs,
                        "mine": mine,
                    }
                )
        return
    if not any(row.org.get(f) for f in IDENTIFIER_FIELDS):
        key = (normalise(row.org["name"]), normalise(row.org.get("city", "")))
        row.existing = lookups.by_name_city.get(key)


def _merge(first: ParsedRow, row: ParsedRow) -> None:
    """Fold ``row`` (a later line with the same SIREN) into ``first``: values the first
    line lacks, every tag and contact, the membership years."""
    for name, value in row.org.items():
        if value not in ("", None) and first.org.get(name) in ("", None):
            first.org[name] = value
    for kind, terms in row.tags.items():
        first.tags.setdefault(kind, []).extend(t for t in terms if t not in first.tags[kind])
    for source, target in (
        (row.unknown_terms, first.unknown_terms),
        (row.new_terms, first.new_terms),
    ):
        for kind, labels in source.items():
            target.setdefault(kind, []).extend(labels)
    first.contacts += [c for c in row.contacts if c not in first.contacts]
    first.history = sorted(set(first.history) | set(row.history))
    if first.membership is None:
        first.membership = row.membership
    if not first.kind_text and row.kind_text:
        first.kind_text, first.kind_guess = row.kind_text, row.kind_guess
    first.report.warnings += row.report.warnings


def _merge_same_siren(rows: list[ParsedRow]) -> list[MergedRows]:
    """Lines repeating a SIREN become one organisation (the first line), reported."""
    firsts: dict[str, ParsedRow] = {}
    merged: dict[str, MergedRows] = {}
    for row in rows:
        siren = row.org.get("siren")
        if row.report.problems or not siren:
            continue
        first = firsts.setdefault(siren, row)
        if first is row:
            continue
        _merge(first, row)
        row.report.action = "merge"
        row.report.merged_into = first.report.line
        merged.setdefault(siren, MergedRows(siren, first.report.name, [first.report.line]))
        merged[siren].lines.append(row.report.line)
    return list(merged.values())


def read_rows(
    *,
    cluster: Cluster,
    table: Table,
    mapping: dict[str, str] | None = None,
    choices: ImportChoices | None = None,
) -> tuple[ColumnMap, list[ParsedRow], list[MergedRows]]:
    """Check every row of ``table`` (a dry run; nothing is written)."""
    columns = map_columns(table.headers, mapping)
    cells = [columns.values(r) for r in table.rows]
    lookups = Lookups(cluster, cells)
    rows = [
        parse_row(n, c, lookups, choices) for n, c in zip(table.row_numbers, cells, strict=True)
    ]
    merged = _merge_same_siren(rows)
    seen: dict[tuple[str, str], int] = {}
    for row in rows:
        if row.report.action == "merge":
            continue
        if row.report.problems:
            row.report.action = "reject"
            continue
        keys = [(f, row.org[f]) for f in IDENTIFIER_FIELDS if row.org.get(f)]
        if not keys:
            keys = [("name", normalise(row.org["name"]) + "|" + normalise(row.org.get("city", "")))]
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            row.report.problems.append(
                _("Duplicate of line %(line)d in this file.") % {"line": first}
            )
            row.report.action = "reject"
            continue
        seen.update(dict.fromkeys(keys, row.report.line))
        _match_existing(row, lookups)
        row.report.action = (
            "reject" if row.report.problems else ("update" if row.existing else "create")
        )
    return columns, rows, merged


def _kind_choices(rows: list[ParsedRow], choices: ImportChoices) -> list[KindChoice]:
    """The file's own words for kinds that need the staff's word, with the guess."""
    found: dict[str, KindChoice] = {}
    for row in rows:
        if not row.kind_text or row.report.action in ("reject", "merge"):
            continue
        key = normalise(row.kind_text)
        if key not in found:
            found[key] = KindChoice(
                text=row.kind_text,
                guess=row.kind_guess,
                chosen=choices.confirmed_kind(row.kind_text, row.kind_guess),
            )
        found[key].rows += 1
    return sorted(found.values(), key=lambda k: (-k.rows, k.text))


def _unknown_terms(rows: list[ParsedRow], choices: ImportChoices) -> list[UnknownTerm]:
    """The themes, markets and domains the cluster does not have, once each, with how
    many rows name them and whether they will be created."""
    found: dict[tuple[str, str], UnknownTerm] = {}
    for row in rows:
        if row.report.action in ("reject", "merge"):
            continue
        for source in (row.unknown_terms, row.new_terms):
            for kind, labels in source.items():
                for label in labels:
                    key = (kind, normalise(label))
                    if key not in found:
                        found[key] = UnknownTerm(kind, label, create=choices.creates(kind, label))
                    found[key].rows += 1
    return sorted(found.values(), key=lambda t: (TERM_KINDS.index(t.kind), -t.rows, t.label))


def import_organisations(
    *,
    cluster: Cluster,
    actor: Any,
    table: Table,
    mapping: dict[str, str] | None = None,
    dry_run: bool = True,
    strict: bool = False,
    progress: Callable[[int, int], None] | None = None,
    choices: ImportChoices | None = None,
) -> ImportReport:
    """Check the file, and unless ``dry_run`` (or ``strict`` with a bad row) write the
    valid rows in one transaction. Raises MappingError when the columns cannot be mapped.

    ``actor`` needs ``crm.import_organisations``; None is the command line's operator
    (``clusterdesk import`` without ``--as``), who has the machine itself.
    """
    choices = choices or ImportChoices()
    if actor is not None:
        require(actor, "crm.import_organisations", cluster)
        if any(choices.new_terms.values()) or choices.create_unknown:
            # Themes and markets are the cluster's taxonomy, which its director keeps.
            require(actor, "core.change_cluster", cluster)
    columns, rows, merged = read_rows(
        cluster=cluster, table=table, mapping=mapping, choices=choices
    )
    report = ImportReport(
        rows=[r.report for r in rows],
        dry_run=dry_run,
        strict=strict,
        columns=columns.columns,
        ignored_columns=columns.ignored,
        encoding=table.encoding,
        delimiter=table.delimiter,
        merged=merged,
        kinds=_kind_choices(rows, choices),
        unknown_terms=_unknown_terms(rows, choices),
    )
    if dry_run or report.refused:
        return report
    try:
        write_rows(
            cluster=cluster,
            actor=actor,
            rows=[r for r in rows if r.report.action not in ("reject", "merge")],
            progress=progress,
        )
    except IntegrityError as exc:
        # Another import (or a person) wrote some of the same records meanwhile; the
        # transaction is rolled back whole, and running the file again updates them.
        raise Conflict(
            _(
                "Some of these organisations, memberships or contacts were written by someone "
                "else during the import; nothing was written. Run the import again."
            )
        ) from exc
    report.written = True
    return report
