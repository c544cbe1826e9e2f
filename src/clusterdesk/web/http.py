"""Responses shared by the web pages and the API."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request: HttpRequest) -> HttpResponse:
    """The single answer for "does not exist" and "not yours"."""
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    raise Http404()


# A lost or refused database connection (a restart, a failover, too many clients): Django
# opens a new connection on the next request, so the person only needs to try again.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 5


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """503 "try again" (JSON under the API), instead of a 500 for a passing database fault."""
    if is_api_request(request):
        response: HttpResponse = JsonResponse(
            {"detail": _("The service is briefly unavailable; try again in a few seconds.")},
            status=503,
        )
    else:
        # A static page: rendering must not need the database (no context processors).
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def stored_file_download(stored: FieldFile, filename: str = "") -> FileResponse:
    """A stored file as a download (never inline: it may come from outside); a missing or
    vanished file is a 404. Callers have checked the permission."""
    if not stored:
        raise Http404()
    try:
        handle = stored.open("rb")
    except FileNotFoundError as exc:
        raise Http404() from exc
    name = filename or str(stored.name).rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


def pdf_download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
