"""Outcomes in the back office: the list with its filters, declaring an outcome for a
project or an organisation, validating or rejecting what was declared, the evidence, and the
yearly follow-up campaign.

Every page needs ``results.manage_outcomes`` on the cluster (the project staff). Objects are
fetched through the cluster's scoped querysets: another cluster's outcome or campaign is not
found. The evidence file is stored under the cluster and only served by ``EvidenceView``.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import organisations_followed
from clusterdesk.results import services
from clusterdesk.results.models import FollowUpCampaign, Outcome
from clusterdesk.results.outcome_forms import (
    CampaignOpenForm,
    CampaignProjectForm,
    EvidenceForm,
    OutcomeFilterForm,
    OutcomeForm,
    OutcomeKindForm,
)
from clusterdesk.results.selectors import (
    campaign_figures,
    campaign_open_preview,
    campaign_requests,
    labelled_projects,
    projects_missing_from,
)
from clusterdesk.web.confirm import Confirmation, Effect, confirmation_page, is_confirmed
from clusterdesk.web.http import stored_file_download
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

PAGE_SIZE = 50


class OutcomesMixin(ClusterPermissionMixin):
    permission_required = "results.manage_outcomes"
    kwargs: dict[str, Any]

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        context["cluster"] = self.cluster
        return render(self.request, f"results/outcomes/{template}", context, status=status)

    def followed_organisations(self) -> QuerySet[Organisation]:
        return organisations_followed(cluster=self.cluster).order_by("name")

    @cached_property
    def outcome(self) -> Outcome:
        outcomes = Outcome.objects.filter(cluster=self.cluster).select_related(
            "application", "organisation", "new_organisation", "declared_by", "validated_by"
        )
        return get_object_or_404(outcomes, pk=self.kwargs["pk"])


class OutcomeListView(OutcomesMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = OutcomeFilterForm(request.GET or None, cluster=self.cluster)
        outcomes = form.filter(
            Outcome.objects.filter(cluster=self.cluster).select_related(
                "application", "organisation", "new_organisation"
            )
        )
        page = Paginator(outcomes, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        to_review = Outcome.objects.filter(
            cluster=self.cluster, state=Outcome.State.DECLARED
        ).count()
        return self.page(
            "list.html",
            form=form,
            page=page,
            query=query.urlencode(),
            to_review=to_review,
            here=request.get_full_path(),
        )


class OutcomeDeclareView(OutcomesMixin, View):
    """Choose the kind, then fill in what that kind of outcome says."""

    def kind(self) -> str:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind") or ""
        return kind if kind in Outcome.Kind.values else ""

    def form(self, kind: str, data: Any = None, files: Any = None) -> OutcomeForm:
        initial = {}
        project = self.request.GET.get("application")
        if project and project.isdigit():
            initial["application"] = int(project)
        return OutcomeForm(
            data,
            files,
            kind=kind,
            projects=labelled_projects(self.cluster),
            organisations=self.followed_organisations(),
            initial=initial,
        )

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        kind = self.kind()
        return self.render(kind, self.form(kind) if kind else None)

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        kind = self.kind()
        if not kind:
            return self.render("", None, status=400)
        form = self.form(kind, request.POST, request.FILES)
        declared: list[Outcome] = []

        def declare() -> None:
            declared.append(
                services.outcome_declare(
                    actor=request.user, cluster=self.cluster, **form.outcome_values()
                )
            )

        if form.is_valid() and apply_service(form, declare):
            messages.success(request, _("The outcome is declared: validate it to count it."))
            return redirect("outcomes:outcome", cluster_slug=self.cluster.slug, pk=declared[0].pk)
        return self.render(kind, form, status=400)

    def render(self, kind: str, form: OutcomeForm | None, status: int = 200) -> HttpResponse:
        return self.page(
            "declare.html",
            status=status,
            kind=kind,
            kind_form=OutcomeKindForm(initial={"kind": kind}),
            form=form,
            kind_label=Outcome.Kind(kind).label if kind else "",
        )


class OutcomeView(OutcomesMixin, View):
    """One outcome: what it says, its evidence, and its review."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.render(EvidenceForm())

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        """Add or replace the evidence."""
        form = EvidenceForm(request.POST, request.FILES)
        if form.is_valid() and apply_service(
            form,
            lambda: services.outcome_evidence_attach(
                actor=request.user,
                outcome=self.outcome,
                upload=form.cleaned_data.get("evidence"),
                url=form.cleaned_data.get("evidence_url") or "",
            ),
        ):
            messages.success(request, _("The evidence is saved."))
            return redirect("outcomes:outcome", cluster_slug=self.cluster.slug, pk=pk)
        return self.render(form, status=400)

    def render(self, evidence_form: EvidenceForm, status: int = 200) -> HttpResponse:
        return self.page(
            "detail.html",
            status=status,
            outcome=self.outcome,
            evidence_form=evidence_form,
            evidence_name=str(self.outcome.evidence.name).rsplit("/", 1)[-1]
            if self.outcome.evidence
            else "",
        )


class OutcomeReviewView(OutcomesMixin, View):
    """Validate (the outcome counts in the indicators) or reject."""

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        outcome = self.outcome
        decision = request.POST.get("decision")
        if decision in ("validate", "reject"):
            validate = decision == "validate"
            services.outcome_review(actor=request.user, outcome=outcome, validate=validate)
            done = _("“%(title)s” is validated.") if validate else _("“%(title)s” is rejected.")
            messages.success(request, done % {"title": outcome.title})
        back = request.POST.get("next", "")
        if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            return redirect(back)
        return redirect("outcomes:outcome", cluster_slug=self.cluster.slug, pk=pk)


