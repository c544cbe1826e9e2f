"""Forms of events: the staff's event and category forms, the registration form (public
page and back office), the check-in search and the organisation to confirm."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterdesk.core import forms as core_forms
from clusterdesk.crm.models import Organisation
from clusterdesk.events.models import Event, Registration, RegistrationCategory
from clusterdesk.events.services.events import CATEGORY_FIELDS, EVENT_FIELDS

MOMENT_FORMAT = "%Y-%m-%dT%H:%M"


def _moment_widget() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=MOMENT_FORMAT)


class EventForm(core_forms.ModelForm):
    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_en": forms.Textarea(attrs={"rows": 4}),
            "starts_at": _moment_widget(),
            "ends_at": _moment_widget(),
            "registration_opens_at": _moment_widget(),
            "registration_closes_at": _moment_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        for name in ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at"):
            field = self.fields[name]
            assert isinstance(field, forms.DateTimeField)
            field.input_formats = [MOMENT_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d"]

    def validate_unique(self) -> None:
        """Skipped: the service names the event that already has the address."""


class CategoryForm(core_forms.ModelForm):
    class Meta:
        model = RegistrationCategory
        fields = list(CATEGORY_FIELDS)

    def validate_unique(self) -> None:
        """Skipped: the service checks the name among the event's categories."""


class RegistrationForm(core_forms.Form):
    """Who registers; the category among those offered (the public ones on the public page)."""

    first_name = forms.CharField(label=_("first name"), max_length=100)
    last_name = forms.CharField(label=_("last name"), max_length=100)
    email = forms.CharField(label=_("e-mail"), max_length=254)
    organisation_name = forms.CharField(label=_("organisation"), max_length=255, required=False)
    organisation_identifier = forms.CharField(
        label=_("SIREN, SIRET or VAT number"),
        max_length=20,
        required=False,
        help_text=_("Optional: it finds your organisation's record without a doubt."),
    )
    category: forms.ModelChoiceField[RegistrationCategory] = forms.ModelChoiceField(
        label=_("category"), queryset=RegistrationCategory.objects.none(), required=False
    )

    def __init__(self, *args: Any, categories: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["category"]
        assert isinstance(field, forms.ModelChoiceField)
        if categories is None or not categories.exists():
            del self.fields["category"]
        else:
            field.queryset = categories
            field.required = True
            field.label_from_instance = _category_label  # type: ignore[method-assign,assignment]


def _category_label(category: RegistrationCategory) -> str:
    if category.fee:
        return f"{category.label} — {category.fee:.2f} €".replace(".", ",")
    return str(category.label)


class CheckInSearchForm(core_forms.Form):
    q = forms.CharField(
        label=_("Name, organisation or badge code"),
        max_length=300,
        required=False,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "inputmode": "search"}
        ),
    )


class OrganisationChoiceForm(core_forms.Form):
    """Staff confirm the organisation record of a registrant among the candidates."""

    organisation = forms.ChoiceField(label=_("organisation"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, candidates: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        self.candidates = candidates or []
        field.choices = [(str(o.pk), f"{o} ({o.city or '—'})") for o in self.candidates]

    def clean_organisation(self) -> Organisation | None:
        raw = self.cleaned_data.get("organisation")
        chosen = next((o for o in self.candidates if str(o.pk) == str(raw)), None)
        if chosen is None:
            raise forms.ValidationError(_("Choose one of the organisations proposed."))
        return chosen


class NewOrganisationForm(core_forms.Form):
    """A new organisation record for a registrant when none of the candidates is theirs."""

    name = forms.CharField(label=_("legal name"), max_length=255)
    siren = forms.CharField(label=_("SIREN"), max_length=20, required=False)
    city = forms.CharField(label=_("city"), max_length=120, required=False)


STATUS_CHOICES = [("", _("All")), *Registration.Status.choices]
