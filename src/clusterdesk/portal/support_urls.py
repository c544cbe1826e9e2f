from django.urls import path

from clusterdesk.portal import support as views

app_name = "portal_support"

urlpatterns = [
    path("", views.CaseListView.as_view(), name="cases"),
    path("new/", views.CaseRequestView.as_view(), name="request"),
    path("<int:case_id>/", views.CaseView.as_view(), name="case"),
    path("<int:case_id>/rate/", views.CaseRateView.as_view(), name="rate"),
]
