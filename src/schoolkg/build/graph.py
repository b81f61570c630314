"""Build the whole graph: ontology, thesaurus, documents and tables of a corpus, as sorted N-Quads."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from pyoxigraph import BlankNode, NamedNode, Quad, RdfFormat, parse, serialize

from schoolkg.build import iris
from schoolkg.build.derive import derived_quads
from schoolkg.build.findings import extraction_quads
from schoolkg.build.tables import detect_kind, get_mapper
from schoolkg.build.tables.cells import require_columns
from schoolkg.build.tables.reading import IngestContext, open_table
from schoolkg.errors import InputError, input_context
from schoolkg.extract.document import extract_document
from schoolkg.extract.gazetteer import load_gazetteer
from schoolkg.extract.thesaurus import load_thesaurus
from schoolkg.ingest.documents import READERS, read_document
from schoolkg.model import Extraction
from schoolkg.resources import ontology_dir

__all__ = ["BuildResult", "build_nquads", "corpus_files", "ontology_quads", "read_table", "table_files"]

Progress = Callable[[str, int], None]


@dataclass
class BuildResult:
    """The sorted N-Quads of a build and what went into it."""

    nquads: bytes
    documents: list[str] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    extractions: list[Extraction] = field(default_factory=list)
    table_stats: dict[str, dict[str, int]] = field(default_factory=dict)


def corpus_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    """Document files under ``corpus/documents`` and tables under ``corpus/tables``, sorted."""
    if not corpus.is_dir():
        raise InputError("corpus folder not found", path=corpus)
    docs_dir, tables_dir = corpus / "documents", corpus / "tables"
    docs = (
        sorted(p for p in docs_dir.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
        if docs_dir.is_dir()
        else []
    )
    tables = sorted(tables_dir.rglob("*.csv")) if tables_dir.is_dir() else []
    return docs, tables


def ontology_quads(folder: Path) -> Iterator[Quad]:
    """The ontology and the practice thesaurus, each in its own named graph."""
    for name, graph in (("schoolkg.ttl", iris.GRAPH_ONTOLOGY), ("practices.ttl", iris.GRAPH_PRACTICES)):
        path = folder / name
        stable = _StableBlankNodes(path.stem)
        try:
            for t in parse(path=str(path), format=RdfFormat.TURTLE):
                yield Quad(stable(t.subject), t.predicate, stable(t.object), NamedNode(graph))
        except SyntaxError as err:
            raise InputError(f"Turtle syntax error: {err}", path=path) from None


class _StableBlankNodes:
    """The parser names blank nodes at random; number them in reading order instead."""

    def __init__(self, prefix: str) -> None:
        self.prefix, self.labels = prefix, {}

    def __call__(self, term):  # type: ignore[no-untyped-def]
        if isinstance(term, BlankNode):
            return self.labels.setdefault(term.value, BlankNode(f"{self.prefix}{len(self.labels) + 1}"))
        return term


def build_nquads(corpus: Path, progress: Progress | None = None, extra_tables: list[Path] | None = None) -> BuildResult:
    """Read every document and table of ``corpus`` and return the graph as sorted N-Quads.

    The same corpus always gives the same bytes: IRIs are minted from content, nothing
    depends on the time or order of reading, and lines are sorted.
    """
    tick = progress or (lambda _what, _n: None)
    extra_tables = extra_tables or []
    folder = ontology_dir()
    thesaurus = load_thesaurus(folder / "practices.ttl")
    gazetteer = load_gazetteer(folder / "schoolkg.ttl")
    programme_iris = {p.name: p.iri for p in gazetteer.programmes.values()}
    result = BuildResult(b"")
    quads: list[Quad] = list(ontology_quads(folder))
    docs, tables = corpus_files(corpus)
    texts: dict[str, str] = {}
    seen: dict[str, Path] = {}
    for path in docs:
        doc = read_document(path, corpus)
        if doc.id in seen:
            raise InputError(f"two documents have the id {doc.id!r}: also {seen[doc.id]}", path=path)
        seen[doc.id] = path
        ex = extract_document(doc, thesaurus, gazetteer)
        quads.extend(extraction_quads(ex, programme_iris))
        texts[doc.id] = doc.text
        result.documents.append(doc.id)
        result.warnings.extend(ex.warnings)
        result.extractions.append(ex)
        tick("document", 1)
    for path, root in [(p, corpus) for p in tables] + [(p, p.parent) for p in extra_tables]:
        table_quads, ctx = read_table(path, path.relative_to(root).as_posix(), texts)
        quads.extend(table_quads)
        result.tables.append(ctx.table_id)
        result.table_stats[ctx.table_id] = {"rows": ctx.rows, "quads": len(table_quads)}
        tick("table", 1)
    quads.extend(derived_quads(quads))
    result.nquads = sort_nquads(serialize(quads, format=RdfFormat.N_QUADS))
    return result


def read_table(
    path: Path, source_path: str, texts: dict[str, str], kind: str | None = None, on_error: str = "fail"
) -> tuple[list[Quad], IngestContext]:
    """The quads of one table (kind from ``kind`` or its header), and its context with counts.

    The table's graph is ``…/graph/table/table-{slug(file stem)}``.
    """
    header, rows, sha = open_table(path)
    with input_context(path):
        mapper = get_mapper(kind) if kind else get_mapper(detect_kind(header, path))
        require_columns(header, mapper.columns)
    ctx = IngestContext(f"table-{iris.slug(path.stem)}", source_path, sha, texts, path, on_error=on_error)
    with input_context(path):
        quads = list(mapper.quads(rows, ctx))
    return quads, ctx


def table_files(folder: Path) -> list[Path]:
    """Every CSV table under ``folder``, sorted."""
    if not folder.is_dir():
        raise InputError("table folder not found", path=folder)
    return sorted(folder.rglob("*.csv"))


def sort_nquads(data: bytes) -> bytes:
    """Sort and de-duplicate N-Quads lines (one statement per line)."""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""
