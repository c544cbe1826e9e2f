"""Forms of brokerage events: the organiser's settings, slots, partnership types, import,
scheduling and meeting forms; the participant's profile, opportunity, availability,
request and feedback forms. The services check everything again."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterdesk.brokerage.models import (
    Brokerage,
    MeetingFeedback,
    MeetingRequest,
    MeetingSlot,
    Opportunity,
    Participant,
    PartnershipType,
)
from clusterdesk.brokerage.services.participants import PROFILE_FIELDS
from clusterdesk.brokerage.services.setup import SETTINGS_FIELDS
from clusterdesk.core import forms as core_forms
from clusterdesk.projects.models import Application

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"
INPUT_FORMATS = [MOMENT_FORMAT, "%Y-%m-%d %H:%M"]


def _moment(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=INPUT_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT),
    )


class SettingsForm(core_forms.ModelForm):
    class Meta:
        model = Brokerage
        fields = list(SETTINGS_FIELDS)


class SlotsForm(core_forms.Form):
    start = _moment(_("first meeting starts at"))
    end = _moment(_("last meeting ends by"))
    break_start = _moment(_("break from"), required=False)
    break_end = _moment(_("break until"), required=False)

    def breaks(self) -> list[tuple[Any, Any]]:
        data = self.cleaned_data
        if data.get("break_start") and data.get("break_end"):
            return [(data["break_start"], data["break_end"])]
        return []


class PartnershipTypesForm(core_forms.Form):
    types = forms.CharField(
        label=_("partnership types"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One a line: the French name, then “|” and the English name."),
        max_length=5000,
    )

    def names(self) -> list[tuple[str, str]]:
        out = []
        for line in self.cleaned_data["types"].splitlines():
            fr, _sep, en = line.partition("|")
            if fr.strip():
                out.append((fr.strip()[:120], en.strip()[:120]))
        return out


class ImportForm(core_forms.Form):
    file = forms.FileField(
        label=_("file (CSV or XLSX)"),
        help_text=_(
            "Columns: first_name, last_name, email, organisation, description, categories, "
            "website, offer, request."
        ),
    )


class ScheduleForm(core_forms.Form):
    keep_published = forms.BooleanField(
        label=_("keep the published meetings where they are"), required=False
    )
    time_limit_s = forms.FloatField(
        label=_("time limit (seconds)"), min_value=0.1, max_value=600, initial=10
    )


class ProfileForm(core_forms.ModelForm):
    class Meta:
        model = Participant
        fields = list(PROFILE_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class OpportunityForm(core_forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=Opportunity.Kind.choices)
    partnership_type: forms.ModelChoiceField[PartnershipType] = forms.ModelChoiceField(
        label=_("partnership type"), queryset=PartnershipType.objects.none(), required=False
    )
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(
        label=_("description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, brokerage: Brokerage, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["partnership_type"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = PartnershipType.objects.filter(brokerage=brokerage)


class AvailabilityForm(core_forms.Form):
    arrival_at = _moment(_("arrives at"), required=False)
    departure_at = _moment(_("leaves at"), required=False)
    max_meetings = forms.IntegerField(label=_("most meetings"), required=False, min_value=0)
    blocked_slots: forms.ModelMultipleChoiceField[MeetingSlot] = forms.ModelMultipleChoiceField(
        label=_("blocked slots"),
        queryset=MeetingSlot.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, slots: QuerySet[MeetingSlot], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["blocked_slots"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = slots


class RequestForm(core_forms.Form):
    priority = forms.TypedChoiceField(
        label=_("priority"),
        choices=MeetingRequest.Priority.choices,
        coerce=int,
        initial=MeetingRequest.Priority.MEDIUM,
    )
    message = forms.CharField(
        label=_("message"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class FeedbackForm(core_forms.Form):
    stage = forms.ChoiceField(
        label=_("stage"), choices=MeetingFeedback.Stage.choices, widget=forms.HiddenInput
    )
    rating = forms.TypedChoiceField(
        label=_("rating (1 to 5)"),
        choices=[("", "—")] + [(i, str(i)) for i in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )
    outcome = forms.ChoiceField(
        label=_("what became of it"),
        choices=[("", "—"), *MeetingFeedback.Outcome.choices],
        required=False,
    )
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ApplicationLinkForm(core_forms.Form):
    application: forms.ModelChoiceField[Application] = forms.ModelChoiceField(
        label=_("application it led to"), queryset=Application.objects.none(), required=False
    )

    def __init__(self, *args: Any, applications: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = applications
