"""Open the tenant scope for every web and API request.

A URL that names a cluster (``cluster_slug``) opens that cluster's scope once the person is
known to have access to it; a cluster that does not exist and one the person may not open
answer the same 404. Every other URL runs in the scope of the clusters the person may open.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from clusterdesk.core.errors import Conflict, DomainError, NotAllowed, NotVisible
from clusterdesk.core.models import Cluster
from clusterdesk.core.selectors import user_cluster_ids
from clusterdesk.web.http import is_api_request, not_found


class TenantScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        slug = match.kwargs.get("cluster_slug") if match else None
        public_slug = match.kwargs.get("public_cluster_slug") if match else None

        if public_slug is not None:
            # Public pages (the directory) show a cluster's public data to anyone.
            cluster = Cluster.objects.filter(slug=public_slug).first()
            if cluster is None:
                return not_found(request)
            request.cluster = cluster  # type: ignore[attr-defined]
            with scope(cluster=cluster):
                return self.get_response(request)

        if slug is None:
            if match is not None and match.app_name == "admin" and request.user.is_superuser:
                # Django's admin is for superusers only and sees every cluster.
                with scopes_disabled():
                    return self.get_response(request)
            with scope(cluster=sorted(user_cluster_ids(request.user))):
                return self.get_response(request)

        if not request.user.is_authenticated and not is_api_request(request):
            return redirect_to_login(request.get_full_path())
        cluster = Cluster.objects.select_related("region").filter(slug=slug).first()
        if cluster is None or not request.user.has_perm("core.view_cluster", cluster):
            return not_found(request)
        request.cluster = cluster  # type: ignore[attr-defined]
        with scope(cluster=cluster):
            return self.get_response(request)


class DomainErrorMiddleware:
    """Pages translate a service's refusal once, here (the API has its own handlers)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, DomainError) or is_api_request(request):
            return None
        if isinstance(exc, NotVisible):
            raise Http404() from exc
        if isinstance(exc, NotAllowed):
            raise PermissionDenied(exc.message) from exc
        status = 409 if isinstance(exc, Conflict) else exc.status
        return TemplateResponse(request, "refused.html", {"message": exc.message}, status=status)
