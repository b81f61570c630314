"""Check SHACL shapes on a store without copying the graph: each constraint compiled to SPARQL.

:func:`compile_shapes` reads ``ontology/shapes.ttl`` (SHACL Core: class, subjects-of,
objects-of and node targets, property
shapes with predicate, inverse, sequence and alternative paths, cardinality, value type,
value range, string, value-list, property-pair and logical constraints) into one SELECT a
constraint; :func:`check_store` runs them on any :class:`~schoolkg.store.base.Store` and
gives the same violations (focus node, path, constraint component) as pyshacl does on the
union of the store's graphs. A shapes parameter outside that set raises ConfigError rather
than being skipped.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph
from pyoxigraph import BlankNode, Literal, NamedNode

from schoolkg.errors import ConfigError
from schoolkg.resources import ontology_dir

__all__ = ["Check", "Queryable", "ShapeProgress", "Violation", "check_store", "compile_shapes", "select_all"]

SH = "http://www.w3.org/ns/shacl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
_TYPE = f"<{RDF}type>"


class Queryable(Protocol):
    """Anything with ``query(sparql)`` over the union of its graphs: every schoolkg Store."""

    def query(self, sparql: str) -> Any:
        """Run a SPARQL query."""
        ...


def select_all(store: Queryable | pyoxigraph.Store, sparql: str) -> pyoxigraph.QuerySolutions:
    """The solutions of a SELECT on ``store`` (a pyoxigraph Store: its default graph is the union)."""
    if isinstance(store, pyoxigraph.Store):
        rows = store.query(sparql, use_default_graph_as_union=True)
    else:
        rows = store.query(sparql)
    if not isinstance(rows, pyoxigraph.QuerySolutions):
        raise ConfigError("the compiled SHACL engine expected solutions from a SELECT")
    return rows


ShapeProgress = Callable[[str, int, int, float], None]
"""Called after each shape with (shape name, shapes done, shapes in all, seconds it took)."""


@dataclass(frozen=True, order=True)
class Violation:
    """One validation result: the focus node, the path (SPARQL syntax, '' for a node
    constraint), the constraint component's local name and a message."""

    focus: str
    path: str
    component: str
    message: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """What two engines must agree on: (focus, path, component); blank nodes all as ``_:``
        (each engine labels them its own way)."""
        return ("_:" if self.focus.startswith("_:") else self.focus, self.path, self.component)


@dataclass(frozen=True)
class Check:
    """One compiled constraint: the shape it belongs to, its component, path and SELECT.

    The SELECT binds ``?this`` (the focus node) and, for value constraints, ``?value``.
    """

    shape: str
    component: str
    path: str
    sparql: str
    detail: str
    plan: _Plan | None = field(default=None, compare=False, repr=False)


def compile_shapes(shapes: Path | None = None, store: Queryable | pyoxigraph.Store | None = None) -> list[Check]:
    """One :class:`Check` per constraint of each targeted shape in ``shapes``.

    With ``store`` the subclasses of each target and ``sh:class`` class are read from it
    (SHACL's ``rdf:type/rdfs:subClassOf*``) and written into the queries as VALUES.

    Examples
    --------
    >>> checks = compile_shapes()
    >>> sorted({c.component for c in checks})[:3]
    ['ClassConstraintComponent', 'DatatypeConstraintComponent', 'HasValueConstraintComponent']
    """
    graph = _Graph(shapes or ontology_dir() / "shapes.ttl")
    compiler = _Compiler(graph, store)
    checks: list[Check] = []
    targeted = {s for t in _TARGETS for s in graph.subjects(f"{SH}{t}")}
    for shape in sorted(targeted, key=str):
        checks.extend(compiler.shape_checks(shape))
    return checks


