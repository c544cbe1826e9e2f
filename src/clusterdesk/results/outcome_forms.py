"""Forms of results: declaring an outcome (staff and member portal), its evidence, the
outcome list's filters, the yearly follow-up campaign, and the reports' choices.

They only parse and type the input; they write nothing. What an outcome must say for its
kind is decided by ``results.services.outcome_declare`` (``REQUIRED``): the form shows the
fields of the chosen kind and marks the ones the service requires, and the service's errors
land on the form through ``core.views.apply_service``. Every queryset a choice is made from
is limited to the cluster and to what the person may choose.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_none
from clusterdesk.projects.models import Application
from clusterdesk.results.indicators import REGISTRY
from clusterdesk.results.models import FollowUpCampaign, Outcome
from clusterdesk.results.selectors import labelled_projects
from clusterdesk.results.services import REQUIRED

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
K = Outcome.Kind

# The fields each kind of outcome says something in (beyond the common ones).
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    K.PATENT: ("registry", "reference"),
    K.CLINICAL_TRIAL: ("registry", "reference", "phase"),
    K.PRODUCT: ("ce_marked",),
    K.JOBS: ("fte",),
    K.STARTUP: ("new_organisation",),
    K.FUNDING_RAISED: ("amount_eur", "investors"),
    K.PUBLICATION: ("reference",),
}
COMMON_FIELDS = ("application", "organisation", "date", "title")
EVIDENCE_FIELDS = ("evidence", "evidence_url")
# What the registry and reference fields mean for each kind.
KIND_LABELS: dict[str, dict[str, tuple[Any, Any]]] = {
    K.PATENT: {
        "registry": (_("Patent office"), _("INPI, EPO, USPTO, WIPO …")),
        "reference": (_("Application or publication number"), ""),
        "title": (_("Title of the invention"), ""),
    },
    K.CLINICAL_TRIAL: {
        "registry": (_("Trial registry"), _("ClinicalTrials.gov, CTIS (EU) …")),
        "reference": (_("Trial identifier"), _("NCT…, EU CT …")),
        "title": (_("Title of the trial"), ""),
    },
    K.PUBLICATION: {
        "reference": (_("DOI or reference"), _("e.g. 10.1038/s41586-020-2012-7")),
        "title": (_("Title of the publication"), ""),
    },
    K.JOBS: {
        "organisation": (_("Organisation that hired"), ""),
        "title": (_("Description"), _("e.g. 3 engineers hired for the pilot production")),
    },
    K.STARTUP: {"title": (_("Description"), "")},
    K.FUNDING_RAISED: {"title": (_("Description"), _("e.g. Series A"))},
    K.PRODUCT: {"title": (_("Product or service"), "")},
}
TRIAL_PHASES = [("", "—"), ("I", "I"), ("I/II", "I/II"), ("II", "II"), ("II/III", "II/III")]
TRIAL_PHASES += [("III", "III"), ("IV", "IV")]

EVIDENCE_EXTENSIONS = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".odt", ".ods", ".txt")
EVIDENCE_MAX_BYTES = 20 * 1024 * 1024


class OutcomeKindForm(core_forms.Form):
    """The first step: which kind of outcome (its fields follow)."""

    kind = forms.ChoiceField(label=_("Kind of outcome"), choices=[("", "—"), *K.choices])


class OutcomeForm(core_forms.Form):
    """An outcome of a given kind. ``projects`` is None when the project is fixed (the member
    portal answers for one follow-up request)."""

    # Hundreds of projects and organisations: typed into, with suggestions.
    application = core_forms.SearchableModelChoiceField(
        label=_("Project"), queryset=Application.objects.none(), required=False
    )
    organisation = core_forms.SearchableModelChoiceField(
        label=_("Organisation"), queryset=organisations_none(), required=False
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    title = forms.CharField(label=_("Title"), max_length=255)
    registry = forms.CharField(label=_("Office or registry"), max_length=60, required=False)
    reference = forms.CharField(label=_("Number or identifier"), max_length=80, required=False)
    phase = forms.ChoiceField(label=_("Trial phase"), choices=TRIAL_PHASES, required=False)
    ce_marked = forms.BooleanField(label=_("CE marked"), required=False)
    fte = forms.DecimalField(
        label=_("Jobs (full-time equivalents)"), max_digits=8, decimal_places=1, required=False
    )
    amount_eur = forms.DecimalField(
        label=_("Amount (EUR)"), max_digits=14, decimal_places=2, min_value=0, required=False
    )
    investors = forms.CharField(label=_("Investors"), max_length=255, required=False)
    new_organisation = core_forms.SearchableModelChoiceField(
        label=_("Start-up created"), queryset=organisations_none(), required=False
    )
    evidence = forms.FileField(
        label=_("Evidence (file)"),
        required=False,
        help_text=_("PDF, image or office document, up to 20 MB."),
    )
    evidence_url = forms.URLField(
        label=_("Evidence (link)"), max_length=400, required=False, assume_scheme="https"
    )

    def __init__(
        self,
        *args: Any,
        kind: str,
        projects: QuerySet[Application] | None,
        organisations: QuerySet[Organisation],
        new_organisations: QuerySet[Organisation] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        keep = [*COMMON_FIELDS, *KIND_FIELDS.get(kind, ()), *EVIDENCE_FIELDS]
        if projects is None:
            keep.remove("application")
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        self.order_fields(keep)
        if projects is not None:
            self.fields["application"].queryset = projects  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        if "new_organisation" in self.fields:
            self.fields["new_organisation"].queryset = (  # type: ignore[attr-defined]
                new_organisations if new_organisations is not None else organisations
            )
        for name, (label, help_text) in KIND_LABELS.get(kind, {}).items():
            if name in self.fields:
                self.fields[name].label = label
                self.fields[name].help_text = help_text or self.fields[name].help_text
        # The service decides; the page says beforehand what it will ask for.
        self.kind_required = [n for n in REQUIRED.get(kind, ()) if n in self.fields]
        for name in self.kind_required:
            self.fields[name].widget.attrs["aria-required"] = "true"
        if "fte" in self.fields:
            self.fields["fte"].widget.attrs["min"] = "0.1"

    def clean_evidence(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("evidence")
        if not upload:
            return None
        if not upload.name.lower().endswith(EVIDENCE_EXTENSIONS):
            raise forms.ValidationError(
                _("Send a PDF, an image or an office document (%(kinds)s).")
                % {"kinds": ", ".join(EVIDENCE_EXTENSIONS)}
            )
        if upload.size > EVIDENCE_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        return upload

    def outcome_values(self) -> dict[str, Any]:
        """What ``outcome_declare`` takes: the kind, the fields shown and the file."""
        return {"kind": self.kind, **self.cleaned_data}


class EvidenceForm(core_forms.Form):
    """Add or replace the evidence of an outcome already declared."""

    evidence = OutcomeForm.base_fields["evidence"]
    evidence_url = OutcomeForm.base_fields["evidence_url"]
    clean_evidence = OutcomeForm.clean_evidence

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("evidence") and not data.get("evidence_url"):
            raise forms.ValidationError(_("Send a file or give a link."))
        return data


class OutcomeFilterForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *K.choices], required=False)
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("Any")), *Outcome.State.choices], required=False
    )
    application = core_forms.SearchableModelChoiceField(
        label=_("Project"),
        queryset=Application.objects.none(),
        required=False,
        help_text="",
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100, required=False)

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = labelled_projects(cluster)  # type: ignore[attr-defined]
        self.fields["application"].label_from_instance = lambda a: a.acronym  # type: ignore[attr-defined]

    def filter(self, outcomes: QuerySet[Outcome]) -> QuerySet[Outcome]:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("kind"):
            outcomes = outcomes.filter(kind=data["kind"])
        if data.get("state"):
            outcomes = outcomes.filter(state=data["state"])
        if data.get("application"):
            outcomes = outcomes.filter(application=data["application"])
        if data.get("year"):
            outcomes = outcomes.filter(date__year=data["year"])
        return outcomes


class CampaignOpenForm(core_forms.Form):
    year = forms.IntegerField(
        label=_("Year of the results"),
        min_value=1990,
        max_value=2100,
        help_text=_("Projects declare what they achieved in this year."),
    )
    closes_on = forms.DateField(label=_("Closes on"), widget=DATE)

    @classmethod
    def initial_for(cls, cluster: Cluster) -> dict[str, Any]:
        today = timezone.localdate()
        open_years = set(
            FollowUpCampaign.objects.filter(cluster=cluster).values_list("year", flat=True)
        )
        year = today.year - 1 if today.year - 1 not in open_years else today.year
        return {"year": year, "closes_on": today + datetime.timedelta(days=30)}


# -- reports ------------------------------------------------------------------------------

GROUP_LABELS = {"projects": _("Projects"), "outcomes": _("Outcomes"), "members": _("Members")}


def indicator_choices() -> list[tuple[Any, list[tuple[str, Any]]]]:
    """The registry's indicators, grouped as the registry groups them."""
    groups: dict[str, list[tuple[str, Any]]] = {}
    for name, indicator in REGISTRY.items():
        groups.setdefault(indicator.group, []).append((name, indicator.label))
    return [
        (GROUP_LABELS.get(group, group.capitalize() or _("Other")), choices)
        for group, choices in groups.items()
    ]


