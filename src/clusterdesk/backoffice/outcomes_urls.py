from django.urls import path

from clusterdesk.backoffice import outcomes as views

app_name = "outcomes"

follow_up = views.FollowUpView.as_view()

urlpatterns = [
    path("", views.OutcomeListView.as_view(), name="outcomes"),
    path("new/", views.OutcomeDeclareView.as_view(), name="outcome_declare"),
    path("follow-up/", follow_up, name="follow_up"),
    path("follow-up/<int:pk>/", follow_up, name="campaign"),
    path("<int:pk>/", views.OutcomeView.as_view(), name="outcome"),
    path("<int:pk>/review/", views.OutcomeReviewView.as_view(), name="outcome_review"),
    path("<int:pk>/evidence/", views.EvidenceView.as_view(), name="outcome_evidence"),
]
