"""The designs' episode matrices as a set of column numbers per row builds them (issue 19: built in one list)."""

import random
from datetime import date

import numpy as np
import pytest

from schoolkg.analysis.designs import build_episodes, report_features
from schoolkg.analysis.graphs import AnalysisData
from schoolkg.analysis.improvement import OVERALL, ImprovementRecord


def _data(seed: int) -> AnalysisData:
    rnd = random.Random(seed)
    findings, dates, improvements = [], {}, []
    for k in range(300):
        school = f"s{k:03d}"
        start = rnd.randint(730_000, 736_000)
        for j in range(rnd.randint(1, 4)):  # several reports near one inspection: multi-report episodes
            doc = f"d{k:03d}-{j}"
            day = start + rnd.randint(-200, 1_500)
            dates[doc] = date.fromordinal(day).isoformat()
            for _ in range(rnd.randint(0, 6)):
                findings.append((school, f"pr/p{rnd.randint(0, 15)}", rnd.choice(["strength", "weakness"]), doc))
        before = date.fromordinal(start).isoformat()
        after = date.fromordinal(start + rnd.randint(300, 1_400)).isoformat()
        g1, g2 = rnd.randint(1, 4), rnd.randint(1, 4)
        improvements.append(ImprovementRecord(f"i{k}", school, OVERALL, before, after, "x", None, g1, g2))
    return AnalysisData(findings=findings, document_dates=dates, improvements=improvements)


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("design", ["temporal", "cross-sectional"])
@pytest.mark.parametrize("polarity", ["split", "strength", "any"])
def test_episode_matrix_is_each_rows_set_of_features(seed: int, design: str, polarity: str) -> None:
    data = _data(seed)
    ep = build_episodes(data, design, polarity=polarity, window_days=400)
    reports = report_features(data, polarity)[0]
    picked = [e.rsplit("; report ", 1)[1].split(", ") for e in ep.evidence]
    assert any(len(p) > 1 for p in picked)  # the union of several reports is exercised
    features = sorted({f for s, docs in zip(ep.subjects, picked, strict=True) for d in docs for f in reports[s][d]})
    assert ep.features == features
    index = {f: i for i, f in enumerate(features)}
    assert ep.matrix.has_sorted_indices and ep.matrix.dtype == np.int8
    for row, (s, docs) in enumerate(zip(ep.subjects, picked, strict=True)):
        expected = sorted({index[f] for d in docs for f in reports[s][d]})
        assert ep.matrix.indices[ep.matrix.indptr[row] : ep.matrix.indptr[row + 1]].tolist() == expected
    assert set(ep.matrix.data.tolist()) <= {1}
