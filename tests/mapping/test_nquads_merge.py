"""merge_sorted: GNU ``sort -m`` and the Python merge give the same bytes (mapping/nquads.py)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from schoolkg.errors import StoreError
from schoolkg.mapping import nquads
from schoolkg.mapping.nquads import gnu_tool, merge_sorted, sort_nquads

needs_sort = pytest.mark.skipif(gnu_tool("sort") is None, reason="GNU sort (coreutils) is not on PATH")


def _line(rng: random.Random) -> bytes:
    s = rng.choice(["a", "b", "ab", "a/b", "é", "z"])
    o = rng.choice(['"x"', '"x y"', '"caf\\u00E9"', '"é"@en', "<http://x/o>", '"1"^^<http://x/int>'])
    return f"<http://x/{s}{rng.randrange(30)}> <http://x/p> {o} <http://x/g{rng.randrange(3)}> .".encode()


def _parts(tmp: Path, n: int, seed: int) -> list[Path]:
    rng = random.Random(seed)
    parts = []
    for i in range(n):
        lines = sort_nquads(b"\n".join(_line(rng) for _ in range(rng.randrange(0, 40))))
        p = tmp / f"part-{i}.nq"
        p.write_bytes(lines[:-1] if i % 7 == 3 and lines else lines)  # some without a last newline
        parts.append(p)
    return parts


@needs_sort
@pytest.mark.parametrize(("n", "fan_in"), [(1, 200), (12, 200), (25, 4), (0, 200)])
def test_external_merge_equals_python_merge(tmp_path: Path, n: int, fan_in: int) -> None:
    parts = _parts(tmp_path, n, seed=n)
    ext, py = tmp_path / "ext.nq", tmp_path / "py.nq"
    n_ext = merge_sorted(parts, ext, fan_in=fan_in, external=True)
    n_py = merge_sorted(parts, py, fan_in=fan_in, external=False)
    assert ext.read_bytes() == py.read_bytes()
    assert n_ext == n_py == ext.read_bytes().count(b"\n")
    lines = sorted({line for p in parts for line in p.read_bytes().splitlines()})
    expected = b"".join(line + b"\n" for line in lines)
    assert py.read_bytes() == expected  # both are the sorted set of every part's lines
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary file left


@needs_sort
def test_external_merge_reports_progress_and_names_a_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [f"<http://x/s{i:06d}> <http://x/p> <http://x/o> <http://x/g> .\n".encode() for i in range(250_000)]
    (tmp_path / "a.nq").write_bytes(b"".join(rows[::2]))
    (tmp_path / "b.nq").write_bytes(b"".join(rows[1::2]))
    heard: list[int] = []
    assert merge_sorted([tmp_path / "a.nq", tmp_path / "b.nq"], tmp_path / "m.nq", heard.append) == 250_000
    assert heard and all(b - a >= 100_000 for a, b in zip([0, *heard], heard, strict=False))
    with pytest.raises(StoreError, match=r"merging 2 sorted parts into .*gone\.nq"):
        merge_sorted([tmp_path / "a.nq", tmp_path / "gone.nq"], tmp_path / "m2.nq", external=True)
    monkeypatch.setattr(nquads, "gnu_tool", lambda name: None)  # a machine without GNU sort
    assert merge_sorted([tmp_path / "a.nq", tmp_path / "b.nq"], tmp_path / "m3.nq") == 250_000
    assert (tmp_path / "m3.nq").read_bytes() == (tmp_path / "m.nq").read_bytes()
