"""What the audit log shows of the support domain (see ``audit.visibility``).

Every entry about a case (its stages, actions, outcomes and missions are recorded on the
case) is as confidential as the case; entries about an expert (their rate, agreement and
conflicts with companies) are shown to the staff who keep the network.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.core.models import Cluster
from clusterdesk.support.models import Expert, SupportCase
from clusterdesk.support.selectors.cases import support_cases_visible_to


def readable_cases(user: Any, cluster: Cluster) -> QuerySet[SupportCase]:
    return support_cases_visible_to(user=user, cluster=cluster)


def readable_experts(user: Any, cluster: Cluster) -> QuerySet[Expert]:
    experts = Expert.objects.filter(cluster=cluster)
    return experts if user.has_perm("support.manage_experts", cluster) else experts.none()


def register() -> None:
    visibility.register("support.supportcase", readable_cases)
    visibility.register("support.expert", readable_experts)
    actions_register(
        {
            "support_case.*": _("Support cases: every action"),
            "support_case.created": _("Support case opened"),
            "support_case.requested": _("Support requested by the company"),
            "support_case.updated": _("Support case changed"),
            "support_case.stage_changed": _("Company's stage changed"),
            "support_case.status_changed": _("Support case status changed"),
            "support_case.action_added": _("Action recorded on the case"),
            "support_case.outcome_recorded": _("Case outcome recorded"),
            "support_case.rated": _("Support rated by the company"),
            "support_case.mission_given": _("Expert mission given"),
            "support_case.mission_updated": _("Expert mission changed"),
            "support_case.mission_reported": _("Expert mission report filed"),
            "expert.agreement_filed": _("Confidentiality agreement filed"),
            "expert.conflict_declared": _("Expert's conflict of interest declared"),
            "funding_programme.*": _("Funding programmes: every action"),
            "funding_programme.created": _("Funding programme added"),
            "funding_programme.updated": _("Funding programme changed"),
        }
    )
