"""Brokerage meetings of one event: participants, requests, meetings, agendas (one module
per resource, the bodies in ``schemas``).

The same reach as the pages: the staff read everything (``brokerage.view_brokerage``); a
member whose portal account is a participant reads their own profile, the event's validated
profiles once theirs is validated, their requests, their published meetings and agenda.
Writes go through the services, whose refusals become JSON 404, 403, 409 or 400.
"""

from ninja import Router

from clusterdesk.api.brokerage import meetings, participants, requests

router = Router(tags=["brokerage"])
for module in (participants, requests, meetings):
    router.add_router("", module.router)
