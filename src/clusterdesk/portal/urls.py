from django.urls import path

from clusterdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path(
        "organisations/<int:org_id>/", views.PortalOrganisationView.as_view(), name="organisation"
    ),
]
