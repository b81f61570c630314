"""Regenerate the screenshots in docs/img/ of every page `schoolkg viz` and `schoolkg analyse` write.

Usage: python bench/screenshots.py [--store graphs/store] [--out docs/img] [--schools 600]

Builds the default corpus (unless --store is given) and writes every view and the query view of
``queries/practice-cooccurrence`` style findings; writes an analysis page from a synthetic graph
of --schools schools (the corpus alone has too few inspected schools to analyse). Each page is
opened offline in Debian's Chromium (all non-file requests blocked) at 1400x900, the ego view also
at 420x900, and saved as docs/img/viz-VIEW.png, viz-ego-420.png and analysis.png (the top
2000 px of the analysis page), as 256-colour PNGs.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

from schoolkg.pipeline import run_analysis, run_build, run_synth
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.viz.site import write_site
from schoolkg.viz.views import VIEWS

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip
QUERY = """PREFIX skg: <https://w3id.org/schoolkg/ontology#>
CONSTRUCT { ?f skg:practice ?c ; skg:about ?s ; skg:quote ?q } WHERE {
  ?f a skg:Finding ; skg:practice ?c ; skg:about ?s ; skg:quote ?q } LIMIT 20"""


def shoot(shots: list[tuple[Path, Path, int, bool]]) -> None:
    """Screenshot each (page, png, width, full page) offline in Chromium."""
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for page_path, png, width, full in shots:
            page = browser.new_page(viewport={"width": width, "height": 900})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto(page_path.resolve().as_uri())
            if page_path.name != "analysis.html":
                page.wait_for_function("window.schoolkgViz && window.schoolkgViz.ready", timeout=120_000)
            page.wait_for_timeout(300)
            if full:  # the analysis page: its top (design, forest plot), not all of it
                page.screenshot(path=str(png), full_page=True, clip={"x": 0, "y": 0, "width": width, "height": 2000})
            else:
                page.screenshot(path=str(png))
            page.close()
            Image.open(png).convert("RGB").quantize(colors=256).save(png, optimize=True)  # a quarter of the bytes
            print(f"{png}  ({page_path.name} at {width} px)")
        browser.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    ap.add_argument("--schools", type=int, default=600)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        store = args.store
        if store is None:
            store = work / "store"
            run_build(ROOT / "corpus", store, work / "schoolkg.nq")
        html = work / "html"
        write_site(EmbeddedStore(store), html, list(VIEWS), query=("findings", QUERY), store_name=str(store))
        run_synth(work / "synth", args.schools, 1, store=work / "synth" / "store")
        run_analysis(EmbeddedStore(work / "synth" / "store"), work / "analysis", min_support=10)
        shots = [(html / f"{v}.html", args.out / f"viz-{v}.png", 1400, False) for v in VIEWS]
        shots += [
            (html / "query-findings.html", args.out / "viz-query.png", 1400, False),
            (html / "ego.html", args.out / "viz-ego-420.png", 420, False),
            (work / "analysis" / "analysis.html", args.out / "analysis.png", 1400, True),
        ]
        shoot(shots)


if __name__ == "__main__":
    main()
