"""The event of the URL, among the cluster's brokerage events."""

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from clusterdesk.api.common import cluster_of
from clusterdesk.brokerage.models import Brokerage
from clusterdesk.brokerage.selectors import brokerages_of

EVENT = "/clusters/{cluster_slug}/events/{event_id}/brokerage"


def brokerage_of_event(request: HttpRequest, event_id: int) -> Brokerage:
    """The brokerage of the event ``event_id`` of the URL's cluster (the same JSON 404 for
    another cluster's event and for an event without B2B meetings)."""
    return get_object_or_404(brokerages_of(cluster=cluster_of(request)), event_id=event_id)
