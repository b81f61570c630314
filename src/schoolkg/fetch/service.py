"""Ofsted's public reports service: where a school's page is, and the reports its page lists.

Every address the fetcher uses is built here, from one ``Service`` (tests aim it at a local
server with ``base_url``). The scheme was learned from public scrapers (docs/fetch.md):

- a school's page is ``{base}/provider/{category}/{URN}``; state schools appear under
  category 21 (schools) or 23 (secondary schools in some scrapers), so both are tried in turn;
- the page lists every published report as a timeline event, ``li.timeline__day``, holding the
  inspection date in ``.timeline__date time`` and a link ``a.publication-link`` to the PDF at
  ``https://files.ofsted.gov.uk/v1/file/{id}`` whose hidden text (``span.nonvisual``) reads
  "School inspection, PDF - 21 July 2023": the report type and the publication date;
- older pages and tables link PDFs as ``/provider/files/{id}/urn/{URN}.pdf``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin, urlsplit

from schoolkg.errors import InputError

__all__ = [
    "DEFAULT_BASE_URL",
    "SCHOOL_CATEGORIES",
    "ProviderPage",
    "ReportLink",
    "Service",
    "document_name",
    "parse_provider_page",
]

DEFAULT_BASE_URL = "https://reports.ofsted.gov.uk"
PROVIDER_PATH = "/provider/{category}/{urn}"
SCHOOL_CATEGORIES = (21, 23)

_FILE_ID = (
    re.compile(r"/v1/file/(\d+)(?:[/?#]|$)"),  # files.ofsted.gov.uk, since about 2019
    re.compile(r"/provider/files/(\d+)/urn/\d+\.pdf$", re.I),  # reports.ofsted.gov.uk, before
)
_PDF_DATE = re.compile(r",?\s*PDF\s*-\s*(.+?)\s*$", re.I)
_DATE_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\s+(\d{4})")
_MONTHS = {
    m: i
    for i, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        1,
    )
    for m in names
}
MAX_PAGES = 20
"""Most pages followed for one school when its page links a next page of its timeline."""


@dataclass(frozen=True)
class Service:
    """The reports service's addresses: ``base_url`` and the provider categories to try."""

    base_url: str = DEFAULT_BASE_URL
    categories: tuple[int, ...] = SCHOOL_CATEGORIES

    def __post_init__(self) -> None:
        parts = urlsplit(self.base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise InputError(f"not an http(s) URL: {self.base_url!r}", field="--base-url")
        object.__setattr__(self, "base_url", self.base_url.rstrip("/"))

    def provider_urls(self, urn: str) -> list[str]:
        """The school's page addresses to try, in order.

        >>> Service().provider_urls("123166")
        ['https://reports.ofsted.gov.uk/provider/21/123166', 'https://reports.ofsted.gov.uk/provider/23/123166']
        """
        return [self.base_url + PROVIDER_PATH.format(category=c, urn=urn) for c in self.categories]


@dataclass(frozen=True)
class ReportLink:
    """One report a school's page links: where, what, and its dates where the page gives them."""

    url: str
    report_type: str
    inspection_date: date | None = None
    published: date | None = None

    @property
    def file_id(self) -> str:
        """The service's file number, or a short hash of the URL when the URL has none.

        >>> ReportLink("https://files.ofsted.gov.uk/v1/file/50224032", "School inspection").file_id
        '50224032'
        """
        for pattern in _FILE_ID:
            m = pattern.search(urlsplit(self.url).path)
            if m:
                return m.group(1)
        return hashlib.sha256(self.url.encode()).hexdigest()[:12]


@dataclass(frozen=True)
class ProviderPage:
    """A school's page: its name, the reports it lists (newest first, as listed), a next page."""

    url: str
    name: str
    reports: list[ReportLink] = field(default_factory=list)
    next_url: str | None = None


def parse_provider_page(html: str, page_url: str) -> ProviderPage:
    """The reports a provider page lists, read from its timeline (or, lacking one, its file links).

    >>> page = parse_provider_page('''<h1 class="heading--title">Hill School</h1><ol class="timeline">
    ... <li class="timeline__day"><div class="event"><p class="timeline__date"><time>07 June 2023</time></p>
    ... <a class="publication-link" href="https://files.ofsted.gov.uk/v1/file/50224032">School inspection
    ... <span class="nonvisual">School inspection, PDF - 21 July 2023</span></a></div></li>
    ... <li class="timeline__day timeline__day--opened"><time>01 September 2011</time> Opened</li></ol>''',
    ...     "https://reports.ofsted.gov.uk/provider/21/123166")
    >>> page.name, page.reports
    ('Hill School', [ReportLink(url='https://files.ofsted.gov.uk/v1/file/50224032', report_type='School inspection', \
inspection_date=datetime.date(2023, 6, 7), published=datetime.date(2023, 7, 21))])
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    title = tree.css_first("h1")
    name = " ".join(title.text(separator=" ").split()) if title is not None else ""
    reports: list[ReportLink] = []
    seen: set[str] = set()
    for a in tree.css("a[href]"):
        href = (a.attributes.get("href") or "").strip()
        url = urljoin(page_url, href)
        if urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        classes = (a.attributes.get("class") or "").split()
        if "publication-link" not in classes and not _is_report_file(url):
            continue
        seen.add(url)
        reports.append(_report(a, url))
    return ProviderPage(page_url, name, reports, _next_page(tree, page_url))


def document_name(link: ReportLink, suffix: str = ".pdf") -> str:
    """The file name a report is cached under: its date (published, else inspected) and file id.

    >>> document_name(ReportLink("https://files.ofsted.gov.uk/v1/file/50224032", "S", published=date(2023, 7, 21)))
    '2023-07-21-50224032.pdf'
    """
    when = link.published or link.inspection_date
    stem = f"{when.isoformat() if when else 'undated'}-{link.file_id}"
    return re.sub(r"[^A-Za-z0-9._-]", "_", stem) + suffix


def _is_report_file(url: str) -> bool:
    path = urlsplit(url).path
    return any(p.search(path) for p in _FILE_ID) or path.lower().endswith(".pdf")


def _report(a, url: str) -> ReportLink:  # type: ignore[no-untyped-def]  # a selectolax node
    hidden = a.css_first(".nonvisual")
    hidden_text = " ".join(hidden.text(separator=" ").split()) if hidden is not None else ""
    visible = " ".join(a.text(deep=False, separator=" ").split())
    if not visible:  # the link's words may sit in child elements other than the hidden one
        visible = " ".join(a.text(separator=" ").split()).replace(hidden_text, "").strip()
    report_type = _PDF_DATE.sub("", hidden_text).strip() or visible or "Inspection report"
    published = _page_date(m.group(1)) if (m := _PDF_DATE.search(hidden_text)) else None
    event = a.parent
    while event is not None and not _is_event(event):
        event = event.parent
    inspected = None
    if event is not None:
        stamp = event.css_first(".timeline__date time") or event.css_first(".timeline__date")
        for t in event.css("time"):
            words = " ".join((t.parent.text(separator=" ") if t.parent is not None else "").split())
            if words.lower().startswith("published") and published is None:
                published = _page_date(t.text())
            elif stamp is None:
                stamp = t
        if stamp is not None:
            inspected = _page_date(stamp.text())
    return ReportLink(url, report_type, inspected, published)


def _is_event(node) -> bool:  # type: ignore[no-untyped-def]
    classes = (node.attributes.get("class") or "").split() if node.tag not in ("-document", "html") else []
    return "timeline__day" in classes or "event" in classes or node.tag == "li"


def _next_page(tree, page_url: str) -> str | None:  # type: ignore[no-untyped-def]
    node = tree.css_first("a[rel=next]") or tree.css_first("a.pagination__next")
    if node is None:
        return None
    url = urljoin(page_url, (node.attributes.get("href") or "").strip())
    same_site = urlsplit(url).netloc == urlsplit(page_url).netloc
    return url if same_site and url != page_url else None


def _page_date(text: str) -> date | None:
    """ "07 June 2023" (or "7th Jun 2023") as a date; None when it is not one."""
    m = _DATE_WORDS.search(text)
    if not m:
        return None
    month = _MONTHS.get(m.group(2).lower())
    if month is None:
        return None
    try:
        return date(int(m.group(3)), month, int(m.group(1)))
    except ValueError:
        return None
