"""The streaming build (issue 18): parallel equals serial byte for byte, an unchanged source is
not read again, a changed one is, --on-error skip records a failure and builds the rest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, corpus_subset
from schoolkg import pipeline
from schoolkg.cli import app
from schoolkg.errors import ConfigError, InputError
from schoolkg.pipeline import BuildSummary, run_build

DOCS = ["000_0f96bd9ccbaf7c80.txt", "001_67ec0e20a0eb81e3.txt", "002_ea63de0b34895f6a.txt"]
TABLES = ["eic-local-authorities.csv", "eic-figure1-gcse.csv", "oxfordshire-outcomes-2017-12-31.csv"]


def _corpus(dst: Path, docs: list[str] = DOCS, tables: list[str] = TABLES) -> Path:
    return corpus_subset(dst, docs, tables)


def _build(corpus: Path, out: Path, **kw: object) -> BuildSummary:
    return run_build(corpus, out / "store", out / "g.nq", validate=False, **kw)  # type: ignore[arg-type]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the documents the extractor is called on (serial builds run it in-process)."""
    calls: list[str] = []
    real = pipeline.extract_document

    def extract(doc, *args):  # type: ignore[no-untyped-def]
        calls.append(doc.document.id)
        return real(doc, *args)

    monkeypatch.setattr(pipeline, "extract_document", extract)
    return calls


def test_parallel_build_equals_serial_build_byte_for_byte(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    serial = _build(corpus, tmp_path / "one", jobs=1)
    parallel = _build(corpus, tmp_path / "two", jobs=2)
    assert (tmp_path / "one" / "g.nq").read_bytes() == (tmp_path / "two" / "g.nq").read_bytes()
    assert serial.triples == parallel.triples > 1000
    assert parallel.result.extracted == len(DOCS) + len(TABLES)
    assert (
        parallel.result.documents
        == serial.result.documents
        == ["000-0f96bd9ccbaf7c80", "001-67ec0e20a0eb81e3", "002-ea63de0b34895f6a"]
    )


def test_streaming_build_equals_the_in_memory_serialisation(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c")
    _build(corpus, tmp_path / "out", jobs=2)
    assert (tmp_path / "out" / "g.nq").read_bytes() == pipeline.build_nquads(corpus).nquads


def test_unchanged_sources_are_reused_and_an_added_document_alone_is_read(tmp_path: Path, counted: list[str]) -> None:
    corpus = _corpus(tmp_path / "c", [DOCS[0], DOCS[2]])
    first = _build(corpus, tmp_path / "out", jobs=1)
    assert sorted(counted) == ["000-0f96bd9ccbaf7c80", "002-ea63de0b34895f6a"]
    assert (first.result.extracted, first.result.reused) == (5, 0)
    counted.clear()
    again = _build(corpus, tmp_path / "out", jobs=1)
    assert counted == [] and (again.result.extracted, again.result.reused) == (0, 5)
    shutil.copyfile(CORPUS / "documents" / DOCS[1], corpus / "documents" / DOCS[1])
    added = _build(corpus, tmp_path / "out", jobs=1)
    assert counted == ["001-67ec0e20a0eb81e3"]
    assert (added.result.extracted, added.result.reused, len(added.result.documents)) == (1, 5, 3)
    fresh = _build(corpus, tmp_path / "fresh", jobs=1)
    assert (tmp_path / "out" / "g.nq").read_bytes() == (tmp_path / "fresh" / "g.nq").read_bytes()
    assert fresh.triples == added.triples


def test_a_table_quoting_a_changed_document_is_read_again(tmp_path: Path, counted: list[str]) -> None:
    corpus = _corpus(tmp_path / "c", [DOCS[2]], TABLES[1:2])  # the figures table quotes document 002
    _build(corpus, tmp_path / "out", jobs=1)
    counted.clear()
    doc = corpus / "documents" / DOCS[2]
    doc.write_text("Foreword.\n" + doc.read_text(encoding="utf-8"), encoding="utf-8")  # every offset moves
    changed = _build(corpus, tmp_path / "out", jobs=1)
    assert counted == ["002-ea63de0b34895f6a"]
    assert (changed.result.extracted, changed.result.reused) == (2, 0)
    _build(corpus, tmp_path / "fresh", jobs=1)
    assert (tmp_path / "out" / "g.nq").read_bytes() == (tmp_path / "fresh" / "g.nq").read_bytes()


def test_a_changed_document_alone_is_read_again(tmp_path: Path, counted: list[str]) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2], TABLES[:1])
    _build(corpus, tmp_path / "out", jobs=1)
    counted.clear()
    doc = corpus / "documents" / DOCS[1]
    doc.write_text(doc.read_text(encoding="utf-8") + "\nLeaders monitor teaching rigorously.\n", encoding="utf-8")
    changed = _build(corpus, tmp_path / "out", jobs=1)
    assert counted == ["001-67ec0e20a0eb81e3"]
    assert (changed.result.extracted, changed.result.reused) == (1, 2)
    _build(corpus, tmp_path / "fresh", jobs=1)
    assert (tmp_path / "out" / "g.nq").read_bytes() == (tmp_path / "fresh" / "g.nq").read_bytes()


