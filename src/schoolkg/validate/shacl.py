"""Check a graph against ontology/shapes.ttl with pyshacl."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from schoolkg.resources import ontology_dir

__all__ = ["ShaclReport", "check_nquads"]


@dataclass(frozen=True)
class ShaclReport:
    """Whether the graph conforms, how many violations, and pyshacl's text report."""

    conforms: bool
    violations: int
    text: str

    def summary(self, limit: int = 20) -> str:
        """The first ``limit`` lines of the report, or a one-line success message."""
        if self.conforms:
            return "SHACL: the graph conforms to ontology/shapes.ttl"
        lines = self.text.splitlines()
        more = f"\n... {len(lines) - limit} more lines" if len(lines) > limit else ""
        return f"SHACL: {self.violations} violation(s)\n" + "\n".join(lines[:limit]) + more


def check_nquads(nquads: bytes, shapes: Path | None = None) -> ShaclReport:
    """Validate the union of all graphs in ``nquads`` against the SHACL shapes."""
    import pyshacl
    from pyoxigraph import RdfFormat, Triple, parse, serialize
    from rdflib import Graph

    triples = (Triple(q.subject, q.predicate, q.object) for q in parse(nquads, RdfFormat.N_QUADS))
    data = Graph().parse(data=serialize(triples, format=RdfFormat.N_TRIPLES), format="nt")
    shapes_graph = Graph().parse(shapes or ontology_dir() / "shapes.ttl")
    conforms, report_graph, text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    from rdflib import SH

    violations = len(set(report_graph.subjects(SH.resultSeverity, SH.Violation)))
    return ShaclReport(bool(conforms), violations, str(text))
