"""Who sees a support case: ``can_view_support_case`` and ``support_cases_visible_to``
agree for every role, the company's contact and the expert on the case, and nobody else
sees it (the event, facility and finance staff, other members, committee members, other
experts, another cluster)."""

from __future__ import annotations

import pytest
from django_scopes import scope, scopes_disabled

from clusterdesk.audit.selectors import audit_entries
from clusterdesk.core.roles import Role
from clusterdesk.support.selectors.cases import support_cases_visible_to
from clusterdesk.support.services.experts import expert_save
from clusterdesk.support.services.missions import mission_update
from tests.conftest import Tenant
from tests.factories import ContactFactory, OrganisationFactory, UserFactory, follow, grant
from tests.support.factories import case_with_expert, mission_of, other_expert_person

READERS = {Role.DIRECTOR, Role.PROJECT_MANAGER, Role.MEMBER, Role.EXPERT}


@pytest.mark.parametrize("role", Role.values)
def test_the_predicate_and_the_queryset_agree_for_every_role(role: str, tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    person = tenant_a.people[role]
    with scope(cluster=tenant_a.cluster):
        may = person.has_perm("support.view_supportcase", c)
        listed = support_cases_visible_to(user=person, cluster=tenant_a.cluster).filter(pk=c.pk)
        assert may == listed.exists()
    assert may == (role in READERS), role


def test_another_member_another_expert_and_another_cluster_do_not_see_it(
    tenant_a: Tenant, tenant_b: Tenant
) -> None:
    c, _e = case_with_expert(tenant_a)
    with scopes_disabled():
        other_member = grant(UserFactory(), tenant_a.cluster, Role.MEMBER)
        other_org = follow(tenant_a.cluster, OrganisationFactory())
        ContactFactory(cluster=tenant_a.cluster, organisation=other_org, user=other_member)
        # The company's contact in another cluster speaks for it there, not here.
        follow(tenant_b.cluster, c.organisation)
        ContactFactory(
            cluster=tenant_b.cluster, organisation=c.organisation, user=tenant_b.people[Role.MEMBER]
        )
    others = [
        other_member,
        other_expert_person(tenant_a),
        tenant_b.director,
        tenant_b.people[Role.PROJECT_MANAGER],
        tenant_b.people[Role.MEMBER],
    ]
    with scope(cluster=tenant_a.cluster):
        for person in others:
            assert not person.has_perm("support.view_supportcase", c)
            assert not support_cases_visible_to(user=person, cluster=tenant_a.cluster).exists()


def test_a_cancelled_mission_no_longer_opens_the_case(tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    expert_person = tenant_a.people[Role.EXPERT]
    with scope(cluster=tenant_a.cluster):
        mission_update(
            actor=tenant_a.people[Role.PROJECT_MANAGER], mission=mission_of(c), status="cancelled"
        )
        assert not expert_person.has_perm("support.view_supportcase", c)
        assert not support_cases_visible_to(user=expert_person, cluster=tenant_a.cluster).exists()


@pytest.mark.parametrize("role", Role.values)
def test_audit_entries_of_a_case_follow_the_case(role: str, tenant_a: Tenant) -> None:
    c, _e = case_with_expert(tenant_a)
    person = tenant_a.people[role]
    with scope(cluster=tenant_a.cluster):
        may = person.has_perm("support.view_supportcase", c)
        entries = audit_entries(cluster=tenant_a.cluster, user=person)
        seen = entries.filter(action__startswith="support_case.").exists()
    staff_log = role not in (Role.MEMBER, Role.EXPERT, Role.COMMITTEE_MEMBER)
    # Members and experts read no audit log at all; of the staff, only the case's readers.
    if staff_log:
        assert seen == may, role


def test_entries_about_experts_are_for_the_staff_who_keep_the_network(tenant_a: Tenant) -> None:
    with scope(cluster=tenant_a.cluster):
        expert_save(
            actor=tenant_a.director,
            cluster=tenant_a.cluster,
            name="Dr ZQXEXPERT",
            daily_rate_eur=1200,
        )

        def seen(role: str) -> bool:
            entries = audit_entries(cluster=tenant_a.cluster, user=tenant_a.people[role])
            return entries.filter(action="expert.created").exists()

        assert seen(Role.DIRECTOR) and seen(Role.PROJECT_MANAGER)
        assert not seen(Role.FINANCE) and not seen(Role.EVENT_MANAGER)
