"""Page size and load time of `schoolkg viz` pages in headless Chromium (a script, not a test).

Usage: python bench/bench_viz.py [--nodes 25000] [--store graphs/store]

Measures (1) every page of the default build (built into a temporary folder from corpus/ unless
--store is given) and (2) a synthetic graph of --nodes practices in communities, with Python
render time, page size, and time from navigation to the first drawn frame (median of 3 loads,
all non-file requests blocked).
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import networkx as nx
from playwright.sync_api import sync_playwright

from schoolkg.pipeline import run_build
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.viz.pages import render_page
from schoolkg.viz.site import write_site

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def synthetic(n: int, seed: int = 1) -> nx.Graph:
    """``n`` practice nodes in communities of 20-400, about 1.6 edges per node."""
    rng = random.Random(seed)
    g = nx.Graph()
    start, community = 0, 0
    while start < n:
        size = min(rng.randint(20, 400), n - start)
        members = range(start, start + size)
        for m in members:
            g.add_node(m, label=f"practice {m}", kind="practice", theme=f"theme {community % 9}",
                       community=community, size=rng.randint(1, 30), info=f"practice {m}")  # fmt: skip
        for m in members:
            for _ in range(rng.choice((1, 1, 2))):
                other = rng.choice(members) if rng.random() < 0.9 else rng.randrange(n)
                if other != m:
                    g.add_edge(m, other, weight=rng.random() * 3, info="")
        start += size
        community += 1
    for u, v in list(g.edges):
        if v >= n or u >= n:
            g.remove_edge(u, v)
    return g


def load_times(paths: list[Path], repeat: int = 3) -> dict[Path, float]:
    """Median seconds from navigation to the first drawn frame, per page."""
    out = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for path in paths:
            times = []
            for _ in range(repeat):
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
                t = time.perf_counter()
                page.goto(path.resolve().as_uri())
                page.wait_for_function("window.schoolkgViz && window.schoolkgViz.ready", timeout=120_000)
                times.append(time.perf_counter() - t)
                page.close()
            out[path] = statistics.median(times)
        browser.close()
    return out


OPEN_EACH = """async () => {
  const v = window.schoolkgViz, net = v.network, ks = Object.keys(v.clusterMembers || {}).map(Number);
  const frame = () => new Promise(r => { net.once("afterDrawing", r); net.redraw(); });
  const out = [];
  for (const k of ks) {
    let t = performance.now();
    v.openCluster(k);
    await frame();
    const open = performance.now() - t;
    t = performance.now();
    v.closeCluster(k);
    await frame();
    out.push([k, open, performance.now() - t, v.clusterMembers[k].length]);
  }
  return out;
}"""
OPEN_ALL = """async (budget) => {
  const v = window.schoolkgViz, net = v.network, ks = Object.keys(v.clusterMembers || {}).map(Number);
  const frame = () => new Promise(r => { net.once("afterDrawing", r); net.redraw(); });
  const start = performance.now();
  let n = 0;
  for (const k of ks) {
    v.openCluster(k);
    await frame();
    n++;
    if (performance.now() - start > budget) break;
  }
  return [n, ks.length, performance.now() - start];
}"""


def cluster_times(path: Path, budget_s: float = 60.0) -> tuple[list[tuple[int, float, float, int]], tuple]:
    """Per cluster (id, ms to open it and draw, ms to close it and draw, size), each from the
    opening state; then opening every cluster in turn: (opened, clusters, ms) within ``budget_s``."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        page.goto(path.resolve().as_uri())
        page.wait_for_function("window.schoolkgViz && window.schoolkgViz.ready", timeout=120_000)
        each = page.evaluate(OPEN_EACH)
        page.set_default_timeout((budget_s + 120) * 1000)
        every = page.evaluate(OPEN_ALL, budget_s * 1000)
        browser.close()
    return [(int(k), float(o), float(c), int(n)) for k, o, c, n in each], tuple(every)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=25_000)
    ap.add_argument("--store", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        store = args.store
        if store is None:
            store = tmp / "store"
            run_build(ROOT / "corpus", store, tmp / "schoolkg.nq")
        t = time.perf_counter()
        pages = write_site(EmbeddedStore(store), tmp / "html")
        print(f"default build: {len(pages)} pages written in {time.perf_counter() - t:.2f}s")
        paths = [tmp / "html" / p.file for p in pages]
        graph = synthetic(args.nodes)
        t = time.perf_counter()
        html = render_page(graph, f"Synthetic {args.nodes:,} nodes")
        render_s = time.perf_counter() - t
        big = tmp / "html" / "synthetic.html"
        big.write_text(html, encoding="utf-8")
        times = load_times([*paths, big])
        print(f"{'page':<22}{'nodes':>8}{'edges':>8}{'size KB':>10}{'load s':>8}")
        for page in pages:
            path = tmp / "html" / page.file
            size = path.stat().st_size / 1024
            print(f"{page.file:<22}{page.nodes:>8}{page.edges:>8}{size:>10.0f}{times[path]:>8.2f}")
        size = big.stat().st_size / 1024
        print(f"{big.name:<22}{graph.number_of_nodes():>8}{graph.number_of_edges():>8}{size:>10.0f}{times[big]:>8.2f}")
        print(f"synthetic page rendered in Python in {render_s:.2f}s")
        each, (done, total, ms_all) = cluster_times(big)
        opens = sorted(o for _, o, _, _ in each)
        closes = sorted(c for _, _, c, _ in each)
        biggest = max(each, key=lambda r: r[3])
        print(
            f"each of {len(each)} clusters opened from the opening state (open + next frame): median "
            f"{statistics.median(opens):.0f} ms, slowest {opens[-1]:.0f} ms; the largest ({biggest[3]} nodes) "
            f"{biggest[1]:.0f} ms; closing: median {statistics.median(closes):.0f} ms, slowest {closes[-1]:.0f} ms"
        )
        print(f"opening all in turn: {done} of {total} clusters in {ms_all / 1000:.1f} s")


if __name__ == "__main__":
    main()
