"""Which audit entries a person may read: the extension point of the domain apps.

An audit entry names its object by content type and id, and often copies its fields
(before/after). An entry is therefore exactly as confidential as its object. The audit app
sits below the domain apps and cannot know their rules, so each domain app registers, for
the object types it audits, a function ``(user, cluster) -> QuerySet`` of the objects of
that type the person may read (``projects`` registers its applications with
``applications_visible_to``). An entry about an object of a registered type is shown only
if the object is in that queryset; entries about other types are shown to whoever holds the
cluster-level ``core.view_audit_cluster``.

A domain app may also register a type as *shared* (``register_shared``): one record seen by
several clusters, such as an organisation. The function ``(cluster) -> QuerySet`` gives the
objects of that type the cluster follows, and their entries written by any cluster are
shown in the cluster's log, with the acting cluster named.

Registrations are made once, in the domain app's ``AppConfig.ready()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from clusterdesk.core.models import Cluster

VisibleObjects = Callable[[Any, Cluster], QuerySet[Any]]
FollowedObjects = Callable[[Cluster], QuerySet[Any]]

_visible: dict[str, VisibleObjects] = {}
_shared: dict[str, FollowedObjects] = {}


def register(model_label: str, visible: VisibleObjects) -> None:
    """Show entries about ``model_label`` ("app_label.model") objects only to those who
    may read the object: ``visible(user, cluster)`` returns the readable ones."""
    _visible[model_label.lower()] = visible


def register_shared(model_label: str, followed: FollowedObjects) -> None:
    """Show the entries about a shared object, whichever cluster wrote them, to every
    cluster for which ``followed(cluster)`` holds it."""
    _shared[model_label.lower()] = followed


def visibility_rules() -> dict[str, VisibleObjects]:
    return dict(_visible)


def shared_types() -> dict[str, FollowedObjects]:
    return dict(_shared)
