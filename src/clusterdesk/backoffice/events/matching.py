"""Registrants whose organisation is not known for certain: staff link each to the one
organisation record (a candidate found by identifier or name) or create it, never a blind
duplicate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.events.forms import NewOrganisationForm, OrganisationChoiceForm
from clusterdesk.events.selectors import organisation_candidates, registrations_to_match
from clusterdesk.events.services.registrations import (
    registration_create_organisation,
    registration_link_organisation,
)
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

SHOWN = 30


class MatchingView(ClusterPermissionMixin, View):
    permission_required = "events.manage_events"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        pending = registrations_to_match(user=request.user, cluster=self.cluster)
        rows = []
        for registration in pending[:SHOWN]:
            candidates = organisation_candidates(cluster=self.cluster, registration=registration)
            rows.append(
                (
                    registration,
                    OrganisationChoiceForm(candidates=candidates, prefix=f"r{registration.pk}"),
                    NewOrganisationForm(
                        initial={
                            "name": registration.organisation_name,
                            "siren": registration.organisation_identifier,
                        },
                        prefix=f"n{registration.pk}",
                    ),
                )
            )
        context = {"cluster": self.cluster, "rows": rows, "total": pending.count()}
        return render(request, "events/matching.html", context)


class MatchView(ClusterPermissionMixin, View):
    permission_required = "events.manage_events"

    def post(self, request: Any, cluster_slug: str, pk: int, action: str) -> HttpResponse:
        registration = get_object_or_404(
            registrations_to_match(user=request.user, cluster=self.cluster), pk=pk
        )
        if action == "link":
            candidates = organisation_candidates(cluster=self.cluster, registration=registration)
            form: Any = OrganisationChoiceForm(
                request.POST, candidates=candidates, prefix=f"r{registration.pk}"
            )
            call = lambda: registration_link_organisation(  # noqa: E731
                actor=request.user,
                registration=registration,
                organisation=form.cleaned_data["organisation"],
            )
        elif action == "create":
            form = NewOrganisationForm(request.POST, prefix=f"n{registration.pk}")
            call = lambda: registration_create_organisation(  # noqa: E731
                actor=request.user, registration=registration, **form.cleaned_data
            )
        else:
            raise Http404
        if form.is_valid() and apply_service(form, call):
            messages.success(
                request,
                _("%(name)s is linked to %(organisation)s.")
                % {"name": registration, "organisation": registration.organisation},
            )
        else:
            errors = [str(e) for field in form.errors.values() for e in field]
            messages.error(request, " ".join(errors))
        return redirect("events:matching", cluster_slug=self.cluster.slug)
