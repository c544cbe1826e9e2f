"""The support lists make a fixed number of queries, whatever the number of cases."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clusterdesk.core.roles import Role
from tests.conftest import Tenant, client_for
from tests.support.factories import case, company, expert


def _queries(client: object, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200  # type: ignore[attr-defined]
    return len(queries)


def test_lists_and_board_do_not_grow_with_the_cases(tenant_a: Tenant) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    slug = tenant_a.cluster.slug
    urls = [
        reverse(name, args=[slug])
        for name in (
            "support:cases",
            "support:pipeline",
            "support:pipeline_figures",
            "support:experts",
        )
    ]
    urls.append(f"/api/v1/clusters/{slug}/support/cases")
    case(tenant_a, title="Un")
    expert(tenant_a, name="Dr Un")
    one = [_queries(client, url) for url in urls]
    for i in range(3):
        case(tenant_a, company(tenant_a, f"Société {i}"), title=f"Autre {i}", stage="clinical")
        expert(tenant_a, name=f"Dr {i}")
    assert [_queries(client, url) for url in urls] == one
