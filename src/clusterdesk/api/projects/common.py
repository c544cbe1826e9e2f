"""What the labelling routes share: their paths, the application a URL names (for the
caller, or the same 404 as a missing one) and the cluster's terms a body names by id."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from clusterdesk.api.common import cluster_of, referenced
from clusterdesk.core.models import Cluster, Domain, Theme
from clusterdesk.projects.models import Application
from clusterdesk.projects.selectors.applications import (
    application_visible,
    applications_with_file,
)

BASE = "/clusters/{cluster_slug}"
APPLICATION = f"{BASE}/applications/{{application_id}}"
ASSIGNMENT = f"{BASE}/assignments/{{assignment_id}}"


def application_of(request: HttpRequest, pk: int) -> Application:
    """The URL's application if the caller may see it (else NotVisible: a JSON 404)."""
    return application_visible(actor=request.user, cluster=cluster_of(request), pk=pk)


def application_out(cluster: Cluster, pk: int) -> Application:
    """An application just written, read again with what its answer shows."""
    return applications_with_file(Application.objects.filter(cluster=cluster)).get(pk=pk)


def domains_named(cluster: Cluster, ids: list[int] | None) -> list[Domain] | None:
    """The cluster's domains a body names by id (``None``: not sent, unchanged)."""
    if ids is None:
        return None
    message = _("domain %(id)s is not a domain of this cluster")
    return [
        referenced(Domain.objects.filter(cluster=cluster), pk, field="domains", message=message)
        for pk in ids
    ]


def themes_named(cluster: Cluster, ids: list[int] | None) -> list[Theme] | None:
    """The cluster's themes a body names by id (``None``: not sent, unchanged)."""
    if ids is None:
        return None
    message = _("theme %(id)s is not a theme of this cluster")
    return [
        referenced(Theme.objects.filter(cluster=cluster), pk, field="themes", message=message)
        for pk in ids
    ]
