"""`schoolkg fetch` end to end against the local stand-in service: output, errors, and a real kill."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fetch_site import Site, running_site
from typer.testing import CliRunner

from schoolkg.cli import app
from schoolkg.fetch import current, fetch_reports, read_manifest
from schoolkg.fetch.run import _verified  # the same check a rerun makes
from schoolkg.fetch.targets import targets_from_args


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[Site, str]]:
    with running_site() as pair:
        yield pair


@pytest.fixture(autouse=True)
def _never_the_real_service(monkeypatch: pytest.MonkeyPatch) -> None:
    """A command that forgot --base-url would reach a closed local port, never Ofsted."""
    monkeypatch.setenv("SCHOOLKG_OFSTED_URL", "http://127.0.0.1:9")


@pytest.fixture
def site(served: tuple[Site, str]) -> Site:
    served[0].reset()
    return served[0]


def _fetch(site: Site, cache: Path, *args: str) -> object:
    base = ["fetch", "--base-url", site.base, "--cache", str(cache), "--rate", "1000", "--contact", "t@example.org"]
    return CliRunner().invoke(app, [*base, *args])


TABLE = (
    "Web Link,Organisation ID,URN,LAESTAB,School name,Inspection number,Inspection start date,"
    "Inspection end date,Publication date\n"
    "http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/123166,1127495,123166,"
    '9313247,"St Nicolas Church of England Primary School, Abingdon",ITS426502,06/06/2023,07/06/2023,21/07/2023\n'
    "http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/142350,1212468,142350,"
    "9313040,Finstock Church of England Primary School,NULL,NULL,NULL,NULL\n"
)


def test_fetch_from_an_outcomes_table(site: Site, tmp_path: Path) -> None:
    table = tmp_path / "outcomes.csv"
    table.write_text(TABLE)
    result = _fetch(site, tmp_path / "cache", "--from", str(table))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("2 of 2 schools, 3 reports found: fetched 3 (0.0 MB), 0 already cached, 0 failed;")
    assert result.stdout.rstrip().endswith(f"-> {tmp_path / 'cache' / 'manifest.jsonl'}")
    progress = [ln for ln in result.stderr.splitlines() if ln.startswith("progress: ")]
    assert progress[-1].startswith("progress: school 2/2 found 3 fetched 3 skipped 0 failed 0: fetched documents/")
    docs = [e for e in read_manifest(tmp_path / "cache" / "manifest.jsonl") if e.kind == "document"]
    assert {e.source_url.rsplit("/", 1)[-1]: e.inspection_number for e in docs} == {
        "50224032": "ITS426502",
        "50012345": None,
        "142350.pdf": None,
    }
    again = _fetch(site, tmp_path / "cache", "--from", str(table), "--progress", "none")
    assert again.exit_code == 0 and again.stderr == ""
    assert "fetched 0 (0.0 MB), 3 already cached, 0 failed" in again.stdout


def test_dry_run_lists_and_writes_nothing(site: Site, tmp_path: Path) -> None:
    result = _fetch(site, tmp_path / "cache", "123166", "142350", "--dry-run", "--since", "2015-01-01")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:2] == [
        f"123166\t2023-07-21\tSchool inspection\t{site.base}/v1/file/50224032\t"
        "documents/123166/2023-07-21-50224032.pdf",
        f"123166\t2017-03-28\tSection 8 inspection\t{site.base}/v1/file/50012345\t"
        "documents/123166/2017-03-28-50012345.pdf",
    ]
    assert lines[2].startswith("2 of 2 schools, 2 reports found: would fetch 2 (0.0 MB), 0 already cached, 0 failed, ")
    assert "1 published before --since" in lines[2] and "->" not in lines[2]
    assert not (tmp_path / "cache").exists()
    assert site.paths("/v1/") == []


def test_an_unknown_urn_is_reported_and_the_run_goes_on(site: Site, tmp_path: Path) -> None:
    result = _fetch(site, tmp_path / "cache", "999999", "142350", "--progress", "none")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"failed: 999999 {site.base}/provider/21/999999: no page for URN 999999 (HTTP 404")
    assert "fetched 1 " in result.stdout and "1 failed" in result.stdout
    strict = _fetch(site, tmp_path / "cache", "999999", "--on-error", "fail", "--progress", "none")
    assert strict.exit_code == 4
    assert strict.stderr.splitlines()[-1].startswith("error: URN 999999 (argument 1): no page for URN 999999 (HTTP 404")


def test_a_refusing_service_stops_the_run_with_one_line(site: Site, tmp_path: Path) -> None:
    site.refuse = True
    result = _fetch(site, tmp_path / "cache", "100001", "100002", "100003", "100004", "--progress", "none")
    assert result.exit_code == 4
    assert result.stderr == (
        f"error: the service refused 3 requests in a row (HTTP 403 at {site.base}/provider/21/100003); stopping. "
        "Check its terms, slow down with --rate, or give a --contact\n"
    )
    assert site.paths("/provider/") == ["/provider/21/100001", "/provider/21/100002", "/provider/21/100003"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["12a456"], "error: argument 1: URN: not a 6-digit URN: '12a456'"),
        ([], "error: no schools to fetch: give URNs or --from FILE"),
        (["123166", "--since", "yesterday"],
         "error: --since: not a date: 'yesterday' (use dd/mm/yyyy or yyyy-mm-dd)"),
        (["123166", "--on-error", "retry"], "error: unknown --on-error 'retry'; use skip or fail"),
        (["123166", "--rate", "0"], "error: --rate must be above 0 requests a second, not 0.0"),
        (["123166", "--base-url", "reports.ofsted.gov.uk"],
         "error: --base-url: not an http(s) URL: 'reports.ofsted.gov.uk'"),
        (["--from", "missing.txt"], "error: missing.txt: cannot read: No such file or directory"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_2(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    cli = ["fetch", "--cache", str(tmp_path / "c"), "--progress", "none"]
    if "--base-url" not in args:
        cli += ["--base-url", site.base]
    result = CliRunner().invoke(app, [*cli, *args])
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert site.requests == []  # nothing is asked of the service before the input is known good


def test_bad_table_names_file_line_and_field(site: Site, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(TABLE.replace("ELS/142350,1212468,142350", "ELS/142350,1212468,142351"))
    result = _fetch(site, tmp_path / "c", "--from", str(table))
    assert result.exit_code == 2
    assert result.stderr == f"error: {table}:3: Web Link: the link names URN 142350, the URN column 142351\n"


def test_a_killed_run_lists_no_half_written_file_and_resumes(site: Site, tmp_path: Path) -> None:
    """SIGKILL in the middle of a download: what the manifest lists is whole; a rerun finishes the job."""
    slow = "/v1/file/50012345"  # the second report of the school: the first is done when the kill comes
    site.slow[slow] = 0.25
    cache = tmp_path / "cache"
    cmd = [sys.executable, "-m", "schoolkg", "fetch", "123166", "--base-url", site.base, "--cache", str(cache)]
    proc = subprocess.Popen([*cmd, "--rate", "1000", "--progress", "none"], stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 15
        while not list(cache.glob("documents/123166/.*.part")):
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
            assert time.monotonic() < deadline, "the download never started"
            time.sleep(0.05)
        time.sleep(0.3)
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
        if proc.stderr:
            proc.stderr.close()
    entries = current(read_manifest(cache / "manifest.jsonl"))
    listed = [e for e in entries.values() if e.kind == "document"]
    assert [e.source_url.rsplit("/", 1)[-1] for e in listed] == ["50224032"]
    assert all(e.status == "fetched" and _verified(cache, e) for e in listed)
    assert not any(e.path and e.path.endswith(".part") for e in listed)
    assert len(list(cache.glob("documents/123166/.*.part"))) == 1
    del site.slow[slow]
    summary = fetch_reports(targets_from_args(["123166"]), cache, service=_service(site), policy=_fast())
    assert (summary.removed_parts, summary.counts.fetched, summary.counts.skipped) == (1, 1, 1)
    lines = (cache / "manifest.jsonl").read_text().splitlines()
    assert [json.loads(ln)["status"] for ln in lines] == ["listed", "fetched", "fetched"]


def _service(site: Site):  # type: ignore[no-untyped-def]
    from schoolkg.fetch import Service

    return Service(site.base)


def _fast():  # type: ignore[no-untyped-def]
    from schoolkg.fetch import Policy

    return Policy(rate=1000.0)
