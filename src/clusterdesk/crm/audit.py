"""What the audit log shows of the CRM (see ``audit.visibility``).

An organisation is one record shared by every cluster that follows it: a change one cluster
makes to it is shown in the log of every cluster that follows it, with the acting cluster.
"""

from __future__ import annotations

from django.db.models import QuerySet

from clusterdesk.audit import visibility
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation, Relationship


def followed_organisations(cluster: Cluster) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        pk__in=Relationship.objects.filter(cluster=cluster).values("organisation_id")
    )


def register() -> None:
    visibility.register_shared("crm.organisation", followed_organisations)
