"""Every API input is checked once (``api.fields.InputSchema``): text without control
characters and within the length limit, dates in a sane range; each refusal is a 422
naming the field, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import types
import typing
from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled
from pydantic import BaseModel

from clusterdesk.accounts.models import User
from clusterdesk.accounts.services import api_token_create
from clusterdesk.api.api import api
from clusterdesk.api.fields import InputSchema
from clusterdesk.core.inputs import MAX_TEXT_LENGTH
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Interaction, Organisation
from tests.api.crm_factories import followed_organisation
from tests.conftest import Tenant


def _api(user: User) -> Client:
    _token, raw = api_token_create(user=user, name="test")
    return Client(headers={"authorization": f"Bearer {raw}", "accept-language": "en"})


def _post(client: Client, tenant: Tenant, path: str, body: dict[str, Any]) -> Any:
    url = f"/api/v1/clusters/{tenant.cluster.slug}/{path}"
    return client.post(url, body, content_type="application/json")


def _fields_in_error(response: Any) -> list[str]:
    assert response.status_code == 422, response.content
    return [e["field"] for e in response.json()["errors"]]


# -- every operation's inputs derive from InputSchema -----------------------------------------


def _models_in(annotation: Any) -> typing.Iterator[Any]:
    """The classes an annotation names, through Optional, unions and containers."""
    origin = typing.get_origin(annotation)
    if origin is None:
        yield annotation
        return
    if origin is typing.Annotated:
        yield from _models_in(typing.get_args(annotation)[0])
        return
    for arg in typing.get_args(annotation):
        yield from _models_in(arg)
    if origin not in (typing.Union, types.UnionType, list, tuple, set, dict, typing.Literal):
        yield origin


def _unchecked(model: type[BaseModel], where: str) -> typing.Iterator[str]:
    if not issubclass(model, InputSchema):
        yield f"{where}: {model.__qualname__}"
    for name, field in model.model_fields.items():
        for cls in _models_in(field.annotation):
            if isinstance(cls, type) and issubclass(cls, BaseModel):
                yield from _unchecked(cls, f"{where}.{name}")


def test_every_api_input_schema_derives_from_input_schema() -> None:
    unchecked: list[str] = []
    operations = 0
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                operations += 1
                for params in operation.models:
                    if params.__name__ == "PathParams":
                        continue  # matched by URL converters, never free text
                    for name, field in params.model_fields.items():
                        where = f"{operation.view_func.__name__}({name})"
                        for cls in _models_in(field.annotation):
                            if isinstance(cls, type) and issubclass(cls, BaseModel):
                                unchecked.extend(_unchecked(cls, where))
                            elif cls in (str, bytes):
                                unchecked.append(f"{where}: a bare {cls.__name__} parameter")
    assert operations > 30
    assert not unchecked, f"make these input schemas derive from InputSchema: {unchecked}"


# -- control characters -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["nul\u0000org", "bell\u0007", "esc\u001b[31m", "del\u007f"])
def test_organisation_name_with_a_control_character_is_422_naming_the_field(
    tenant_a: Tenant, text: str
) -> None:
    response = _post(_api(tenant_a.director), tenant_a, "organisations", {"name": text})
    assert _fields_in_error(response) == ["name"]
    assert "control character" in response.json()["errors"][0]["message"]
    assert not Organisation.objects.instance_wide().exists()


def test_contact_and_interaction_with_nul_are_422(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = followed_organisation(tenant_a.cluster)
    client = _api(tenant_a.director)
    contact = {"organisation": org.pk, "first_name": "A\u0000", "last_name": "Durand"}
    assert _fields_in_error(_post(client, tenant_a, "contacts", contact)) == ["first_name"]
    interaction = {"organisation": org.pk, "subject": "Visite", "notes": "x\u0000y"}
    assert _fields_in_error(_post(client, tenant_a, "interactions", interaction)) == ["notes"]
    with scopes_disabled():
        assert not Contact.objects.exists() and not Interaction.objects.exists()


def test_search_with_nul_is_422(tenant_a: Tenant) -> None:
    url = f"/api/v1/clusters/{tenant_a.cluster.slug}/organisations"
    response = _api(tenant_a.director).get(url, {"q": "bio\u0000"})
    assert _fields_in_error(response) == ["q"]


def test_text_keeps_tabs_and_line_breaks(tenant_a: Tenant) -> None:
    description = "Ligne 1\r\nLigne 2\n\tretrait"
    body = {"name": "Biotech", "description": description}
    response = _post(_api(tenant_a.director), tenant_a, "organisations", body)
    assert response.status_code == 201, response.content
    assert Organisation.objects.instance_wide().get().description == description


# -- length ------------------------------------------------------------------------------------


def test_a_megabyte_of_description_is_422(tenant_a: Tenant) -> None:
    client = _api(tenant_a.director)
    body = {"name": "Biotech", "description": "x" * 1_000_000}
    response = _post(client, tenant_a, "organisations", body)
    assert _fields_in_error(response) == ["description"]
    assert "at most 20000" in response.json()["errors"][0]["message"]
    body["description"] = "x" * MAX_TEXT_LENGTH
    assert _post(client, tenant_a, "organisations", body).status_code == 201


# -- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"), [("opens_on", "0001-01-01"), ("closes_on", "9999-12-31")]
)
def test_call_with_an_absurd_date_is_422(tenant_a: Tenant, field: str, value: str) -> None:
    body = {"title": "Appel", "opens_on": "2026-01-01", field: value}
    client = _api(tenant_a.people[Role.PROJECT_MANAGER])
    response = _post(client, tenant_a, "calls", body)
    assert _fields_in_error(response) == [field]
    assert "between the years 1900 and 2100" in response.json()["errors"][0]["message"]
