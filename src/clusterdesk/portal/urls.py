from django.urls import path

from clusterdesk.portal import brokerage, views

app_name = "portal"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("meetings/", brokerage.MyMeetingsView.as_view(), name="meetings"),
    path(
        "organisations/<int:org_id>/", views.PortalOrganisationView.as_view(), name="organisation"
    ),
]
