from django.urls import path

from clusterdesk.public import events

app_name = "public_events"

urlpatterns = [
    path("<slug:event_slug>/", events.event_page, name="event"),
    path("<slug:event_slug>/cancel/<str:code>/", events.cancel_page, name="cancel"),
]
