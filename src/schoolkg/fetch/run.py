"""Fetch schools' inspection reports into a cache folder with a manifest (the fetch stage's run).

The cache, usable later as a build corpus::

    CACHE/manifest.jsonl                 one JSON line per report file and per school page
    CACHE/documents/URN/DATE-FILEID.pdf  each report, DATE its publication date (ISO)

A rerun skips every report the manifest lists as fetched whose file is still there with the
same sha256; failures are retried. Files are written as ``.NAME.part`` and renamed only when
complete, then listed; a killed run leaves at most a ``.part`` file, removed by the next run.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from schoolkg.errors import ConfigError, InputError
from schoolkg.fetch.client import FetchError, NotFound, Policy, PoliteClient, RequestFailed, user_agent
from schoolkg.fetch.manifest import MANIFEST, Entry, ManifestLog, current, read_manifest, write_manifest
from schoolkg.fetch.service import MAX_PAGES, ReportLink, Service, document_name, parse_provider_page
from schoolkg.fetch.targets import KnownInspection, Target

__all__ = ["ON_ERROR", "Counts", "FetchOptions", "FetchSummary", "Planned", "fetch_reports"]

ON_ERROR = ("skip", "fail")
DOCUMENTS = "documents"


@dataclass(frozen=True)
class FetchOptions:
    """What to fetch: ``limit`` documents at most, only those published after ``since``."""

    dry_run: bool = False
    limit: int | None = None
    since: date | None = None
    on_error: str = "skip"

    def __post_init__(self) -> None:
        if self.on_error not in ON_ERROR:
            raise ConfigError(f"unknown --on-error {self.on_error!r}; use skip or fail")
        if self.limit is not None and self.limit < 0:
            raise ConfigError(f"--limit must be 0 or more, not {self.limit}")


@dataclass
class Counts:
    """Progress so far. ``failed`` counts documents and schools; ``excluded`` those before --since."""

    schools: int = 0
    found: int = 0
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    excluded: int = 0
    refetched: int = 0
    bytes: int = 0


@dataclass(frozen=True)
class Planned:
    """A document a dry run would fetch."""

    urn: str
    link: ReportLink
    path: str
    inspection_number: str | None


@dataclass
class FetchSummary:
    """What a run did: counts, the failures (as manifest entries), a dry run's plan, the time."""

    cache: Path
    schools: int
    counts: Counts
    failures: list[Entry] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    removed_parts: int = 0
    seconds: float = 0.0
    requests: int = 0


Progress = Callable[[str, Counts], None]


def fetch_reports(
    targets: Sequence[Target],
    cache: Path | str,
    *,
    service: Service | None = None,
    policy: Policy | None = None,
    contact: str | None = None,
    options: FetchOptions | None = None,
    client: PoliteClient | None = None,
    progress: Progress | None = None,
) -> FetchSummary:
    """Download the inspection reports of ``targets`` into ``cache`` (see the module docstring).

    Parameters
    ----------
    targets : sequence of Target
        Schools, from ``targets_from_args`` or ``read_targets`` (merged by ``merge_targets``).
    cache : path
        The cache folder; created if missing (not by a dry run).
    service, policy, contact :
        The service's addresses, how politely to fetch, and the contact put in the User-Agent.
    options : FetchOptions
        Dry run, ``limit``, ``since`` and ``on_error`` (skip: record and carry on; fail: stop).
    client : PoliteClient, optional
        A client to use instead of one made from ``policy`` (tests pass one with a fake clock).
    progress : callable, optional
        Called as ``progress(event, counts)`` after each school and each document.

    Raises
    ------
    ServiceRefused
        The service refused repeatedly, asked to wait too long, or robots.txt forbids fetching.
    FetchError
        With ``on_error="fail"``, the first school or document that could not be fetched.
    """
    started = time.monotonic()
    cache = Path(cache)
    service = service or Service()
    options = options or FetchOptions()
    own_client = client is None
    http = client or PoliteClient(policy or Policy(), user_agent(contact))
    summary = FetchSummary(cache, len(targets), Counts())
    run = _Run(cache, service, options, http, summary, progress or (lambda event, counts: None))
    try:
        if options.dry_run:
            run.state = current(read_manifest(cache / MANIFEST))
            run.all(targets)
        else:
            (cache / DOCUMENTS).mkdir(parents=True, exist_ok=True)
            with _locked(cache):
                summary.removed_parts = _remove_parts(cache / DOCUMENTS)
                run.state = current(read_manifest(cache / MANIFEST))
                try:
                    with ManifestLog(cache / MANIFEST) as log:
                        run.log = log
                        run.all(targets)
                finally:
                    write_manifest(cache / MANIFEST, run.state.values())
    finally:
        summary.requests = http.requests
        if own_client:
            http.close()
        summary.seconds = time.monotonic() - started
    return summary


