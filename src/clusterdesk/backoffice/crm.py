"""The member CRM in the back office: the organisation directory and its files, the
renewal campaign, the fee grid, duplicates and merges, imports and exports."""

from __future__ import annotations

import copy
import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Model
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.forms import (
    ContactForm,
    FeeRuleForm,
    ImportForm,
    InteractionForm,
    MembershipCategoryForm,
    MembershipForm,
    OrganisationFilterForm,
    OrganisationForm,
    PaymentForm,
    RelationshipForm,
)
from clusterdesk.crm.models import (
    Contact,
    FeeRule,
    Interaction,
    Membership,
    MembershipCategory,
    Organisation,
    Relationship,
)
from clusterdesk.crm.selectors import (
    contacts_list,
    duplicate_candidates,
    membership_figures,
    memberships_due,
    memberships_list,
    organisation_list,
    organisation_timeline,
    organisations_followed,
    relationship_of,
)
from clusterdesk.crm.services import contacts, interactions, memberships, organisations
from clusterdesk.crm.tasks import export_organisations, import_organisations_file
from clusterdesk.jobs.models import Job
from clusterdesk.jobs.services import job_start
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

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


class OrganisationMixin(ClusterPermissionMixin):
    """A page about one organisation the cluster follows; any other is not found."""

    kwargs: dict[str, Any]

    @property
    def organisation(self) -> Organisation:
        if not hasattr(self, "_organisation"):
            self._organisation = get_object_or_404(
                organisations_followed(cluster=self.cluster), pk=self.kwargs["org_id"]
            )
        return self._organisation

    def get_object_of_organisation(self, model: type[Model], pk: int | None) -> Any:
        if pk is None:
            return None
        objects = model._default_manager.filter(
            cluster=self.cluster, organisation=self.organisation
        )
        return get_object_or_404(objects, pk=pk)

    def to_organisation(self) -> HttpResponse:
        return redirect(
            "members:organisation", cluster_slug=self.cluster.slug, org_id=self.organisation.pk
        )

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context |= {"cluster": self.cluster, "organisation": self.organisation}
        return render(self.request, template, context, status=status)


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
        return render(
            self.request,
            "crm/organisation_form.html",
            {"cluster": self.cluster, "form": form},
            status=status,
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
            timeline=organisation_timeline(cluster=self.cluster, organisation=org),
            can_change=user.has_perm("crm.change_members", self.cluster),
            can_change_memberships=user.has_perm("crm.change_memberships", self.cluster),
            can_manage_fees=user.has_perm("crm.manage_fees", self.cluster),
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


class DuplicatesView(ClusterPermissionMixin, View):
    permission_required = "crm.merge_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        pairs = duplicate_candidates(cluster=self.cluster)
        return render(request, "crm/duplicates.html", {"cluster": self.cluster, "pairs": pairs})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        orgs = organisations_followed(cluster=self.cluster)
        try:
            keep = get_object_or_404(orgs, pk=int(request.POST.get("keep", "")))
            drop = get_object_or_404(orgs, pk=int(request.POST.get("drop", "")))
        except ValueError as exc:
            raise Http404 from exc
        try:
            organisations.organisation_merge(
                actor=request.user, cluster=self.cluster, keep=keep, drop=drop
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("members:duplicates", cluster_slug=self.cluster.slug)
        messages.success(
            request, _("“%(drop)s” is merged into “%(keep)s”.") % {"drop": drop, "keep": keep}
        )
        return redirect("members:organisation", cluster_slug=self.cluster.slug, org_id=keep.pk)


class RenewalView(ClusterPermissionMixin, View):
    """The year's renewal campaign: what is due, bulk fee calls, reminders, payments."""

    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str, year: int) -> HttpResponse:
        return self.render(year)

    def render(
        self, year: int, payment_form: PaymentForm | None = None, status: int = 200
    ) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "year": year,
            "figures": membership_figures(cluster=self.cluster, years=range(year - 9, year + 1)),
            "due": memberships_due(cluster=self.cluster, year=year),
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


class CategoriesView(ClusterPermissionMixin, View):
    """The cluster's membership categories and fee grid."""

    permission_required = "crm.manage_fees"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(
            MembershipCategoryForm(prefix="category"),
            FeeRuleForm(prefix="rule", cluster=self.cluster),
        )

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        category_form = MembershipCategoryForm(prefix="category")
        rule_form = FeeRuleForm(prefix="rule", cluster=self.cluster)
        if "category-name" in request.POST:
            category_form = MembershipCategoryForm(request.POST, prefix="category")
            if category_form.is_valid() and apply_service(
                category_form,
                lambda: memberships.membership_category_save(
                    actor=request.user,
                    category=MembershipCategory(cluster=self.cluster),
                    **category_form.cleaned_data,
                ),
            ):
                return redirect("members:categories", cluster_slug=self.cluster.slug)
        else:
            rule_form = FeeRuleForm(request.POST, prefix="rule", cluster=self.cluster)
            if rule_form.is_valid() and apply_service(
                rule_form,
                lambda: memberships.fee_rule_add(
                    actor=request.user, cluster=self.cluster, **rule_form.cleaned_data
                ),
            ):
                return redirect("members:categories", cluster_slug=self.cluster.slug)
        return self.render(category_form, rule_form, status=400)

    def render(self, category_form: Any, rule_form: Any, status: int = 200) -> HttpResponse:
        context = {
            "cluster": self.cluster,
            "categories": MembershipCategory.objects.filter(cluster=self.cluster),
            "rules": FeeRule.objects.filter(cluster=self.cluster).select_related("category"),
            "category_form": category_form,
            "rule_form": rule_form,
        }
        return render(self.request, "crm/categories.html", context, status=status)


class ImportView(ClusterPermissionMixin, View):
    """Upload a spreadsheet: a dry run first, whose report offers the real import."""

    permission_required = "crm.import_organisations"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return render(request, "crm/import.html", {"cluster": self.cluster, "form": ImportForm()})

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(
                request, "crm/import.html", {"cluster": self.cluster, "form": form}, status=400
            )
        upload = form.cleaned_data["file"]
        job = _start_import(
            self.cluster,
            request.user,
            upload.name,
            form.mapping_lines(),
            form.cleaned_data["strict"],
            dry_run=True,
            content=upload,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


class ImportConfirmView(ClusterPermissionMixin, View):
    """Run for real the import whose dry run the person has read."""

    permission_required = "crm.import_organisations"

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        checked: Job = get_object_or_404(
            Job.objects.filter(kind="crm.import_check", user=request.user), pk=pk
        )
        if checked.status != Job.Status.DONE or not checked.report or checked.report.get("refused"):
            raise PermissionDenied
        job = _start_import(
            self.cluster,
            request.user,
            checked.report["filename"],
            checked.report["mapping"],
            checked.report["strict"],
            dry_run=False,
            content=checked.input_file,
        )
        return redirect("backoffice:job", cluster_slug=self.cluster.slug, pk=job.pk)


def _start_import(
    cluster: Any,
    user: Any,
    filename: str,
    mapping: list[str],
    strict: bool,
    *,
    dry_run: bool,
    content: Any,
) -> Job:
    from django.core.files.base import ContentFile
    from django.db import transaction

    with transaction.atomic():
        job = job_start(
            cluster=cluster,
            user=user,
            kind="crm.import_check" if dry_run else "crm.import",
            label=(_("Import check: %(file)s") if dry_run else _("Import: %(file)s"))
            % {"file": filename},
            task=import_organisations_file,
            mapping=mapping,
            strict=strict,
            dry_run=dry_run,
            filename=filename,
        )
        content.open("rb")
        job.input_file.save(filename, ContentFile(content.read()), save=True)
    return job
