"""What the audit log shows of the CRM (see ``audit.visibility``).

An organisation is one record shared by every cluster that follows it: a change one cluster
makes to it is shown in the log of every cluster that follows it, with the acting cluster.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from clusterdesk.audit import visibility
from clusterdesk.audit.wording import actions_register
from clusterdesk.crm.selectors import organisations_followed


def register() -> None:
    visibility.register_shared(
        "crm.organisation", lambda cluster: organisations_followed(cluster=cluster)
    )
    actions_register(
        {
            "organisation.*": _("Organisations: every action"),
            "organisation.created": _("Organisation created"),
            "organisation.updated": _("Organisation changed"),
            "organisation.imported": _("Organisation imported"),
            "organisation.merged": _("Organisations merged"),
            "organisation.merge_undone": _("Merge of organisations undone"),
            "organisation.restored": _("Organisation restored after an undone merge"),
            "relationship.*": _("Follow-up of organisations: every action"),
            "relationship.created": _("Organisation followed by the cluster"),
            "relationship.updated": _("Follow-up of the organisation changed"),
            "membership.*": _("Memberships: every action"),
            "membership.created": _("Membership created"),
            "membership.updated": _("Membership changed"),
            "membership.imported": _("Membership imported"),
            "membership.renewed": _("Membership renewed"),
            "membership.fee_called": _("Fee called"),
            "membership.reminded": _("Fee reminder sent"),
            "membership.payment_recorded": _("Payment recorded"),
            "membership.lapsed": _("Membership lapsed"),
            "membership_category.*": _("Fee categories: every action"),
            "membership_category.created": _("Fee category created"),
            "membership_category.updated": _("Fee category changed"),
            "fee_rule.*": _("Fee grid: every action"),
            "fee_rule.created": _("Fee rule added"),
            "contact.*": _("Contacts: every action"),
            "contact.created": _("Contact created"),
            "contact.updated": _("Contact changed"),
            "contact.imported": _("Contact imported"),
            "contact.anonymised": _("Contact erased (personal data removed)"),
            "contact.portal_access_granted": _("Portal access granted"),
            "interaction.*": _("Interactions: every action"),
            "interaction.created": _("Interaction logged"),
            "interaction.updated": _("Interaction changed"),
            "invoice.*": _("Invoices: every action"),
            "invoice.issued": _("Invoice issued"),
            "invoice.credited": _("Credit note issued"),
            "import_mapping.*": _("Saved import mappings: every action"),
            "import_mapping.saved": _("Import mapping saved"),
            "import_mapping.deleted": _("Import mapping deleted"),
            "crm.*": _("Imports: every action"),
            "crm.import": _("Spreadsheet imported"),
        }
    )
