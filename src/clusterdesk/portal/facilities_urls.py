from django.urls import path

from clusterdesk.portal import facilities as views

app_name = "portal_facilities"

urlpatterns = [
    path("", views.CentreHomeView.as_view(), name="home"),
    path("waitlist/", views.WaitlistJoinView.as_view(), name="waitlist_join"),
    path("bookings/<int:pk>/cancel/", views.BookingCancelView.as_view(), name="booking_cancel"),
    path("statements/<int:pk>/", views.StatementView.as_view(), name="statement"),
    path("statements/<int:pk>/pdf/", views.StatementPdfView.as_view(), name="statement_pdf"),
]
