"""What only PostgreSQL can hold: no two active bookings of a resource overlap.

The exclusion constraint is added by a migration operation that runs on PostgreSQL only
(SQLite has no exclusion constraints; there the service's overlap check runs inside a
write transaction that holds the database's write lock, see ``models``). It is not part of
the model state, so ``makemigrations`` neither sees nor removes it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.contrib.postgres.operations import BtreeGistExtension
from django.db import migrations
from django.db.models import Func, Q

BOOKING_OVERLAP = "facilities_booking_no_overlap"


class TsTzRange(Func):
    """``tstzrange(start, end, '[)')``: a booking holds its start, not its end, so two
    bookings where one ends when the next starts do not overlap."""

    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


def booking_overlap_constraint() -> ExclusionConstraint:
    return ExclusionConstraint(
        name=BOOKING_OVERLAP,
        expressions=[
            ("resource", RangeOperators.EQUAL),
            (TsTzRange("start", "end", RangeBoundary()), RangeOperators.OVERLAPS),
        ],
        condition=~Q(status="cancelled"),
    )


class PostgresBtreeGist(BtreeGistExtension):
    """``btree_gist`` on PostgreSQL; nothing elsewhere, forwards or backwards (Django's
    operation skips other databases only forwards)."""

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddPostgresConstraint(migrations.operations.base.Operation):
    """Add ``constraint`` to ``model_name`` on PostgreSQL; nothing elsewhere."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, model_name: str, constraint: Any) -> None:
        self.model_name = model_name
        self.constraint = constraint

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        schema_editor.add_constraint(model, self.constraint)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        if schema_editor.connection.vendor != "postgresql":
            return
        model = from_state.apps.get_model(app_label, self.model_name)
        schema_editor.remove_constraint(model, self.constraint)

    def describe(self) -> str:
        return f"Create constraint {self.constraint.name} on {self.model_name} (PostgreSQL)"

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return (
            self.__class__.__qualname__,
            [],
            {
                "model_name": self.model_name,
                "constraint": self.constraint,
            },
        )