def report_years(cluster: Cluster) -> list[int]:
    this_year = timezone.localdate().year
    first = min(cluster.founded_year or this_year - 10, this_year - 1)
    return list(range(this_year, first - 1, -1))


class AnnualReportForm(core_forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        years = report_years(cluster)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["year"].initial = years[1] if len(years) > 1 else years[0]


class CustomReportForm(core_forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=120,
        required=False,
        help_text=_("e.g. Performance contract 2023-2025; “Indicators report” if empty."),
    )
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To (included)"), widget=DATE)
    indicators = forms.MultipleChoiceField(
        label=_("Indicators"), widget=forms.CheckboxSelectMultiple
    )
    lists = forms.BooleanField(
        label=_("Add the lists of projects, outcomes and members behind the figures"),
        required=False,
        help_text=_("Only those you may read; confidential projects stay out of others' hands."),
    )

    MAX_YEARS = 25

    def __init__(self, *args: Any, can_list: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicators"].choices = indicator_choices()  # type: ignore[attr-defined]
        if not can_list:
            del self.fields["lists"]
        year = timezone.localdate().year - 1
        self.fields["start"].initial = datetime.date(year - 2, 1, 1)
        self.fields["end"].initial = datetime.date(year, 12, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif end.year - start.year >= self.MAX_YEARS:
                self.add_error("start", _("Choose at most %(n)d years.") % {"n": self.MAX_YEARS})
        return data


class CampaignProjectForm(core_forms.Form):
    """A labelled project to add to an open campaign (``projects``: those it lacks)."""

    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("Project"), queryset=Application.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, projects: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = projects
