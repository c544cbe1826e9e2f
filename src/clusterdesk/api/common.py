"""Helpers the API routers share: the URL's cluster, permission checks, fetching an object
of the cluster, objects named by id in a request body, pagination."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from clusterdesk.accounts.models import User
from clusterdesk.api.fields import InputSchema
from clusterdesk.core.errors import require as require_permission
from clusterdesk.core.models import Cluster

M = TypeVar("M", bound=Model)


def cluster_of(request: HttpRequest) -> Cluster:
    """The cluster of the URL's ``cluster_slug``, set by the tenant middleware once it
    checked access and opened the scope."""
    return request.cluster  # type: ignore[attr-defined]


def actor_of(request: HttpRequest) -> User:
    """The caller, who is signed in: every route needs a token or a session."""
    return cast(User, request.user)


def require(request: HttpRequest, permission: str) -> None:
    """Refuse (JSON 403) a caller who lacks ``permission`` on the URL's cluster: for the
    reads, which have no service; writes are refused by their service."""
    require_permission(request.user, permission, cluster_of(request))


def get_or_404(queryset: QuerySet[M], pk: int) -> M:
    """The object ``pk`` among ``queryset`` (the cluster's own rows), else the same JSON 404
    for "does not exist" and "not yours"."""
    return get_object_or_404(queryset, pk=pk)


def referenced(queryset: QuerySet[M], pk: int, *, field: str, message: str) -> M:
    """The object a request body names by id, else a 400 naming the field.

    ``message`` is a translated string with ``%(id)s``; a body is input, so an unknown id
    is a mistake in it (400), not a missing resource (404).
    """
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise ValidationError({field: message % {"id": pk}})
    return obj


def sent(payload: Schema | None, *, exclude: Collection[str] = ()) -> dict[str, Any]:
    """The fields the request body set, for a service's keyword arguments: a field left out
    keeps its value (PATCH) or the model's default (POST); an empty PATCH changes nothing."""
    if payload is None:
        return {}
    return payload.model_dump(exclude_unset=True, exclude=set(exclude))


class Pagination(LimitOffsetPagination):
    """``limit`` (50 by default, at most 500) items from ``offset``, with the total count."""

    class Input(InputSchema):
        limit: int = Field(50, ge=1, le=500)
        offset: int = Field(0, ge=0)