class _Limit(Exception):
    """The --limit is reached: stop listing schools."""


@dataclass
class _Run:
    cache: Path
    service: Service
    options: FetchOptions
    http: PoliteClient
    summary: FetchSummary
    progress: Progress
    state: dict[tuple[str, str], Entry] = field(default_factory=dict)
    log: ManifestLog | None = None
    attempts: int = 0

    @property
    def counts(self) -> Counts:
        return self.summary.counts

    def all(self, targets: Sequence[Target]) -> None:
        try:
            for target in targets:
                if self.options.limit is not None and self.attempts >= self.options.limit:
                    break
                self.school(target)
        except _Limit:
            pass

    def school(self, target: Target) -> None:
        self.counts.schools += 1
        listed = self.list_reports(target)
        if listed is None:
            return
        for link in listed:
            when = link.published or link.inspection_date
            if self.options.since is not None and (when is None or when <= self.options.since):
                self.counts.excluded += 1
                continue
            self.counts.found += 1
            self.document(target, link)

    def list_reports(self, target: Target) -> list[ReportLink] | None:
        """The school's reports, newest first as its page lists them; None if it could not be listed."""
        urls = self.service.provider_urls(target.urn)
        missing = []
        for url in urls:
            try:
                page = parse_provider_page(self.http.get_page(url), url)
            except NotFound as err:
                missing.append(f"HTTP {err.status} at {url}")
                continue
            except RequestFailed as err:
                self.fail_school(target, url, err.reason)
                return None
            links, pages = list(page.reports), 1
            next_url, seen = page.next_url, {url}
            while next_url and next_url not in seen and pages < MAX_PAGES:
                seen.add(next_url)
                try:
                    more = parse_provider_page(self.http.get_page(next_url), next_url)
                except RequestFailed as err:
                    self.fail_school(target, next_url, f"next page: {err.reason}")
                    return None
                links += [r for r in more.reports if r.url not in {x.url for x in links}]
                next_url, pages = more.next_url, pages + 1
            entry = Entry("school", target.urn, "listed", url, school_name=page.name or None, reports=len(links))
            self.record(entry)
            self.progress(f"listed {target.urn}: {len(links)} reports", self.counts)
            return links
        self.fail_school(target, urls[0], f"no page for URN {target.urn} ({', '.join(missing)})")
        return None

    def fail_school(self, target: Target, url: str, reason: str) -> None:
        entry = Entry("school", target.urn, "failed", url, reason=reason, fetched_at=self.stamp())
        self.counts.failed += 1
        self.summary.failures.append(entry)
        self.record(entry)
        self.progress(f"failed {target.urn}: {reason}", self.counts)
        if self.options.on_error == "fail":
            raise FetchError(f"URN {target.urn} ({target.where}): {reason}")

    def document(self, target: Target, link: ReportLink) -> None:
        known = _match(link, target.inspections)
        inspected = link.inspection_date or (known.start if known else None)
        prev = self.state.get(("document", link.url))
        if prev is not None and prev.status == "fetched":
            if _verified(self.cache, prev):
                self.counts.skipped += 1
                return
            self.counts.refetched += 1
        if self.options.limit is not None and self.attempts >= self.options.limit:
            raise _Limit
        self.attempts += 1
        name = document_name(link)
        rel = f"{DOCUMENTS}/{target.urn}/{name}"
        if self.options.dry_run:
            self.summary.planned.append(Planned(target.urn, link, rel, known.number if known else None))
            return
        base = Entry(
            "document",
            target.urn,
            "failed",
            link.url,
            report_type=link.report_type,
            inspection_date=inspected.isoformat() if inspected else None,
            inspection_number=known.number if known else None,
            publication_date=link.published.isoformat() if link.published else None,
        )
        entry = self.download(base, name)
        self.record(entry)
        if entry.status == "fetched":
            self.counts.fetched += 1
            self.counts.bytes += entry.bytes or 0
            self.progress(f"fetched {entry.path}", self.counts)
        else:
            self.counts.failed += 1
            self.summary.failures.append(entry)
            self.progress(f"failed {target.urn} {link.url}: {entry.reason}", self.counts)
            if self.options.on_error == "fail":
                raise FetchError(f"URN {target.urn} ({target.where}): {link.url}: {entry.reason}")

    def download(self, base: Entry, name: str) -> Entry:
        folder = self.cache / DOCUMENTS / base.urn
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f".{name}.part"
        try:
            with open(part, "wb") as out:
                try:
                    got = self.http.download(base.source_url, out)
                except RequestFailed as err:
                    return replace(base, reason=err.reason, fetched_at=self.stamp())
                out.flush()
                os.fsync(out.fileno())
            suffix = _suffix(got.head, got.content_type)
            if got.size == 0 or suffix is None:
                what = "an empty response" if got.size == 0 else f"not a PDF or HTML page ({got.content_type or '?'})"
                return replace(base, reason=what, fetched_at=self.stamp(), content_type=got.content_type or None)
            final = folder / (name.rsplit(".", 1)[0] + suffix)
            os.replace(part, final)
            _fsync_dir(folder)
        finally:
            with suppress(FileNotFoundError):
                part.unlink()
        return replace(
            base,
            status="fetched",
            path=final.relative_to(self.cache).as_posix(),
            sha256=got.sha256,
            bytes=got.size,
            content_type=got.content_type or None,
            fetched_at=self.stamp(),
        )

    def record(self, entry: Entry) -> None:
        if self.options.dry_run:
            return
        if entry.fetched_at is None:
            entry = replace(entry, fetched_at=self.stamp())
        assert self.log is not None
        self.log.append(entry)
        self.state[entry.key] = entry

    def stamp(self) -> str:
        return self.http.clock.now().replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _match(link: ReportLink, known: Sequence[KnownInspection]) -> KnownInspection | None:
    """The inspection a table names that this report is of: same publication date, or inspected then."""
    for k in known:
        if link.published is not None and k.published == link.published:
            return k
    for k in known:
        if (
            link.inspection_date is not None
            and k.start is not None
            and k.start <= link.inspection_date <= (k.end or k.start)
        ):
            return k
    return None


