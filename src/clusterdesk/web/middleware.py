"""Every web and API request: the second factor first, then the tenant scope.

``TwoFactorMiddleware`` keeps a signed-in person who has (or must have) a second factor on
its pages until the session has passed it.

``TenantScopeMiddleware``: a URL that names a cluster (``cluster_slug``) opens that
cluster's scope once the person is known to have access to it; a cluster that does not
exist and one the person may not open answer the same 404. Every other URL runs in the
scope of the clusters the person may open.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_scopes import scope, scopes_disabled

from clusterdesk.accounts.selectors import two_factor_device, two_factor_required_for
from clusterdesk.core.errors import Conflict, DomainError, NotAllowed, NotVisible
from clusterdesk.core.models import Cluster
from clusterdesk.core.selectors import user_cluster_ids
from clusterdesk.web.http import is_api_request, not_found

# Reachable before the second factor: leaving, and changing the interface's language.
TWO_FACTOR_ALWAYS_OPEN = frozenset({"accounts:logout", "set_language"})
TWO_FACTOR_VERIFY = "accounts:two_factor_verify"
TWO_FACTOR_SETUP = "accounts:two_factor"
TWO_FACTOR_SETUP_PAGES = frozenset(
    {TWO_FACTOR_SETUP, "accounts:two_factor_start", "accounts:two_factor_enable"}
)


class TwoFactorMiddleware:
    """After the password, the second factor, before any other page of the session.

    A person with an authenticator whose session has not passed it is sent to the verify
    page; one without who must have one (``accounts.selectors.two_factor_required_for``) to
    the set-up page. API tokens are not concerned: only a verified session can make one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            not user.is_authenticated
            or getattr(request, "api_token_user", None) is not None
            or user.is_verified()  # type: ignore[attr-defined]
            or request.path_info.startswith(settings.STATIC_URL)
        ):
            return self.get_response(request)
        try:
            name: str | None = resolve(request.path_info).view_name
        except Resolver404:
            name = None
        if name in TWO_FACTOR_ALWAYS_OPEN:
            return self.get_response(request)
        if two_factor_device(user=user) is not None:
            if name == TWO_FACTOR_VERIFY:
                return self.get_response(request)
            return self._send(request, TWO_FACTOR_VERIFY)
        if name in TWO_FACTOR_SETUP_PAGES or not two_factor_required_for(user):
            return self.get_response(request)
        return self._send(request, TWO_FACTOR_SETUP)

    @staticmethod
    def _send(request: HttpRequest, page: str) -> HttpResponse:
        if is_api_request(request):
            return JsonResponse(
                {"detail": _("Sign in with your second factor in the browser first.")},
                status=403,
            )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(page)}?{query}")


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
