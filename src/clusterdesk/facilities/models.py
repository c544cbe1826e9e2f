"""The innovation centre: sites, spaces and instruments (resources) with their rules and
prices, who may use the restricted ones (authorisations), bookings, leases of offices and
labs, consumables and the monthly statements.

No double booking is held by the database: on PostgreSQL an exclusion constraint over
(resource, [start, end)) of the bookings that are not cancelled (migration 0002, which only
runs there); on SQLite every write transaction takes the write lock when it begins
(``transaction_mode = IMMEDIATE`` in the settings), so the service's overlap check and its
insert cannot interleave with another booking's.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.models import TenantModel
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import Application


def working_days() -> list[int]:
    """Monday (0) to Friday (4): the opening days of a resource nobody configured."""
    return [0, 1, 2, 3, 4]


class ContainmentLevel(models.TextChoices):
    P1 = "P1", _("P1 (BSL-1)")
    P2 = "P2", _("P2 (BSL-2)")
    P3 = "P3", _("P3 (BSL-3)")


# A level covers the ones below it: a P3 authorisation opens P2 labs too.
LEVEL_RANK: dict[str, int] = {
    ContainmentLevel.P1: 1,
    ContainmentLevel.P2: 2,
    ContainmentLevel.P3: 3,
}
# Levels that need an authorisation to book (P1 is ordinary laboratory practice).
RESTRICTED_LEVELS = (ContainmentLevel.P2, ContainmentLevel.P3)


class Site(TenantModel):
    name = models.CharField(_("name"), max_length=160)
    address = models.CharField(_("address"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("site")
        verbose_name_plural = _("sites")

    def __str__(self) -> str:
        return self.name


class Resource(TenantModel):
    """A space (office, lab, cleanroom, bioproduction suite, meeting room) or an instrument,
    with its own booking rules."""

    class Kind(models.TextChoices):
        OFFICE = "office", _("Office")
        LAB = "lab", _("Laboratory")
        CLEANROOM = "cleanroom", _("Cleanroom")
        BIOPRODUCTION = "bioproduction", _("Bioproduction suite")
        EQUIPMENT = "equipment", _("Instrument")
        MEETING_ROOM = "meeting_room", _("Meeting room")

    site = models.ForeignKey(
        Site,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resources",
        verbose_name=_("site"),
    )
    name = models.CharField(_("name"), max_length=160)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    containment_level = models.CharField(
        _("containment level"), max_length=2, choices=ContainmentLevel.choices, blank=True
    )
    iso_grade = models.PositiveSmallIntegerField(
        _("ISO class (cleanroom)"), null=True, blank=True, help_text=_("ISO 14644-1, 1 to 9")
    )
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=1)
    area_m2 = models.DecimalField(
        _("area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    requires_approval = models.BooleanField(_("bookings need approval"), default=False)
    requires_authorisation = models.BooleanField(
        _("restricted: users need an authorisation for it"), default=False
    )
    bookable = models.BooleanField(
        _("bookable"), default=True, help_text=_("Offices let by lease are not booked.")
    )
    # Opening hours: the same hours on each open day (0 = Monday). A closing time of 00:00
    # means midnight at the end of the day (open all day: 00:00 to 00:00).
    open_days = models.JSONField(_("open days"), default=working_days)
    opens_at = models.TimeField(_("opens at"), default=datetime.time(8, 0))
    closes_at = models.TimeField(_("closes at"), default=datetime.time(20, 0))
    # Booking rules, in minutes (durations), hours (lead time, cancellation) and days.
    min_duration_minutes = models.PositiveIntegerField(_("minimum duration (minutes)"), default=30)
    max_duration_minutes = models.PositiveIntegerField(
        _("maximum duration (minutes)"), default=12 * 60
    )
    lead_time_hours = models.PositiveIntegerField(_("booked at least (hours ahead)"), default=0)
    horizon_days = models.PositiveIntegerField(_("booked at most (days ahead)"), default=90)
    cancellation_hours = models.PositiveIntegerField(
        _("cancelled at least (hours before)"), default=24
    )
    active = models.BooleanField(_("in service"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "name"], name="facilities_resource_name"),
            models.CheckConstraint(
                condition=Q(iso_grade__isnull=True) | Q(iso_grade__gte=1, iso_grade__lte=9),
                name="facilities_resource_iso_grade",
            ),
            models.CheckConstraint(
                condition=Q(min_duration_minutes__lte=models.F("max_duration_minutes")),
                name="facilities_resource_durations",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_authorisation(self) -> bool:
        return self.requires_authorisation or self.containment_level in RESTRICTED_LEVELS


class Price(TenantModel):
    """What one hour, half-day or day of a resource costs a category of user (excl. VAT)."""

    class Category(models.TextChoices):
        TENANT = "tenant", _("Hosted company")
        MEMBER = "member", _("Member")
        EXTERNAL = "external", _("External")

    class Unit(models.TextChoices):
        HOUR = "hour", _("hour")
        HALF_DAY = "half_day", _("half-day")
        DAY = "day", _("day")

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="prices")
    category = models.CharField(_("user category"), max_length=10, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices)
    amount = models.DecimalField(
        _("price excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["resource", "category", "unit"]
        verbose_name = _("price")
        verbose_name_plural = _("prices")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "category", "unit"], name="facilities_price_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="facilities_price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} — {self.get_category_display()} / {self.get_unit_display()}"


class Authorisation(TenantModel):
    """A person may use a containment level (and those below it) or one instrument, after
    a training, between two dates, until revoked."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="facility_authorisations",
        verbose_name=_("person"),
    )
    level = models.CharField(
        _("containment level"), max_length=2, choices=ContainmentLevel.choices, blank=True
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="authorisations",
        verbose_name=_("instrument or space"),
    )
    trained_on = models.DateField(_("training date"), null=True, blank=True)
    trainer = models.CharField(_("trainer"), max_length=160, blank=True)
    evidence = models.FileField(_("evidence"), upload_to="facilities/evidence/", blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    expiry_warned_on = models.DateField(_("expiry warned on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["valid_until", "pk"]
        verbose_name = _("authorisation")
        verbose_name_plural = _("authorisations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(level="") & Q(resource__isnull=False))
                | (~Q(level="") & Q(resource__isnull=True)),
                name="facilities_authorisation_level_or_resource",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="facilities_authorisation_period",
            ),
        ]
        indexes = [models.Index(fields=["cluster", "valid_until"], name="fa_auth_until")]

    def __str__(self) -> str:
        what = self.get_level_display() if self.level else str(self.resource)
        return f"{self.person} — {what}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.revoked_at is None and self.valid_from <= day <= self.valid_until


class Booking(TenantModel):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PENDING = "pending", _("Awaiting approval")
        FLAGGED = "flagged", _("Flagged: authorisation revoked")
        CANCELLED = "cancelled", _("Cancelled")

    # The statuses that hold the slot (the exclusion constraint's condition).
    ACTIVE = (Status.CONFIRMED, Status.PENDING, Status.FLAGGED)

    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("resource")
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="facility_bookings",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="facility_bookings",
        verbose_name=_("organisation"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facility_bookings",
        verbose_name=_("project"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    # Bookings made together by a recurrence share a series.
    series = models.UUIDField(_("series"), null=True, blank=True)
    recurrence = models.CharField(_("recurrence"), max_length=60, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    flag_reason = models.CharField(_("why flagged"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="facilities_booking_period"
            ),
        ]
        indexes = [
            models.Index(fields=["resource", "start"], name="fa_booking_resource_start"),
            models.Index(fields=["cluster", "status", "start"], name="fa_booking_status"),
            models.Index(fields=["organisation", "start"], name="fa_booking_org"),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.start)
        return f"{self.resource} — {start:%Y-%m-%d %H:%M}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def used_minutes(self) -> int:
        """Actual use when checked in and out, else the booked time."""
        if self.checked_in_at and self.checked_out_at:
            return max(0, int((self.checked_out_at - self.checked_in_at).total_seconds() // 60))
        return int((self.end - self.start).total_seconds() // 60)


class WaitlistEntry(TenantModel):
    """Someone who wants a slot that is taken; told by e-mail when it frees."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="waitlist")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    notified_at = models.DateTimeField(_("told at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waiting-list entry")
        verbose_name_plural = _("waiting list")

    def __str__(self) -> str:
        return f"{self.person} — {self.resource}"


class Lease(TenantModel):
    """A hosted organisation rents a space (an office, a lab) for a period."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="leases", verbose_name=_("tenant")
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.PROTECT, related_name="leases", verbose_name=_("space")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    monthly_rent = models.DecimalField(
        _("monthly rent excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    monthly_charges = models.DecimalField(
        _("monthly charges excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
    )
    notice_months = models.PositiveSmallIntegerField(_("notice (months)"), default=3)
    notice_given_on = models.DateField(_("notice given on"), null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="renewal",
        verbose_name=_("renews"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("lease")
        verbose_name_plural = _("leases")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=models.F("starts_on")), name="facilities_lease_period"
            ),
            models.CheckConstraint(
                condition=Q(monthly_rent__gte=0) & Q(monthly_charges__gte=0),
                name="facilities_lease_amounts",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.resource} ({self.starts_on:%Y-%m-%d})"


class Consumable(TenantModel):
    """Something a hosted company used and pays for (gases, media, waste disposal …)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=200)
    quantity = models.DecimalField(
        _("quantity"), max_digits=10, decimal_places=2, validators=[MinValueValidator(0)]
    )
    unit_price = models.DecimalField(
        _("unit price excl. VAT (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("consumable")
        verbose_name_plural = _("consumables")
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=0) & Q(unit_price__gte=0),
                name="facilities_consumable_amounts",
            ),
        ]

    def __str__(self) -> str:
        return self.description


class Statement(TenantModel):
    """What an organisation owes for a closed month: rent, charges, bookings from actual
    use, consumables. Its lines keep the project a booking named."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("organisation")
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    number = models.CharField(_("number"), max_length=40)
    total = models.DecimalField(_("total excl. VAT (€)"), max_digits=12, decimal_places=2)
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        ordering = ["-month", "organisation_id"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "organisation", "month"], name="facilities_statement_month"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class StatementLine(TenantModel):
    class Kind(models.TextChoices):
        RENT = "rent", _("Rent")
        CHARGES = "charges", _("Charges")
        BOOKING = "booking", _("Use of a resource")
        CONSUMABLE = "consumable", _("Consumable")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    description = models.CharField(_("description"), max_length=300)
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    booking = models.ForeignKey(
        Booking, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20)
    unit_price = models.DecimalField(_("unit price"), max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount excl. VAT (€)"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["statement", "date", "pk"]
        verbose_name = _("statement line")
        verbose_name_plural = _("statement lines")

    def __str__(self) -> str:
        return self.description