def test_a_new_code_version_reads_everything_again(
    tmp_path: Path, counted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:1], [])
    _build(corpus, tmp_path / "out", jobs=1)
    monkeypatch.setattr(pipeline, "code_version", lambda: "another version")
    again = _build(corpus, tmp_path / "out", jobs=1)
    assert (again.result.extracted, again.result.reused) == (1, 0)
    assert counted == ["000-0f96bd9ccbaf7c80"] * 2


def test_the_cache_keeps_only_the_parts_of_the_last_build(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2], [])
    _build(corpus, tmp_path / "out", jobs=1)
    (corpus / "documents" / DOCS[1]).unlink()
    _build(corpus, tmp_path / "out", jobs=1)
    files = sorted((tmp_path / "out" / ".schoolkg-cache" / "store" / "parts").rglob("*.nq"))
    parts = [p for p in files if ".entail-" not in p.name]
    assert len(parts) == 2  # the ontology and one document
    kept = {p.name.split(".", 1)[0] for p in files if ".entail-" in p.name}  # their entailment runs
    assert kept == {p.stem for p in parts}
    assert not [p for p in (tmp_path / "out" / ".schoolkg-cache").rglob(".*") if p.is_file()]


@pytest.mark.parametrize("jobs", [1, 2])
def test_on_error_skip_records_the_failure_and_builds_the_rest(tmp_path: Path, jobs: int) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:2], [])
    (corpus / "documents" / "empty.txt").write_text("", encoding="utf-8")
    summary = _build(corpus, tmp_path / "out", jobs=jobs, on_error="skip")
    assert summary.result.failed == [f"{corpus / 'documents' / 'empty.txt'}: empty document"]
    assert len(summary.result.documents) == 2
    with pytest.raises(InputError, match="empty.txt: empty document"):
        _build(corpus, tmp_path / "out2", jobs=jobs)
    assert not (tmp_path / "out2" / "store").exists()


def test_on_error_skip_through_the_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = _corpus(tmp_path / "corpus", DOCS[:1], [])
    (corpus / "documents" / "empty.txt").write_text("", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    args = ["build", "--store", "store", "--nquads", "g.nq", "--no-validate", "--on-error", "skip", "--jobs", "1"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "skipped: corpus/documents/empty.txt: empty document" in result.stderr
    assert "1 documents and 0 tables (1 read, 0 reused, 1 skipped)" in result.stdout


def test_unknown_on_error_and_dump_inside_the_corpus_are_refused(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "c", DOCS[:1], [])
    with pytest.raises(ConfigError, match="unknown --on-error 'ignore'"):
        _build(corpus, tmp_path / "out", on_error="ignore")
    with pytest.raises(ConfigError, match="is inside the input folder"):
        run_build(corpus, tmp_path / "store", corpus / "documents" / "g.nq", validate=False)


def test_a_big_table_streams_in_sorted_runs_with_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table of more quads than one sort run: spilled runs merged give the same bytes."""
    import schoolkg.mapping.nquads as nq

    corpus = _corpus(tmp_path / "c", [], ["oxfordshire-outcomes-2017-12-31.csv"])
    whole = _build(corpus, tmp_path / "whole", jobs=1)
    monkeypatch.setattr(nq, "CHUNK_QUADS", 1000)
    monkeypatch.setattr(nq.write_sorted, "__defaults__", (1000,))
    notes: list[str] = []
    runs = _build(corpus, tmp_path / "runs", jobs=1, progress=lambda what, _n: notes.append(what))
    assert (tmp_path / "whole" / "g.nq").read_bytes() == (tmp_path / "runs" / "g.nq").read_bytes()
    assert runs.triples == whole.triples
    assert "table 1/1 (" in " ".join(notes) and any(n.startswith("load ") for n in notes)


def test_work_per_source_does_not_grow_with_the_corpus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Quadratic cliffs at 10k documents: every document's task carried every document path
    (pickled to a worker each time), and `source in todo` compared sources pair by pair."""
    carried: list[tuple[str, int]] = []
    real = pipeline._make_part

    def make_part(kind, path, rel, root, part, doc_paths, corpus):  # type: ignore[no-untyped-def]
        carried.append((kind, len(doc_paths)))
        return real(kind, path, rel, root, part, doc_paths, corpus)

    compared: list[int] = []
    monkeypatch.setattr(pipeline, "_make_part", make_part)
    monkeypatch.setattr(pipeline._Source, "__eq__", lambda a, b: compared.append(1) or a is b)
    _build(_corpus(tmp_path / "c"), tmp_path / "out", jobs=1)
    assert sorted(carried) == sorted([("document", 0)] * len(DOCS) + [("table", len(DOCS))] * len(TABLES))
    assert compared == []
