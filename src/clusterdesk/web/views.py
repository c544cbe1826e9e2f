"""The base of every cluster page: the cluster comes from the URL, the view names the
permission it needs, and the check is made on that cluster."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from rules.contrib.views import PermissionRequiredMixin

from clusterdesk.core.errors import Conflict
from clusterdesk.core.models import Cluster


class ClusterPermissionMixin(PermissionRequiredMixin):
    """``permission_required`` is checked against the URL's cluster.

    The tenant middleware has already sent anonymous visitors to the login page and answered
    404 to anyone who may not open the cluster; a person of the cluster without this
    permission gets 403.
    """

    request: HttpRequest
    raise_exception = True

    @property
    def cluster(self) -> Cluster:
        return self.request.cluster  # type: ignore[attr-defined]

    def get_permission_object(self) -> Any:
        return self.cluster

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["cluster"] = self.cluster
        return context


def apply_service(form: Any, call: Any) -> bool:
    """Run a service for a valid form; its ValidationError or Conflict becomes the form's errors.

    Returns whether the service succeeded (nothing is half-written when it did not: services
    are atomic).
    """
    try:
        call()
    except Conflict as exc:
        form.add_error(None, exc.message)
        return False
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return False
    return True


def permission_flags(user: Any, obj: Any, **permissions: str) -> dict[str, bool]:
    """``can_…`` flags for a template, each computed from the permission its target view
    checks (``can_import="crm.import_organisations"``), so that a page offers a button
    only to those the button's page will not refuse."""
    return {flag: user.has_perm(permission, obj) for flag, permission in permissions.items()}
