"""What the audit log shows of the support domain (see ``audit.visibility``).

Every entry about a case (its stages, actions, outcomes and missions are recorded on the
case) is as confidential as the case; entries about an expert (their rate, agreement and
conflicts with companies) are shown to the staff who keep the network.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from clusterdesk.audit import visibility
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
