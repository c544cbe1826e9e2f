from django.urls import path

from clusterdesk.backoffice import reports as views

app_name = "reports"

urlpatterns = [
    path("", views.ReportsView.as_view(), name="reports"),
    path("annual/", views.AnnualReportView.as_view(), name="annual"),
    path("custom/", views.CustomReportView.as_view(), name="custom"),
]
