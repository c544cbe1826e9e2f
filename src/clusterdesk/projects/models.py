"""Calls, applications (the project's file, confidential), their consortium and documents,
experts and conflicts, reviews, committee sessions and labels, and funding."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from rules.contrib.models import RulesModel

from clusterdesk.core.models import Domain, TenantModel, Theme
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.projects import rules as project_rules

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TRL = [MinValueValidator(1), MaxValueValidator(9)]


def eur(label: StrOrPromise) -> models.DecimalField:
    """An amount in euros, to the cent."""
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=0)


class Funder(models.TextChoices):
    FUI = "fui", _("FUI (State)")
    ANR = "anr", _("ANR")
    REGION = "region", _("Region")
    BPIFRANCE = "bpifrance", _("Bpifrance")
    EU = "eu", _("European Union")
    OTHER = "other", _("Other")


class Call(TenantModel):
    """A labelling call, or an external funding round the cluster prepares projects for."""

    class Kind(models.TextChoices):
        LABELLING = "labelling", _("Labelling call")
        FUNDING_ROUND = "funding_round", _("Funding round")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.LABELLING)
    funder = models.CharField(_("funder"), max_length=20, choices=Funder.choices, blank=True)
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("Empty for a continuous call.")
    )
    min_partners = models.PositiveSmallIntegerField(_("minimum partners"), default=2)
    requires_sme = models.BooleanField(_("at least one SME"), default=True)
    requires_research = models.BooleanField(_("at least one research partner"), default=True)
    domains = models.ManyToManyField(
        Domain,
        blank=True,
        verbose_name=_("eligible domains"),
        help_text=_("Empty: any of the cluster's domains."),
    )
    reviewers_per_application = models.PositiveSmallIntegerField(
        _("reviewers per application"), default=2, validators=[MinValueValidator(1)]
    )
    review_deadline = models.DateField(_("review deadline"), null=True, blank=True)
    score_max = models.PositiveSmallIntegerField(
        _("scores from 0 to"), default=5, validators=[MinValueValidator(1)]
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-opens_on", "title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: object = None) -> bool:
        day = on or timezone.localdate()
        return self.opens_on <= day and (self.closes_on is None or day <= self.closes_on)  # type: ignore[operator]


class Criterion(TenantModel):
    """An evaluation criterion of a call, with its weight in the overall score."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name (French)"), max_length=160)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")

    def __str__(self) -> str:
        return self.name


