"""The organisation's timeline (``crm.selectors.timeline_source_add``): its leases, and its
bookings summed up per month, for the readers who may see the centre's records."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from clusterdesk.accounts.models import User
from clusterdesk.core.models import Cluster
from clusterdesk.crm.models import Organisation
from clusterdesk.crm.selectors import TimelineItem, timeline_source_add
from clusterdesk.facilities.models import Booking, Lease


def facility_items(cluster: Cluster, org: Organisation, viewer: User) -> Iterable[TimelineItem]:
    if not viewer.has_perm("facilities.view_facilities", cluster):
        return []
    items = []
    for lease in Lease.objects.filter(cluster=cluster, organisation=org).select_related("resource"):
        items.append(
            TimelineItem(
                date=lease.starts_on,
                kind="lease",
                title=_("Hosted: %(space)s") % {"space": lease.resource},
                detail=_("lease from %(start)s to %(end)s")
                % {"start": lease.starts_on.isoformat(), "end": lease.ends_on.isoformat()},
            )
        )
    months: dict[datetime.date, tuple[int, Decimal]] = {}
    for start, end in Booking.objects.filter(
        cluster=cluster, organisation=org, status=Booking.Status.CONFIRMED
    ).values_list("start", "end"):
        month = timezone.localdate(start).replace(day=1)
        count, hours = months.get(month, (0, Decimal(0)))
        months[month] = (count + 1, hours + Decimal((end - start).total_seconds()) / 3600)
    for month, (count, hours) in months.items():
        items.append(
            TimelineItem(
                date=month,
                kind="bookings",
                title=_("%(count)s bookings at the innovation centre") % {"count": count},
                detail=_("%(hours)s hours") % {"hours": round(hours, 1)},
            )
        )
    return items


def register() -> None:
    timeline_source_add(facility_items)
