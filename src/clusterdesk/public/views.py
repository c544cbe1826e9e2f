"""Pages outside any one cluster: the start page, regions, and the error pages."""

from __future__ import annotations

import sys
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.utils.translation import gettext as _

from clusterdesk.core.inputs import search_text
from clusterdesk.core.models import Region
from clusterdesk.core.selectors import (
    region_clusters,
    region_list,
    region_summary,
    user_audience,
    user_cluster_ids,
    user_clusters,
    user_funded_region_ids,
)
from clusterdesk.crm.selectors import public_directory
from clusterdesk.web.http import DATABASE_UNAVAILABLE, database_unavailable, is_api_request


def home(request: HttpRequest) -> HttpResponse:
    """Signed-in people land in their cluster; with several, they choose."""
    if not request.user.is_authenticated:
        return render(request, "public/welcome.html", {"regions": region_list()})
    clusters = list(user_clusters(request.user))
    last = request.session.get("last_cluster")
    if len(clusters) == 1 and not user_funded_region_ids(request.user):
        return redirect("backoffice:cluster_home", cluster_slug=clusters[0].slug)
    context = {"clusters": clusters, "last_cluster": last, "regions": region_list()}
    return render(request, "public/home.html", context)


def region(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The region's clusters side by side; the facts are public, cluster pages are not."""
    reg = get_object_or_404(Region, slug=region_slug)
    openable = user_cluster_ids(request.user)
    context: dict[str, Any] = {
        "region": reg,
        "clusters": region_clusters(region=reg),
        "summary": region_summary(region=reg),
        "openable": openable,
        "funds_region": reg.pk in user_funded_region_ids(request.user),
    }
    return render(request, "public/region.html", context)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": _("Not found.")}, status=404)
    return render(request, "404.html", status=404)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if is_api_request(request):
        return JsonResponse({"detail": _("You may not do this.")}, status=403)
    # The words follow the reader: a funder or a member has no director to ask.
    cluster = getattr(request, "cluster", None)
    context = {"audience": user_audience(request.user, cluster), "refused_cluster": cluster}
    return render(request, "403.html", context, status=403)


def error_500(request: HttpRequest) -> HttpResponse:
    # Django calls this while handling the exception, wherever it was raised: in a view or
    # in a middleware (the session, the user and the tenant scope are the first to query a
    # database that went away), which a middleware's process_exception would not see.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return database_unavailable(request)
    if is_api_request(request):
        return JsonResponse({"detail": "Internal error; it has been logged."}, status=500)
    # No context processors: the error may come from the database they need.
    return HttpResponse(loader.get_template("500.html").render(), status=500)


def directory(request: HttpRequest, public_cluster_slug: str) -> HttpResponse:
    """The public directory: members who agreed to be listed (the middleware opened the
    cluster's scope; only public data is read here)."""
    from django.core.paginator import Paginator

    cluster = request.cluster  # type: ignore[attr-defined]
    q = search_text(request.GET.get("q", ""))
    page = Paginator(public_directory(cluster=cluster, q=q), 30).get_page(request.GET.get("page"))
    return render(request, "public/directory.html", {"cluster": cluster, "page": page, "q": q})


def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitoring: the application answers and reaches its database
    (a lost database is answered 503 like any other page)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
