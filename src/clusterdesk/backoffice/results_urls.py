from django.urls import path

from clusterdesk.backoffice import results as views

app_name = "dashboards"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("story/", views.StoryView.as_view(), name="story"),
    path("<slug:name>/", views.DrillDownView.as_view(), name="drill_down"),
]
