from django.urls import path

from clusterdesk.backoffice import projects as views

app_name = "labelling"

call_edit = views.CallEditView.as_view()
partner_edit = views.PartnerEditView.as_view()
funding_edit = views.FundingEditView.as_view()
session_edit = views.SessionEditView.as_view()
expert_edit = views.ExpertEditView.as_view()

urlpatterns = [
    path("", views.CallListView.as_view(), name="calls"),
    path("calls/new/", call_edit, name="call_create"),
    path("calls/<int:call_id>/", views.CallView.as_view(), name="call"),
    path("calls/<int:call_id>/edit/", call_edit, name="call_edit"),
    path(
        "calls/<int:call_id>/assignments/<int:pk>/<slug:action>/",
        views.AssignmentActionView.as_view(),
        name="assignment_action",
    ),
    path("applications/new/", views.ApplicationCreateView.as_view(), name="application_create"),
    path("applications/<int:app_id>/", views.ApplicationView.as_view(), name="application"),
    path(
        "applications/<int:app_id>/edit/",
        views.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "applications/<int:app_id>/state/<slug:to>/",
        views.TransitionView.as_view(),
        name="application_transition",
    ),
    path("applications/<int:app_id>/partners/new/", partner_edit, name="partner_create"),
    path("applications/<int:app_id>/partners/<int:pk>/", partner_edit, name="partner_edit"),
    path(
        "applications/<int:app_id>/partners/<int:pk>/remove/",
        views.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
    path(
        "applications/<int:app_id>/documents/new/",
        views.DocumentAddView.as_view(),
        name="document_add",
    ),
    path(
        "applications/<int:app_id>/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="document",
    ),
    path(
        "applications/<int:app_id>/project/", views.ProjectEditView.as_view(), name="project_edit"
    ),
    path("applications/<int:app_id>/fundings/new/", funding_edit, name="funding_create"),
    path("applications/<int:app_id>/fundings/<int:pk>/", funding_edit, name="funding_edit"),
    path("committee/", views.SessionListView.as_view(), name="sessions"),
    path("committee/new/", session_edit, name="session_create"),
    path("committee/<int:session_id>/", views.SessionView.as_view(), name="session"),
    path("committee/<int:session_id>/edit/", session_edit, name="session_edit"),
    path("experts/", views.ExpertListView.as_view(), name="experts"),
    path("experts/new/", expert_edit, name="expert_create"),
    path("experts/<int:pk>/", expert_edit, name="expert_edit"),
]
