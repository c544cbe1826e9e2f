from django.urls import path

from clusterdesk.backoffice.labelling import (
    applications,
    assignment,
    calls,
    committee,
    experts,
    search,
)

app_name = "labelling"

call_edit = calls.CallEditView.as_view()
partner_edit = applications.PartnerEditView.as_view()
funding_edit = applications.FundingEditView.as_view()
session_edit = committee.SessionEditView.as_view()
expert_edit = experts.ExpertEditView.as_view()

urlpatterns = [
    path("", calls.CallListView.as_view(), name="calls"),
    path("calls/new/", call_edit, name="call_create"),
    path("calls/<int:call_id>/", calls.CallView.as_view(), name="call"),
    path("calls/<int:call_id>/edit/", call_edit, name="call_edit"),
    path(
        "calls/<int:call_id>/assignments/<int:pk>/<slug:action>/",
        assignment.AssignmentActionView.as_view(),
        name="assignment_action",
    ),
    path("applications/", search.ApplicationListView.as_view(), name="applications"),
    path(
        "applications/new/", applications.ApplicationCreateView.as_view(), name="application_create"
    ),
    path("applications/<int:app_id>/", applications.ApplicationView.as_view(), name="application"),
    path(
        "applications/<int:app_id>/edit/",
        applications.ApplicationEditView.as_view(),
        name="application_edit",
    ),
    path(
        "applications/<int:app_id>/state/<slug:to>/",
        applications.TransitionView.as_view(),
        name="application_transition",
    ),
    path("applications/<int:app_id>/partners/new/", partner_edit, name="partner_create"),
    path(
        "applications/<int:app_id>/partners/suggestions/",
        applications.PartnerSuggestionsView.as_view(),
        name="partner_suggestions",
    ),
    path("applications/<int:app_id>/partners/<int:pk>/", partner_edit, name="partner_edit"),
    path(
        "applications/<int:app_id>/partners/<int:pk>/remove/",
        applications.PartnerRemoveView.as_view(),
        name="partner_remove",
    ),
    path(
        "applications/<int:app_id>/documents/new/",
        applications.DocumentAddView.as_view(),
        name="document_add",
    ),
    path(
        "applications/<int:app_id>/documents/<int:pk>/",
        applications.DocumentDownloadView.as_view(),
        name="document",
    ),
    path(
        "applications/<int:app_id>/project/",
        applications.ProjectEditView.as_view(),
        name="project_edit",
    ),
    path("applications/<int:app_id>/fundings/new/", funding_edit, name="funding_create"),
    path("applications/<int:app_id>/fundings/<int:pk>/", funding_edit, name="funding_edit"),
    path("committee/", committee.SessionListView.as_view(), name="sessions"),
    path("committee/new/", session_edit, name="session_create"),
    path("committee/<int:session_id>/", committee.SessionView.as_view(), name="session"),
    path("committee/<int:session_id>/edit/", session_edit, name="session_edit"),
    path("experts/", experts.ExpertListView.as_view(), name="experts"),
    path("experts/new/", expert_edit, name="expert_create"),
    path("experts/<int:pk>/", expert_edit, name="expert_edit"),
]
