from django.urls import path

from clusterdesk.backoffice import views

app_name = "backoffice"

domain_view = views.DomainView.as_view()
theme_view = views.ThemeView.as_view()

urlpatterns = [
    path("", views.ClusterHomeView.as_view(), name="cluster_home"),
    path("settings/", views.ClusterSettingsView.as_view(), name="cluster_settings"),
    path("settings/domains/new/", domain_view, name="domain_create"),
    path("settings/domains/<int:pk>/", domain_view, name="domain_edit"),
    path("settings/themes/new/", theme_view, name="theme_create"),
    path("settings/themes/<int:pk>/", theme_view, name="theme_edit"),
    path("team/", views.TeamView.as_view(), name="team"),
    path("team/<int:user_id>/", views.TeamMemberView.as_view(), name="team_member"),
    path(
        "team/invitations/<int:pk>/revoke/",
        views.InvitationRevokeView.as_view(),
        name="invitation_revoke",
    ),
    path("audit/", views.AuditLogView.as_view(), name="audit"),
    path("jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("jobs/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
]
