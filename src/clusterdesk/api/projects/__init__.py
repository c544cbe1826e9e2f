"""Labelling: calls, applications and their consortium, the workflow, reviews, committee
sessions and funding of one cluster; one module per resource, the bodies in ``schemas``.

Every route is under ``/clusters/{cluster_slug}/``, whose scope the tenant middleware has
opened. Applications hold the partners' trade secrets: a list shows only what
``selectors.applications.applications_visible_to`` returns, and an application the caller
may not see answers the same 404 as a missing one, on every route that names it; a 403
only ever refuses an action on an application the caller does see. Handlers parse, call the
projects' services and selectors, and render: the services decide who may do what
(``projects.rules``) and check the workflow's rules, and their refusals become JSON 404,
403 or 400 (``api.errors``).
"""

from ninja import Router

from clusterdesk.api.projects import (
    applications,
    calls,
    committee,
    funding,
    reviews,
    workflow,
)

router = Router(tags=["labelling"])
for module in (calls, applications, workflow, reviews, committee, funding):
    router.add_router("", module.router)
