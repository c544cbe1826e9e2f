"""Benchmark the matcher (``clusterdesk.solvers.matching``) on public text: ranking, speed.

Run: ``.venv/bin/python benchmarks/matching.py`` (``--cache FILE`` keeps the embeddings
between runs; ``--quick`` skips the throughput part). Reads ``../shared/data`` (see its
README); nothing of it is copied into the project.

Ranking tasks (each document has one or more relevant profiles; we score every profile and
report MRR of the first relevant one and nDCG@10, binary gains):

* ``cordis``: the 1,579 Horizon 2020 topics (CORDIS reference table, English titles). A
  profile is a part of the programme (the topic's legal basis, e.g. ``H2020-EU.3.1.``) made
  of the titles of its topics; every 4th topic of each part with at least 4 topics is held
  out as a document, and its own part is the relevant profile. ~150 profiles of 1-60 texts.
* ``ces``: the 166 French exhibitors at CES 2025 with their descriptions (English) and
  categories. A profile is a category made of its exhibitors' descriptions; every 4th
  exhibitor is held out as a document, relevant: its categories ("Startups" dropped).

Methods: the TF-IDF baseline the reviewer solver used (``reviewers.affinity.tfidf_cosine``
against each profile's texts joined), BM25 alone, each embedding model alone, and the
hybrids (fusion, lexical weight, aggregation over a profile's texts).

Throughput: 10,000 profile texts (topic titles joined two by two with the exhibitors'
descriptions, so every text differs): the time to analyse and index them for BM25, the time
to embed them (measured on a sample, extrapolated), one query against the full index (BM25
and the dense product), and the peak memory of the process.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import resource
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from clusterdesk.solvers.matching import (  # noqa: E402
    Document,
    EmbeddingCache,
    Matcher,
    Profile,
    Settings,
    load_encoder,
    text_key,
)
from clusterdesk.solvers.matching.encoders import Encoder  # noqa: E402
from clusterdesk.solvers.reviewers.affinity import tfidf_cosine  # noqa: E402

DATA = ROOT.parent / "shared" / "data"
if not DATA.exists():
    DATA = Path("/work/shared/data")


@dataclass
class Task:
    name: str
    profiles: list[Profile]
    documents: list[Document]
    relevant: dict[str, set[str]]


def cordis_task() -> Task:
    path = DATA / "cordis_h2020_orgs_2017" / "cordisref-H2020topics.csv"
    with open(path, encoding="utf-8", errors="replace") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    by_part: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if row["legalBasisCode"] and row["title"].strip():
            by_part[row["legalBasisCode"]].append(row)
    profiles, documents, relevant = [], [], {}
    for part, topics in sorted(by_part.items()):
        held = [t for n, t in enumerate(topics) if len(topics) >= 4 and n % 4 == 3]
        kept = [t for t in topics if t not in held]
        profiles.append(Profile(id=part, texts=[t["title"] for t in kept]))
        for topic in held:
            documents.append(Document(id=topic["topicCode"], text=topic["title"]))
            relevant[topic["topicCode"]] = {part}
    return Task("cordis", profiles, documents, relevant)


def ces_rows() -> list[dict[str, str]]:
    path = DATA / "events_ces2025_french_exhibitors" / "exposantsFRCES2025.csv"
    with open(path, encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["Description"].strip()]


def ces_task() -> Task:
    rows = ces_rows()
    texts: dict[str, list[str]] = defaultdict(list)
    documents, relevant = [], {}
    for n, row in enumerate(rows):
        categories = {c.strip() for c in row["Catégories"].split(",")} - {"", "Startups"}
        if not categories:
            continue
        if n % 4 == 3:
            documents.append(Document(id=row["Nom"], text=row["Description"]))
            relevant[row["Nom"]] = categories
        else:
            for category in categories:
                texts[category].append(row["Description"])
    profiles = [Profile(id=c, texts=t) for c, t in sorted(texts.items())]
    known = {p.id for p in profiles}
    for doc in documents:
        relevant[str(doc.id)] &= known
    documents = [d for d in documents if relevant[str(d.id)]]
    return Task("ces", profiles, documents, relevant)


def metrics(ranked: Sequence[str], relevant: set[str]) -> tuple[float, float]:
    rr = next((1.0 / (n + 1) for n, p in enumerate(ranked) if p in relevant), 0.0)
    dcg = sum(1.0 / math.log2(n + 2) for n, p in enumerate(ranked[:10]) if p in relevant)
    ideal = sum(1.0 / math.log2(n + 2) for n in range(min(10, len(relevant))))
    return rr, dcg / ideal


def evaluate(task: Task, rank_one: Callable[[Document], list[str]]) -> tuple[float, float]:
    rrs, ndcgs = [], []
    for doc in task.documents:
        rr, ndcg = metrics(rank_one(doc), task.relevant[str(doc.id)])
        rrs.append(rr)
        ndcgs.append(ndcg)
    return float(np.mean(rrs)), float(np.mean(ndcgs))


def tfidf_ranker(task: Task) -> Callable[[Document], list[str]]:
    joined = [" ".join(p.texts) for p in task.profiles]
    matrix = tfidf_cosine([d.text for d in task.documents], joined)
    row = {d.id: n for n, d in enumerate(task.documents)}

    def rank_one(doc: Document) -> list[str]:
        order = np.argsort(-matrix[row[doc.id]], kind="stable")
        return [str(task.profiles[i].id) for i in order]

    return rank_one


def matcher_ranker(
    task: Task, encoder: Encoder | None, settings: Settings, cache: EmbeddingCache
) -> Callable[[Document], list[str]]:
    matcher = Matcher(task.profiles, encoder=encoder, cache=cache, settings=settings)

    def rank_one(doc: Document) -> list[str]:
        return [str(s.profile) for s in matcher.score(doc, explain=False)]

    return rank_one


def ranking(cache: EmbeddingCache, encoders: dict[str, Encoder]) -> list[tuple[str, ...]]:
    tasks = [cordis_task(), ces_task()]
    for task in tasks:
        texts = sum(len(p.texts) for p in task.profiles)
        print(
            f"# {task.name}: {len(task.profiles)} profiles, {texts} texts, "
            f"{len(task.documents)} documents",
            flush=True,
        )
    lines: list[tuple[str, ...]] = []

    def run(label: str, make: Callable[[Task], Callable[[Document], list[str]]]) -> None:
        cells = [label]
        for task in tasks:
            mrr, ndcg = evaluate(task, make(task))
            cells += [f"{mrr:.3f}", f"{ndcg:.3f}"]
        lines.append(tuple(cells))
        print(" | ".join(cells), flush=True)

    run("TF-IDF (baseline, texts joined)", tfidf_ranker)
    for agg in ("max", "mean", "top2", "top3"):
        settings = Settings(aggregation=agg)
        run(f"BM25 alone, {agg}", lambda t, s=settings: matcher_ranker(t, None, s, cache))
    for name, encoder in encoders.items():
        for agg in ("max", "mean", "top2", "top3"):
            settings = Settings(lexical_weight=0.0, aggregation=agg)
            run(
                f"{name} alone, {agg}",
                lambda t, s=settings, e=encoder: matcher_ranker(t, e, s, cache),
            )
        for agg in ("max", "top2", "top3"):
            for weight in (0.2, 0.3, 0.4, 0.5, 0.7):
                settings = Settings(lexical_weight=weight, aggregation=agg)
                run(
                    f"BM25 + {name}, mix {weight}, {agg}",
                    lambda t, s=settings, e=encoder: matcher_ranker(t, e, s, cache),
                )
            settings = Settings(fusion="rrf", aggregation=agg)
            run(
                f"BM25 + {name}, rrf, {agg}",
                lambda t, s=settings, e=encoder: matcher_ranker(t, e, s, cache),
            )
    return lines


def throughput(encoders: dict[str, Encoder], sample: int) -> list[str]:
    titles = [p for t in cordis_task().profiles for p in t.texts]
    descriptions = [r["Description"] for r in ces_rows()]
    texts = [
        f"{titles[n % len(titles)]}. {descriptions[(n // len(titles)) % len(descriptions)]}"
        for n in range(10_000)
    ]
    profiles = [Profile(id=n, texts=texts[n * 5 : n * 5 + 5]) for n in range(2_000)]
    out = []
    started = time.perf_counter()
    matcher = Matcher(profiles, encoder=None, settings=Settings())
    index_s = time.perf_counter() - started
    out.append(f"BM25 index of 10,000 texts ({len(profiles)} profiles): {index_s:.1f} s")
    doc = Document(id="q", text=descriptions[0] + " " + titles[0])
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        matcher.score(doc, top_k=10)
        timings.append(time.perf_counter() - started)
    out.append(f"one query, BM25 alone, top 10 explained: {1000 * np.median(timings):.1f} ms")
    for name, encoder in encoders.items():
        cache = EmbeddingCache()
        started = time.perf_counter()
        cache.embed(encoder, texts[:sample], "passage")
        per_text = (time.perf_counter() - started) / sample
        out.append(
            f"{name}: embedding {sample} texts {per_text * 1000:.0f} ms each, "
            f"so 10,000 texts ~{per_text * 10_000:.0f} s (once: cached by text hash)"
        )
        # The rest of the corpus gets stand-in unit vectors: a query costs the same.
        dim = cache.embed(encoder, texts[:1], "passage").shape[1]
        rng = np.random.default_rng(0)
        filler = rng.normal(size=(len(texts), dim)).astype(np.float32)
        filler /= np.linalg.norm(filler, axis=1, keepdims=True)
        for n, vector in zip(range(sample, len(texts)), filler[sample:], strict=False):
            cache._vectors[text_key(encoder.name, "passage", texts[n])] = vector
        hybrid = Matcher(profiles, encoder=encoder, cache=cache, settings=Settings())
        hybrid.prepare()
        hybrid.score(doc, top_k=10)  # the query's own embedding is cached from here
        timings = []
        for n in range(20):
            query = Document(id=n, text=f"{descriptions[n]} {titles[n]}")
            started = time.perf_counter()
            hybrid.score(query, top_k=10)
            timings.append(time.perf_counter() - started)
        out.append(
            f"{name}: one new query (embedding it included) against 10,000 texts, top 10 "
            f"explained: {1000 * np.median(timings):.0f} ms (median of 20)"
        )
        timings = []
        for n in range(20):
            query = Document(id=n, text=f"{descriptions[n]} {titles[n]}")
            started = time.perf_counter()
            hybrid.score(query, top_k=10)
            timings.append(time.perf_counter() - started)
        out.append(
            f"{name}: the same queries again (their embeddings cached): "
            f"{1000 * np.median(timings):.1f} ms (median of 20)"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.append(f"peak memory of the whole benchmark process: {peak:.0f} MB")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cache", help="embedding cache file kept between runs")
    parser.add_argument("--quick", action="store_true", help="ranking only")
    parser.add_argument("--encoders", default="e5-small,use-m3")
    parser.add_argument("--sample", type=int, default=200, help="texts embedded for speed")
    args = parser.parse_args()
    print(f"# cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}", flush=True)
    cache = EmbeddingCache.load(args.cache) if args.cache else EmbeddingCache()
    encoders: dict[str, Encoder] = {}
    for name in filter(None, args.encoders.split(",")):
        encoder, reason = load_encoder(name)
        if encoder is None:
            print(f"# skipped {name}: {reason}")
        else:
            encoders[name] = encoder
    try:
        ranking(cache, encoders)
    finally:
        if args.cache:
            cache.save(args.cache)
    if not args.quick:
        for line in throughput(encoders, args.sample):
            print(line, flush=True)
    print(f"# load at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