def check_store(
    store: Queryable | pyoxigraph.Store,
    shapes: Path | None = None,
    progress: ShapeProgress | None = None,
    limit: int | None = None,
    *,
    scans: bool = True,
) -> list[Violation]:
    """Run every compiled check of ``shapes`` on ``store``; return the violations, sorted.

    ``progress`` is told after each shape (name, done, total, seconds); ``limit`` caps the
    violations read per check (``None``: all). With ``scans`` (the default) the checks that
    have a plan (a class target, an IRI path and a count, class, value-list, node-kind,
    datatype or length constraint, or sh:xone/sh:or of sh:class shapes) are made in Python
    on single-pattern scans shared by the shape's checks; the others, and all with
    ``scans=False``, run their SELECT.
    """
    checks = compile_shapes(shapes, store)
    by_shape: dict[str, list[Check]] = {}
    for check in checks:
        by_shape.setdefault(check.shape, []).append(check)
    found: set[Violation] = set()
    for done, (shape, group) in enumerate(by_shape.items(), start=1):
        t0 = time.perf_counter()
        scan = _Scans(store)
        planned = [c for c in group if scans and c.plan is not None]
        for check in group:
            if not (scans and check.plan is not None):
                found.update(_run(store, check, limit))
        # a predicate's values are read once, used by the shape's checks of it one after another and
        # then dropped, so memory holds one predicate's values at a time (the whole-graph check at
        # 60,000 reports peaked at 5.9 GiB holding every predicate of the largest shape); a predicate
        # only counted is read as counts, not as sets of terms
        planned.sort(key=lambda c: "" if c.plan is None or c.plan.predicate is None else c.plan.predicate)
        valued = {c.plan.predicate for c in planned if c.plan is not None and c.plan.param not in _COUNTS}
        for i, check in enumerate(planned):
            found.update(_planned(scan, check, limit, valued))
            predicate = check.plan.predicate if check.plan is not None else None
            following = planned[i + 1].plan if i + 1 < len(planned) else None
            if predicate is not None and (following is None or following.predicate != predicate):
                scan.drop(predicate)
        if progress:
            progress(shape, done, len(by_shape), time.perf_counter() - t0)
    return sorted(found)


def _run(store: Queryable | pyoxigraph.Store, check: Check, limit: int | None) -> Iterator[Violation]:
    sparql = check.sparql + (f"\nLIMIT {limit}" if limit is not None else "")
    valued = check.sparql.startswith("SELECT DISTINCT ?this ?value")
    for row in select_all(store, sparql):
        value = row["value"] if valued else None
        shown = f" (value {value})" if value is not None else ""
        where = check.path or "(node)"
        yield Violation(
            _node(row["this"]), check.path, check.component, f"{check.shape} {where}: {check.detail}{shown}"
        )


def _node(term: object) -> str:
    if isinstance(term, NamedNode):
        return term.value
    return str(term)


class _Graph:
    """The shapes file as a subject -> predicate -> objects index."""

    def __init__(self, path: Path) -> None:
        try:
            triples = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
        except (OSError, SyntaxError) as err:
            raise ConfigError(f"{path}: cannot read the shapes: {err}") from None
        self.index: dict[object, dict[str, list[object]]] = {}
        for t in triples:
            self.index.setdefault(t.subject, {}).setdefault(t.predicate.value, []).append(t.object)

    def subjects(self, predicate: str) -> list[object]:
        return [s for s, props in self.index.items() if predicate in props]

    def objects(self, node: object, predicate: str) -> list[object]:
        return self.index.get(node, {}).get(predicate, [])

    def one(self, node: object, predicate: str) -> object | None:
        found = self.objects(node, predicate)
        return found[0] if found else None

    def items(self, head: object) -> list[object]:
        out: list[object] = []
        while head != NamedNode(f"{RDF}nil"):
            first = self.one(head, f"{RDF}first")
            if first is None:
                raise ConfigError(f"shapes: {head} is not an RDF list")
            out.append(first)
            head = self.one(head, f"{RDF}rest")
        return out


# Shape predicates that are not constraints (and constraint parameters read with another one).
_NOT_CONSTRAINTS = {
    f"{RDF}type",
    f"{RDFS}comment",
    f"{RDFS}label",
    f"{SH}targetClass",
    f"{SH}targetSubjectsOf",
    f"{SH}targetObjectsOf",
    f"{SH}targetNode",
    f"{SH}property",
    f"{SH}path",
    f"{SH}name",
    f"{SH}description",
    f"{SH}message",
    f"{SH}order",
    f"{SH}group",
    f"{SH}severity",
}

