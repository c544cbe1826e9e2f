"""The project manager's lists put current work first and page long lists: calls newest
first, the expert's assignments newest first, committee sessions coming first, the "at
committee" picker with coming sessions only, and a search over applications."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.projects.forms import TransitionForm
from clusterdesk.projects.models import Application, CommitteeSession
from tests.api.projects_factories import assign, eligible_application, expert
from tests.conftest import Tenant, client_for
from tests.factories import CallFactory

D = datetime.date


def test_calls_are_listed_newest_first_and_paged(tenant_a: Tenant) -> None:
    with scopes_disabled():
        for year in range(2005, 2035):  # 30 calls, created oldest first
            CallFactory(cluster=tenant_a.cluster, title=f"Appel {year}", opens_on=D(year, 1, 1))
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = reverse("labelling:calls", args=[tenant_a.cluster.slug])
    page = client.get(url)
    titles = [row.call.title for row in page.context["rows"]]
    assert titles[:3] == ["Appel 2034", "Appel 2033", "Appel 2032"]
    assert len(titles) == 25 and page.context["page"].paginator.count == 30
    second = client.get(url, {"page": 2})
    assert [row.call.title for row in second.context["rows"]][-1] == "Appel 2005"


def test_the_experts_assignments_are_newest_first(tenant_a: Tenant) -> None:
    user = tenant_a.people[Role.EXPERT]
    with scopes_disabled():
        profile = expert(tenant_a.cluster, user=user)
        for year in (2005, 2026, 2015):
            call = CallFactory(
                cluster=tenant_a.cluster, opens_on=D(year, 1, 1), review_deadline=D(year, 3, 1)
            )
            assign(eligible_application(tenant_a.cluster, call, acronym=f"A{year}"), profile)
    page = client_for(user).get(reverse("reviews:assignments", args=[tenant_a.cluster.slug]))
    assert [a.application.acronym for a, _status in page.context["rows"]] == [
        "A2026",
        "A2015",
        "A2005",
    ]


def _session(cluster: object, title: str, days: int) -> CommitteeSession:
    return CommitteeSession.objects.create(
        cluster=cluster, title=title, date=timezone.localdate() + datetime.timedelta(days=days)
    )


def test_sessions_come_first_in_date_order_and_the_picker_offers_coming_ones(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        for title, days in (("old", -400), ("soon", 10), ("recent", -20), ("later", 90)):
            _session(tenant_a.cluster, title, days)
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    page = client.get(reverse("labelling:sessions", args=[tenant_a.cluster.slug]))
    assert [s.title for s in page.context["sessions"]] == ["soon", "later", "recent", "old"]
    with scope(cluster=tenant_a.cluster):
        form = TransitionForm(cluster=tenant_a.cluster, to=Application.State.AT_COMMITTEE)
        offered = [s.title for s in form.fields["session"].queryset]  # type: ignore[attr-defined]
    assert offered == ["soon", "later"]


def test_the_staff_search_applications_by_text_state_and_call(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    with scopes_disabled():
        old = eligible_application(tenant_a.cluster, acronym="VACCIN", title="Vaccin ancien")
        Application.objects.filter(pk=old.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=900)
        )
        new = eligible_application(tenant_a.cluster, acronym="DIAGNO", title="Diagnostic rapide")
        eligible_application(
            tenant_a.cluster, acronym="LABEL", state="labelled", label_number="ALPHA-2026-007"
        )
        eligible_application(tenant_b.cluster, acronym="VACCINB", title="Vaccin d'ailleurs")
        partner = new.partners.get(role="partner").organisation
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = reverse("labelling:applications", args=[tenant_a.cluster.slug])

    def found(**query: object) -> list[str]:
        response = client.get(url, query)
        assert response.status_code == 200
        return [a.acronym for a in response.context["page"]]

    assert found() == ["LABEL", "DIAGNO", "VACCIN"]  # current work first
    assert found(q="vaccin") == ["VACCIN"]  # never another cluster's
    assert found(q=partner.name) == ["DIAGNO"]
    assert found(q="2026-007") == ["LABEL"]
    assert found(state="labelled") == ["LABEL"]
    assert found(call=new.call_id) == ["DIAGNO"]
    partial = client.get(url, {"q": "diag"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "DIAGNO" in partial.content.decode()
    # The search is the staff's: the others are refused, like every labelling page.
    for role in (Role.FINANCE, Role.EXPERT, Role.COMMITTEE_MEMBER):
        assert client_for(tenant_a.people[role]).get(url).status_code == 403