class Application(TenantModel, RulesModel):
    """A collaborative R&D project submitted for the label: it holds the partners' trade
    secrets, so who may see it is decided by ``projects.rules.can_view_application``."""

    # A context per enumeration: French agrees the word with the noun ("dossier" here,
    # "demande de financement" below), so "Submitted" has two French forms.
    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("application state", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("application state", "Submitted")
        ELIGIBLE = "eligible", pgettext_lazy("application state", "Eligible")
        INELIGIBLE = "ineligible", pgettext_lazy("application state", "Ineligible")
        UNDER_REVIEW = "under_review", pgettext_lazy("application state", "Under review")
        AT_COMMITTEE = "at_committee", pgettext_lazy("application state", "At committee")
        LABELLED = "labelled", pgettext_lazy("application state", "Labelled")
        NOT_LABELLED = "not_labelled", pgettext_lazy("application state", "Not labelled")
        REVISE = "revise", pgettext_lazy("application state", "Revise and resubmit")
        WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")

    class ProjectStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        RUNNING = "running", _("Running")
        COMPLETED = "completed", _("Completed")
        ABANDONED = "abandoned", _("Abandoned")

    call = models.ForeignKey(
        Call, on_delete=models.PROTECT, related_name="applications", verbose_name=_("call")
    )
    acronym = models.CharField(_("acronym"), max_length=40)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary (French)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    domains = models.ManyToManyField(Domain, blank=True, verbose_name=_("domains"))
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    trl_start = models.PositiveSmallIntegerField(
        _("TRL at start"), null=True, blank=True, validators=TRL
    )
    trl_target = models.PositiveSmallIntegerField(
        _("target TRL"), null=True, blank=True, validators=TRL
    )
    duration_months = models.PositiveSmallIntegerField(
        _("duration (months)"), null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    state_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    committee_session = models.ForeignKey(
        "CommitteeSession",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda",
        verbose_name=_("committee session"),
    )
    label_number = models.CharField(_("label number"), max_length=30, blank=True)
    label_date = models.DateField(_("label date"), null=True, blank=True)
    # Printed on the certificate; the public verification page looks it up.
    label_code = models.CharField(
        _("verification code"), max_length=16, null=True, blank=True, unique=True
    )
    project_status = models.CharField(
        _("project status"),
        max_length=12,
        choices=ProjectStatus.choices,
        default=ProjectStatus.NOT_STARTED,
    )
    start_date = models.DateField(_("project start"), null=True, blank=True)
    end_date = models.DateField(_("project end"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        rules_permissions: ClassVar[dict] = {
            "view": project_rules.can_view_application,
            "change": project_rules.can_change_application,
            "review": project_rules.can_review_application,
        }
        indexes = [
            models.Index(fields=["cluster", "state"], name="application_state"),
            # The indicators count applications by submission and decision time.
            models.Index(fields=["cluster", "submitted_at"], name="application_submitted"),
            models.Index(fields=["cluster", "decided_at"], name="application_decided"),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} — {self.title}"

    @staticmethod
    def new_label_code() -> str:
        return secrets.token_hex(6).upper()


class Partner(TenantModel):
    """An organisation of the consortium, with its share of the budget and of the aid."""

    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        SUBCONTRACTOR = "subcontractor", _("Subcontractor")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=15, choices=Role.choices, default=Role.PARTNER)
    budget_eur = eur(_("budget (EUR)"))
    requested_aid_eur = eur(_("requested aid (EUR)"))
    person_months = models.DecimalField(
        _("person-months"), max_digits=7, decimal_places=1, default=0
    )
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact"),
    )

    class Meta:
        ordering = ["role", "organisation__name"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "organisation"], name="partner_once_per_application"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_role_display()})"


def document_path(document: ApplicationDocument, filename: str) -> str:
    # Stored per cluster and application, served only through a permission-checked view.
    return f"clusters/{document.cluster_id}/applications/{document.application_id}/{filename}"


class ApplicationDocument(TenantModel):
    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Full proposal")
        BUDGET = "budget", _("Budget")
        LETTER = "letter", _("Letter of support")
        OTHER = "other", _("Other")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.OTHER)
    file = models.FileField(_("file"), upload_to=document_path)
    name = models.CharField(_("name"), max_length=200)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.name


