"""Sanctions screening's quality and speed (kycrail/screening/matching.py), in one process.

    .venv/bin/python bench/screening.py            # full run (~1 minute on 2 cores)
    .venv/bin/python bench/screening.py --smoke    # small sizes, same steps (~12 s), no PASS/FAIL

1. Quality, on the labelled set kept in tests/screening/labelled/ (tests/screening/quality.py made it):
   recall (the expected entry among the hits) over the true variants, false-hit rate (any hit) over the
   names not on the list, at the default threshold and over a sweep of thresholds; "names only" is the
   same with the customers' dates of birth and countries left out. Then the same generator with other
   seeds ("held out": sets the matcher was not tuned on).
2. An SDN-sized synthetic list (18,000 entries, ~41,000 names; tests/screening/quality.sdn_sized_list):
   the index's build time and the process's resident memory before and after.
3. Single screenings, one after another from a fresh index: latency percentiles over 10,000 synthetic
   customers (a tenth of them listed names as the list writes them, the rest drawn from the same stocks,
   many sharing a token with a listed name). Baselines measured in the same run: a dict lookup of the
   normalised full name (exact matches only: the floor), and rapidfuzz's process.extractOne over every
   name (Jaro-Winkler on token-sorted names: a scan, which is what the index avoids) for a sample.
4. Screening 100,000 customers again after a list update: the new version's index built, then every
   customer screened, in this one process (no multiprocessing); and, for comparison, the customers
   screened against an index of the update's changed entries alone.

Targets (the issue's): recall >= 99% with false hits <= 1% at the default threshold; one screening under
5 ms p99; 100,000 customers in under 120 s.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import JaroWinkler

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests.screening.quality

from tests.screening import quality

from kycrail.screening.entries import ListedName, ListEntry, NameKind
from kycrail.screening.matching import DEFAULT_THRESHOLD, Index, Query, QueryKind
from kycrail.screening.names import normalize

SWEEP = (0.75, 0.8, 0.825, 0.85, 0.875, 0.9, 0.95)
HELD_OUT = (11, 12, 13, 14, 15)


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def verdict(ok: bool, smoke: bool) -> str:
    return "" if smoke else ("PASS" if ok else "FAIL")


def percentile(sorted_values: Sequence[float], share: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def measure_quality(smoke: bool) -> None:
    entries, queries = quality.load()
    index = Index.build(entries)
    matches = sum(q.label == "match" for q in queries)
    print(f"labelled set: {len(entries)} entries ({index.name_count} names), {matches} true variants, "
          f"{len(queries) - matches} names not on the list")  # fmt: skip
    at_default = quality.evaluate(index, queries, DEFAULT_THRESHOLD)
    ok = at_default.recall >= 0.99 and at_default.false_hit_rate <= 0.01
    print(f"at the default threshold {DEFAULT_THRESHOLD}: recall {at_default.recall:.2%} "
          f"({at_default.found}/{at_default.matches}), false hits {at_default.false_hit_rate:.2%} "
          f"({at_default.false_hits}/{at_default.nones})  target recall >= 99%, false hits <= 1%  "
          f"{verdict(ok, smoke)}")  # fmt: skip
    print("\n  kind                         queries  right")
    for kind, (total, right) in sorted(at_default.by_kind.items()):
        print(f"  {kind:<28} {total:>7} {right:>6}")
    print("\n  threshold  recall  false hits  | names only: recall  false hits")
    for threshold in SWEEP if not smoke else (0.8, DEFAULT_THRESHOLD, 0.9):
        full = quality.evaluate(index, queries, threshold)
        bare = quality.evaluate(index, queries, threshold, without_facts=True)
        mark = "  <- default" if threshold == DEFAULT_THRESHOLD else ""
        print(f"  {threshold:>9.3f} {full.recall:>7.2%} {full.false_hit_rate:>11.2%}  | "
              f"{bare.recall:>19.2%} {bare.false_hit_rate:>11.2%}{mark}")  # fmt: skip


def measure_held_out(seeds: Sequence[int]) -> None:
    """The same generator with other seeds: sets the matcher was not tuned on."""
    found = matches = false_hits = nones = 0
    for seed in seeds:
        entries, queries = quality.generate(seed)
        measured = quality.evaluate(Index.build(entries), queries, DEFAULT_THRESHOLD)
        found, matches = found + measured.found, matches + measured.matches
        false_hits, nones = false_hits + measured.false_hits, nones + measured.nones
        print(f"  seed {seed}: recall {measured.recall:.2%}, false hits {measured.false_hit_rate:.2%}")
    print(f"  held out, all {len(seeds)}: recall {found / matches:.2%} ({found}/{matches}), "
          f"false hits {false_hits / nones:.2%} ({false_hits}/{nones})")  # fmt: skip


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def latencies(index: Index, queries: Sequence[Query]) -> tuple[list[float], int]:
    out = []
    hits = 0
    for query in queries:
        start = time.perf_counter()
        found = index.screen(query)
        out.append(time.perf_counter() - start)
        hits += bool(found)
    out.sort()
    return out, hits


def full_name(query: Query) -> str:
    if query.kind is QueryKind.business:
        return query.legal_name
    return " ".join(part for part in (query.first, query.middle, query.last) if part)


def sorted_tokens(text: str) -> str:
    return " ".join(sorted(normalize(text).split()))


def baseline_dict(entries: Sequence[ListEntry], queries: Sequence[Query]) -> float:
    """Seconds per query for an exact lookup of the normalised, token-sorted full name."""
    table = {sorted_tokens(n.full): e.source_id for e in entries for n in e.names}
    start = time.perf_counter()
    for query in queries:
        table.get(sorted_tokens(full_name(query)))
    return (time.perf_counter() - start) / len(queries)


def baseline_scan(entries: Sequence[ListEntry], queries: Sequence[Query]) -> float:
    """Seconds per query for rapidfuzz's extractOne over every name (C++, one pass, no explanation)."""
    choices = [sorted_tokens(n.full) for e in entries for n in e.names]
    start = time.perf_counter()
    for query in queries:
        process.extractOne(sorted_tokens(full_name(query)), choices, scorer=JaroWinkler.normalized_similarity)
    return (time.perf_counter() - start) / len(queries)


