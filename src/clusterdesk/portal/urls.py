from django.urls import path

from clusterdesk.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.PortalHomeView.as_view(), name="home"),
    path("invoices/", views.PortalInvoicesView.as_view(), name="invoices"),
    path("invoices/<int:pk>/pdf/", views.PortalInvoicePdfView.as_view(), name="invoice_pdf"),
    path(
        "organisations/<int:org_id>/", views.PortalOrganisationView.as_view(), name="organisation"
    ),
]
