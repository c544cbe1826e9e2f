"""Forms of the staff's labelling pages. They only parse input: every rule (dates, amounts,
transitions, conflicts) is the services' to check, and their errors come back through
``core.views.apply_service``. Choices are limited to the cluster's own rows."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterdesk.accounts.models import User
from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_none
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Call,
    CommitteeSession,
    Criterion,
    ExpertProfile,
    FundingApplication,
    Partner,
)
from clusterdesk.projects.selectors.committee import sessions_upcoming
from clusterdesk.projects.selectors.people import followed_organisations, people_with_role
from clusterdesk.projects.selectors.reviews import assignable_applications, experts_of_cluster
from clusterdesk.projects.services.applications import ALLOWED_DOCUMENTS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
APPLICATION_VALUES = (
    "acronym",
    "title",
    "summary",
    "summary_en",
    "trl_start",
    "trl_target",
    "duration_months",
)


def _domains(label: Any, help_text: Any = "") -> forms.ModelMultipleChoiceField[Domain]:
    # Declared, not generated: a ModelForm would query the scoped model at import time.
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


def _taxonomy(cluster: Cluster, form: forms.BaseForm) -> None:
    """Limit the domain and theme choices to the cluster's own taxonomy."""
    if "domains" in form.fields:
        form.fields["domains"].queryset = Domain.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
    if "themes" in form.fields:
        form.fields["themes"].queryset = Theme.objects.filter(cluster=cluster)  # type: ignore[attr-defined]


class CallForm(core_forms.ModelForm):
    domains = _domains(_("eligible domains"), _("Empty: any of the cluster's domains."))

    class Meta:
        model = Call
        fields = [
            "title",
            "kind",
            "funder",
            "reference",
            "description",
            "opens_on",
            "closes_on",
            "min_partners",
            "requires_sme",
            "requires_research",
            "domains",
            "reviewers_per_application",
            "review_deadline",
            "score_max",
        ]
        widgets = {
            "opens_on": DATE,
            "closes_on": DATE,
            "review_deadline": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _taxonomy(cluster, self)


class CriterionForm(core_forms.ModelForm):
    class Meta:
        model = Criterion
        fields = ["name", "name_en", "weight"]


class ApplicationForm(core_forms.ModelForm):
    """The file's facts; on creation also its call and coordinating organisation."""

    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("call"), queryset=Call.objects.none()
    )
    coordinator: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("coordinator"),
        queryset=organisations_none(),
        help_text=_("An organisation the cluster follows; add it to the members first."),
    )
    domains = _domains(_("domains"))
    themes: forms.ModelMultipleChoiceField[Theme] = forms.ModelMultipleChoiceField(
        label=_("themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Application
        fields = [*APPLICATION_VALUES, "domains", "themes"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 6}),
            "summary_en": forms.Textarea(attrs={"rows": 6}),
            "trl_start": forms.NumberInput(attrs={"min": 1, "max": 9}),
            "trl_target": forms.NumberInput(attrs={"min": 1, "max": 9}),
            "duration_months": forms.NumberInput(attrs={"min": 1}),
        }

    def __init__(self, *args: Any, cluster: Cluster, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _taxonomy(cluster, self)
        if creating:
            self.fields["call"].queryset = Call.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
            self.fields["coordinator"].queryset = followed_organisations(cluster=cluster)  # type: ignore[attr-defined]
            self.order_fields(["call", "coordinator"])
        else:
            del self.fields["call"], self.fields["coordinator"]


class PartnerForm(core_forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("organisation"), queryset=organisations_none()
    )

    class Meta:
        model = Partner
        fields = ["organisation", "role", "budget_eur", "requested_aid_eur", "person_months"]

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = followed_organisations(cluster=cluster)  # type: ignore[attr-defined]
        if self.instance.pk:
            # A partner's organisation does not change: remove it and add the other one.
            self.fields["organisation"].disabled = True


class DocumentForm(core_forms.Form):
    """A document of the file, for staff and members alike (``document_add`` checks the
    type and the size)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=ApplicationDocument.Kind.choices)
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(sorted(ALLOWED_DOCUMENTS))}),
        help_text=_("PDF, office document or image, 20 MB at most."),
    )


class TransitionForm(core_forms.Form):
    """Move an application to one state; the reason goes to the applicants."""

    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicants read it."),
    )
    session: forms.ModelChoiceField[CommitteeSession] = forms.ModelChoiceField(
        label=_("committee session"), queryset=CommitteeSession.objects.none(), required=False
    )

    confirm_eligibility = forms.BooleanField(
        label=_("Submit it although it does not meet every rule of the call"),
        required=False,
    )

    def __init__(self, *args: Any, cluster: Cluster, to: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if to != Application.State.SUBMITTED:
            del self.fields["confirm_eligibility"]
        if to == Application.State.AT_COMMITTEE:
            # Only the sessions still to be held: an application goes before a coming one.
            self.fields["session"].queryset = sessions_upcoming(cluster=cluster)  # type: ignore[attr-defined]
        else:
            del self.fields["session"]


class DecisionForm(core_forms.Form):
    """The committee's decision on one application of its agenda."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (s.value, s.label)
            for s in (
                Application.State.LABELLED,
                Application.State.NOT_LABELLED,
                Application.State.REVISE,
            )
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Motivation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the applicants with the decision."),
    )


