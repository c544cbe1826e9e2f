"""Every API error is JSON with a ``detail`` message; nothing leaks as a 500 page."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import pydantic
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from clusterdesk.core.errors import Conflict, DomainError, NotAllowed, NotVisible
from clusterdesk.web.http import DATABASE_UNAVAILABLE, database_unavailable

logger = logging.getLogger(__name__)


def _field_name(loc: Sequence[object]) -> str:
    """The field as the caller wrote it, so 422 and 400 answers name fields alike.

    ninja's location starts with the source (``body``, ``query``, ``path``), then, for a
    schema parameter, the handler's name for it: ``("body", "payload", "year")`` is
    ``year``, ``("query", "filters", "kind", 0)`` is ``kind.0``; ``("query", "limit")`` is
    ``limit`` and a list parameter's ``("query", "ids", 0)`` is ``ids.0``.
    """
    parts = list(loc)
    if len(parts) > 2 and isinstance(parts[2], str):
        parts = parts[2:]
    elif len(parts) > 1:
        parts = parts[1:]
    return ".".join(str(p) for p in parts)


def _database_went_away_while_serialising(exc: Exception) -> bool:
    """A lazy query read by a response schema met a lost connection: pydantic wraps the
    database error into its own and keeps only its text ("OperationalError: …")."""
    if not isinstance(exc, pydantic.ValidationError):
        return False
    names = tuple(f"{error.__name__}:" for error in DATABASE_UNAVAILABLE)
    return any(
        error["type"] == "get_attribute_error"
        and str(error.get("ctx", {}).get("error", "")).startswith(names)
        for error in exc.errors()
    )


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("Not found.")}, status=404)

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return api.create_response(request, {"detail": _("You may not do this.")}, status=403)

    @api.exception_handler(DomainError)
    def refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
        # A service's refusal: invisible objects answer exactly like missing ones.
        if isinstance(exc, NotVisible):
            return not_found(request, exc)
        if isinstance(exc, NotAllowed):
            return forbidden(request, exc)
        body: dict[str, object] = {"detail": exc.message}
        if isinstance(exc, Conflict) and exc.existing is not None:
            body["existing"] = {"id": getattr(exc.existing, "pk", None), "name": str(exc.existing)}
        return api.create_response(request, body, status=exc.status)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        message = _("Authentication required: send 'Authorization: Bearer <token>'.")
        return api.create_response(request, {"detail": message}, status=401)

    @api.exception_handler(NinjaValidationError)
    def invalid_input(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": _field_name(e.get("loc", ())), "message": e.get("msg", "")}
            for e in exc.errors
        ]
        return api.create_response(
            request, {"detail": _("Invalid input."), "errors": errors}, status=422
        )

    @api.exception_handler(ValidationError)
    def rejected(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # A service's ValidationError names its fields (or none: a rule of the whole object).
        if hasattr(exc, "error_dict"):
            pairs = [(field, m) for field, ms in exc.message_dict.items() for m in ms]
        else:
            pairs = [(NON_FIELD_ERRORS, m) for m in exc.messages]
        errors = [
            {"field": None if field == NON_FIELD_ERRORS else field, "message": message}
            for field, message in pairs
        ]
        return api.create_response(
            request, {"detail": " ".join(exc.messages), "errors": errors}, status=400
        )

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def unavailable(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
        logger.warning("Database unavailable on %s: %s", request.path, exc)
        return database_unavailable(request)

    @api.exception_handler(Exception)
    def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        if _database_went_away_while_serialising(exc):
            return unavailable(request, OperationalError(str(exc)))
        logger.exception("API error on %s", request.path)
        return api.create_response(
            request, {"detail": _("Internal error; it has been logged.")}, status=500
        )


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "properties": {
        "detail": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "field": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "message": {"type": "string"},
                },
            },
        },
        "existing": {"type": "object"},
    },
    "required": ["detail"],
}
ERROR_RESPONSES = {
    400: "A rule of the service refused the input (the errors name the fields).",
    401: "No valid token or session.",
    403: "You see this but your role may not do it.",
    404: "Not found, or not yours: both answer the same.",
    409: "The write would duplicate a record, which `existing` names.",
    422: "The input does not have the expected shape (the errors name the fields).",
}
WRITES = {"post", "put", "patch", "delete"}


def document_error_responses(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the JSON errors the handlers above answer to every operation of the OpenAPI
    document, so that a client (and schemathesis) knows every code a route can return."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            codes = {400, 401, 403, 404}
            if operation.get("parameters") or operation.get("requestBody"):
                codes.add(422)
            if method in WRITES:
                codes.add(409)
            responses = operation.setdefault("responses", {})
            for code in sorted(codes):
                responses.setdefault(code, {"description": ERROR_RESPONSES[code], "content": body})
    return schema