_NODE_KINDS = {
    f"<{SH}IRI>": "!isIRI(?V)",
    f"<{SH}BlankNode>": "!isBlank(?V)",
    f"<{SH}Literal>": "!isLiteral(?V)",
    f"<{SH}BlankNodeOrIRI>": "isLiteral(?V)",
    f"<{SH}BlankNodeOrLiteral>": "isIRI(?V)",
    f"<{SH}IRIOrLiteral>": "isBlank(?V)",
}

_TARGETS = ("targetClass", "targetSubjectsOf", "targetObjectsOf", "targetNode")

_VALUE_TESTS: dict[str, tuple[str, Callable[[str], str]]] = {
    # parameter: (component, SPARQL condition on ?V that marks a violation, given the parameter)
    "nodeKind": ("NodeKind", lambda k: _NODE_KINDS[k]),
    "minLength": ("MinLength", lambda n: f"isBlank(?V) || STRLEN(STR(?V)) < {n}"),
    "maxLength": ("MaxLength", lambda n: f"isBlank(?V) || STRLEN(STR(?V)) > {n}"),
    "minInclusive": ("MinInclusive", lambda x: f"!COALESCE(?V >= {x}, false)"),
    "maxInclusive": ("MaxInclusive", lambda x: f"!COALESCE(?V <= {x}, false)"),
    "minExclusive": ("MinExclusive", lambda x: f"!COALESCE(?V > {x}, false)"),
    "maxExclusive": ("MaxExclusive", lambda x: f"!COALESCE(?V < {x}, false)"),
}


_XSD = "http://www.w3.org/2001/XMLSchema#"
_CASTABLE = {f"{_XSD}{t}" for t in ("integer", "decimal", "double", "float", "boolean", "date", "dateTime")}


