from django.urls import path

from clusterdesk.backoffice import crm as views

app_name = "members"

urlpatterns = [
    path("", views.OrganisationListView.as_view(), name="organisations"),
    path("new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("duplicates/", views.DuplicatesView.as_view(), name="duplicates"),
    path("import/", views.ImportView.as_view(), name="import"),
    path("import/<int:pk>/confirm/", views.ImportConfirmView.as_view(), name="import_confirm"),
    path("categories/", views.CategoriesView.as_view(), name="categories"),
    path("renewals/", views.renewals_this_year, name="renewals_now"),
    path("renewals/<int:year>/", views.RenewalView.as_view(), name="renewals"),
    path("<int:org_id>/", views.OrganisationView.as_view(), name="organisation"),
    path("<int:org_id>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("<int:org_id>/tags/", views.RelationshipEditView.as_view(), name="relationship_edit"),
    path(
        "<int:org_id>/memberships/new/",
        views.MembershipEditView.as_view(),
        name="membership_create",
    ),
    path(
        "<int:org_id>/memberships/<int:pk>/",
        views.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path("<int:org_id>/contacts/new/", views.ContactEditView.as_view(), name="contact_create"),
    path("<int:org_id>/contacts/<int:pk>/", views.ContactEditView.as_view(), name="contact_edit"),
    path(
        "<int:org_id>/contacts/<int:pk>/<slug:action>/",
        views.ContactActionView.as_view(),
        name="contact_action",
    ),
    path(
        "<int:org_id>/interactions/new/",
        views.InteractionEditView.as_view(),
        name="interaction_create",
    ),
    path(
        "<int:org_id>/interactions/<int:pk>/",
        views.InteractionEditView.as_view(),
        name="interaction_edit",
    ),
]
