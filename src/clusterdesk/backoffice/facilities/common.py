"""What the innovation centre's staff pages share."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from clusterdesk.web.views import ClusterPermissionMixin

VIEW = "facilities.view_facilities"
MANAGE = "facilities.manage"


class FacilitiesMixin(ClusterPermissionMixin):
    permission_required = VIEW
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        user = self.request.user
        context |= {
            "cluster": self.cluster,
            "can_manage": user.has_perm(MANAGE, self.cluster),
            "can_issue": user.has_perm("facilities.issue_statements", self.cluster),
        }
        return render(self.request, f"facilities/{template}", context, status=status)


def day_param(value: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return timezone.localdate()
