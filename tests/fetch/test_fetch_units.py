"""The fetch stage's pure parts: reading targets, parsing provider pages, the manifest (no server)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from conftest import ROOT, SHARED
from schoolkg.errors import InputError
from schoolkg.fetch import Entry, Service, parse_provider_page, read_manifest, read_targets
from schoolkg.fetch.client import _retry_after  # the header rule, tested where it lives
from schoolkg.fetch.service import ReportLink, document_name
from schoolkg.fetch.targets import KnownInspection, merge_targets, parse_targets_text, targets_from_args

OUTCOMES = SHARED / "data" / "ofsted" / "oxfordshire-outcomes-2017-12-31.csv"
PAGE = "https://reports.ofsted.gov.uk/provider/21/123166"


def test_fetch_imports_only_the_ground_floor() -> None:
    allowed = {"schoolkg.errors", "schoolkg.model", "schoolkg.resources", "schoolkg.iris", "schoolkg.vocab"}
    for path in sorted((ROOT / "src" / "schoolkg" / "fetch").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("schoolkg"):
                assert node.module in allowed or node.module.startswith("schoolkg.fetch"), (path.name, node.module)


# --- provider pages ---------------------------------------------------------------------------------


def test_page_parsing_reads_types_dates_and_both_link_shapes() -> None:
    html = """<html><body><h1>  Hill   School </h1>
    <nav><a href="/">Home</a><a href="/search">Search</a><a href="mailto:x@y">Mail</a></nav>
    <ol class="timeline">
      <li class="timeline__day"><div class="event">
        <p class="timeline__date"><time>7 June 2023</time></p>
        <a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50224032" target="_blank">
          School inspection <span class="nonvisual">School inspection, PDF - 21 July 2023</span></a>
        <div>Published <time>21 July 2023</time></div></div></li>
      <li class="timeline__day"><div class="event">
        <p class="timeline__date"><time>01 March 2017</time></p>
        <a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50012345">Short inspection</a>
        <div>Published <time>28 March 2017</time></div></div></li>
      <li class="timeline__day"><div class="event"><p class="timeline__date"><time>18 September 2013</time></p>
        <a href="/provider/files/2631211/urn/123166.pdf"><span>Section 5</span></a></div></li>
      <li class="timeline__day"><div class="event">
        <a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50224032">duplicate</a></div></li>
      <li class="timeline__day timeline__day--opened"><time>1 September 2001</time> Opened</li>
    </ol><a href="https://files.ofsted.gov.uk/v1/file/99">Latest report</a></body></html>"""
    page = parse_provider_page(html, PAGE)
    assert page.name == "Hill School" and page.next_url is None
    assert [(r.url.rsplit("/", 1)[-1], r.report_type, r.inspection_date, r.published) for r in page.reports] == [
        ("50224032", "School inspection", date(2023, 6, 7), date(2023, 7, 21)),
        ("50012345", "Short inspection", date(2017, 3, 1), date(2017, 3, 28)),
        ("123166.pdf", "Section 5", date(2013, 9, 18), None),
        ("99", "Latest report", None, None),  # a file link outside the timeline is still a report
    ]
    assert page.reports[2].url == "https://reports.ofsted.gov.uk/provider/files/2631211/urn/123166.pdf"
    assert [r.file_id for r in page.reports] == ["50224032", "50012345", "2631211", "99"]


def test_page_without_reports_and_with_a_foreign_next_link() -> None:
    page = parse_provider_page('<h1>X</h1><p>No reports</p><a rel="next" href="https://evil.example/p2">n</a>', PAGE)
    assert page.reports == [] and page.next_url is None
    page = parse_provider_page('<a class="pagination__next" href="?page=2">Next</a>', PAGE)
    assert page.next_url == PAGE + "?page=2"


def test_garbled_dates_are_unknown_not_errors() -> None:
    html = """<li class="timeline__day"><p class="timeline__date"><time>31 February 2023</time></p>
    <a class="publication-link" href="/v1/file/1">X <span class="nonvisual">X, PDF - sometime</span></a></li>"""
    (r,) = parse_provider_page(html, PAGE).reports
    assert (r.report_type, r.inspection_date, r.published) == ("X", None, None)


def test_document_names_are_safe_and_stable() -> None:
    link = ReportLink("https://example.org/weird/../r?id=1&x=<2>", "X", inspection_date=date(2020, 1, 2))
    name = document_name(link)
    assert name.startswith("2020-01-02-") and name.endswith(".pdf") and "/" not in name
    assert name == document_name(link)
    assert document_name(ReportLink("https://files.ofsted.gov.uk/v1/file/7", "X")) == "undated-7.pdf"


def test_base_url_must_be_http() -> None:
    with pytest.raises(InputError, match=r"--base-url: not an http\(s\) URL: 'ftp://x'"):
        Service("ftp://x")
    assert Service("http://127.0.0.1:8000/").provider_urls("100001")[1] == "http://127.0.0.1:8000/provider/23/100001"


def test_retry_after_forms() -> None:
    from datetime import UTC, datetime

    now = datetime(2024, 1, 1, tzinfo=UTC)
    assert _retry_after("120", now) == 120.0
    assert _retry_after("Sun, 31 Dec 2023 23:00:00 GMT", now) == 0.0  # in the past: go now
    assert _retry_after("soon", now) is None and _retry_after(None, now) is None


# --- targets ----------------------------------------------------------------------------------------


def test_urn_list_file_with_comments_links_and_an_error(tmp_path: Path) -> None:
    good = tmp_path / "urns.txt"
    good.write_text("# Oxfordshire\n123166  # St Nicolas\nhttps://reports.ofsted.gov.uk/provider/21/142350\n\n")
    assert [(t.urn, t.where) for t in read_targets(good)] == [("123166", f"{good}:2"), ("142350", f"{good}:3")]
    bad = tmp_path / "bad.txt"
    bad.write_text("123166\n142350\nabc\n")
    with pytest.raises(InputError) as err:
        read_targets(bad)
    assert str(err.value) == f"{bad}:3: URN: not a 6-digit URN: 'abc'"


def test_table_with_web_links_in_the_old_scheme() -> None:
    text = (
        "Web Link,URN,School name,Inspection number,Inspection start date,Inspection end date,Publication date,"
        "Previous inspection number,Previous inspection start date,Previous publication date\n"
        "http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/123166,123166,"
        '"St Nicolas, Abingdon",ITS426502,19/11/2013,20/11/2013,11/12/2013,ITS380610,02/11/2011,24/11/2011\n'
        "http://www.ofsted.gov.uk/inspection-reports/find-inspection-report/provider/ELS/142350,,Finstock,"
        "NULL,NULL,NULL,NULL,NULL,NULL,NULL\n"
    )
    a, b = parse_targets_text(text, "t.csv")
    assert (a.urn, a.where, b.urn, b.where, b.inspections) == ("123166", "t.csv:2", "142350", "t.csv:3", ())
    assert a.inspections == (
        KnownInspection("ITS426502", date(2013, 11, 19), date(2013, 12, 11), date(2013, 11, 20)),
        KnownInspection("ITS380610", date(2011, 11, 2), date(2011, 11, 24), None),
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("School,Town\nHill,Oxford\n", "t.csv:1: no URN or Web Link column (header: School, Town)"),
        ("URN,Web Link\n123166,http://www.ofsted.gov.uk/x/provider/ELS/142350\n",
         "t.csv:2: Web Link: the link names URN 142350, the URN column 123166"),
        ("URN,Web Link\n,https://www.gov.uk/\n", "t.csv:2: Web Link: no URN in the link 'https://www.gov.uk/'"),
        ("URN,Name\n,Hill\n", "t.csv:2: URN: no URN in the row"),
        ("URN,Name\n12345,Hill\n", "t.csv:2: URN: not a 6-digit URN: '12345'"),
        ("URN,Publication date\n123166,31/02/2013\n",
         "t.csv:2: Publication date: not a date: '31/02/2013' (use dd/mm/yyyy or yyyy-mm-dd)"),
        ("URN\tName\n1x3166\tHill\n", "t.csv:2: URN: not a 6-digit URN: '1x3166'"),
    ],
)  # fmt: skip
def test_bad_tables_name_file_line_and_field(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_targets_text(text, "t.csv")
    assert str(err.value) == message


def test_windows_1252_and_bom_tables(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("URN,School name\r\n123166,St Nicolas\u2019s\r\n".encode("cp1252"))
    assert [t.urn for t in read_targets(path)] == ["123166"]
    path.write_bytes("\ufeffURN\r\n142350\r\n".encode())
    assert [t.urn for t in read_targets(path)] == ["142350"]


def test_arguments_and_merging() -> None:
    targets = targets_from_args(["123166", "http://www.ofsted.gov.uk/inspection-reports/x/provider/ELS/123166"])
    assert [t.urn for t in merge_targets(targets)] == ["123166"]
    with pytest.raises(InputError, match=r"^argument 2: URN: not a 6-digit URN: '1'$"):
        targets_from_args(["123166", "1"])


@pytest.mark.skipif(not OUTCOMES.exists(), reason="../shared/data is not here")
def test_the_real_oxfordshire_outcomes_table() -> None:
    targets = read_targets(OUTCOMES)
    assert len(targets) == 299 and len({t.urn for t in targets}) == 299
    first = targets[0]
    assert first.urn == "123166" and first.inspections[0] == KnownInspection(
        "ITS426502", date(2013, 11, 19), date(2013, 12, 11), date(2013, 11, 20)
    )
    assert sum(1 for t in targets if not t.inspections) == 9  # not yet inspected under their new URN


# --- the manifest -----------------------------------------------------------------------------------


def test_manifest_drops_a_cut_last_line_but_not_a_bad_middle_one(tmp_path: Path) -> None:
    path = tmp_path / "manifest.jsonl"
    good = Entry("school", "123166", "listed", "http://x/provider/21/123166", reports=0).to_json()
    path.write_text(good + "\n" + '{"kind": "doc')
    assert [e.urn for e in read_manifest(path)] == ["123166"]
    path.write_text(good + "\nnot json\n" + good + "\n")
    with pytest.raises(InputError, match=r"manifest.jsonl:2: not a manifest entry"):
        read_manifest(path)
    path.write_text('{"kind": "document", "urn": "1", "status": "maybe", "source_url": "u"}\n')
    with pytest.raises(InputError, match=r"manifest.jsonl:1: not a manifest entry \(kind 'document' / status"):
        read_manifest(path)
