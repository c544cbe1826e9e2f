"""The period picker and filters of the dashboards (``?from=…&to=…&domain=…``)."""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.projects.models import Funder

# The oldest year a period may start in, and its longest span: each yearly chart costs one
# query per year, so the period bounds the page's queries.
FIRST_YEAR = 1990
LONGEST_YEARS = 30

D = datetime.date


def this_year() -> tuple[D, D]:
    year = timezone.localdate().year
    return D(year, 1, 1), D(year, 12, 31)


def presets() -> list[tuple[str, D, D]]:
    """The periods offered in one click: this year, last year, the last five years and the
    source document's ten years."""
    year = timezone.localdate().year
    return [
        (str(_("This year")), D(year, 1, 1), D(year, 12, 31)),
        (str(_("Last year")), D(year - 1, 1, 1), D(year - 1, 12, 31)),
        (str(_("Last 5 years")), D(year - 4, 1, 1), D(year, 12, 31)),
        ("2005\u20132015", D(2005, 1, 1), D(2015, 12, 31)),
    ]


class PeriodForm(core_forms.Form):
    """From and to, both included. Unbound data gets the default period."""

    filter_names: tuple[str, ...] = ()

    def __init__(
        self, data: Any = None, *, default: tuple[D, D] | None = None, **kwargs: Any
    ) -> None:
        start, end = default or this_year()
        values = {key: data.get(key, "") for key in data} if data is not None else {}
        if not values.get("from") and not values.get("to"):
            values |= {"from": start.isoformat(), "to": end.isoformat()}
        super().__init__(values, **kwargs)
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        self.fields["from"] = forms.DateField(label=_("From"), widget=date)
        self.fields["to"] = forms.DateField(label=_("To"), widget=date)
        self.order_fields(["from", "to"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("from"), data.get("to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("“To” is before “From”."))
            if start.year < FIRST_YEAR or end.year > 2100:
                raise forms.ValidationError(
                    _("Choose a period between %(first)s and 2100.") % {"first": FIRST_YEAR}
                )
            if end.year - start.year >= LONGEST_YEARS:
                raise forms.ValidationError(
                    _("Choose a period of %(n)s years at most.") % {"n": LONGEST_YEARS}
                )
        return data

    @property
    def start(self) -> D:
        return self.cleaned_data["from"]

    @property
    def end(self) -> D:
        return self.cleaned_data["to"]

    def filters(self) -> dict[str, Any]:
        """The keyword arguments of ``Scope`` besides the clusters and the period."""
        return {}

    def filter_query(self) -> dict[str, str]:
        """The filters as URL parameters (empty ones left out)."""
        return {}

    def query(self, start: D | None = None, end: D | None = None) -> str:
        """This period (or another one) and the filters, as a query string."""
        params = {
            "from": (start or self.start).isoformat(),
            "to": (end or self.end).isoformat(),
        }
        return urlencode(params | self.filter_query())

    def preset_links(self) -> list[tuple[str, str, bool]]:
        """(label, query string, whether it is the chosen period) per preset."""
        chosen = (self.start, self.end) if self.is_valid() else None
        return [
            (
                label,
                urlencode({"from": s.isoformat(), "to": e.isoformat()} | self.filter_query()),
                chosen == (s, e),
            )
            for label, s, e in presets()
        ]


class DashboardForm(PeriodForm):
    """The period and the filters of a cluster's dashboard."""

    domain: forms.ModelChoiceField[Domain] = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.none(), required=False, empty_label=_("Any")
    )
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any")
    )
    funder = forms.ChoiceField(
        label=_("Funder"), required=False, choices=[("", _("Any")), *Funder.choices]
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        required=False,
        choices=[("", _("Any")), *OrganisationKind.choices],
        help_text=_("The coordinator's, for projects; the member's, for members."),
    )

    def __init__(self, data: Any = None, *, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.fields["domain"].queryset = Domain.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.filter(cluster=cluster)  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "domain_id": data["domain"].pk if data.get("domain") else None,
            "theme_id": data["theme"].pk if data.get("theme") else None,
            "funder": data.get("funder") or "",
            "kind": data.get("kind") or "",
        }

    def filter_query(self) -> dict[str, str]:
        if not self.is_valid():
            return {}
        f = self.filters()
        params = {
            "domain": str(f["domain_id"] or ""),
            "theme": str(f["theme_id"] or ""),
            "funder": f["funder"],
            "kind": f["kind"],
        }
        return {k: v for k, v in params.items() if v}
