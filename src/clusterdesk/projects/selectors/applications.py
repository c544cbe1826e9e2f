"""Applications: who may see which (as a queryset), one application for an actor, its
file, the totals derived from its consortium, eligibility, the moves an actor may make,
and the organisations an actor may name as coordinator."""

from __future__ import annotations

from dataclasses import dataclass
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

from clusterdesk.audit.selectors import audit_entries_for_object
from clusterdesk.core.errors import NotVisible, require
from clusterdesk.core.models import Cluster
from clusterdesk.core.rules import is_project_staff
from clusterdesk.crm.kinds import OrganisationKind
from clusterdesk.crm.models import Contact, Organisation
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


@dataclass(frozen=True)
class EligibilityProblem:
    """One of the call's rules the application does not meet. A ``blocking`` one stops the
    submission (the file cannot be handled without it); any other the applicants may
    submit past, once they have read it and confirmed, and the cluster's team decides on
    eligibility (``states.ELIGIBLE``), where every problem refuses the move."""

    rule: str
    message: str
    blocking: bool = False

    def __str__(self) -> str:
        return self.message


# Blocking: a file with no coordinator (or two) has nobody to answer for it, and a file with
# no budget cannot be reviewed. The consortium's make-up (how many partners, an SME, a
# research partner) and the call's domains are the team's judgement: the applicants are
# warned and may submit anyway.
BLOCKING_RULES = frozenset({"coordinator", "budget"})


def eligibility_check(application: Application) -> list[EligibilityProblem]:
    """What the call's eligibility rules find wrong with the application (empty: eligible)."""
    call = application.call
    partners = list(application.partners.select_related("organisation"))
    found: list[tuple[str, str]] = []
    if len(partners) < call.min_partners:
        found.append(
            (
                "partners",
                _("The call needs at least %(n)d partners; there are %(m)d.")
                % {"n": call.min_partners, "m": len(partners)},
            )
        )
    if sum(1 for p in partners if p.role == Partner.Role.COORDINATOR) != 1:
        found.append(("coordinator", _("The consortium needs exactly one coordinator.")))
    if call.requires_sme and not any(p.organisation.is_sme for p in partners):
        found.append(("sme", _("The call needs at least one SME partner.")))
    if call.requires_research and not any(p.organisation.kind in RESEARCH_KINDS for p in partners):
        found.append(("research", _("The call needs at least one research partner.")))
    if sum((p.budget_eur or Decimal(0) for p in partners), Decimal(0)) <= 0:
        found.append(("budget", _("The project's budget is 0 €: give each partner's budget.")))
    eligible_domains = set(call.domains.values_list("pk", flat=True))
    if eligible_domains and not eligible_domains & set(
        application.domains.values_list("pk", flat=True)
    ):
        found.append(("domains", _("The project is in none of the call's domains.")))
    return [EligibilityProblem(rule, message, rule in BLOCKING_RULES) for rule, message in found]


def eligibility_problems(application: Application) -> list[str]:
    """The messages of ``eligibility_check`` (empty: eligible)."""
    return [p.message for p in eligibility_check(application)]


def application_file(application: Application) -> dict[str, Any]:
    """What a read-only view of the file shows: consortium, totals, documents, taxonomy."""
    return {
        "partners": list(application.partners.select_related("organisation")),
        "totals": application_totals(application),
        "documents": list(application.documents.all()),
        "domains": list(application.domains.all()),
        "themes": list(application.themes.all()),
    }


# -- who is told of a change of state --------------------------------------------------------


def application_notice_recipients(application: Application) -> list[Contact]:
    """The people a notice about the application (its submission, a decision …) goes to,
    by e-mail: for each organisation of the consortium, the contact named for the project,
    and its contacts with a portal account; an organisation with neither is reached through
    every contact the cluster has for it. Only contacts with an e-mail, not erased; one
    e-mail per address."""
    partners = list(application.partners.all())
    contacts = list(
        Contact.objects.filter(
            cluster=application.cluster,
            organisation_id__in=[p.organisation_id for p in partners],
            anonymised_at=None,
        )
        .exclude(email="")
        .select_related("organisation")
        .order_by("organisation__name", "last_name", "first_name", "pk")
    )
    by_org: dict[int, list[Contact]] = {}
    for contact in contacts:
        by_org.setdefault(contact.organisation_id, []).append(contact)
    chosen: list[Contact] = []
    for partner in sorted(partners, key=lambda p: (p.role != Partner.Role.COORDINATOR, p.pk)):
        theirs = by_org.get(partner.organisation_id, [])
        picked = [c for c in theirs if c.pk == partner.contact_id or c.user_id is not None]
        chosen.extend(picked or theirs)
    seen: set[str] = set()
    recipients = []
    for contact in chosen:
        if contact.email.lower() not in seen:
            seen.add(contact.email.lower())
            recipients.append(contact)
    return recipients


def application_notices(application: Application) -> list[dict[str, Any]]:
    """The notices sent about the application, newest first: when, which state, to whom
    (as the workflow recorded them in its audit entries)."""
    entries = audit_entries_for_object(obj=application).filter(
        action__startswith="application.", after__has_key="notified"
    )
    notices = []
    for entry in entries:
        after = entry.after or {}
        state = after.get("state", "")
        notices.append(
            {
                "at": entry.created_at,
                "state": S(state).label if state in S.values else state,
                "recipients": after.get("notified") or [],
            }
        )
    return notices


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
