"""SME support: cases (with their actions and outcomes), expert missions and the expert
network of one cluster; one module per resource, the bodies in ``schemas``.

Every route is under ``/clusters/{cluster_slug}/support/``. Cases are confidential: a list
shows only what ``support.selectors.cases.support_cases_visible_to`` returns, and a case
the caller may not see answers the same 404 as a missing one on every route that names it
(its actions, outcomes and missions too). The services decide who may write what
(``support.rules``) and refuse bad input by name: JSON 400 naming the field, 403, 404 or
409 (``api.errors``)."""

from ninja import Router

from clusterdesk.api.support import cases, experts, missions

router = Router(tags=["support"])
for module in (cases, missions, experts):
    router.add_router("", module.router)
