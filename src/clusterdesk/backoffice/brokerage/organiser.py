"""The organiser's brokerage pages: the events with B2B meetings, setting one up (settings,
slots, partnership types), importing participants, the participants (validation, profile,
personal link, agenda files) and the requests.

Reading needs ``brokerage.view_brokerage`` (the staff); every write is made by a service,
which checks ``brokerage.manage_brokerage`` itself.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.brokerage.common import MANAGE, VIEW, BrokerageMixin
from clusterdesk.brokerage.agenda import agenda_ics, agenda_pdf
from clusterdesk.brokerage.forms import (
    ImportForm,
    PartnershipTypesForm,
    ScheduleForm,
    SettingsForm,
    SlotsForm,
)
from clusterdesk.brokerage.importing import participants_import
from clusterdesk.brokerage.models import MeetingRequest, Participant
from clusterdesk.brokerage.selectors import (
    agenda_of,
    brokerage_figures,
    brokerages_of,
    participant_list,
    published_run,
    request_list,
    requests_of,
    runs_of,
    slots_of,
)
from clusterdesk.brokerage.services import participants as participant_services
from clusterdesk.brokerage.services import setup
from clusterdesk.core.links import page_url
from clusterdesk.crm.importing.tabular import TableError, read_table
from clusterdesk.events.models import Event
from clusterdesk.events.selectors import events_of
from clusterdesk.web.views import ClusterPermissionMixin, apply_service

PAGE_SIZE = 50


class BrokerageListView(ClusterPermissionMixin, View):
    permission_required = VIEW

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        brokerages = list(brokerages_of(cluster=self.cluster))
        set_up = {b.event_id for b in brokerages}
        to_set_up = [
            e
            for e in events_of(cluster=self.cluster).filter(kind=Event.Kind.BROKERAGE)
            if e.pk not in set_up
        ]
        context = {
            "cluster": self.cluster,
            "brokerages": brokerages,
            "to_set_up": to_set_up,
            "can_manage": request.user.has_perm(MANAGE, self.cluster),
        }
        return render(request, "brokerage/brokerage_list.html", context)


class SetupView(ClusterPermissionMixin, View):
    """B2B meetings for a brokerage event of the cluster."""

    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        event = get_object_or_404(events_of(cluster=self.cluster), pk=event_id)
        form = SettingsForm(request.POST)
        done: list[Any] = []
        if form.is_valid() and apply_service(
            form,
            lambda: done.append(
                setup.brokerage_setup(actor=request.user, event=event, **form.cleaned_data)
            ),
        ):
            messages.success(request, _("The B2B meetings are set up; now create the slots."))
            return redirect("brokerage:brokerage", cluster_slug=self.cluster.slug, pk=done[0].pk)
        for error in form.errors.values():
            messages.error(request, " ".join(str(e) for e in error))
        return redirect("brokerage:brokerages", cluster_slug=self.cluster.slug)


class BrokerageView(BrokerageMixin, View):
    """One event's B2B meetings: figures, settings, slots, types, runs, what to do next."""

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.render()

    def render(self, status: int = 200, **forms: Any) -> HttpResponse:
        b = self.brokerage
        types = "\n".join(f"{t.name} | {t.name_en}".strip(" |") for t in b.partnership_types.all())
        context = {
            "figures": brokerage_figures(brokerage=b),
            "slots": list(slots_of(brokerage=b)),
            "runs": list(runs_of(brokerage=b)[:20]),
            "published": published_run(brokerage=b),
            "settings_form": SettingsForm(instance=b),
            "slots_form": SlotsForm(initial={"start": b.event.starts_at, "end": b.event.ends_at}),
            "types_form": PartnershipTypesForm(initial={"types": types}),
            "schedule_form": ScheduleForm(initial={"time_limit_s": 10}),
        } | forms
        return self.page("brokerage_detail.html", status=status, **context)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        """The settings, the slots or the partnership types, by the form's ``action``."""
        action = request.POST.get("action", "")
        b = self.brokerage
        if action == "settings":
            form: Any = SettingsForm(request.POST)
            ok = form.is_valid() and apply_service(
                form,
                lambda: setup.brokerage_setup(
                    actor=request.user, event=b.event, **form.cleaned_data
                ),
            )
            name = "settings_form"
        elif action == "slots":
            form = SlotsForm(request.POST)
            ok = form.is_valid() and apply_service(
                form,
                lambda: setup.slots_generate(
                    actor=request.user,
                    brokerage=b,
                    start=form.cleaned_data["start"],
                    end=form.cleaned_data["end"],
                    breaks=form.breaks(),
                ),
            )
            name = "slots_form"
        elif action == "types":
            form = PartnershipTypesForm(request.POST)
            ok = form.is_valid() and apply_service(
                form,
                lambda: setup.partnership_types_set(
                    actor=request.user, brokerage=b, names=form.names()
                ),
            )
            name = "types_form"
        else:
            return self.back()
        if ok:
            messages.success(request, _("Saved."))
            return self.back()
        return self.render(status=400, **{name: form})


