"""An organisation's contacts (and their portal access) and its interactions."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.members.common import OrganisationMixin
from clusterdesk.crm.forms import ContactForm, InteractionForm
from clusterdesk.crm.models import Contact, Interaction
from clusterdesk.crm.services import contacts, interactions
from clusterdesk.web.views import apply_service


class ContactEditView(OrganisationMixin, View):
    permission_required = "crm.change_members"

    def get(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        contact = self.get_object_of_organisation(Contact, pk)
        return self.page(
            "crm/contact_form.html", form=ContactForm(instance=contact), contact=contact
        )

    def post(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        contact = self.get_object_of_organisation(Contact, pk)
        form = ContactForm(request.POST, instance=copy.copy(contact) if contact else None)
        if form.is_valid() and apply_service(
            form,
            lambda: contacts.contact_save(
                actor=request.user,
                cluster=self.cluster,
                organisation=self.organisation,
                contact=contact,
                **form.cleaned_data,
            ),
        ):
            messages.success(request, _("The contact is saved."))
            return self.to_organisation()
        return self.page("crm/contact_form.html", status=400, form=form, contact=contact)


class ContactActionView(OrganisationMixin, View):
    """Portal access, the GDPR export and the GDPR erasure of one contact."""

    permission_required = "crm.change_members"

    def get(
        self, request: Any, cluster_slug: str, org_id: int, pk: int, action: str
    ) -> HttpResponse:
        if action != "export":
            raise Http404
        contact = self.get_object_of_organisation(Contact, pk)
        data = contacts.contact_personal_data(actor=request.user, contact=contact)
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.json"'
        return response

    def post(
        self, request: Any, cluster_slug: str, org_id: int, pk: int, action: str
    ) -> HttpResponse:
        contact = self.get_object_of_organisation(Contact, pk)
        try:
            if action == "portal":
                contacts.contact_grant_portal_access(actor=request.user, contact=contact)
                messages.success(
                    request,
                    _("%(name)s can now use the member portal; an e-mail tells them how.")
                    % {"name": contact},
                )
            elif action == "erase":
                contacts.contact_anonymise(actor=request.user, contact=contact)
                messages.success(request, _("The person is erased; the history stays, nameless."))
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return self.to_organisation()


class InteractionEditView(OrganisationMixin, View):
    permission_required = "crm.change_members"

    def form(self, data: Any = None, interaction: Interaction | None = None) -> InteractionForm:
        return InteractionForm(
            data,
            instance=copy.copy(interaction) if interaction else None,
            cluster=self.cluster,
            organisation=self.organisation,
        )

    def get(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        interaction = self.get_object_of_organisation(Interaction, pk)
        return self.page(
            "crm/simple_form.html", form=self.form(None, interaction), title=_("Interaction")
        )

    def post(
        self, request: Any, cluster_slug: str, org_id: int, pk: int | None = None
    ) -> HttpResponse:
        interaction = self.get_object_of_organisation(Interaction, pk)
        form = self.form(request.POST, interaction)
        if form.is_valid():
            values = dict(form.cleaned_data)
            contacts = values.pop("contacts")
            if apply_service(
                form,
                lambda: interactions.interaction_save(
                    actor=request.user,
                    cluster=self.cluster,
                    organisation=self.organisation,
                    interaction=interaction,
                    contacts=contacts,
                    **values,
                ),
            ):
                return self.to_organisation()
        return self.page("crm/simple_form.html", status=400, form=form, title=_("Interaction"))
