"""Forms of the CRM, for the back office and the member portal."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from clusterdesk.accounts.models import User
from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster, ClusterRole, Domain, Market, Theme
from clusterdesk.core.roles import STAFF_ROLES
from clusterdesk.crm.geography import DEPARTEMENTS
from clusterdesk.crm.importing.tabular import TableError, check_upload
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import (
    Contact,
    FeeRule,
    ImportMapping,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
)
from clusterdesk.crm.selectors import SORTS, OrganisationFilter, import_mappings
from clusterdesk.crm.services.contacts import CONTACT_FIELDS
from clusterdesk.crm.services.interactions import INTERACTION_FIELDS
from clusterdesk.crm.services.memberships import FEE_FIELDS, MEMBERSHIP_FIELDS
from clusterdesk.crm.services.organisations import ORGANISATION_FIELDS, PORTAL_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganisationForm(core_forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Organisation
        fields = list(ORGANISATION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Identifiers are checked (and uniqueness reported) by the service.
        for name in ("siren", "siret", "vat", "ror", "foreign_id"):
            self.fields[name].validators = []

    def validate_unique(self) -> None:
        """Skipped: the service checks the identifiers across the instance and names the
        organisation that holds one (the form could only read the cluster's own)."""


class PortalOrganisationForm(OrganisationForm):
    class Meta(OrganisationForm.Meta):
        fields = list(PORTAL_FIELDS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        forms.ModelForm.__init__(self, *args, **kwargs)


def _team(cluster: Cluster) -> Any:
    staff = ClusterRole.objects.filter(cluster=cluster, role__in=STAFF_ROLES).values("user_id")
    return User.objects.filter(pk__in=staff)


class RelationshipForm(core_forms.Form):
    domains: forms.ModelMultipleChoiceField[Domain] = forms.ModelMultipleChoiceField(
        label=_("Strategic domains"),
        queryset=Domain.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes: forms.ModelMultipleChoiceField[Theme] = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    markets: forms.ModelMultipleChoiceField[Market] = forms.ModelMultipleChoiceField(
        label=_("Markets"),
        queryset=Market.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    owner: forms.ModelChoiceField[User] = forms.ModelChoiceField(
        label=_("Followed by"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domains"].queryset = Domain.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["themes"].queryset = Theme.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["markets"].queryset = Market.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["owner"].queryset = _team(cluster)  # type: ignore[attr-defined]


class MembershipForm(core_forms.ModelForm):
    # Scoped models: the querysets are set per cluster in __init__.
    category: forms.ModelChoiceField[MembershipCategory] = forms.ModelChoiceField(
        label=_("category"), queryset=MembershipCategory.objects.none(), required=False
    )
    representative: forms.ModelChoiceField[Contact] = forms.ModelChoiceField(
        label=_("representative"), queryset=Contact.objects.none(), required=False
    )

    class Meta:
        model = Membership
        fields = list(MEMBERSHIP_FIELDS)  # what the service writes, no more
        widgets = {
            "fee_called_on": DATE,
            "fee_paid_on": DATE,
            "resignation_reason": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(
        self,
        *args: Any,
        cluster: Cluster,
        organisation: Organisation,
        can_manage_fees: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = MembershipCategory.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["representative"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            cluster=cluster, organisation=organisation, anonymised_at=None
        )
        if not can_manage_fees:
            # Not shown: only finance sets them. They stay as hidden fields so that the page
            # passes a changed one to the service, which refuses it as the API does.
            for name in FEE_FIELDS:
                self.fields[name].widget = forms.HiddenInput()

    def values(self) -> dict[str, Any]:
        """The cleaned values for the membership services: the fee fields only when the
        person changed them (an untouched one is not a write of it)."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in FEE_FIELDS or name in self.changed_data
        }


class ContactForm(core_forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)


class InteractionForm(core_forms.ModelForm):
    contacts: forms.ModelMultipleChoiceField[Contact] = forms.ModelMultipleChoiceField(
        label=_("people met"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Interaction
        fields = [*INTERACTION_FIELDS, "contacts"]
        widgets = {
            "date": DATE,
            "next_action_due": DATE,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "contacts": forms.CheckboxSelectMultiple,
        }

    def __init__(
        self, *args: Any, cluster: Cluster, organisation: Organisation, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Contact.objects.filter(  # type: ignore[attr-defined]
            cluster=cluster, organisation=organisation, anonymised_at=None
        )


class PaymentForm(core_forms.Form):
    amount = forms.DecimalField(label=_("Amount paid (EUR)"), min_value=0, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=DATE, initial=datetime.date.today)


class MembershipCategoryForm(core_forms.ModelForm):
    class Meta:
        model = MembershipCategory
        fields = ["name", "name_en", "voting_right", "position"]


class FeeRuleForm(core_forms.ModelForm):
    category: forms.ModelChoiceField[MembershipCategory] = forms.ModelChoiceField(
        label=_("category"), queryset=MembershipCategory.objects.none()
    )

    class Meta:
        model = FeeRule
        fields = ["category", "kind", "min_headcount", "max_headcount", "amount"]

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = MembershipCategory.objects.filter(cluster=cluster)  # type: ignore[attr-defined]


class ImportForm(core_forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "UTF-8 or Windows-1252, separated by commas, semicolons or tabs; headers "
            "in French or English."
        ),
    )
    mapping = forms.CharField(
        label=_("Column mapping"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "name=Raison sociale"}),
        help_text=_("Optional, one field=column per line, when a header is not recognised."),
    )
    strict = forms.BooleanField(
        label=_("Refuse the whole file if any row is rejected"), required=False
    )
    saved_mapping: forms.ModelChoiceField[ImportMapping] = forms.ModelChoiceField(
        label=_("Saved mapping"),
        queryset=ImportMapping.objects.none(),
        required=False,
        help_text=_("The columns and kinds saved from an earlier file of the same kind."),
    )

    MAX_BYTES = 50 * 1024 * 1024

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = import_mappings(cluster=cluster)
        if saved.exists():
            self.fields["saved_mapping"].queryset = saved  # type: ignore[attr-defined]
        else:
            del self.fields["saved_mapping"]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not name.endswith((".csv", ".txt", ".tsv", ".xlsx")):
            raise forms.ValidationError(_("Send a .csv, .tsv, .txt or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 50 MB."))
        # The import reads the file again (read_table), but a bomb is refused at once.
        try:
            check_upload(upload)
        except TableError as error:
            raise forms.ValidationError(str(error)) from error
        return upload

    def mapping_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["mapping"].splitlines() if line.strip()]

    def saved_columns(self) -> dict[str, str]:
        saved = self.cleaned_data.get("saved_mapping")
        return dict(saved.columns) if saved is not None else {}

    def saved_kinds(self) -> dict[str, str]:
        saved = self.cleaned_data.get("saved_mapping")
        return dict(saved.kinds) if saved is not None else {}


class OrganisationFilterForm(core_forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.MultipleChoiceField(
        label=_("Kind"),
        choices=OrganisationKind.choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    sme = forms.NullBooleanField(
        label=_("SME"),
        required=False,
        widget=forms.Select(
            choices=[("", _("Any")), ("true", _("SMEs")), ("false", _("Not SMEs"))]
        ),
    )
    domain: forms.ModelChoiceField[Domain] = forms.ModelChoiceField(
        label=_("Domain"), queryset=Domain.objects.none(), required=False, empty_label=_("Any")
    )
    theme: forms.ModelChoiceField[Theme] = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.none(), required=False, empty_label=_("Any")
    )
    market: forms.ModelChoiceField[Market] = forms.ModelChoiceField(
        label=_("Market"), queryset=Market.objects.none(), required=False, empty_label=_("Any")
    )
    membership_status = forms.ChoiceField(
        label=_("Membership"),
        required=False,
        choices=[("", _("Any")), *Membership.Status.choices],
    )
    membership_year = forms.IntegerField(
        label=_("Year"), required=False, min_value=1990, max_value=2100
    )
    departement = forms.ChoiceField(label=_("Département"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("name", _("Name")),
            ("-name", _("Name (Z to A)")),
            ("city", _("City")),
            ("kind", _("Kind")),
            ("-created", _("Most recent")),
        ],
    )

    def __init__(self, *args: Any, cluster: Cluster, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = Domain.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["theme"].queryset = Theme.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["market"].queryset = Market.objects.filter(cluster=cluster)  # type: ignore[attr-defined]
        self.fields["departement"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (code, f"{code} — {name}") for code, (name, _region) in DEPARTEMENTS.items()
        ]

    def to_filter(self) -> OrganisationFilter:
        data = self.cleaned_data if self.is_valid() else {}

        def pk(name: str) -> int | None:
            return data[name].pk if data.get(name) else None

        return OrganisationFilter(
            q=data.get("q") or "",
            kinds=tuple(data.get("kind") or ()),
            sme=data.get("sme"),
            domain_id=pk("domain"),
            theme_id=pk("theme"),
            market_id=pk("market"),
            membership_status=data.get("membership_status") or "",
            membership_year=data.get("membership_year"),
            departement=data.get("departement") or "",
            sort=str(data["sort"]) if data.get("sort") in SORTS else "name",
        )


class CreditNoteForm(core_forms.Form):
    reason = forms.CharField(label=_("Why is the invoice cancelled?"), max_length=300)


class RenewalFilterForm(core_forms.Form):
    """The renewal page's filter over the year's memberships."""

    q = forms.CharField(label=_("Organisation"), required=False)
    fee_state = forms.ChoiceField(
        label=_("Fee"),
        required=False,
        choices=[
            ("", _("Any")),
            ("to_call", _("Not called yet")),
            ("called", _("Called, unpaid")),
            ("unpaid_reminded", _("Reminded, unpaid")),
            ("paid", _("Paid")),
        ],
    )
