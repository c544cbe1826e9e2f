"""The reviewers' pages, under ``/c/<cluster_slug>/reviews/``; ``pk`` is an assignment."""

from django.urls import path

from clusterdesk.backoffice import reviews as views

app_name = "reviews"

urlpatterns = [
    path("", views.AssignmentListView.as_view(), name="assignments"),
    path("<int:pk>/", views.DeclarationView.as_view(), name="declaration"),
    path("<int:pk>/review/", views.ReviewView.as_view(), name="review"),
    path(
        "<int:pk>/documents/<int:doc_id>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
]
