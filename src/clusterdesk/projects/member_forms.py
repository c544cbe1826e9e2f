"""Forms of the pages that people outside the cluster's team use for applications: the
member portal (the applicants) and the reviewers' pages (the experts).

They only parse and type the input; the services decide (a ``ValidationError`` of a service
lands on the form through ``core.views.apply_service``). Every queryset a choice is made
from is limited to the cluster, and to what the person may choose.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.crm.selectors import (
    organisations_followed,
    organisations_none,
    search_organisations,
)
from clusterdesk.projects.models import (
    Application,
    Call,
    Criterion,
    Partner,
    Review,
)
from clusterdesk.projects.selectors.calls import calls_open

SEARCH_RESULTS = 20


# -- the member portal ---------------------------------------------------------------------


class ApplicationCreateForm(core_forms.Form):
    call: forms.ModelChoiceField[Call] = forms.ModelChoiceField(
        label=_("Call"), queryset=Call.objects.none(), empty_label=None
    )
    coordinator: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Coordinating organisation"), queryset=organisations_none(), empty_label=None
    )
    acronym = forms.CharField(label=_("Acronym"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=255)

    def __init__(
        self, *args: Any, cluster: Cluster, organisations: QuerySet[Organisation], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls_open(cluster)  # type: ignore[attr-defined]
        # Only the organisations the person speaks for may coordinate what they create.
        self.fields["coordinator"].queryset = organisations  # type: ignore[attr-defined]


class PartnerSearchForm(core_forms.Form):
    q = forms.CharField(label=_("Organisation name"), max_length=100, required=False)


class PartnerShareForm(core_forms.Form):
    """A partner's role and share of the budget."""

    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in Partner.Role if r != Partner.Role.COORDINATOR],
    )
    budget_eur = forms.DecimalField(
        label=_("Budget (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    requested_aid_eur = forms.DecimalField(
        label=_("Requested aid (EUR)"), min_value=0, max_digits=14, decimal_places=2
    )
    person_months = forms.DecimalField(
        label=_("Person-months"), min_value=0, max_digits=7, decimal_places=1
    )

    def __init__(self, *args: Any, coordinator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if coordinator:
            # The coordinator stays the coordinator: the portal's rights hang on it.
            del self.fields["role"]


class PartnerAddForm(PartnerShareForm):
    """Add an organisation the cluster follows to the consortium, chosen among those whose
    name matches the search ``q`` (kept in a hidden field, so that a refused form shows the
    same few choices, never the cluster's whole directory)."""

    q = forms.CharField(widget=forms.HiddenInput, required=False)
    organisation: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=organisations_none()
    )
    field_order = ["organisation", "role", "budget_eur", "requested_aid_eur", "person_months"]

    def __init__(
        self, *args: Any, cluster: Cluster, application: Application, q: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].initial = q
        candidates = organisations_followed(cluster=cluster).exclude(
            pk__in=application.partners.values("organisation_id")
        )
        found = list(search_organisations(candidates, q).values_list("pk", flat=True)) if q else []
        self.fields["organisation"].queryset = (  # type: ignore[attr-defined]
            organisations_followed(cluster=cluster).filter(pk__in=found[:SEARCH_RESULTS])
        ).order_by("name")


class InviteForm(core_forms.Form):
    contact: forms.ModelChoiceField[Contact] = forms.ModelChoiceField(
        label=_("Person"), queryset=Contact.objects.none(), widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, contacts: QuerySet[Contact], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = contacts  # type: ignore[attr-defined]
        self.fields["contact"].label_from_instance = (  # type: ignore[attr-defined]
            lambda c: f"{c} — {c.organisation} ({masked_email(c.email)})"
        )


def masked_email(email: str) -> str:
    """Enough of the address to recognise the person, not to write to them: the cluster
    holds it, the coordinator only picks whom to invite."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


class TransitionForm(core_forms.Form):
    """Carries the errors of a submission or a withdrawal, and the applicants' confirmation
    that they submit past the call's rules they do not meet (the service decides)."""

    confirm_eligibility = forms.BooleanField(
        label=_("I have read these problems and submit the application anyway"),
        required=False,
    )


# -- the reviewers ---------------------------------------------------------------------------


def criterion_name(criterion: Criterion) -> str:
    if (get_language() or "fr").startswith("en") and criterion.name_en:
        return criterion.name_en
    return criterion.name


class ConflictForm(core_forms.Form):
    reason = forms.CharField(
        label=_("What is the conflict?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The cluster's team reads it; the applicants do not."),
    )


class ReviewForm(core_forms.Form):
    """A score per criterion of the call (0 to the call's maximum), comments and the
    recommendation; field ``score_<criterion id>`` matches the service's error keys."""

    comments = forms.CharField(
        label=_("Comments"), widget=forms.Textarea(attrs={"rows": 8}), required=False
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *Review.Recommendation.choices],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        score_max: int,
        review: Review | None = None,
        **kwargs: Any,
    ) -> None:
        if review is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "comments": review.comments,
                "recommendation": review.recommendation,
            } | {f"score_{s.criterion_id}": s.score for s in review.scores.all()}
        super().__init__(*args, **kwargs)
        scores = {}
        for criterion in criteria:
            scores[f"score_{criterion.pk}"] = forms.IntegerField(
                label=criterion_name(criterion),
                min_value=0,
                max_value=score_max,
                required=False,
                help_text=_("From 0 to %(max)d, weight %(weight)s.")
                % {"max": score_max, "weight": criterion.weight.normalize()},
            )
        # The scores first, in the call's order.
        self.fields = scores | self.fields
        self.criteria = criteria

    def scores(self) -> dict[int, int]:
        return {
            c.pk: self.cleaned_data[f"score_{c.pk}"]
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }
