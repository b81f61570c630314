"""Incremental builds (issue 18 item 3): a build after a few sources changed updates a copy of the
live store by the dump's difference instead of reloading it, and the result equals a cold build —
the dump byte for byte, the store quad for quad (default graph included); a killed update leaves
the previous store; unchanged sources are not read again."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from conftest import CORPUS, corpus_subset
from schoolkg import pipeline
from schoolkg.errors import ValidationError
from schoolkg.ingest.documents import document_id
from schoolkg.model import Extraction
from schoolkg.pipeline import BuildSummary, run_build
from schoolkg.store import delta as delta_mod
from schoolkg.store.delta import MARKER, read_marker

DOCS = ["000_0f96bd9ccbaf7c80.txt", "001_67ec0e20a0eb81e3.txt", "002_ea63de0b34895f6a.txt"]
TABLES = ["eic-local-authorities.csv", "oxfordshire-outcomes-2017-12-31.csv"]
SRC = Path(pipeline.__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def any_share(monkeypatch: pytest.MonkeyPatch) -> None:
    """Update by the difference however large: in these three-document corpora one document is a third."""
    monkeypatch.setattr("schoolkg.store.delta.MAX_SHARE", 1.0)


def _corpus(dst: Path, docs: list[str]) -> Path:
    return corpus_subset(dst, docs, TABLES)


def _build(corpus: Path, out: Path, notes: list[str] | None = None) -> BuildSummary:
    def progress(step: str, _n: int) -> None:
        if notes is not None:
            notes.append(step)

    return run_build(corpus, out / "store", out / "g.nq", validate=False, jobs=1, progress=progress)


def _quads(store: Path) -> list[str]:
    """Every quad of the installed store, default graph included, as sorted strings, blank nodes
    as ``_:b`` (the bulk loader labels them anew on every load, so two cold builds differ there)."""
    db = pyoxigraph.Store.read_only(str(store.resolve()))
    try:
        return sorted(re.sub(r"_:[0-9a-z]+", "_:b", str(q)) for q in db)
    finally:
        del db


def test_adding_and_changing_documents_updates_a_copy_equal_to_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    first = _build(corpus, tmp_path / "inc")
    before = _quads(tmp_path / "inc" / "store")
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])  # one added
    text = (corpus / "documents" / DOCS[0]).read_text(encoding="utf-8")  # one changed
    (corpus / "documents" / DOCS[0]).write_text(text.replace("good", "outstanding", 1), encoding="utf-8")
    read: list[str] = []
    real = pipeline.read_document
    monkeypatch.setattr(pipeline, "read_document", lambda p, r: read.append(p.name) or real(p, r))
    notes: list[str] = []
    second = _build(corpus, tmp_path / "inc", notes)
    assert sorted(set(read)) == sorted([DOCS[0], DOCS[2]])  # the unchanged document was not read again
    assert any(n.startswith("load: updating a copy") for n in notes), notes
    cold = _build(corpus, tmp_path / "cold")
    assert (tmp_path / "inc" / "g.nq").read_bytes() == (tmp_path / "cold" / "g.nq").read_bytes()
    after = _quads(tmp_path / "inc" / "store")
    assert after == _quads(tmp_path / "cold" / "store")
    assert after != before and second.triples == cold.triples > first.triples
    db = pyoxigraph.Store.read_only(str((tmp_path / "inc" / "store").resolve()))
    union = sum(1 for _ in db.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    del db
    assert 0 < union < len(after)  # the default graph came along


def test_removing_a_document_takes_its_statements_out_of_the_default_graph(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", DOCS)
    _build(corpus, tmp_path / "inc")
    (corpus / "documents" / DOCS[1]).unlink()
    notes: list[str] = []
    _build(corpus, tmp_path / "inc", notes)
    assert any(n.startswith("load: updating a copy") for n in notes)
    _build(corpus, tmp_path / "cold")
    assert (tmp_path / "inc" / "g.nq").read_bytes() == (tmp_path / "cold" / "g.nq").read_bytes()
    assert _quads(tmp_path / "inc" / "store") == _quads(tmp_path / "cold" / "store")


def test_a_dump_the_store_does_not_hold_gives_a_full_load(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _build(corpus, tmp_path / "inc")
    folder = (tmp_path / "inc" / "store").resolve()
    assert read_marker(folder) is not None
    (folder / MARKER).write_text("0" * 64 + "\n")  # as if the dump had been replaced after the swap
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    notes: list[str] = []
    _build(corpus, tmp_path / "inc", notes)
    assert not any(n.startswith("load: updating a copy") for n in notes)
    _build(corpus, tmp_path / "cold")
    assert _quads(tmp_path / "inc" / "store") == _quads(tmp_path / "cold" / "store")


def test_a_changed_blank_node_gives_a_full_load(tmp_path: Path) -> None:
    old, new = tmp_path / "a.nq", tmp_path / "b.nq"
    old.write_bytes(b"<http://x/s> <http://x/p> <http://x/o> <http://x/g> .\n")
    new.write_bytes(old.read_bytes() + b'_:n1 <http://x/p> "o" <http://x/g> .\n')
    assert delta_mod.diff_sorted(old, new, tmp_path).blank
    new.write_bytes(old.read_bytes() + b'<http://x/s> <http://x/p> "a> _:b" <http://x/g> .\n')
    assert delta_mod.diff_sorted(old, new, tmp_path).blank  # a literal like one: a full load, never a wrong store
    new.write_bytes(old.read_bytes() + b'<http://x/s> <http://x/p> "_:b" <http://x/g> .\n')
    assert not delta_mod.diff_sorted(old, new, tmp_path).blank


def test_a_large_difference_gives_a_full_load(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:1])
    _build(corpus, tmp_path / "inc")
    for d in DOCS[1:]:
        shutil.copyfile(CORPUS / "documents" / d, corpus / "documents" / d)
    monkeypatch.setattr("schoolkg.store.delta.MAX_SHARE", 0.0)
    notes: list[str] = []
    _build(corpus, tmp_path / "inc", notes)
    assert not any(n.startswith("load: updating a copy") for n in notes)


def test_a_failed_update_leaves_the_previous_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _build(corpus, tmp_path / "inc")
    before, dump = _quads(tmp_path / "inc" / "store"), (tmp_path / "inc" / "g.nq").read_bytes()
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    real = delta_mod.apply_delta

    def half(store: pyoxigraph.Store, delta: delta_mod.Delta) -> None:
        for q in list(pyoxigraph.parse(path=str(delta.added), format=pyoxigraph.RdfFormat.N_QUADS))[:50]:
            store.add(q)
        raise RuntimeError("stopped half way")

    monkeypatch.setattr("schoolkg.store.delta.apply_delta", half)
    with pytest.raises(RuntimeError, match="half way"):
        _build(corpus, tmp_path / "inc")
    assert _quads(tmp_path / "inc" / "store") == before
    assert (tmp_path / "inc" / "g.nq").read_bytes() == dump
    monkeypatch.setattr("schoolkg.store.delta.apply_delta", real)
    notes: list[str] = []
    _build(corpus, tmp_path / "inc", notes)  # and the next build still updates incrementally
    assert any(n.startswith("load: updating a copy") for n in notes)


_KILLED = """
import sys, time
from pathlib import Path
import schoolkg.store.delta as emb  # installs read apply_delta from delta when they run
real = emb.apply_delta
def slow(store, delta):
    real(store, delta)
    Path(sys.argv[3]).write_text("applied")
    time.sleep(60)
emb.apply_delta = slow
from schoolkg.pipeline import run_build
run_build(Path(sys.argv[1]), Path(sys.argv[2]) / "store", Path(sys.argv[2]) / "g.nq", validate=False, jobs=1)
"""


@pytest.mark.slow
def test_an_update_killed_after_changing_the_copy_leaves_the_previous_store(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _build(corpus, tmp_path / "inc")
    before, dump = _quads(tmp_path / "inc" / "store"), (tmp_path / "inc" / "g.nq").read_bytes()
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    flag = tmp_path / "applied"
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    cmd = [sys.executable, "-c", _KILLED, str(corpus), str(tmp_path / "inc"), str(flag)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 300
    while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert flag.exists(), proc.stderr.read().decode() if proc.stderr and proc.poll() is not None else "timed out"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert _quads(tmp_path / "inc" / "store") == before
    assert (tmp_path / "inc" / "g.nq").read_bytes() == dump
    _build(corpus, tmp_path / "inc")  # the next build cleans up and installs the new graph
    _build(corpus, tmp_path / "cold")
    assert _quads(tmp_path / "inc" / "store") == _quads(tmp_path / "cold" / "store")
    assert not [p.name for p in (tmp_path / "inc").iterdir() if "-building-" in p.name]


def _validated(corpus: Path, out: Path) -> BuildSummary:
    return run_build(corpus, out / "store", out / "g.nq", jobs=1)


def test_a_validated_update_checks_only_the_change_and_equals_a_cold_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _validated(corpus, tmp_path / "inc")
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])

    def whole(*_a: object, **_k: object) -> None:
        raise AssertionError("the whole graph was validated")

    monkeypatch.setattr(pipeline, "validate_store", whole)
    second = _validated(corpus, tmp_path / "inc")
    assert second.shacl is not None and second.shacl.conforms
    monkeypatch.undo()
    monkeypatch.setattr("schoolkg.store.delta.MAX_SHARE", 1.0)
    cold = _validated(corpus, tmp_path / "cold")
    assert cold.shacl is not None and cold.shacl.conforms
    assert (tmp_path / "inc" / "g.nq").read_bytes() == (tmp_path / "cold" / "g.nq").read_bytes()
    assert _quads(tmp_path / "inc" / "store") == _quads(tmp_path / "cold" / "store")


def test_an_unvalidated_build_makes_the_next_one_check_the_whole_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:1])
    _validated(corpus, tmp_path / "inc")
    shutil.copyfile(CORPUS / "documents" / DOCS[1], corpus / "documents" / DOCS[1])
    _build(corpus, tmp_path / "inc")  # --no-validate: the graph installed was not checked
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    calls: list[object] = []
    real = pipeline.validate_store
    monkeypatch.setattr(pipeline, "validate_store", lambda *a, **k: calls.append(a) or real(*a, **k))
    _validated(corpus, tmp_path / "inc")
    assert len(calls) == 1


def _break_document(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Make ``name``'s part state a second, unknown polarity of one finding (two SHACL violations)."""
    real = pipeline.extraction_quads
    polarity = "https://w3id.org/schoolkg/ontology#polarity"
    target = document_id(CORPUS / "documents" / name)

    def broken(ex: Extraction, iris: dict[str, str]) -> list[pyoxigraph.Quad]:
        quads = list(real(ex, iris))
        if ex.document.id == target:
            q = next(q for q in quads if q.predicate.value == polarity)
            bad = pyoxigraph.NamedNode(polarity + "-neutral")
            quads.append(pyoxigraph.Quad(q.subject, q.predicate, bad, q.graph_name))
        return quads

    monkeypatch.setattr(pipeline, "extraction_quads", broken)


