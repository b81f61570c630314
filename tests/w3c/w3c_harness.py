"""Read the W3C SPARQL 1.1 test manifests and check answers against their expected results.

Used by tests/w3c/: :func:`evaluation_tests` lists the query-evaluation tests of a category,
:func:`load_dataset` fills a store as a test asks (``qt:data`` in one graph the request names as
its default graph, each ``qt:graphData`` in a graph named by its file IRI), and the ``same_*``
functions compare an answer with the expected one: solutions as multisets, blank nodes up to
renaming (both encoded as graphs and canonicalized), literals by their canonical lexical form,
graphs by isomorphism, CSV by text.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import rdflib
from rdflib.collection import Collection

SUITE = Path(__file__).resolve().parents[3] / "shared" / "w3c-rdf-tests" / "sparql" / "sparql11"
BASE = "https://w3c.github.io/rdf-tests/sparql/sparql11/"
CATEGORIES = (
    "aggregates", "bind", "bindings", "cast", "construct", "csv-tsv-res", "exists", "functions",
    "grouping", "json-res", "negation", "project-expression", "property-path", "subquery",
)  # fmt: skip
DEFAULT_GRAPH = BASE + "default-graph"
MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
QT = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-query#")
RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_FORMATS = {
    ".srx": ox.QueryResultsFormat.XML,
    ".srj": ox.QueryResultsFormat.JSON,
    ".tsv": ox.QueryResultsFormat.TSV,
}
_RDF = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML}


@dataclass(frozen=True)
class EvalTest:
    """One query-evaluation test: its id, query, data files and expected result file."""

    id: str
    category: str
    kind: str
    query: Path
    result: Path
    data: tuple[Path, ...] = ()
    graph_data: tuple[Path, ...] = field(default=())

    @property
    def base_iri(self) -> str:
        return iri_of(self.query)


def iri_of(path: Path) -> str:
    """The IRI a suite file is known by (its place under the suite's published base)."""
    return BASE + path.resolve().relative_to(SUITE).as_posix()


def evaluation_tests(category: str) -> list[EvalTest]:
    """The query-evaluation (and CSV result format) tests listed in ``category``'s manifest."""
    folder = SUITE / category
    graph = rdflib.Graph().parse(folder / "manifest.ttl", format="turtle", publicID=iri_of(folder / "manifest.ttl"))
    manifest = next(graph.subjects(rdflib.RDF.type, MF.Manifest))
    out = []
    for entries in graph.objects(manifest, MF.entries):
        for entry in Collection(graph, entries):
            kind = graph.value(entry, rdflib.RDF.type)
            if kind not in (MF.QueryEvaluationTest, MF.CSVResultFormatTest):
                continue
            action = graph.value(entry, MF.action)
            result = graph.value(entry, MF.result)
            out.append(
                EvalTest(
                    id=f"{category}/{str(entry).rsplit('#', 1)[-1]}",
                    category=category,
                    kind=str(kind).rsplit("#", 1)[-1],
                    query=_local(graph.value(action, QT.query)),
                    result=_local(result),
                    data=tuple(_local(d) for d in graph.objects(action, QT.data)),
                    graph_data=tuple(sorted(_local(d) for d in graph.objects(action, QT.graphData))),
                )
            )
    return out


def _local(node: rdflib.term.Node) -> Path:
    return SUITE / str(node).removeprefix(BASE)


def load_dataset(store: ox.Store, test: EvalTest) -> None:
    """Put ``test``'s ``qt:data`` into the graph DEFAULT_GRAPH, each ``qt:graphData`` into a graph named
    by its file IRI. (A store may hold several tests' data: the request's dataset picks the graphs.)"""
    for path in test.data:
        _load(store, path, ox.NamedNode(DEFAULT_GRAPH + "/" + iri_of(path).removeprefix(BASE)))
    for path in test.graph_data:
        _load(store, path, ox.NamedNode(iri_of(path)))


def names_its_dataset(test: EvalTest) -> bool:
    """Whether the query has FROM/FROM NAMED: then it, not the request, says which graphs to use."""
    from schoolkg.store.lexical import names_dataset

    return names_dataset(test.query.read_text(encoding="utf-8"))


def default_graphs(test: EvalTest) -> tuple[str, ...]:
    """The graph names holding ``test``'s default graph in a store filled by :func:`load_dataset`."""
    return tuple(DEFAULT_GRAPH + "/" + iri_of(p).removeprefix(BASE) for p in test.data)


def _load(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    fmt = _RDF[path.suffix]
    store.add_graph(graph)  # a graph whose file is empty is still in the dataset
    store.load(path=str(path), format=fmt, base_iri=iri_of(path), to_graph=graph)


def expected(test: EvalTest) -> object:
    """The expected answer: pyoxigraph results, a list of triples, or CSV rows for a .csv file."""
    path = test.result
    if path.suffix == ".csv":
        return _csv_rows(path.read_bytes())
    if path.suffix in _FORMATS:
        return ox.parse_query_results(path.read_bytes(), _FORMATS[path.suffix])
    triples = parse_triples(path.read_bytes(), _RDF[path.suffix], iri_of(path))
    result_sets = [
        t.subject for t in triples if t.predicate == _RDF_TYPE and t.object == ox.NamedNode(RS + "ResultSet")
    ]
    return _from_result_set(triples, result_sets[0]) if result_sets else triples


def parse_triples(data: bytes, fmt: ox.RdfFormat, base_iri: str | None = None) -> list[ox.Triple]:
    """The triples of an RDF document (pyoxigraph's parser yields quads)."""
    return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(data, fmt, base_iri=base_iri)]


def _from_result_set(triples: list[ox.Triple], rs: object) -> object:
    """A SELECT/ASK answer written in the result-set vocabulary, as (variables, rows) or a bool."""
    by_subject: dict[object, list[ox.Triple]] = {}
    for t in triples:
        by_subject.setdefault(t.subject, []).append(t)

    def values(subject: object, name: str) -> list[object]:
        return [t.object for t in by_subject.get(subject, []) if t.predicate == ox.NamedNode(RS + name)]

    boolean = values(rs, "boolean")
    if boolean:
        return boolean[0].value == "true"  # type: ignore[attr-defined]
    variables = [v.value for v in values(rs, "resultVariable")]  # type: ignore[attr-defined]
    rows = []
    for solution in values(rs, "solution"):
        row = {}
        for binding in values(solution, "binding"):
            row[values(binding, "variable")[0].value] = values(binding, "value")[0]  # type: ignore[attr-defined]
        rows.append(row)
    return variables, rows


def solutions(results: object) -> tuple[list[str], list[dict[str, object]]] | bool:
    """pyoxigraph results (or a parsed result set) as (variables, rows of terms), or a bool for ASK."""
    if isinstance(results, bool):
        return results
    if isinstance(results, tuple):
        return results
    if isinstance(results, ox.QueryBoolean):
        return bool(results)
    variables = [v.value for v in results.variables]  # type: ignore[attr-defined]
    rows = [{v: sol[v] for v in variables if sol[v] is not None} for sol in results]  # type: ignore[attr-defined]
    return variables, rows


def same_solutions(got: object, want: object) -> bool:
    """Equal answers: the same boolean, or the same multiset of rows with blank nodes renamed."""
    a, b = solutions(got), solutions(want)
    if isinstance(a, bool) or isinstance(b, bool):
        return a == b
    return sorted(a[0]) == sorted(b[0]) and _canonical_rows(a[1]) == _canonical_rows(b[1])


def same_graph(got: list[ox.Triple], want: list[ox.Triple]) -> bool:
    """Isomorphic graphs."""
    return _canonical([ox.Quad(t.subject, t.predicate, t.object) for t in got]) == _canonical(
        [ox.Quad(t.subject, t.predicate, t.object) for t in want]
    )


def same_csv(got: bytes, want: list[list[str]]) -> bool:
    """The same CSV columns (in any order: ``SELECT *`` fixes none) and rows (as a multiset),
    blank node labels aside."""
    rows = _csv_rows(got)
    if not rows or not want or sorted(rows[0]) != sorted(want[0]):
        return False

    def plain(rs: list[list[str]]) -> list[tuple[tuple[str, str], ...]]:
        header, body = rs[0], rs[1:]
        return sorted(
            tuple(sorted((h, "_:" if c.startswith("_:") else c) for h, c in zip(header, r, strict=True))) for r in body
        )

    return plain(rows) == plain(want)


def _csv_rows(data: bytes) -> list[list[str]]:
    return [row for row in csv.reader(io.StringIO(data.decode("utf-8"), newline=""))]


def _canonical_rows(rows: list[dict[str, object]]) -> set[str]:
    quads = []
    for i, row in enumerate(rows):
        node = ox.BlankNode(f"row{i}")
        quads += [ox.Quad(node, ox.NamedNode(f"urn:var:{v}"), term) for v, term in row.items()]  # type: ignore[arg-type]
        quads.append(ox.Quad(node, _RDF_TYPE, ox.NamedNode("urn:row")))
    return _canonical(quads)


def _canonical(quads: list[ox.Quad]) -> set[str]:
    """The canonical form of ``quads``: literals in pyoxigraph's canonical lexical form (so
    ``"1.0"^^xsd:decimal`` equals ``"1"^^xsd:decimal``, as the stored data has it), blank nodes
    relabelled canonically."""
    store = ox.Store()
    store.extend(quads)
    dataset = ox.Dataset(list(store))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return {str(q) for q in dataset}
