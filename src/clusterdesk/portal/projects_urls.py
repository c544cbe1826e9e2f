"""The member portal's applications, under ``/portal/<cluster_slug>/applications/``."""

from django.urls import path

from clusterdesk.portal import projects as views
from clusterdesk.projects.models import Application

app_name = "portal_projects"

urlpatterns = [
    path("", views.ApplicationListView.as_view(), name="applications"),
    path("new/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("<int:pk>/", views.ApplicationView.as_view(), name="application"),
    path("<int:pk>/edit/", views.ApplicationEditView.as_view(), name="application_edit"),
    path(
        "<int:pk>/submit/",
        views.TransitionView.as_view(to=Application.State.SUBMITTED),
        name="submit",
    ),
    path(
        "<int:pk>/withdraw/",
        views.TransitionView.as_view(to=Application.State.WITHDRAWN),
        name="withdraw",
    ),
    path("<int:pk>/partners/", views.PartnersView.as_view(), name="partners"),
    path(
        "<int:pk>/partners/<int:partner_id>/",
        views.PartnerEditView.as_view(),
        name="partner_edit",
    ),
    path(
        "<int:pk>/partners/<int:partner_id>/remove/",
        views.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
    path("<int:pk>/invite/", views.InviteView.as_view(), name="invite"),
    path("<int:pk>/documents/", views.DocumentsView.as_view(), name="documents"),
    path(
        "<int:pk>/documents/<int:doc_id>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
]
