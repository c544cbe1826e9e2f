from django.urls import path

from clusterdesk.public import brokerage

app_name = "participant_space"

urlpatterns = [
    path("<str:code>/", brokerage.HomeView.as_view(), name="home"),
    path("<str:code>/market/", brokerage.MarketView.as_view(), name="market"),
    path("<str:code>/market/<int:target_pk>/", brokerage.RequestView.as_view(), name="request"),
    path("<str:code>/requests/", brokerage.RequestsView.as_view(), name="requests"),
    path("<str:code>/agenda/", brokerage.AgendaView.as_view(), name="agenda"),
    path("<str:code>/agenda.<str:fmt>", brokerage.AgendaFileView.as_view(), name="agenda_file"),
]
