"""The expert network: experts (staff or outside people), their declared conflicts of
interest with companies, and their missions on support cases."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core.models import Domain, TenantModel
from clusterdesk.crm.models import Organisation
from clusterdesk.support.choices import Availability, MissionStatus
from clusterdesk.support.models.cases import SupportCase


def agreement_path(expert: Expert, filename: str) -> str:
    return f"support/{expert.cluster_id}/experts/{expert.pk or 'new'}/{filename}"


class Expert(TenantModel):
    """An expert of the network: a person with an account (staff or expert role) or an
    outside person known by name, with their organisation."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="support_experts",
        verbose_name=_("account"),
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("organisation (if not followed)"), max_length=200, blank=True
    )
    competences = models.TextField(
        _("competences"), blank=True, help_text=_("Keywords separated by commas.")
    )
    domains = models.ManyToManyField(Domain, blank=True, verbose_name=_("domains"))
    languages = models.CharField(_("languages"), max_length=40, default="fr,en")
    availability = models.CharField(
        _("availability"),
        max_length=20,
        choices=Availability.choices,
        default=Availability.AVAILABLE,
    )
    daily_rate_eur = models.DecimalField(
        _("daily rate (EUR)"),
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    agreement = models.FileField(
        _("confidentiality agreement"), upload_to=agreement_path, blank=True
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_expires_on = models.DateField(_("agreement expires on"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(
                fields=["cluster", "user"],
                condition=models.Q(user__isnull=False),
                name="support_one_expert_per_account",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def affiliation(self) -> str:
        return str(self.organisation) if self.organisation_id else self.organisation_name

    def agreement_valid_on(self, day: object) -> bool:
        """A signed agreement on file that has not expired on ``day``."""
        if not self.agreement or self.agreement_expires_on is None:
            return False
        return self.agreement_expires_on >= day  # type: ignore[operator]

    @property
    def competence_list(self) -> list[str]:
        return [c.strip() for c in self.competences.split(",") if c.strip()]


class ExpertConflict(TenantModel):
    """A conflict of interest between an expert and a company, declared by the expert or
    recorded by staff: the expert gets no mission on that company's cases. (Working for the
    company is a conflict too, computed by ``selectors.expert_conflict_with``.)"""

    class Source(models.TextChoices):
        DECLARED = "declared", _("Declared by the expert")
        STAFF = "staff", _("Recorded by staff")

    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="conflicts")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("company")
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reason = models.TextField(_("reason"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "organisation"], name="support_conflict_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.expert} / {self.organisation}"


class Mission(TenantModel):
    """An expert's work on a case: hours, cost and the expert's report."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="missions")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="missions")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=20, choices=MissionStatus.choices, default=MissionStatus.PLANNED
    )
    start_on = models.DateField(_("start"), default=timezone.localdate)
    hours = models.DecimalField(
        _("hours"), max_digits=7, decimal_places=1, default=0, validators=[MinValueValidator(0)]
    )
    cost_eur = models.DecimalField(
        _("cost (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    report = models.TextField(_("expert's report"), blank=True)
    reported_on = models.DateField(_("report delivered on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-start_on", "-pk"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gte=0) & models.Q(cost_eur__gte=0),
                name="support_mission_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.expert}"
