"""Background work of the innovation centre: e-mails that the worker composes once the
change asking for them commits, and the daily expiry warnings.

Expiry warnings: ``clusterdesk facilities_warn_expiries`` (cron, once a day) queues
``warn_expiring_authorisations`` for every cluster; the worker sends one e-mail per
authorisation that ends within 30 days, once (``expiry_warned_on`` remembers it).
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from clusterdesk.core.links import page_url
from clusterdesk.core.models import Cluster
from clusterdesk.facilities.models import Authorisation, WaitlistEntry
from clusterdesk.jobs.tasks import cluster_task
from clusterdesk.notifications.services import notify

EXPIRY_WARNING_DAYS = 30


@cluster_task
def tell_waitlist(cluster: Cluster, entry_ids: list[int]) -> int:
    """The people waiting for a slot that was just freed."""
    entries = WaitlistEntry.objects.filter(pk__in=entry_ids, notified_at=None).select_related(
        "person", "resource"
    )
    told = 0
    for entry in entries:
        notify(
            to=entry.person.email,
            language=entry.person.language,
            template="facilities/email/slot_free",
            context={
                "entry": entry,
                "cluster": cluster,
                "url": page_url("facilities.bookings_of_member", cluster=cluster),
            },
        )
        told += 1
    WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).update(notified_at=timezone.now())
    return told


def expiring_to_warn(cluster: Cluster, today: datetime.date) -> list[Authorisation]:
    return list(
        Authorisation.objects.filter(
            cluster=cluster,
            revoked_at=None,
            expiry_warned_on=None,
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(days=EXPIRY_WARNING_DAYS),
        ).select_related("person", "resource")
    )


@cluster_task
def warn_expiring_authorisations(cluster: Cluster) -> int:
    """One e-mail per authorisation ending within 30 days and not warned yet."""
    today = timezone.localdate()
    authorisations = expiring_to_warn(cluster, today)
    for authorisation in authorisations:
        notify(
            to=authorisation.person.email,
            language=authorisation.person.language,
            template="facilities/email/authorisation_expiring",
            context={
                "authorisation": authorisation,
                "cluster": cluster,
                "url": page_url("facilities.bookings_of_member", cluster=cluster),
            },
        )
    Authorisation.objects.filter(pk__in=[a.pk for a in authorisations]).update(
        expiry_warned_on=today
    )
    return len(authorisations)