class ImportView(BrokerageMixin, View):
    permission_required = MANAGE

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        return self.page("import.html", form=ImportForm())

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                table = read_table(upload.read(), upload.name)
            except TableError as exc:
                form.add_error("file", str(exc))
            else:
                rows = [dict(zip(table.headers, row, strict=True)) for row in table.rows]
                reports: list[Any] = []
                if apply_service(
                    form,
                    lambda: reports.append(
                        participants_import(actor=request.user, brokerage=self.brokerage, rows=rows)
                    ),
                ):
                    messages.success(
                        request,
                        _("%(n)s participants imported.") % {"n": reports[0].created},
                    )
                    return self.back("brokerage:participants")
        return self.page("import.html", status=400, form=form)


class ParticipantListView(BrokerageMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        q = request.GET.get("q", "").strip()[:200]
        status = request.GET.get("status", "")
        if status not in Participant.Status.values:
            status = ""
        page = Paginator(
            participant_list(brokerage=self.brokerage, q=q, status=status), PAGE_SIZE
        ).get_page(request.GET.get("page"))
        return self.page(
            "participant_list.html",
            page=page,
            q=q,
            status_filter=status,
            statuses=Participant.Status.choices,
        )


class ParticipantMixin(BrokerageMixin):
    @property
    def participant(self) -> Participant:
        if not hasattr(self, "_participant"):
            self._participant = get_object_or_404(
                participant_list(brokerage=self.brokerage), pk=self.kwargs["participant_pk"]
            )
        return self._participant


class ParticipantView(ParticipantMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int, participant_pk: int) -> HttpResponse:
        p = self.participant
        sent, received = requests_of(participant=p)
        context: dict[str, Any] = {
            "participant": p,
            "opportunities": p.opportunities.select_related("partnership_type"),
            "sent": sent,
            "received": received,
            "agenda": agenda_of(participant=p),
        }
        if request.user.has_perm(MANAGE, self.cluster):
            context["link"] = page_url("brokerage.participant", participant=p)
        return self.page("participant_detail.html", **context)

    def post(self, request: Any, cluster_slug: str, pk: int, participant_pk: int) -> HttpResponse:
        """Validate or reject the profile, or give a new personal link."""
        action = request.POST.get("action")
        p = self.participant
        try:
            if action in ("validate", "reject"):
                participant_services.participant_validate(
                    actor=request.user, participant=p, approve=action == "validate"
                )
                messages.success(
                    request,
                    _("The profile is %(status)s.") % {"status": p.get_status_display().lower()},
                )
            elif action == "reset_link":
                participant_services.participant_link_reset(actor=request.user, participant=p)
                messages.success(
                    request, _("A new personal link is made; the old one no longer works.")
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        target = request.POST.get("next") == "list"
        if target:
            return self.back("brokerage:participants")
        return self.back("brokerage:participant", participant_pk=p.pk)


class ParticipantAgendaView(ParticipantMixin, View):
    """The participant's agenda as PDF or iCalendar."""

    def get(
        self, request: Any, cluster_slug: str, pk: int, participant_pk: int, fmt: str
    ) -> HttpResponse:
        return agenda_file(self.participant, fmt)


def agenda_file(participant: Participant, fmt: str) -> HttpResponse:
    if fmt == "ics":
        response = HttpResponse(agenda_ics(participant), content_type="text/calendar")
        name = "agenda.ics"
    else:
        response = HttpResponse(agenda_pdf(participant), content_type="application/pdf")
        name = "agenda.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RequestListView(BrokerageMixin, View):
    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        status = request.GET.get("status", "")
        if status not in MeetingRequest.Status.values:
            status = ""
        qs = request_list(brokerage=self.brokerage, status=status)
        page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
        return self.page(
            "request_list.html",
            page=page,
            status_filter=status,
            statuses=MeetingRequest.Status.choices,
        )
