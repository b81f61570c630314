"""Calibrate the attainment design (``temporal-attainment``) on populations simulated in memory.

For each seed, a planted run (three practices moving KS2 RWM by +6, -5 and +4 points) and a null run
of the same schools: :func:`schoolkg.synth.model.simulate_histories` and
:func:`~schoolkg.synth.model.simulate_ks2`, written into :class:`~schoolkg.analysis.graphs.AnalysisData`
as the store read gives it (one report per school in 2017/18, KS2 results 2016/17-2018/19), then
:func:`~schoolkg.analysis.designs.build_attainment_episodes` and
:func:`~schoolkg.analysis.attainment.fit_attainment`. Also the unadjusted comparison (Welch t-test of
the change with vs without each practice, BH), to show what holding deprivation and baseline fixed does
to the practices that are only more common in less deprived schools.

Run: python bench/bench_attainment.py [--schools 1500] [--seeds 8]
"""

from __future__ import annotations

import argparse
import resource

import numpy as np
from scipy.stats import ttest_ind

from schoolkg.analysis.association import bh_q
from schoolkg.analysis.attainment import fit_attainment
from schoolkg.analysis.designs import build_attainment_episodes
from schoolkg.analysis.graphs import AnalysisData, SchoolContext
from schoolkg.analysis.improvement import ObservationRecord
from schoolkg.synth.model import KS2_YEARS, simulate_histories, simulate_ks2

MEASURE = "https://w3id.org/schoolkg/id/measure/ptrwm-exp"
PRACTICES = 114
PLANTED = {3: 6.0, 20: -5.0, 40: 4.0}
PLANTED_FEATURES = [f"p{c:03d}:strength" for c in PLANTED]


def population(n: int, seed: int, effects: dict[int, float]) -> tuple[AnalysisData, set[str]]:
    """The store-shaped data of one simulated population, and the features of its confounded practices."""
    h = simulate_histories(n, PRACTICES, {}, seed=seed)
    values = simulate_ks2(h, effects, seed=seed)
    x = h.x.tocsr()
    data = AnalysisData()
    for k in range(n):
        s, doc = f"s{k}", f"d{k}"
        data.document_dates[doc] = "2017-11-01"
        data.findings += [(s, f"pr/p{c:03d}", "strength", doc) for c in x.indices[x.indptr[k] : x.indptr[k + 1]]]
        phase = "Secondary" if h.secondary[k] else "Primary"
        kind = "Academy converter" if h.academy[k] else "Community school"
        data.schools[s] = SchoolContext(int(h.idaci[k]), int(h.pupils[k]), phase, kind)
        for y, year in enumerate(KS2_YEARS):
            if not np.isnan(values[k, y]):
                data.observations.append(
                    ObservationRecord(f"o{k}-{y}", s, None, MEASURE, year, float(values[k, y]), "t")
                )
    confounded = {f"p{c:03d}:strength" for c in np.flatnonzero(h.confounded | h.baseline_linked)}
    return data, confounded


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--schools", type=int, default=1500)
    ap.add_argument("--seeds", type=int, default=8)
    args = ap.parse_args()
    rows = []
    for seed in range(args.seeds):
        for name, effects in (("planted", PLANTED), ("null", {})):
            data, confounded = population(args.schools, seed, effects)
            ep = build_attainment_episodes(data)
            result = fit_attainment(ep, data)
            e = result.effects.set_index("feature")
            truth = {f"p{c:03d}:strength": v for c, v in effects.items()}
            found = set(e.index[e.discovery])
            confounded -= set(PLANTED_FEATURES)  # a planted practice may also be drawn as a confounded one
            x = ep.matrix.toarray().astype(bool)
            p = np.array(
                [ttest_ind(ep.change[x[:, j]], ep.change[~x[:, j]], equal_var=False).pvalue for j in range(x.shape[1])]
            )
            marginal = {ep.features[j] for j in np.flatnonzero(bh_q(p) <= 0.05)}
            bias = [float(e.loc[f, "effect"] - v) for f, v in truth.items() if f in e.index]
            rows.append(
                (name, len(found), len(found & set(truth)), len(found & confounded), len(marginal & confounded), bias)
            )
            print(
                f"{name:7} seed {seed}: {len(ep.subjects)} schools; model {len(found)} discoveries "
                f"({len(found & set(truth))} planted, {len(found & confounded)} confounded); unadjusted "
                f"{len(marginal)} ({len(marginal & confounded)} confounded); bias {np.round(bias, 2).tolist()}"
            )
    planted = [r for r in rows if r[0] == "planted"]
    null = [r for r in rows if r[0] == "null"]
    bias = np.array([b for r in planted for b in r[5]])
    print(
        f"planted: recall {sum(r[2] for r in planted) / (len(PLANTED) * len(planted)):.2f}, mean FDP "
        f"{np.mean([(r[1] - r[2]) / max(1, r[1]) for r in planted]):.3f}, "
        f"bias {bias.mean():+.3f} (sd {bias.std():.3f}), "
        f"confounded discovered: model {sum(r[3] for r in rows)}, unadjusted {sum(r[4] for r in rows)} (all runs)"
    )
    print(
        f"null: seeds with a model discovery {sum(r[1] > 0 for r in null)} of {len(null)}, "
        f"total {sum(r[1] for r in null)}"
    )
    print(f"CPU seconds {resource.getrusage(resource.RUSAGE_SELF).ru_utime:.1f}")


if __name__ == "__main__":
    main()
