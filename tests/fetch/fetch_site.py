"""A stand-in for Ofsted's reports service, made by the tests: provider pages and PDFs on loopback.

The pages follow the shape public scrapers document for reports.ofsted.gov.uk (docs/fetch.md):
a timeline of ``li.timeline__day`` events with ``a.publication-link`` links whose hidden text
gives the report type and publication date. Behaviour is scripted per test through ``Site``:
queued statuses (429 with Retry-After, 503, 403), refusals, slow or cut-short bodies.
"""

from __future__ import annotations

import asyncio
import hashlib
import random
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from conftest import serve_in_thread
from schoolkg.fetch.client import Policy, PoliteClient, user_agent


def make_pdf(label: str) -> bytes:
    """A small PDF-looking file whose bytes are unique to ``label``."""
    body = f"BT /F1 12 Tf 72 720 Td ({label}: inspection report) Tj ET".encode()
    head = b"%PDF-1.4\n1 0 obj << /Length " + str(len(body)).encode() + b" >> stream\n"
    return head + body + b"\nendstream endobj\n%%EOF\n"


@dataclass
class Report:
    file_id: str
    report_type: str
    inspected: date
    published: date
    old_style: bool = False  # linked as /provider/files/ID/urn/URN.pdf, relatively

    def body(self) -> bytes:
        return make_pdf(f"report {self.file_id}")

    def sha256(self) -> str:
        return hashlib.sha256(self.body()).hexdigest()


@dataclass
class Site:
    """The service's state for one test; ``reset()`` restores the default two schools."""

    schools: dict[str, list[Report]] = field(default_factory=dict)
    category: dict[str, int] = field(default_factory=dict)
    queued: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    slow: dict[str, float] = field(default_factory=dict)
    cut_short: set[str] = field(default_factory=set)
    hang_once: dict[str, float] = field(default_factory=dict)
    content: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    second_page: set[str] = field(default_factory=set)
    refuse: bool = False
    robots: str | None = None
    requests: list[tuple[str, str]] = field(default_factory=list)
    base: str = ""

    def reset(self) -> None:
        self.schools = {
            "123166": [
                Report("50224032", "School inspection", date(2023, 6, 7), date(2023, 7, 21)),
                Report("50012345", "Section 8 inspection", date(2017, 3, 1), date(2017, 3, 28)),
            ],
            "142350": [Report("2631211", "Section 5 inspection", date(2013, 9, 18), date(2013, 10, 10), True)],
        }
        self.category = {}
        self.queued, self.slow, self.hang_once, self.content = {}, {}, {}, {}
        self.cut_short, self.second_page = set(), set()
        self.refuse, self.robots = False, None
        self.requests = []

    def paths(self, prefix: str = "") -> list[str]:
        return [p for p, _ in self.requests if p.startswith(prefix)]

    def report_path(self, urn: str, r: Report) -> str:
        return f"/provider/files/{r.file_id}/urn/{urn}.pdf" if r.old_style else f"/v1/file/{r.file_id}"

    def page(self, urn: str, part: int = 1) -> str:
        reports = self.schools[urn]
        if urn in self.second_page:
            reports = reports[:1] if part == 1 else reports[1:]
        events = "".join(self._event(urn, r) for r in reports)
        more = f'<a class="pagination__next" href="/provider/{self.category.get(urn, 21)}/{urn}?page=2">Next</a>'
        return f"""<!doctype html><html><head><title>Ofsted | School {urn}</title></head><body>
<header><a href="/">Ofsted reports</a> <a href="/about-our-inspection-reports">About</a></header>
<main><h1 class="heading--title">School {urn}
</h1><p>URN: {urn}</p><a href="{self.base}/parent-view-results/urn/{urn}">Parent View</a>
<ol class="timeline">{events}
<li class="timeline__day timeline__day--opened"><p class="timeline__date"><time>01 September 2001</time></p>
<p>Opened</p></li></ol>{more if urn in self.second_page and part == 1 else ""}</main></body></html>"""

    def _event(self, urn: str, r: Report) -> str:
        href = self.report_path(urn, r) if r.old_style else self.base + self.report_path(urn, r)
        published = f"{r.published.day:02d} {r.published.strftime('%B %Y')}"
        return f"""
<li class="timeline__day"><div class="event">
  <p class="timeline__date"><time>{r.inspected.day:02d} {r.inspected.strftime("%B %Y")}</time></p>
  <span class="event__title heading--sub"><a class="publication-link" target="_blank" href="{href}">
    {r.report_type} <span class="nonvisual">{r.report_type}, PDF - {published}</span></a></span>
</div></li>"""

    def find(self, path: str) -> tuple[str, Report] | None:
        for urn, reports in self.schools.items():
            for r in reports:
                if self.report_path(urn, r) == path:
                    return urn, r
        return None


