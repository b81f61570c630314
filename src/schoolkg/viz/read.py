"""The shared reader of the views: SPARQL over the store into plain rows, labels and findings.

Every view module (programmes, cooccurrence, ego, evidence, query) reads the store only through
these functions; all text is plain (the page escapes it).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import networkx as nx

from schoolkg.iris import ID as SKG_ID
from schoolkg.store.base import Store
from schoolkg.store.table import to_table
from schoolkg.vocab import SKG_NS, SPARQL_PREFIXES

__all__ = [
    "add_finding",
    "kind_of",
    "majority_polarity",
    "practices_cache",
    "prefixed",
    "read_findings",
    "read_labels",
    "read_practices",
    "select_rows",
    "short",
    "snippet",
    "quoted",
    "read_feature_quotes",
    "source_text",
]

_LABEL_OPT = """OPTIONAL {{ {v} skos:prefLabel ?pl }} OPTIONAL {{ {v} schema:name ?nm }}
OPTIONAL {{ {v} rdfs:label ?rl }} OPTIONAL {{ {v} dcterms:title ?ti }}"""


def select_rows(store: Store, body: str) -> list[dict[str, Any]]:
    """The solutions of a SELECT ``body`` (prefixes added) as dicts of plain values (columns vary by query)."""
    table = to_table(store.query(SPARQL_PREFIXES + body))
    return [dict(zip(table.columns, row, strict=True)) for row in table.rows]


def short(iri: str) -> str:
    """The last segment of an IRI.

    >>> short("https://w3id.org/schoolkg/id/school/123456")
    '123456'
    """
    return re.split(r"[/#]", iri.rstrip("/"))[-1] or iri


def majority_polarity(counts: Counter) -> str:
    """'strength', 'weakness' or 'mixed' from counts of each.

    >>> majority_polarity(Counter(strength=3, weakness=1)), majority_polarity(Counter(strength=1, weakness=1))
    ('strength', 'mixed')
    """
    s, w = counts.get("strength", 0), counts.get("weakness", 0)
    if s and w and max(s, w) < 2 * min(s, w):
        return "mixed"
    return "strength" if s >= w else "weakness"


def read_practices(store: Store) -> dict[str, dict[str, str]]:
    rows = select_rows(
        store,
        """SELECT ?c (SAMPLE(?l) AS ?label) (SAMPLE(?tl) AS ?theme) (SAMPLE(?d) AS ?def) WHERE {
          ?c a skos:Concept ; skos:prefLabel ?l ; skos:broader ?t . ?t skos:prefLabel ?tl .
          OPTIONAL { ?c skos:definition ?d } } GROUP BY ?c""",
    )
    return {str(r["c"]): {"label": str(r["label"]), "theme": str(r["theme"]), "def": str(r["def"] or "")} for r in rows}


def read_findings(store: Store, where: str = "") -> list[dict[str, object]]:
    """Every finding: subject, practice, polarity, quote, source document and its title."""
    return select_rows(
        store,
        f"""SELECT ?f ?s ?c ?pol ?quote ?doc ?section ?start (SAMPLE(?dt) AS ?doctitle) WHERE {{
          ?f a skg:Finding ; skg:about ?s ; skg:practice ?c ; skg:source ?doc .
          OPTIONAL {{ ?f skg:polarity ?pol }} OPTIONAL {{ ?f skg:quote ?quote }}
          OPTIONAL {{ ?f skg:section ?section }} OPTIONAL {{ ?f skg:startOffset ?start }}
          OPTIONAL {{ ?doc dcterms:title ?dt }} {where}
        }} GROUP BY ?f ?s ?c ?pol ?quote ?doc ?section ?start ORDER BY ?f""",
    )


def read_labels(store: Store, iris: set[str]) -> dict[str, tuple[str, str]]:
    """Label and kind (local name of its most specific schoolkg class) of each IRI.

    The label is the first of skos:prefLabel, schema:name, rdfs:label and dcterms:title; a
    finding without one is named by its polarity and practice ("strength: learning mentors"),
    anything else by its prefixed name (:func:`prefixed`), never by its full IRI.
    """
    if not iris:
        return {}
    values = " ".join(f"<{i}>" for i in sorted(iris))
    rows = select_rows(
        store,
        f"""SELECT ?x (SAMPLE(?pl) AS ?pl1) (SAMPLE(?nm) AS ?nm1) (SAMPLE(?rl) AS ?rl1) (SAMPLE(?ti) AS ?ti1)
              (SAMPLE(?fp) AS ?practice) (SAMPLE(?fpol) AS ?polarity) (SAMPLE(?t) AS ?type)
              (SAMPLE(?concept) AS ?isconcept) WHERE {{
          VALUES ?x {{ {values} }} {_LABEL_OPT.format(v="?x")}
          OPTIONAL {{ ?x skg:practice/skos:prefLabel ?fp }} OPTIONAL {{ ?x skg:polarity ?fpol }}
          OPTIONAL {{ ?x a skos:Concept BIND(true AS ?concept) }}
          OPTIONAL {{ ?x a ?t FILTER(STRSTARTS(STR(?t), "{SKG_NS}")) }} }} GROUP BY ?x""",
    )
    out = {}
    for r in rows:
        x = str(r["x"])
        kind = kind_of(r["type"]) if r["type"] or not r["isconcept"] else "practice"
        label = r["pl1"] or r["nm1"] or r["rl1"] or r["ti1"]
        if not label and r["practice"]:
            label = f"{short(str(r['polarity'])) if r['polarity'] else 'finding'}: {r['practice']}"
        out[x] = (str(label or prefixed(x)), kind)
    return out


def prefixed(iri: str, width: int = 40) -> str:
    """A prefixed name for an IRI with no label (long local parts shortened in the middle).

    >>> prefixed("https://w3id.org/schoolkg/ontology#Finding"), prefixed("https://w3id.org/schoolkg/id/school/123")
    ('skg:Finding', 'id:school/123')
    >>> prefixed("http://example.org/a/b")
    'b'
    """
    for prefix, ns in _PREFIXES:
        if iri.startswith(ns) and len(iri) > len(ns):
            local = iri[len(ns) :]
            if len(local) > width:
                local = local[: width // 2 - 1] + "…" + local[-(width // 2) :]
            return f"{prefix}:{local}"
    return short(iri)


_PREFIXES = sorted(
    [
        *re.findall(r"PREFIX (\w*): <([^>]+)>", SPARQL_PREFIXES),
        ("id", SKG_ID),
    ],
    key=lambda p: -len(p[1]),
)


def kind_of(type_iri: object) -> str:
    """Node type from a schoolkg class IRI.

    >>> kind_of("https://w3id.org/schoolkg/ontology#LocalAuthority"), kind_of(None)
    ('local authority', 'resource')
    """
    if not type_iri:
        return "resource"
    name = short(str(type_iri))
    if name in ("PracticeFinding", "OutcomeFinding", "Recommendation"):
        return "finding"  # a finding's kind class (issue 14) draws as a finding
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name).lower()


def source_text(row: dict[str, object]) -> str:
    """Where a finding's quote is: document title, section (when it is not the title) and character offset.

    >>> source_text({"doc": "https://x/doc/1", "doctitle": "Ofsted Report, October 2009",
    ...              "section": "Ofsted Report, October 2009", "start": 1053})
    'Ofsted Report, October 2009 (character 1053)'
    >>> source_text({"doc": "https://x/doc/1", "doctitle": "Report", "section": "Leadership", "start": None})
    'Report, section “Leadership”'
    """
    title = str(row.get("doctitle") or short(str(row["doc"]))).strip()
    section = str(row.get("section") or "").strip()
    where = f", section “{section}”" if section and section.casefold() not in title.casefold() else ""
    at = f" (character {row['start']})" if row.get("start") is not None else ""
    return f"{title}{where}{at}"


def quoted(text: str) -> str:
    """``text`` in quotation marks, exactly as written: no mark is added where the text has its own.

    >>> quoted("Staff care."), quoted("pathways.”"), quoted("“We read.”")
    ('“Staff care.”', '“pathways.”', '“We read.”')
    """
    if not text:
        return ""
    opening = "" if text[0] in '“"' else "“"
    closing = "" if text[-1] in '”"' else "”"
    return f"{opening}{text}{closing}"


def snippet(text: str, words: int = 6) -> str:
    """The first ``words`` words of a quote, to label its finding (the whole quote is in its details).

    >>> snippet("Staff are passionate about finding ways of doing things better."), snippet("Short one.")
    ('“Staff are passionate about finding ways…”', '“Short one.”')
    """
    parts = text.strip().strip('“”"').split()
    if not parts:
        return ""
    return "“" + " ".join(parts[:words]) + ("…" if len(parts) > words else "") + "”"


def practices_cache(store: Store, g: nx.Graph) -> dict[str, dict[str, str]]:
    if "practices" not in g.graph:
        g.graph["practices"] = read_practices(store)
    return g.graph["practices"]


def add_finding(g: nx.Graph, f: dict[str, object], parent: str, practices: dict[str, dict[str, str]]) -> None:
    fid, c = str(f["f"]), str(f["c"])
    pol = short(str(f["pol"] or ""))
    meta = practices.get(c, {"label": short(c), "theme": "", "def": ""})
    quote, source = str(f["quote"] or ""), source_text(f)
    g.add_node(
        fid,
        label=f"{pol or 'finding'}: {snippet(quote) or meta['label']}",
        kind="finding",
        polarity=pol,
        theme=meta["theme"],
        info=f"{pol} finding: {meta['label']}\n{quoted(quote)}\nsource: {source}",
    )
    edge = {"label": "", "info": f"{quoted(quote)}\nsource: {source}", "quote": quote, "source": source}
    g.add_edge(parent, fid, **edge, polarity=pol)
    if c not in g:
        g.add_node(c, label=meta["label"], kind="practice", theme=meta["theme"], info=f"practice: {meta['label']}")
    g.add_edge(fid, c, **edge, polarity=pol)


def read_feature_quotes(store: Store, per_feature: int = 5) -> dict[str, list[dict[str, str]]]:
    """Quotes of findings per analysis feature, the first ``per_feature`` of each, with a clean source.

    Keys are ``practice-local-name:polarity`` (the analysis' split features), the bare local name
    (any polarity) and the practice IRI (any polarity).
    """
    out: dict[str, list[dict[str, str]]] = {}
    for f in read_findings(store):
        if not f.get("quote"):
            continue
        c, pol = str(f["c"]), short(str(f["pol"] or ""))
        local = short(c)
        quote = {"text": str(f["quote"]), "source": source_text(f), "document": str(f["doc"])}
        for key in (f"{local}:{pol}", local, c):
            bucket = out.setdefault(key, [])
            if len(bucket) < per_feature and quote not in bucket:
                bucket.append(quote)
    return out
