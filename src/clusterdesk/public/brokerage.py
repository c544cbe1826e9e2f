"""A participant's own space in a brokerage event, reached through their personal signed
link (``/brokerage/<cluster>/<code>/``, e-mailed to them; a member with a portal account
opens the same pages from the portal, which builds the link of their own participant).

The code names one participant and nobody else: every page acts as that participant
(``brokerage.access.LinkHolder``, or the portal account when it is theirs), every object
it touches is looked for among that participant's own (their requests, their meetings) or
among the event's validated profiles; anything else is a 404. A wrong or altered code is a
404 too.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.brokerage.access import LinkHolder, participant_by_code
from clusterdesk.brokerage.agenda import agenda_ics, agenda_pdf
from clusterdesk.brokerage.forms import (
    AvailabilityForm,
    FeedbackForm,
    OpportunityForm,
    ProfileForm,
    RequestForm,
)
from clusterdesk.brokerage.models import Participant
from clusterdesk.brokerage.selectors import (
    agenda_of,
    feedback_of,
    marketplace,
    meeting_suggestions,
    meetings_involving,
    published_run,
    requests_involving,
    requests_of,
    slots_of,
)
from clusterdesk.brokerage.services import day, participants, requests
from clusterdesk.core.errors import DomainError
from clusterdesk.web.views import apply_service

ACT = "brokerage.act_as_participant"


class SpaceMixin(View):
    kwargs: dict[str, Any]

    @cached_property
    def participant(self) -> Participant:
        p = participant_by_code(self.kwargs["code"])
        if p is None:
            raise Http404
        return p

    @cached_property
    def actor(self) -> Any:
        user = self.request.user
        if getattr(user, "is_authenticated", False) and user.has_perm(ACT, self.participant):
            return user
        return LinkHolder(self.participant)

    def page(self, template: str, status: int = 200, **context: Any) -> HttpResponse:
        p = self.participant
        context |= {
            "cluster": p.cluster,
            "participant": p,
            "brokerage": p.brokerage,
            "event": p.brokerage.event,
            "code": self.kwargs["code"],
            "validated": p.status == Participant.Status.VALIDATED,
        }
        return render(self.request, f"brokerage/space/{template}", context, status=status)

    def to(self, name: str, **kwargs: Any) -> HttpResponse:
        return redirect(
            f"participant_space:{name}",
            public_cluster_slug=self.participant.cluster.slug,
            code=self.kwargs["code"],
            **kwargs,
        )


def _error_text(exc: Exception) -> str:
    if isinstance(exc, DomainError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


class HomeView(SpaceMixin):
    """The profile, the opportunities and the availability."""

    def forms(self, data: Any = None, action: str = "") -> dict[str, Any]:
        p = self.participant
        return {
            "profile_form": ProfileForm(data if action == "profile" else None, instance=p),
            "opportunity_form": OpportunityForm(
                data if action == "opportunity" else None, brokerage=p.brokerage
            ),
            "availability_form": AvailabilityForm(
                data if action == "availability" else None,
                slots=slots_of(brokerage=p.brokerage),
                initial={
                    "arrival_at": p.arrival_at,
                    "departure_at": p.departure_at,
                    "max_meetings": p.max_meetings,
                    "blocked_slots": [u.slot_id for u in p.unavailabilities.all()],
                },
            ),
        }

    def render_home(self, status: int = 200, **forms: Any) -> HttpResponse:
        p = self.participant
        return self.page(
            "home.html",
            status=status,
            opportunities=p.opportunities.select_related("partnership_type"),
            **forms,
        )

    def get(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        return self.render_home(**self.forms())

    def post(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        action = request.POST.get("action", "")
        forms = self.forms(request.POST, action)
        p = self.participant
        ok = False
        if action == "profile":
            form = forms["profile_form"]
            ok = form.is_valid() and apply_service(
                form,
                lambda: participants.participant_update(
                    actor=self.actor, participant=p, **form.cleaned_data
                ),
            )
        elif action == "opportunity":
            form = forms["opportunity_form"]
            ok = form.is_valid() and apply_service(
                form,
                lambda: participants.opportunity_save(
                    actor=self.actor, participant=p, **form.cleaned_data
                ),
            )
        elif action == "availability":
            form = forms["availability_form"]
            ok = form.is_valid() and apply_service(
                form,
                lambda: participants.availability_set(
                    actor=self.actor, participant=p, **form.cleaned_data
                ),
            )
        elif action == "delete_opportunity":
            opp = get_object_or_404(p.opportunities.all(), pk=request.POST.get("opportunity"))
            participants.opportunity_delete(actor=self.actor, opportunity=opp)
            ok = True
        if ok:
            messages.success(request, _("Saved."))
            return self.to("home")
        return self.render_home(status=400, **forms)


class MarketView(SpaceMixin):
    """The marketplace: search the validated profiles; suggestions of whom to meet."""

    def get(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        p = self.participant
        if p.status != Participant.Status.VALIDATED:
            return self.page("market.html", page=None, suggestions=[], q="")
        q = request.GET.get("q", "").strip()[:200]
        kind = request.GET.get("kind", "")
        kind = kind if kind in ("offer", "request") else ""
        results = marketplace(brokerage=p.brokerage, q=q, kind=kind, exclude=p)
        page = Paginator(results.order_by("registration__last_name", "pk"), 30).get_page(
            request.GET.get("page")
        )
        sent = {r.target_id for r in requests_of(participant=p)[0]}
        return self.page(
            "market.html",
            page=page,
            q=q,
            kind=kind,
            sent=sent,
            suggestions=[] if q or kind else meeting_suggestions(participant=p, limit=8),
        )


class RequestView(SpaceMixin):
    """Ask a participant of the event (a validated profile) for a meeting."""

    def target(self, pk: int) -> Participant:
        p = self.participant
        return get_object_or_404(marketplace(brokerage=p.brokerage, exclude=p), pk=pk)

    def get(
        self, request: Any, public_cluster_slug: str, code: str, target_pk: int
    ) -> HttpResponse:
        return self.page("request.html", target=self.target(target_pk), form=RequestForm())

    def post(
        self, request: Any, public_cluster_slug: str, code: str, target_pk: int
    ) -> HttpResponse:
        target = self.target(target_pk)
        form = RequestForm(request.POST)
        p = self.participant
        try:
            ok = form.is_valid() and apply_service(
                form,
                lambda: requests.meeting_request_create(
                    actor=self.actor, requester=p, target=target, **form.cleaned_data
                ),
            )
        except DomainError as exc:
            if exc.status == 404:
                raise
            form.add_error(None, exc.message)
            ok = False
        if ok:
            messages.success(
                request, _("Your request is sent to %(name)s.") % {"name": target.name}
            )
            return self.to("requests")
        return self.page("request.html", status=400, target=target, form=form)


class RequestsView(SpaceMixin):
    """The requests sent and received; answer or withdraw."""

    def get(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        sent, received = requests_of(participant=self.participant)
        return self.page("requests.html", sent=sent, received=received)

    def post(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        p = self.participant
        item = get_object_or_404(requests_involving(participant=p), pk=request.POST.get("request"))
        action = request.POST.get("action")
        try:
            if action in ("accept", "decline"):
                requests.meeting_request_answer(
                    actor=self.actor, request=item, accept=action == "accept"
                )
            elif action == "withdraw":
                requests.meeting_request_withdraw(actor=self.actor, request=item)
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status == 404:
                raise
            messages.error(request, _error_text(exc))
        return self.to("requests")


class AgendaView(SpaceMixin):
    """The published agenda: cancel a meeting, ask on the day for a free slot, give feedback."""

    def get(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        p = self.participant
        feedback = feedback_of(participant=p)
        rows = []
        for meeting in agenda_of(participant=p):
            forms = {
                stage: FeedbackForm(
                    prefix=f"m{meeting.pk}-{stage}",
                    initial={
                        "stage": stage,
                        "rating": getattr(feedback.get((meeting.pk, stage)), "rating", None),
                        "outcome": getattr(feedback.get((meeting.pk, stage)), "outcome", ""),
                    },
                )
                for stage in ("after_event", "six_months")
            }
            rows.append((meeting, meeting.other(p), forms))
        published = published_run(brokerage=p.brokerage) is not None
        others = marketplace(brokerage=p.brokerage, exclude=p) if published else None
        return self.page("agenda.html", rows=rows, published=published, others=others)

    def post(self, request: Any, public_cluster_slug: str, code: str) -> HttpResponse:
        p = self.participant
        action = request.POST.get("action")
        try:
            if action == "walk_in":
                target = get_object_or_404(
                    marketplace(brokerage=p.brokerage, exclude=p), pk=request.POST.get("target")
                )
                meeting = day.meeting_walk_in(actor=self.actor, requester=p, target=target)
                messages.success(
                    request,
                    _("Meeting with %(name)s at %(slot)s, table %(table)s.")
                    % {"name": target.name, "slot": meeting.slot, "table": meeting.table},
                )
            else:
                meeting = get_object_or_404(
                    meetings_involving(participant=p), pk=request.POST.get("meeting")
                )
                if action == "cancel":
                    day.meeting_cancel(actor=self.actor, meeting=meeting)
                    messages.success(request, _("The meeting is cancelled."))
                elif action == "feedback":
                    stage = request.POST.get("stage", "")
                    form = FeedbackForm(request.POST, prefix=f"m{meeting.pk}-{stage}")
                    if not form.is_valid():
                        raise ValidationError(_("Check the rating and the outcome."))
                    data = form.cleaned_data
                    day.feedback_give(
                        actor=self.actor,
                        meeting=meeting,
                        participant=p,
                        stage=data["stage"],
                        rating=data["rating"],
                        outcome=data["outcome"],
                        comment=data["comment"],
                    )
                    messages.success(request, _("Thank you for your answer."))
        except (ValidationError, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status == 404:
                raise
            messages.error(request, _error_text(exc))
        return self.to("agenda")


class AgendaFileView(SpaceMixin):
    def get(self, request: Any, public_cluster_slug: str, code: str, fmt: str) -> HttpResponse:
        p = self.participant
        if fmt == "ics":
            response = HttpResponse(agenda_ics(p), content_type="text/calendar")
        elif fmt == "pdf":
            response = HttpResponse(agenda_pdf(p), content_type="application/pdf")
        else:
            raise Http404
        response["Content-Disposition"] = f'attachment; filename="agenda.{fmt}"'
        return response
