from django.urls import path

from clusterdesk.portal import results as views

app_name = "portal_results"

urlpatterns = [
    path("", views.FollowUpListView.as_view(), name="follow_ups"),
    path("<int:pk>/", views.FollowUpView.as_view(), name="follow_up"),
    path("projects/<int:pk>/", views.ProjectOutcomesView.as_view(), name="project"),
    path("<int:pk>/complete/", views.FollowUpCompleteView.as_view(), name="follow_up_complete"),
]
