"""The demo world, generated from reference data and a seeded random generator.

Each step builds one part of the world on a shared ``DemoContext``; later domains add
their own step to ``STEPS``. Nothing a page shows is typed here: pages compute from the
records these steps create.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django_scopes import scopes_disabled

from clusterdesk.core.models import Region
from clusterdesk.demo import (
    brokerage,
    events,
    facilities,
    invoices,
    people,
    results,
    support,
    world,
)
from clusterdesk.demo.members.step import build as build_members
from clusterdesk.demo.projects.step import build as build_projects

DEMO_PASSWORD = "ClusterDesk-demo-2026"
SCALES = ("region", "national")


@dataclass
class DemoContext:
    seed: int
    scale: str
    rng: random.Random
    password: str = DEMO_PASSWORD
    objects: dict[str, Any] = field(default_factory=dict)
    accounts: list[tuple[str, str]] = field(default_factory=list)


STEPS: list[Callable[[DemoContext], None]] = [
    world.build,
    people.build,
    build_members,
    invoices.build,
    build_projects,
    results.build,
    facilities.build,
    events.build,
    brokerage.build,
    support.build,
]


def demo_exists() -> bool:
    return Region.objects.filter(slug=world.REGION_SLUG).exists()


def build_demo(*, seed: int = 2005, scale: str = "region") -> DemoContext:
    if scale not in SCALES:
        raise ValueError(f"Unknown scale {scale!r}; choose one of {', '.join(SCALES)}.")
    ctx = DemoContext(seed=seed, scale=scale, rng=random.Random(seed))
    # The demo builds every cluster of the instance at once: no single tenant scope applies.
    with scopes_disabled(), transaction.atomic():
        for step in STEPS:
            step(ctx)
    if connection.vendor == "postgresql":
        # Fresh statistics after the bulk load, or the planner picks poor plans at first.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return ctx


def demo_accounts() -> list[tuple[str, str]]:
    """(e-mail, what the account shows) for the accounts a visitor can sign in with."""
    return people.describe_accounts()
