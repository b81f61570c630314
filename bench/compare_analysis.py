"""Compare two ``schoolkg analyse`` output folders: the same results, or where they differ.

``analysis.json``: every float within a relative 1e-9 (absolute 1e-300 for zeros), every other value
equal. ``analysis.nq``: equal line for line once the run IRI (``…/analysis/{improvement}-{timestamp}``)
and the ``prov:startedAtTime``/``prov:endedAtTime`` values are normalised; lines are compared sorted.
The CSV tables are compared the same way as the JSON, cell by cell, except ``network_nodes.csv``,
whose eigenvector digits differ between two runs of the same code (ARPACK's random start).

Run: python bench/compare_analysis.py OLD_OUT NEW_OUT   (exit status 1 when they differ)
"""

from __future__ import annotations

import csv
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

REL = 1e-9
RUN = re.compile(r"(/analysis/[a-z-]+)-\d{8}[tT]\d{6}")
TIMES = re.compile(r'(<http://www\.w3\.org/ns/prov#(?:started|ended)AtTime> )"[^"]*"')


def compare_values(a: Any, b: Any, where: str, out: list[str], rel: float = REL) -> float:
    """Append a line to ``out`` per difference; return the worst relative difference of two floats."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            out.append(f"{where}: keys {sorted(set(a) ^ set(b))} differ or are in another order")
        return max([compare_values(a[k], b[k], f"{where}.{k}", out, rel) for k in a if k in b] or [0.0])
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{where}: {len(a)} items vs {len(b)}")
        pairs = enumerate(zip(a, b, strict=False))
        return max([compare_values(x, y, f"{where}[{i}]", out, rel) for i, (x, y) in pairs] or [0.0])
    if isinstance(a, float) and isinstance(b, float | int) and not isinstance(b, bool):
        if math.isnan(a) and math.isnan(float(b)):
            return 0.0
        diff = abs(a - b) / max(abs(a), abs(b), 1e-300) if a != b else 0.0
        if diff > rel:
            out.append(f"{where}: {a!r} vs {b!r} (relative {diff:.2g})")
        return diff
    if a != b or type(a) is not type(b):
        out.append(f"{where}: {a!r} vs {b!r}")
    return 0.0


def normalised_nquads(path: Path) -> list[str]:
    """The lines of ``analysis.nq`` with the run IRI and the run's times replaced, sorted."""
    text = path.read_text(encoding="utf-8")
    return sorted(TIMES.sub(r'\1"T"', RUN.sub(r"\1-RUN", line)) for line in text.splitlines())


def _cell(value: str) -> Any:
    try:
        return float(value)
    except ValueError:
        return value


def compare_folders(old: Path, new: Path) -> list[str]:
    """Every difference between the outputs in ``old`` and ``new`` (empty when the results are the same)."""
    out: list[str] = []
    worst = compare_values(
        json.loads((old / "analysis.json").read_text(encoding="utf-8")),
        json.loads((new / "analysis.json").read_text(encoding="utf-8")),
        "analysis.json",
        out,
    )
    a, b = normalised_nquads(old / "analysis.nq"), normalised_nquads(new / "analysis.nq")
    if a != b:
        missing, extra = set(a) - set(b), set(b) - set(a)
        out.append(f"analysis.nq: {len(a)} vs {len(b)} lines, {len(missing)} only in old, {len(extra)} only in new")
        out += [f"  - {line}" for line in sorted(missing)[:5]] + [f"  + {line}" for line in sorted(extra)[:5]]
    for table in sorted(p.name for p in old.glob("*.csv")):
        if table == "network_nodes.csv":
            continue
        if not (new / table).is_file():
            out.append(f"{table}: missing in {new}")
            continue
        rows = [[[_cell(v) for v in row] for row in csv.reader((d / table).open(encoding="utf-8"))] for d in (old, new)]
        worst = max(worst, compare_values(rows[0], rows[1], table, out))
    print(f"worst relative difference of a float: {worst:.2g}")
    return out


def main() -> None:
    old, new = Path(sys.argv[1]), Path(sys.argv[2])
    differences = compare_folders(old, new)
    for line in differences[:50]:
        print(line)
    print("same results" if not differences else f"{len(differences)} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
