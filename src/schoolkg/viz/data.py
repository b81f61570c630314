"""Read the store into plain networkx graphs, one per view (the pages only draw them).

Every node carries ``label`` (shown), ``kind`` (node type), ``info`` (plain text shown on hover
and click) and, where it applies, ``theme``, ``polarity`` and ``size``; every edge carries
``label``, ``info`` and, where it applies, ``polarity``, ``weight``, ``quote`` and ``source``.
All text is plain: the page escapes it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable
from itertools import combinations

import networkx as nx
import pyoxigraph

from schoolkg import iris
from schoolkg.errors import ConfigError, QueryError
from schoolkg.store.table import to_table
from schoolkg.vocab import SKG_NS, SPARQL_PREFIXES

__all__ = [
    "ANALYSIS_GRAPH",
    "VIEWS",
    "build_view",
    "cooccurrence_graph",
    "ego_graph",
    "evidence_graph",
    "programmes_graph",
    "query_graph",
    "register",
]

ANALYSIS_GRAPH = iris.GRAPH_ANALYSIS
_LABEL = "COALESCE(?pl, ?nm, ?rl, ?ti, STR({v}))"
_LABEL_OPT = """OPTIONAL {{ {v} skos:prefLabel ?pl }} OPTIONAL {{ {v} schema:name ?nm }}
OPTIONAL {{ {v} rdfs:label ?rl }} OPTIONAL {{ {v} dcterms:title ?ti }}"""

ViewFn = Callable[..., nx.Graph]
VIEWS: dict[str, ViewFn] = {}


def register(name: str) -> Callable[[ViewFn], ViewFn]:
    """Add a view function to :data:`VIEWS` under ``name`` (the CLI lists these)."""

    def add(fn: ViewFn) -> ViewFn:
        VIEWS[name] = fn
        return fn

    return add


def build_view(name: str, store: object, **options: object) -> nx.Graph:
    """Return the graph of view ``name``; ``options`` are passed to the view function."""
    if name not in VIEWS:
        raise ConfigError(f"unknown view {name!r}; known: {', '.join(sorted(VIEWS))}")
    return VIEWS[name](store, **options)


def _select(store: object, body: str) -> list[dict[str, object]]:
    table = to_table(store.query(SPARQL_PREFIXES + body))  # type: ignore[attr-defined]
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def _short(iri: str) -> str:
    """The last segment of an IRI.

    >>> _short("https://w3id.org/schoolkg/id/school/123456")
    '123456'
    """
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


def _polarity(counts: Counter) -> str:
    """'strength', 'weakness' or 'mixed' from counts of each.

    >>> _polarity(Counter(strength=3, weakness=1)), _polarity(Counter(strength=1, weakness=1))
    ('strength', 'mixed')
    """
    s, w = counts.get("strength", 0), counts.get("weakness", 0)
    if s and w and max(s, w) < 2 * min(s, w):
        return "mixed"
    return "strength" if s >= w else "weakness"


def _practices(store: object) -> dict[str, dict[str, str]]:
    rows = _select(
        store,
        """SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?tl) AS ?theme) (SAMPLE(?d) AS ?def) WHERE {
          ?c a skos:Concept ; skos:prefLabel ?l ; skos:broader ?t . ?t skos:prefLabel ?tl .
          OPTIONAL { ?c skos:definition ?d } } GROUP BY ?c""",
    )
    return {str(r["c"]): {"label": str(r["label"]), "theme": str(r["theme"]), "def": str(r["def"] or "")} for r in rows}


def _findings(store: object, where: str = "") -> list[dict[str, object]]:
    """Every finding: subject, practice, polarity, quote, source document and its title."""
    return _select(
        store,
        f"""SELECT ?f ?s ?c ?pol ?quote ?doc ?section ?start (SAMPLE(?dt) AS ?doctitle) WHERE {{
          ?f a skg:Finding ; skg:about ?s ; skg:practice ?c ; skg:source ?doc .
          OPTIONAL {{ ?f skg:polarity ?pol }} OPTIONAL {{ ?f skg:quote ?quote }}
          OPTIONAL {{ ?f skg:section ?section }} OPTIONAL {{ ?f skg:startOffset ?start }}
          OPTIONAL {{ ?doc dcterms:title ?dt }} {where}
        }} GROUP BY ?f ?s ?c ?pol ?quote ?doc ?section ?start ORDER BY ?f""",
    )


def _labels(store: object, iris: set[str]) -> dict[str, tuple[str, str]]:
    """Label and kind (local name of its most specific schoolkg class) of each IRI."""
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = _select(
        store,
        f"""SELECT ?x (SAMPLE({_LABEL.format(v="?x")}) AS ?label) (SAMPLE(?t) AS ?type) WHERE {{
          VALUES ?x {{ {values} }} {_LABEL_OPT.format(v="?x")}
          OPTIONAL {{ ?x a ?t FILTER(STRSTARTS(STR(?t), "{SKG_NS}")) }} }} GROUP BY ?x""",
    )
    return {str(r["x"]): (str(r["label"]), _kind(r["type"])) for r in rows}


def _kind(type_iri: object) -> str:
    """Node type from a schoolkg class IRI.

    >>> _kind("https://w3id.org/schoolkg/ontology#LocalAuthority"), _kind(None)
    ('local authority', 'resource')
    """
    if not type_iri:
        return "resource"
    name = _short(str(type_iri))
    if name in ("PracticeFinding", "OutcomeFinding", "Recommendation"):
        return "finding"  # a finding's kind class (issue 14) draws as a finding
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def _source_text(row: dict[str, object]) -> str:
    title = row.get("doctitle") or _short(str(row["doc"]))
    where = f", {row['section']}" if row.get("section") else ""
    at = f", offset {row['start']}" if row.get("start") is not None else ""
    return f"{title}{where}{at}"


@register("programmes")
def programmes_graph(store: object) -> nx.DiGraph:
    """Programmes → strands → practices (by polarity of their findings) → outcomes.

    A practice hangs off a programme when a finding is about the programme (or strand) or about
    one of its participants.
    Outcomes are judgements and observations about the programme's participants, and
    group-level observations whose comparison group names the programme (not "non-...").
    """
    g = nx.DiGraph()
    practices = _practices(store)
    progs = _select(
        store,
        """SELECT ?p (SAMPLE(?l) AS ?label) (GROUP_CONCAT(DISTINCT ?a; separator="|") AS ?alts)
           (SAMPLE(?parent) AS ?of) (COUNT(?st) AS ?strand) WHERE {
          ?p a ?type . VALUES ?type { skg:Programme skg:Strand } OPTIONAL { ?p rdfs:label ?l }
          OPTIONAL { ?p skos:altLabel ?a } OPTIONAL { ?p skg:strandOf ?parent }
          OPTIONAL { ?p a ?st FILTER(?st = skg:Strand) } } GROUP BY ?p ORDER BY ?p""",
    )
    names: dict[str, list[str]] = {}
    for r in progs:
        p = str(r["p"])
        kind = "strand" if r["strand"] or r["of"] else "programme"
        label = str(r["label"] or _short(p))
        g.add_node(p, label=label, kind=kind, info=f"{kind}: {label}")
        names[p] = [label, *[a for a in str(r["alts"] or "").split("|") if a]]
        if r["of"]:
            g.add_edge(str(r["of"]), p, label="strand", info=f"{label} is a strand of {_short(str(r['of']))}")
    per_edge: dict[tuple[str, str], Counter] = defaultdict(Counter)
    per_practice: dict[str, Counter] = defaultdict(Counter)
    for f in _findings(store, "?s a ?st . VALUES ?st { skg:Programme skg:Strand }"):
        pol = _short(str(f["pol"] or "strength"))
        per_edge[(str(f["s"]), str(f["c"]))][pol] += 1
        per_practice[str(f["c"])][pol] += 1
    for r in _select(
        store,
        f"""SELECT ?prog ?c ?pol (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          {_PARTICIPANTS} ?f skg:about ?who . ?f a skg:Finding ; skg:practice ?c . OPTIONAL {{ ?f skg:polarity ?pol }}
        }} GROUP BY ?prog ?c ?pol""",
    ):  # findings about the programme's participants (schools, LAs)
        pol = _short(str(r["pol"] or "strength"))
        per_edge[(str(r["prog"]), str(r["c"]))][pol] += int(r["n"])  # type: ignore[call-overload]
        per_practice[str(r["c"])][pol] += int(r["n"])  # type: ignore[call-overload]
    for c, counts in per_practice.items():
        meta = practices.get(c, {"label": _short(c), "theme": "", "def": ""})
        g.add_node(
            c,
            label=meta["label"],
            kind="practice",
            theme=meta["theme"],
            polarity=_polarity(counts),
            size=sum(counts.values()),
            info=f"practice: {meta['label']}\ntheme: {meta['theme']}\n"
            f"strength findings: {counts['strength']}, weakness findings: {counts['weakness']}\n{meta['def']}",
        )
    for (s, c), counts in per_edge.items():
        if s in g:
            g.add_edge(
                s,
                c,
                label=f"{sum(counts.values())}",
                polarity=_polarity(counts),
                weight=sum(counts.values()),
                info=f"{g.nodes[s]['label']} → {g.nodes[c]['label']}: "
                f"{counts['strength']} strength, {counts['weakness']} weakness findings",
            )
    _add_outcomes(store, g, names)
    return g


_PARTICIPANTS = (
    "{ SELECT DISTINCT ?prog ?who WHERE { ?pa a skg:Participation ; skg:programme ?prog ; skg:participant ?who } }"
)


def _add_outcomes(store: object, g: nx.DiGraph, names: dict[str, list[str]]) -> None:
    """Outcome nodes, summarised per programme and measure (or judgement area and grade).

    The participants are read first in a sub-query: joining observations to them the other
    way round takes minutes on a graph with a national table in it.
    """
    outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in _select(
        store,
        f"""SELECT ?prog ?what (COUNT(?value) AS ?n) (AVG(?value) AS ?mean) (MIN(?value) AS ?lo)
               (MAX(?value) AS ?hi) (MIN(?period) AS ?first) (MAX(?period) AS ?last) WHERE {{
          {_PARTICIPANTS} ?o skg:about ?who . ?o a skg:Observation ; skg:measure ?m ; skg:value ?value .
          OPTIONAL {{ ?o skg:period ?period }} ?m rdfs:label ?what }} GROUP BY ?prog ?what ORDER BY ?what""",
    ):
        when = _span(r["first"], r["last"])
        outcomes[(str(r["prog"]), str(r["what"]))].append(
            f"{r['n']} observations of participants{when}: mean {_num(r['mean'])}, "
            f"range {_num(r['lo'])} to {_num(r['hi'])}"
        )
    for r in _select(
        store,
        f"""SELECT ?prog ?what ?grade (COUNT(?j) AS ?n) (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{
          {_PARTICIPANTS} ?j skg:about ?who . ?j a skg:Judgement ; skg:area ?a ; skg:grade ?gr .
          ?a rdfs:label ?what . ?gr rdfs:label ?grade . OPTIONAL {{ ?j dcterms:date ?date }}
        }} GROUP BY ?prog ?what ?grade ORDER BY ?what ?grade""",
    ):
        outcomes[(str(r["prog"]), str(r["what"]))].append(
            f"{r['grade']}: {r['n']} judgement(s) of participants{_span(r['first'], r['last'])}"
        )
    for r in _select(
        store,
        """SELECT ?group ?what ?value ?period WHERE {
          ?o skg:comparisonGroup ?group ; skg:measure ?m ; skg:value ?value . OPTIONAL { ?o skg:period ?period }
          OPTIONAL { ?m rdfs:label ?ml } BIND(COALESCE(?ml, STR(?m)) AS ?what) } ORDER BY ?what ?period""",
    ):
        group = str(r["group"])
        for p in (p for p, alts in names.items() if _names_group(group, alts)):
            period = f"{r['period']}: " if r["period"] else ""
            outcomes[(p, f"{r['what']} ({group})")].append(f"{period}{r['value']}")
    for (p, what), lines in outcomes.items():
        if p not in g:
            continue
        node = f"outcome:{what}"
        g.add_node(node, label=what, kind="outcome", info=f"outcome: {what}\n" + "\n".join(lines))
        g.add_edge(p, node, label="outcome", info=f"{g.nodes[p]['label']}: {what}\n" + "\n".join(lines))


def _num(x: object) -> str:
    """A number for people.

    >>> _num(1416263.42), _num(44.44), _num(0.12345)
    ('1,416,263', '44.4', '0.123')
    """
    v = float(x)  # type: ignore[arg-type]
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _span(first: object, last: object) -> str:
    """' (first to last)', ' (first)' or ''.

    >>> _span("2003", "2005"), _span("2003", "2003"), _span(None, None)
    (' (2003 to 2005)', ' (2003)', '')
    """
    if not first:
        return ""
    return f" ({first})" if first == last else f" ({first} to {last})"


def _names_group(group: str, names: list[str]) -> bool:
    """True when a comparison group names the programme (and is not its 'non-' complement).

    >>> _names_group("EiC partnership schools", ["Excellence in Cities", "EiC"])
    True
    >>> _names_group("non-EiC partnership schools", ["EiC"])
    False
    """
    low = group.lower()
    if low.startswith("non-") or low.startswith("non "):
        return False
    return any(re.search(rf"\b{re.escape(n.lower())}\b", low) for n in names if n)


@register("cooccurrence")
def cooccurrence_graph(store: object, *, basket: str = "subject", min_count: int = 2, seed: int = 1) -> nx.Graph:
    """Practices linked when found together; lift from the analysis graph when it is there.

    Without analysis results, two practices co-occur when findings of both share a subject
    (``basket="subject"``: the school, LA or programme they are about) or a source document
    (``basket="document"``); the edge weight is the number of such baskets, and pairs seen in
    fewer than ``min_count`` are dropped. Communities (Louvain, ``seed``) colour the nodes.
    """
    if basket not in ("subject", "document"):
        raise ConfigError(f"unknown basket {basket!r}; use subject or document")
    practices = _practices(store)
    freq: Counter = Counter()
    baskets: dict[str, set[str]] = defaultdict(set)
    for f in _findings(store):
        c = str(f["c"])
        freq[c] += 1
        baskets[str(f["s"] if basket == "subject" else f["doc"])].add(c)
    g = nx.Graph()
    for c, n in freq.items():
        meta = practices.get(c, {"label": _short(c), "theme": "", "def": ""})
        g.add_node(c, label=meta["label"], kind="practice", theme=meta["theme"], size=n, info="")
    lifts = _analysis_lifts(store)
    if lifts:
        for (a, b), (lift, count) in lifts.items():
            if a in g and b in g:
                g.add_edge(a, b, weight=lift, count=count, label="", measure="lift")
    else:
        counts = cooccurrence_counts(baskets.values())
        for (a, b), n in counts.items():
            if n >= min_count:
                g.add_edge(a, b, weight=n, count=n, label="", measure="count")
    communities = nx.community.louvain_communities(g, weight="weight", seed=seed) if g.number_of_edges() else []
    for i, members in enumerate(sorted(communities, key=lambda m: (-len(m), min(m)))):
        for c in members:
            g.nodes[c]["community"] = i
    for c, data in g.nodes(data=True):
        data.setdefault("community", -1)
        data["info"] = (
            f"practice: {data['label']}\ntheme: {data['theme']}\nfindings: {data['size']}\n"
            f"community: {data['community'] + 1}\nco-occurs with {g.degree(c)} practices"
        )
    for a, b, data in g.edges(data=True):
        data["info"] = f"{g.nodes[a]['label']} + {g.nodes[b]['label']}: {data['measure']} {data['weight']:g}"
    return g


def cooccurrence_counts(baskets: object) -> Counter:
    """Count each unordered pair of items sharing a basket.

    >>> sorted(cooccurrence_counts([{"a", "b", "c"}, {"a", "b"}]).items())
    [(('a', 'b'), 2), (('a', 'c'), 1), (('b', 'c'), 1)]
    """
    counts: Counter = Counter()
    for basket in baskets:  # type: ignore[attr-defined]
        counts.update(combinations(sorted(basket), 2))
    return counts


def _analysis_lifts(store: object) -> dict[tuple[str, str], tuple[float, float]]:
    """Pairs of practices with a lift in the analysis graph (``skg:Association`` with two exposures).

    The count is the number of subjects exposed to both (cells a + b of its 2x2 table); when the
    analysis ran more than once, the largest lift is kept.
    """
    rows = _select(
        store,
        f"""SELECT ?a ?b (MAX(?l) AS ?lift) (MAX(?n) AS ?count) WHERE {{
          GRAPH <{ANALYSIS_GRAPH}> {{ ?r a skg:Association ; skg:exposure ?a, ?b ; skg:lift ?l .
            OPTIONAL {{ ?r skg:exposedImprovedCount ?ei ; skg:exposedOtherCount ?eo BIND(?ei + ?eo AS ?n) }} }}
          FILTER(STR(?a) < STR(?b)) }} GROUP BY ?a ?b""",
    )
    return {(str(r["a"]), str(r["b"])): (float(r["lift"]), float(r["count"] or 0)) for r in rows}


@register("ego")
def ego_graph(store: object, *, subject: str | None = None) -> nx.DiGraph:
    """A school's or LA's neighbourhood: programmes, judgements over time, findings.

    ``subject`` is an IRI or a name (case-insensitive, exact or unique substring); by default
    the school or LA with the most findings.
    """
    iri = _resolve_subject(store, subject)
    info = _labels(store, {iri})
    label, kind = info.get(iri, (_short(iri), "resource"))
    g = nx.DiGraph(centre=label)
    g.add_node(iri, label=label, kind=kind, info=f"{kind}: {label}\n{iri}")
    for r in _select(
        store,
        f"""SELECT ?p (SAMPLE(?l) AS ?label) (SAMPLE(?ph) AS ?phase) (SAMPLE(?sd) AS ?start)
               (SAMPLE(?q) AS ?quote) (MAX(?der) AS ?derived) WHERE {{
          ?x a skg:Participation ; skg:participant <{iri}> ; skg:programme ?p .
          OPTIONAL {{ ?p rdfs:label ?l }} OPTIONAL {{ ?x skg:phase ?ph }} OPTIONAL {{ ?x skg:startDate ?sd }}
          OPTIONAL {{ ?x skg:quote ?q }} OPTIONAL {{ ?x skg:derived ?der }} }} GROUP BY ?p""",
    ):
        p, name = str(r["p"]), str(r["label"] or _short(str(r["p"])))
        g.add_node(p, label=name, kind="programme", info=f"programme: {name}")
        details = [f"phase {r['phase']}" if r["phase"] else "", f"from {r['start']}" if r["start"] else ""]
        extra = "; ".join(d for d in details if d)
        g.add_edge(
            iri,
            p,
            label="took part" + (" (derived)" if r["derived"] else ""),
            info=f"{label} took part in {name}"
            + (f" ({extra})" if extra else "")
            + (f"\n“{r['quote']}”" if r["quote"] else ""),
            quote=str(r["quote"] or ""),
        )
    previous = None
    for r in _select(
        store,
        f"""SELECT ?j ?date (SAMPLE(?al) AS ?area) (SAMPLE(?gl) AS ?grade) WHERE {{
          ?j a skg:Judgement ; skg:about <{iri}> ; skg:area ?a ; skg:grade ?gr .
          OPTIONAL {{ ?j dcterms:date ?date }} OPTIONAL {{ ?a rdfs:label ?al }} OPTIONAL {{ ?gr rdfs:label ?gl }}
        }} GROUP BY ?j ?date ORDER BY ?date ?j""",
    ):
        j = str(r["j"])
        text = f"{r['area'] or 'judgement'}: {r['grade'] or '?'}"
        g.add_node(
            j, label=f"{r['date'] or ''} {r['grade'] or ''}".strip(), kind="judgement", info=f"{text}\n{r['date']}"
        )
        g.add_edge(iri, j, label="judged", info=f"{text} ({r['date']})")
        if previous is not None:
            g.add_edge(previous, j, label="then", info="next judgement in time")
        previous = j
    for f in _findings(store, f"FILTER(?s = <{iri}>)"):
        _add_finding(g, f, iri, _practices_cache(store, g))
    return g


def _practices_cache(store: object, g: nx.Graph) -> dict[str, dict[str, str]]:
    if "practices" not in g.graph:
        g.graph["practices"] = _practices(store)
    return g.graph["practices"]


def _add_finding(g: nx.Graph, f: dict[str, object], parent: str, practices: dict[str, dict[str, str]]) -> None:
    fid, c = str(f["f"]), str(f["c"])
    pol = _short(str(f["pol"] or ""))
    meta = practices.get(c, {"label": _short(c), "theme": "", "def": ""})
    quote, source = str(f["quote"] or ""), _source_text(f)
    g.add_node(
        fid,
        label=f"{pol or 'finding'}: {meta['label']}",
        kind="finding",
        polarity=pol,
        theme=meta["theme"],
        info=f"{pol} finding: {meta['label']}\n“{quote}”\nsource: {source}",
    )
    g.add_edge(parent, fid, label="", info=f"“{quote}”\nsource: {source}", quote=quote, source=source, polarity=pol)
    if c not in g:
        g.add_node(c, label=meta["label"], kind="practice", theme=meta["theme"], info=f"practice: {meta['label']}")
    g.add_edge(fid, c, label="", info=f"“{quote}”\nsource: {source}", quote=quote, source=source, polarity=pol)


def _resolve_subject(store: object, subject: str | None) -> str:
    rows = _select(
        store,
        """SELECT ?s (SAMPLE(COALESCE(?nm, ?rl, STR(?s))) AS ?label) (COUNT(DISTINCT ?f) AS ?n) WHERE {
          ?s a ?t . VALUES ?t { skg:School skg:LocalAuthority }
          OPTIONAL { ?s schema:name ?nm } OPTIONAL { ?s rdfs:label ?rl } OPTIONAL { ?f skg:about ?s ; a skg:Finding }
        } GROUP BY ?s ORDER BY DESC(?n) ?s""",
    )
    if not rows:
        raise ConfigError("the graph holds no school or local authority for an ego view")
    if subject is None:
        return str(rows[0]["s"])
    if any(str(r["s"]) == subject for r in rows):
        return subject
    want = subject.casefold()
    exact = [r for r in rows if str(r["label"]).casefold() == want]
    hits = exact or [r for r in rows if want in str(r["label"]).casefold()]
    if len(hits) == 1:
        return str(hits[0]["s"])
    if not hits:
        raise ConfigError(f"no school or local authority named {subject!r}")
    names = ", ".join(sorted(str(r["label"]) for r in hits)[:5])
    raise ConfigError(f"{subject!r} names {len(hits)} schools or LAs ({names}, ...); give the IRI")


@register("evidence")
def evidence_graph(store: object) -> nx.DiGraph:
    """Documents → findings → practices; every edge carries the quote and its source."""
    g = nx.DiGraph()
    practices = _practices(store)
    for f in _findings(store):
        doc = str(f["doc"])
        if doc not in g:
            title = str(f["doctitle"] or _short(doc))
            g.add_node(doc, label=title, kind="document", info=f"document: {title}\n{doc}")
        _add_finding(g, f, doc, practices)
    return g


def query_graph(store: object, sparql: str) -> nx.MultiDiGraph:
    """The triples a CONSTRUCT (or DESCRIBE) query returns, as a graph of labelled resources."""
    results = store.query(sparql)  # type: ignore[attr-defined]
    if isinstance(results, pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean):
        raise QueryError("a --query view needs a CONSTRUCT or DESCRIBE query (this one is SELECT or ASK)")
    g = nx.MultiDiGraph()
    literals: dict[str, list[str]] = defaultdict(list)
    edges = []
    for t in results:
        s, p, o = t.subject, t.predicate, t.object
        if isinstance(o, pyoxigraph.Literal):
            literals[str(s.value)].append(f"{_short(p.value)}: {o.value}")
        else:
            edges.append((str(s.value), _short(p.value), str(o.value)))
        g.add_node(str(s.value))
    for s, p, o in edges:
        g.add_edge(s, o, label=p, info=f"{_short(s)} {p} {_short(o)}")
    names = _labels(store, {n for n in g if not n.startswith("_:") and "://" in n})
    for n, data in g.nodes(data=True):
        label, kind = names.get(n, (_short(n), "resource"))
        data.update(label=label, kind=kind, info="\n".join([f"{kind}: {label}", n, *literals.get(n, [])]))
    return g
