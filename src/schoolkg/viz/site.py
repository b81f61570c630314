"""Write the chosen views and an index.html into one folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import networkx as nx

from schoolkg.errors import ConfigError, InputError
from schoolkg.store.base import Store
from schoolkg.viz.pages import Page, render_index, render_page
from schoolkg.viz.query import query_graph
from schoolkg.viz.views import VIEWS, build_view

__all__ = ["DESCRIPTIONS", "read_query", "write_site"]

DESCRIPTIONS = {
    "programmes": (
        "Programmes, strands, practices and outcomes",
        "Programmes and their strands, the practices inspectors found in them (green strength, red "
        "weakness, amber mixed; node size = findings) and the outcomes recorded for them.",
    ),
    "cooccurrence": (
        "Practice co-occurrence",
        "Practices found together. Node size = number of findings, edge width = lift (from the "
        "analysis graph) or number of schools, LAs and programmes where both were found (at least 2), "
        "colour = community.",
    ),
    "ego": (
        "Ego network",
        "One school or local authority: its programmes, its judgements in date order and its findings.",
    ),
    "evidence": (
        "Evidence",
        "Documents, the findings read from them and the practices they name; every edge carries the "
        "quote and its source (hover or click).",
    ),
}


def read_query(name: str | None, file: Path | None, queries_dir: Path) -> tuple[str, str]:
    """Return (name, SPARQL) of ``queries_dir/NAME.rq`` or of ``file``."""
    if file is None:
        if name is None:
            raise ConfigError("give --query NAME or --query-file FILE")
        if not re.fullmatch(r"[\w.-]+", name):
            raise ConfigError(f"not a query name: {name!r}")
        file = queries_dir / f"{name}.rq"
        if not file.is_file():
            known = ", ".join(sorted(p.stem for p in queries_dir.glob("*.rq"))) or "none"
            raise ConfigError(f"no query {name!r} in {queries_dir} (known: {known})")
    if not file.is_file():
        raise InputError("no such query file", path=file)
    return file.stem, file.read_text(encoding="utf-8")


def write_site(
    store: Store,
    out: Path,
    views: list[str] | None = None,
    *,
    subject: str | None = None,
    query: tuple[str, str] | None = None,
    store_name: str = "",
    analysis: Path | None = None,
) -> list[Page]:
    """Write one page per view (and one for ``query``, a (name, SPARQL) pair) and index.html.

    The index links the analysis page ``analysis`` (default: ``analysis/analysis.html`` beside
    ``out``, where ``schoolkg analyse`` writes it by default) when it exists.
    Returns the pages written, in index order.
    """
    if views is None:
        views = [] if query else list(VIEWS)
    unknown = [v for v in views if v not in VIEWS]
    if unknown:
        raise ConfigError(f"unknown view {unknown[0]!r}; known: {', '.join(sorted(VIEWS))}")
    out.mkdir(parents=True, exist_ok=True)
    pages = []
    for view in views:
        options = {"subject": subject} if view == "ego" else {}
        graph = build_view(view, store, **options)
        title, description = DESCRIPTIONS.get(view, (view, ""))
        if graph.graph.get("centre"):
            title = f"{title}: {graph.graph['centre']}"
        pages.append(_write(out, f"{view}.html", graph, title, description))
    if query is not None:
        name, sparql = query
        graph = query_graph(store, sparql)
        pages.append(_write(out, f"query-{name}.html", graph, f"Query: {name}", _query_description(sparql)))
    analysis = analysis if analysis is not None else out.parent / "analysis" / "analysis.html"
    link = Path(os.path.relpath(analysis.resolve(), out.resolve())).as_posix() if analysis.is_file() else None
    (out / "index.html").write_text(render_index(pages, store_name, analysis=link), encoding="utf-8")
    return pages


def _write(out: Path, file: str, graph: nx.Graph, title: str, description: str) -> Page:
    html = render_page(graph, title, description)
    (out / file).write_text(html, encoding="utf-8")
    return Page(file, title, description, graph.number_of_nodes(), graph.number_of_edges())


def _query_description(sparql: str) -> str:
    """The ``# title:``/``# description:`` header of a catalogue query, if any.

    >>> _query_description("# title: Pairs\\n# description: Practices found together\\nCONSTRUCT {}")
    'Pairs. Practices found together'
    """
    found = dict(re.findall(r"^#\s*(title|description):\s*(.+)$", sparql, flags=re.M))
    parts = [found.get("title", "").strip(), found.get("description", "").strip()]
    return ". ".join(p for p in parts if p) or "The graph a CONSTRUCT query returned."
