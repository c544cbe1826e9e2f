"""Events and their registrations of one cluster: one module per resource, the bodies in
``schemas``.

Every route is under ``/clusters/{cluster_slug}/``, whose scope the tenant middleware has
opened. Reading events needs ``events.view_events``, reading registrations
``events.view_registrations``; the events' services decide every write (the event staff
create events and register anyone; anybody who may open the cluster registers for a public
event within its registration window) and their refusals become JSON 404, 403, 409 or 400.
"""

from ninja import Router

from clusterdesk.api.events import events, registrations

router = Router(tags=["events"])
for module in (events, registrations):
    router.add_router("", module.router)
