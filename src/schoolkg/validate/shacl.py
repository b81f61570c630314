"""The SHACL report, and the pyshacl engine (``--engine pyshacl``): the graph copied into rdflib."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from schoolkg.resources import ontology_dir
from schoolkg.validate.compiled import Violation

__all__ = ["ShaclReport", "check_nquads", "report_of"]


@dataclass(frozen=True)
class ShaclReport:
    """Whether the graph conforms, how many violations, the report text and the violations."""

    conforms: bool
    violations: int
    text: str
    results: tuple[Violation, ...] = ()
    engine: str = "pyshacl"

    def summary(self, limit: int = 20) -> str:
        """The first ``limit`` lines of the report, or a one-line success message."""
        if self.conforms:
            return "SHACL: the graph conforms to ontology/shapes.ttl"
        lines = self.text.splitlines()
        more = f"\n... {len(lines) - limit} more lines" if len(lines) > limit else ""
        return f"SHACL: {self.violations} violation(s)\n" + "\n".join(lines[:limit]) + more


def report_of(results: list[Violation], engine: str) -> ShaclReport:
    """A report from an engine's violations: one line each, ``focus path component: message``.

    >>> report_of([Violation("http://x/a", "<http://x/p>", "MinCountConstraintComponent", "m")], "sparql").text
    'http://x/a <http://x/p> MinCountConstraintComponent: m'
    """
    text = "\n".join(f"{v.focus} {v.path or '(node)'} {v.component}: {v.message}" for v in results)
    return ShaclReport(not results, len(results), text, tuple(results), engine)


def check_nquads(nquads: bytes, shapes: Path | None = None) -> ShaclReport:
    """Validate the union of all graphs in ``nquads`` against the SHACL shapes with pyshacl."""
    import pyshacl
    from pyoxigraph import RdfFormat, Triple, parse, serialize
    from rdflib import Graph

    triples = (Triple(q.subject, q.predicate, q.object) for q in parse(nquads, RdfFormat.N_QUADS))
    data = Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    shapes_graph = Graph().parse(shapes or ontology_dir() / "shapes.ttl")
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    results = sorted(set(_results(report_graph)))
    return ShaclReport(bool(conforms), len(results), str(text), tuple(results), "pyshacl")


def _results(report: Any) -> list[Violation]:
    from rdflib import SH, BNode, URIRef

    out = []
    for result in report.subjects(SH.resultSeverity, SH.Violation):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        component = str(report.value(result, SH.sourceConstraintComponent)).rsplit("#", 1)[-1]
        message = str(report.value(result, SH.resultMessage) or "")
        shown = focus if isinstance(focus, URIRef) else focus.n3() if isinstance(focus, BNode) else str(focus)
        out.append(Violation(str(shown), _path(report, path), component, message))
    return out


def _path(report: Any, node: Any) -> str:
    """A result path in SPARQL syntax, as the compiled engine writes it."""
    from rdflib import RDF, SH, URIRef
    from rdflib.collection import Collection

    if node is None:
        return ""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if report.value(node, RDF.first) is not None:
        return "(" + "/".join(_path(report, p) for p in Collection(report, node)) + ")"
    for pred, fmt in (
        (SH.inversePath, "^{}"),
        (SH.zeroOrMorePath, "{}*"),
        (SH.oneOrMorePath, "{}+"),
        (SH.zeroOrOnePath, "{}?"),
    ):
        inner = report.value(node, pred)
        if inner is not None:
            return "(" + fmt.format(_path(report, inner)) + ")"
    alt = report.value(node, SH.alternativePath)
    if alt is not None:
        return "(" + "|".join(_path(report, p) for p in Collection(report, alt)) + ")"
    return str(node)
