"""Applications: who may see which (as a queryset), one application for an actor, its
file, the totals derived from its consortium, eligibility, the moves an actor may make,
and the organisations an actor may name as coordinator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from clusterdesk.core.errors import NotVisible, require
from clusterdesk.core.models import Cluster
from clusterdesk.core.rules import is_project_staff
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import member_organisations, organisations_followed
from clusterdesk.projects.models import (
    Application,
    CommitteeConflict,
    CommitteeSession,
    FundingApplication,
    FundingLine,
    Partner,
    ReviewAssignment,
)
from clusterdesk.projects.rules import move_permission
from clusterdesk.projects.states import TRANSITIONS

S = Application.State
RESEARCH_KINDS = {
    OrganisationKind.RESEARCH_ORG,
    OrganisationKind.HIGHER_EDUCATION,
    OrganisationKind.HOSPITAL,
}
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=16, decimal_places=2))


def applications_visible_to(*, user: Any, cluster: Cluster) -> QuerySet[Application]:
    """Every application of the cluster the person may see: the queryset form of
    ``projects.rules.can_view_application`` (lists, search, exports and the API use it)."""
    qs = Application.objects.filter(cluster=cluster)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if is_project_staff(user, cluster):
        return qs
    # Each way in is a subquery that does not depend on the row (``pk IN (…)``): the
    # database computes the person's few applications once, instead of testing every
    # application of the cluster (no join either, so no DISTINCT over every column).
    mine = member_organisations(cluster=cluster, user=user).values("pk")
    as_partner = Partner.objects.filter(cluster=cluster, organisation_id__in=mine)
    as_reviewer = ReviewAssignment.objects.filter(
        cluster=cluster, expert__user=user, no_conflict_declared_at__isnull=False
    )
    # The members of the session that holds it, unless they declared a conflict with it.
    sits_on = CommitteeSession.members.through.objects.filter(user_id=user.pk)
    stood_aside = CommitteeConflict.objects.filter(cluster=cluster, member=user.pk)
    visible = (
        Q(pk__in=as_partner.values("application_id"))
        | Q(pk__in=as_reviewer.values("application_id"))
        | (
            Q(committee_session_id__in=sits_on.values("committeesession_id"))
            & ~Q(pk__in=stood_aside.values("application_id"))
        )
    )
    return qs.filter(visible)


def applications_with_file(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """``queryset`` with what a list or a file shows of each (call, session, consortium,
    taxonomy) fetched in a fixed number of queries."""
    return queryset.select_related("call", "committee_session").prefetch_related(
        Prefetch("partners", queryset=Partner.objects.select_related("organisation", "contact")),
        "domains",
        "themes",
    )


def application_visible(*, actor: Any, cluster: Cluster, pk: int) -> Application:
    """The cluster's application ``pk`` if the actor may see it; else NotVisible, the same
    answer as for a missing one: that an application exists is confidential too."""
    application = (
        Application.objects.filter(cluster=cluster)
        .select_related("call", "committee_session")
        .filter(pk=pk)
        .first()
    )
    if application is None or not actor.has_perm("projects.view_application", application):
        raise NotVisible("projects.view_application")
    return application


def application_moves_for(*, actor: Any, application: Application) -> list[Application.State]:
    """The states the actor may move the application to from its own, in workflow order:
    the moves ``services.workflow.application_transition`` accepts from them (whose own
    rules — a reason, eligibility, a session — it checks then)."""
    allowed = TRANSITIONS.get(application.state, frozenset())
    return [s for s in S if s in allowed and actor.has_perm(move_permission(s), application)]


def application_coordinators_for(*, actor: Any, cluster: Cluster) -> QuerySet[Organisation]:
    """The organisations the actor may name as the coordinator of a new application: any the
    cluster follows for the project staff, the ones they speak for for a member; anyone else
    may create none (NotAllowed)."""
    require(actor, "projects.create_application", cluster)
    if is_project_staff(actor, cluster):
        return organisations_followed(cluster=cluster).order_by("name", "pk")
    return member_organisations(cluster=cluster, user=actor)


def application_partners(application: Application) -> QuerySet[Partner]:
    return application.partners.select_related("organisation", "contact")


def application_fundings(application: Application) -> QuerySet[FundingApplication]:
    """The labelled project's funding applications with each partner's line."""
    return FundingApplication.objects.filter(
        cluster=application.cluster, application=application
    ).prefetch_related(
        Prefetch("lines", queryset=FundingLine.objects.select_related("partner__organisation"))
    )


def application_totals(application: Application) -> dict[str, Decimal]:
    """Budget, requested aid and person-months summed over the consortium (never typed)."""
    totals = application.partners.aggregate(
        budget=Coalesce(Sum("budget_eur"), ZERO),
        requested=Coalesce(Sum("requested_aid_eur"), ZERO),
        person_months=Coalesce(Sum("person_months"), Value(Decimal(0))),
    )
    granted = FundingLine.objects.filter(
        funding__application=application, funding__status="granted"
    ).aggregate(total=Coalesce(Sum("granted_eur"), ZERO))["total"]
    return totals | {"granted": granted}


def eligibility_problems(application: Application) -> list[str]:
    """What the call's eligibility rules find wrong with the application (empty: eligible)."""
    call = application.call
    partners = list(application.partners.select_related("organisation"))
    problems = []
    if len(partners) < call.min_partners:
        problems.append(
            _("The call needs at least %(n)d partners; there are %(m)d.")
            % {"n": call.min_partners, "m": len(partners)}
        )
    if sum(1 for p in partners if p.role == Partner.Role.COORDINATOR) != 1:
        problems.append(_("The consortium needs exactly one coordinator."))
    if call.requires_sme and not any(p.organisation.is_sme for p in partners):
        problems.append(_("The call needs at least one SME partner."))
    if call.requires_research and not any(p.organisation.kind in RESEARCH_KINDS for p in partners):
        problems.append(_("The call needs at least one research partner."))
    eligible_domains = set(call.domains.values_list("pk", flat=True))
    if eligible_domains and not eligible_domains & set(
        application.domains.values_list("pk", flat=True)
    ):
        problems.append(_("The project is in none of the call's domains."))
    return problems


