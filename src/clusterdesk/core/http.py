"""Responses shared by the web pages and the API."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request: HttpRequest) -> HttpResponse:
    """The single answer for "does not exist" and "not yours"."""
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    raise Http404()
