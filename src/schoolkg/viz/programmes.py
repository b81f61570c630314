"""The programmes view: programmes -> strands -> practices -> outcomes."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

import networkx as nx

from schoolkg.store.base import Store
from schoolkg.viz.read import majority_polarity, read_findings, read_practices, select_rows, short


def programmes_graph(store: Store) -> nx.DiGraph:
    """Programmes → strands → practices (by polarity of their findings) → outcomes.

    A practice hangs off a programme when a finding is about the programme (or strand) or about
    one of its participants.
    Outcomes are judgements and observations about the programme's participants, and
    group-level observations whose comparison group names the programme (not "non-...").
    """
    g = nx.DiGraph(layers={"programme": 0, "strand": 1, "practice": 2, "outcome": 3})
    practices = read_practices(store)
    progs = select_rows(
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
        label = str(r["label"] or short(p))
        g.add_node(p, label=label, kind=kind, info=f"{kind}: {label}")
        names[p] = [label, *[a for a in str(r["alts"] or "").split("|") if a]]
        if r["of"]:
            g.add_edge(str(r["of"]), p, label="strand", info=f"{label} is a strand of {short(str(r['of']))}")
    per_edge: dict[tuple[str, str], Counter] = defaultdict(Counter)
    per_practice: dict[str, Counter] = defaultdict(Counter)
    for f in read_findings(store, "?s a ?st . VALUES ?st { skg:Programme skg:Strand }"):
        pol = short(str(f["pol"] or "strength"))
        per_edge[(str(f["s"]), str(f["c"]))][pol] += 1
        per_practice[str(f["c"])][pol] += 1
    for r in select_rows(
        store,
        f"""SELECT ?prog ?c ?pol (COUNT(DISTINCT ?f) AS ?n) WHERE {{
          {_PARTICIPANTS} ?f skg:about ?who . ?f a skg:Finding ; skg:practice ?c . OPTIONAL {{ ?f skg:polarity ?pol }}
        }} GROUP BY ?prog ?c ?pol""",
    ):  # findings about the programme's participants (schools, LAs)
        pol = short(str(r["pol"] or "strength"))
        per_edge[(str(r["prog"]), str(r["c"]))][pol] += int(r["n"])
        per_practice[str(r["c"])][pol] += int(r["n"])
    for c, counts in per_practice.items():
        meta = practices.get(c, {"label": short(c), "theme": "", "def": ""})
        g.add_node(
            c,
            label=meta["label"],
            kind="practice",
            theme=meta["theme"],
            polarity=majority_polarity(counts),
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
                polarity=majority_polarity(counts),
                weight=sum(counts.values()),
                info=f"{g.nodes[s]['label']} → {g.nodes[c]['label']}: "
                f"{counts['strength']} strength, {counts['weakness']} weakness findings",
            )
    _add_outcomes(store, g, names)
    return g


_PARTICIPANTS = (
    "{ SELECT DISTINCT ?prog ?who WHERE { ?pa a skg:Participation ; skg:programme ?prog ; skg:participant ?who } }"
)


def _add_outcomes(store: Store, g: nx.DiGraph, names: dict[str, list[str]]) -> None:
    """Outcome nodes, summarised per programme and measure (or judgement area and grade).

    The participants are read first in a sub-query: joining observations to them the other
    way round takes minutes on a graph with a national table in it.
    """
    outcomes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for r in select_rows(
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
    for r in select_rows(
        store,
        f"""SELECT ?prog ?what ?grade (COUNT(?j) AS ?n) (MIN(?date) AS ?first) (MAX(?date) AS ?last) WHERE {{
          {_PARTICIPANTS} ?j skg:about ?who . ?j a skg:Judgement ; skg:area ?a ; skg:grade ?gr .
          ?a rdfs:label ?what . ?gr rdfs:label ?grade . OPTIONAL {{ ?j dcterms:date ?date }}
        }} GROUP BY ?prog ?what ?grade ORDER BY ?what ?grade""",
    ):
        outcomes[(str(r["prog"]), str(r["what"]))].append(
            f"{r['grade']}: {r['n']} judgement(s) of participants{_span(r['first'], r['last'])}"
        )
    for r in select_rows(
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


def _num(x: float | int | str) -> str:
    """A number for people.

    >>> _num(1416263.42), _num(44.44), _num(0.12345)
    ('1,416,263', '44.4', '0.123')
    """
    v = float(x)
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
