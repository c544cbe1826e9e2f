"""Schemathesis over the whole OpenAPI document, with bounded examples: no route answers a
server error, and every answer is documented (status code, content type, body schema)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django_scopes import scopes_disabled
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from clusterdesk.accounts.services import api_token_create
from tests.api.projects_factories import call_with_criteria, eligible_application, people_around
from tests.conftest import Tenant
from tests.events.factories import EventFactory, RegistrationFactory

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = 6


@pytest.fixture
def real_ids(tenant_a: Tenant) -> dict[str, Any]:
    """Path parameters that name real objects, so that routes answer more than 404."""
    with scopes_disabled():
        cluster = tenant_a.cluster
        app = eligible_application(cluster)
        people_around(cluster, app)
        call = call_with_criteria(cluster)
        partner = app.partners.first()
        assert partner is not None
        event = EventFactory(cluster=cluster, capacity=3)
        registration = RegistrationFactory(event=event)
        return {
            "event_id": event.pk,
            "registration_id": registration.pk,
            "cluster_slug": cluster.slug,
            "application_id": app.pk,
            "call_id": call.pk,
            "organisation_id": partner.organisation_id,
            "partner_id": partner.pk,
        }


def test_every_api_operation_answers_as_documented(
    tenant_a: Tenant, real_ids: dict[str, Any]
) -> None:
    # Requests go through the WSGI handler, which would close the test's database connection
    # at the end of each request (Django's test client switches that off the same way).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        _check_every_operation(tenant_a, real_ids)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _check_every_operation(tenant_a: Tenant, real_ids: dict[str, Any]) -> None:
    _token, raw = api_token_create(user=tenant_a.director, name="schemathesis")
    headers = {"Authorization": f"Bearer {raw}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: Any) -> None:
            for name, value in real_ids.items():
                if case.path_parameters and name in case.path_parameters:
                    case.path_parameters[name] = value
            case.call_and_validate(headers=headers, checks=CHECKS)

        check()
