"""Events, categories and registrations for the tests (dates relative to now)."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from clusterdesk.core.models import Cluster
from clusterdesk.events.models import Event, Registration, RegistrationCategory


def in_days(days: float, hour: int = 9) -> datetime.datetime:
    moment = timezone.localtime() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    kind = Event.Kind.CONFERENCE
    title = factory.Sequence(lambda n: f"Convention {n}")
    title_en = factory.Sequence(lambda n: f"Convention {n} (EN)")
    slug = factory.Sequence(lambda n: f"convention-{n}")
    venue = "Lyon, Cité internationale"
    starts_at = factory.LazyFunction(lambda: in_days(30))
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=8))
    capacity = None
    is_public = True


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegistrationCategory

    cluster = factory.SelfAttribute("event.cluster")
    name = factory.Sequence(lambda n: f"Catégorie {n}")
    name_en = factory.Sequence(lambda n: f"Category {n}")


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    cluster = factory.SelfAttribute("event.cluster")
    first_name = "Alice"
    last_name = factory.Sequence(lambda n: f"Durand{n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    status = Registration.Status.CONFIRMED


def event(cluster: Cluster, **fields: Any) -> Event:
    return EventFactory(cluster=cluster, **fields)


def past_event(cluster: Cluster, **fields: Any) -> Event:
    return EventFactory(cluster=cluster, starts_at=in_days(-10), **fields)
