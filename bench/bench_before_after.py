"""In-process CPU seconds of catalogue queries, an earlier text against the catalogue's, on one store.

Usage::

    python -m bench.bench_before_after --store S [--before bench/queries_before_22s] [--runs 3]
        [--only NAME,...]

For each query with a file in ``--before`` (same name as in queries/), both texts run with their
default bindings in this process (the store opened once), alternating, ``--runs`` times each:
``time.process_time`` around ``to_table(store.query(q.bound({})))`` (the query and reading every
row into Python). Prints one JSON line per query: the median CPU seconds of each, the rows of
each, whether the rows are the same (as multisets) and the 1-minute load average at the end.
Not a test: the numbers go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--before", default=str(ROOT / "bench" / "queries_before_22s"))
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT / "src"))
    from schoolkg.queries.catalogue import get_query, load_catalogue
    from schoolkg.store.embedded import EmbeddedStore
    from schoolkg.store.table import to_table

    store = EmbeddedStore(args.store)
    only = set(filter(None, args.only.split(",")))
    for old in load_catalogue(Path(args.before)):
        if only and old.name not in only:
            continue
        new = get_query(old.name)
        cpu: dict[str, list[float]] = {"before": [], "after": []}
        rows: dict[str, Counter[tuple[object, ...]]] = {}
        for _ in range(args.runs):
            for label, q in (("before", old), ("after", new)):
                t0 = time.process_time()
                table = to_table(store.query(q.bound({})))
                cpu[label].append(time.process_time() - t0)
                rows[label] = Counter(tuple(r) for r in table.rows)
        print(
            json.dumps(
                {
                    "query": old.name,
                    "before_cpu_s": round(statistics.median(cpu["before"]), 3),
                    "after_cpu_s": round(statistics.median(cpu["after"]), 3),
                    "before_rows": sum(rows["before"].values()),
                    "after_rows": sum(rows["after"].values()),
                    "same_rows": rows["before"] == rows["after"],
                    "load_1min": round(os.getloadavg()[0], 2),
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
