"""Bookings: list, one, create (201 confirmed or pending; 409 on an overlap; 422 naming
the reason for a missing or expired authorisation, bad times, closed hours), cancel (204,
the slot is free again)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import paginate
from ninja.responses import Status

from clusterdesk.api.common import Pagination, actor_of, cluster_of, get_or_404
from clusterdesk.api.facilities.resources import BASE
from clusterdesk.api.facilities.schemas import BookingIn, BookingOut, ErrorOut
from clusterdesk.facilities.models import Booking
from clusterdesk.facilities.selectors import (
    bookings_visible_to,
    person_known_to_cluster,
    resources_of,
)
from clusterdesk.facilities.services.bookings import booking_cancel, booking_create
from clusterdesk.projects.selectors.applications import applications_visible_to

router = Router(tags=["facilities"])


def _unprocessable(exc: ValidationError) -> Status:
    pairs: list[tuple[str | None, str]]
    if hasattr(exc, "error_dict"):
        pairs = [(field, m) for field, ms in exc.message_dict.items() for m in ms]
    else:
        pairs = [(None, m) for m in exc.messages]
    errors = [{"field": None if f == "__all__" else f, "message": m} for f, m in pairs]
    return Status(422, {"detail": " ".join(m for _f, m in pairs), "errors": errors})


@router.get(
    f"{BASE}/bookings",
    response=list[BookingOut],
    url_name="facilities_booking_list",
    summary="Bookings you may see (the centre's staff: all; others: theirs)",
)
@paginate(Pagination)
def booking_list(request: HttpRequest, cluster_slug: str) -> QuerySet[Booking]:
    return bookings_visible_to(request.user, cluster_of(request)).order_by("-start", "pk")


@router.get(
    f"{BASE}/bookings/{{booking_id}}",
    response=BookingOut,
    url_name="facilities_booking_detail",
    summary="One booking",
)
def booking_detail(request: HttpRequest, cluster_slug: str, booking_id: int) -> Any:
    return get_or_404(bookings_visible_to(request.user, cluster_of(request)), booking_id)


@router.post(
    f"{BASE}/bookings",
    response={201: BookingOut, 422: ErrorOut},
    url_name="facilities_booking_create",
    summary="Book a resource (pending where it needs approval)",
)
def booking_create_view(request: HttpRequest, cluster_slug: str, payload: BookingIn) -> Any:
    cluster, actor = cluster_of(request), actor_of(request)
    try:
        resource = resources_of(cluster=cluster).filter(pk=payload.resource).first()
        if resource is None:
            raise ValidationError(
                {
                    "resource": _("resource %(id)s is not a resource of this cluster")
                    % {"id": payload.resource}
                }
            )
        person = person_known_to_cluster(cluster=cluster, email=payload.person)
        if person is None:
            raise ValidationError({"person": _("No account of this cluster has this e-mail.")})
        project = None
        if payload.project is not None:
            project = (
                applications_visible_to(user=actor, cluster=cluster)
                .filter(pk=payload.project)
                .first()
            )
            if project is None:
                raise ValidationError({"project": _("No project of yours has this id.")})
        bookings = booking_create(
            actor=actor,
            resource=resource,
            person=person,
            start=payload.start,
            end=payload.end,
            application=project,
            purpose=payload.purpose,
            repeat_weeks=payload.repeat_weeks,
        )
    except ValidationError as exc:
        return _unprocessable(exc)
    first = bookings[0]
    # A weekly series answers with its first booking and the ids of all.
    first.series_ids = [b.pk for b in bookings]  # type: ignore[attr-defined]
    return Status(201, first)


@router.delete(
    f"{BASE}/bookings/{{booking_id}}",
    response={204: None},
    url_name="facilities_booking_cancel",
    summary="Cancel a booking: the slot is free again",
)
def booking_cancel_view(request: HttpRequest, cluster_slug: str, booking_id: int) -> Any:
    booking = get_or_404(bookings_visible_to(request.user, cluster_of(request)), booking_id)
    booking_cancel(actor=actor_of(request), booking=booking)
    return Status(204, None)