class _Compiler:
    def __init__(self, graph: _Graph, store: Queryable | pyoxigraph.Store | None) -> None:
        self.g = graph
        self.store = store
        self._fresh = 0
        self._subclasses: dict[str, list[str]] = {}
        self._target_classes: tuple[str, ...] | None = None

    # ---- shapes -------------------------------------------------------------------------
    def shape_checks(self, shape: object) -> list[Check]:
        name = _local(shape)
        targets = [f"{{ {self._instance('?this', c)} }}" for c in self.g.objects(shape, f"{SH}targetClass")]
        targets += [f"{{ ?this {_sparql(p)} [] }}" for p in self.g.objects(shape, f"{SH}targetSubjectsOf")]
        targets += [f"{{ [] {_sparql(p)} ?this }}" for p in self.g.objects(shape, f"{SH}targetObjectsOf")]
        targets += [f"{{ VALUES ?this {{ {_sparql(n)} }} }}" for n in self.g.objects(shape, f"{SH}targetNode")]
        target = " UNION ".join(targets)
        classes = self.g.objects(shape, f"{SH}targetClass")
        self._target_classes = None
        if self.store is not None and len(targets) == 1 and len(classes) == 1:
            self._target_classes = self._classes(classes[0])
        if len(targets) > 1:
            target = f"{{ SELECT DISTINCT ?this WHERE {{ {target} }} }}"
        checks: list[Check] = []
        for prop in self.g.objects(shape, f"{SH}property"):
            checks.extend(self._property_checks(name, target, prop))
        for param, value in self._constraints(shape):
            checks.append(self._node_check(name, target, param, value))
        return checks

    def _constraints(self, shape: object) -> list[tuple[str, object]]:
        out: list[tuple[str, object]] = []
        for pred, values in self.g.index.get(shape, {}).items():
            if pred in _NOT_CONSTRAINTS:
                continue
            if not pred.startswith(SH):
                raise ConfigError(f"shapes: {_local(shape)}: unknown shape predicate <{pred}>")
            out.extend((pred[len(SH) :], v) for v in values)
        return sorted(out, key=lambda pv: (pv[0], str(pv[1])))

    def _property_checks(self, shape: str, target: str, prop: object) -> list[Check]:
        path_node = self.g.one(prop, f"{SH}path")
        if path_node is None:
            raise ConfigError(f"shapes: {shape}: a property shape without sh:path")
        path = self._path(path_node)
        checks = []
        for param, value in self._constraints(prop):
            component = _component(param)
            plan = self._plan(path_node, param, value)
            if param in ("minCount", "maxCount"):
                n = int(_literal(value))
                query = self._count_query(target, path, param, n)
                checks.append(Check(shape, component, path, query, f"{param} {n}", plan))
                continue
            pattern = self._value_violation("?this", path, "?value", param, value)
            sparql = f"SELECT DISTINCT ?this ?value WHERE {{ {target} {pattern} }}"
            if param == "hasValue":
                sparql = f"SELECT DISTINCT ?this WHERE {{ {target} {pattern} }}"
            checks.append(Check(shape, component, path, sparql, f"{param} {self._show(value)}", plan))
        return checks

    def _count_query(self, target: str, path: str, param: str, n: int) -> str:
        if param == "minCount" and n == 1:
            return f"SELECT DISTINCT ?this WHERE {{ {target} FILTER NOT EXISTS {{ ?this {path} ?value }} }}"
        if param == "minCount":
            return (
                f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value }} }}"
                f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})"
            )
        group = f" GROUP BY ?this HAVING (COUNT(DISTINCT ?value) > {n})"
        return f"SELECT ?this WHERE {{ {target} ?this {path} ?value }}" + group

    def _node_check(self, shape: str, target: str, param: str, value: object) -> Check:
        """A constraint on the focus node itself (sh:or, sh:xone, sh:class, ...)."""
        pattern = self._node_violation("?this", param, value)
        sparql = f"SELECT DISTINCT ?this WHERE {{ {target} {pattern} }}"
        return Check(shape, _component(param), "", sparql, param, self._plan(None, param, value))

    def _plan(self, path: object, param: str, value: object) -> _Plan | None:
        """How to make the check in Python on scans, or None (then its SELECT runs)."""
        if self._target_classes is None or not (path is None or isinstance(path, NamedNode)):
            return None
        predicate = path.value if isinstance(path, NamedNode) else None
        arg: object
        if predicate is None:
            if param not in ("xone", "or"):
                return None
            members = [self._class_only(m) for m in self.g.items(value)]
            if any(m is None for m in members):
                return None
            arg = tuple(members)
        elif param in ("minCount", "maxCount", "minLength", "maxLength"):
            if not isinstance(value, Literal) or value.datatype.value != f"{_XSD}integer":
                return None
            arg = int(value.value)
        elif param == "class":
            if not isinstance(value, NamedNode):
                return None
            arg = self._classes(value)
        elif param == "in":
            arg = frozenset(self.g.items(value))
        elif param == "nodeKind":
            if str(value) not in _NODE_KINDS:
                return None
            arg = _KIND_TYPES[str(value)]
        elif param == "datatype" and isinstance(value, NamedNode):
            arg = value.value
        elif param in _RANGES:
            if not isinstance(value, Literal) or value.datatype.value != f"{_XSD}integer":
                return None
            if not _SURELY_VALID[f"{_XSD}integer"].fullmatch(value.value):
                return None
            arg = int(value.value)
        else:
            return None
        return _Plan(self._target_classes, predicate, param, arg)

    def _class_only(self, shape: object) -> tuple[str, ...] | None:
        """The classes (with subclasses) of a nested shape that is only ``[ sh:class C ]``."""
        if self.g.one(shape, f"{SH}path") is not None or self.g.objects(shape, f"{SH}property"):
            return None
        found = self._constraints(shape)
        if len(found) != 1 or found[0][0] != "class" or not isinstance(found[0][1], NamedNode):
            return None
        return self._classes(found[0][1])

    def _classes(self, cls: object) -> tuple[str, ...]:
        """``cls`` and its subclasses in the store, sorted."""
        if not isinstance(cls, NamedNode):
            raise ConfigError(f"shapes: a class must be an IRI, not {cls}")
        self._instance("?x", cls)
        return tuple(self._subclasses[cls.value])

    # ---- violation patterns (a group pattern that has solutions iff the constraint fails) --
    def _value_violation(self, focus: str, path: str, var: str, param: str, value: object) -> str:
        """A pattern binding ``var`` to each value of ``focus`` along ``path`` that fails."""
        each = f"{focus} {path} {var} ."
        if param == "hasValue":
            return f"FILTER NOT EXISTS {{ {focus} {path} {_sparql(value)} }}"
        if param == "uniqueLang":
            if _literal(value) != "true":
                return "FILTER(false)"
            other = self._var()
            return (
                f"{each} {focus} {path} {other} ."
                f" FILTER(LANG({var}) != '' && LANGMATCHES(LANG({var}), LANG({other})) && !sameTerm({var}, {other}))"
            )
        if param in ("lessThan", "lessThanOrEquals", "equals", "disjoint"):
            other = self._var()
            op = {"lessThan": "<", "lessThanOrEquals": "<="}.get(param)
            if op:
                return f"{each} {focus} {_sparql(value)} {other} . FILTER(!COALESCE({var} {op} {other}, false))"
            if param == "disjoint":
                return f"{each} FILTER EXISTS {{ {focus} {_sparql(value)} {var} }}"
            raise ConfigError("shapes: sh:equals is not supported by the compiled engine; use --engine pyshacl")
        return f"{each} {self._term_violation(var, param, value)}"

    def _term_violation(self, var: str, param: str, value: object) -> str:
        """A FILTER (or NOT EXISTS) that keeps ``var`` when it fails the value constraint."""
        if param in _VALUE_TESTS:
            _, cond = _VALUE_TESTS[param]
            return f"FILTER({cond(_sparql(value)).replace('?V', var)})"
        if param == "datatype":
            dt = value.value if isinstance(value, NamedNode) else ""
            test = f"!isLiteral({var}) || DATATYPE({var}) != <{dt}>"
            if dt in _CASTABLE:
                test += f" || !COALESCE(<{dt}>(STR({var})) = {var}, false)"
            return f"FILTER({test})"
        if param == "class":
            return f"FILTER NOT EXISTS {{ {self._instance(var, value)} }}"
        if param == "in":
            members = self.g.items(value)
            same = " || ".join(f"sameTerm({var}, {_sparql(m)})" for m in members) or "false"
            return f"FILTER(!({same}))"
        if param == "pattern":
            flags = ""
            return f"FILTER(isBlank({var}) || !REGEX(STR({var}), {_sparql(value)}{flags}))"
        if param in ("or", "and", "xone", "not", "node"):
            return self._node_violation(var, param, value)
        raise ConfigError(f"shapes: sh:{param} is not supported by the compiled engine; use --engine pyshacl")

    def _node_violation(self, node: str, param: str, value: object) -> str:
        """A pattern that has a solution iff ``node`` fails the node-level constraint."""
        if param == "or":
            alts = [self._conforms(node, s) for s in self.g.items(value)]
            return f"FILTER(!({' || '.join(alts) or 'false'}))"
        if param == "and":
            alts = [self._conforms(node, s) for s in self.g.items(value)]
            return f"FILTER(!({' && '.join(alts) or 'true'}))"
        if param == "xone":
            count = " + ".join(f"IF({self._conforms(node, s)}, 1, 0)" for s in self.g.items(value)) or "0"
            return f"FILTER(({count}) != 1)"
        if param == "not":
            return f"FILTER({self._conforms(node, value)})"
        if param == "node":
            return f"FILTER(!{self._conforms(node, value)})"
        return self._term_violation(node, param, value)

    def _conforms(self, node: str, shape: object) -> str:
        """A SPARQL boolean: ``node`` conforms to the (nested) ``shape``."""
        failures: list[str] = []
        path_node = self.g.one(shape, f"{SH}path")
        if path_node is not None:  # a property shape
            path = self._path(path_node)
            for param, value in self._constraints(shape):
                var = self._var()
                if param in ("minCount", "maxCount"):
                    n = int(_literal(value))
                    if param == "minCount" and n == 1:
                        failures.append(f"FILTER NOT EXISTS {{ {node} {path} {var} }}")
                    elif param == "maxCount" and n == 0:
                        failures.append(f"{node} {path} {var} .")
                    else:
                        raise ConfigError(f"shapes: nested sh:{param} {n} is not supported by the compiled engine")
                else:
                    failures.append(self._value_violation(node, path, var, param, value))
        else:
            for param, value in self._constraints(shape):
                failures.append(self._node_violation(node, param, value))
        for prop in self.g.objects(shape, f"{SH}property"):
            failures.append(f"FILTER(!{self._conforms(node, prop)})")
        if not failures:
            return "true"
        return "NOT EXISTS { " + " UNION ".join(f"{{ {f} }}" for f in failures) + " }"

    # ---- terms ----------------------------------------------------------------------------
    def _instance(self, var: str, cls: object) -> str:
        """``var`` is an instance of ``cls`` (rdf:type/rdfs:subClassOf*)."""
        if not isinstance(cls, NamedNode):
            raise ConfigError(f"shapes: a class must be an IRI, not {cls}")
        if self.store is None:
            return f"{var} {_TYPE}/<{RDFS}subClassOf>* {_sparql(cls)} ."
        if cls.value not in self._subclasses:
            rows = select_all(self.store, f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS}subClassOf>* <{cls.value}> }}")
            found = {r["c"].value for r in rows if isinstance(r["c"], NamedNode)} | {cls.value}
            self._subclasses[cls.value] = sorted(found)
        classes = self._subclasses[cls.value]
        if len(classes) == 1:
            return f"{var} {_TYPE} <{classes[0]}> ."
        t = self._var()
        return f"VALUES {t} {{ {' '.join(f'<{c}>' for c in classes)} }} {var} {_TYPE} {t} ."

    def _path(self, node: object) -> str:
        if isinstance(node, NamedNode):
            return f"<{node.value}>"
        if self.g.one(node, f"{RDF}first") is not None:
            return "(" + "/".join(self._path(p) for p in self.g.items(node)) + ")"
        for pred, fmt in (
            ("inversePath", "^{}"),
            ("zeroOrMorePath", "{}*"),
            ("oneOrMorePath", "{}+"),
            ("zeroOrOnePath", "{}?"),
        ):
            inner = self.g.one(node, f"{SH}{pred}")
            if inner is not None:
                return "(" + fmt.format(self._path(inner)) + ")"
        alt = self.g.one(node, f"{SH}alternativePath")
        if alt is not None:
            return "(" + "|".join(self._path(p) for p in self.g.items(alt)) + ")"
        raise ConfigError(f"shapes: cannot read the path {node}")

    def _show(self, value: object) -> str:
        if isinstance(value, BlankNode):
            return "(" + " ".join(_sparql(m) for m in self.g.items(value)) + ")"
        return _sparql(value)

    def _var(self) -> str:
        self._fresh += 1
        return f"?_v{self._fresh}"