class EvidenceView(OutcomesMixin, View):
    """The evidence file, to the people who review outcomes only."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> FileResponse:
        return stored_file_download(self.outcome.evidence)


# -- the yearly follow-up -----------------------------------------------------------------


class FollowUpView(OutcomesMixin, View):
    """The campaigns; open this year's. With ``pk``: one campaign's completion, reminders."""

    def campaign(self) -> FollowUpCampaign | None:
        campaigns = FollowUpCampaign.objects.filter(cluster=self.cluster)
        if "pk" in self.kwargs:
            return get_object_or_404(campaigns, pk=self.kwargs["pk"])
        return campaigns.first()

    def get(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        return self.render(
            CampaignOpenForm(initial=CampaignOpenForm.initial_for(self.cluster)), self.campaign()
        )

    def post(self, request: Any, cluster_slug: str, pk: int | None = None) -> HttpResponse:
        campaign = self.campaign()
        if request.POST.get("action") == "add" and campaign is not None:
            return self.add_project(campaign)
        if request.POST.get("action") == "remind":
            if campaign is None:
                raise Http404
            n = services.campaign_remind(actor=request.user, campaign=campaign)
            if n:
                messages.success(request, _("%(n)d reminders are being sent.") % {"n": n})
            else:
                messages.info(request, _("Nobody is left to remind."))
            return redirect("outcomes:campaign", cluster_slug=self.cluster.slug, pk=campaign.pk)
        form = CampaignOpenForm(request.POST)
        if form.is_valid() and not is_confirmed(request):
            return confirmation_page(request, self.open_confirmation(form), cluster=self.cluster)
        opened: list[FollowUpCampaign] = []
        if form.is_valid() and apply_service(
            form,
            lambda: opened.append(
                services.campaign_open(
                    actor=request.user, cluster=self.cluster, **form.cleaned_data
                )
            ),
        ):
            n = opened[0].requests.count()
            messages.success(
                request,
                _("The %(year)d follow-up is open: %(n)d projects are asked.")
                % {"year": opened[0].year, "n": n},
            )
            return redirect("outcomes:campaign", cluster_slug=self.cluster.slug, pk=opened[0].pk)
        return self.render(form, campaign, status=400)

    def open_confirmation(self, form: CampaignOpenForm) -> Confirmation:
        """What opening the campaign will do: the projects asked, the e-mails sent."""
        projects, emails = campaign_open_preview(self.cluster)
        year = form.cleaned_data["year"]
        closes = date_format(form.cleaned_data["closes_on"], "DATE_FORMAT")
        notes = []
        if emails < projects:
            notes.append(
                _("Projects without a contact with an e-mail are asked on the portal only.")
            )
        return Confirmation(
            title=_("Open the %(year)d follow-up?") % {"year": year},
            summary=_(
                "Every labelled project, running or completed, is asked to declare its "
                "%(year)d outcomes by %(date)s; the coordinator's contact receives the "
                "request by e-mail."
            )
            % {"year": year, "date": closes},
            effects=[
                Effect(_("projects asked"), projects),
                Effect(_("e-mails to the coordinators' contacts"), emails),
            ],
            notes=notes,
            confirm_label=_("Open and send %(n)d e-mails") % {"n": emails},
            cancel_url=reverse("outcomes:follow_up", kwargs={"cluster_slug": self.cluster.slug}),
        )

    def add_project(self, campaign: FollowUpCampaign) -> HttpResponse:
        request: Any = self.request
        add_form = CampaignProjectForm(
            request.POST, projects=projects_missing_from(campaign), prefix="add"
        )
        if add_form.is_valid() and apply_service(
            add_form,
            lambda: services.campaign_project_add(
                actor=request.user,
                campaign=campaign,
                application=add_form.cleaned_data["application"],
            ),
        ):
            messages.success(
                request,
                _("%(acronym)s is added to the campaign; its coordinator is e-mailed.")
                % {"acronym": add_form.cleaned_data["application"].acronym},
            )
            return redirect("outcomes:campaign", cluster_slug=self.cluster.slug, pk=campaign.pk)
        form = CampaignOpenForm(initial=CampaignOpenForm.initial_for(self.cluster))
        return self.render(form, campaign, status=400, add_form=add_form)

    def render(
        self,
        form: CampaignOpenForm,
        campaign: FollowUpCampaign | None,
        status: int = 200,
        add_form: CampaignProjectForm | None = None,
    ) -> HttpResponse:
        context: dict[str, Any] = {
            "form": form,
            "campaign": campaign,
            "campaigns": FollowUpCampaign.objects.filter(cluster=self.cluster),
        }
        if campaign is not None:
            context["add_form"] = add_form or CampaignProjectForm(
                projects=projects_missing_from(campaign), prefix="add"
            )
            context["requests"] = campaign_requests(campaign)
            context["figures"] = campaign_figures(campaign)
            context["list_url"] = reverse(
                "outcomes:outcomes", kwargs={"cluster_slug": self.cluster.slug}
            )
        return self.page("follow_up.html", status=status, **context)
