"""The outcome pages: declaring (staff and member portal), reviewing, evidence, and the
yearly follow-up campaign with its e-mails and reminders."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django_scopes import scope, scopes_disabled

from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application
from clusterdesk.results.indicators import Scope, compute
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome
from clusterdesk.results.services import REQUIRED
from tests.conftest import Tenant, client_for
from tests.factories import (
    ContactFactory,
    OrganisationFactory,
    UserFactory,
    application,
    follow,
    grant,
)

D = datetime.date
LAST_YEAR = datetime.date.today().year - 1


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def project(tenant_a: Tenant) -> Application:
    with scopes_disabled():
        coordinator = OrganisationFactory(name="Coordinateur SA")
        return application(
            tenant_a.cluster,
            state="labelled",
            acronym="ALPHA1",
            label_date=D(2020, 5, 1),
            project_status="running",
            partners=((coordinator, "coordinator"), (OrganisationFactory(), "partner")),
        )


def _url(name: str, tenant: Tenant, **kwargs: Any) -> str:
    return reverse(name, kwargs={"cluster_slug": tenant.cluster.slug, **kwargs})


# What each kind needs beyond the common fields, as the form posts it.
def kind_values(project: Application) -> dict[str, dict[str, str]]:
    org = str(project.partners.first().organisation_id)  # type: ignore[union-attr]
    return {
        "patent": {"registry": "EPO", "reference": "EP4000001"},
        "clinical_trial": {"registry": "ClinicalTrials.gov", "reference": "NCT01", "phase": "II"},
        "jobs": {"fte": "3.5", "organisation": org},
        "startup": {"new_organisation": org},
        "funding_raised": {"amount_eur": "2500000", "investors": "Bpifrance"},
        "product": {"ce_marked": "on"},
        "publication": {"reference": "10.1000/xyz"},
    }


@pytest.mark.parametrize("kind", Outcome.Kind.values)
def test_declaring_each_kind_asks_for_its_fields_and_shows_the_services_errors(
    kind: str, tenant_a: Tenant, project: Application
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = _url("outcomes:outcome_declare", tenant_a)
    page = client.get(url, {"kind": kind})
    assert page.status_code == 200
    for name in REQUIRED.get(kind, ()):
        assert name in page.context["form"].kind_required
    with scopes_disabled():
        values = kind_values(project)[kind]
    common = {"kind": kind, "application": project.pk, "date": "2024-06-01", "title": "Result"}
    if REQUIRED.get(kind):
        refused = client.post(url, common)
        assert refused.status_code == 400
        assert set(REQUIRED[kind]) <= set(refused.context["form"].errors)
        assert 'class="error"' in refused.content.decode()
    response = client.post(url, common | values)
    assert response.status_code == 302, response.context["form"].errors
    with scopes_disabled():
        outcome = Outcome.objects.get()
    assert outcome.kind == kind and outcome.state == Outcome.State.DECLARED
    assert outcome.declared_by == tenant_a.people[Role.PROJECT_MANAGER]
    assert response.url == _url("outcomes:outcome", tenant_a, pk=outcome.pk)


def test_an_outcome_needs_a_project_or_an_organisation_and_no_future_date(
    tenant_a: Tenant, project: Application
) -> None:
    client = client_for(tenant_a.director)
    url = _url("outcomes:outcome_declare", tenant_a) + "?kind=product"
    orphan = client.post(url, {"kind": "product", "date": "2024-01-01", "title": "Kit"})
    assert orphan.status_code == 400 and orphan.context["form"].non_field_errors()
    future = datetime.date.today() + datetime.timedelta(days=3)
    late = client.post(
        url, {"kind": "product", "application": project.pk, "date": future, "title": "Kit"}
    )
    assert late.status_code == 400 and "date" in late.context["form"].errors
    with scopes_disabled():
        assert not Outcome.objects.exists()


def test_validating_makes_the_indicator_count_it_and_rejecting_takes_it_out(
    tenant_a: Tenant, project: Application
) -> None:
    client = client_for(tenant_a.director)
    client.post(
        _url("outcomes:outcome_declare", tenant_a) + "?kind=patent",
        {"kind": "patent", "application": project.pk, "date": "2024-02-01", "title": "Brevet"}
        | {"registry": "INPI", "reference": "FR3000000"},
    )
    with scopes_disabled():
        outcome = Outcome.objects.get()
    year = Scope((tenant_a.cluster.pk,), D(2024, 1, 1), D(2024, 12, 31))

    def patents() -> Any:
        with scope(cluster=tenant_a.cluster):
            return compute(year, ["patents"])["patents"]

    assert patents() == 0  # declared only
    review = _url("outcomes:outcome_review", tenant_a, pk=outcome.pk)
    back = _url("outcomes:outcomes", tenant_a) + "?state=declared"
    response = client.post(review, {"decision": "validate", "next": back})
    assert response.url == back
    assert patents() == 1
    client.post(review, {"decision": "reject", "next": "https://evil.example/"})
    assert patents() == 0
    outcome.refresh_from_db()
    assert outcome.state == Outcome.State.REJECTED and outcome.validated_by == tenant_a.director


def test_outcome_list_filters_by_kind_state_project_and_year(
    tenant_a: Tenant, project: Application, django_assert_max_num_queries: Any
) -> None:
    with scopes_disabled():
        other = application(tenant_a.cluster, state="labelled", acronym="OTHER")
        for kind, app, day, state in (
            ("patent", project, D(2023, 3, 1), "validated"),
            ("jobs", project, D(2024, 3, 1), "declared"),
            ("patent", other, D(2024, 5, 1), "declared"),
        ):
            Outcome.objects.create(
                cluster=tenant_a.cluster,
                application=app,
                kind=kind,
                date=day,
                title=f"{kind} {app.acronym} {day.year}",
                state=state,
                fte=Decimal(2) if kind == "jobs" else None,
            )
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    url = _url("outcomes:outcomes", tenant_a)

    def titles(**params: Any) -> list[str]:
        return sorted(o.title for o in client.get(url, params).context["page"])

    assert len(titles()) == 3
    assert titles(kind="patent") == ["patent ALPHA1 2023", "patent OTHER 2024"]
    assert titles(state="declared") == ["jobs ALPHA1 2024", "patent OTHER 2024"]
    assert titles(application=project.pk) == ["jobs ALPHA1 2024", "patent ALPHA1 2023"]
    assert titles(year=2024, kind="patent") == ["patent OTHER 2024"]
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200


def test_outcome_pages_are_for_project_staff(tenant_a: Tenant) -> None:
    url = _url("outcomes:outcomes", tenant_a)
    assert client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(url).status_code == 200
    for role in (Role.FINANCE, Role.EXPERT, Role.MEMBER):
        assert client_for(tenant_a.people[role]).get(url).status_code == 403, role


def test_evidence_is_stored_under_the_cluster_and_downloaded_by_project_staff_only(
    tenant_a: Tenant, tenant_b: Tenant, project: Application, media: Path
) -> None:
    client = client_for(tenant_a.director)
    upload = SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 proof", "application/pdf")
    response = client.post(
        _url("outcomes:outcome_declare", tenant_a) + "?kind=product",
        {"kind": "product", "application": project.pk, "date": "2024-01-10", "title": "Kit"}
        | {"evidence": upload},
    )
    assert response.status_code == 302
    with scopes_disabled():
        outcome = Outcome.objects.get()
    assert outcome.evidence.name == (
        f"clusters/{tenant_a.cluster.pk}/outcomes/{outcome.pk}/preuve.pdf"
    )
    assert (media / outcome.evidence.name).read_bytes() == b"%PDF-1.4 proof"
    download = _url("outcomes:outcome_evidence", tenant_a, pk=outcome.pk)
    got = client_for(tenant_a.people[Role.PROJECT_MANAGER]).get(download)
    assert got.status_code == 200 and b"".join(got.streaming_content) == b"%PDF-1.4 proof"
    for role in (Role.FINANCE, Role.MEMBER):
        assert client_for(tenant_a.people[role]).get(download).status_code == 403, role
    assert client_for(tenant_b.director).get(download).status_code == 404
    # A link, and a refused file type, on the outcome's page.
    page = _url("outcomes:outcome", tenant_a, pk=outcome.pk)
    bad = SimpleUploadedFile("virus.exe", b"MZ", "application/octet-stream")
    assert client.post(page, {"evidence": bad}).status_code == 400
    client.post(page, {"evidence_url": "https://data.inpi.fr/brevets/FR1"})
    outcome.refresh_from_db()
    assert outcome.evidence_url == "https://data.inpi.fr/brevets/FR1"
    assert "preuve.pdf" in client.get(page).content.decode()


# -- the yearly follow-up -------------------------------------------------------------------


@pytest.fixture
def portfolio(tenant_a: Tenant) -> dict[str, Application]:
    """Labelled projects in every status, and projects that are not labelled."""
    projects = {}
    with scopes_disabled():
        for acronym, state, status in (
            ("RUN", "labelled", "running"),
            ("DONE", "labelled", "completed"),
            ("SOON", "labelled", "not_started"),
            ("STOP", "labelled", "abandoned"),
            ("DRAFT", "submitted", "running"),
        ):
            org = follow(tenant_a.cluster, OrganisationFactory(name=f"Coord {acronym}"))
            ContactFactory(
                cluster=tenant_a.cluster,
                organisation=org,
                email=f"{acronym.lower()}@example.org",
                user=UserFactory(),
            )
            projects[acronym] = application(
                tenant_a.cluster,
                state=state,
                acronym=acronym,
                project_status=status,
                partners=((org, "coordinator"), (OrganisationFactory(), "partner")),
            )
    return projects


def _open(client: Client, tenant: Tenant, year: int = LAST_YEAR, capture: Any = None) -> Any:
    closes = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    with capture(execute=True):
        return client.post(
            _url("outcomes:follow_up", tenant),
            {"year": year, "closes_on": closes, "confirmed": "yes"},
        )


def test_opening_a_campaign_says_how_many_projects_and_emails_then_asks_to_confirm(
    tenant_a: Tenant, portfolio: dict[str, Application]
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    client.cookies["django_language"] = "en"
    closes = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    page = client.post(
        _url("outcomes:follow_up", tenant_a), {"year": LAST_YEAR, "closes_on": closes}
    )
    assert page.status_code == 200
    counts = {str(e.label): e.count for e in page.context["confirmation"].effects}
    assert counts == {"projects asked": 2, "e-mails to the coordinators' contacts": 2}
    assert "Open and send 2 e-mails" in page.content.decode()
    assert not FollowUpCampaign.objects.with_scopes_disabled().exists()
    assert not mail.outbox


def test_campaign_asks_running_and_completed_labelled_projects_and_mails_their_coordinators(
    tenant_a: Tenant, portfolio: dict[str, Application], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    response = _open(client, tenant_a, capture=django_capture_on_commit_callbacks)
    with scopes_disabled():
        campaign = FollowUpCampaign.objects.get()
        asked = FollowUpRequest.objects.filter(campaign=campaign)
        assert sorted(r.application.acronym for r in asked) == ["DONE", "RUN"]
        assert all(r.sent_at is not None for r in asked)
    assert response.url == _url("outcomes:campaign", tenant_a, pk=campaign.pk)
    assert sorted(m.to[0] for m in mail.outbox) == ["done@example.org", "run@example.org"]
    portal = reverse("portal_results:follow_ups", args=[tenant_a.cluster.slug])
    assert all(portal in m.body for m in mail.outbox)
    page = client.get(response.url)
    assert page.context["figures"]["total"] == 2 and page.context["figures"]["sent"] == 2
    # The same year again: the service's error is shown on the form.
    again = _open(client, tenant_a, capture=django_capture_on_commit_callbacks)
    assert again.status_code == 400 and "year" in again.context["form"].errors


def test_reminders_go_to_the_projects_that_have_not_answered(
    tenant_a: Tenant, portfolio: dict[str, Application], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(tenant_a.director)
    _open(client, tenant_a, capture=django_capture_on_commit_callbacks)
    with scopes_disabled():
        campaign = FollowUpCampaign.objects.get()
        FollowUpRequest.objects.filter(application=portfolio["DONE"]).update(
            completed_at=datetime.datetime.now(tz=datetime.UTC)
        )
    mail.outbox.clear()
    url = _url("outcomes:campaign", tenant_a, pk=campaign.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url, {"action": "remind"}).status_code == 302
    assert [m.to[0] for m in mail.outbox] == ["run@example.org"]
    with scopes_disabled():
        pending = FollowUpRequest.objects.get(application=portfolio["RUN"])
    assert pending.reminders == 1 and pending.reminded_at is not None
    figures = client.get(url).context["figures"]
    assert figures["completed"] == 1 and figures["reminded"] == 1


# -- the member portal --------------------------------------------------------------------


@pytest.fixture
def requests_(tenant_a: Tenant) -> dict[str, FollowUpRequest]:
    """The member's request (its organisation coordinates), one through its contact only,
    and another member's."""
    member = tenant_a.people[Role.MEMBER]
    other_member = grant(UserFactory(), tenant_a.cluster, Role.MEMBER)
    with scopes_disabled():
        campaign = FollowUpCampaign.objects.create(
            cluster=tenant_a.cluster, year=LAST_YEAR, closes_on=D(2100, 1, 31)
        )
        mine = follow(tenant_a.cluster, OrganisationFactory(name="Ma PME"))
        my_contact = ContactFactory(cluster=tenant_a.cluster, organisation=mine, user=member)
        theirs = follow(tenant_a.cluster, OrganisationFactory(name="Leur PME"))
        their_contact = ContactFactory(
            cluster=tenant_a.cluster, organisation=theirs, user=other_member
        )
        result = {}
        for key, coordinator, contact in (
            ("mine", mine, None),
            ("named", theirs, my_contact),
            ("theirs", theirs, their_contact),
        ):
            project = application(
                tenant_a.cluster,
                state="labelled",
                acronym=key.upper(),
                project_status="running",
                partners=((coordinator, "coordinator"), (OrganisationFactory(), "partner")),
            )
            result[key] = FollowUpRequest.objects.create(
                cluster=tenant_a.cluster, campaign=campaign, application=project, contact=contact
            )
    return result


