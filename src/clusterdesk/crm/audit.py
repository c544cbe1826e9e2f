"""What the audit log shows of the CRM (see ``audit.visibility``).

An organisation is one record shared by every cluster that follows it: a change one cluster
makes to it is shown in the log of every cluster that follows it, with the acting cluster.
"""

from __future__ import annotations

from clusterdesk.audit import visibility
from clusterdesk.crm.selectors import organisations_followed


def register() -> None:
    visibility.register_shared(
        "crm.organisation", lambda cluster: organisations_followed(cluster=cluster)
    )
