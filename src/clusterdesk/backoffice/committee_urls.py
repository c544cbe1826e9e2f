"""The committee member's workspace, under ``/c/<cluster_slug>/committee/``."""

from django.urls import path

from clusterdesk.backoffice import committee as views

app_name = "committee"

urlpatterns = [
    path("", views.SessionListView.as_view(), name="sessions"),
    path("<int:session_id>/", views.SessionView.as_view(), name="session"),
    path(
        "<int:session_id>/applications/<int:app_id>/",
        views.ApplicationView.as_view(),
        name="application",
    ),
    path(
        "<int:session_id>/applications/<int:app_id>/conflict/",
        views.ConflictView.as_view(),
        name="conflict",
    ),
    path(
        "<int:session_id>/applications/<int:app_id>/documents/<int:doc_id>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
]
