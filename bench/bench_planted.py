"""Planted truth through text (issue 18 item 4): synthetic reports -> `schoolkg build` -> `schoolkg analyse`.

For a planted run (bench/planted-effects.csv) and a null run (no effects), with the same seed:

1. ``schoolkg synth --reports`` writes the report corpus (PDF, HTML, text) and its outcomes table;
2. ``schoolkg build --corpus`` reads it (extraction, mapping, SHACL, install) into a store;
3. ``schoolkg analyse`` compares the practices of each school's report of inspection t with its
   grade change t -> t+1 (the table's Improvement);

each as a subprocess (the real commands), timed. Then it scores:

- **extraction** against the planted statements (statements.csv): located, detected, practice
  named, polarity by form; and per school, planted features recovered (what the analysis sees);
- **recovery** of the planted effects: recall = planted features discovered with the planted
  direction / planted features; FDP = discoveries that were not planted / discoveries; for the
  marginal (Fisher + BH) and adjusted (logistic + BH) tables of ``schoolkg analyse``, and, on
  the same data for comparison, (a) the true features (perfect extraction) and (b) the extracted
  features with the confounders (baseline grade, deprivation quintile) added to the adjusted model
  (what a covariate-adjusted design would give; computed here with the library's
  ``analyse_matrix``).

Run: PYTHONPATH=src python bench/bench_planted.py [--schools 2000] [--seed 1] [--out /tmp/planted]
     [--confounding 1.0] [--runs planted,null] [--reuse]
Prints a Markdown table; the numbers go in docs/analysis.md ("Planted truth through text").
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np
from scipy.stats import false_discovery_control

from schoolkg.analysis.run import analyse_matrix
from schoolkg.pipeline import extract_paths
from schoolkg.synth.reports import feature_names
from schoolkg.synth.score import read_statements, score_extractions

ROOT = Path(__file__).resolve().parents[1]
EFFECTS = ROOT / "bench" / "planted-effects.csv"


def _run(args: list[str], log: Path) -> float:
    t = time.perf_counter()
    with log.open("w") as fh:
        subprocess.run([sys.executable, "-m", "schoolkg", *args], check=True, stdout=fh, stderr=subprocess.STDOUT)
    return time.perf_counter() - t


def _truth(corpus: Path) -> dict[str, float]:
    with (corpus / "truth.csv").open(encoding="utf-8") as fh:
        return {r["feature"]: float(r["odds_ratio"]) for r in csv.DictReader(fh)}


def _recovery(discovered: dict[str, float], truth: dict[str, float]) -> tuple[int, float, float]:
    """(discoveries, recall, FDP) of ``{feature: odds ratio}`` discoveries against the planted truth."""
    planted = {f: o for f, o in truth.items() if o != 1.0}
    hit = sum(1 for f, o in discovered.items() if f in planted and (o > 1) == (planted[f] > 1))
    false = sum(1 for f in discovered if f not in planted)
    recall = hit / len(planted) if planted else float("nan")
    return len(discovered), recall, (false / len(discovered) if discovered else 0.0)


def _read_discoveries(path: Path, flag: str, ratio: str, kind: bool) -> dict[str, float]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {r["feature"]: float(r[ratio]) for r in rows if r[flag] == "True" and (not kind or r["kind"] == "practice")}


def _table(corpus: Path) -> dict[str, tuple[bool, int, int]]:
    """URN -> (improved t -> t+1, baseline grade, deprivation quintile) from the outcomes table."""
    out = {}
    with (corpus / "tables" / "synth-outcomes.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            g0, g1 = int(r["Previous overall effectiveness"]), int(r["Overall effectiveness"])
            out[r["URN"]] = (g1 < g0, g0, int(r["Deprivation index"]))
    return out


def _matrix(
    feats: dict[str, set[str]], table: dict[str, tuple[bool, int, int]], covariates: bool
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    urns = sorted(u for u in table if feats.get(u))
    names = sorted({f for u in urns for f in feats[u]})
    cov = ["baseline:requires-improvement", "baseline:inadequate", *(f"idaci:{q}" for q in (2, 3, 4, 5))]
    cols = names + (cov if covariates else [])
    x = np.zeros((len(urns), len(cols)), dtype=np.int8)
    index = {c: i for i, c in enumerate(cols)}
    for r, u in enumerate(urns):
        for f in feats[u]:
            x[r, index[f]] = 1
        if covariates:
            _, g, q = table[u]
            if g == 3:
                x[r, index["baseline:requires-improvement"]] = 1
            if g == 4:
                x[r, index["baseline:inadequate"]] = 1
            if q > 1:
                x[r, index[f"idaci:{q}"]] = 1
    y = np.array([table[u][0] for u in urns])
    return x, y, cols


def _lib_recovery(
    feats: dict[str, set[str]], table: dict[str, tuple[bool, int, int]], truth: dict[str, float], covariates: bool
) -> dict[str, tuple[int, float, float]]:
    x, y, cols = _matrix(feats, table, covariates)
    res = analyse_matrix(x, y, cols, min_support=10, fdr=0.05, pairs=False)
    out = {}
    a = res.associations
    a = a[(a.kind == "practice") & a.discovery & a.feature.isin(feature_names() + [c for c in cols if ":" in c])]
    marg = {f: o for f, o in zip(a.feature, a.odds_ratio, strict=True) if not f.startswith(("baseline:", "idaci:"))}
    if not covariates:
        out["marginal"] = _recovery(marg, truth)
    if res.adjusted is not None:
        d = res.adjusted[res.adjusted.adj_discovery]
        adj = {
            f: o for f, o in zip(d.feature, d.adj_odds_ratio, strict=True) if not f.startswith(("baseline:", "idaci:"))
        }
        out["adjusted" + (" + baseline, IDACI" if covariates else "")] = _recovery(adj, truth)
    return out


def _rediscover(path: Path, p_column: str, ratio: str, method: str, fdr: float = 0.05) -> dict[str, float]:
    """Discoveries of an ``analyse`` table re-decided from its p-values with BH or BY (``method``)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r[p_column] not in ("", "nan")]
    if not rows:
        return {}
    q = false_discovery_control(np.array([float(r[p_column]) for r in rows]), method=method)
    return {r["feature"]: float(r[ratio]) for r, v in zip(rows, q, strict=True) if v <= fdr}