def application_file(application: Application) -> dict[str, Any]:
    """What a read-only view of the file shows: consortium, totals, documents, taxonomy."""
    return {
        "partners": list(application.partners.select_related("organisation")),
        "totals": application_totals(application),
        "documents": list(application.documents.all()),
        "domains": list(application.domains.all()),
        "themes": list(application.themes.all()),
    }


def applications_search(
    *,
    user: Any,
    cluster: Cluster,
    q: str = "",
    state: str = "",
    call: Any = None,
) -> QuerySet[Application]:
    """The applications the person may see (``applications_visible_to``) matching a text
    (acronym, title, label number or a partner's name), a state and a call; current work
    first (the latest created), with the call and the coordinator's name for the list."""
    qs = applications_visible_to(user=user, cluster=cluster)
    if q:
        partners = Partner.objects.filter(application=OuterRef("pk")).filter(
            Q(organisation__name__icontains=q) | Q(organisation__usual_name__icontains=q)
        )
        qs = qs.filter(
            Q(acronym__icontains=q)
            | Q(title__icontains=q)
            | Q(label_number__icontains=q)
            | Q(Exists(partners))
        )
    if state:
        qs = qs.filter(state=state)
    if call is not None:
        qs = qs.filter(call=call)
    coordinator = Partner.objects.filter(application=OuterRef("pk"), role=Partner.Role.COORDINATOR)
    return (
        qs.select_related("call")
        .annotate(coordinator_name=Subquery(coordinator.values("organisation__name")[:1]))
        .order_by("-created_at", "-pk")
    )
