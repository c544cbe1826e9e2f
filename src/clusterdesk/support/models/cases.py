"""Support cases: a company accompanied for one need, its stages over time, the actions
taken for it and what came of it."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rules.contrib.models import RulesModel

from clusterdesk.core.models import TenantModel
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import Application
from clusterdesk.support import rules as support_rules
from clusterdesk.support.choices import (
    ActionKind,
    CaseStatus,
    FundingRound,
    Need,
    OutcomeKind,
    Stage,
)


def case_document_path(action: CaseAction, filename: str) -> str:
    return f"support/{action.cluster_id}/cases/{action.case_id}/{filename}"


class SupportCase(TenantModel, RulesModel):
    """A company accompanied by the cluster for one need (confidential, see ``rules``)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="support_cases",
        verbose_name=_("company"),
    )
    title = models.CharField(_("title"), max_length=200)
    need = models.CharField(_("need"), max_length=30, choices=Need.choices)
    description = models.TextField(_("description"), blank=True)
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level (TRL)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    stage_since = models.DateField(_("in this stage since"), default=timezone.localdate)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    satisfaction = models.PositiveSmallIntegerField(
        _("satisfaction (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    satisfaction_comment = models.TextField(_("comment on the support"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("support case")
        verbose_name_plural = _("support cases")
        rules_permissions: ClassVar[dict] = {
            "view": support_rules.can_view_support_case,
            "change": support_rules.can_change_support_case,
        }
        indexes = [
            models.Index(fields=["cluster", "status"], name="support_case_status"),
            models.Index(fields=["cluster", "opened_on"], name="support_case_opened"),
            models.Index(fields=["cluster", "closed_on"], name="support_case_closed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="support_case_closed_after_opened",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_current(self) -> bool:
        return self.status in (CaseStatus.REQUESTED, CaseStatus.OPEN, CaseStatus.ON_HOLD)


class StagePeriod(TenantModel):
    """A stage the company was in while accompanied, from the day it entered it to the day
    it left it (open while it is its stage): the time in each stage and the conversions."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="stage_periods")
    stage = models.CharField(_("stage"), max_length=30, choices=Stage.choices)
    entered_on = models.DateField(_("entered on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        ordering = ["entered_on", "pk"]
        verbose_name = _("stage period")
        verbose_name_plural = _("stage periods")
        indexes = [models.Index(fields=["cluster", "stage"], name="support_stage_period")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} ({self.entered_on})"


class CaseAction(TenantModel):
    """Something done for the case: a meeting, an introduction, a document, a note. Shared
    actions are shown to the company on the portal; the others stay with the cluster and
    the experts on the case."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("kind"), max_length=20, choices=ActionKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    subject = models.CharField(_("subject"), max_length=200)
    detail = models.TextField(_("detail"), blank=True)
    introduced_to = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("introduced to"),
    )
    document = models.FileField(_("document"), upload_to=case_document_path, blank=True)
    shared_with_company = models.BooleanField(_("shown to the company"), default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.subject


class CaseOutcome(TenantModel):
    """What came of the case: funds raised (amount in euros, round, investors), a patent
    filed, a partner found, the company hosted, an application submitted."""

    case = models.ForeignKey(SupportCase, on_delete=models.CASCADE, related_name="outcomes")
    kind = models.CharField(_("kind"), max_length=30, choices=OutcomeKind.choices)
    date = models.DateField(_("date"))
    amount_eur = models.DecimalField(
        _("amount (EUR)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_round = models.CharField(
        _("round"), max_length=20, choices=FundingRound.choices, blank=True
    )
    investors = models.CharField(_("investors"), max_length=300, blank=True)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    partner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("partner"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("application"),
    )
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("case outcome")
        verbose_name_plural = _("case outcomes")
        indexes = [models.Index(fields=["cluster", "kind", "date"], name="support_outcome_kind")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_eur__isnull=True) | models.Q(amount_eur__gte=0),
                name="support_outcome_amount_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.date})"
