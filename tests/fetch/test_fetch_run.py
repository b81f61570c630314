"""fetch_reports against a local stand-in for the reports service (never the real one, never the network).

Waits are counted through a fake clock, never timed: the rate limit is checked on the fake time
at which each request was sent, and backoff by the waits the client asked for.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fetch_site import FakeClock, Site, make_client, running_site

from schoolkg.errors import InputError
from schoolkg.fetch import (
    FetchError,
    FetchOptions,
    Service,
    ServiceRefused,
    Target,
    fetch_reports,
    read_manifest,
)
from schoolkg.fetch.targets import KnownInspection


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Site, str]]:
    with running_site() as pair:
        yield pair


@pytest.fixture
def site(served: tuple[Site, str]) -> Site:
    served[0].reset()
    return served[0]


def _run(site: Site, cache: Path, targets: list[Target], clock: FakeClock | None = None, **kw: object):  # type: ignore[no-untyped-def]
    clock = clock or FakeClock()
    policy = kw.pop("policy", {})
    client, transport = make_client(clock, **policy)  # type: ignore[arg-type]
    options = FetchOptions(**kw)  # type: ignore[arg-type]
    with client:
        summary = fetch_reports(targets, cache, service=Service(site.base), options=options, client=client)
    return summary, clock, transport


def _targets(*urns: str) -> list[Target]:
    return [Target(u, f"argument {i}") for i, u in enumerate(urns, 1)]


def _lines(cache: Path) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in (cache / "manifest.jsonl").read_text().splitlines()]


def test_lists_and_downloads_every_report_with_a_manifest(site: Site, tmp_path: Path) -> None:
    known = (KnownInspection("ITS426502", date(2023, 6, 6), date(2023, 7, 21), date(2023, 6, 7)),)
    targets = [Target("123166", "t.csv:2", known), Target("142350", "t.csv:3")]
    summary, _, _ = _run(site, tmp_path, targets)
    c = summary.counts
    assert (c.schools, c.found, c.fetched, c.skipped, c.failed) == (2, 3, 3, 0, 0)
    lines = _lines(tmp_path)
    schools = {e["urn"]: e for e in lines if e["kind"] == "school"}
    assert schools["123166"]["status"] == "listed" and schools["123166"]["reports"] == 2
    assert schools["123166"]["school_name"] == "School 123166"
    docs = {e["source_url"].rsplit("/", 1)[-1]: e for e in lines if e["kind"] == "document"}
    first = docs["50224032"]
    report = site.schools["123166"][0]
    assert first == {
        "kind": "document",
        "urn": "123166",
        "status": "fetched",
        "source_url": f"{site.base}/v1/file/50224032",
        "path": "documents/123166/2023-07-21-50224032.pdf",
        "school_name": None,
        "report_type": "School inspection",
        "inspection_date": "2023-06-07",
        "inspection_number": "ITS426502",
        "publication_date": "2023-07-21",
        "sha256": report.sha256(),
        "bytes": len(report.body()),
        "content_type": "application/pdf",
        "reports": None,
        "fetched_at": first["fetched_at"],
        "reason": None,
    }
    assert first["fetched_at"].startswith("2024-05-01T12:") and first["fetched_at"].endswith("Z")
    assert (tmp_path / first["path"]).read_bytes() == report.body()
    old = docs["142350.pdf"]  # the older link shape, relative on the page
    assert old["source_url"] == f"{site.base}/provider/files/2631211/urn/142350.pdf"
    assert old["path"] == "documents/142350/2013-10-10-2631211.pdf" and old["inspection_number"] is None
    assert hashlib.sha256((tmp_path / old["path"]).read_bytes()).hexdigest() == old["sha256"]
    assert [p.name for p in sorted((tmp_path / "documents").rglob("*")) if p.is_file()] == [
        "2017-03-28-50012345.pdf",
        "2023-07-21-50224032.pdf",
        "2013-10-10-2631211.pdf",
    ]
    agents = {ua for _, ua in site.requests}
    assert len(agents) == 1 and agents.pop().startswith("schoolkg/") and "+tests@example.org" in ua_of(site)
    assert site.paths("/parent-view") == []  # only report links are followed


def ua_of(site: Site) -> str:
    return site.requests[0][1]


def test_requests_never_come_faster_than_the_rate(site: Site, tmp_path: Path) -> None:
    summary, clock, transport = _run(site, tmp_path, _targets("123166", "142350"), policy={"rate": 2.0})
    times = [t for t, _ in transport.sent]
    assert len(times) == summary.requests == 1 + 2 + 3  # robots.txt, two pages, three reports
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= 0.5 - 1e-9
    assert sum(clock.sleeps) == pytest.approx(0.5 * (len(times) - 1))


def test_retry_after_is_waited_exactly(site: Site, tmp_path: Path) -> None:
    site.queued["/v1/file/50224032"] = [(429, {"Retry-After": "7"})]
    summary, clock, transport = _run(site, tmp_path, _targets("123166"), policy={"rate": 1000.0})
    assert summary.counts.fetched == 2
    assert 7.0 in clock.sleeps and [s for s in clock.sleeps if s > 0.01] == [7.0]
    assert [p for _, p in transport.sent].count("/v1/file/50224032") == 2


def test_a_wait_longer_than_max_wait_stops_the_run(site: Site, tmp_path: Path) -> None:
    site.queued["/provider/21/123166"] = [(503, {"Retry-After": "3600"})]
    with pytest.raises(ServiceRefused, match=r"asked to wait 3600s \(Retry-After at .*\), longer than 600s"):
        _run(site, tmp_path, _targets("123166"), policy={"max_wait": 600.0})


def test_a_redirect_loop_is_a_failure_not_a_crash(site: Site, tmp_path: Path) -> None:
    site.queued["/v1/file/50224032"] = [(302, {"Location": "/v1/file/50224032"})] * 30
    summary, _, _ = _run(site, tmp_path, _targets("123166"), policy={"rate": 1000.0})
    assert [f.reason.split(" (")[0] for f in summary.failures] == ["cannot follow"]
    assert summary.counts.fetched == 1


def test_server_errors_back_off_exponentially_with_jitter(site: Site, tmp_path: Path) -> None:
    site.queued["/provider/21/123166"] = [(503, {}), (502, {}), (500, {})]
    summary, clock, _ = _run(site, tmp_path, _targets("123166"), policy={"rate": 1000.0, "backoff": 2.0})
    assert summary.counts.fetched == 2
    waits = [s for s in clock.sleeps if s > 0.01]
    assert len(waits) == 3
    for k, w in enumerate(waits):  # 2 s, 4 s, 8 s, each with up to half taken off at random
        assert 2.0 * 2**k * 0.5 <= w <= 2.0 * 2**k
    assert len(set(round(w / 2**k, 6) for k, w in enumerate(waits))) > 1  # jittered, not fixed


def test_a_timeout_is_retried(site: Site, tmp_path: Path) -> None:
    site.hang_once["/v1/file/50012345"] = 1.5
    summary, _, transport = _run(site, tmp_path, _targets("123166"), policy={"rate": 1000.0, "timeout": 0.3})
    assert summary.counts.fetched == 2 and summary.counts.failed == 0
    assert [p for _, p in transport.sent].count("/v1/file/50012345") == 2


def test_retries_give_up_and_the_failure_is_recorded(site: Site, tmp_path: Path) -> None:
    site.queued["/v1/file/50224032"] = [(503, {})] * 3
    summary, _, _ = _run(site, tmp_path, _targets("123166", "142350"), policy={"rate": 1000.0, "retries": 2})
    c = summary.counts
    assert (c.fetched, c.failed) == (2, 1)
    failed = [e for e in read_manifest(tmp_path / "manifest.jsonl") if e.status == "failed"]
    assert [(e.kind, e.source_url.rsplit("/", 1)[-1], e.reason) for e in failed] == [
        ("document", "50224032", "HTTP 503, gave up after 3 attempts")
    ]
    assert failed[0].path is None and not list((tmp_path / "documents" / "123166").glob("*50224032*"))
    again, _, _ = _run(site, tmp_path, _targets("123166", "142350"), policy={"rate": 1000.0})
    assert (again.counts.fetched, again.counts.skipped, again.counts.failed) == (1, 2, 0)  # failures are retried
    assert {e.status for e in read_manifest(tmp_path / "manifest.jsonl")} == {"listed", "fetched"}


def test_unknown_urn_is_recorded_not_found(site: Site, tmp_path: Path) -> None:
    summary, _, _ = _run(site, tmp_path, _targets("999999", "142350"), policy={"rate": 1000.0})
    assert site.paths("/provider/2") == ["/provider/21/999999", "/provider/23/999999", "/provider/21/142350"]
    (failure,) = summary.failures
    assert failure.kind == "school" and failure.urn == "999999" and failure.status == "failed"
    missing = f"HTTP 404 at {site.base}/provider/21/999999, HTTP 404 at {site.base}/provider/23/999999"
    assert failure.reason == f"no page for URN 999999 ({missing})"
    assert summary.counts.fetched == 1  # the run carried on


def test_the_second_category_is_tried(site: Site, tmp_path: Path) -> None:
    site.category["142350"] = 23
    summary, _, _ = _run(site, tmp_path, _targets("142350"), policy={"rate": 1000.0})
    assert summary.counts.fetched == 1
    (school,) = [e for e in read_manifest(tmp_path / "manifest.jsonl") if e.kind == "school"]
    assert school.source_url == f"{site.base}/provider/23/142350"


def test_a_next_page_of_the_timeline_is_followed(site: Site, tmp_path: Path) -> None:
    site.second_page.add("123166")
    summary, _, _ = _run(site, tmp_path, _targets("123166"), policy={"rate": 1000.0})
    assert summary.counts.fetched == 2
    assert site.paths("/provider/") == ["/provider/21/123166", "/provider/21/123166"]


def test_repeated_refusals_stop_the_run(site: Site, tmp_path: Path) -> None:
    site.refuse = True
    urns = ("100001", "100002", "100003", "100004", "100005")
    with pytest.raises(ServiceRefused, match=r"refused 3 requests in a row \(HTTP 403 at .*/provider/21/100003\)"):
        _run(site, tmp_path, _targets(*urns), policy={"rate": 1000.0})
    assert site.paths("/provider/") == ["/provider/21/100001", "/provider/21/100002", "/provider/21/100003"]
    entries = read_manifest(tmp_path / "manifest.jsonl")
    assert [(e.urn, e.reason) for e in entries] == [("100001", "HTTP 403 (refused)"), ("100002", "HTTP 403 (refused)")]


def test_robots_txt_is_obeyed(site: Site, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nDisallow: /provider/\n"
    with pytest.raises(ServiceRefused, match="robots.txt does not allow schoolkg"):
        _run(site, tmp_path, _targets("123166"))
    assert site.paths() == ["/robots.txt"]


def test_crawl_delay_slows_the_rate(site: Site, tmp_path: Path) -> None:
    site.robots = "User-agent: *\nCrawl-delay: 3\n"
    _, _, transport = _run(site, tmp_path, _targets("142350"), policy={"rate": 1000.0})
    times = [t for t, _ in transport.sent]
    assert len(times) == 3 and min(b - a for a, b in zip(times, times[1:], strict=False)) >= 3.0


def test_on_error_fail_stops_at_the_first_failure(site: Site, tmp_path: Path) -> None:
    site.queued["/v1/file/50224032"] = [(500, {})]
    with pytest.raises(FetchError, match=r"URN 123166 \(argument 1\): .*/v1/file/50224032: HTTP 500, gave up"):
        _run(site, tmp_path, _targets("123166", "142350"), policy={"retries": 0}, on_error="fail")
    entries = read_manifest(tmp_path / "manifest.jsonl")
    assert [(e.kind, e.status) for e in entries] == [("school", "listed"), ("document", "failed")]
    assert site.paths("/provider/21/142350") == []


def test_rerun_skips_verified_files_and_refetches_changed_ones(site: Site, tmp_path: Path) -> None:
    _run(site, tmp_path, _targets("123166", "142350"))
    site.requests.clear()
    again, _, _ = _run(site, tmp_path, _targets("123166", "142350"))
    assert (again.counts.fetched, again.counts.skipped) == (0, 3)
    assert site.paths("/v1/") == [] and site.paths("/provider/files/") == []
    (tmp_path / "documents/123166/2023-07-21-50224032.pdf").write_bytes(b"%PDF-1.4 tampered")
    (tmp_path / "documents/142350/2013-10-10-2631211.pdf").unlink()
    site.requests.clear()
    third, _, _ = _run(site, tmp_path, _targets("123166", "142350"))
    assert (third.counts.fetched, third.counts.skipped, third.counts.refetched) == (2, 1, 2)
    assert sorted(site.paths("/v1/") + site.paths("/provider/files/")) == [
        "/provider/files/2631211/urn/142350.pdf",
        "/v1/file/50224032",
    ]
    lines = _lines(tmp_path)  # compacted: one line per school and per document
    assert len(lines) == 5 and len({(e["kind"], e["source_url"]) for e in lines}) == 5


def test_resume_after_a_kill_removes_the_partial_file_and_the_cut_line(site: Site, tmp_path: Path) -> None:
    _run(site, tmp_path, _targets("142350"))
    folder = tmp_path / "documents" / "123166"
    folder.mkdir(parents=True)
    (folder / ".2023-07-21-50224032.pdf.part").write_bytes(b"%PDF-1.4 half")
    with open(tmp_path / "manifest.jsonl", "a") as fh:
        fh.write('{"kind": "document", "urn": "123166", "status": "fetch')  # cut short by the kill
    summary, _, _ = _run(site, tmp_path, _targets("142350", "123166"))
    assert summary.removed_parts == 1
    assert (summary.counts.fetched, summary.counts.skipped) == (2, 1)
    assert not list(tmp_path.rglob("*.part"))
    assert all(json.loads(line) for line in (tmp_path / "manifest.jsonl").read_text().splitlines())


def test_a_broken_transfer_leaves_no_file(site: Site, tmp_path: Path) -> None:
    site.cut_short.add("/v1/file/50224032")
    summary, _, _ = _run(site, tmp_path, _targets("123166"), policy={"retries": 1})
    (failure,) = summary.failures
    assert failure.reason.startswith("connection failed (RemoteProtocolError") and "gave up after 2" in failure.reason
    assert sorted(p.name for p in (tmp_path / "documents" / "123166").iterdir()) == ["2017-03-28-50012345.pdf"]


def test_since_limit_and_dry_run(site: Site, tmp_path: Path) -> None:
    dry, _, _ = _run(site, tmp_path / "c", _targets("123166", "142350"), dry_run=True, since=date(2015, 1, 1))
    assert [(p.urn, p.path) for p in dry.planned] == [
        ("123166", "documents/123166/2023-07-21-50224032.pdf"),
        ("123166", "documents/123166/2017-03-28-50012345.pdf"),
    ]
    assert dry.counts.excluded == 1 and not (tmp_path / "c").exists()
    assert site.paths("/v1/") == [] and site.paths("/provider/files/") == []
    site.requests.clear()
    limited, _, _ = _run(site, tmp_path / "c", _targets("123166", "142350"), limit=1)
    assert limited.counts.fetched == 1 and site.paths("/provider/21/142350") == []


def test_a_page_that_is_not_a_report_is_refused(site: Site, tmp_path: Path) -> None:
    site.content["/v1/file/50224032"] = (b"please log in", "text/plain")
    site.content["/v1/file/50012345"] = (b"<!DOCTYPE html><html><p>A report card</p></html>", "text/html")
    summary, _, _ = _run(site, tmp_path, _targets("123166"))
    assert [f.reason for f in summary.failures] == ["not a PDF or HTML page (text/plain)"]
    assert [p.name for p in (tmp_path / "documents" / "123166").iterdir()] == ["2017-03-28-50012345.html"]


def test_one_run_at_a_time_per_cache(site: Site, tmp_path: Path) -> None:
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / ".lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(InputError, match="another schoolkg fetch is writing this cache"):
            _run(site, tmp_path, _targets("123166"))
