from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from clusterdesk.core.models import Region
from clusterdesk.core.selectors import user_funded_region_ids, user_role_clusters
from clusterdesk.web.navigation import CLUSTER_MENU


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The current cluster, the person's other clusters and the menu entries they may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cluster = getattr(request, "cluster", None)
    menu = []
    if cluster is not None:
        for entry in CLUSTER_MENU:
            if user.has_perm(entry.permission, cluster):
                url = reverse(entry.url_name, kwargs={"cluster_slug": cluster.slug})
                menu.append({"label": entry.label, "url": url, "active": request.path == url})
    return {
        "current_cluster": cluster,
        "cluster_menu": menu,
        "my_clusters": user_role_clusters(user),
        "funded_regions": Region.objects.filter(pk__in=user_funded_region_ids(user)),
    }
