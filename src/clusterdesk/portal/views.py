"""The member portal: a member organisation's contacts keep its profile up to date."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.forms import PortalOrganisationForm
from clusterdesk.crm.invoice_documents import invoice_pdf
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import invoices_visible_to, member_organisations, memberships_list
from clusterdesk.crm.services.organisations import organisation_update
from clusterdesk.web.http import pdf_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class PortalHomeView(ClusterPermissionMixin, View):
    permission_required = "crm.use_portal"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        orgs = list(member_organisations(cluster=self.cluster, user=request.user))
        memberships = memberships_list(cluster=self.cluster, organisations=orgs)
        context = {"cluster": self.cluster, "organisations": orgs, "memberships": memberships}
        return render(request, "portal/home.html", context)


class PortalOrganisationView(ClusterPermissionMixin, View):
    """Only the organisation the person is a contact of; any other is not found."""

    permission_required = "crm.use_portal"

    def get_organisation(self, org_id: int) -> Organisation:
        # The organisations the person speaks for; the service checks the same rule.
        return get_object_or_404(
            member_organisations(cluster=self.cluster, user=self.request.user), pk=org_id
        )

    def get(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        org = self.get_organisation(org_id)
        form = PortalOrganisationForm(instance=org)
        return self.render(org, form)

    def post(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        org = self.get_organisation(org_id)
        form = PortalOrganisationForm(request.POST, instance=copy.copy(org))
        if form.is_valid() and apply_service(
            form,
            lambda: organisation_update(
                actor=request.user,
                cluster=self.cluster,
                organisation=org,
                portal=True,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("Thank you: your organisation's profile is up to date."))
            return redirect("portal:home", cluster_slug=self.cluster.slug)
        return self.render(org, form, status=400)

    def render(self, org: Organisation, form: Any, status: int = 200) -> HttpResponse:
        context = {"cluster": self.cluster, "organisation": org, "form": form}
        return render(self.request, "portal/organisation_form.html", context, status=status)


class PortalInvoicesView(ClusterPermissionMixin, View):
    """The invoices of the organisations the person speaks for, and how to pay them."""

    permission_required = "crm.use_portal"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        invoices = invoices_visible_to(user=request.user, cluster=self.cluster).filter(
            organisation__in=member_organisations(cluster=self.cluster, user=request.user)
        )
        context = {"cluster": self.cluster, "invoices": invoices}
        return render(request, "portal/invoices.html", context)


class PortalInvoicePdfView(ClusterPermissionMixin, View):
    permission_required = "crm.use_portal"

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        visible = invoices_visible_to(user=request.user, cluster=self.cluster).filter(
            organisation__in=member_organisations(cluster=self.cluster, user=request.user)
        )
        invoice = get_object_or_404(visible, pk=pk)
        return pdf_download(invoice_pdf(invoice), f"{invoice.number}.pdf")
