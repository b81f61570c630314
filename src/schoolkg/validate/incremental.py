"""Validate only what a change can have made invalid (issue 18 item 3, incremental builds).

When the previous graph conformed (SHACL and quotes) and the new graph differs from it by a set of
changed quads, a node's SHACL result can differ only if a triple its checks read changed. With the
shapes of ``ontology/shapes.ttl`` a check of focus node ``x`` reads (see :func:`access`):

- the triples with subject ``x`` (its types, its paths' values, property pairs, ``targetSubjectsOf``);
- the triples with object ``x`` whose predicate is read backwards (``sh:inversePath``,
  ``targetObjectsOf``);
- the types of the values ``v`` of a path with ``sh:class`` (``(x p v)``, ``(v rdf:type C)``);
- the subclass axioms (a change to one makes every node suspect: the whole graph is checked).

So the suspects of a change are the subjects of changed triples, the objects of changed triples of
backward predicates, and the nodes whose ``sh:class``-checked values changed type. They are
checked on a small in-memory store holding exactly the triples their checks read (plus every
subclass axiom), by the same compiled engine (:func:`~schoolkg.validate.compiled.check_store`);
violations of other nodes in that partial copy are not results and are dropped. Every other node
reads only unchanged triples, so it conforms as it did. Shapes outside this reach (longer paths,
nested shapes on values) make :func:`access` return None, and the caller checks the whole graph.

Quotes are checked for the documents whose text changed and the documents of items whose quote,
offsets or source changed (:func:`changed_documents`), on the whole store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from pyoxigraph import BlankNode, DefaultGraph, NamedNode, Quad, Triple

from schoolkg.patterns import quads_matching
from schoolkg.resources import ontology_dir
from schoolkg.validate.compiled import RDF, RDFS, SH, Violation, check_store

__all__ = ["Access", "access", "changed_documents", "check_changed", "suspects"]

_TYPE = f"{RDF}type"
_TBOX = frozenset({f"{RDFS}subClassOf", f"{RDFS}subPropertyOf"})
_SKG = "https://w3id.org/schoolkg/ontology#"
_ITEM_PREDICATES = frozenset(f"{_SKG}{p}" for p in ("quote", "startOffset", "endOffset", "source"))

# parameters whose test reads only the value itself (or the focus node's own triples)
_LOCAL = frozenset(
    {
        "minCount",
        "maxCount",
        "datatype",
        "nodeKind",
        "minLength",
        "maxLength",
        "pattern",
        "flags",
        "in",
        "hasValue",
        "minInclusive",
        "maxInclusive",
        "minExclusive",
        "maxExclusive",
        "uniqueLang",
        "languageIn",
        "lessThan",
        "lessThanOrEquals",
        "equals",
        "disjoint",
    }
)
_NESTED = ("or", "xone", "and", "not")
_IGNORED = frozenset(
    f"{SH}{p}"
    for p in ("path", "name", "description", "message", "order", "group", "severity", "property", "deactivated")
) | frozenset({_TYPE, f"{RDFS}comment", f"{RDFS}label"})
_TARGET_PARAMS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")


@dataclass(frozen=True)
class Access:
    """What the shapes read beyond a focus node's own triples: predicates read backwards
    (``(y p x)``), and predicates whose values' types are read (``sh:class``), forwards and backwards."""

    backward: frozenset[str]
    class_forward: frozenset[str]
    class_backward: frozenset[str]


