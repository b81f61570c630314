"""Latency of each catalogue query on a built store: p50 and p95 over N runs (not a test).

Usage: python bench/bench_queries.py [--store graphs/store] [--runs 20]
Measures the in-process time to run the query and read every row (what the endpoint's worker
does before serializing).
"""

from __future__ import annotations

import argparse
import statistics
import time

from schoolkg.queries.catalogue import load_catalogue
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import to_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", default="graphs/store")
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    store = EmbeddedStore(args.store)
    print(f"store: {args.store} ({len(store)} quads), {args.runs} runs each")
    print(f"{'query':32} {'rows':>6} {'p50 ms':>9} {'p95 ms':>9}")
    for q in load_catalogue():
        sparql = q.bound()
        times, rows = [], 0
        for _ in range(args.runs):
            t0 = time.perf_counter()
            rows = len(to_table(store.query(sparql)).rows)
            times.append((time.perf_counter() - t0) * 1000)
        p95 = statistics.quantiles(times, n=20)[18] if len(times) >= 2 else times[0]
        print(f"{q.name:32} {rows:6d} {statistics.median(times):9.1f} {p95:9.1f}")


if __name__ == "__main__":
    main()
