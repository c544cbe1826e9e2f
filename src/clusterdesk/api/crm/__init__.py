"""The member CRM: organisations, memberships, contacts and interactions of one cluster,
one module per resource (its router and handlers), the schemas in ``schemas``.

Every route is under ``/clusters/{cluster_slug}/``, whose scope the tenant middleware has
opened. Reading needs ``crm.view_members``; the CRM's services decide every write (who
may write, and which fields: only finance sets a membership's fee fields). Handlers parse,
call the services and selectors, and render.
"""

from clusterdesk.api.crm.contacts import router as contacts
from clusterdesk.api.crm.interactions import router as interactions
from clusterdesk.api.crm.memberships import router as memberships
from clusterdesk.api.crm.organisations import router as organisations

__all__ = ["contacts", "interactions", "memberships", "organisations"]
