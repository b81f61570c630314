"""Graph pages: views read from the default build, offline pages, escaping, the viz command."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from schoolkg.analysis.cooccurrence import cooccurrence_counts
from schoolkg.cli import app
from schoolkg.errors import ConfigError, QueryError
from schoolkg.viz.pages import AGGREGATE_LIMIT, render_page
from schoolkg.viz.query import query_graph
from schoolkg.viz.site import write_site
from schoolkg.viz.views import VIEWS, build_view

REMOTE = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.I)
PAYLOAD = "<img src=x onerror=alert(1)>"
CONSTRUCT = """PREFIX skg: <https://w3id.org/schoolkg/ontology#>
CONSTRUCT { ?f skg:practice ?c ; skg:about ?s ; skg:quote ?q } WHERE {
  ?f a skg:Finding ; skg:practice ?c ; skg:about ?s ; skg:quote ?q } LIMIT 20"""


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_site(built.store, out, list(VIEWS), query=("findings", CONSTRUCT), store_name="test")
    return out


def _data(page: Path) -> dict:
    html = page.read_text(encoding="utf-8")
    found = re.search(r'<script type="application/json" id="graph-data">(.*?)</script>', html, re.S)
    assert found, page
    return json.loads(found.group(1))


def test_every_view_is_written_and_linked(site: Path) -> None:
    index = (site / "index.html").read_text(encoding="utf-8")
    for name in [*VIEWS, "query-findings"]:
        assert f'href="{name}.html"' in index
        data = _data(site / f"{name}.html")
        assert data["nodes"] and data["edges"], name
        assert not data["options"]["physics"]["enabled"]
        assert all("x" in n and "y" in n for n in data["nodes"]), f"{name}: positions come from Python"


def test_pages_load_nothing_from_the_network(site: Path) -> None:
    pages = sorted(site.glob("*.html"))
    assert len(pages) == len(VIEWS) + 2
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert not REMOTE.search(html), f"{page.name}: {REMOTE.search(html).group(0)}"
        assert "<script src" not in html and "<link" not in html


def test_programmes_view_has_strands_practices_and_outcomes(built) -> None:
    g = build_view("programmes", built.store)
    eic = "https://w3id.org/schoolkg/programme/eic"
    strands = {v for v in g.successors(eic) if g.nodes[v]["kind"] == "strand"}
    assert "https://w3id.org/schoolkg/programme/eic-learning-mentors" in strands
    practices = [d for _, d in g.nodes(data=True) if d["kind"] == "practice"]
    assert {d["polarity"] for d in practices} <= {"strength", "weakness", "mixed"}
    assert {"strength", "weakness"} <= {d["polarity"] for d in practices}
    outcome = "outcome:% pupils 5+ A*-C GCSE or equivalent (EiC partnership schools)"
    assert g.has_edge(eic, outcome) and "2005: 49.6" in g.nodes[outcome]["info"]
    assert not any("non-EiC" in n for n in g), "a 'non-EiC' comparison group is not the programme's outcome"


def test_cooccurrence_counts_shared_subjects_and_colours_communities(built) -> None:
    g = build_view("cooccurrence", built.store)
    assert all(d["weight"] >= 2 and d["measure"] == "count" for _, _, d in g.edges(data=True))
    assert len({d["community"] for _, d in g.nodes(data=True)}) > 1
    n_findings = built.select("SELECT (COUNT(?f) AS ?n) WHERE { ?f a skg:Finding ; skg:practice ?p }").rows[0][0]
    assert sum(d["size"] for _, d in g.nodes(data=True)) == n_findings
    assert cooccurrence_counts({"x": {"a", "b"}, "y": {"b", "a"}, "z": {"c"}}) == {("a", "b"): 2}


def test_ego_view_by_name_and_unknown_name(built) -> None:
    g = build_view("ego", built.store, subject="blenheim primary school")
    centre = "https://w3id.org/schoolkg/id/school/name/blenheim-primary-school--leigh-on-sea"
    kinds = {g.nodes[v]["kind"] for v in g.successors(centre)}
    assert {"programme", "finding", "judgement"} <= kinds
    with pytest.raises(ConfigError, match="no school or local authority named"):
        build_view("ego", built.store, subject="No Such School")


def test_evidence_edges_carry_quote_and_source(built) -> None:
    g = build_view("evidence", built.store)
    edges = list(g.edges(data=True))
    assert edges and all(d["quote"] and d["source"] and d["quote"] in d["info"] for _, _, d in edges)
    assert {g.nodes[u]["kind"] for u, _, _ in edges} == {"document", "finding"}


def test_query_view_needs_construct(built) -> None:
    g = query_graph(built.store, CONSTRUCT)
    assert g.number_of_edges() == 40 and {d["kind"] for _, d in g.nodes(data=True)} >= {"finding"}
    with pytest.raises(QueryError, match="CONSTRUCT"):
        query_graph(built.store, "SELECT * WHERE { ?s ?p ?o } LIMIT 1")


def test_text_is_escaped_inside_the_page() -> None:
    g = nx.Graph()
    g.add_node("x", label=PAYLOAD + "</script><script>alert(2)</script>", kind="practice", info=PAYLOAD)
    html = render_page(g, PAYLOAD)
    assert PAYLOAD not in html and "</script><script>alert(2)" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html  # the title, HTML-escaped


def test_large_graph_opens_on_clusters() -> None:
    g = nx.connected_caveman_graph(AGGREGATE_LIMIT // 10 + 20, 10)
    nx.set_node_attributes(g, {n: f"node {n}" for n in g}, "label")
    html = render_page(g, "big")
    data = json.loads(re.search(r'id="graph-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["clusters"]) >= 2 and len(data["nodes"]) == g.number_of_nodes()
    assert sum(c["members"] for c in data["clusters"]) == g.number_of_nodes()


def test_cli_writes_pages_and_reports_errors(built, tmp_path: Path) -> None:
    store = str(built.dir / "store")
    result = CliRunner().invoke(app, ["viz", "--store", store, "--view", "ego", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ego.html").is_file() and (tmp_path / "index.html").is_file()
    assert not (tmp_path / "evidence.html").exists()
    query = tmp_path / "q.rq"
    query.write_text(CONSTRUCT)
    result = CliRunner().invoke(app, ["viz", "--store", store, "--query-file", str(query), "--out", str(tmp_path)])
    assert result.exit_code == 0 and (tmp_path / "query-q.html").is_file()
    bad = CliRunner().invoke(app, ["viz", "--store", store, "--view", "nope", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "error: unknown view 'nope'" in bad.output
    bad = CliRunner().invoke(app, ["viz", "--store", store, "--query", "no-such-query", "--out", str(tmp_path)])
    assert bad.exit_code == 2 and "error: no query 'no-such-query'" in bad.output