def access(shapes: Path | None = None) -> Access | None:
    """The :class:`Access` of ``shapes``, or None when a shape reads further than one step from its
    focus node (a sequence or transitive path, a nested shape on a path's values, ``sh:node``)."""
    graph = pyoxigraph.Store()
    try:
        graph.load(path=str(shapes or ontology_dir() / "shapes.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    except (OSError, SyntaxError):
        return None
    index: dict[object, dict[str, list[object]]] = {}
    for q in graph:
        index.setdefault(q.subject, {}).setdefault(q.predicate.value, []).append(q.object)
    backward: set[str] = set()
    fwd: set[str] = set()
    bwd: set[str] = set()
    for props in index.values():
        for p in props.get(f"{SH}targetObjectsOf", []):
            backward.add(str(getattr(p, "value", p)))
    targeted = [s for s, props in index.items() if any(f"{SH}{t}" in props for t in _TARGET_PARAMS)]

    def items(head: object) -> list[object] | None:
        out: list[object] = []
        while head != NamedNode(f"{RDF}nil"):
            firsts = index.get(head, {}).get(f"{RDF}first")
            rests = index.get(head, {}).get(f"{RDF}rest")
            if not firsts or not rests:
                return None
            out.append(firsts[0])
            head = rests[0]
        return out

    def step(path: object) -> tuple[str, bool] | None:
        """A one-step path: (predicate, backwards), else None."""
        if isinstance(path, NamedNode):
            return path.value, False
        inv = index.get(path, {}).get(f"{SH}inversePath")
        if inv and len(index.get(path, {})) == 1 and isinstance(inv[0], NamedNode):
            return inv[0].value, True
        return None

    def shape_ok(shape: object, on_focus: bool) -> bool:
        """A shape's reads stay within one step of its focus node (``on_focus``: the shape is
        applied to the focus node itself, so a path may start there; else to a path's value)."""
        props = index.get(shape, {})
        path = props.get(f"{SH}path")
        hop: tuple[str, bool] | None = None
        if path:
            if not on_focus:
                return False
            hop = step(path[0])
            if hop is None:
                return False
            if hop[1]:
                backward.add(hop[0])
        for pred, values in props.items():
            if pred == f"{SH}property":
                if not on_focus or path or not all(shape_ok(v, True) for v in values):
                    return False
                continue
            if pred in _IGNORED:
                continue
            if not pred.startswith(SH):
                return False
            param = pred[len(SH) :]
            if param in _TARGET_PARAMS or param in _LOCAL:
                continue
            if param == "class":
                if hop is not None:
                    (bwd if hop[1] else fwd).add(hop[0])
                elif not on_focus:
                    return False
                continue
            if param in _NESTED:
                if hop is not None:
                    return False  # a nested shape on a path's values reads the values' triples
                members = [v for x in values for v in (items(x) if param != "not" else [x]) or [None]]
                if any(m is None or not shape_ok(m, on_focus) for m in members):
                    return False
                continue
            return False
        return True

    if not all(shape_ok(s, True) for s in targeted):
        return None
    return Access(frozenset(backward), frozenset(fwd), frozenset(bwd))


def suspects(store: pyoxigraph.Store, changed: Iterable[Quad], reach: Access) -> set[object] | None:
    """The nodes whose SHACL result the changed quads can have changed (see the module), or None when a
    subclass or subproperty axiom changed (then every node is suspect). ``store`` is the new graph
    with the union of its named graphs as its default graph, as schoolkg installs it."""
    out: set[object] = set()
    retyped: set[object] = set()
    for q in changed:
        p = q.predicate.value
        if p in _TBOX:
            return None
        out.add(q.subject)
        if p in reach.backward:
            out.add(q.object)
        if p == _TYPE:
            retyped.add(q.subject)
    union = DefaultGraph()
    for v in retyped:  # one scan of each retyped node's incoming and outgoing triples
        if reach.class_forward:
            out.update(
                t.subject
                for t in quads_matching(store, None, None, v, union)
                if t.predicate.value in reach.class_forward
            )
        if reach.class_backward and isinstance(v, NamedNode | BlankNode):
            out.update(
                t.object
                for t in quads_matching(store, v, None, None, union)
                if t.predicate.value in reach.class_backward
            )
    return out


def check_changed(
    store: pyoxigraph.Store, changed: Iterable[Quad], shapes: Path | None = None
) -> list[Violation] | None:
    """The SHACL violations of the new graph in ``store`` given that the graph before ``changed``
    conformed: only suspect nodes are checked. None when that cannot be decided this way (the
    shapes read further, or an axiom changed): then check the whole graph."""
    reach = access(shapes)
    if reach is None:
        return None
    nodes = suspects(store, changed, reach)
    if nodes is None:
        return None
    if not nodes:
        return []
    union = DefaultGraph()
    part = pyoxigraph.Store()
    triples: set[Triple] = set()

    def take(s: object, p: NamedNode | None, o: object) -> None:
        for q in quads_matching(store, s, p, o, union):
            triples.add(q.triple)

    for p in _TBOX:
        take(None, NamedNode(p), None)
    valued: set[object] = set()  # values whose types a sh:class check reads
    for x in nodes:
        outgoing = [] if isinstance(x, pyoxigraph.Literal) else list(quads_matching(store, x, None, None, union))
        triples.update(q.triple for q in outgoing)
        valued.update(
            q.object
            for q in outgoing
            if q.predicate.value in reach.class_forward and not isinstance(q.object, pyoxigraph.Literal)
        )
        for p in reach.backward:
            for q in quads_matching(store, None, NamedNode(p), x, union):
                triples.add(q.triple)
                if p in reach.class_backward:
                    valued.add(q.subject)
    rdf_type = NamedNode(_TYPE)
    for v in valued:
        take(v, rdf_type, None)
    part.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)
    found = check_store(part, shapes)
    keep = {_shown(x) for x in nodes}
    return [v for v in found if v.focus in keep]


def changed_documents(store: pyoxigraph.Store, changed: Iterable[Quad]) -> set[str]:
    """The documents whose quotes the changed quads can have made wrong: those whose text changed,
    those an item of a changed quote, offset or source now cites, and a changed source's old document
    (removed: nothing cites it, nothing to check)."""
    docs: set[str] = set()
    items: set[object] = set()
    text = f"{_SKG}text"
    for q in changed:
        p = q.predicate.value
        if p == text and isinstance(q.subject, NamedNode):
            docs.add(q.subject.value)
        elif p in _ITEM_PREDICATES:
            items.add(q.subject)
    source = NamedNode(f"{_SKG}source")
    for item in items:
        for q in quads_matching(store, item, source, None, DefaultGraph()):
            if isinstance(q.object, NamedNode):
                docs.add(q.object.value)
    return docs


def _shown(term: object) -> str:
    """A node as :class:`Violation` names its focus."""
    return term.value if isinstance(term, NamedNode) else str(term)
