"""Decision notices reach the consortium's contacts by e-mail, not only portal accounts,
and the page says who got what (issue 15, point 10)."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application, CommitteeSession, Partner
from clusterdesk.projects.services.workflow import application_transition
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, UserFactory, application
from tests.projects.factories_staff import new_organisation

S = Application.State


def _at_committee(tenant: Tenant) -> tuple[Application, dict[str, object]]:
    with scopes_disabled():
        cellnova = new_organisation(name="Cellnova", kind="pme", headcount_band="12")
        lab = new_organisation(name="Labo Lyon", kind="research_org")
        quiet = new_organisation(name="Sans Courriel", kind="pme")
        session = CommitteeSession.objects.create(
            cluster=tenant.cluster, title="Comité", date="2026-03-01"
        )
        app = application(
            tenant.cluster,
            state=S.AT_COMMITTEE,
            committee_session=session,
            partners=((cellnova, "coordinator"), (lab, "partner"), (quiet, "partner")),
        )
        people = {
            # No portal account anywhere: before, nobody was told.
            "ceo": ContactFactory(cluster=tenant.cluster, organisation=cellnova, email="ceo@c.fr"),
            "cto": ContactFactory(cluster=tenant.cluster, organisation=cellnova, email="cto@c.fr"),
            "named": ContactFactory(cluster=tenant.cluster, organisation=lab, email="pi@lab.fr"),
            "other": ContactFactory(cluster=tenant.cluster, organisation=lab, email="rh@lab.fr"),
            "portal": ContactFactory(
                cluster=tenant.cluster, organisation=lab, email="web@lab.fr", user=UserFactory()
            ),
            "no_email": ContactFactory(cluster=tenant.cluster, organisation=quiet, email=""),
        }
        Partner.objects.filter(application=app, organisation=lab).update(contact=people["named"])
    return app, people


def test_a_decision_is_mailed_to_the_consortiums_contacts_and_recorded(
    tenant_a: Tenant, django_capture_on_commit_callbacks: object
) -> None:
    app, _people = _at_committee(tenant_a)
    capture = django_capture_on_commit_callbacks(execute=True)  # type: ignore[operator]
    with capture, scope(cluster=tenant_a.cluster):
        application_transition(
            actor=tenant_a.director, application=app, to=S.LABELLED, reason="Structurant."
        )
    # The coordinator has no named contact nor portal account: all its contacts; the lab:
    # its named contact and its portal account, not its other contacts.
    assert sorted(m.to[0] for m in mail.outbox) == [
        "ceo@c.fr",
        "cto@c.fr",
        "pi@lab.fr",
        "web@lab.fr",
    ]
    with scopes_disabled():
        entry = AuditEntry.objects.get(action="application.labelled")
    assert len(entry.after["notified"]) == 4
    assert any("pi@lab.fr" in r and "Labo Lyon" in r for r in entry.after["notified"])


def test_the_application_page_says_who_got_the_notice(tenant_a: Tenant) -> None:
    app, _people = _at_committee(tenant_a)
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    session_url = reverse(
        "labelling:session", args=[tenant_a.cluster.slug, app.committee_session_id]
    )
    response = client.post(
        session_url,
        {
            "application": app.pk,
            f"decision-{app.pk}-decision": S.NOT_LABELLED,
            f"decision-{app.pk}-reason": "Marché trop étroit.",
        },
        follow=True,
    )
    assert "The notice went by e-mail to 4 contacts" in response.content.decode()
    page = client.get(reverse("labelling:application", args=[tenant_a.cluster.slug, app.pk]))
    notices = page.context["notices"]
    assert notices[0]["state"] == S.NOT_LABELLED.label
    html = page.content.decode()
    assert "ceo@c.fr" in html and "pi@lab.fr" in html and "rh@lab.fr" not in html


def test_a_notice_nobody_can_receive_is_said_so(tenant_a: Tenant) -> None:
    with scopes_disabled():
        org = new_organisation(name="Muette", kind="pme")
        app = application(tenant_a.cluster, partners=((org, "coordinator"),), state=S.SUBMITTED)
    with scope(cluster=tenant_a.cluster):
        application_transition(actor=tenant_a.director, application=app, to=S.WITHDRAWN)
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    page = client.get(reverse("labelling:application", args=[tenant_a.cluster.slug, app.pk]))
    assert "Nobody received it" in page.content.decode()