def make_app(site: Site) -> Starlette:
    async def handle(request: Request) -> Response:
        path = request.url.path
        site.requests.append((path, request.headers.get("user-agent", "")))
        if path == "/robots.txt":
            return PlainTextResponse(site.robots) if site.robots is not None else PlainTextResponse("", 404)
        if site.queued.get(path):
            status, headers = site.queued[path].pop(0)
            return PlainTextResponse(f"scripted {status}", status, headers=headers)
        if path in site.hang_once:
            await asyncio.sleep(site.hang_once.pop(path))
        if site.refuse:
            return PlainTextResponse("Forbidden", 403)
        if path in site.content:
            body, kind = site.content[path]
            return Response(body, media_type=kind)
        parts = path.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "provider" and parts[2] in site.schools:
            urn = parts[2]
            if int(parts[1]) != site.category.get(urn, 21):
                return HTMLResponse("<h1>Page not found</h1>", 404)
            return HTMLResponse(site.page(urn, int(request.query_params.get("page", "1"))))
        found = site.find(path)
        if found is None:
            return HTMLResponse("<h1>Page not found</h1>", 404)
        body = found[1].body()
        if path in site.cut_short:
            return StreamingResponse(_chunks(body[: len(body) // 2], 0.0), headers={"content-length": str(len(body))})
        if path in site.slow:
            return StreamingResponse(_chunks(body * 40, site.slow[path]), media_type="application/pdf")
        return Response(body, media_type="application/pdf")

    return Starlette(routes=[Route("/{path:path}", handle)])


async def _chunks(body: bytes, pause: float) -> AsyncIterator[bytes]:
    step = max(1, len(body) // 40) if pause else len(body)
    for i in range(0, len(body), step):
        yield body[i : i + step]
        if pause:
            await asyncio.sleep(pause)


@contextmanager
def running_site() -> Iterator[tuple[Site, str]]:
    site = Site()
    with serve_in_thread(make_app(site)) as url:
        site.base = url
        site.reset()
        yield site, url


class FakeClock:
    """Time that moves only when the client waits: every wait is recorded, none is spent."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.t += seconds

    def now(self) -> datetime:
        return datetime(2024, 5, 1, 12, 0, tzinfo=UTC) + timedelta(seconds=self.t - 1000.0)


class StampingTransport(httpx.BaseTransport):
    """Notes the (fake) time and path of every request the client sends."""

    def __init__(self, clock: FakeClock) -> None:
        self.inner = httpx.HTTPTransport()
        self.clock = clock
        self.sent: list[tuple[float, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((self.clock.monotonic(), request.url.path))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


def make_client(clock: FakeClock, **policy: object) -> tuple[PoliteClient, StampingTransport]:
    transport = StampingTransport(clock)
    settings = {"rate": 1.0, "timeout": 5.0, "retries": 3, "backoff": 2.0, **policy}
    client = PoliteClient(
        Policy(**settings),  # type: ignore[arg-type]
        user_agent("tests@example.org"),
        clock=clock,
        rng=random.Random(7),
        transport=transport,
    )
    return client, transport
