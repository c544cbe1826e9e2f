"""Events a cluster organises, the categories people register in, and the registrations.

An event has a capacity (or none), each of its categories may have its own; a registration
is confirmed while both have room, otherwise it joins the waitlist and is promoted, in the
transaction that frees a seat, by ``events.services.registrations``. Registrants point at the
one organisation record (``crm.Organisation``) and at a contact of the cluster once staff
or the matching has found them; the name typed in the form stays as it was given.
"""

from __future__ import annotations

import datetime
import secrets

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.models import TenantModel
from clusterdesk.crm.models import Contact, Organisation


def new_token() -> str:
    """The registration's secret: the badge's QR code carries it, the cancel link signs it."""
    return secrets.token_urlsafe(16)


class Event(TenantModel):
    """A conference, a networking evening, a workshop, a brokerage event, a webinar or a
    site visit."""

    class Kind(models.TextChoices):
        CONFERENCE = "conference", _("Conference")
        NETWORKING = "networking", _("Networking event")
        WORKSHOP = "workshop", _("Workshop")
        BROKERAGE = "brokerage", _("Brokerage event (B2B meetings)")
        WEBINAR = "webinar", _("Webinar")
        VISIT = "visit", _("Site visit")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    slug = models.SlugField(
        _("address of the public page"),
        max_length=80,
        help_text=_("Letters, digits and hyphens; the end of the public page's address."),
    )
    description = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty: registration closes when the event starts."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit.")
    )
    is_public = models.BooleanField(
        _("public page"),
        default=False,
        help_text=_(
            "The event has a public page in French and English with its registration form."
        ),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "slug"], name="event_unique_slug"),
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")),
                name="event_ends_after_start",
                violation_error_message=_("The event ends before it starts."),
            ),
        ]
        indexes = [models.Index(fields=["cluster", "starts_at"], name="event_start")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.title_en:
            return self.title_en
        return self.title

    @property
    def description_label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.description_en:
            return self.description_en
        return self.description

    @property
    def closes_at(self) -> datetime.datetime:
        """When registration closes: the date set, or the start of the event."""
        return self.registration_closes_at or self.starts_at


class RegistrationCategory(TenantModel):
    """A category people register in (member, non-member, researcher, investor, speaker …),
    with its own capacity and an optional fee, invoiced later."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="categories", verbose_name=_("event")
    )
    name = models.CharField(_("name (French)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Empty: no limit of its own.")
    )
    fee = models.DecimalField(
        _("fee (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Invoiced after registration; empty: free."),
    )
    open_to_public = models.BooleanField(
        _("offered in the public form"),
        default=True,
        help_text=_("Unticked: only staff register people in it (speakers, guests)."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("registration category")
        verbose_name_plural = _("registration categories")
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="registration_category_unique"),
            models.CheckConstraint(
                condition=Q(fee__isnull=True) | Q(fee__gte=0),
                name="registration_fee_not_negative",
                violation_error_message=_("A fee cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "fr").startswith("en") and self.name_en:
            return self.name_en
        return self.name


class Registration(TenantModel):
    """One person's registration for an event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("On the waitlist")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    category = models.ForeignKey(
        RegistrationCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("category"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    # Kept lower-case by the services: one registration per address and event.
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=5, choices=[("fr", "Français"), ("en", "English")], default="fr"
    )
    organisation_name = models.CharField(_("organisation (as given)"), max_length=255, blank=True)
    organisation_identifier = models.CharField(
        _("SIREN, SIRET or VAT number (as given)"), max_length=20, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("organisation"),
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
        verbose_name=_("contact"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    waitlist_position = models.PositiveIntegerField(
        _("position on the waitlist"), null=True, blank=True
    )
    fee = models.DecimalField(
        _("fee (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("registered at"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended_at = models.DateTimeField(_("arrived at"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_unique_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"], name="registration_status"),
            models.Index(fields=["cluster", "organisation"], name="registration_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def full_name(self) -> str:
        return str(self)