def test_member_declares_for_its_own_projects_and_never_sees_another_members_request(
    tenant_a: Tenant, requests_: dict[str, FollowUpRequest]
) -> None:
    member = tenant_a.people[Role.MEMBER]
    client = client_for(member)
    listing = client.get(_url("portal_results:follow_ups", tenant_a))
    assert sorted(r.application.acronym for r in listing.context["pending"]) == ["MINE", "NAMED"]
    assert "THEIRS" not in listing.content.decode()
    mine = requests_["mine"]
    url = _url("portal_results:follow_up", tenant_a, pk=mine.pk)
    refused = client.post(url + "?kind=jobs", {"kind": "jobs", "date": "2024-05-01", "title": "x"})
    assert refused.status_code == 400 and {"fte", "organisation"} <= set(
        refused.context["form"].errors
    )
    with scopes_disabled():
        partner = mine.application.partners.get(role="coordinator").organisation
    response = client.post(
        url + "?kind=jobs",
        {"kind": "jobs", "date": "2024-05-01", "title": "Embauches", "fte": "2"}
        | {"organisation": partner.pk},
    )
    assert response.status_code == 302
    with scopes_disabled():
        outcome = Outcome.objects.get()
    assert outcome.follow_up == mine and outcome.application == mine.application
    assert outcome.declared_by == member and outcome.state == Outcome.State.DECLARED
    # An organisation outside the project's consortium cannot be chosen.
    with scopes_disabled():
        stranger = follow(tenant_a.cluster, OrganisationFactory())
    odd = client.post(
        url + "?kind=jobs",
        {"kind": "jobs", "date": "2024-05-01", "title": "x", "fte": "1"}
        | {"organisation": stranger.pk},
    )
    assert odd.status_code == 400 and "organisation" in odd.context["form"].errors
    # Nothing else to declare.
    client.post(_url("portal_results:follow_up_complete", tenant_a, pk=mine.pk))
    mine.refresh_from_db()
    assert mine.completed_at is not None
    # Another member's request: not found, whatever is asked.
    theirs = requests_["theirs"].pk
    assert client.get(_url("portal_results:follow_up", tenant_a, pk=theirs)).status_code == 404
    declare_theirs = _url("portal_results:follow_up", tenant_a, pk=theirs) + "?kind=product"
    assert client.post(declare_theirs, {"kind": "product"}).status_code == 404
    complete = _url("portal_results:follow_up_complete", tenant_a, pk=theirs)
    assert client.post(complete).status_code == 404
    requests_["theirs"].refresh_from_db()
    assert requests_["theirs"].completed_at is None
    # Through its contact, a request of a project it does not coordinate is the member's.
    named = _url("portal_results:follow_up", tenant_a, pk=requests_["named"].pk)
    assert client.get(named).status_code == 200
    # Staff have no portal.
    assert client_for(tenant_a.director).get(named).status_code == 403


