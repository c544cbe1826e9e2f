"""The organisation directory (filters, export) and each organisation's file: creating,
editing, and the cluster's relationship with it.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.members.common import OrganisationMixin
from clusterdesk.crm import identifiers, sirene
from clusterdesk.crm.forms import OrganisationFilterForm, OrganisationForm, RelationshipForm
from clusterdesk.crm.models import Membership, Organisation, Relationship
from clusterdesk.crm.previews import merges_undoable
from clusterdesk.crm.selectors import (
    contacts_list,
    memberships_list,
    organisation_list,
    organisation_timeline,
    relationship_of,
)
from clusterdesk.crm.services import organisations
from clusterdesk.crm.tasks import export_organisations
from clusterdesk.jobs.services import job_start
from clusterdesk.web.views import ClusterPermissionMixin, apply_service, permission_flags

PAGE_SIZE = 50


class OrganisationListView(ClusterPermissionMixin, View):
    permission_required = "crm.view_members"

    def get_form(self) -> OrganisationFilterForm:
        return OrganisationFilterForm(self.request.GET or None, cluster=self.cluster)

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.get_form()
        orgs = organisation_list(cluster=self.cluster, filters=form.to_filter())
        page = Paginator(orgs, PAGE_SIZE).get_page(request.GET.get("page"))
        memberships = {
            m.organisation_id: m
            for m in Membership.objects.filter(
                cluster=self.cluster, organisation__in=list(page.object_list)
            ).order_by("year")
        }
        query = request.GET.copy()
        query.pop("page", None)
        context = {
            "cluster": self.cluster,
            "form": form,
            "page": page,
            "rows": [(org, memberships.get(org.pk)) for org in page],
            "query": query.urlencode(),
            # The buttons of the title row, bound to the permissions of their pages.
            **permission_flags(
                request.user,
                self.cluster,
                can_create=OrganisationCreateView.permission_required,
                can_import="crm.import_organisations",
                can_merge="crm.merge_organisations",
                can_manage_fees="crm.manage_fees",
            ),
        }
        template = (
            "crm/partials/organisation_table.html" if request.htmx else "crm/organisation_list.html"
        )
        return render(request, template, context)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        """Export the filtered list (CSV or XLSX) in the background."""
        fmt = request.POST.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            raise Http404
        f = self.get_form().to_filter()
        job = job_start(
            cluster=self.cluster,
            user=request.user,
            kind="crm.export",
            label=_("Organisations export (%(format)s)") % {"format": fmt.upper()},
            task=export_organisations,
            fmt=fmt,
            filters=f.__dict__ | {"kinds": list(f.kinds)},
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class OrganisationCreateView(ClusterPermissionMixin, View):
    permission_required = "crm.change_members"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(OrganisationForm())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = OrganisationForm(request.POST)
        created: list[Organisation] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                organisations.organisation_create(
                    actor=request.user, cluster=self.cluster, **form.cleaned_data
                )
            ),
        ):
            messages.success(request, _("“%(org)s” is created.") % {"org": created[0]})
            return redirect(
                "members:organisation", cluster_slug=self.cluster.slug, org_id=created[0].pk
            )
        return self.render(form, status=400)

    def render(self, form: OrganisationForm, status: int = 200) -> HttpResponse:
        with_register_lookup(form, self.cluster.slug)
        return render(
            self.request,
            "crm/organisation_form.html",
            {"cluster": self.cluster, "form": form, "register_lookup": True},
            status=status,
        )


def with_register_lookup(form: OrganisationForm, cluster_slug: str) -> None:
    """A SIREN typed in the form asks the register (htmx) to fill in the company's data."""
    form.fields["siren"].widget.attrs.update(
        {
            "hx-get": reverse("members:organisation_register", args=[cluster_slug]),
            "hx-trigger": "change",
            "hx-include": "closest form",
            # A read: the form's CSRF token stays out of the address.
            "hx-params": "not csrfmiddlewaretoken",
            "hx-target": "#organisation-fields",
            "hx-swap": "innerHTML",
            "aria-describedby": "register-status",
        }
    )