def _component(param: str) -> str:
    return param[0].upper() + param[1:] + "ConstraintComponent"


def _local(term: object) -> str:
    if isinstance(term, NamedNode):
        return term.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return str(term)


def _literal(term: object) -> str:
    if not isinstance(term, Literal):
        raise ConfigError(f"shapes: expected a literal, got {term}")
    return term.value


def _sparql(term: object) -> str:
    if isinstance(term, NamedNode | Literal):
        return str(term)
    if isinstance(term, BlankNode):
        raise ConfigError(f"shapes: a blank node {term} where a term is expected")
    return str(term)


# ---- checks made in Python on single-pattern scans ---------------------------------------
_KIND_TYPES: dict[str, tuple[type, ...]] = {
    f"<{SH}IRI>": (NamedNode,),
    f"<{SH}BlankNode>": (BlankNode,),
    f"<{SH}Literal>": (Literal,),
    f"<{SH}BlankNodeOrIRI>": (BlankNode, NamedNode),
    f"<{SH}BlankNodeOrLiteral>": (BlankNode, Literal),
    f"<{SH}IRIOrLiteral>": (NamedNode, Literal),
}

# Lexical forms whose cast to the datatype surely gives back an equal literal; any other
# literal of a castable datatype is left to the store's own cast (one query for all of them).
_SURELY_VALID = {
    f"{_XSD}integer": re.compile(r"0|-?[1-9][0-9]{0,17}"),
    f"{_XSD}boolean": re.compile(r"true|false"),
}


