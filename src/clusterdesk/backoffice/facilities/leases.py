"""Leases (and creating one) and the occupancy of each space by month."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.facilities.common import MANAGE, FacilitiesMixin
from clusterdesk.core.errors import Conflict
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.facilities.forms import LeaseActionForm, LeaseForm
from clusterdesk.facilities.selectors import (
    leases_visible_to,
    month_start,
    next_month,
    occupancy_by_month,
    resources_of,
)
from clusterdesk.facilities.services.leases import (
    LEASED_KINDS,
    lease_create,
    lease_give_notice,
    lease_renew,
)
from clusterdesk.web.views import apply_service

MONTHS = 12


class LeaseListView(FacilitiesMixin, View):
    def form(self, data: Any = None) -> LeaseForm:
        return LeaseForm(
            data,
            organisations=organisations_followed(cluster=self.cluster).order_by("name"),
            spaces=resources_of(cluster=self.cluster).filter(kind__in=LEASED_KINDS),
        )

    def render(self, form: LeaseForm | None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        leases = leases_visible_to(self.request.user, self.cluster).order_by(
            "resource__name", "-starts_on"
        )
        return self.page(
            "leases.html",
            status=status,
            current=[lease for lease in leases if lease.starts_on <= today <= lease.ends_on],
            others=[lease for lease in leases if not lease.starts_on <= today <= lease.ends_on],
            form=form,
            today=today,
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(self.form() if request.user.has_perm(MANAGE, self.cluster) else None)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid() and apply_service(
            form,
            lambda: lease_create(actor=request.user, cluster=self.cluster, **form.cleaned_data),
        ):
            messages.success(request, _("The lease is recorded."))
            return redirect("facilities:leases", cluster_slug=self.cluster.slug)
        return self.render(form, status=400)


class LeaseActionView(FacilitiesMixin, View):
    """Give notice on a lease (on a day) or renew it (until a day)."""

    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        lease = get_object_or_404(leases_visible_to(request.user, self.cluster), pk=pk)
        form = LeaseActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the date."))
        else:
            day = form.cleaned_data["on"]
            try:
                if form.cleaned_data["action"] == "notice":
                    lease_give_notice(actor=request.user, lease=lease, on=day)
                else:
                    lease_renew(actor=request.user, lease=lease, ends_on=day)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            except Conflict as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("The lease is updated."))
        return redirect("facilities:leases", cluster_slug=self.cluster.slug)


class OccupancyView(FacilitiesMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        month = month_start(timezone.localdate())
        months: list[datetime.date] = []
        for _n in range(MONTHS):
            months.insert(0, month)
            month = month_start(month - datetime.timedelta(days=1))
        rows = occupancy_by_month(cluster=self.cluster, months=months)
        by_resource: dict[int, list[Any]] = {}
        resources = {}
        for row in rows:
            by_resource.setdefault(row.resource.pk, []).append(row)
            resources[row.resource.pk] = row.resource
        table = [(resources[pk], cells) for pk, cells in by_resource.items()]
        return self.page("occupancy.html", months=months, table=table, next_month=next_month)
