"""Bodies of the innovation centre's API. Names are fixed: clients outside use them."""

import datetime
from typing import Literal

from ninja import Field, Schema
from pydantic import AwareDatetime, model_validator

from clusterdesk.api.fields import InputSchema

Kind = Literal["office", "lab", "cleanroom", "bioproduction", "equipment", "meeting_room"]
Level = Literal["P1", "P2", "P3"]
HOUR = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


class OpeningHoursIn(InputSchema):
    days: list[int] = Field(..., description="Open days, 0 = Monday … 6 = Sunday.")
    opens_at: str = Field(..., pattern=HOUR, description="HH:MM, local time.")
    closes_at: str = Field(..., pattern=HOUR, description="HH:MM; 00:00 means midnight.")

    def times(self) -> tuple[datetime.time, datetime.time]:
        return (
            datetime.time.fromisoformat(self.opens_at),
            datetime.time.fromisoformat(self.closes_at),
        )


class ResourceIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=160)
    kind: Kind
    containment_level: Level | None = None
    requires_approval: bool = False
    requires_authorisation: bool = False
    capacity: int = Field(1, ge=1, le=100000)
    iso_grade: int | None = Field(None, ge=1, le=9)
    opening_hours: OpeningHoursIn | None = Field(
        None, description="Without it: working days (Monday to Friday), 08:00 to 20:00."
    )
    min_duration_minutes: int | None = Field(None, ge=1, le=100000)
    max_duration_minutes: int | None = Field(None, ge=1, le=100000)
    lead_time_hours: int | None = Field(None, ge=0, le=100000)
    horizon_days: int | None = Field(None, ge=0, le=3650)
    cancellation_hours: int | None = Field(None, ge=0, le=100000)


class ResourceOut(Schema):
    id: int
    name: str
    kind: str
    containment_level: str | None
    requires_approval: bool
    requires_authorisation: bool
    capacity: int
    open_days: list[int]
    opens_at: str = Field(..., description="HH:MM, local time.")
    closes_at: str = Field(..., description="HH:MM; 00:00 means midnight.")

    @staticmethod
    def resolve_opens_at(obj: object) -> str:
        return obj.opens_at.strftime("%H:%M")  # type: ignore[attr-defined]

    @staticmethod
    def resolve_closes_at(obj: object) -> str:
        return obj.closes_at.strftime("%H:%M")  # type: ignore[attr-defined]

    @staticmethod
    def resolve_containment_level(obj: object) -> str | None:
        return getattr(obj, "containment_level", "") or None


class AuthorisationIn(InputSchema):
    person: str = Field(
        ..., max_length=254, description="The e-mail of an account the cluster knows."
    )
    level: Level | None = None
    resource: int | None = None
    valid_from: datetime.date
    valid_until: datetime.date
    trained_on: datetime.date | None = None
    trainer: str = Field("", max_length=160)

    @model_validator(mode="after")
    def _level_or_resource(self) -> "AuthorisationIn":
        if (self.level is None) == (self.resource is None):
            raise ValueError("Give either a level or a resource.")
        return self


class AuthorisationOut(Schema):
    id: int
    person: str
    level: str | None
    resource: int | None
    valid_from: datetime.date
    valid_until: datetime.date
    revoked_at: datetime.datetime | None

    @staticmethod
    def resolve_person(obj: object) -> str:
        return obj.person.email  # type: ignore[attr-defined]

    @staticmethod
    def resolve_level(obj: object) -> str | None:
        return getattr(obj, "level", "") or None

    @staticmethod
    def resolve_resource(obj: object) -> int | None:
        return getattr(obj, "resource_id", None)


class BookingIn(InputSchema):
    resource: int
    person: str = Field(..., max_length=254)
    start: AwareDatetime = Field(..., description="ISO 8601 with its UTC offset.")
    end: AwareDatetime = Field(..., description="ISO 8601 with its UTC offset.")
    project: int | None = Field(None, description="An application (project) it is for.")
    purpose: str = Field("", max_length=300)
    repeat_weeks: int = Field(0, ge=0, le=51, description="The same times on N more weeks.")


class BookingOut(Schema):
    id: int
    resource: int
    person: str
    organisation: int | None
    start: datetime.datetime
    end: datetime.datetime
    status: str
    series: list[int] = Field(default_factory=list)

    @staticmethod
    def resolve_series(obj: object) -> list[int]:
        return getattr(obj, "series_ids", [])

    @staticmethod
    def resolve_resource(obj: object) -> int:
        return obj.resource_id  # type: ignore[attr-defined]

    @staticmethod
    def resolve_person(obj: object) -> str:
        return obj.person.email  # type: ignore[attr-defined]

    @staticmethod
    def resolve_organisation(obj: object) -> int | None:
        return getattr(obj, "organisation_id", None)


class ErrorOut(Schema):
    detail: str
    errors: list[dict[str, str | None]] = Field(default_factory=list)
