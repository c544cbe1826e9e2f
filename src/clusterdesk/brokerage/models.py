"""B2B brokerage meetings on an event of kind "brokerage".

An event's ``Brokerage`` holds its settings (meeting length, tables, automatic acceptance)
and its ``MeetingSlot``s; a ``Participant`` is a registration of that event with a profile
and its cooperation ``Opportunity``s (offers and requests of the ``PartnershipType``s the
event defines). Participants send ``MeetingRequest``s; the organiser runs the scheduler
(``ScheduleRun``: draft → published) which writes ``Meeting``s with a slot and a table.
Changes on the day (cancellation, no-show, walk-in) change the published meetings; after the
event each side gives ``MeetingFeedback`` (a rating, then the six-month follow-up), and a
meeting may be linked to the application (``projects.Application``) it led to.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.models import TenantModel
from clusterdesk.events.models import Event, Registration
from clusterdesk.jobs.models import Job
from clusterdesk.projects.models import Application


def new_access_key() -> str:
    """The participant's secret; the personal link signs it (rotated to revoke the link)."""
    return secrets.token_urlsafe(18)


class Brokerage(TenantModel):
    """The brokerage settings of one event."""

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="brokerage", verbose_name=_("event")
    )
    meeting_minutes = models.PositiveSmallIntegerField(_("meeting length (minutes)"), default=20)
    tables = models.PositiveIntegerField(_("tables"), default=20)
    max_meetings = models.PositiveSmallIntegerField(_("most meetings per participant"), default=12)
    auto_accept = models.BooleanField(
        _("accept requests automatically"),
        default=False,
        help_text=_("Ticked: a request is accepted as soon as it is sent."),
    )
    validation_required = models.BooleanField(
        _("the organiser validates profiles"),
        default=True,
        help_text=_("Unticked: profiles appear in the marketplace as soon as they are written."),
    )

    class Meta:
        verbose_name = _("brokerage")
        verbose_name_plural = _("brokerages")

    def __str__(self) -> str:
        return str(self.event)


