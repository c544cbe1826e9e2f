"""What projects and organisations produce (outcomes), the yearly follow-up that collects
them, and the facts funders record about clusters (regional grants, State ratings)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.formatting import format_money
from clusterdesk.core.models import TenantModel
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.projects.models import Application


class Outcome(TenantModel):
    """A result: a patent, a clinical trial, a product, jobs, a start-up, money raised, a
    publication — tied to a project and/or an organisation, with its evidence."""

    class Kind(models.TextChoices):
        PATENT = "patent", _("Patent filed")
        CLINICAL_TRIAL = "clinical_trial", _("Clinical trial")
        PRODUCT = "product", _("Product or service launched")
        JOBS = "jobs", _("Jobs created")
        STARTUP = "startup", _("Start-up created")
        FUNDING_RAISED = "funding_raised", _("Follow-on funding raised")
        PUBLICATION = "publication", _("Publication")

    class State(models.TextChoices):
        DECLARED = "declared", _("Declared")
        VALIDATED = "validated", _("Validated")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("project"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outcomes",
        verbose_name=_("organisation"),
    )
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=255)
    # Patent: office and number; trial: registry and identifier (NCT…, EU CT…); publication:
    # DOI or reference.
    registry = models.CharField(_("office or registry"), max_length=60, blank=True)
    reference = models.CharField(_("number or identifier"), max_length=80, blank=True)
    phase = models.CharField(_("trial phase"), max_length=10, blank=True)
    ce_marked = models.BooleanField(_("CE marked"), default=False)
    fte = models.DecimalField(
        _("jobs (FTE)"), max_digits=8, decimal_places=1, null=True, blank=True
    )
    amount_eur = models.DecimalField(
        _("amount (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    investors = models.CharField(_("investors"), max_length=255, blank=True)
    new_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("start-up created"),
    )
    evidence = models.FileField(_("evidence"), upload_to="clusters/outcomes/", blank=True)
    evidence_url = models.URLField(_("evidence link"), blank=True, max_length=400)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DECLARED, db_index=True
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("declared by"),
    )
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("validated by"),
    )
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    follow_up = models.ForeignKey(
        "FollowUpRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="outcomes"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        indexes = [models.Index(fields=["cluster", "kind", "state", "date"], name="outcome_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"


class FollowUpCampaign(TenantModel):
    """The yearly request to running and completed projects to declare their outcomes."""

    year = models.PositiveSmallIntegerField(_("year"))
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closes_on = models.DateField(_("closes on"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("follow-up campaign")
        verbose_name_plural = _("follow-up campaigns")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "year"], name="one_campaign_a_year"),
        ]

    def __str__(self) -> str:
        return str(self.year)


class FollowUpRequest(TenantModel):
    """One project's part of a campaign: who answers for it, reminders, completion."""

    campaign = models.ForeignKey(
        FollowUpCampaign, on_delete=models.CASCADE, related_name="requests"
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="follow_ups", verbose_name=_("project")
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("coordinator's contact"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("reminders"), default=0)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up request")
        verbose_name_plural = _("follow-up requests")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "application"], name="follow_up_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.application.acronym}"


class RegionGrant(TenantModel):
    """Money the Region granted the cluster for a year (its operating grant)."""

    year = models.PositiveSmallIntegerField(_("year"))
    amount_eur = models.DecimalField(_("amount (EUR)"), max_digits=14, decimal_places=2)
    label = models.CharField(_("label"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("regional grant")
        verbose_name_plural = _("regional grants")

    def __str__(self) -> str:
        return f"{self.year}: {format_money(self.amount_eur)}"


class StateRating(TenantModel):
    """The State's rating of the cluster for an evaluation phase of the pôles policy."""

    phase = models.CharField(_("phase"), max_length=10, help_text=_("e.g. III, IV, V"))
    period = models.CharField(_("period"), max_length=20, blank=True)
    rating = models.CharField(_("rating"), max_length=80)
    source = models.URLField(_("source"), blank=True, max_length=400)

    class Meta:
        ordering = ["phase"]
        verbose_name = _("State rating")
        verbose_name_plural = _("State ratings")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "phase"], name="one_rating_a_phase"),
        ]

    def __str__(self) -> str:
        return f"{self.phase}: {self.rating}"


class NationalFundingRound(models.Model):
    """A national funding round (e.g. FUI round 14) and how many projects it funded across
    France: reference data, so a region can say what share of each round its clusters won."""

    funder = models.CharField(_("funder"), max_length=20, default="fui")
    number = models.PositiveSmallIntegerField(_("round"))
    year = models.PositiveSmallIntegerField(_("year"))
    projects_funded = models.PositiveIntegerField(_("projects funded nationally"))
    source = models.CharField(_("source"), max_length=400, blank=True)

    class Meta:
        ordering = ["funder", "number"]
        verbose_name = _("national funding round")
        verbose_name_plural = _("national funding rounds")
        constraints = [
            models.UniqueConstraint(fields=["funder", "number"], name="one_round_number"),
        ]

    def __str__(self) -> str:
        return f"{self.funder.upper()} {self.number} ({self.year})"

    @property
    def programme(self) -> str:
        """How funding applications name the round (``FundingApplication.programme``)."""
        return f"{self.funder.upper()} {self.number}"
