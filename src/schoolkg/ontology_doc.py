"""Render docs/ontology.md from the ontology and thesaurus (run: python -m schoolkg.ontology_doc)."""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Graph, Namespace, URIRef
from rdflib.term import Node

from schoolkg.resources import ontology_dir
from schoolkg.vocab import PREFIXES, SKG_NS

__all__ = ["render_ontology_doc"]

SKG = Namespace(SKG_NS)  # the rdflib twin of vocab.SKG: this module reads the ontology with rdflib


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns) :]}"
    return f"<{text}>"


def _cell(g: Graph, s: URIRef, p: URIRef) -> str:
    return ", ".join(sorted(_short(o) if isinstance(o, URIRef) else str(o) for o in g.objects(s, p))) or "—"


def _text(g: Graph, s: Node, p: URIRef) -> str:
    return " ".join(str(o) for o in g.objects(s, p)).replace("|", "\\|").replace("\n", " ")


def render_ontology_doc(ontology: Path, practices: Path) -> str:
    """Markdown describing every class, property and individual, and the practice thesaurus."""
    g = Graph().parse(ontology)
    own = [s for s in g.subjects(RDF.type, None) if isinstance(s, URIRef) and str(s).startswith(str(SKG))]
    lines = [
        "# The schoolkg ontology",
        "",
        "Generated from `ontology/schoolkg.ttl` and `ontology/practices.ttl` by "
        "`python -m schoolkg.ontology_doc`; a test fails when this page is stale.",
        "See `docs/modelling.md` for how the terms are used together.",
        "",
        "## Classes",
        "",
        "| class | label | subclass of | definition |",
        "| --- | --- | --- | --- |",
    ]
    for c in sorted({s for s in own if (s, RDF.type, OWL.Class) in g}):
        lines.append(
            f"| `{_short(c)}` | {_text(g, c, RDFS.label)} | {_cell(g, c, RDFS.subClassOf)} "
            f"| {_text(g, c, SKOS.definition)} |"
        )
    for kind, title in ((OWL.ObjectProperty, "Object properties"), (OWL.DatatypeProperty, "Datatype properties")):
        lines += ["", f"## {title}", "", "| property | domain | range | definition |", "| --- | --- | --- | --- |"]
        for p in sorted({s for s in own if (s, RDF.type, kind) in g}):
            lines.append(
                f"| `{_short(p)}` | {_cell(g, p, RDFS.domain)} | {_cell(g, p, RDFS.range)} "
                f"| {_text(g, p, SKOS.definition)} |"
            )
    lines += ["", "## Individuals", "", "| individual | type | label | definition |", "| --- | --- | --- | --- |"]
    for i in sorted({s for s in g.subjects(RDF.type, OWL.NamedIndividual) if isinstance(s, URIRef)}):
        types = sorted(_short(t) for t in g.objects(i, RDF.type) if t != OWL.NamedIndividual)
        lines.append(
            f"| `{_short(i)}` | {', '.join(types)} | {_text(g, i, RDFS.label)} | {_text(g, i, SKOS.definition)} |"
        )
    t = Graph().parse(practices)
    lines += ["", "## Practices (SKOS thesaurus)", ""]
    for theme in sorted(t.objects(None, SKOS.hasTopConcept), key=lambda x: str(t.value(x, SKOS.notation))):
        lines += [
            f"### {t.value(theme, SKOS.prefLabel)} ({t.value(theme, SKOS.notation)})",
            "",
            str(t.value(theme, SKOS.definition) or ""),
            "",
            "| notation | concept | kind | polarity | EEF strand | labels matched |",
            "| --- | --- | --- | --- | --- | --- |",
        ]
        members = sorted(t.subjects(SKOS.broader, theme), key=lambda c: str(t.value(c, SKOS.notation)))
        for concept in members:
            names = [*t.objects(concept, SKOS.altLabel), *t.objects(concept, SKOS.hiddenLabel)]
            alts = "; ".join(sorted({str(a) for a in names}))
            pol = t.value(concept, SKG.polarity)
            concept_kind = "outcome" if (concept, RDF.type, SKG.OutcomeConcept) in t else "practice"
            eef = t.value(concept, SKOS.closeMatch)
            strand = str(eef).rstrip("/").rsplit("/", 1)[-1] if eef else ""
            lines.append(
                f"| {t.value(concept, SKOS.notation)} | `{_short(concept)}` {t.value(concept, SKOS.prefLabel)} "
                f"| {concept_kind} "
                f"| {str(pol).rsplit('#', 1)[-1] if pol else ''} | {strand} | {alts} |"
            )
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":  # pragma: no cover - developer tool
    out = Path(__file__).resolve().parents[2] / "docs" / "ontology.md"
    folder = ontology_dir()
    out.write_text(render_ontology_doc(folder / "schoolkg.ttl", folder / "practices.ttl"), encoding="utf-8")
    sys.stdout.write(f"wrote {out}\n")
