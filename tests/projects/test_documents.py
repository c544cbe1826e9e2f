"""The label certificate and the committee minutes (PDF), and the public verification page.

PDF text is compressed and subset-encoded, so what the documents say is checked on the
HTML that is laid out into them (``documents.*_html``); the views are checked for a real
PDF and for who may have it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.core.pdf import html_to_pdf
from clusterdesk.core.roles import Role
from clusterdesk.projects import documents
from clusterdesk.projects.models import Application, CommitteeSession, Partner
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, OrganisationFactory, UserFactory, application, grant

S = Application.State


@dataclass
class Labelled:
    app: Application
    session: CommitteeSession
    others: list[Application]


def labelled_in(tenant: Tenant, code: str = "C0DE5AFE1234") -> Labelled:
    """A session that labelled one project, refused one and asked for a revision of one."""
    cluster = tenant.cluster
    session = CommitteeSession.objects.create(
        cluster=cluster, title="Comité de printemps", date="2026-03-12", location="Lyon"
    )
    session.members.set([tenant.people[Role.COMMITTEE_MEMBER]])
    sme = OrganisationFactory(name="Diagnostix SAS", kind="pme")
    lab = OrganisationFactory(name="Laboratoire d'infectiologie de Lyon", kind="research_org")
    app = application(
        cluster,
        state=S.LABELLED,
        partners=((sme, "coordinator"), (lab, "partner")),
        acronym="RAPIDIAG",
        title="Diagnostic rapide des infections",
        summary="Secret de fabrication du test",
        committee_session=session,
        state_reason="Projet structurant pour la filière.",
        label_number=f"{cluster.slug.upper()}-2026-001",
        label_date=datetime.date(2026, 3, 12),
        label_code=code,
    )
    others = [
        application(
            cluster,
            call=app.call,
            state=state,
            partners=((OrganisationFactory(name=f"PME {n}"), "coordinator"),),
            acronym=f"OTHER{n}",
            committee_session=session,
            state_reason=reason,
        )
        for n, (state, reason) in enumerate(
            [
                (S.NOT_LABELLED, "Innovation insuffisante au regard de l'état de l'art."),
                (S.REVISE, "Préciser le plan de valorisation."),
            ]
        )
    ]
    return Labelled(app, session, others)


@pytest.fixture
def labelled(tenant_a: Tenant) -> Labelled:
    with scopes_disabled():
        return labelled_in(tenant_a)


def certificate_url(tenant: Tenant, app: Application) -> str:
    kwargs = {"cluster_slug": tenant.cluster.slug, "pk": app.pk}
    return reverse("labelling_documents:certificate", kwargs=kwargs)


def minutes_url(tenant: Tenant, session: CommitteeSession) -> str:
    kwargs = {"cluster_slug": tenant.cluster.slug, "pk": session.pk}
    return reverse("labelling_documents:minutes", kwargs=kwargs)


# -- the certificate ------------------------------------------------------------------------


def test_certificate_is_a_pdf_for_project_staff(tenant_a: Tenant, labelled: Labelled) -> None:
    response = client_for(tenant_a.director).get(certificate_url(tenant_a, labelled.app))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert labelled.app.label_number in response["Content-Disposition"]


def test_certificate_prints_the_label_consortium_and_verification_code(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    app = labelled.app
    url = settings.SITE_URL + reverse("label_verify", args=[app.label_code])
    with scope(cluster=tenant_a.cluster):
        partners = list(app.partners.select_related("organisation"))
        html = documents.certificate_html(application=app, partners=partners, verification_url=url)
    for text in (
        tenant_a.cluster.name,
        "RAPIDIAG",
        "Diagnostic rapide des infections",
        app.label_number,
        "C0DE5AFE1234",
        url,
        "Diagnostix SAS",
        "Laboratoire d&#x27;infectiologie de Lyon",
        str(Partner.Role.COORDINATOR.label),
        "Comité de printemps",
    ):
        assert text in html, text
    assert "Secret de fabrication" not in html  # the summary stays confidential
    assert html_to_pdf(html).startswith(b"%PDF")


def test_certificate_of_the_consortium_is_open_to_its_contact(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    person = UserFactory()
    with scopes_disabled():
        grant(person, tenant_a.cluster, Role.MEMBER)
        coordinator = labelled.app.partners.get(role="coordinator").organisation
        ContactFactory(cluster=tenant_a.cluster, organisation=coordinator, user=person)
    assert client_for(person).get(certificate_url(tenant_a, labelled.app)).status_code == 200


@pytest.mark.parametrize("role", [Role.MEMBER, Role.EXPERT, Role.EVENT_MANAGER, Role.FINANCE])
def test_certificate_is_not_found_for_another_person_of_the_cluster(
    tenant_a: Tenant, labelled: Labelled, role: str
) -> None:
    client = client_for(tenant_a.people[role])
    assert client.get(certificate_url(tenant_a, labelled.app)).status_code == 404


def test_certificate_of_a_project_not_labelled_is_not_found(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    refused = labelled.others[0]
    assert client_for(tenant_a.director).get(certificate_url(tenant_a, refused)).status_code == 404


def test_certificate_asks_visitors_to_sign_in(tenant_a: Tenant, labelled: Labelled) -> None:
    response = Client().get(certificate_url(tenant_a, labelled.app))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


# -- the minutes ------------------------------------------------------------------------------


def test_minutes_list_each_decision_and_its_motivation(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    session = labelled.session
    with scope(cluster=tenant_a.cluster):
        agenda = list(session.agenda.order_by("acronym"))
        coordinators = {a.pk: a.partners.get(role="coordinator").organisation.name for a in agenda}
        items = documents.agenda_items(agenda, coordinators)
        html = documents.minutes_html(
            session=session, members=list(session.members.all()), items=items
        )
    assert [i.application.acronym for i in items] == ["OTHER0", "OTHER1", "RAPIDIAG"]
    assert all(i.decided for i in items)
    for app in [labelled.app, *labelled.others]:
        assert app.acronym in html
        assert str(app.get_state_display()) in html
    assert "Projet structurant pour la filière." in html
    assert "Innovation insuffisante au regard de l&#x27;état de l&#x27;art." in html
    assert "Préciser le plan de valorisation." in html
    assert str(tenant_a.people[Role.COMMITTEE_MEMBER]) in html
    assert "Diagnostix SAS" in html and "Lyon" in html


def test_minutes_show_a_file_still_awaiting_the_committee_as_pending(tenant_a: Tenant) -> None:
    with scopes_disabled():
        session = CommitteeSession.objects.create(
            cluster=tenant_a.cluster, title="Comité d'automne", date="2026-12-10"
        )
        waiting = application(tenant_a.cluster, state=S.AT_COMMITTEE, committee_session=session)
    items = documents.agenda_items([waiting], {})
    assert not items[0].decided
    with scope(cluster=tenant_a.cluster):
        html = documents.minutes_html(session=session, members=[], items=items)
    assert waiting.acronym in html


def test_minutes_pdf_for_project_staff_and_the_session_members(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    url = minutes_url(tenant_a, labelled.session)
    for person in (
        tenant_a.director,
        tenant_a.people[Role.PROJECT_MANAGER],
        tenant_a.people[Role.COMMITTEE_MEMBER],  # sat at this session
    ):
        response = client_for(person).get(url)
        assert response.status_code == 200, person
        assert response.content.startswith(b"%PDF")


def test_minutes_are_not_found_for_who_did_not_sit(tenant_a: Tenant, labelled: Labelled) -> None:
    other_member = grant(UserFactory(), tenant_a.cluster, Role.COMMITTEE_MEMBER)
    url = minutes_url(tenant_a, labelled.session)
    for person in (other_member, tenant_a.people[Role.EXPERT], tenant_a.people[Role.FINANCE]):
        assert client_for(person).get(url).status_code == 404, person


# -- the public verification page -----------------------------------------------------------


def test_verification_page_shows_the_public_facts_of_a_label(labelled: Labelled) -> None:
    app = labelled.app
    # Anyone, signed in or not, and the code as printed or typed in lower case.
    for code in ("C0DE5AFE1234", "c0de5afe1234"):
        response = Client().get(reverse("label_verify", args=[code]))
        assert response.status_code == 200
        html = response.content.decode()
        for text in (app.cluster.name, "RAPIDIAG", app.title, app.label_number, "Diagnostix SAS"):
            assert text in html, text
        assert "12 mars 2026" in html  # the label date, in French by default
    # Only public facts: no summary, no amounts.
    assert "Secret de fabrication" not in html
    assert "1000000" not in html and "1 000 000" not in html


def test_verification_page_answers_404_to_an_unknown_code(db: None) -> None:
    response = Client().get(reverse("label_verify", args=["0123456789AB"]))
    assert response.status_code == 404
    assert "0123456789AB" in response.content.decode()
    too_long = Client().get(reverse("label_verify", args=["A" * 40]))
    assert too_long.status_code == 404


def test_verification_page_answers_404_to_the_code_of_a_project_not_labelled(
    tenant_a: Tenant, labelled: Labelled
) -> None:
    with scopes_disabled():
        # A label later withdrawn: the code on the old certificate no longer answers.
        Application.objects.filter(pk=labelled.app.pk).update(state=S.WITHDRAWN)
    response = Client().get(reverse("label_verify", args=["C0DE5AFE1234"]))
    assert response.status_code == 404
    assert "RAPIDIAG" not in response.content.decode()


def test_verification_finds_codes_across_clusters(tenant_a: Tenant, tenant_b: Tenant) -> None:
    with scopes_disabled():
        labelled_in(tenant_a, code="AAAAAAAAAAAA")
        theirs = labelled_in(tenant_b, code="BBBBBBBBBBBB")
    # A person of cluster A checks cluster B's certificate: the code is the way in.
    response = client_for(tenant_a.director).get(reverse("label_verify", args=["BBBBBBBBBBBB"]))
    assert response.status_code == 200
    assert theirs.app.label_number in response.content.decode()
