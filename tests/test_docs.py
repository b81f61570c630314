"""Docs that can go stale are generated or executed: the CLI reference and the library example."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, ROOT


def test_cli_reference_is_generated_from_help() -> None:
    from schoolkg.cli.reference import render_cli_reference

    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert doc == render_cli_reference(), "docs/cli.md is stale: run python -m schoolkg.cli.reference"
    assert "<bool>" not in doc and "<list[str]>" not in doc


@pytest.mark.slow
def test_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Every python block of docs/api.md, in order, in a folder holding a copy of the corpus."""
    text = (ROOT / "docs" / "api.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, re.S | re.M)
    assert len(blocks) >= 5
    shutil.copytree(CORPUS, tmp_path / "corpus")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {}
    for i, block in enumerate(blocks):
        exec(compile(block, f"docs/api.md[block {i + 1}]", "exec"), namespace)  # noqa: S102
    out = capsys.readouterr().out
    assert "quads from 5 documents" in out and "findings:" in out
    assert os.path.isfile(tmp_path / "graphs" / "schoolkg.nq")