def list_update(entries: list[ListEntry], share: float, seed: int) -> tuple[list[ListEntry], list[ListEntry]]:
    """A new version of the list: ``share`` of its entries changed (an a.k.a. added), as many added."""
    rng = random.Random(seed)  # noqa: S311 (test data)
    changed: list[ListEntry] = []
    new = list(entries)
    for i in rng.sample(range(len(new)), int(len(new) * share)):
        entry = new[i]
        alias = ListedName(f"{entry.names[0].full} {rng.choice('ABCDEFGH')}", NameKind.aka)
        new[i] = replace(entry, names=(*entry.names, alias))
        changed.append(new[i])
    added = quality.sdn_sized_list(int(len(entries) * share), seed=seed)
    added = [replace(e, source_id=f"new-{e.source_id}") for e in added]
    return new + added, changed + added


def measure_speed(smoke: bool) -> None:
    size = 3_000 if smoke else 18_000
    singles = 2_000 if smoke else 10_000
    sample = 20 if smoke else 200
    customers_count = 10_000 if smoke else 100_000

    entries = quality.sdn_sized_list(size)
    names = sum(len(e.names) for e in entries)
    gc.collect()
    before = rss_mb()
    start = time.perf_counter()
    index = Index.build(entries)
    build = time.perf_counter() - start
    gc.collect()
    after = rss_mb()
    indexed = f"{index.name_count:,} indexed after duplicates, {index.token_count:,} distinct tokens"
    print(f"\nlist: {len(entries):,} entries, {names:,} names ({indexed})")
    memory = f"{before:.0f} -> {after:.0f} MB (+{after - before:.0f} MB)"
    print(f"index build: {build:.2f} s; resident memory {memory}")

    queries = list(quality.customers(singles, entries, seed=quality.SEED + 3, listed_share=0.1))
    times, hits = latencies(index, queries)
    p50, p95, p99 = (percentile(times, s) * 1e3 for s in (0.5, 0.95, 0.99))
    mean = sum(times) / len(times)
    print(f"\nsingle screenings ({len(queries):,}, {hits:,} with a hit): p50 {p50:.2f} ms, p95 {p95:.2f} ms, "
          f"p99 {p99:.2f} ms, max {times[-1] * 1e3:.1f} ms, mean {mean * 1e3:.3f} ms  target p99 < 5 ms  "
          f"{verdict(p99 < 5, smoke)}")  # fmt: skip
    floor = baseline_dict(entries, queries)
    scan = baseline_scan(entries, queries[:sample])
    print(f"  baseline dict lookup (exact normalised name only): {floor * 1e3:.4f} ms a query; "
          f"the index costs {mean / floor:,.0f}x that")  # fmt: skip
    scanned = f"rapidfuzz extractOne over all {names:,} names ({sample} queries)"
    print(f"  baseline {scanned}: {scan * 1e3:.1f} ms a query; the index is {scan / mean:,.0f}x faster")

    new_entries, changed = list_update(entries, 0.01, seed=quality.SEED + 4)
    customers = list(quality.customers(customers_count, entries, seed=quality.SEED + 5))
    gc.collect()
    start = time.perf_counter()
    new_index = Index.build(new_entries)
    rebuilt = time.perf_counter() - start
    hits = sum(bool(new_index.screen(c)) for c in customers)
    total = time.perf_counter() - start
    each = (total - rebuilt) / len(customers) * 1e3
    detail = f"index {rebuilt:.1f} s, {each:.3f} ms a customer, {hits:,} with a hit"
    ok = total < 120 and customers_count >= 100_000
    print(f"\nafter a list update ({len(changed):,} entries changed or added): {len(customers):,} customers "
          f"screened again in {total:.1f} s ({detail}), one process  target < 120 s for 100,000  "
          f"{verdict(ok, smoke)}")  # fmt: skip
    delta = Index.build(changed)
    seconds = timed(lambda: [delta.screen(c) for c in customers])
    print(f"  the same customers against the changed entries alone: {seconds:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--smoke", action="store_true", help="small sizes, no PASS/FAIL")
    args = parser.parse_args()
    started = time.perf_counter()
    machine = f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.machine()}"
    smoke = " (smoke)" if args.smoke else ""
    print(f"kycrail screening bench{smoke}: {machine}, default threshold {DEFAULT_THRESHOLD}\n")
    measure_quality(args.smoke)
    print(
        f"\nheld out (the generator with other seeds, never looked at while tuning), at {DEFAULT_THRESHOLD}:"
    )
    measure_held_out(HELD_OUT[:1] if args.smoke else HELD_OUT)
    measure_speed(args.smoke)
    print(f"\n{time.perf_counter() - started:.0f} s in all")


if __name__ == "__main__":
    main()