def _suffix(head: bytes, content_type: str) -> str | None:
    if head.lstrip()[:5] == b"%PDF-":
        return ".pdf"
    sniff = head.lstrip()[:512].lower()
    if content_type in ("text/html", "application/xhtml+xml") or sniff.startswith((b"<!doctype html", b"<html")):
        return ".html"
    return None


def _verified(cache: Path, entry: Entry) -> bool:
    """The file the entry lists is there with the size and sha256 it lists."""
    if not entry.path or not entry.sha256:
        return False
    path = cache / entry.path
    try:
        if path.stat().st_size != entry.bytes:
            return False
        digest = hashlib.sha256()
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return False
    return digest.hexdigest() == entry.sha256


def _remove_parts(documents: Path) -> int:
    """Remove the ``.part`` files a killed run left; return how many."""
    removed = 0
    with os.scandir(documents) as folders:
        for folder in folders:
            if folder.is_dir(follow_symlinks=False):
                for part in Path(folder.path).glob(".*.part"):
                    part.unlink()
                    removed += 1
    return removed


@contextmanager
def _locked(cache: Path) -> Iterator[None]:
    """Hold ``CACHE/.lock`` for the run, so two runs never write one cache (released if killed)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    with open(cache / ".lock", "w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            raise InputError("another schoolkg fetch is writing this cache", path=cache) from None
        yield


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
