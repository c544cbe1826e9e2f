"""What an import says: of each row (its action, problems and warnings) and of the file."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _


@dataclass
class RowReport:
    line: int
    name: str
    action: str = ""  # "create", "update" or "reject"
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def rejected(self) -> list[RowReport]:
        return [r for r in self.rows if r.action == "reject"]

    @property
    def refused(self) -> bool:
        """--strict and a row was rejected: nothing is written."""
        return self.strict and bool(self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self) | {
            "created": self.count("create"),
            "updated": self.count("update"),
            "rejected_count": len(self.rejected),
            "refused": self.refused,
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
            % {"columns": ", ".join(f"{k} ← “{v}”" for k, v in self.columns.items())},
        ]
        if self.ignored_columns:
            lines.append(
                _("Ignored columns: %(columns)s.")
                % {"columns": ", ".join(f"“{c}”" for c in self.ignored_columns)}
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
