"""The seeded instance generator used by the benchmark."""

from __future__ import annotations

from clusterdesk.solvers.meetings import parse_instance
from clusterdesk.solvers.meetings.generator import generate


def test_generator_same_seed_same_instance() -> None:
    assert generate(80, seed=7) == generate(80, seed=7)
    assert generate(80, seed=7) != generate(80, seed=8)


def test_generator_shape_matches_benchmark_spec() -> None:
    doc = generate(500, seed=1)
    inst = parse_instance(doc)  # valid input by construction
    assert len(doc["slots"]) == 20
    assert doc["tables"] == 200
    per_person = len(doc["requests"]) / 500
    assert 7 <= per_person <= 9
    received = [0] * 500
    for r in doc["requests"]:
        received[int(r["to"][1:])] += 1
    # Skewed popularity: the most wanted person gets many times the average.
    assert max(received) >= 5 * per_person
    late = sum(1 for p in inst.participants if 0 not in p.available)
    early = sum(1 for p in inst.participants if 19 not in p.available)
    assert late > 25 and early > 25
    orgs = [p["organisation"] for p in doc["participants"]]
    assert len(set(orgs)) < 0.8 * len(orgs)
