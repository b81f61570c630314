"""The progress total a command announces is the number of steps it then reports (no "1009/1008")."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES
from schoolkg.pipeline import ingest_ticks, planned_ticks, run_build, run_ingest

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


class _Count:
    def __init__(self) -> None:
        self.done = 0

    def __call__(self, what: str, n: int) -> None:
        self.done += n


@pytest.mark.parametrize("validate", [True, False])
def test_build_reports_as_many_steps_as_it_announced(tmp_path: Path, validate: bool) -> None:
    count = _Count()
    run_build(CORPUS, tmp_path / "store", tmp_path / "g.nq", validate=validate, progress=count)
    assert count.done == planned_ticks(CORPUS, [], validate)


def test_ingest_reports_as_many_steps_as_it_announced(tmp_path: Path) -> None:
    count = _Count()
    table = FIXTURES / "tables" / "school-list-sample.csv"
    run_ingest([table], tmp_path / "store", tmp_path / "g.nq", validate=True, progress=count)
    assert count.done == ingest_ticks(1, True)
