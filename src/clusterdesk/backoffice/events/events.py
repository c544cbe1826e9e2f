"""The cluster's events: the list, a new event, an event's page and its categories."""

from __future__ import annotations

import copy
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.events.common import EventMixin
from clusterdesk.events.forms import CategoryForm, EventForm
from clusterdesk.events.models import Event, RegistrationCategory
from clusterdesk.events.selectors import categories_of, event_list, seats_of
from clusterdesk.events.services import events as event_services
from clusterdesk.web.views import ClusterPermissionMixin, apply_service


class EventListView(ClusterPermissionMixin, View):
    permission_required = "events.view_events"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        when = request.GET.get("when", "coming")
        if when not in ("coming", "past", "all"):
            when = "coming"
        context = {
            "cluster": self.cluster,
            "events": event_list(cluster=self.cluster, when="" if when == "all" else when),
            "when": when,
            "can_manage": request.user.has_perm("events.manage_events", self.cluster),
            "can_view_registrations": request.user.has_perm(
                "events.view_registrations", self.cluster
            ),
        }
        return render(request, "events/event_list.html", context)


class EventCreateView(ClusterPermissionMixin, View):
    permission_required = "events.manage_events"

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.render(EventForm())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = EventForm(request.POST)
        created: list[Event] = []
        if form.is_valid() and apply_service(
            form,
            lambda: created.append(
                event_services.event_create(
                    actor=request.user, cluster=self.cluster, **form.cleaned_data
                )
            ),
        ):
            messages.success(request, _("The event is created."))
            return redirect("events:event", cluster_slug=self.cluster.slug, event_id=created[0].pk)
        return self.render(form, status=400)

    def render(self, form: EventForm, status: int = 200) -> HttpResponse:
        context = {"cluster": self.cluster, "form": form, "title": _("New event")}
        return render(self.request, "events/event_form.html", context, status=status)


class EventView(EventMixin, View):
    """An event: its figures, its categories and the way to everything else."""

    permission_required = "events.view_events"

    def get(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        categories = [
            (c, seats_of(event=self.event, category=c)) for c in categories_of(event=self.event)
        ]
        return self.page(
            "events/event_detail.html",
            seats=seats_of(event=self.event),
            categories=categories,
            category_form=CategoryForm(prefix="category"),
        )


class EventEditView(EventMixin, View):
    permission_required = "events.manage_events"

    def get(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        return self.page(
            "events/event_form.html",
            form=EventForm(instance=self.event),
            title=_("Change the event"),
        )

    def post(self, request: Any, cluster_slug: str, event_id: int) -> HttpResponse:
        form = EventForm(request.POST, instance=copy.copy(self.event))
        if form.is_valid() and apply_service(
            form,
            lambda: event_services.event_update(
                actor=request.user, event=self.event, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The event is saved."))
            return self.to_event()
        return self.page(
            "events/event_form.html", status=400, form=form, title=_("Change the event")
        )


class CategoryEditView(EventMixin, View):
    """Add a category to the event (``pk`` None) or change one."""

    permission_required = "events.manage_events"

    def category(self, pk: int | None) -> RegistrationCategory | None:
        if pk is None:
            return None
        return get_object_or_404(categories_of(event=self.event), pk=pk)

    def get(
        self, request: Any, cluster_slug: str, event_id: int, pk: int | None = None
    ) -> HttpResponse:
        category = self.category(pk)
        form = CategoryForm(instance=category, prefix="category")
        return self.page("events/category_form.html", form=form, category=category)

    def post(
        self, request: Any, cluster_slug: str, event_id: int, pk: int | None = None
    ) -> HttpResponse:
        category = self.category(pk)
        form = CategoryForm(
            request.POST, instance=copy.copy(category) if category else None, prefix="category"
        )
        if form.is_valid() and apply_service(
            form,
            lambda: event_services.category_save(
                actor=request.user, event=self.event, category=category, **form.cleaned_data
            ),
        ):
            messages.success(request, _("The category is saved."))
            return self.to_event()
        return self.page("events/category_form.html", status=400, form=form, category=category)
