"""A labelled project's funding applications, with each partner's amounts."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.responses import Status

from clusterdesk.api.common import actor_of, sent
from clusterdesk.api.projects.common import APPLICATION, application_of
from clusterdesk.api.projects.schemas import FundingIn, FundingLineIn, FundingOut
from clusterdesk.projects.models import Application
from clusterdesk.projects.selectors.applications import application_fundings
from clusterdesk.projects.services.funding import funding_save

router = Router()


def _funding_lines(
    application: Application, lines: list[FundingLineIn]
) -> dict[int, tuple[Decimal, Decimal]]:
    """The body's lines for the service, each partner once and of this consortium."""
    partner_ids = set(application.partners.values_list("pk", flat=True))
    out: dict[int, tuple[Decimal, Decimal]] = {}
    for i, line in enumerate(lines):
        if line.partner not in partner_ids:
            raise ValidationError(
                {
                    f"lines.{i}.partner": _("partner %(id)s is not in this consortium")
                    % {"id": line.partner}
                }
            )
        if line.partner in out:
            raise ValidationError({f"lines.{i}.partner": _("This partner has a line already.")})
        out[line.partner] = (line.requested_eur, line.granted_eur)
    return out


@router.get(
    f"{APPLICATION}/fundings",
    response=list[FundingOut],
    url_name="projects_funding_list",
    summary="A labelled project's funding applications",
    tags=["funding"],
)
def funding_list(request: HttpRequest, cluster_slug: str, application_id: int) -> Any:
    return list(application_fundings(application_of(request, application_id)))


@router.post(
    f"{APPLICATION}/fundings",
    response={201: FundingOut},
    url_name="projects_funding_create",
    summary="Record a funding application of a labelled project",
    tags=["funding"],
)
def funding_create(
    request: HttpRequest, cluster_slug: str, application_id: int, payload: FundingIn
) -> Any:
    application = application_of(request, application_id)
    funding = funding_save(
        actor=actor_of(request),
        application=application,
        funding=None,
        lines=_funding_lines(application, payload.lines),
        **sent(payload, exclude={"lines"}),
    )
    return Status(201, application_fundings(application).get(pk=funding.pk))
