from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from clusterdesk.accounts.models import User
from clusterdesk.audit.selectors import AuditFilter
from clusterdesk.audit.wording import action_words
from clusterdesk.clusters.services import CLUSTER_FIELDS
from clusterdesk.core import forms as core_forms
from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.core.roles import Role


class ClusterForm(core_forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Cluster
        fields = list(CLUSTER_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


class DomainForm(core_forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "name_en", "position"]


class ThemeForm(core_forms.ModelForm):
    class Meta:
        model = Theme
        fields = ["name", "name_en", "since_year", "position"]


class RolesForm(core_forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class InviteForm(RolesForm):
    email = forms.EmailField(label=_("E-mail address"))
    field_order = ["email", "roles"]

    def clean_roles(self) -> list[str]:
        roles = self.cleaned_data["roles"]
        if not roles:
            raise forms.ValidationError(_("Choose at least one role."))
        return roles


class AuditFilterForm(core_forms.Form):
    actor = forms.ModelChoiceField(
        label=_("By"), queryset=User.objects.none(), required=False, empty_label=_("Anyone")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    object_type = forms.ModelChoiceField(
        label=_("Object type"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("Any"),
    )
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self,
        *args: object,
        people: list[User],
        actions: list[str],
        object_types: list[ContentType],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        actor_field = self.fields["actor"]
        assert isinstance(actor_field, forms.ModelChoiceField)
        actor_field.queryset = User.objects.filter(pk__in=[p.pk for p in people])
        # Families ("team") first, then each exact action ("team.invited").
        families = sorted({a.split(".")[0] for a in actions})
        choices = (
            [("", _("Any"))]
            + [(f, action_words(f"{f}.*")) for f in families]
            + sorted(((a, action_words(a)) for a in actions), key=lambda c: c[1])
        )
        self.fields["action"].choices = choices  # type: ignore[attr-defined]
        type_field = self.fields["object_type"]
        assert isinstance(type_field, forms.ModelChoiceField)
        type_field.queryset = ContentType.objects.filter(pk__in=[t.pk for t in object_types])

    def to_filter(self) -> AuditFilter:
        data = self.cleaned_data if self.is_valid() else {}
        actor, ctype = data.get("actor"), data.get("object_type")
        return AuditFilter(
            actor_id=actor.pk if actor else None,
            action=data.get("action") or "",
            content_type_id=ctype.pk if ctype else None,
            object_id=data.get("object_id") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
