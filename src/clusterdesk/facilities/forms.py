"""Forms of the innovation centre, for the back office and the member portal. They only
shape input: the services decide (and name) every refusal."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clusterdesk.core import forms as core_forms
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_none
from clusterdesk.facilities.models import ContainmentLevel, Price, Resource, Site
from clusterdesk.projects.models import Application

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]


class ResourceForm(core_forms.ModelForm):
    # Scoped models: the querysets are set per cluster in __init__.
    site: forms.ModelChoiceField[Site] = forms.ModelChoiceField(
        label=_("site"), queryset=None, required=False
    )
    open_days = forms.TypedMultipleChoiceField(
        label=_("open days"),
        choices=DAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3, 4],
    )

    class Meta:
        model = Resource
        fields = [
            "site",
            "name",
            "kind",
            "containment_level",
            "iso_grade",
            "capacity",
            "area_m2",
            "requires_approval",
            "requires_authorisation",
            "bookable",
            "open_days",
            "opens_at",
            "closes_at",
            "min_duration_minutes",
            "max_duration_minutes",
            "lead_time_hours",
            "horizon_days",
            "cancellation_hours",
        ]
        widgets = {"opens_at": TIME, "closes_at": TIME}

    def __init__(self, *args: Any, sites: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def validate_unique(self) -> None:
        """Skipped: the service names the resource that holds the name."""


class BookingForm(core_forms.Form):
    """A booking: the staff name the person (an e-mail); a hosted company's people book
    for themselves, so their form has no person."""

    resource: forms.ModelChoiceField[Resource] = forms.ModelChoiceField(
        label=_("resource"), queryset=None
    )
    person = forms.EmailField(label=_("for (e-mail)"), required=False)
    day = forms.DateField(label=_("day"), widget=DATE)
    start = forms.TimeField(label=_("from"), widget=TIME)
    end = forms.TimeField(label=_("to"), widget=TIME)
    project: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("project"), queryset=None, required=False
    )
    purpose = forms.CharField(label=_("purpose"), max_length=300, required=False)
    repeat_weeks = forms.IntegerField(
        label=_("repeat on the next weeks"),
        min_value=0,
        max_value=51,
        initial=0,
        help_text=_("0: once. The same times on as many more weeks, all or none."),
    )

    def __init__(
        self,
        *args: Any,
        resources: QuerySet[Resource],
        projects: QuerySet[Application],
        for_others: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]
        self.fields["project"].queryset = projects  # type: ignore[attr-defined]
        if not for_others:
            del self.fields["person"]

    def period(self) -> tuple[datetime.datetime, datetime.datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["start"])),
            timezone.make_aware(datetime.datetime.combine(day, self.cleaned_data["end"])),
        )


class AuthorisationForm(core_forms.Form):
    person = forms.EmailField(label=_("person (e-mail of their account)"))
    level = forms.ChoiceField(
        label=_("containment level"),
        choices=[("", "—"), *ContainmentLevel.choices],
        required=False,
    )
    resource: forms.ModelChoiceField[Resource] = forms.ModelChoiceField(
        label=_("or instrument / space"), queryset=None, required=False
    )
    trained_on = forms.DateField(label=_("training date"), widget=DATE, required=False)
    trainer = forms.CharField(label=_("trainer"), max_length=160, required=False)
    valid_from = forms.DateField(label=_("valid from"), widget=DATE)
    valid_until = forms.DateField(label=_("valid until"), widget=DATE)
    evidence = forms.FileField(label=_("evidence (certificate)"), required=False)

    def __init__(self, *args: Any, resources: QuerySet[Resource], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].queryset = resources  # type: ignore[attr-defined]


class RevokeForm(core_forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)


class LeaseForm(core_forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("hosted organisation"), queryset=organisations_none()
    )
    resource: forms.ModelChoiceField[Resource] = forms.ModelChoiceField(
        label=_("space"), queryset=None
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("ends on"), widget=DATE)
    monthly_rent = forms.DecimalField(label=_("monthly rent excl. VAT (€)"), decimal_places=2)
    monthly_charges = forms.DecimalField(
        label=_("monthly charges excl. VAT (€)"), decimal_places=2, initial=0
    )
    notice_months = forms.IntegerField(label=_("notice (months)"), min_value=0, initial=3)

    def __init__(
        self,
        *args: Any,
        organisations: QuerySet[Organisation],
        spaces: QuerySet[Resource],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        self.fields["resource"].queryset = spaces  # type: ignore[attr-defined]


class MonthForm(core_forms.Form):
    month = forms.DateField(
        label=_("month"),
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )


class ConsumableForm(core_forms.Form):
    organisation = forms.ModelChoiceField(label=_("organisation"), queryset=organisations_none())
    date = forms.DateField(label=_("date"), widget=DATE)
    description = forms.CharField(label=_("description"), max_length=200)
    quantity = forms.DecimalField(label=_("quantity"), decimal_places=2)
    unit_price = forms.DecimalField(label=_("unit price excl. VAT (€)"), decimal_places=2)

    def __init__(self, *args: Any, organisations: QuerySet[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class PriceForm(core_forms.Form):
    category = forms.ChoiceField(label=_("user category"), choices=Price.Category.choices)
    unit = forms.ChoiceField(label=_("unit"), choices=Price.Unit.choices)
    amount = forms.DecimalField(
        label=_("price excl. VAT (€)"),
        decimal_places=2,
        required=False,
        help_text=_("Empty: no price in this unit."),
    )


class LeaseActionForm(core_forms.Form):
    """Notice (given on a day) or renewal (until a day)."""

    action = forms.ChoiceField(choices=[("notice", _("notice")), ("renew", _("renewal"))])
    on = forms.DateField(label=_("date"), widget=DATE)
