"""The member portal's applications and the reviewers' pages.

Design under test: any refusal about an application or an assignment answers 404, whatever
its reason; so the partner's contact, who may read the file, gets 404 (not 403) on the pages
that change it, and a member of the cluster whose organisation is not a partner gets 404 on
every page of the application.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.core.models import ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.crm.models import Contact, Organisation
from clusterdesk.projects.models import (
    Application,
    ApplicationDocument,
    Conflict,
    Partner,
    Review,
    ReviewAssignment,
)
from tests.conftest import Tenant, client_for
from tests.factories import (
    CallFactory,
    DomainFactory,
    OrganisationFactory,
    UserFactory,
    application,
    follow,
    grant,
)
from tests.projects.factories_portal import (
    PDF,
    assign,
    contact_for,
    criteria,
    document,
    speaks_for,
)

S = Application.State


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    """These tests read the pages' English wording (French is the default)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def orgs(tenant_a: Tenant) -> dict[str, Organisation]:
    with scopes_disabled():
        return {
            "sme": follow(tenant_a.cluster, name="PME Diag", kind="pme"),
            "lab": follow(tenant_a.cluster, name="Laboratoire Infectio", kind="research_org"),
            "other": follow(tenant_a.cluster, name="Autre Membre", kind="pme"),
        }


@pytest.fixture
def coordinator(tenant_a: Tenant, orgs: dict[str, Organisation]) -> Any:
    """The tenant's member, who speaks for the SME."""
    with scopes_disabled():
        return speaks_for(tenant_a.cluster, orgs["sme"], tenant_a.people[Role.MEMBER])


def portal(tenant: Tenant, name: str, **kwargs: Any) -> str:
    return reverse(
        f"portal_projects:{name}", kwargs={"cluster_slug": tenant.cluster.slug, **kwargs}
    )


