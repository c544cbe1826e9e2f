"""The brokerage API's input and output schemas."""

# No ``from __future__ import annotations``: django-ninja reads the annotations at import.
import datetime

from ninja import Field, Schema

from clusterdesk.api.fields import InputSchema


class OpportunityOut(Schema):
    kind: str
    title: str
    partnership_type: str | None = Field(None, alias="partnership_type.name")


class ParticipantOut(Schema):
    id: int
    name: str
    organisation: str = Field(..., alias="organisation_label")
    status: str
    headline: str
    description: str
    keywords: list[str] = Field(..., alias="keyword_list")
    opportunities: list[OpportunityOut] = Field(..., alias="opportunities.all")


class ParticipantFilterIn(InputSchema):
    q: str = Field("", max_length=200)
    status: str = Field("", pattern=r"^(|pending|validated|rejected)$")


class RequestOut(Schema):
    id: int
    requester: int = Field(..., alias="requester_id")
    target: int = Field(..., alias="target_id")
    priority: int
    message: str
    status: str
    created_at: datetime.datetime


class RequestFilterIn(InputSchema):
    status: str = Field("", pattern=r"^(|pending|accepted|declined|withdrawn)$")


class RequestCreateIn(InputSchema):
    """``requester`` is the caller's own participant (or any, for the event staff)."""

    requester: int
    target: int
    priority: int = Field(2, ge=1, le=3)
    message: str = Field("", max_length=2000)


class MeetingOut(Schema):
    id: int
    participant_a: int = Field(..., alias="participant_a_id")
    participant_b: int = Field(..., alias="participant_b_id")
    starts_at: datetime.datetime = Field(..., alias="slot.starts_at")
    ends_at: datetime.datetime = Field(..., alias="slot.ends_at")
    table: int
    status: str
    walk_in: bool
    application: int | None = Field(None, alias="application_id")


class AgendaItemOut(Schema):
    meeting: int
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    table: int
    status: str
    with_participant: int
    with_name: str
    with_organisation: str
