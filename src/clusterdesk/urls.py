from django.contrib import admin
from django.urls import include, path

from clusterdesk.api.api import api
from clusterdesk.funders.views import region_dashboard
from clusterdesk.public import verify
from clusterdesk.public import views as public_views

urlpatterns = [
    path("", public_views.home, name="home"),
    path("health/", public_views.health, name="health"),
    path("regions/<slug:region_slug>/", public_views.region, name="region"),
    path("regions/<slug:region_slug>/dashboard/", region_dashboard, name="region_dashboard"),
    path("directory/<slug:public_cluster_slug>/", public_views.directory, name="directory"),
    path("events/<slug:public_cluster_slug>/", include("clusterdesk.public.events_urls")),
    path("verify/", include(verify.form_urlpatterns)),
    path("verify/<str:code>/", include("clusterdesk.public.verify")),
    path("portal/<slug:cluster_slug>/", include("clusterdesk.portal.urls")),
    path("portal/<slug:cluster_slug>/applications/", include("clusterdesk.portal.projects_urls")),
    path("portal/<slug:cluster_slug>/results/", include("clusterdesk.portal.results_urls")),
    path("portal/<slug:cluster_slug>/support/", include("clusterdesk.portal.support_urls")),
    path("portal/<slug:cluster_slug>/centre/", include("clusterdesk.portal.facilities_urls")),
    path("accounts/", include("clusterdesk.public.accounts_urls")),
    path("c/<slug:cluster_slug>/", include("clusterdesk.backoffice.urls")),
    path("c/<slug:cluster_slug>/members/", include("clusterdesk.backoffice.crm_urls")),
    path("c/<slug:cluster_slug>/dashboard/", include("clusterdesk.backoffice.results_urls")),
    path("c/<slug:cluster_slug>/projects/", include("clusterdesk.backoffice.documents_urls")),
    path("c/<slug:cluster_slug>/projects/", include("clusterdesk.backoffice.projects_urls")),
    path("c/<slug:cluster_slug>/reviews/", include("clusterdesk.backoffice.reviews_urls")),
    path("c/<slug:cluster_slug>/committee/", include("clusterdesk.backoffice.committee_urls")),
    path("c/<slug:cluster_slug>/outcomes/", include("clusterdesk.backoffice.outcomes_urls")),
    path("c/<slug:cluster_slug>/reports/", include("clusterdesk.backoffice.reports_urls")),
    path("c/<slug:cluster_slug>/events/", include("clusterdesk.backoffice.events_urls")),
    path("c/<slug:cluster_slug>/brokerage/", include("clusterdesk.backoffice.brokerage_urls")),
    path("brokerage/<slug:public_cluster_slug>/", include("clusterdesk.public.brokerage_urls")),
    path("c/<slug:cluster_slug>/support/", include("clusterdesk.backoffice.support_urls")),
    path("c/<slug:cluster_slug>/facilities/", include("clusterdesk.backoffice.facilities_urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "clusterdesk.public.views.error_404"
handler403 = "clusterdesk.public.views.error_403"
handler500 = "clusterdesk.public.views.error_500"
