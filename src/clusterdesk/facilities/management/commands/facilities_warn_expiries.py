"""``clusterdesk facilities_warn_expiries``: run once a day (cron or a systemd timer); queues
the expiry warnings of every cluster for the worker (``--now`` sends them in this process)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_scopes import scopes_disabled

from clusterdesk.core.models import Cluster
from clusterdesk.facilities.tasks import warn_expiring_authorisations


class Command(BaseCommand):
    help = "Warn by e-mail the people whose facility authorisation ends within 30 days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--now", action="store_true", help="Send now instead of queueing.")

    def handle(self, *args: Any, **options: Any) -> None:
        # Every cluster at once: each task then opens its own cluster's scope.
        with scopes_disabled():
            ids = list(Cluster.objects.values_list("pk", flat=True))
        for cluster_id in ids:
            if options["now"]:
                sent = warn_expiring_authorisations.call(cluster_id)
                self.stdout.write(f"cluster {cluster_id}: {sent} warning(s)")
            else:
                warn_expiring_authorisations.enqueue(cluster_id)
        if not options["now"]:
            self.stdout.write(f"Queued for {len(ids)} cluster(s).")