class OrganisationRegisterView(ClusterPermissionMixin, View):
    """The form's fields again, the empty ones filled in from the Sirene register for the
    SIREN typed (htmx), with a line saying what was found or why nothing was."""

    permission_required = "crm.change_members"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        typed = {k: v for k, v in request.GET.items() if k in OrganisationForm.base_fields}
        status, filled = "", []
        try:
            found = sirene.register_lookup(siren=typed.get("siren", ""))
        except identifiers.IdentifierError as exc:
            found, status = None, str(exc)
        except sirene.SireneUnavailable:
            found = None
            status = _(
                "The Sirene register cannot be reached just now: fill in the form by hand, "
                "or try again in a moment."
            )
        if found is not None:
            for name, value in found.items():
                if name in OrganisationForm.base_fields and not typed.get(name):
                    typed[name] = value
                    filled.append(str(OrganisationForm.base_fields[name].label))
            status = _("Filled in from the Sirene register: %(fields)s.") % {
                "fields": ", ".join(filled) or "—"
            }
            if found.get("ceased"):
                status += " " + _("The register says this company has ceased trading.")
        elif not status:
            status = _("The Sirene register has no company with this SIREN.")
        form = OrganisationForm(initial=typed)
        with_register_lookup(form, self.cluster.slug)
        return render(
            request,
            "crm/partials/organisation_fields.html",
            {"cluster": self.cluster, "form": form, "register_status": status},
        )


class OrganisationView(OrganisationMixin, View):
    permission_required = "crm.view_members"

    def get(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        org = self.organisation
        user = request.user
        return self.page(
            "crm/organisation_detail.html",
            relationship=relationship_of(cluster=self.cluster, organisation=org),
            memberships=memberships_list(cluster=self.cluster, organisation=org),
            contacts=contacts_list(cluster=self.cluster, organisation=org),
            timeline=organisation_timeline(cluster=self.cluster, organisation=org, viewer=user),
            can_change=user.has_perm("crm.change_members", self.cluster),
            can_change_memberships=user.has_perm("crm.change_memberships", self.cluster),
            can_manage_fees=user.has_perm("crm.manage_fees", self.cluster),
            merges=merges_undoable(cluster=self.cluster, organisation=org)
            if user.has_perm("crm.merge_organisations", self.cluster)
            else [],
        )


class OrganisationEditView(OrganisationMixin, View):
    permission_required = "crm.change_members"

    def get(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        return self.page(
            "crm/organisation_form.html", form=OrganisationForm(instance=self.organisation)
        )

    def post(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        form = OrganisationForm(request.POST, instance=copy.copy(self.organisation))
        if form.is_valid() and apply_service(
            form,
            lambda: organisations.organisation_update(
                actor=request.user,
                cluster=self.cluster,
                organisation=self.organisation,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("The organisation is saved."))
            return self.to_organisation()
        return self.page("crm/organisation_form.html", status=400, form=form)


class RelationshipEditView(OrganisationMixin, View):
    permission_required = "crm.change_members"

    def relationship(self) -> Relationship:
        rel = relationship_of(cluster=self.cluster, organisation=self.organisation)
        assert rel is not None  # the organisation was found through it
        return rel

    def get(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        rel = self.relationship()
        form = RelationshipForm(
            cluster=self.cluster,
            initial={
                "domains": list(rel.domains.all()),
                "themes": list(rel.themes.all()),
                "markets": list(rel.markets.all()),
                "owner": rel.owner,
            },
        )
        return self.page("crm/simple_form.html", form=form, title=_("Domains, themes, markets"))

    def post(self, request: Any, cluster_slug: str, org_id: int) -> HttpResponse:
        form = RelationshipForm(request.POST, cluster=self.cluster)
        if form.is_valid() and apply_service(
            form,
            lambda: organisations.relationship_update(
                actor=request.user, relationship=self.relationship(), **form.cleaned_data
            ),
        ):
            return self.to_organisation()
        return self.page(
            "crm/simple_form.html", status=400, form=form, title=_("Domains, themes, markets")
        )
