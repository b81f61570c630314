"""Small synthetic graphs for the query tests: what ``write_synth`` makes, given what a build of real
reports has and the synthesis lacks, with its aggregate graphs recomputed, installed as a store.

Shared by the tests that compare rewritten catalogue queries with their old texts
(tests/queries/test_report_aggregate_queries.py, test_practice_aggregate_queries.py,
test_rewritten_queries.py), with :func:`compare_with_old`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph
from pyoxigraph import NamedNode, Quad

from schoolkg.iris import GRAPH_AGGREGATES
from schoolkg.mapping.aggregates import aggregate_quads
from schoolkg.queries.catalogue import CatalogueQuery, get_query
from schoolkg.store.embedded import EmbeddedStore, install_store
from schoolkg.store.table import Table, to_table
from schoolkg.synth.graph import write_synth
from schoolkg.vocab import RDF, SKG, SKOS

KS2 = {3: 6.0, 20: -5.0}
"""Planted KS2 effects of the synthetic graphs (practice index: points)."""


def synthetic_quads(out: Path, schools: int = 120, seed: int = 9) -> list[Quad]:
    """The quads of ``write_synth`` (with KS2 results) in ``out``, its aggregate graphs left out."""
    path, _ = write_synth(out, schools, seed, ks2=KS2)
    return [
        q
        for q in pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.N_QUADS)
        if not (isinstance(q.graph_name, NamedNode) and q.graph_name.value.startswith(GRAPH_AGGREGATES))
    ]


def report_links(quads: list[Quad], graph: NamedNode) -> set[Quad]:
    """What a build of real reports has and the synthesis lacks, in ``graph``: a ``skg:source`` from
    each report's inspection to the report, name links (``skos:closeMatch``) between ten schools,
    and every seventh finding typed a recommendation."""
    docs = {q.subject.value for q in quads if q.predicate == RDF.type and q.object == SKG.Document}
    extra = {
        Quad(q.subject, SKG.source, NamedNode(q.subject.value.removesuffix("/inspection")), graph)
        for q in quads
        if q.predicate == RDF.type
        and q.object == SKG.Inspection
        and q.subject.value.removesuffix("/inspection") in docs
    }
    schools = sorted({q.subject.value for q in quads if q.predicate == RDF.type and q.object == SKG.School})
    extra |= {
        Quad(NamedNode(a), SKOS.closeMatch, NamedNode(b), graph)
        for a, b in zip(schools[:10], schools[1:11], strict=True)
    }
    findings = sorted({q.subject.value for q in quads if q.predicate == RDF.type and q.object == SKG.Finding})
    extra |= {Quad(NamedNode(f), RDF.type, SKG.Recommendation, graph) for f in findings[::7]}
    assert extra, "nothing to add to the synthetic graph"
    return extra


def linked_store(out: Path, change: Callable[[list[Quad]], list[Quad]]) -> EmbeddedStore:
    """A store in ``out`` of the synthetic graph changed by ``change``, its aggregates recomputed."""
    quads = change(synthetic_quads(out))
    quads += aggregate_quads(quads)
    linked = out / "linked.nq"
    pyoxigraph.serialize(quads, output=str(linked), format=pyoxigraph.RdfFormat.N_QUADS)
    install_store(linked, out / "store")
    return EmbeddedStore(out / "store")


def ordered_rows(table: Table) -> list[tuple[object, ...]]:
    """The rows in order, a ", "-joined list (GROUP_CONCAT, order never defined) as a sorted one."""
    return [tuple(", ".join(sorted(c.split(", "))) if isinstance(c, str) else c for c in row) for row in table.rows]


def compare_with_old(
    store: EmbeddedStore,
    old: CatalogueQuery,
    bindings: Sequence[dict[str, str]],
    rows: Callable[[Table], object] = ordered_rows,
) -> int:
    """Assert that the catalogue's query of ``old``'s name has its columns and parameters and, for
    each of ``bindings``, gives the rows ``old`` gives (compared as ``rows`` makes them); return
    how many rows were compared."""
    new = get_query(old.name)
    assert new.columns == old.columns and new.parameters == old.parameters
    seen = 0
    for values in bindings:
        before, after = to_table(store.query(old.bound(values))), to_table(store.query(new.bound(values)))
        assert after.columns == before.columns
        assert rows(after) == rows(before), (old.name, values)
        seen += len(after.rows)
    return seen