def reviews(tenant: Tenant, name: str, **kwargs: Any) -> str:
    return reverse(f"reviews:{name}", kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


def drafted(tenant: Tenant, orgs: dict[str, Organisation], **fields: Any) -> Application:
    with scopes_disabled():
        return application(
            tenant.cluster,
            partners=((orgs["sme"], "coordinator"), (orgs["lab"], "partner")),
            **fields,
        )


def application_pages(tenant: Tenant, app: Application) -> dict[str, tuple[str, str]]:
    """Every page of the application: name -> (method, URL)."""
    with scopes_disabled():
        partner = app.partners.get(role=Partner.Role.PARTNER)
        doc = document(app)
    return {
        "application": ("get", portal(tenant, "application", pk=app.pk)),
        "application_edit": ("get", portal(tenant, "application_edit", pk=app.pk)),
        "edit_post": ("post", portal(tenant, "application_edit", pk=app.pk)),
        "partners": ("get", portal(tenant, "partners", pk=app.pk)),
        "partner_edit": ("get", portal(tenant, "partner_edit", pk=app.pk, partner_id=partner.pk)),
        "partner_remove": (
            "post",
            portal(tenant, "partner_remove", pk=app.pk, partner_id=partner.pk),
        ),
        "documents": ("get", portal(tenant, "documents", pk=app.pk)),
        "documents_post": ("post", portal(tenant, "documents", pk=app.pk)),
        "document": ("get", portal(tenant, "document", pk=app.pk, doc_id=doc.pk)),
        "invite": ("get", portal(tenant, "invite", pk=app.pk)),
        "submit": ("post", portal(tenant, "submit", pk=app.pk)),
        "withdraw": ("post", portal(tenant, "withdraw", pk=app.pk)),
    }


def statuses(client: Client, pages: dict[str, tuple[str, str]]) -> dict[str, int]:
    return {name: getattr(client, method)(url).status_code for name, (method, url) in pages.items()}


# -- the member portal ----------------------------------------------------------------------


def test_member_creates_fills_and_submits_an_application(
    tenant_a: Tenant,
    orgs: dict[str, Organisation],
    coordinator: Any,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with scopes_disabled():
        call = CallFactory(cluster=tenant_a.cluster, title="AAP Santé 2026")
        CallFactory(
            cluster=tenant_a.cluster, title="Appel clos", closes_on=datetime.date(2021, 1, 1)
        )
        domain = DomainFactory(cluster=tenant_a.cluster)
        # Another cluster's domain is no choice here.
        foreign = DomainFactory()
    client = client_for(coordinator)
    listing = client.get(portal(tenant_a, "applications"))
    assert list(listing.context["calls"]) == [call]
    form = client.get(portal(tenant_a, "application_create")).context["form"]
    assert list(form.fields["coordinator"].queryset) == [orgs["sme"]]

    # The coordinator must be an organisation the member speaks for.
    refused = client.post(
        portal(tenant_a, "application_create"),
        {"call": call.pk, "coordinator": orgs["lab"].pk, "acronym": "X", "title": "Y"},
    )
    assert refused.status_code == 400 and "coordinator" in refused.context["form"].errors
    created = client.post(
        portal(tenant_a, "application_create"),
        {"call": call.pk, "coordinator": orgs["sme"].pk, "acronym": "DIAG", "title": "Diagnostic"},
    )
    with scopes_disabled():
        app = Application.objects.get(acronym="DIAG")
        assert app.created_by == coordinator and app.state == S.DRAFT
        assert [(p.organisation, p.role) for p in app.partners.all()] == [
            (orgs["sme"], Partner.Role.COORDINATOR)
        ]
    assert created["Location"] == portal(tenant_a, "application_edit", pk=app.pk)

    # The file: TRL out of 1..9 and a foreign domain are refused.
    edit = portal(tenant_a, "application_edit", pk=app.pk)
    values = {
        "acronym": "DIAG",
        "title": "Diagnostic rapide",
        "summary": "Un test rapide des infections.",
        "summary_en": "A rapid test for infections.",
        "domains": [domain.pk],
        "trl_start": 3,
        "trl_target": 12,
        "duration_months": 36,
    }
    bad = client.post(edit, values)
    assert bad.status_code == 400 and "trl_target" in bad.context["form"].errors
    assert "domains" in client.post(edit, values | {"domains": [foreign.pk]}).context["form"].errors
    assert client.post(edit, values | {"trl_target": 6}).status_code == 302
    with scopes_disabled():
        app.refresh_from_db()
        assert (app.trl_target, list(app.domains.all())) == (6, [domain])

    # The consortium: found by name among the organisations the cluster follows.
    partners = portal(tenant_a, "partners", pk=app.pk)
    with scopes_disabled():
        unknown = OrganisationFactory(name="Laboratoire Inconnu")  # not followed by the cluster
    found = client.get(partners, {"q": "laboratoire"}).context["form"]
    assert list(found.fields["organisation"].queryset) == [orgs["lab"]]
    share = {"q": "laboratoire", "role": "partner", "budget_eur": "500000", "person_months": "24"}
    too_much = client.post(
        partners, share | {"organisation": orgs["lab"].pk, "requested_aid_eur": "600000"}
    )
    assert too_much.status_code == 400
    assert "requested_aid_eur" in too_much.context["form"].errors
    # The refused form offers the same few matches again, not the cluster's whole directory.
    assert list(too_much.context["form"].fields["organisation"].queryset) == [orgs["lab"]]
    outsider = client.post(partners, share | {"organisation": unknown.pk, "requested_aid_eur": "1"})
    assert "organisation" in outsider.context["form"].errors
    added = client.post(
        partners, share | {"organisation": orgs["lab"].pk, "requested_aid_eur": "250000"}
    )
    assert added.status_code == 302
    page = client.get(portal(tenant_a, "application", pk=app.pk))
    assert page.context["totals"]["budget"] == Decimal("500000")
    assert page.context["totals"]["requested"] == Decimal("250000")
    assert "Laboratoire Infectio" in page.content.decode()

    # Documents: a PDF is kept, an executable is refused with the reason on the form.
    documents = portal(tenant_a, "documents", pk=app.pk)
    pdf = SimpleUploadedFile("programme.pdf", PDF, content_type="application/pdf")
    assert client.post(documents, {"kind": "proposal", "file": pdf}).status_code == 302
    exe = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    refused = client.post(documents, {"kind": "other", "file": exe})
    assert refused.status_code == 400 and "file" in refused.context["form"].errors
    assert ".pdf" in refused.content.decode()
    with scopes_disabled():
        assert [d.name for d in ApplicationDocument.objects.filter(application=app)] == [
            "programme.pdf"
        ]
        doc = app.documents.get()
    download = client.get(portal(tenant_a, "document", pk=app.pk, doc_id=doc.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    # Submitted: the state e-mail points to the application's page, which no longer changes.
    with scopes_disabled():
        Contact.objects.filter(user=coordinator).update(email=coordinator.email)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(portal(tenant_a, "submit", pk=app.pk)).status_code == 302
    with scopes_disabled():
        app.refresh_from_db()
    assert app.state == S.SUBMITTED
    assert portal(tenant_a, "application", pk=app.pk) in mail.outbox[-1].body
    # The coordinator sees the file, so a refusal to change it reveals nothing: 403.
    assert client.get(edit).status_code == 403
    assert client.post(partners, share | {"organisation": orgs["other"].pk}).status_code == 403
    page = client.get(portal(tenant_a, "application", pk=app.pk))
    assert not page.context["can_submit"] and page.context["can_withdraw"]
    assert not page.context["in_preparation"]


def test_submission_errors_are_shown_on_the_file(
    tenant_a: Tenant, orgs: dict[str, Organisation], coordinator: Any
) -> None:
    app = drafted(tenant_a, orgs, summary="")
    response = client_for(coordinator).post(portal(tenant_a, "submit", pk=app.pk))
    assert response.status_code == 400
    assert "Complete the file before submitting it: summary." in response.content.decode()
    with scopes_disabled():
        app.refresh_from_db()
    assert app.state == S.DRAFT


def test_coordinator_withdraws_and_reads_the_decision(
    tenant_a: Tenant, orgs: dict[str, Organisation], coordinator: Any
) -> None:
    client = client_for(coordinator)
    app = drafted(tenant_a, orgs)
    assert client.post(portal(tenant_a, "withdraw", pk=app.pk)).status_code == 302
    with scopes_disabled():
        app.refresh_from_db()
    assert app.state == S.WITHDRAWN
    labelled = drafted(
        tenant_a,
        orgs,
        acronym="LAB",
        state=S.LABELLED,
        state_reason="Projet structurant pour la filière.",
        label_number="ALPHA-2026-001",
        label_date=datetime.date(2026, 3, 1),
        label_code="ABCDEF123456",
    )
    html = client.get(portal(tenant_a, "application", pk=labelled.pk)).content.decode()
    assert "Projet structurant pour la filière." in html and "ALPHA-2026-001" in html
    ineligible = drafted(
        tenant_a, orgs, acronym="INE", state=S.INELIGIBLE, state_reason="Pas de PME."
    )
    assert (
        "Pas de PME."
        in client.get(portal(tenant_a, "application", pk=ineligible.pk)).content.decode()
    )


def test_another_member_of_the_cluster_gets_404_on_every_page(
    tenant_a: Tenant, orgs: dict[str, Organisation], coordinator: Any
) -> None:
    app = drafted(tenant_a, orgs)
    with scopes_disabled():
        stranger = speaks_for(tenant_a.cluster, orgs["other"])
        own = application(
            tenant_a.cluster, acronym="MINE", partners=((orgs["other"], "coordinator"),)
        )
    client = client_for(stranger)
    pages = application_pages(tenant_a, app)
    assert set(statuses(client, pages).values()) == {404}
    listed = client.get(portal(tenant_a, "applications")).context["applications"]
    assert list(listed) == [own]
    # Nothing changed on the way.
    with scopes_disabled():
        app.refresh_from_db()
        assert app.state == S.DRAFT and app.partners.count() == 2


def test_invited_partner_contact_reads_the_file_but_changes_nothing(
    tenant_a: Tenant, orgs: dict[str, Organisation], coordinator: Any
) -> None:
    app = drafted(tenant_a, orgs)
    with scopes_disabled():
        person = contact_for(tenant_a.cluster, orgs["lab"], email="marie@labo.example")
        outsider = contact_for(tenant_a.cluster, orgs["other"], email="paul@autre.example")
    invite = portal(tenant_a, "invite", pk=app.pk)
    client = client_for(coordinator)
    choices = client.get(invite).context["form"].fields["contact"].queryset
    assert person in choices and outsider not in choices
    # Only contacts of the application's partners.
    refused = client.post(invite, {"contact": outsider.pk})
    assert refused.status_code == 400
    assert client.post(invite, {"contact": person.pk}).status_code == 302
    with scopes_disabled():
        person.refresh_from_db()
        outsider.refresh_from_db()
        assert outsider.user is None
        assert ClusterRole.objects.filter(
            cluster=tenant_a.cluster, user=person.user, role=Role.MEMBER
        ).exists()
    partner_client = client_for(person.user)
    codes = statuses(partner_client, application_pages(tenant_a, app))
    readable = {"application", "documents", "document"}
    assert {k for k, v in codes.items() if v == 200} == readable
    # They see the file: a refusal to change it reveals nothing (403, as in the API).
    assert {v for k, v in codes.items() if k not in readable} == {403}
    page = partner_client.get(portal(tenant_a, "application", pk=app.pk))
    assert not (page.context["can_change"] or page.context["can_invite"])
    assert page.context["totals"]["budget"] == Decimal("2000000")  # the whole consortium
    assert partner_client.get(portal(tenant_a, "documents", pk=app.pk)).context["form"] is None


def test_member_list_and_expert_list_make_constant_queries(
    tenant_a: Tenant, orgs: dict[str, Organisation], coordinator: Any
) -> None:
    expert = tenant_a.people[Role.EXPERT]

    def counts() -> tuple[int, int]:
        out = []
        for client, url in (
            (client_for(coordinator), portal(tenant_a, "applications")),
            (client_for(expert), reviews(tenant_a, "assignments")),
        ):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            out.append(len(queries))
        return out[0], out[1]

    def add() -> None:
        app = drafted(tenant_a, orgs, state=S.UNDER_REVIEW)
        with scopes_disabled():
            assign(app, expert)

    add()
    one = counts()
    add()
    add()
    assert counts() == one


# -- the reviewers ----------------------------------------------------------------------------


@pytest.fixture
def under_review(tenant_a: Tenant, orgs: dict[str, Organisation]) -> Application:
    with scopes_disabled():
        call = CallFactory(cluster=tenant_a.cluster, score_max=5, review_deadline="2026-05-01")
        criteria(call, "Innovation", "Consortium")
        app = application(
            tenant_a.cluster,
            call,
            state=S.UNDER_REVIEW,
            summary="Résumé confidentiel du projet",
            partners=((orgs["sme"], "coordinator"), (orgs["lab"], "partner")),
        )
        document(app, "annexe-technique.pdf")
    return app


def test_expert_sees_only_the_partners_names_before_declaring(
    tenant_a: Tenant, under_review: Application
) -> None:
    expert = tenant_a.people[Role.EXPERT]
    with scopes_disabled():
        assignment = assign(under_review, expert)
        doc = under_review.documents.get()
    client = client_for(expert)
    rows = client.get(reviews(tenant_a, "assignments")).context["rows"]
    assert [(a, str(status)) for a, status in rows] == [
        (assignment, "Declare your conflicts of interest")
    ]
    page = client.get(reviews(tenant_a, "declaration", pk=assignment.pk))
    html = page.content.decode()
    assert "PME Diag" in html and "Laboratoire Infectio" in html
    assert "Résumé confidentiel" not in html and "annexe-technique" not in html
    assert "1 000 000" not in html and "1000000" not in html
    review = client.get(reviews(tenant_a, "review", pk=assignment.pk))
    assert review["Location"] == reviews(tenant_a, "declaration", pk=assignment.pk)
    assert client.post(reviews(tenant_a, "review", pk=assignment.pk)).status_code == 404
    document_url = reviews(tenant_a, "document", pk=assignment.pk, doc_id=doc.pk)
    assert client.get(document_url).status_code == 404


def test_expert_declares_a_conflict(tenant_a: Tenant, under_review: Application) -> None:
    expert = tenant_a.people[Role.EXPERT]
    with scopes_disabled():
        assignment = assign(under_review, expert)
    client = client_for(expert)
    url = reviews(tenant_a, "declaration", pk=assignment.pk)
    empty = client.post(url, {"action": "conflict", "reason": ""})
    assert empty.status_code == 400 and "reason" in empty.context["form"].errors
    declared = client.post(url, {"action": "conflict", "reason": "J'ai travaillé chez PME Diag."})
    assert declared["Location"] == reviews(tenant_a, "assignments")
    with scopes_disabled():
        assert not ReviewAssignment.objects.filter(pk=assignment.pk).exists()
        conflict = Conflict.objects.get(application=under_review)
        assert conflict.source == Conflict.Source.DECLARED and conflict.expert.user == expert
    assert client.get(url).status_code == 404


def test_expert_declares_no_conflict_then_reviews(
    tenant_a: Tenant, under_review: Application
) -> None:
    expert = tenant_a.people[Role.EXPERT]
    with scopes_disabled():
        assignment = assign(under_review, expert)
        first, second = under_review.call.criteria.all()
        doc = under_review.documents.get()
    client = client_for(expert)
    declared = client.post(
        reviews(tenant_a, "declaration", pk=assignment.pk), {"action": "no_conflict"}
    )
    url = reviews(tenant_a, "review", pk=assignment.pk)
    assert declared["Location"] == url
    html = client.get(url).content.decode()
    assert "Résumé confidentiel du projet" in html and "annexe-technique.pdf" in html
    assert "Innovation" in html and 'max="5"' in html
    download = client.get(reviews(tenant_a, "document", pk=assignment.pk, doc_id=doc.pk))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    out_of_range = client.post(url, {f"score_{first.pk}": "6", f"score_{second.pk}": "3"})
    assert out_of_range.status_code == 400
    assert f"score_{first.pk}" in out_of_range.context["form"].errors
    draft = {f"score_{first.pk}": "4", "comments": "Solide.", "recommendation": ""}
    assert client.post(url, draft | {"save": "1"}).status_code == 302
    with scopes_disabled():
        review = Review.objects.get(assignment=assignment)
        assert review.submitted_at is None and review.comments == "Solide."
    incomplete = client.post(url, draft | {"submit": "1"})
    assert incomplete.status_code == 400
    assert "recommendation" in incomplete.context["form"].errors
    assert "Score every criterion before submitting." in incomplete.content.decode()
    complete = draft | {f"score_{second.pk}": "5", "recommendation": "label", "submit": "1"}
    assert client.post(url, complete).status_code == 302
    with scopes_disabled():
        review.refresh_from_db()
        assert review.submitted_at is not None
        assert {s.criterion_id: s.score for s in review.scores.all()} == {
            first.pk: 4,
            second.pk: 5,
        }
    # Read-only once submitted.
    page = client.get(url)
    assert not page.context["editable"] and 'name="submit"' not in page.content.decode()
    again = client.post(url, complete | {f"score_{first.pk}": "0"})
    assert again.status_code == 400
    assert "This review was submitted; it cannot change." in again.content.decode()
    rows = client.get(reviews(tenant_a, "assignments")).context["rows"]
    assert [str(status) for _a, status in rows] == ["Submitted"]


def test_expert_not_assigned_gets_404(tenant_a: Tenant, under_review: Application) -> None:
    with scopes_disabled():
        assignment = assign(under_review, tenant_a.people[Role.EXPERT], cleared=True)
        doc = under_review.documents.get()
        other = grant(UserFactory(), tenant_a.cluster, Role.EXPERT)
    client = client_for(other)
    for url in (
        reviews(tenant_a, "declaration", pk=assignment.pk),
        reviews(tenant_a, "review", pk=assignment.pk),
        reviews(tenant_a, "document", pk=assignment.pk, doc_id=doc.pk),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reviews(tenant_a, "declaration", pk=assignment.pk),
        reviews(tenant_a, "review", pk=assignment.pk),
    ):
        assert client.post(url, {"action": "no_conflict"}).status_code == 404, url
    assert client.get(reviews(tenant_a, "assignments")).context["rows"] == []
    # Nor does an expert read the file through the portal.
    assert client.get(portal(tenant_a, "application", pk=under_review.pk)).status_code == 403


def test_menus_name_the_new_pages(tenant_a: Tenant, coordinator: Any) -> None:
    member_home = client_for(coordinator).get(reverse("portal:home", args=[tenant_a.cluster.slug]))
    assert portal(tenant_a, "applications") in member_home.content.decode()
    expert_home = client_for(tenant_a.people[Role.EXPERT]).get(
        reverse("backoffice:cluster_home", args=[tenant_a.cluster.slug])
    )
    assert reviews(tenant_a, "assignments") in expert_home.content.decode()
