"""Resources and their calendars (day and week views), with the staff's booking form."""

from __future__ import annotations

import datetime
from functools import cached_property
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View

from clusterdesk.backoffice.facilities.common import MANAGE, FacilitiesMixin, day_param
from clusterdesk.facilities.forms import BookingForm, PriceForm, ResourceForm
from clusterdesk.facilities.models import Resource, Site
from clusterdesk.facilities.selectors import calendar, person_known_to_cluster, resources_of
from clusterdesk.facilities.services.bookings import booking_create
from clusterdesk.facilities.services.resources import RESOURCE_FIELDS, price_set, resource_create
from clusterdesk.projects.selectors.applications import applications_visible_to
from clusterdesk.web.views import apply_service


class ResourceListView(FacilitiesMixin, View):
    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("resources.html", resources=resources_of(cluster=self.cluster))


class ResourceCreateView(FacilitiesMixin, View):
    permission_required = MANAGE

    def form(self, data: Any = None) -> ResourceForm:
        return ResourceForm(data, sites=Site.objects.filter(cluster=self.cluster))

    def get(self, request: Any, cluster_slug: str) -> HttpResponse:
        return self.page("resource_form.html", form=self.form())

    def post(self, request: Any, cluster_slug: str) -> HttpResponse:
        form = self.form(request.POST)
        created: list[Resource] = []
        if form.is_valid():
            values = {k: v for k, v in form.cleaned_data.items() if k in RESOURCE_FIELDS}
            if apply_service(
                form,
                lambda: created.append(
                    resource_create(actor=request.user, cluster=self.cluster, **values)
                ),
            ):
                messages.success(request, _("The resource is created."))
                return redirect(
                    "facilities:calendar", cluster_slug=self.cluster.slug, pk=created[0].pk
                )
        return self.page("resource_form.html", status=400, form=form)


class PriceView(FacilitiesMixin, View):
    """Set (or remove) one price of a resource, from its calendar page."""

    permission_required = MANAGE

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        resource = get_object_or_404(resources_of(cluster=self.cluster), pk=pk)
        form = PriceForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                price_set(
                    actor=request.user,
                    resource=resource,
                    category=data["category"],
                    unit=data["unit"],
                    amount=data["amount"],
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("The price is saved."))
        else:
            messages.error(request, _("Give a category, a unit and an amount."))
        return redirect("facilities:calendar", cluster_slug=self.cluster.slug, pk=resource.pk)


class CalendarView(FacilitiesMixin, View):
    """One resource's bookings, a day (``?view=day``) or a week at a time, and a form to
    book it for someone."""

    @cached_property
    def resource(self) -> Resource:
        return get_object_or_404(resources_of(cluster=self.cluster), pk=self.kwargs["pk"])

    def form(self, data: Any = None) -> BookingForm:
        return BookingForm(
            data,
            resources=resources_of(cluster=self.cluster).filter(pk=self.resource.pk),
            projects=applications_visible_to(user=self.request.user, cluster=self.cluster),
            for_others=True,
            initial={"resource": self.resource.pk},
        )

    def render(self, form: BookingForm | None, status: int = 200) -> HttpResponse:
        view = "day" if self.request.GET.get("view") == "day" else "week"
        day = day_param(self.request.GET.get("date"))
        if view == "week":
            day -= datetime.timedelta(days=day.weekday())
        days = calendar(resource=self.resource, first=day, days=1 if view == "day" else 7)
        step = datetime.timedelta(days=1 if view == "day" else 7)
        return self.page(
            "calendar.html",
            status=status,
            resource=self.resource,
            view=view,
            days=days,
            first=day,
            previous=day - step,
            next=day + step,
            form=form,
            prices=self.resource.prices.order_by("category", "unit"),
            price_form=PriceForm(),
        )

    def get(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        can_book = request.user.has_perm("facilities.book", self.cluster)
        return self.render(self.form() if can_book and self.resource.bookable else None)

    def post(self, request: Any, cluster_slug: str, pk: int) -> HttpResponse:
        form = self.form(request.POST)
        if form.is_valid():
            email = form.cleaned_data.get("person") or request.user.email
            person = person_known_to_cluster(cluster=self.cluster, email=email)
            if person is None:
                form.add_error("person", _("No account of this cluster has this e-mail."))
            else:
                start, end = form.period()

                def book() -> None:
                    booking_create(
                        actor=request.user,
                        resource=self.resource,
                        person=person,
                        start=start,
                        end=end,
                        application=form.cleaned_data["project"],
                        purpose=form.cleaned_data["purpose"],
                        repeat_weeks=form.cleaned_data["repeat_weeks"],
                    )

                if apply_service(form, book):
                    messages.success(request, _("The booking is saved."))
                    return redirect(f"{request.path}?date={form.cleaned_data['day'].isoformat()}")
        return self.render(form, status=400)