class PartnershipType(TenantModel):
    """A kind of cooperation the event offers (technology, commercial, R&D project …)."""

    brokerage = models.ForeignKey(
        Brokerage, on_delete=models.CASCADE, related_name="partnership_types"
    )
    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partnership type")
        verbose_name_plural = _("partnership types")
        constraints = [
            models.UniqueConstraint(fields=["brokerage", "name"], name="partnership_type_unique")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class MeetingSlot(TenantModel):
    """A time slot in which every table may hold one meeting."""

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    tables = models.PositiveIntegerField(_("tables"))

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting slot")
        verbose_name_plural = _("meeting slots")
        constraints = [
            models.UniqueConstraint(fields=["brokerage", "starts_at"], name="meeting_slot_unique"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_slot_ends_after"
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.starts_at)
        end = timezone.localtime(self.ends_at)
        return f"{start:%d/%m %H:%M}-{end:%H:%M}"


class Participant(TenantModel):
    """A registration of a brokerage event, with its profile."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting validation")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="participants")
    registration = models.OneToOneField(
        Registration,
        on_delete=models.CASCADE,
        related_name="brokerage_participant",
        verbose_name=_("registration"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    headline = models.CharField(_("headline"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    keywords = models.CharField(
        _("keywords"), max_length=500, blank=True, help_text=_("Separated by commas.")
    )
    arrival_at = models.DateTimeField(_("arrives at"), null=True, blank=True)
    departure_at = models.DateTimeField(_("leaves at"), null=True, blank=True)
    max_meetings = models.PositiveSmallIntegerField(
        _("most meetings"), null=True, blank=True, help_text=_("Empty: the event's limit.")
    )
    access_key = models.CharField(max_length=40, default=new_access_key, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    validated_at = models.DateTimeField(_("validated on"), null=True, blank=True)

    class Meta:
        ordering = ["registration__last_name", "registration__first_name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        indexes = [models.Index(fields=["brokerage", "status"], name="participant_status")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        r = self.registration
        return f"{r.first_name} {r.last_name}".strip()

    @property
    def organisation_label(self) -> str:
        r = self.registration
        return r.organisation.name if r.organisation is not None else r.organisation_name

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class Opportunity(TenantModel):
    """What a participant offers or looks for."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Offer")
        REQUEST = "request", _("Request")

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="opportunities"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    partnership_type = models.ForeignKey(
        PartnershipType,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="opportunities",
        verbose_name=_("partnership type"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "title"]
        verbose_name = _("cooperation opportunity")
        verbose_name_plural = _("cooperation opportunities")

    def __str__(self) -> str:
        return self.title


class Unavailability(TenantModel):
    """A slot a participant has blocked (another appointment, a talk to give)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="unavailabilities"
    )
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("blocked slot")
        verbose_name_plural = _("blocked slots")
        constraints = [
            models.UniqueConstraint(fields=["participant", "slot"], name="unavailability_unique")
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.slot}"


class MeetingRequest(TenantModel):
    """One participant asks to meet another, with a priority and a message."""

    class Priority(models.IntegerChoices):
        HIGH = 1, _("High")
        MEDIUM = 2, _("Medium")
        LOW = 3, _("Low")

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_sent"
    )
    target = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="requests_received"
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.MEDIUM
    )
    message = models.TextField(_("message"), blank=True, max_length=2000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("sent on"), default=timezone.now)
    answered_at = models.DateTimeField(_("answered on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting request")
        verbose_name_plural = _("meeting requests")
        constraints = [
            models.UniqueConstraint(fields=["requester", "target"], name="meeting_request_unique"),
            models.CheckConstraint(
                condition=~Q(requester=models.F("target")), name="meeting_request_not_self"
            ),
        ]
        indexes = [models.Index(fields=["brokerage", "status"], name="meeting_request_status")]

    def __str__(self) -> str:
        return f"{self.requester} → {self.target}"


class ScheduleRun(TenantModel):
    """One run of the scheduler: a draft the organiser reviews, then publishes."""

    class State(models.TextChoices):
        RUNNING = "running", _("Running")
        DRAFT = "draft", _("Draft to review")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Replaced by a later schedule")
        DISCARDED = "discarded", _("Discarded")
        FAILED = "failed", _("Failed")

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="runs")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.RUNNING
    )
    keep_published = models.BooleanField(_("keep the published meetings"), default=False)
    time_limit_s = models.FloatField(_("time limit (seconds)"), default=10.0)
    objective = models.PositiveIntegerField(_("weight scheduled"), null=True, blank=True)
    upper_bound = models.FloatField(_("proven upper bound"), null=True, blank=True)
    gap = models.FloatField(_("proven gap"), null=True, blank=True)
    solve_s = models.FloatField(_("solving time (seconds)"), null=True, blank=True)
    requests_count = models.PositiveIntegerField(_("accepted requests"), default=0)
    unscheduled = models.JSONField(_("pairs not scheduled"), default=list, blank=True)
    not_kept = models.JSONField(_("published meetings not kept"), default=list, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    published_at = models.DateTimeField(_("published on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("schedule run")
        verbose_name_plural = _("schedule runs")

    def __str__(self) -> str:
        return f"{self.brokerage} #{self.pk}"

    @property
    def gap_percent(self) -> float | None:
        """The proven gap in per cent: how far, at most, the schedule is from the best."""
        return None if self.gap is None else round(100 * self.gap, 3)


class Meeting(TenantModel):
    """A meeting of two participants in a slot at a table."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    brokerage = models.ForeignKey(Brokerage, on_delete=models.CASCADE, related_name="meetings")
    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="meetings")
    participant_a = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meetings_as_a"
    )
    participant_b = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="meetings_as_b"
    )
    slot = models.ForeignKey(MeetingSlot, on_delete=models.CASCADE, related_name="meetings")
    table = models.PositiveIntegerField(_("table"))
    weight = models.PositiveSmallIntegerField(_("weight"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    walk_in = models.BooleanField(_("requested on the day"), default=False)
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="brokerage_meetings",
        verbose_name=_("application it led to"),
    )

    class Meta:
        ordering = ["slot__starts_at", "table"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "slot", "table"],
                condition=~Q(status="cancelled"),
                name="meeting_unique_table",
            ),
            models.CheckConstraint(
                condition=~Q(participant_a=models.F("participant_b")), name="meeting_two_people"
            ),
        ]
        indexes = [models.Index(fields=["run", "slot"], name="meeting_run_slot")]

    def __str__(self) -> str:
        return f"{self.participant_a} / {self.participant_b} ({self.slot}, {self.table})"

    def other(self, participant: Participant) -> Participant:
        return self.participant_b if participant.pk == self.participant_a_id else self.participant_a


class MeetingFeedback(TenantModel):
    """What one side says of a meeting: a rating after the event, then six months later
    what became of it."""

    class Stage(models.TextChoices):
        AFTER_EVENT = "after_event", _("After the event")
        SIX_MONTHS = "six_months", _("Six months later")

    class Outcome(models.TextChoices):
        NO_FURTHER_CONTACT = "none", _("No further contact")
        IN_DISCUSSION = "discussion", _("In discussion")
        AGREEMENT = "agreement", _("Agreement reached")
        JOINT_APPLICATION = "application", _("Joint application")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="feedback_given"
    )
    stage = models.CharField(_("stage"), max_length=12, choices=Stage.choices)
    rating = models.PositiveSmallIntegerField(
        _("rating (1 to 5)"), null=True, blank=True, choices=[(i, str(i)) for i in range(1, 6)]
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("given on"), default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting feedback")
        verbose_name_plural = _("meeting feedback")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "participant", "stage"], name="meeting_feedback_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.meeting} {self.stage}"
