"""Every form checks people's input once (``core.forms.CheckedInputMixin``): control
characters, over-long text and absurd dates are errors on their field."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.urls import reverse
from django_scopes import scopes_disabled

import clusterdesk
from clusterdesk.core.forms import CheckedInputMixin, Form
from clusterdesk.core.inputs import MAX_TEXT_LENGTH
from clusterdesk.crm.models import Organisation
from clusterdesk.projects.models import Call
from tests.conftest import Tenant, client_for
from tests.factories import follow


def _project_forms() -> list[type[forms.BaseForm]]:
    for module in pkgutil.walk_packages(clusterdesk.__path__, "clusterdesk."):
        if ".migrations" not in module.name and ".management" not in module.name:
            importlib.import_module(module.name)
    found: list[type[forms.BaseForm]] = []
    pending: list[type[Any]] = [forms.BaseForm]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if cls.__module__.startswith("clusterdesk.") and cls.__module__ != "clusterdesk.core.forms":
            found.append(cls)
    return found


def test_every_form_of_the_project_checks_its_input() -> None:
    found = _project_forms()
    assert len(found) > 40
    unchecked = [
        f"{f.__module__}.{f.__qualname__}" for f in found if not issubclass(f, CheckedInputMixin)
    ]
    assert not unchecked, f"derive these forms from core.forms.Form/ModelForm: {unchecked}"


class NoteForm(Form):
    text = forms.CharField(required=False)
    items = forms.MultipleChoiceField(choices=[("a\x07", "bell"), ("b", "b")], required=False)
    on = forms.DateField(required=False)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"text": "nul\x00"}, "text"),  # Django's own NUL check
        ({"text": "bell\x07"}, "text"),
        ({"text": "esc\x1b[31m"}, "text"),
        ({"items": ["a\x07"]}, "items"),
        ({"text": "x" * (MAX_TEXT_LENGTH + 1)}, "text"),
        ({"on": "0001-01-01"}, "on"),
        ({"on": "9999-12-31"}, "on"),
    ],
)
def test_form_refuses_bad_input_on_its_field(data: dict[str, Any], field: str) -> None:
    form = NoteForm(data)
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_form_accepts_tabs_line_breaks_and_sane_dates() -> None:
    form = NoteForm({"text": "a\tb\r\nc", "on": "2026-03-01", "items": ["b"]})
    assert form.is_valid(), form.errors


def test_organisation_page_refuses_a_control_character_and_a_megabyte(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = follow(tenant_a.cluster, name="Vetopharm")
    client = client_for(tenant_a.director)
    edit = reverse("members:organisation_edit", args=[tenant_a.cluster.slug, org.pk])
    base = {"name": "Vetopharm", "kind": "startup", "country": "FR"}
    nul = client.post(edit, {**base, "name": "Veto\x00pharm"})
    assert nul.status_code == 400 and "name" in nul.context["form"].errors
    big = client.post(edit, {**base, "description": "x" * 1_000_000})
    assert big.status_code == 400 and "description" in big.context["form"].errors
    org.refresh_from_db()
    assert org.name == "Vetopharm" and org.description == ""
    assert Organisation.objects.instance_wide().count() == 1


def test_call_page_refuses_a_call_closing_in_year_one(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.director)
    fields = {
        "call-title": "Appel 2026",
        "call-kind": "labelling",
        "call-funder": "fui",
        "call-opens_on": "2026-01-01",
        "call-closes_on": "0001-01-01",
        "call-min_partners": 2,
        "call-reviewers_per_application": 2,
        "call-score_max": 5,
    }
    create = reverse("labelling:call_create", args=[tenant_a.cluster.slug])
    response = client.post(create, fields)
    assert response.status_code == 400 and "closes_on" in response.context["form"].errors
    with scopes_disabled():
        assert not Call.objects.exists()
