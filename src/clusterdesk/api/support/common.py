"""What the support routes share: their paths and the case a URL names (for the caller,
or the same 404 as a missing one)."""

from __future__ import annotations

from django.http import HttpRequest

from clusterdesk.api.common import cluster_of
from clusterdesk.support.models import SupportCase
from clusterdesk.support.selectors.cases import support_case_visible

BASE = "/clusters/{cluster_slug}/support"
CASE = f"{BASE}/cases/{{case_id}}"
MISSION = f"{BASE}/missions/{{mission_id}}"
EXPERT = f"{BASE}/experts/{{expert_id}}"


def case_of(request: HttpRequest, pk: int) -> SupportCase:
    """The URL's case if the caller may see it (else NotVisible: a JSON 404)."""
    return support_case_visible(actor=request.user, cluster=cluster_of(request), pk=pk)