def test_a_project_missing_from_an_open_campaign_is_added_and_its_coordinator_mailed(
    tenant_a: Tenant, portfolio: dict[str, Application], django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(tenant_a.people[Role.PROJECT_MANAGER])
    _open(client, tenant_a, capture=django_capture_on_commit_callbacks)
    with scopes_disabled():
        campaign = FollowUpCampaign.objects.get()
    url = _url("outcomes:campaign", tenant_a, pk=campaign.pk)
    choices = client.get(url).context["add_form"].fields["application"].queryset
    assert sorted(a.acronym for a in choices) == ["SOON", "STOP"]  # labelled, not yet asked
    mail.outbox.clear()
    soon = portfolio["SOON"].pk
    with django_capture_on_commit_callbacks(execute=True):
        added = client.post(url, {"action": "add", "add-application": soon})
    assert added.status_code == 302
    assert [m.to[0] for m in mail.outbox] == ["soon@example.org"]  # only the new one
    with scopes_disabled():
        assert campaign.requests.filter(application_id=soon).count() == 1
    # Twice, or a project that is not labelled: refused on the form, nothing added.
    again = client.post(url, {"action": "add", "add-application": soon})
    assert again.status_code == 400 and "application" in again.context["add_form"].errors
    draft = client.post(url, {"action": "add", "add-application": portfolio["DRAFT"].pk})
    assert draft.status_code == 400
    with scopes_disabled():
        assert campaign.requests.count() == 3


def test_member_declares_an_outcome_of_its_project_outside_any_campaign(
    tenant_a: Tenant, requests_: dict[str, FollowUpRequest]
) -> None:
    client = client_for(tenant_a.people[Role.MEMBER])
    listing = client.get(_url("portal_results:follow_ups", tenant_a))
    mine = requests_["mine"].application
    assert [p.acronym for p in listing.context["projects"]] == [mine.acronym]
    url = _url("portal_results:project", tenant_a, pk=mine.pk)
    response = client.post(
        url + "?kind=patent",
        {"kind": "patent", "date": "2024-05-01", "title": "Brevet EP", "registry": "EPO"}
        | {"reference": "EP4000002"},
    )
    assert response.status_code == 302
    with scopes_disabled():
        outcome = Outcome.objects.get(title="Brevet EP")
    assert outcome.application == mine and outcome.follow_up is None
    assert "Brevet EP" in client.get(url).content.decode()
    # Another member's project: not found.
    theirs = requests_["theirs"].application.pk
    assert client.get(_url("portal_results:project", tenant_a, pk=theirs)).status_code == 404
