"""API authentication: a personal token (resolved by ``ApiTokenMiddleware``) or the session."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth


class PersonalToken(HttpBearer):
    openapi_description = "A personal API token created in the profile page: `cd_…`."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        # The middleware has checked the token before the tenant scope was chosen.
        return getattr(request, "api_token_user", None)


AUTH = [PersonalToken(), SessionAuth()]