class ProjectForm(core_forms.Form):
    status = forms.ChoiceField(label=_("project status"), choices=Application.ProjectStatus.choices)
    start_date = forms.DateField(label=_("project start"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("project end"), required=False, widget=DATE)


class FundingForm(core_forms.ModelForm):
    """A funding application with one requested and one granted amount per partner."""

    class Meta:
        model = FundingApplication
        fields = ["funder", "programme", "reference", "status", "submitted_on", "decided_on"]
        widgets = {"submitted_on": DATE, "decided_on": DATE}

    def __init__(self, *args: Any, partners: list[Partner], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.partners = partners
        lines = {}
        if self.instance.pk:
            lines = {line.partner_id: line for line in self.instance.lines.all()}
        for p in partners:
            line = lines.get(p.pk)
            self.fields[f"requested_{p.pk}"] = forms.DecimalField(
                label=_("%(org)s: requested (EUR)") % {"org": p.organisation},
                min_value=Decimal(0),
                decimal_places=2,
                initial=line.requested_eur if line else Decimal(0),
            )
            self.fields[f"granted_{p.pk}"] = forms.DecimalField(
                label=_("%(org)s: granted (EUR)") % {"org": p.organisation},
                min_value=Decimal(0),
                decimal_places=2,
                initial=line.granted_eur if line else Decimal(0),
            )
        self.fields["confirm_above_requested"] = forms.BooleanField(
            label=_("I confirm the amounts granted above the amounts requested"),
            required=False,
        )

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def confirmed_above_requested(self) -> bool:
        return bool(self.cleaned_data.get("confirm_above_requested"))

    def lines(self) -> dict[int, tuple[Decimal, Decimal]]:
        return {
            p.pk: (self.cleaned_data[f"requested_{p.pk}"], self.cleaned_data[f"granted_{p.pk}"])
            for p in self.partners
        }


class SessionForm(core_forms.ModelForm):
    members: forms.ModelMultipleChoiceField[User] = forms.ModelMultipleChoiceField(
        label=_("committee members"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People with the committee member role in the cluster."),
    )

    class Meta:
        model = CommitteeSession
        fields = ["title", "date", "location", "members", "minutes"]
        widgets = {"date": DATE, "minutes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = people_with_role(  # type: ignore[attr-defined]
            cluster=cluster, role=Role.COMMITTEE_MEMBER
        )


class ExpertForm(core_forms.ModelForm):
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("person"),
        queryset=User.objects.none(),
        help_text=_("People with the expert role who have no profile yet."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("affiliation"), queryset=organisations_none(), required=False
    )
    domains = _domains(_("domains"))

    class Meta:
        model = ExpertProfile
        fields = ["user", "organisation", "competences", "domains", "languages", "max_load"]
        widgets = {
            "competences": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _taxonomy(cluster, self)
        self.fields["organisation"].queryset = followed_organisations(cluster=cluster)  # type: ignore[attr-defined]
        if self.instance.pk:
            del self.fields["user"]
        else:
            profiled = ExpertProfile.objects.filter(cluster=cluster).values("user_id")
            self.fields["user"].queryset = people_with_role(  # type: ignore[attr-defined]
                cluster=cluster, role=Role.EXPERT
            ).exclude(pk__in=profiled)


class AssignmentForm(core_forms.Form):
    """Staff pick an expert for an application by hand."""

    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("application"), queryset=Application.objects.none()
    )
    expert: forms.ModelChoiceField[ExpertProfile] = forms.ModelChoiceField(
        label=_("expert"), queryset=ExpertProfile.objects.none()
    )
    locked = forms.BooleanField(
        label=_("Keep this pair when the proposal runs again"), required=False, initial=True
    )

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = assignable_applications(call=call)  # type: ignore[attr-defined]
        self.fields["expert"].queryset = experts_of_cluster(cluster=call.cluster)  # type: ignore[attr-defined]


class ConflictForm(core_forms.Form):
    """A conflict of interest staff know of; the expert's assignment to it goes."""

    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("application"), queryset=Application.objects.none()
    )
    expert: forms.ModelChoiceField[ExpertProfile] = forms.ModelChoiceField(
        label=_("expert"), queryset=ExpertProfile.objects.none()
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, call: Call, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = call.applications.exclude(  # type: ignore[attr-defined]
            state__in=[Application.State.DRAFT, Application.State.WITHDRAWN]
        ).order_by("acronym")
        self.fields["expert"].queryset = experts_of_cluster(cluster=call.cluster)  # type: ignore[attr-defined]


class ApplicationSearchForm(core_forms.Form):
    """The staff's search over applications: a text, a state, a call."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Acronym, title, label number or a partner's name"),
    )
    state = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("Any")), *Application.State.choices]
    )
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.none(), required=False, empty_label=_("Any")
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = Call.objects.filter(cluster=cluster).order_by(  # type: ignore[attr-defined]
            "-opens_on", "-pk"
        )
