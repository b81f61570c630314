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


CONSTRUCT = """PREFIX skg: <https://w3id.org/schoolkg/ontology#>
CONSTRUCT { ?f skg:practice ?c ; skg:about ?s ; skg:quote ?q } WHERE {
  ?f a skg:Finding ; skg:practice ?c ; skg:about ?s ; skg:quote ?q } LIMIT 20"""
PAGES = [*sorted(VIEWS), "query-findings"]
WIDTHS = (1400, 420)
# Boxes (shape and label, as vis-network drew them) of the nodes whose label shows at the current
# zoom and lies in the canvas, in screen pixels; how many of them overlap another by over 1 px.
OVERLAP = """() => {
  const net = window.schoolkgViz.network, canvas = document.getElementById('network').getBoundingClientRect();
  const boxes = [];
  for (const id of net.body.nodeIndices) {
    const node = net.body.nodes[id];
    if (!node.labelModule.visible()) continue;
    const b = net.getBoundingBox(id);
    const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
    if (z.x < 0 || z.y < 0 || a.x > canvas.width || a.y > canvas.height) continue;
    boxes.push([a.x, a.y, z.x, z.y, node.options.label]);
  }
  const hit = boxes.filter((p, i) => boxes.some((q, j) => i !== j &&
    Math.min(p[2], q[2]) - Math.max(p[0], q[0]) > 1 && Math.min(p[3], q[3]) - Math.max(p[1], q[1]) > 1));
  return {nodes: net.body.nodeIndices.length, visible: boxes.length, overlapping: hit.map(b => b[4])};
}"""


@pytest.fixture(scope="module")
def site(built, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("html")
    write_site(built.store, out, list(VIEWS), query=("findings", CONSTRUCT))
    return out


class Opened:
    """A page opened offline, with what it logged, requested and alerted."""

    def __init__(self, browser, path: Path, width: int = 1100, height: int = 700) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": width, "height": height})
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
            "window.schoolkgViz.network.getSelectedNodes()"
            ".map(id => (n => n.name || n.label)(window.schoolkgViz.nodes.get(id)))"
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
    super_edges = opened.page.evaluate("window.schoolkgViz.edges.length")
    assert drawn < g.number_of_nodes() / 5, "the page opens on clusters, not on every node"
    assert opened.search("node 4321") == ["node 4321"]
    assert opened.page.evaluate("window.schoolkgViz.nodes.length") > drawn
    opened.page.click("#collapse")  # every opened cluster closes back to its super-node
    assert opened.page.evaluate("window.schoolkgViz.nodes.length") == drawn
    assert opened.page.evaluate("window.schoolkgViz.edges.length") == super_edges
    assert opened.errors == [] and opened.blocked == []
    opened.page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", PAGES)
def test_labels_read_at_the_opening_zoom(browser, site: Path, view: str, width: int) -> None:
    """At most 5% of the labels shown overlap another node's box, at the opening zoom and zoomed in."""
    opened = Opened(browser, site / f"{view}.html", width=width, height=900)
    page = opened.page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"viz-{view}-{width}.png"))
    first = page.evaluate(OVERLAP)
    assert len(first["overlapping"]) <= 0.05 * first["visible"], first["overlapping"][:6]
    if width >= 1000:
        assert first["visible"] >= min(10, first["nodes"]), "labels show at the opening zoom"
    page.evaluate("window.schoolkgViz.network.moveTo({scale: 1.2, animation: false})")
    page.wait_for_timeout(100)
    close = page.evaluate(OVERLAP)
    assert close["visible"] > 0
    assert len(close["overlapping"]) <= 0.05 * close["visible"], close["overlapping"][:6]
    assert opened.errors == []
    page.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("view", PAGES)
def test_panel_is_usable(browser, site: Path, view: str, width: int) -> None:
    """Search, filters and legend are there and wide enough; no filter label is cut off."""
    opened = Opened(browser, site / f"{view}.html", width=width, height=900)
    page = opened.page
    search = page.locator("#search").bounding_box()
    assert search is not None and search["width"] >= min(250, width * 0.6) and search["height"] >= 20
    for selector in ("#filter-kind", "#legend"):
        page.locator(selector).scroll_into_view_if_needed()
        assert page.locator(selector).is_visible(), selector
    cut = page.evaluate(
        "[...document.querySelectorAll('#filters label, #legend li')]"
        ".filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"
    )
    assert cut == []
    network = page.locator("#network").bounding_box()
    assert network is not None and network["height"] >= 300 and network["width"] >= min(600, width * 0.9)
    page.close()