class ExpertProfile(TenantModel):
    """An expert of the cluster's network: what they know and how much they can review."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_profiles",
        verbose_name=_("person"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("affiliation"),
    )
    competences = models.TextField(_("competences"), blank=True)
    domains = models.ManyToManyField(Domain, blank=True, verbose_name=_("domains"))
    languages = models.CharField(_("languages"), max_length=20, default="fr,en")
    max_load = models.PositiveSmallIntegerField(_("maximum reviews per call"), default=5)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        constraints = [
            models.UniqueConstraint(fields=["cluster", "user"], name="one_profile_per_expert"),
        ]

    def __str__(self) -> str:
        return str(self.user)


class Conflict(TenantModel):
    """A conflict of interest declared by the expert or recorded by staff (automatic ones,
    from the organisations, are computed by ``selectors.conflicts_of``)."""

    class Source(models.TextChoices):
        DECLARED = "declared", _("Declared by the expert")
        STAFF = "staff", _("Recorded by staff")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="conflicts")
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="conflicts")
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
            models.UniqueConstraint(fields=["application", "expert"], name="conflict_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} / {self.application.acronym}"


class ReviewAssignment(TenantModel):
    """An expert asked to review an application; they see it once they declare no conflict."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    expert = models.ForeignKey(ExpertProfile, on_delete=models.CASCADE, related_name="assignments")
    affinity = models.FloatField(_("affinity"), default=0)
    # Why the matcher proposed the pair: {"terms": [...], "domains": [...], "text": "..."}
    # (solvers.matching.Explanation: shared terms, shared domains, the closest competence).
    affinity_why = models.JSONField(_("why this expert"), default=dict, blank=True)
    locked = models.BooleanField(_("kept by staff"), default=False)
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    no_conflict_declared_at = models.DateTimeField(
        _("no conflict declared at"), null=True, blank=True
    )
    reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    # A conflict declared once the review was submitted: the review is kept (it is part of
    # the file) and staff see the flag; they decide whether it still counts.
    late_conflict_at = models.DateTimeField(
        _("conflict declared after reviewing"), null=True, blank=True
    )
    late_conflict_reason = models.TextField(_("late conflict reason"), blank=True)

    class Meta:
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(fields=["application", "expert"], name="assignment_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} → {self.application.acronym}"


class Review(TenantModel):
    class Recommendation(models.TextChoices):
        LABEL = "label", _("Label the project")
        REVISE = "revise", _("Revise and resubmit")
        REJECT = "reject", _("Do not label")

    assignment = models.OneToOneField(
        ReviewAssignment, on_delete=models.CASCADE, related_name="review"
    )
    comments = models.TextField(_("comments"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=10, choices=Recommendation.choices, blank=True
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return str(self.assignment)


class ReviewScore(TenantModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
        ]


class CommitteeSession(TenantModel):
    """A meeting of the labelling committee: its members and its agenda of applications."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("committee members")
    )
    minutes = models.TextField(_("minutes notes"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("committee session")
        verbose_name_plural = _("committee sessions")

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d/%m/%Y})"


class FundingApplication(TenantModel):
    """A request for public funding of a labelled project, with its decision."""

    class Status(models.TextChoices):
        PREPARING = "preparing", pgettext_lazy("funding status", "Preparing")
        SUBMITTED = "submitted", pgettext_lazy("funding status", "Submitted")
        GRANTED = "granted", pgettext_lazy("funding status", "Granted")
        REFUSED = "refused", pgettext_lazy("funding status", "Refused")
        WITHDRAWN = "withdrawn", pgettext_lazy("funding status", "Withdrawn")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fundings")
    funder = models.CharField(_("funder"), max_length=20, choices=Funder.choices)
    programme = models.CharField(
        _("programme"),
        max_length=120,
        blank=True,
        help_text=_("e.g. FUI round 14, ANR PRCE, Horizon Europe"),
    )
    reference = models.CharField(_("reference"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PREPARING
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_on", "pk"]
        indexes = [models.Index(fields=["application", "status"], name="funding_status")]
        verbose_name = _("funding application")
        verbose_name_plural = _("funding applications")

    def __str__(self) -> str:
        return f"{self.get_funder_display()} {self.programme}".strip()


class FundingLine(TenantModel):
    """One partner's amounts in a funding application."""

    funding = models.ForeignKey(FundingApplication, on_delete=models.CASCADE, related_name="lines")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="funding_lines")
    requested_eur = eur(_("requested (EUR)"))
    granted_eur = eur(_("granted (EUR)"))

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")
        constraints = [
            models.UniqueConstraint(fields=["funding", "partner"], name="funding_line_once"),
        ]


class CommitteeConflict(TenantModel):
    """A committee member's own declaration of a conflict of interest with an application of
    their session: from then on they neither read its file and reviews nor take part in its
    decision (the minutes say so)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="committee_conflicts"
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("committee member"),
    )
    reason = models.TextField(_("reason"))
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("committee member's conflict of interest")
        verbose_name_plural = _("committee members' conflicts of interest")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="committee_conflict_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.application.acronym}"
