"""An organisation's memberships and the year's renewal campaign."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.members.common import OrganisationMixin
from clusterdesk.core.inputs import search_text
from clusterdesk.crm.forms import MembershipForm, PaymentForm, RenewalFilterForm
from clusterdesk.crm.models import Membership
from clusterdesk.crm.selectors import (
    membership_figures,
    memberships_due,
    memberships_due_filtered,
)
from clusterdesk.crm.services import memberships
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

PAGE_SIZE = 50


class MembershipEditView(OrganisationMixin, View):
    permission_required = "crm.change_memberships"

    def form(self, data: Any = None, membership: Membership | None = None) -> MembershipForm:
        initial = (
            {}
            if membership
            else {"year": timezone.localdate().year, "status": Membership.Status.ACTIVE}
        )
        return MembershipForm(
            data,
            instance=copy.copy(membership) if membership else None,
            initial=initial,
            cluster=self.cluster,
            organisation=self.organisation,
            can_manage_fees=self.request.user.has_perm("crm.manage_fees", self.cluster),
        )

    def get(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        membership = self.get_object_of_organisation(Membership, pk)
        return self.page(
            "crm/simple_form.html", form=self.form(None, membership), title=_("Membership")
        )

    def post(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        membership = self.get_object_of_organisation(Membership, pk)
        form = self.form(request.POST, membership)
        if form.is_valid():
            values = form.values()

            def save() -> Membership:
                if membership is None:
                    return memberships.membership_create(
                        actor=request.user,
                        cluster=self.cluster,
                        organisation=self.organisation,
                        **values,
                    )
                return memberships.membership_update(
                    actor=request.user, membership=membership, **values
                )

            if apply_service(form, save):
                messages.success(request, _("The membership is saved."))
                return self.to_organisation()
        return self.page("crm/simple_form.html", status=400, form=form, title=_("Membership"))


class RenewalView(ClusterPermissionMixin, View):
    """The year's renewal campaign: what is due, bulk fee calls, reminders, payments."""

    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str, year: int) -> HttpResponse:
        return self.render(year)

    def render(
        self, year: int, payment_form: PaymentForm | None = None, status: int = 200
    ) -> HttpResponse:
        # The year's memberships, filtered and paged (a cluster has hundreds).
        filters = RenewalFilterForm(self.request.GET or None)
        values = filters.cleaned_data if filters.is_valid() else {}
        due = memberships_due_filtered(
            cluster=self.cluster,
            year=year,
            q=search_text(values.get("q") or ""),
            fee_state=values.get("fee_state") or "",
        )
        page = Paginator(due, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context = {
            "cluster": self.cluster,
            "year": year,
            "figures": membership_figures(cluster=self.cluster, years=range(year - 9, year + 1)),
            "due": page,
            "page": page,
            "query": query.urlencode(),
            "filter_form": filters,
            "payment_form": payment_form or PaymentForm(),
        }
        return render(self.request, "crm/renewals.html", context, status=status)

    def post(self, request: Any, cluster_slug: str, year: int) -> HttpResponse:
        action, today = request.POST.get("action"), timezone.localdate()
        actor, cluster = request.user, self.cluster
        if action == "renew":
            done = memberships.membership_renew(actor=actor, cluster=cluster, year=year)
            messages.success(
                request,
                _("%(n)d memberships renewed for %(year)d.") % {"n": len(done), "year": year},
            )
        elif action == "call":
            done = memberships.membership_call_fees(
                actor=actor,
                cluster=cluster,
                called_on=today,
                memberships=memberships_due(cluster=cluster, year=year).filter(fee_called_on=None),
            )
            messages.success(request, _("%(n)d fees called.") % {"n": len(done)})
        elif action == "remind":
            done = memberships.membership_remind(
                actor=actor, cluster=cluster, year=year, today=today
            )
            messages.success(request, _("%(n)d reminders sent.") % {"n": len(done)})
        elif action == "lapse":
            n = memberships.membership_lapse_unpaid(actor=actor, cluster=cluster, year=year)
            messages.success(request, _("%(n)d unpaid memberships lapsed.") % {"n": n})
        elif action == "pay":
            membership: Membership = get_object_or_404(
                Membership.objects.filter(cluster=cluster, year=year),
                pk=request.POST.get("membership"),
            )
            form = PaymentForm(request.POST)
            if not form.is_valid() or not apply_service(
                form,
                lambda: memberships.membership_record_payment(
                    actor=actor,
                    membership=membership,
                    amount=form.cleaned_data["amount"],
                    paid_on=form.cleaned_data["paid_on"],
                ),
            ):
                messages.error(
                    request,
                    _("The payment of %(org)s is not recorded: %(errors)s")
                    % {
                        "org": membership.organisation,
                        "errors": " ".join(str(e) for errs in form.errors.values() for e in errs),
                    },
                )
                return self.render(year, payment_form=form, status=400)
            messages.success(
                request, _("Payment of %(org)s recorded.") % {"org": membership.organisation}
            )
        else:
            raise Http404
        return redirect("members:renewals", cluster_slug=cluster.slug, year=year)


def renewals_this_year(request: Any, cluster_slug: str) -> HttpResponse:
    return redirect("members:renewals", cluster_slug=cluster_slug, year=timezone.localdate().year)
