"""What an import says: of each row (its action, problems and warnings) and of the file,
in the words of the person who made the file ("Raison sociale → Nom"), not field names."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clusterdesk.crm.importing.columns import IMPORT_FIELDS
from clusterdesk.crm.kinds import OrganisationKind


@dataclass
class RowReport:
    line: int
    name: str
    action: str = ""  # "create", "update", "reject" or "merge" (into ``merged_into``)
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    merged_into: int | None = None


@dataclass
class KindChoice:
    """A word of the file for a kind that is no known name: the guess, and the kind the
    staff chose ("" while unconfirmed: the rows keep their kind, new ones are "Other")."""

    text: str
    guess: str
    chosen: str = ""
    rows: int = 0


@dataclass
class UnknownTerm:
    """A theme, market or domain the cluster does not have, named by ``rows`` rows."""

    kind: str  # "domains", "themes" or "markets"
    label: str
    create: bool = False
    rows: int = 0


@dataclass
class MergedRows:
    """Lines of the file repeating one SIREN, imported as one organisation."""

    siren: str
    name: str
    lines: list[int]


def kind_label(value: str) -> str:
    return str(OrganisationKind(value).label) if value else "—"


def term_kind_label(kind: str) -> str:
    return {"domains": _("Domains"), "themes": _("Themes"), "markets": _("Markets")}[kind]


@dataclass
class ImportReport:
    rows: list[RowReport]
    dry_run: bool
    strict: bool
    columns: dict[str, str]
    ignored_columns: list[str]
    encoding: str | None
    delimiter: str | None
    written: bool = False
    merged: list[MergedRows] = field(default_factory=list)
    kinds: list[KindChoice] = field(default_factory=list)
    unknown_terms: list[UnknownTerm] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def refused(self) -> bool:
        """--strict and a row was rejected: nothing is written."""
        return self.strict and bool(self.rejected)

    def column_words(self) -> list[tuple[str, str]]:
        """(the file's header, what it fills, in the reader's language), in file order."""
        return [(header, str(IMPORT_FIELDS[name].label)) for name, header in self.columns.items()]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "created": self.count("create"),
            "updated": self.count("update"),
            "rejected_count": len(self.rejected),
            "merged_count": self.count("merge"),
            "refused": self.refused,
            "column_words": self.column_words(),
            "kind_labels": {k.guess: kind_label(k.guess) for k in self.kinds},
        }

    def as_text(self) -> str:
        mode = _("Dry run") if self.dry_run else _("Import")
        lines = [
            _(
                "%(mode)s: %(rows)d rows — %(created)d to create, %(updated)d to update, "
                "%(rejected)d rejected."
            )
            % {
                "mode": mode,
                "rows": len(self.rows),
                "created": self.count("create"),
                "updated": self.count("update"),
                "rejected": len(self.rejected),
            },
            _("Columns: %(columns)s.")
            % {"columns": ", ".join(f"“{h}” → {label}" for h, label in self.column_words())},
        ]
        if self.ignored_columns:
            lines.append(
                _("Ignored columns: %(columns)s.")
                % {"columns": ", ".join(f"“{c}”" for c in self.ignored_columns)}
            )
        for group in self.merged:
            lines.append(
                _("Lines %(lines)s repeat the SIREN %(siren)s (%(name)s): merged into one.")
                % {
                    "lines": ", ".join(str(n) for n in group.lines),
                    "siren": group.siren,
                    "name": group.name,
                }
            )
        for kind in self.kinds:
            count = ngettext("%(n)d row", "%(n)d rows", kind.rows) % {"n": kind.rows}
            if kind.chosen:
                lines.append(
                    _("Kind “%(text)s” (%(count)s) → %(kind)s, as confirmed.")
                    % {"text": kind.text, "count": count, "kind": kind_label(kind.chosen)}
                )
            else:
                lines.append(
                    _("Kind “%(text)s” (%(count)s): %(kind)s? To confirm.")
                    % {"text": kind.text, "count": count, "kind": kind_label(kind.guess)}
                )
        for term in self.unknown_terms:
            count = ngettext("%(n)d row", "%(n)d rows", term.rows) % {"n": term.rows}
            lines.append(
                (
                    _("%(kind)s: “%(label)s” (%(count)s) will be created.")
                    if term.create
                    else _("%(kind)s: “%(label)s” (%(count)s) is not the cluster's; left out.")
                )
                % {"kind": term_kind_label(term.kind), "label": term.label, "count": count}
            )
        for row in self.rows:
            for problem in row.problems:
                lines.append(
                    _("Line %(line)d (%(name)s): %(problem)s")
                    % {"line": row.line, "name": row.name or "—", "problem": problem}
                )
            for warning in row.warnings:
                lines.append(
                    _("Line %(line)d (%(name)s), warning: %(warning)s")
                    % {"line": row.line, "name": row.name or "—", "warning": warning}
                )
        if self.refused:
            lines.append(_("Strict mode: the file is refused, nothing was written."))
        elif not self.dry_run and self.written:
            lines.append(
                _("Written: %(n)d organisations.")
                % {"n": self.count("create") + self.count("update")}
            )
        return "\n".join(lines)
