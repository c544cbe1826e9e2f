"""The events API's input and output schemas."""

# No ``from __future__ import annotations``: django-ninja reads the annotations at import.
import datetime
from decimal import Decimal

from ninja import Field, Schema

from clusterdesk.api.fields import InputSchema
from clusterdesk.events.models import Event, Registration


class EventPatchIn(InputSchema):
    """Only the fields sent change. A capacity lower than the people already confirmed is
    refused (400, naming both numbers); a higher one promotes the waitlist at once."""

    title: str = Field("", min_length=1, max_length=200)
    title_en: str = Field("", max_length=200)
    kind: Event.Kind = Event.Kind.CONFERENCE
    slug: str = Field("", max_length=80, pattern=r"^[-a-zA-Z0-9_]*$")
    description: str = ""
    description_en: str = ""
    venue: str = Field("", max_length=255)
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    registration_opens_at: datetime.datetime | None = None
    registration_closes_at: datetime.datetime | None = None
    capacity: int | None = Field(None, ge=0, le=1_000_000)
    is_public: bool = False


class EventCreateIn(EventPatchIn):
    """A new event; times in ISO 8601 (without an offset: the cluster's time)."""

    title: str = Field(..., min_length=1, max_length=200)
    kind: Event.Kind
    starts_at: datetime.datetime
    ends_at: datetime.datetime


class EventOut(Schema):
    id: int
    title: str
    title_en: str
    kind: str
    slug: str
    venue: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    registration_opens_at: datetime.datetime | None
    registration_closes_at: datetime.datetime | None
    capacity: int | None
    is_public: bool
    confirmed: int = 0
    waitlisted: int = 0


class EventFilterIn(InputSchema):
    when: str = Field("", pattern=r"^(|coming|past)$")


class RegistrationCreateIn(InputSchema):
    first_name: str = Field(..., max_length=100)
    last_name: str = Field(..., max_length=100)
    email: str = Field(..., max_length=254)
    organisation_name: str = Field("", max_length=255)
    organisation_identifier: str = Field("", max_length=20)
    category: int | None = None
    language: str = Field("fr", pattern=r"^(fr|en)$")


class RegistrationFilterIn(InputSchema):
    status: Registration.Status | None = None
    q: str = Field("", max_length=200)


class RegistrationOut(Schema):
    id: int
    email: str
    status: str
    first_name: str
    last_name: str
    organisation_name: str
    organisation: int | None
    contact: int | None
    category: int | None
    fee: Decimal | None
    waitlist_position: int | None
    created_at: datetime.datetime
    cancelled_at: datetime.datetime | None
    attended_at: datetime.datetime | None

    @staticmethod
    def resolve_organisation(obj: Registration) -> int | None:
        return obj.organisation_id

    @staticmethod
    def resolve_contact(obj: Registration) -> int | None:
        return obj.contact_id

    @staticmethod
    def resolve_category(obj: Registration) -> int | None:
        return obj.category_id
