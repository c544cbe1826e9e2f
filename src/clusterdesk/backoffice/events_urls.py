from django.urls import path

from clusterdesk.backoffice.events import check_in, events, matching, registrations

app_name = "events"

urlpatterns = [
    path("", events.EventListView.as_view(), name="events"),
    path("new/", events.EventCreateView.as_view(), name="event_create"),
    path("organisations/", matching.MatchingView.as_view(), name="matching"),
    path("organisations/<int:pk>/<slug:action>/", matching.MatchView.as_view(), name="match"),
    path("<int:event_id>/", events.EventView.as_view(), name="event"),
    path("<int:event_id>/edit/", events.EventEditView.as_view(), name="event_edit"),
    path(
        "<int:event_id>/categories/new/",
        events.CategoryEditView.as_view(),
        name="category_create",
    ),
    path(
        "<int:event_id>/categories/<int:pk>/",
        events.CategoryEditView.as_view(),
        name="category_edit",
    ),
    path(
        "<int:event_id>/registrations/",
        registrations.RegistrationListView.as_view(),
        name="registrations",
    ),
    path(
        "<int:event_id>/registrations/export/",
        registrations.RegistrationExportView.as_view(),
        name="registrations_export",
    ),
    path(
        "<int:event_id>/registrations/<int:pk>/<slug:action>/",
        registrations.RegistrationActionView.as_view(),
        name="registration_action",
    ),
    path("<int:event_id>/badges/", registrations.BadgesView.as_view(), name="badges"),
    path("<int:event_id>/check-in/", check_in.CheckInView.as_view(), name="check_in"),
    path(
        "<int:event_id>/check-in/<int:pk>/",
        check_in.CheckInMarkView.as_view(),
        name="check_in_mark",
    ),
]
