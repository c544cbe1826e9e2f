"""Committee sessions: all of them for the project staff, the ones they sit on for a
committee member."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.pagination import paginate

from clusterdesk.api.common import Pagination, cluster_of, get_or_404
from clusterdesk.api.projects.common import BASE
from clusterdesk.api.projects.schemas import SessionDetailOut, SessionOut
from clusterdesk.projects.models import CommitteeSession
from clusterdesk.projects.selectors.committee import sessions_visible_to

router = Router()


@router.get(
    f"{BASE}/committee-sessions",
    response=list[SessionOut],
    url_name="projects_session_list",
    summary="Committee sessions, latest first: all for the staff, yours for a member",
    tags=["committee"],
)
@paginate(Pagination)
def session_list(request: HttpRequest, cluster_slug: str) -> QuerySet[CommitteeSession]:
    cluster = cluster_of(request)
    user = request.user
    if not (
        user.has_perm("projects.manage_calls", cluster)
        or user.has_perm("projects.sit_on_committee", cluster)
    ):
        raise PermissionDenied
    return sessions_visible_to(user=user, cluster=cluster).order_by("-date", "-pk")


@router.get(
    f"{BASE}/committee-sessions/{{session_id}}",
    response=SessionDetailOut,
    url_name="projects_session_detail",
    summary="One committee session with its members and agenda",
    tags=["committee"],
)
def session_detail(request: HttpRequest, cluster_slug: str, session_id: int) -> Any:
    return get_or_404(
        sessions_visible_to(user=request.user, cluster=cluster_of(request)), session_id
    )