def one_run(name: str, out: Path, schools: int, seed: int, confounding: float, reuse: bool = False) -> list[str]:
    corpus, store = out / name / "corpus", out / name / "store"
    (out / name).mkdir(parents=True, exist_ok=True)
    synth = ["synth", "--reports", "--schools", str(schools), "--seed", str(seed), "--out", str(corpus)]
    synth += ["--confounding", str(confounding)]
    if name == "planted":
        synth += ["--effects", str(EFFECTS)]
    times = {}
    if not (reuse and store.exists()):
        times["synth"] = _run(synth, out / name / "synth.log")
        times["build"] = _run(
            ["build", "--corpus", str(corpus), "--store", str(store), "--nquads", str(out / name / "graph.nq")]
            + ["--progress", "none"],
            out / name / "build.log",
        )
    times["analyse"] = _run(
        ["analyse", "--store", str(store), "--out", str(out / name / "analysis"), "--no-pairs"],
        out / name / "analyse.log",
    )
    truth = _truth(corpus)
    an = out / name / "analysis"
    rows = {
        "analyse: marginal": _recovery(
            _read_discoveries(an / "associations.csv", "discovery", "odds_ratio", True), truth
        ),
        "analyse: adjusted": _recovery(
            _read_discoveries(an / "adjusted.csv", "adj_discovery", "adj_odds_ratio", False), truth
        ),
        # the same tables decided otherwise: Benjamini-Yekutieli (any dependence) on the adjusted p,
        # and BH on the Mantel-Haenszel p within baseline grades (stratified, no other covariate)
        "analyse: adjusted, BY": _recovery(_rediscover(an / "adjusted.csv", "adj_p", "adj_odds_ratio", "by"), truth),
        "analyse: MH within baseline, BH": _recovery(
            _rediscover(an / "adjusted.csv", "mh_p", "mh_odds_ratio", "bh"), truth
        ),
    }
    t = time.perf_counter()
    pairs = [(o.path.name, o.extraction) for o in extract_paths([corpus / "documents"]) if o.extraction is not None]
    times["re-extract"] = time.perf_counter() - t
    statements = read_statements(corpus / "statements.csv")
    score = score_extractions(pairs, statements)
    extracted: dict[str, set[str]] = defaultdict(set)
    for doc, ex in pairs:
        urn = doc.split("-")[0]
        extracted[urn] |= {
            f"{f.practice.rstrip('/').rsplit('/', 1)[-1]}:{f.polarity}" for f in ex.findings if f.practice
        }
    planted_feats: dict[str, set[str]] = defaultdict(set)
    for doc, gold in statements.items():
        planted_feats[doc.split("-")[0]] |= {f"{g['practice']}:{g['polarity']}" for g in gold}
    table = _table(corpus)
    for label, feats in (("true features", planted_feats), ("extracted features", extracted)):
        for cov in (False, True):
            for method, v in _lib_recovery(feats, table, truth, cov).items():
                rows[f"{label}: {method}"] = v
    lines = [f"### {name} run ({schools:,} schools, seed {seed}, confounding {confounding})", ""]
    lines.append("| analysis | discoveries | recall | FDP |")
    lines.append("| --- | ---: | ---: | ---: |")
    for k, (n, rec, fdp) in rows.items():
        lines.append(f"| {k} | {n} | {'-' if rec != rec else f'{rec:.2f}'} | {fdp:.2f} |")
    lines += ["", "Extraction against the planted statements:", ""]
    lines += [f"- {k}: {v}" for k, v in score.summary().items()]
    per = sorted(score.by_practice.items())
    lines.append("- practice named with its polarity, by practice: " + ", ".join(f"{p} {a}/{b}" for p, (a, b) in per))
    top = ", ".join(f"{f} {n}" for f, n in score.features_spurious.most_common(8))
    lines.append(f"- most frequent features not planted in the school's report: {top}")
    load = os.getloadavg()
    lines.append(
        "- wall seconds: "
        + ", ".join(f"{k} {v:.1f}" for k, v in times.items())
        + f" (load average {load[0]:.1f} at the end; 2 shared cores)"
    )
    return lines


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--confounding", type=float, default=1.0)
    ap.add_argument("--out", type=Path, default=Path("/tmp/planted"))
    ap.add_argument("--runs", default="planted,null")
    ap.add_argument("--reuse", action="store_true", help="keep a run's corpus and store if built; re-analyse")
    args = ap.parse_args()
    for name in args.runs.split(","):
        lines = one_run(name, args.out, args.schools, args.seed, args.confounding, args.reuse)
        print("\n".join(lines) + "\n", flush=True)


if __name__ == "__main__":
    main()
