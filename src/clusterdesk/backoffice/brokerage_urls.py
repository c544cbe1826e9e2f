from django.urls import path

from clusterdesk.backoffice.brokerage import organiser, schedule

app_name = "brokerage"

urlpatterns = [
    path("", organiser.BrokerageListView.as_view(), name="brokerages"),
    path("set-up/<int:event_id>/", organiser.SetupView.as_view(), name="setup"),
    path("<int:pk>/", organiser.BrokerageView.as_view(), name="brokerage"),
    path("<int:pk>/import/", organiser.ImportView.as_view(), name="import"),
    path("<int:pk>/participants/", organiser.ParticipantListView.as_view(), name="participants"),
    path(
        "<int:pk>/participants/<int:participant_pk>/",
        organiser.ParticipantView.as_view(),
        name="participant",
    ),
    path(
        "<int:pk>/participants/<int:participant_pk>/agenda.<str:fmt>",
        organiser.ParticipantAgendaView.as_view(),
        name="participant_agenda",
    ),
    path("<int:pk>/requests/", organiser.RequestListView.as_view(), name="requests"),
    path("<int:pk>/schedule/", schedule.ScheduleStartView.as_view(), name="schedule"),
    path("<int:pk>/runs/<int:run_pk>/", schedule.RunView.as_view(), name="run"),
    path("<int:pk>/plan/", schedule.PlanView.as_view(), name="plan"),
    path("<int:pk>/meetings/<int:meeting_pk>/", schedule.MeetingView.as_view(), name="meeting"),
]
