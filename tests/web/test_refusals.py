"""A refusal is an expected answer: one line in the server log, no traceback, and words for
its reader (a funder or a member has no director to ask)."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.web.logging import ExpectedRefusalFilter
from tests.conftest import Tenant, client_for
from tests.factories import funder

DIRECTOR_HINT = "Ask your cluster's director"


def test_a_403_logs_one_line_without_traceback(
    tenant_a: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    client = client_for(tenant_a.people[Role.EVENT_MANAGER])
    url = reverse("members:categories", args=[tenant_a.cluster.slug])
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get(url).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None and not records[0].exc_text
    formatted = logging.Formatter().format(records[0])
    assert "Traceback" not in formatted and "\n" not in formatted
    assert url in formatted


def test_a_service_refusal_logs_one_line_too(
    tenant_a: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    """A service's NotAllowed turned into a 403 by the middleware: the same single line."""
    client = client_for(tenant_a.people[Role.FINANCE])
    url = reverse("labelling:calls", args=[tenant_a.cluster.slug])
    with caplog.at_level(logging.INFO, logger="django.request"):
        assert client.get(url).status_code == 403
    assert all(r.exc_info is None for r in caplog.records)
    assert "Traceback" not in caplog.text


def test_a_server_error_keeps_its_traceback() -> None:
    """The filter only quiets refusals: a 500's record keeps what explains it."""
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        record = logging.LogRecord(
            "django.request",
            logging.ERROR,
            __file__,
            1,
            "Internal Server Error",
            (),
            (RuntimeError, exc, exc.__traceback__),
        )
    record.status_code = 500
    assert ExpectedRefusalFilter().filter(record)
    assert record.exc_info is not None


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("funder", "what clusters share with their funders"),
        (Role.MEMBER, "member space"),
        (Role.EXPERT, "Your reviews and committee sessions"),
        (Role.EVENT_MANAGER, DIRECTOR_HINT),
    ],
)
def test_the_403_page_speaks_to_its_reader(tenant_a: Tenant, who: str, expected: str) -> None:
    with scopes_disabled():
        person = funder(tenant_a.cluster.region) if who == "funder" else tenant_a.people[who]
    client = client_for(person)
    client.cookies["django_language"] = "en"
    url = reverse("backoffice:team", args=[tenant_a.cluster.slug])
    response = client.get(url)
    assert response.status_code == 403
    text = response.content.decode()
    assert expected in text
    if who != Role.EVENT_MANAGER:
        assert DIRECTOR_HINT not in text