_RANGES: dict[str, Callable[[int, int], bool]] = {
    # parameter: the test an integer value passes (the compiled FILTER's opposite)
    "minInclusive": lambda v, x: v >= x,
    "maxInclusive": lambda v, x: v <= x,
    "minExclusive": lambda v, x: v > x,
    "maxExclusive": lambda v, x: v < x,
}


@dataclass(frozen=True)
class _Plan:
    """A check made in Python: focus nodes are instances of ``targets``; values are the
    objects of ``predicate`` (None for a node constraint); ``arg`` is the parameter read."""

    targets: tuple[str, ...]
    predicate: str | None
    param: str
    arg: object


class _Scans:
    """The instances of classes and the values of predicates, each read once by one pattern."""

    def __init__(self, store: Queryable | pyoxigraph.Store) -> None:
        self.store = store
        self._instances: dict[tuple[str, ...], set[object]] = {}
        self._values: dict[str, dict[object, set[object]]] = {}

    def instances(self, classes: tuple[str, ...]) -> set[object]:
        if classes not in self._instances:
            kinds = " ".join(f"<{c}>" for c in classes)
            rows = select_all(self.store, f"SELECT ?x WHERE {{ VALUES ?t {{ {kinds} }} ?x {_TYPE} ?t }}")
            self._instances[classes] = {r[0] for r in rows}
        return self._instances[classes]

    def counts(self, predicate: str) -> dict[object, int]:
        """Per subject, its distinct objects of ``predicate`` (from :meth:`values` if they were read)."""
        if predicate in self._values:
            return {s: len(objects) for s, objects in self._values[predicate].items()}
        # grouped by the store (distinct objects, as the sets of :meth:`values`): one row a subject
        query = f"SELECT ?s (COUNT(DISTINCT ?o) AS ?n) WHERE {{ ?s <{predicate}> ?o }} GROUP BY ?s"
        return {r[0]: int(r[1].value) for r in select_all(self.store, query)}

    def drop(self, predicate: str) -> None:
        """Forget the values of ``predicate`` read so far."""
        self._values.pop(predicate, None)

    def values(self, predicate: str) -> dict[object, set[object]]:
        if predicate not in self._values:
            found: dict[object, set[object]] = {}
            get = found.get
            # positional access and no setdefault: ~30% less CPU a row than r["s"] (the scans are most
            # of a national check)
            for r in select_all(self.store, f"SELECT ?s ?o WHERE {{ ?s <{predicate}> ?o }}"):
                subject = r[0]
                objects = get(subject)
                if objects is None:
                    found[subject] = {r[1]}
                else:
                    objects.add(r[1])
            self._values[predicate] = found
        return self._values[predicate]

    def cast_fails(self, datatype: str, literals: set[Literal]) -> set[object]:
        """The literals whose cast to ``datatype`` is not equal to them (the compiled test)."""
        if not literals:
            return set()
        listed = " ".join(str(v) for v in literals)
        test = f"!COALESCE(<{datatype}>(STR(?v)) = ?v, false)"
        return self.failing(listed, test)

    def failing(self, listed: str, test: str) -> set[object]:
        """The terms of ``listed`` (SPARQL VALUES syntax) that pass the FILTER ``test`` on ``?v``."""
        query = f"SELECT ?v WHERE {{ VALUES ?v {{ {listed} }} FILTER({test}) }}"
        return {r[0] for r in select_all(self.store, query)}