def test_a_violation_in_a_changed_source_fails_the_update_as_the_whole_check_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _validated(corpus, tmp_path / "inc")
    before, dump = _quads(tmp_path / "inc" / "store"), (tmp_path / "inc" / "g.nq").read_bytes()
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    _break_document(monkeypatch, DOCS[2])
    calls: list[object] = []
    real = pipeline.validate_store
    monkeypatch.setattr(pipeline, "validate_store", lambda *a, **k: calls.append(a) or real(*a, **k))
    with pytest.raises(ValidationError) as incremental:
        _validated(corpus, tmp_path / "inc")
    assert not calls  # found by the incremental check
    assert _quads(tmp_path / "inc" / "store") == before
    assert (tmp_path / "inc" / "g.nq").read_bytes() == dump
    with pytest.raises(ValidationError) as whole:
        _validated(corpus, tmp_path / "cold")
    assert calls  # the cold build checked the whole graph, and found the same
    assert str(incremental.value) == str(whole.value)
    assert incremental.value.report == whole.value.report
    assert "polarity-neutral" in whole.value.report


def test_the_difference_from_the_changed_parts_is_the_walk_of_both_dumps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2])
    _build(corpus, tmp_path / "inc")
    old = tmp_path / "old.nq"
    shutil.copyfile(tmp_path / "inc" / "g.nq", old)
    shutil.copyfile(CORPUS / "documents" / DOCS[2], corpus / "documents" / DOCS[2])
    (corpus / "documents" / DOCS[0]).unlink()
    known: list[tuple[list[bytes], list[bytes], int]] = []
    real = delta_mod.known_difference

    def spy(a: Path, b: Path) -> tuple[list[bytes], list[bytes], int] | None:
        found = real(a, b)
        if found is not None:
            known.append(found)
            shutil.copyfile(b, tmp_path / "new.nq")
        return found

    monkeypatch.setattr(delta_mod, "known_difference", spy)
    notes: list[str] = []
    _build(corpus, tmp_path / "inc", notes)
    assert known and any(n.startswith("load: updating a copy") for n in notes)
    monkeypatch.undo()
    walked = delta_mod.diff_sorted(old, tmp_path / "new.nq", tmp_path)
    removed, added, lines = known[0]
    assert b"".join(removed) == walked.removed.read_bytes() and removed
    assert b"".join(added) == walked.added.read_bytes() and added
    assert lines == walked.new_lines
    assert (tmp_path / "new.nq").read_bytes() == (tmp_path / "inc" / "g.nq").read_bytes()
