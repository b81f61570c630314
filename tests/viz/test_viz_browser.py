"""Graph pages in Debian's Chromium (Playwright): offline, drawn, searchable, and text stays text.

Every page is opened from file:// with all other requests blocked; a screenshot of each view is
saved under test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import networkx as nx
import pytest

from conftest import ROOT
from schoolkg.viz.pages import AGGREGATE_LIMIT, render_page
from schoolkg.viz.site import write_site
from schoolkg.viz.views import VIEWS

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
ARTIFACTS = ROOT / "test-artifacts"
PAYLOAD = "<img src=x onerror=alert(1)>"
SEARCH = {
    "programmes": "excellence in cities",
    "cooccurrence": "learning mentors",
    "ego": "blenheim",
    "evidence": "learning mentors",
}

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (python) is not installed")
if shutil.which(CHROMIUM) is None:
    pytest.skip("Debian chromium is not installed (apt-get install chromium)", allow_module_level=True)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_site(built.store, out, list(VIEWS))
    return out


class Opened:
    """A page opened offline, with what it logged, requested and alerted."""

    def __init__(self, browser, path: Path) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1100, "height": 700})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.route("**/*", self._route)
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("window.schoolkgViz && window.schoolkgViz.ready", timeout=15_000)

    def _route(self, route) -> None:
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def search(self, text: str) -> list[str]:
        """Type into the search box; return the labels of the selected nodes."""
        self.page.fill("#search", text)
        return self.page.evaluate(
            "window.schoolkgViz.network.getSelectedNodes().map(id => window.schoolkgViz.nodes.get(id).name)"
        )


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_view_draws_offline_and_search_selects(browser, site: Path, view: str) -> None:
    opened = Opened(browser, site / f"{view}.html")
    page = opened.page
    assert page.locator("#network canvas").count() == 1
    assert page.evaluate("window.schoolkgViz.nodes.length") > 0
    selected = opened.search(SEARCH[view])
    assert selected and all(SEARCH[view] in label.lower() for label in selected)
    assert SEARCH[view] in page.text_content("#info").lower()
    ARTIFACTS.mkdir(exist_ok=True)
    page.fill("#search", "")
    page.evaluate("window.schoolkgViz.network.fit({animation: false})")
    page.screenshot(path=str(ARTIFACTS / f"viz-{view}.png"))
    assert opened.errors == [] and opened.blocked == []
    page.close()


def test_filters_hide_nodes(browser, site: Path) -> None:
    opened = Opened(browser, site / "programmes.html")
    shown = "window.schoolkgViz.network.body.data.nodes.length"
    before = opened.page.evaluate(shown)
    opened.page.locator("#filter-kind input[value=practice]").uncheck()
    after = opened.page.evaluate(shown)
    assert 0 < after < before
    assert opened.search("learning mentors") == [] or all(
        "learning mentors" in x.lower() for x in opened.search("learning mentors")
    )
    opened.page.close()


def test_markup_in_labels_shows_as_text(browser, tmp_path: Path) -> None:
    g = nx.DiGraph()
    g.add_node("a", label=PAYLOAD, kind="practice", theme=PAYLOAD, info=f"quote: {PAYLOAD}")
    g.add_node("b", label="plain", kind="document", info="doc")
    g.add_edge("b", "a", info=f"“{PAYLOAD}”\nsource: <script>alert(2)</script>", polarity="strength")
    path = tmp_path / "xss.html"
    path.write_text(render_page(g, PAYLOAD, PAYLOAD), encoding="utf-8")
    opened = Opened(browser, path)
    page = opened.page
    assert opened.search("onerror") == [PAYLOAD]
    assert PAYLOAD in page.inner_text("#info")
    assert PAYLOAD in page.inner_text("header h1") and PAYLOAD in page.inner_text("#filter-theme")
    xy = page.evaluate(
        """() => { const n = window.schoolkgViz.network, id = n.getSelectedNodes()[0];
                   const box = document.getElementById('network').getBoundingClientRect();
                   const p = n.canvasToDOM(n.getPositions([id])[id]); return [box.x + p.x, box.y + p.y]; }"""
    )
    page.mouse.move(xy[0], xy[1])
    page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
    assert PAYLOAD in page.inner_text("div.vis-tooltip")
    page.wait_for_timeout(200)
    assert page.evaluate("document.querySelectorAll('img, #graph-data ~ script[src]').length") == 0
    assert opened.dialogs == [] and opened.errors == [] and opened.blocked == []
    page.close()


def test_large_graph_opens_on_clusters_and_search_drills_down(browser, tmp_path: Path) -> None:
    g = nx.connected_caveman_graph(AGGREGATE_LIMIT // 20 + 100, 20)  # 5,000 nodes
    nx.set_node_attributes(g, {n: f"node {n}" for n in g}, "label")
    nx.set_node_attributes(g, "practice", "kind")
    path = tmp_path / "big.html"
    path.write_text(render_page(g, "big"), encoding="utf-8")
    opened = Opened(browser, path)
    drawn = opened.page.evaluate("window.schoolkgViz.nodes.length")
    assert drawn < g.number_of_nodes() / 5, "the page opens on clusters, not on every node"
    assert opened.search("node 4321") == ["node 4321"]
    assert opened.page.evaluate("window.schoolkgViz.nodes.length") > drawn
    assert opened.errors == [] and opened.blocked == []
    opened.page.close()
