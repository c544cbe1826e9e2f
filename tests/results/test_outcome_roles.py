"""One scenario per role: declare an outcome with its evidence through the back office and
through the member portal. ``results.services.outcome_declare`` decides who may, so both
front ends declare the same outcome for the people the service accepts and refuse everyone
else, writing nothing. (The API has no route that declares outcomes.)"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_scopes import scopes_disabled

from clusterdesk.audit.models import AuditEntry
from clusterdesk.core.errors import NotAllowed, NotVisible
from clusterdesk.core.roles import Role
from clusterdesk.projects.models import Application
from clusterdesk.results import services
from clusterdesk.results.models import FollowUpCampaign, FollowUpRequest, Outcome
from tests.conftest import Tenant, client_for
from tests.factories import ContactFactory, OrganisationFactory, application, follow

D = datetime.date
# Who may declare a project's outcome: its project staff and its consortium's portal contacts.
DECLARERS = {Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER}
FIELDS = ("kind", "application_id", "date", "title", "ce_marked", "state")


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def request_(tenant_a: Tenant) -> FollowUpRequest:
    """A labelled project whose partner (not its coordinator) is the member's organisation,
    with this year's follow-up request."""
    with scopes_disabled():
        cluster = tenant_a.cluster
        partner = follow(cluster, OrganisationFactory(name="Partenaire SAS"))
        ContactFactory(cluster=cluster, organisation=partner, user=tenant_a.people[Role.MEMBER])
        project = application(
            cluster,
            state="labelled",
            acronym="ROLES1",
            project_status="running",
            partners=(
                (follow(cluster, OrganisationFactory()), "coordinator"),
                (partner, "partner"),
            ),
        )
        campaign = FollowUpCampaign.objects.create(
            cluster=cluster, year=D.today().year - 1, closes_on=D(2100, 1, 31)
        )
        return FollowUpRequest.objects.create(
            cluster=cluster, campaign=campaign, application=project
        )


def _post(tenant: Tenant, role: str, request: FollowUpRequest, front_end: str) -> int:
    """Declare a CE-marked product with a PDF through a front end; the status answered."""
    slug = tenant.cluster.slug
    values = {"kind": "product", "date": "2024-03-01", "title": "Kit", "ce_marked": "on"}
    values["evidence"] = SimpleUploadedFile("ce.pdf", b"%PDF-1.4 ce", "application/pdf")
    if front_end == "back office":
        url = reverse("outcomes:outcome_declare", args=[slug])
        values["application"] = str(request.application_id)
    else:
        url = reverse("portal_results:follow_up", args=[slug, request.pk])
    client = client_for(tenant.people[role])
    return client.post(url + "?kind=product", values).status_code


def _declared(request: FollowUpRequest) -> list[tuple[Any, ...]]:
    with scopes_disabled():
        outcomes = Outcome.objects.filter(application=request.application_id)
        return [(*(getattr(o, f) for f in FIELDS), bool(o.evidence)) for o in outcomes]


@pytest.mark.parametrize("role", Role.values)
def test_outcome_declare_is_decided_by_the_service_for_each_role(
    role: str, tenant_a: Tenant, request_: FollowUpRequest
) -> None:
    person = tenant_a.people[role]
    evidence = SimpleUploadedFile("ce.pdf", b"%PDF-1.4 ce", "application/pdf")
    with scopes_disabled():
        project = Application.objects.get(pk=request_.application_id)

        def declare() -> Outcome:
            return services.outcome_declare(
                actor=person,
                cluster=tenant_a.cluster,
                application=project,
                kind="product",
                date=D(2024, 3, 1),
                title="Kit",
                evidence=evidence,
            )

        if role in DECLARERS:
            outcome = declare()
            assert outcome.declared_by == person and outcome.evidence.name.endswith("ce.pdf")
            actions = set(AuditEntry.objects.values_list("action", flat=True))
            assert {"outcome.declared", "outcome.evidence"} <= actions
        else:
            # A confidential project: whoever may not see it is answered "not found".
            with pytest.raises(NotVisible):
                declare()
            assert not Outcome.objects.exists() and not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", Role.values)
def test_declaring_through_the_back_office_and_the_portal_gives_the_services_answer(
    role: str, tenant_a: Tenant, request_: FollowUpRequest
) -> None:
    answers = {
        front_end: _post(tenant_a, role, request_, front_end)
        for front_end in ("back office", "portal")
    }
    declared = _declared(request_)
    if role not in DECLARERS:
        assert all(status in (403, 404) for status in answers.values()), answers
        assert declared == []
        return
    # Staff have the back office, members the portal: one front end declares, the other is
    # closed to the role (403), and what is declared is the same outcome.
    assert sorted(answers.values()) == [302, 403], answers
    assert declared == [
        ("product", request_.application_id, D(2024, 3, 1), "Kit", True, "declared", True)
    ]


def test_the_same_outcome_comes_out_of_both_front_ends(
    tenant_a: Tenant, request_: FollowUpRequest
) -> None:
    assert _post(tenant_a, Role.PROJECT_MANAGER, request_, "back office") == 302
    assert _post(tenant_a, Role.MEMBER, request_, "portal") == 302
    first, second = _declared(request_)
    assert first == second


def test_a_member_outside_the_consortium_is_refused_by_the_service_and_the_portal(
    tenant_a: Tenant, request_: FollowUpRequest
) -> None:
    with scopes_disabled():
        Application.objects.get(pk=request_.application_id).partners.filter(role="partner").delete()
        project = Application.objects.get(pk=request_.application_id)
        member = tenant_a.people[Role.MEMBER]
        with pytest.raises(NotVisible):
            services.outcome_declare(
                actor=member, cluster=tenant_a.cluster, follow_up=request_, kind="product"
            )
        with pytest.raises(NotVisible):
            services.follow_up_complete(actor=member, request=request_)
    assert _post(tenant_a, Role.MEMBER, request_, "portal") == 404
    assert _declared(request_) == []
    request_.refresh_from_db()
    assert request_.completed_at is None and project.state == "labelled"


def test_an_organisations_outcome_without_project_is_for_project_staff_only(
    tenant_a: Tenant,
) -> None:
    with scopes_disabled():
        organisation = follow(tenant_a.cluster, OrganisationFactory())
        values = {"kind": "jobs", "date": D(2024, 1, 1), "title": "Jobs", "fte": 2}
        for role in Role.values:
            person = tenant_a.people[role]
            if role in (Role.DIRECTOR, Role.PROJECT_MANAGER):
                services.outcome_declare(
                    actor=person, cluster=tenant_a.cluster, organisation=organisation, **values
                )
            else:
                with pytest.raises(NotAllowed):
                    services.outcome_declare(
                        actor=person, cluster=tenant_a.cluster, organisation=organisation, **values
                    )
        assert Outcome.objects.count() == 2


def test_a_completed_follow_up_takes_no_more_outcomes(
    tenant_a: Tenant, request_: FollowUpRequest
) -> None:
    with scopes_disabled():
        services.follow_up_complete(actor=tenant_a.people[Role.MEMBER], request=request_)
    assert _post(tenant_a, Role.MEMBER, request_, "portal") == 400
    assert _declared(request_) == []
