"""The workflow: the moves the caller may ask for, and asking for one. Who may ask for which
move is the workflow service's to decide (``projects.rules``); the list shows exactly the
moves it would accept from the caller."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router

from clusterdesk.api.common import actor_of, cluster_of, referenced
from clusterdesk.api.projects.common import APPLICATION, application_of, application_out
from clusterdesk.api.projects.schemas import ApplicationOut, TransitionIn, TransitionOut
from clusterdesk.projects.models import CommitteeSession
from clusterdesk.projects.selectors.applications import application_moves_for
from clusterdesk.projects.services.workflow import application_transition
from clusterdesk.projects.states import NEEDS_REASON

router = Router()


@router.get(
    f"{APPLICATION}/transitions",
    response=list[TransitionOut],
    url_name="projects_transition_list",
    summary="The moves you may ask for from the application's state",
    tags=["applications"],
)
def transition_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    application = application_of(request, application_id)
    return [
        {"to": to.value, "label": str(to.label), "needs_reason": to in NEEDS_REASON}
        for to in application_moves_for(actor=actor_of(request), application=application)
    ]


@router.post(
    f"{APPLICATION}/transitions",
    response=ApplicationOut,
    url_name="projects_application_transition",
    summary="Move an application along the workflow (submit, decide, withdraw …)",
    tags=["applications"],
)
def application_transition_view(
    request: HttpRequest, cluster_slug: str, application_id: int, payload: TransitionIn
) -> Any:
    application = application_of(request, application_id)
    cluster = cluster_of(request)
    session = None
    if payload.session is not None:
        session = referenced(
            CommitteeSession.objects.filter(cluster=cluster),
            payload.session,
            field="session",
            message=_("session %(id)s is not a committee session of this cluster"),
        )
    application_transition(
        actor=actor_of(request),
        application=application,
        to=payload.to,
        reason=payload.reason,
        session=session,
        confirm_eligibility=payload.confirm_eligibility,
    )
    return application_out(cluster, application.pk)
