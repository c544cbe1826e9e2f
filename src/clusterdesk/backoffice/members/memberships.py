"""An organisation's memberships and the year's renewal campaign."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.members.common import OrganisationMixin
from clusterdesk.core.inputs import search_text
from clusterdesk.crm.forms import MembershipForm, PaymentForm, RenewalFilterForm
from clusterdesk.crm.models import Membership
from clusterdesk.crm.previews import memberships_to_call, renewal_preview
from clusterdesk.crm.selectors import (
    membership_figures,
    memberships_due_filtered,
)
from clusterdesk.crm.services import memberships
from clusterdesk.web.confirm import Confirmation, Effect, confirmation_page, is_confirmed
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

# The campaign's actions on many memberships at once: each asks to confirm first.
BULK_ACTIONS = ("renew", "call", "remind", "lapse")
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

    def confirmation(self, action: str, year: int) -> Confirmation:
        """What a campaign action will do, and to how many, before it runs."""
        preview = renewal_preview(cluster=self.cluster, year=year, action=action)
        cancel = reverse(
            "members:renewals", kwargs={"cluster_slug": self.cluster.slug, "year": year}
        )
        emails = Effect(_("e-mails to the members' representatives"), preview.emails)
        if action == "renew":
            return Confirmation(
                title=_("Renew the %(prev)d members for %(year)d?")
                % {"prev": year - 1, "year": year},
                summary=_(
                    "Each member active in %(prev)d gets a %(year)d membership in the same "
                    "category, with its fee from the grid (not called yet)."
                )
                % {"prev": year - 1, "year": year},
                effects=[Effect(_("memberships created"), preview.count, preview.examples)],
                confirm_label=_("Renew %(n)d memberships") % {"n": preview.count},
                cancel_url=cancel,
            )
        if action == "call":
            return Confirmation(
                title=_("Call the %(year)d fees?") % {"year": year},
                summary=_(
                    "Each fee not called yet is called today (its amount from the grid when "
                    "unset) and the representative receives the fee notice by e-mail."
                ),
                effects=[Effect(_("fees called"), preview.count, preview.examples), emails],
                confirm_label=_("Call %(n)d fees") % {"n": preview.count},
                cancel_url=cancel,
            )
        if action == "remind":
            return Confirmation(
                title=_("Remind the unpaid of %(year)d?") % {"year": year},
                summary=_("Each representative of a called fee still unpaid is reminded."),
                effects=[Effect(_("unpaid fees"), preview.count, preview.examples), emails],
                confirm_label=_("Send %(n)d reminders") % {"n": preview.emails},
                cancel_url=cancel,
            )
        return Confirmation(
            title=_("Close %(year)d: lapse the unpaid memberships?") % {"year": year},
            summary=_(
                "Each active membership whose called fee is not paid becomes lapsed: the "
                "organisation no longer counts as a member for %(year)d."
            )
            % {"year": year},
            effects=[Effect(_("memberships lapsed"), preview.count, preview.examples)],
            confirm_label=_("Lapse %(n)d memberships") % {"n": preview.count},
            cancel_url=cancel,
            danger=True,
        )

    def post(self, request: Any, cluster_slug: str, year: int) -> HttpResponse:
        action, today = request.POST.get("action"), timezone.localdate()
        actor, cluster = request.user, self.cluster
        if action in BULK_ACTIONS and not is_confirmed(request):
            return confirmation_page(request, self.confirmation(action, year), cluster=cluster)
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
                memberships=memberships_to_call(cluster=cluster, year=year),
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
