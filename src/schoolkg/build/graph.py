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
from schoolkg.build.tables.reading import EXTRA, IngestContext, open_table
from schoolkg.errors import InputError, input_context
from schoolkg.extract.document import extract_document
from schoolkg.extract.gazetteer import load_gazetteer
from schoolkg.extract.thesaurus import load_thesaurus
from schoolkg.ingest.documents import READERS, read_document
from schoolkg.model import Extraction
from schoolkg.resources import ontology_dir

__all__ = [
    "BuildResult",
    "build_nquads",
    "corpus_files",
    "extension_quads",
    "ontology_quads",
    "read_table",
    "table_files",
]

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
            raise _syntax_error(err, path, "Turtle") from None


def extension_quads(corpus: Path) -> Iterator[Quad]:
    """A user's ontology extensions: each ``corpus/ontology/*.ttl`` or ``*.trig`` in its own graph.

    Every statement of a file goes into ``…/graph/extension/{slug(file stem)}`` (TriG graph names
    are not kept: an extension never writes into another graph). A syntax error is an
    InputError naming the file and line.
    """
    folder = corpus / "ontology"
    if not folder.is_dir():
        return
    formats = {".ttl": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in formats):
        graph = NamedNode(iris.extension_graph(path.stem))
        stable = _StableBlankNodes(f"ext-{iris.slug(path.stem)}-")
        try:
            for q in parse(path=str(path), format=formats[path.suffix.lower()]):
                yield Quad(stable(q.subject), q.predicate, stable(q.object), graph)
        except SyntaxError as err:
            raise _syntax_error(err, path, "TriG" if path.suffix.lower() == ".trig" else "Turtle") from None
        except (OSError, ValueError) as err:
            raise InputError(f"cannot read the extension: {err}", path=path) from None


def _syntax_error(err: SyntaxError, path: Path, language: str) -> InputError:
    """An InputError for a parser error, with the line pyoxigraph reports and its message.

    >>> e = SyntaxError("Parser error at line 6 between columns 1 and 17: A dot is expected", ("f", 6, 1, None, 6, 17))
    >>> str(_syntax_error(e, Path("x.ttl"), "Turtle"))
    'x.ttl:6: Turtle syntax error: A dot is expected (column 1)'
    """
    message = str(err.args[0]) if err.args else str(err)
    problem = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
    column = f" (column {err.offset})" if err.offset else ""
    return InputError(f"{language} syntax error: {problem}{column}", path=path, line=err.lineno)


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
    quads.extend(extension_quads(corpus))
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
    if not getattr(mapper, "extra_cells", False):
        rows = _no_extra_cells(rows, len(header))
    with input_context(path):
        quads = list(mapper.quads(rows, ctx))
    return quads, ctx


def _no_extra_cells(rows: Iterator[tuple[int, dict[str, str]]], width: int) -> Iterator[tuple[int, dict[str, str]]]:
    """Pass rows on; a row with non-empty cells past the header is misaligned: InputError.

    Only kinds whose files spill lists past the header (GIAS links) set ``extra_cells``.
    """
    for line, row in rows:
        extra = row.get(EXTRA, "")
        if extra.strip():
            n = len(extra.split("\t"))
            raise InputError(f"the row has {n} cell(s) more than the {width} columns of the header", line=line)
        yield line, row


def table_files(folder: Path) -> list[Path]:
    """Every CSV table under ``folder``, sorted."""
    if not folder.is_dir():
        raise InputError("table folder not found", path=folder)
    return sorted(folder.rglob("*.csv"))


def sort_nquads(data: bytes) -> bytes:
    """Sort and de-duplicate N-Quads lines (one statement per line)."""
    lines = sorted(set(data.splitlines()))
    return b"\n".join(lines) + b"\n" if lines else b""
