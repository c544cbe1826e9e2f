"""Authorisations: those about to expire first, granting one (with its evidence file),
revoking one (the person's future bookings that needed it are flagged at once)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.facilities.common import MANAGE, FacilitiesMixin
from clusterdesk.facilities.forms import AuthorisationForm, RevokeForm
from clusterdesk.facilities.selectors import (
    authorisations_expiring,
    authorisations_visible_to,
    person_known_to_cluster,
    resources_of,
)
from clusterdesk.facilities.services.authorisations import (
    authorisation_grant,
    authorisation_revoke,
)
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import apply_service


class AuthorisationListView(FacilitiesMixin, View):
    def form(self, data: Any = None, files: Any = None) -> AuthorisationForm:
        return AuthorisationForm(data, files, resources=resources_of(cluster=self.cluster))

    def render(self, form: AuthorisationForm | None, status: int = 200) -> HttpResponse:
        today = timezone.localdate()
        every = authorisations_visible_to(self.request.user, self.cluster).order_by(
            "person__email", "valid_until"
        )
        return self.page(
            "authorisations.html",
            status=status,
            expiring=authorisations_expiring(cluster=self.cluster, today=today),
            authorisations=every,
            today=today,
            form=form,
            revoke_form=RevokeForm(),
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(self.form() if request.user.has_perm(MANAGE, self.cluster) else None)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            person = person_known_to_cluster(cluster=self.cluster, email=data["person"])
            if person is None:
                form.add_error("person", _("No account of this cluster has this e-mail."))
            elif apply_service(
                form,
                lambda: authorisation_grant(
                    actor=request.user,
                    cluster=self.cluster,
                    person=person,
                    level=data["level"],
                    resource=data["resource"],
                    valid_from=data["valid_from"],
                    valid_until=data["valid_until"],
                    trained_on=data["trained_on"],
                    trainer=data["trainer"],
                    evidence=data["evidence"],
                ),
            ):
                messages.success(request, _("The authorisation is recorded."))
                return redirect("facilities:authorisations", cluster_slug=self.cluster.slug)
        return self.render(form, status=400)


class AuthorisationRevokeView(FacilitiesMixin, View):
    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        authorisation = get_object_or_404(
            authorisations_visible_to(request.user, self.cluster), pk=pk
        )
        form = RevokeForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        flagged = authorisation_revoke(
            actor=request.user, authorisation=authorisation, reason=reason
        )
        messages.success(
            request,
            _("The authorisation is revoked; %(n)s future bookings are flagged.") % {"n": flagged},
        )
        return redirect("facilities:authorisations", cluster_slug=self.cluster.slug)


class EvidenceView(FacilitiesMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> FileResponse:
        authorisation = get_object_or_404(
            authorisations_visible_to(request.user, self.cluster), pk=pk
        )
        if not authorisation.evidence:
            raise Http404
        return stored_file_download(authorisation.evidence)
