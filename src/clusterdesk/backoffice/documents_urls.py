"""The labelling workflow's PDFs, under /c/<cluster_slug>/projects/ beside the project
pages (``projects_urls``): the paths differ from theirs, the namespace is this file's own."""

from django.urls import path

from clusterdesk.backoffice import documents as views

app_name = "labelling_documents"

urlpatterns = [
    path(
        "applications/<int:pk>/certificate.pdf",
        views.CertificateView.as_view(),
        name="certificate",
    ),
    path("sessions/<int:pk>/minutes.pdf", views.MinutesView.as_view(), name="minutes"),
]
