"""Support cases: who may see which (as a queryset), one case for an actor, the case list
with its filters (current cases first), and what a case's page shows to each reader."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from clusterdesk.accounts.models import User
from clusterdesk.core.errors import NotVisible
from clusterdesk.core.models import Cluster, ClusterRole
from clusterdesk.core.roles import Role
from clusterdesk.core.rules import is_project_staff
from clusterdesk.crm.selectors import member_organisations
from clusterdesk.support.choices import CURRENT_STATUSES, MissionStatus
from clusterdesk.support.models import CaseAction, CaseOutcome, Mission, SupportCase


def support_cases_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[SupportCase]:
    """Every case of the cluster the person may see: the queryset form of
    ``support.rules.can_view_support_case`` (lists, search, exports, the API, the audit log
    and the organisation's timeline use it)."""
    qs = SupportCase.objects.filter(cluster=cluster)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_project_staff(user, cluster):
        return qs
    mine = member_organisations(cluster=cluster, user=user).values("pk")
    on_case = Mission.objects.filter(case=OuterRef("pk"), expert__user=user).exclude(
        status=MissionStatus.CANCELLED
    )
    return qs.filter(Q(organisation_id__in=mine) | Q(Exists(on_case)))


def support_case_visible(*, actor: Any, cluster: Cluster, pk: int) -> SupportCase:
    """The cluster's case ``pk`` if the actor may see it; else NotVisible, the same answer
    as for a missing one."""
    case = (
        SupportCase.objects.filter(cluster=cluster, pk=pk)
        .select_related("organisation", "owner")
        .first()
    )
    if case is None or not actor.has_perm("support.view_supportcase", case):
        raise NotVisible("support.view_supportcase")
    return case


@dataclass(frozen=True)
class CaseFilter:
    q: str = ""
    status: str = ""
    need: str = ""
    stage: str = ""
    owner_id: int | None = None
    organisation_id: int | None = None
    year: int | None = None


def support_case_list(
    *, user: Any, cluster: Cluster, filters: CaseFilter | None = None
) -> QuerySet[SupportCase]:
    """The cases the person may see, filtered; current cases first, then the latest."""
    f = filters or CaseFilter()
    qs = support_cases_visible_to(user=user, cluster=cluster).select_related(
        "organisation", "owner"
    )
    if f.status == "current":
        qs = qs.filter(status__in=CURRENT_STATUSES)
    elif f.status:
        qs = qs.filter(status=f.status)
    if f.need:
        qs = qs.filter(need=f.need)
    if f.stage:
        qs = qs.filter(stage=f.stage)
    if f.owner_id:
        qs = qs.filter(owner_id=f.owner_id)
    if f.organisation_id:
        qs = qs.filter(organisation_id=f.organisation_id)
    if f.year:
        qs = qs.filter(opened_on__year=f.year)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(organisation__name__icontains=f.q))
    current = Case(
        When(status__in=CURRENT_STATUSES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return qs.annotate(current_first=current).order_by("current_first", "-opened_on", "-pk")


def sees_case_as_company_only(*, user: Any, case: SupportCase) -> bool:
    """The reader is one of the company's contacts and nothing more: they see what is meant
    for the company (shared actions, outcomes, the missions without costs or reports)."""
    return not (
        user.has_perm("support.manage_case", case)
        or case.missions.filter(expert__user=user).exclude(status=MissionStatus.CANCELLED).exists()
    )


def case_actions(*, user: Any, case: SupportCase) -> QuerySet[CaseAction]:
    qs = case.actions.select_related("author", "introduced_to")
    if sees_case_as_company_only(user=user, case=case):
        qs = qs.filter(shared_with_company=True)
    return qs


def case_missions(case: SupportCase) -> QuerySet[Mission]:
    return case.missions.select_related("expert", "expert__organisation")


def case_outcomes(case: SupportCase) -> QuerySet[CaseOutcome]:
    return case.outcomes.select_related("partner", "application")


def missions_of_expert(*, user: Any, cluster: Cluster) -> QuerySet[Mission]:
    """The missions of the person as an expert (their "my missions" list)."""
    return (
        Mission.objects.filter(cluster=cluster, expert__user=user)
        .exclude(status=MissionStatus.CANCELLED)
        .select_related("case", "case__organisation", "expert")
    )


def mission_visible(*, actor: Any, cluster: Cluster, pk: int) -> Mission:
    mission = (
        Mission.objects.filter(cluster=cluster, pk=pk)
        .select_related("case", "case__organisation", "expert")
        .first()
    )
    if mission is None or not actor.has_perm("support.view_mission", mission):
        raise NotVisible("support.view_mission")
    return mission


def support_staff(*, cluster: Cluster) -> QuerySet[User]:
    """The people who may own a case: the cluster's director and project managers."""
    holders = ClusterRole.objects.filter(
        cluster=cluster, role__in=[Role.DIRECTOR, Role.PROJECT_MANAGER]
    ).values("user_id")
    return User.objects.filter(pk__in=holders).order_by("full_name", "email")


def expert_accounts(*, cluster: Cluster) -> QuerySet[User]:
    """The accounts an expert of the network may be: the cluster's experts and staff."""
    holders = ClusterRole.objects.filter(cluster=cluster).exclude(
        role__in=[Role.MEMBER, Role.COMMITTEE_MEMBER]
    )
    return User.objects.filter(pk__in=holders.values("user_id")).order_by("full_name", "email")