_COUNTS = ("minCount", "maxCount")


def _planned(
    scans: _Scans, check: Check, limit: int | None, valued: AbstractSet[str | None] | None = None
) -> list[Violation]:
    """The violations of a planned check: the same as its SELECT gives. A count check of a predicate
    not in ``valued`` (no other check of the shape reads its values) reads counts, not values."""
    plan = check.plan
    assert plan is not None
    focus = scans.instances(plan.targets)
    where = check.path or "(node)"
    bad: list[tuple[object, object | None]] = []
    if plan.predicate is None:
        member_sets = [scans.instances(_as_classes(m)) for m in _as_tuple(plan.arg)]
        for node in focus:
            n = sum(node in m for m in member_sets)
            if (plan.param == "xone" and n != 1) or (plan.param == "or" and n == 0):
                bad.append((node, None))
    elif plan.param in _COUNTS:
        if valued is None or plan.predicate in valued:
            read = scans.values(plan.predicate)
            counts = {node: len(read[node]) for node in focus if node in read}
        else:
            counts = scans.counts(plan.predicate)
        n = _as_int(plan.arg)
        for node in focus:
            got = counts.get(node, 0)
            if (plan.param == "minCount" and got < n) or (plan.param == "maxCount" and got > n):
                bad.append((node, None))
    else:
        values = scans.values(plan.predicate)
        empty: set[object] = set()
        pairs = [(node, v) for node in focus for v in values.get(node, empty)]
        bad = [(node, v) for node, v in pairs if _fails(plan, v)]
        if plan.param == "datatype":
            unsure = {v for _, v in pairs if isinstance(v, Literal) and _unsure(plan, v)}
            failed = scans.cast_fails(str(plan.arg), unsure)
            bad += [(node, v) for node, v in pairs if v in failed]
        if plan.param in _RANGES:
            # integers in a plain form are compared here; the store compares any other term
            odd = {v for _, v in pairs if not isinstance(v, BlankNode) and _as_int_value(v) is None}
            cond = _VALUE_TESTS[plan.param][1](str(plan.arg)).replace("?V", "?v")
            failed = scans.failing(" ".join(str(v) for v in odd), cond) if odd else set()
            bad = [(node, v) for node, v in pairs if v in failed or _range_fails(plan, v)]
        if plan.param == "class":
            members = scans.instances(_as_classes(plan.arg))
            bad = [(node, v) for node, v in pairs if v not in members]
    out = sorted(
        {
            Violation(
                _node(node),
                check.path,
                check.component,
                f"{check.shape} {where}: {check.detail}" + (f" (value {v})" if v is not None else ""),
            )
            for node, v in bad
        }
    )
    return out if limit is None else out[:limit]


