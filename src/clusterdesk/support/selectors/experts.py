"""The expert network: the cluster's experts, their conflicts with a company, and the
experts suggested for a case.

``experts_suggested_for`` is the one place that ranks experts for a case: today by the
overlap of competences and domains; the matcher of the issue "matching"
(``solvers/matching``) replaces its scoring without changing its callers.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from clusterdesk.core.errors import NotVisible
from clusterdesk.core.models import Cluster, Domain
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import relationship_of
from clusterdesk.projects.matching import text_scores
from clusterdesk.support.choices import Availability, MissionStatus, Need
from clusterdesk.support.models import Expert, ExpertConflict, SupportCase


def experts_of(*, cluster: Cluster) -> QuerySet[Expert]:
    return (
        Expert.objects.filter(cluster=cluster)
        .select_related("organisation", "user")
        .prefetch_related("domains")
        .annotate(n_missions=Count("missions", filter=~Q(missions__status=MissionStatus.CANCELLED)))
    )


def expert_of(*, cluster: Cluster, pk: int) -> Expert:
    expert = experts_of(cluster=cluster).filter(pk=pk).first()
    if expert is None:
        raise NotVisible("support.expert")
    return expert


def expert_of_user(*, cluster: Cluster, user: Any) -> Expert | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Expert.objects.filter(cluster=cluster, user=user).first()


def expert_conflicts(expert: Expert) -> QuerySet[ExpertConflict]:
    return expert.conflicts.select_related("organisation", "recorded_by")


def expert_conflict_with(expert: Expert, organisation: Organisation) -> str | None:
    """Why the expert may not work for the company, or None: they declared (or the staff
    recorded) a conflict with it, or they work for it."""
    if expert.organisation_id == organisation.pk:
        return _("%(expert)s works for %(organisation)s.") % {
            "expert": expert,
            "organisation": organisation,
        }
    declared = expert.conflicts.filter(organisation=organisation).first()
    if declared is not None:
        return _("%(expert)s declared a conflict of interest with %(organisation)s: %(reason)s") % {
            "expert": expert,
            "organisation": organisation,
            "reason": declared.reason,
        }
    return None


def agreement_problem(expert: Expert, on: datetime.date) -> str | None:
    """Why the expert may not start a mission on ``on`` for want of a confidentiality
    agreement, or None."""
    if not expert.agreement:
        return _("%(expert)s has no confidentiality agreement on file.") % {"expert": expert}
    if expert.agreement_expires_on is None or expert.agreement_expires_on < on:
        return _("The confidentiality agreement of %(expert)s expired on %(date)s.") % {
            "expert": expert,
            "date": expert.agreement_expires_on or "—",
        }
    return None


# -- suggestions --------------------------------------------------------------------------

# The words a need brings to the comparison with the experts' competences.
NEED_WORDS: dict[str, tuple[str, ...]] = {
    Need.MARKET_STUDY: ("market", "marché", "marketing", "business"),
    Need.TECHNICAL_EXPERTISE: ("technical", "technique", "process", "procédé", "bioproduction"),
    Need.PARTNER_SEARCH: ("partnership", "partenariat", "licensing", "business development"),
    Need.FUNDRAISING: ("fundraising", "levée de fonds", "finance", "venture", "investors"),
    Need.IP: ("ip", "patent", "brevet", "propriété intellectuelle", "licensing"),
    Need.REGULATORY: ("regulatory", "réglementaire", "ce marking", "marquage ce", "clinical"),
    Need.HOSTING: ("laboratory", "laboratoire", "bsl", "real estate"),
    Need.FUNDING_SEARCH: ("public funding", "financement public", "grants", "subventions"),
    Need.OTHER: (),
}
WORD = re.compile(r"[\w-]{3,}")


def _words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(text)}


@dataclass
class Suggestion:
    expert: Expert
    score: float
    competences: list[str] = field(default_factory=list)
    domains: list[Domain] = field(default_factory=list)
    # What the matcher found in common with the case (stems of shared words).
    terms: list[str] = field(default_factory=list)


def case_domains(case: SupportCase) -> list[Domain]:
    """The domains the cluster files the company under (its relationship)."""
    relationship = relationship_of(cluster=case.cluster, organisation=case.organisation)
    return list(relationship.domains.all()) if relationship else []


def experts_suggested_for(case: SupportCase, *, limit: int = 10) -> list[Suggestion]:
    """The cluster's active, available experts with no conflict on the company and a
    competence or a domain in common with the case, best first.

    A competence counts when it names the case's need or shares a word with the case's
    title and description; each domain in common counts one; the matcher's fit of the
    competences to the case adds up to two. The experts already on the case are left out."""
    domains = case_domains(case)
    domain_ids = {d.pk for d in domains}
    wanted_phrases = {w.lower() for w in NEED_WORDS.get(case.need, ())}
    case_words = _words(f"{case.title} {case.description}") | _words(case.get_need_display())
    conflicted = ExpertConflict.objects.filter(
        cluster=case.cluster, organisation=case.organisation
    ).values("expert_id")
    on_case = case.missions.exclude(status=MissionStatus.CANCELLED).values("expert_id")
    candidates = list(
        Expert.objects.filter(cluster=case.cluster, active=True)
        .exclude(availability=Availability.UNAVAILABLE)
        .exclude(pk__in=conflicted)
        .exclude(pk__in=on_case)
        .exclude(organisation=case.organisation)
        .select_related("organisation")
        .prefetch_related(Prefetch("domains", queryset=Domain.objects.all()))
    )
    # The matcher (French and English, explained) reads the competences against the case.
    fits, _model = text_scores(
        f"{case.title}\n{case.description}\n{case.get_need_display()}",
        {e.pk: [*e.competence_list, *(d.name for d in e.domains.all())] for e in candidates},
    )
    suggestions = []
    for expert in candidates:
        fit = fits.get(expert.pk)
        matched = []
        for competence in expert.competence_list:
            low = competence.lower()
            if any(p in low for p in wanted_phrases) or _words(low) & case_words:
                matched.append(competence)
        shared = [d for d in expert.domains.all() if d.pk in domain_ids]
        if not matched and not shared and fit is None:
            continue
        score = float(len(matched) + len(shared)) + (2 * fit.score if fit else 0.0)
        if expert.availability == Availability.LIMITED:
            score -= 0.5
        terms = list(fit.why.terms[:5]) if fit else []
        suggestions.append(Suggestion(expert, round(score, 3), matched, shared, terms))
    suggestions.sort(key=lambda s: (-s.score, s.expert.name, s.expert.pk))
    return suggestions[:limit]
