"""Personal API tokens: ``Authorization: Bearer cd_…`` on /api/ requests sets the person.

It runs before the tenant-scope middleware so the scope follows the token's owner.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

from clusterdesk.accounts.services import api_token_authenticate
from clusterdesk.web.http import is_api_request


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.headers.get("Authorization", "")
        if is_api_request(request) and header:
            scheme, _sep, raw = header.partition(" ")
            if scheme.lower() != "bearer" or not raw.strip():
                return JsonResponse(
                    {"detail": _("Use 'Authorization: Bearer <token>'.")}, status=401
                )
            user = api_token_authenticate(raw.strip())
            if user is None:
                return JsonResponse(
                    {"detail": _("Invalid, expired or revoked API token.")}, status=401
                )
            request.user = user
            request.api_token_user = user  # type: ignore[attr-defined]
        return self.get_response(request)
