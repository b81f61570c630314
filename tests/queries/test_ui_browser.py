"""The YASGUI page works offline: Chromium (Debian's, via Playwright) runs a catalogue query, and
schoolkg's results table shows values readably: numbers and booleans as values, IRIs as labels."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from urllib.parse import urlparse

import pytest

from conftest import serve_in_thread
from schoolkg.queries.endpoint import Settings, create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None, reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def server(built) -> Iterator[str]:
    with serve_in_thread(create_app(built.store, Settings(timeout=10))) as url:
        yield url


def test_ui_runs_catalogue_query_offline(server: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    blocked: list[str] = []

    def only_local(route) -> None:
        host = urlparse(route.request.url).hostname
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", only_local)
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(server + "/")
            page.click("button[data-query='eic-gcse-gap']")
            page.click(".yasqe_queryButton")
            page.wait_for_selector(".skg-table td.skg-num >> text=10.4", timeout=20_000)
            cells = page.eval_on_selector_all(".skg-table tbody tr", "rows => rows.map(r => r.innerText)")
            assert cells[0].split("\t")[:5] == ["2003", "44.4", "54.8", "10.4", "false"]
            assert page.eval_on_selector_all("td.skg-num", "tds => tds.length") == 9  # eic, nonEic, gap
            # the source IRI is shown by its label, the IRI itself in the tooltip and the link
            page.wait_for_selector(".skg-table a.skg-iri >> text=Excellence in Cities", timeout=10_000)
            link = page.query_selector(".skg-table a.skg-iri")
            assert link.get_attribute("href").startswith("https://w3id.org/schoolkg/")
            assert link.get_attribute("title").endswith(link.get_attribute("href"))
            assert not errors, errors
            assert blocked == [], f"the page tried to reach the network: {blocked}"
        finally:
            browser.close()
