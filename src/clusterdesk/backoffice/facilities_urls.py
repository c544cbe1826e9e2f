from django.urls import path

from clusterdesk.backoffice.facilities import (
    authorisations,
    bookings,
    leases,
    resources,
    statements,
)

app_name = "facilities"

urlpatterns = [
    path("", resources.ResourceListView.as_view(), name="resources"),
    path("resources/new/", resources.ResourceCreateView.as_view(), name="resource_create"),
    path("resources/<int:pk>/", resources.CalendarView.as_view(), name="calendar"),
    path("resources/<int:pk>/prices/", resources.PriceView.as_view(), name="price_set"),
    path("approvals/", bookings.ApprovalQueueView.as_view(), name="approvals"),
    path("desk/", bookings.DeskView.as_view(), name="desk"),
    path("bookings/<int:pk>/", bookings.BookingActionView.as_view(), name="booking_action"),
    path("authorisations/", authorisations.AuthorisationListView.as_view(), name="authorisations"),
    path(
        "authorisations/<int:pk>/revoke/",
        authorisations.AuthorisationRevokeView.as_view(),
        name="authorisation_revoke",
    ),
    path(
        "authorisations/<int:pk>/evidence/",
        authorisations.EvidenceView.as_view(),
        name="authorisation_evidence",
    ),
    path("leases/", leases.LeaseListView.as_view(), name="leases"),
    path("leases/<int:pk>/", leases.LeaseActionView.as_view(), name="lease_action"),
    path("occupancy/", leases.OccupancyView.as_view(), name="occupancy"),
    path("statements/", statements.StatementListView.as_view(), name="statements"),
    path("statements/<int:pk>/", statements.StatementView.as_view(), name="statement"),
    path("statements/<int:pk>/pdf/", statements.StatementPdfView.as_view(), name="statement_pdf"),
]
