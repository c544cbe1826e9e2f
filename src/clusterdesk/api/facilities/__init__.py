"""The innovation centre: resources, authorisations and bookings of one cluster, one
module per resource, the bodies in ``schemas``.

Every route is under ``/clusters/{cluster_slug}/facilities/``. The facilities services
decide who may do what (the centre's staff manage; a hosted company's people book for
themselves). A booking's refusals for its times or authorisation answer 422 with a
``detail`` naming the reason, an overlap 409 naming the booking in the way.
"""

from ninja import Router

from clusterdesk.api.facilities import authorisations, bookings, resources

router = Router(tags=["facilities"])
for module in (resources, authorisations, bookings):
    router.add_router("", module.router)
