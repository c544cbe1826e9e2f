"""The support pages' forms: choices narrowed to the cluster's own records (the
organisations it follows, its staff, its experts, its taxonomy)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterdesk.accounts.models import User
from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster, Domain
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import (
    member_organisations,
    organisations_followed,
    organisations_none,
)
from clusterdesk.projects.models import Application
from clusterdesk.support.choices import (
    CaseStatus,
    FundingRound,
    Need,
    OutcomeKind,
    Stage,
)
from clusterdesk.support.models import (
    CaseAction,
    Expert,
    FundingProgramme,
    Mission,
    SupportCase,
)
from clusterdesk.support.selectors.cases import expert_accounts, support_staff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _followed(cluster: Cluster) -> Any:
    return organisations_followed(cluster=cluster).order_by("name", "pk")


class CaseFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), ("current", _("Current")), *list(CaseStatus.choices)],
    )
    need = forms.ChoiceField(
        label=_("need"), required=False, choices=[("", _("All")), *Need.choices]
    )
    stage = forms.ChoiceField(
        label=_("stage"), required=False, choices=[("", _("All")), *Stage.choices]
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False
    )
    year = forms.IntegerField(
        label=_("year opened"), required=False, min_value=1990, max_value=2100
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = support_staff(cluster=cluster)  # type: ignore[attr-defined]


class CaseForm(core_forms.ModelForm):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("company"), queryset=organisations_none()
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("owner"), queryset=User.objects.none(), required=False
    )

    class Meta:
        model = SupportCase
        fields = [
            "organisation",
            "title",
            "need",
            "stage",
            "trl",
            "description",
            "owner",
            "opened_on",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4}), "opened_on": DATE}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every organisation the cluster follows is offered; the service also refuses others.
        self.fields["organisation"].queryset = _followed(cluster)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = support_staff(cluster=cluster)  # type: ignore[attr-defined]
        if self.instance.pk:
            for name in ("organisation", "stage", "opened_on"):
                del self.fields[name]


class CaseRequestForm(core_forms.ModelForm):
    """A member company asks for support (the portal)."""

    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("company"), queryset=organisations_none()
    )

    class Meta:
        model = SupportCase
        fields = ["organisation", "title", "need", "stage", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}
        labels = {"title": _("What do you need help with?")}

    def __init__(self, *args: Any, cluster: Cluster, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        mine = member_organisations(cluster=cluster, user=user).order_by("name", "pk")
        self.fields["organisation"].queryset = mine  # type: ignore[attr-defined]


class MoveForm(core_forms.Form):
    stage = forms.ChoiceField(label=_("stage"), choices=Stage.choices)
    on = forms.DateField(label=_("since"), required=False, widget=DATE)


class StatusForm(core_forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[c for c in CaseStatus.choices if c[0] != CaseStatus.REQUESTED]
    )
    on = forms.DateField(label=_("on"), required=False, widget=DATE)


class RatingForm(core_forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("How satisfied are you with the support?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ActionForm(core_forms.ModelForm):
    introduced_to: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("introduced to"), queryset=organisations_none(), required=False
    )

    class Meta:
        model = CaseAction
        fields = [
            "kind",
            "date",
            "subject",
            "detail",
            "introduced_to",
            "document",
            "shared_with_company",
        ]
        widgets = {"detail": forms.Textarea(attrs={"rows": 3}), "date": DATE}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["introduced_to"].queryset = _followed(cluster)  # type: ignore[attr-defined]


class OutcomeForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=OutcomeKind.choices)
    date = forms.DateField(label=_("date"), widget=DATE)
    amount_eur = forms.DecimalField(
        label=_("amount (EUR)"), required=False, max_digits=14, decimal_places=2
    )
    funding_round = forms.ChoiceField(
        label=_("round"), required=False, choices=[("", "—"), *FundingRound.choices]
    )
    investors = forms.CharField(label=_("investors"), required=False, max_length=300)
    reference = forms.CharField(label=_("reference"), required=False, max_length=120)
    partner: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("partner"), queryset=organisations_none(), required=False
    )
    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("application"), queryset=Application.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, case: SupportCase, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = _followed(case.cluster)  # type: ignore[attr-defined]
        # The applications the company is a partner of.
        self.fields["application"].queryset = Application.objects.filter(  # type: ignore[attr-defined]
            cluster=case.cluster, partners__organisation=case.organisation
        ).distinct()


class MissionForm(core_forms.ModelForm):
    expert: forms.ModelChoiceField[Expert] = forms.ModelChoiceField(
        label=_("expert"), queryset=Expert.objects.none()
    )

    class Meta:
        model = Mission
        fields = ["expert", "title", "start_on", "hours", "cost_eur"]
        widgets = {"start_on": DATE}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(  # type: ignore[attr-defined]
            cluster=cluster, active=True
        )


class MissionReportForm(core_forms.Form):
    report = forms.CharField(label=_("report"), widget=forms.Textarea(attrs={"rows": 8}))
    hours = forms.DecimalField(
        label=_("hours spent"), required=False, max_digits=7, decimal_places=1
    )


class ExpertForm(core_forms.ModelForm):
    user: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Empty for an outside expert without an account."),
    )
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("organisation"), queryset=organisations_none(), required=False
    )
    domains: forms.ModelMultipleChoiceField[Domain] = forms.ModelMultipleChoiceField(
        label=_("domains"),
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Expert
        fields = [
            "user",
            "name",
            "email",
            "organisation",
            "organisation_name",
            "competences",
            "domains",
            "languages",
            "availability",
            "daily_rate_eur",
            "active",
        ]
        widgets = {"competences": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = expert_accounts(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = _followed(cluster)  # type: ignore[attr-defined]
        self.fields["domains"].queryset = Domain.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["name"].required = False

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("name"):
            if data.get("user") is None:
                self.add_error("name", _("Name the expert (or choose their account)."))
            else:
                data["name"] = str(data["user"])
        return data


class AgreementForm(core_forms.Form):
    agreement = forms.FileField(label=_("signed agreement"))
    signed_on = forms.DateField(label=_("signed on"), widget=DATE)
    expires_on = forms.DateField(label=_("expires on"), widget=DATE)


class ConflictForm(core_forms.Form):
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("company"), queryset=organisations_none()
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _followed(cluster)  # type: ignore[attr-defined]


class ProgrammeForm(core_forms.ModelForm):
    url = forms.URLField(label=_("web page"), required=False, max_length=400, assume_scheme="https")
    stages = forms.MultipleChoiceField(
        label=_("stages"),
        choices=Stage.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: any stage."),
    )
    needs = forms.MultipleChoiceField(
        label=_("needs"),
        choices=Need.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None checked: any need."),
    )

    class Meta:
        model = FundingProgramme
        fields = [
            "name",
            "funder",
            "description",
            "stages",
            "needs",
            "min_amount_eur",
            "max_amount_eur",
            "deadline",
            "url",
            "active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "deadline": DATE}
