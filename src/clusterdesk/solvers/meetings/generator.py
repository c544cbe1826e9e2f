"""Seeded generator of realistic brokerage-event instances (for tests and benchmarks).

Shape: ``n`` participants in organisations (most alone, some with 2-5 people), about
``requests_per_person`` requests each aimed by a skewed (log-normal) popularity, 20 slots,
tables = ``table_ratio * n`` per slot, some late arrivals, early departures and caps.
"""

from __future__ import annotations

import random
from typing import Any


def generate(
    n: int,
    seed: int = 0,
    n_slots: int = 20,
    requests_per_person: float = 8.0,
    table_ratio: float = 0.4,
    late_share: float = 0.15,
    early_share: float = 0.15,
    cap_share: float = 0.1,
) -> dict[str, Any]:
    """Return a JSON-ready instance dict; the same arguments always give the same instance."""
    rng = random.Random(seed)
    slots = []
    for s in range(n_slots):
        minutes = 9 * 60 + 20 * s
        start = f"{minutes // 60:02d}:{minutes % 60:02d}"
        end = f"{(minutes + 20) // 60:02d}:{(minutes + 20) % 60:02d}"
        slots.append({"id": f"s{s + 1}", "start": start, "end": end})

    orgs: list[int] = []
    org = 0
    while len(orgs) < n:
        size = 1 if rng.random() < 0.7 else rng.randint(2, 5)
        orgs.extend([org] * size)
        org += 1
    orgs = orgs[:n]

    participants: list[dict[str, Any]] = []
    for i in range(n):
        first, last = 0, n_slots - 1
        if rng.random() < late_share:
            first = rng.randint(1, max(1, n_slots * 2 // 5))
        if rng.random() < early_share:
            last = rng.randint(n_slots // 2, n_slots - 2)
        person: dict[str, Any] = {"id": f"p{i}", "organisation": f"org{orgs[i]}"}
        if first > 0 or last < n_slots - 1:
            person["available"] = [slots[s]["id"] for s in range(first, last + 1)]
        if rng.random() < cap_share:
            person["max_meetings"] = rng.randint(4, 12)
        participants.append(person)

    popularity = [rng.lognormvariate(0.0, 1.0) for _ in range(n)]
    cumulative: list[float] = []
    total = 0.0
    for value in popularity:
        total += value
        cumulative.append(total)
    ids = list(range(n))
    requests: list[dict[str, Any]] = []
    mean = requests_per_person
    for i in range(n):
        want = min(n - 1, max(1, round(rng.gauss(mean, mean / 4))))
        chosen: set[int] = set()
        tries = 0
        while len(chosen) < want and tries < 20 * want:
            tries += 1
            j = rng.choices(ids, cum_weights=cumulative)[0]
            # Colleagues rarely ask to meet each other; keep a few to exercise that rule.
            if j == i or j in chosen or (orgs[j] == orgs[i] and rng.random() > 0.05):
                continue
            chosen.add(j)
        for j in sorted(chosen):
            prio = rng.choices((1, 2, 3), weights=(25, 40, 35))[0]
            requests.append({"from": f"p{i}", "to": f"p{j}", "priority": prio})

    return {
        "slots": slots,
        "tables": max(1, round(table_ratio * n)),
        "participants": participants,
        "requests": requests,
    }