def _fails(plan: _Plan, v: object) -> bool:
    """``v`` fails the value constraint (for datatype: surely fails; class is made apart)."""
    if plan.param == "in":
        return v not in _as_set(plan.arg)
    if plan.param == "nodeKind":
        return not isinstance(v, _as_types(plan.arg))
    if plan.param in ("minLength", "maxLength"):
        if isinstance(v, BlankNode):
            return True
        size = len(v.value) if isinstance(v, NamedNode | Literal) else 0
        return size < _as_int(plan.arg) if plan.param == "minLength" else size > _as_int(plan.arg)
    if plan.param == "datatype":
        return not isinstance(v, Literal) or v.datatype.value != plan.arg
    return False


def _as_int_value(v: object) -> int | None:
    """The value of an xsd:integer literal in a plain form, else None."""
    if not isinstance(v, Literal) or v.datatype.value != f"{_XSD}integer":
        return None
    if _SURELY_VALID[f"{_XSD}integer"].fullmatch(v.value) is None:
        return None
    return int(v.value)


def _range_fails(plan: _Plan, v: object) -> bool:
    """A blank node, or a plain integer out of the range (other terms are judged by the store)."""
    if isinstance(v, BlankNode):
        return True
    n = _as_int_value(v)
    return n is not None and not _RANGES[plan.param](n, _as_int(plan.arg))


def _unsure(plan: _Plan, v: Literal) -> bool:
    """A literal of the right datatype whose cast the store must judge."""
    dt = str(plan.arg)
    if v.datatype.value != dt or dt not in _CASTABLE:
        return False
    sure = _SURELY_VALID.get(dt)
    return sure is None or sure.fullmatch(v.value) is None


def _as_int(arg: object) -> int:
    assert isinstance(arg, int)
    return arg


def _as_classes(arg: object) -> tuple[str, ...]:
    assert isinstance(arg, tuple)
    return arg


def _as_tuple(arg: object) -> tuple[object, ...]:
    assert isinstance(arg, tuple)
    return arg


def _as_set(arg: object) -> frozenset[object]:
    assert isinstance(arg, frozenset)
    return arg


def _as_types(arg: object) -> tuple[type, ...]:
    assert isinstance(arg, tuple)
    return arg
