"""The ego view: one school's or LA's programmes, judgements over time and findings."""

from __future__ import annotations

import networkx as nx

from schoolkg.errors import ConfigError
from schoolkg.store.base import Store
from schoolkg.viz.read import add_finding, practices_cache, quoted, read_findings, read_labels, select_rows, short


def ego_graph(store: Store, *, subject: str | None = None) -> nx.DiGraph:
    """A school's or LA's neighbourhood: programmes, judgements over time, findings.

    ``subject`` is an IRI or a name (case-insensitive, exact or unique substring); by default
    the school or LA with the most findings.
    """
    iri = _resolve_subject(store, subject)
    info = read_labels(store, {iri})
    label, kind = info.get(iri, (short(iri), "resource"))
    g = nx.DiGraph(
        centre=label,
        layers={"programme": 0, "judgement": 0, "school": 1, "local authority": 1, "finding": 2, "practice": 3},
    )
    g.add_node(iri, label=label, kind=kind, info=f"{kind}: {label}\n{iri}")
    for r in select_rows(
        store,
        f"""SELECT ?p (SAMPLE(?l) AS ?label) (SAMPLE(?ph) AS ?phase) (SAMPLE(?sd) AS ?start)
               (SAMPLE(?q) AS ?quote) (MAX(?der) AS ?derived) WHERE {{
          ?x a skg:Participation ; skg:participant <{iri}> ; skg:programme ?p .
          OPTIONAL {{ ?p rdfs:label ?l }} OPTIONAL {{ ?x skg:phase ?ph }} OPTIONAL {{ ?x skg:startDate ?sd }}
          OPTIONAL {{ ?x skg:quote ?q }} OPTIONAL {{ ?x skg:derived ?der }} }} GROUP BY ?p""",
    ):
        p, name = str(r["p"]), str(r["label"] or short(str(r["p"])))
        g.add_node(p, label=name, kind="programme", info=f"programme: {name}")
        details = [f"phase {r['phase']}" if r["phase"] else "", f"from {r['start']}" if r["start"] else ""]
        extra = "; ".join(d for d in details if d)
        g.add_edge(
            iri,
            p,
            label="took part" + (" (derived)" if r["derived"] else ""),
            info=f"{label} took part in {name}"
            + (f" ({extra})" if extra else "")
            + (f"\n{quoted(str(r['quote']))}" if r["quote"] else ""),
            quote=str(r["quote"] or ""),
        )
    previous = None
    for r in select_rows(
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
    for f in read_findings(store, f"FILTER(?s = <{iri}>)"):
        add_finding(g, f, iri, practices_cache(store, g))
    return g


def _resolve_subject(store: Store, subject: str | None) -> str:
    rows = select_rows(
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
