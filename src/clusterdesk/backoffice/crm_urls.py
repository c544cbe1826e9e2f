from django.urls import path

from clusterdesk.backoffice.members import (
    categories,
    contacts,
    duplicates,
    imports,
    invoices,
    memberships,
    organisations,
)

app_name = "members"

urlpatterns = [
    path("", organisations.OrganisationListView.as_view(), name="organisations"),
    path("new/", organisations.OrganisationCreateView.as_view(), name="organisation_create"),
    path("duplicates/", duplicates.DuplicatesView.as_view(), name="duplicates"),
    path(
        "register/",
        organisations.OrganisationRegisterView.as_view(),
        name="organisation_register",
    ),
    path("import/", imports.ImportView.as_view(), name="import"),
    path("import/<int:pk>/confirm/", imports.ImportConfirmView.as_view(), name="import_confirm"),
    path(
        "import/<int:pk>/mapping/", imports.ImportMappingSaveView.as_view(), name="import_mapping"
    ),
    path("import/columns/", imports.ImportColumnsView.as_view(), name="import_columns"),
    path(
        "import/mappings/<int:pk>/delete/",
        imports.ImportMappingDeleteView.as_view(),
        name="import_mapping_delete",
    ),
    path("import/template.xlsx", imports.ImportTemplateView.as_view(), name="import_template"),
    path("categories/", categories.CategoriesView.as_view(), name="categories"),
    path("renewals/", memberships.renewals_this_year, name="renewals_now"),
    path("invoices/", invoices.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/pdf/", invoices.InvoicePdfView.as_view(), name="invoice_pdf"),
    path("invoices/<int:pk>/credit-note/", invoices.CreditNoteView.as_view(), name="credit_note"),
    path("renewals/<int:year>/", memberships.RenewalView.as_view(), name="renewals"),
    path("<int:org_id>/", organisations.OrganisationView.as_view(), name="organisation"),
    path(
        "<int:org_id>/edit/", organisations.OrganisationEditView.as_view(), name="organisation_edit"
    ),
    path(
        "<int:org_id>/tags/", organisations.RelationshipEditView.as_view(), name="relationship_edit"
    ),
    path(
        "<int:org_id>/memberships/new/",
        memberships.MembershipEditView.as_view(),
        name="membership_create",
    ),
    path(
        "<int:org_id>/memberships/<int:pk>/",
        memberships.MembershipEditView.as_view(),
        name="membership_edit",
    ),
    path(
        "<int:org_id>/merges/<int:entry_id>/undo/",
        duplicates.MergeUndoView.as_view(),
        name="merge_undo",
    ),
    path("<int:org_id>/contacts/new/", contacts.ContactEditView.as_view(), name="contact_create"),
    path(
        "<int:org_id>/contacts/<int:pk>/", contacts.ContactEditView.as_view(), name="contact_edit"
    ),
    path(
        "<int:org_id>/contacts/<int:pk>/<slug:action>/",
        contacts.ContactActionView.as_view(),
        name="contact_action",
    ),
    path(
        "<int:org_id>/interactions/new/",
        contacts.InteractionEditView.as_view(),
        name="interaction_create",
    ),
    path(
        "<int:org_id>/interactions/<int:pk>/",
        contacts.InteractionEditView.as_view(),
        name="interaction_edit",
    ),
]
