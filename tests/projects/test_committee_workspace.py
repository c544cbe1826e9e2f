"""The committee member's workspace: their sessions (coming first), each agenda with the
reviews handed in, their own conflicts of interest, the decisions and the minutes; nothing
of a session they do not sit on."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.projects import documents
from clusterdesk.projects.models import CommitteeConflict
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.projects.selectors.committee import (
    committee_conflicts_of_session,
    sessions_of_member,
)
from clusterdesk.projects.services.committee import (
    committee_conflict_declare,
    committee_conflict_withdraw,
)
from tests.api.projects_factories import (
    assign,
    committee,
    eligible_application,
    expert,
    person,
    review,
)
from tests.conftest import Tenant, client_for


def _session(cluster: Any, *members: Any, days: int, title: str, agenda: tuple = ()) -> Any:
    session = committee(cluster, *members, agenda=agenda)
    session.date = timezone.localdate() + datetime.timedelta(days=days)
    session.title = title
    session.save()
    return session


@pytest.fixture
def setting(tenant_a: Tenant) -> dict[str, Any]:
    cluster = tenant_a.cluster
    member = tenant_a.people[Role.COMMITTEE_MEMBER]
    with scopes_disabled():
        app = eligible_application(cluster, state="at_committee", acronym="ZQXCOMITE")
        other = eligible_application(cluster, state="at_committee", acronym="ZQXAUTRE")
        handed_in = review(assign(app, expert(cluster)), score=4)
        handed_in.comments = "ZQXSUBMITTED solide"
        handed_in.save()
        draft = review(assign(app, expert(cluster)), score=1, submitted=False)
        draft.comments = "ZQXDRAFT brouillon"
        draft.save()
        past = _session(cluster, member, days=-40, title="Comité passé")
        coming = _session(cluster, member, days=20, title="Comité à venir", agenda=(app,))
        later = _session(cluster, member, days=60, title="Comité plus tard")
        not_mine = _session(
            cluster,
            person(cluster, Role.COMMITTEE_MEMBER),
            days=5,
            title="Comité d'autres",
            agenda=(other,),
        )
    return {
        "member": member,
        "app": app,
        "other": other,
        "past": past,
        "coming": coming,
        "later": later,
        "not_mine": not_mine,
    }


def _url(name: str, tenant: Tenant, **kwargs: Any) -> str:
    return reverse(f"committee:{name}", kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


def test_the_member_lists_the_sessions_they_sit_on_coming_first(
    tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    client = client_for(setting["member"])
    home = client.get(reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug]))
    assert _url("sessions", tenant_a) in [i["url"] for i in home.context["cluster_menu"]]
    page = client.get(_url("sessions", tenant_a))
    assert page.status_code == 200
    titles = [s.title for s in page.context["page"]]
    assert titles == ["Comité à venir", "Comité plus tard", "Comité passé"]
    assert "Comité d&#x27;autres" not in page.content.decode()


def test_the_session_shows_the_agenda_with_the_reviews_handed_in_and_the_minutes(
    tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    client = client_for(setting["member"])
    session = setting["coming"]
    page = client.get(_url("session", tenant_a, session_id=session.pk))
    text = page.content.decode()
    assert page.status_code == 200
    assert "ZQXCOMITE" in text and "ZQXSUBMITTED" in text
    assert "ZQXDRAFT" not in text  # a draft review is the expert's own
    minutes = reverse("labelling_documents:minutes", args=[tenant_a.cluster.slug, session.pk])
    assert minutes in text
    assert client.get(minutes).status_code == 200
    file = client.get(
        _url("application", tenant_a, session_id=session.pk, app_id=setting["app"].pk)
    )
    assert file.status_code == 200
    assert "ZQXSUBMITTED" in file.content.decode()
    assert "ZQXDRAFT" not in file.content.decode()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.COMMITTEE_MEMBER])
def test_the_workspace_is_the_committee_members(
    role: str, tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    client = client_for(tenant_a.people[role])
    assert client.get(_url("sessions", tenant_a)).status_code == 403


def test_another_session_and_its_applications_are_not_found(
    tenant_a: Tenant, tenant_b: Tenant, setting: dict[str, Any]
) -> None:
    client = client_for(setting["member"])
    not_mine = setting["not_mine"]
    assert client.get(_url("session", tenant_a, session_id=not_mine.pk)).status_code == 404
    for session in (not_mine, setting["coming"]):
        url = _url("application", tenant_a, session_id=session.pk, app_id=setting["other"].pk)
        assert client.get(url).status_code == 404
    # Another cluster's committee member sees nothing of this cluster.
    outsider = client_for(tenant_b.people[Role.COMMITTEE_MEMBER])
    session = setting["coming"]
    assert outsider.get(_url("session", tenant_a, session_id=session.pk)).status_code == 404


def test_a_declared_conflict_closes_the_file_and_the_reviews_until_withdrawn(
    tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    member, app, session = setting["member"], setting["app"], setting["coming"]
    client = client_for(member)
    conflict_url = _url("conflict", tenant_a, session_id=session.pk, app_id=app.pk)
    refused = client.post(conflict_url, {f"conflict-{app.pk}-reason": " "})
    assert refused.status_code == 400
    response = client.post(
        conflict_url, {f"conflict-{app.pk}-reason": "Mon employeur est partenaire"}
    )
    assert response.status_code == 302
    with scopes_disabled():
        assert CommitteeConflict.objects.get(application=app, member=member).reason
        assert AuditEntry.objects.filter(action="committee.conflict_declared").exists()
    page = client.get(_url("session", tenant_a, session_id=session.pk)).content.decode()
    assert "ZQXCOMITE" in page and "ZQXSUBMITTED" not in page
    file = _url("application", tenant_a, session_id=session.pk, app_id=app.pk)
    assert client.get(file).status_code == 404
    with scope(cluster=tenant_a.cluster):
        assert not member.has_perm("projects.view_application", app)
        assert (
            not applications_visible_to(user=member, cluster=tenant_a.cluster)
            .filter(pk=app.pk)
            .exists()
        )
    client.post(conflict_url, {"action": "withdraw"})
    assert client.get(file).status_code == 200
    with scope(cluster=tenant_a.cluster):
        assert member.has_perm("projects.view_application", app)
        assert (
            applications_visible_to(user=member, cluster=tenant_a.cluster)
            .filter(pk=app.pk)
            .exists()
        )


def test_only_a_member_of_its_session_declares_a_conflict(
    tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    with scope(cluster=tenant_a.cluster):
        with pytest.raises(NotVisible):
            committee_conflict_declare(
                actor=setting["member"], application=setting["other"], reason="Rien"
            )
        with pytest.raises(NotVisible):
            committee_conflict_withdraw(
                actor=tenant_a.people[Role.EXPERT], application=setting["app"]
            )


def test_the_minutes_name_who_stood_aside(tenant_a: Tenant, setting: dict[str, Any]) -> None:
    member, app, session = setting["member"], setting["app"], setting["coming"]
    with scope(cluster=tenant_a.cluster):
        committee_conflict_declare(actor=member, application=app, reason="Concurrent direct")
        aside = committee_conflicts_of_session(session)
        items = documents.agenda_items([app], {}, aside)
    assert items[0].stood_aside == (str(member),)
    with translation.override("en"):
        html = documents.minutes_html(session=session, members=[member], items=items)
    assert "Stood aside (conflict of interest)" in html


def test_the_workspace_queries_stay_constant(tenant_a: Tenant, setting: dict[str, Any]) -> None:
    """1 and 3 applications on the agenda cost the same number of queries."""
    client = client_for(setting["member"])
    session = setting["coming"]
    url = _url("session", tenant_a, session_id=session.pk)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    with scopes_disabled():
        for n in range(2):
            extra = eligible_application(tenant_a.cluster, state="at_committee", acronym=f"X{n}")
            review(assign(extra, expert(tenant_a.cluster)))
            extra.committee_session = session
            extra.save()
    with CaptureQueriesContext(connection) as three:
        client.get(url)
    assert len(three) == len(one)


def test_sessions_of_member_agree_with_the_minutes_permission(
    tenant_a: Tenant, setting: dict[str, Any]
) -> None:
    with scope(cluster=tenant_a.cluster):
        mine = set(sessions_of_member(user=setting["member"], cluster=tenant_a.cluster))
    client = client_for(setting["member"])
    for session in (setting["past"], setting["coming"], setting["later"], setting["not_mine"]):
        url = reverse("labelling_documents:minutes", args=[tenant_a.cluster.slug, session.pk])
        assert (client.get(url).status_code == 200) == (session in mine)
