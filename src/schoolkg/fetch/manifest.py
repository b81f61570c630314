"""The cache's manifest: one JSON line per report file (and per school page), appended as work is done.

``CACHE/manifest.jsonl`` is a log: each line is written, flushed and fsync'd only after the file
it describes is complete and renamed into place, so a killed run never lists a half-written
file. A line cut short by a kill is dropped on the next read. When the same report (or school)
appears more than once, the last line wins; a run that ends compacts the log to one line each.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import IO

from schoolkg.errors import InputError

__all__ = ["MANIFEST", "Entry", "ManifestLog", "current", "read_manifest", "write_manifest"]

MANIFEST = "manifest.jsonl"
KINDS = ("document", "school")
STATUSES = ("fetched", "failed", "listed")


@dataclass(frozen=True)
class Entry:
    """One manifest line. Dates are ISO strings; ``path`` is relative to the cache folder.

    ``kind`` is ``document`` (a report file: ``fetched`` or ``failed``) or ``school`` (the school's
    page: ``listed`` with ``reports`` found, or ``failed``). ``reason`` says why a line failed.
    """

    kind: str
    urn: str
    status: str
    source_url: str
    path: str | None = None
    school_name: str | None = None
    report_type: str | None = None
    inspection_date: str | None = None
    inspection_number: str | None = None
    publication_date: str | None = None
    sha256: str | None = None
    bytes: int | None = None
    content_type: str | None = None
    reports: int | None = None
    fetched_at: str | None = None
    reason: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        """What a later line replaces: a document by its source URL, a school by its URN."""
        return (self.kind, self.source_url if self.kind == "document" else self.urn)

    def to_json(self) -> str:
        """The entry as one JSON line (no newline), fields in a fixed order.

        >>> line = Entry("school", "123166", "failed", "http://x/provider/21/123166", reason="HTTP 404").to_json()
        >>> list(json.loads(line))[:5]
        ['kind', 'urn', 'status', 'source_url', 'path']
        """
        return json.dumps(asdict(self), ensure_ascii=False)


_FIELDS = {f.name for f in fields(Entry)}


def read_manifest(path: Path) -> list[Entry]:
    """Every entry of the manifest at ``path`` in order ([] if there is none yet).

    A last line without its newline (a run killed while writing it) is ignored; any other line
    that is not an entry is an InputError naming the manifest and the line.
    """
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")
    tail_cut = not text.endswith("\n")
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(_entry(json.loads(line)))
        except (ValueError, TypeError, KeyError) as err:
            if tail_cut and n == len(lines):
                break
            raise InputError(f"not a manifest entry ({err})", path=path, line=n) from None
    return out


def current(entries: Iterable[Entry]) -> dict[tuple[str, str], Entry]:
    """The last entry for each document and school, in first-seen order.

    >>> a = Entry("document", "123166", "failed", "u", reason="HTTP 503")
    >>> b = Entry("document", "123166", "fetched", "u", path="documents/123166/x.pdf")
    >>> [e.status for e in current([a, b]).values()]
    ['fetched']
    """
    out: dict[tuple[str, str], Entry] = {}
    for e in entries:
        out[e.key] = e
    return out


def write_manifest(path: Path, entries: Iterable[Entry]) -> None:
    """Replace the manifest atomically with ``entries``, sorted by URN, school first, then date."""

    def order(e: Entry) -> tuple[str, int, str, str]:
        return (e.urn, 0 if e.kind == "school" else 1, e.publication_date or e.inspection_date or "", e.source_url)

    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for e in sorted(entries, key=order):
            fh.write(e.to_json() + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    _fsync_dir(path.parent)


class ManifestLog:
    """Append entries durably: each line is on disk before ``append`` returns."""

    def __init__(self, path: Path) -> None:
        self.path = path
        _repair_tail(path)
        self._fh: IO[str] = open(path, "a", encoding="utf-8", newline="\n")  # noqa: SIM115  # closed by close()

    def append(self, entry: Entry) -> None:
        self._fh.write(entry.to_json() + "\n")
        self._fh.flush()
        os.fsync(self._fh.fileno())

    def close(self) -> None:
        self._fh.close()

    def __enter__(self) -> ManifestLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _entry(data: object) -> Entry:
    if not isinstance(data, dict):
        raise TypeError("not a JSON object")
    entry = Entry(**{k: v for k, v in data.items() if k in _FIELDS})
    if entry.kind not in KINDS or entry.status not in STATUSES:
        raise ValueError(f"kind {entry.kind!r} / status {entry.status!r}")
    if not (isinstance(entry.urn, str) and isinstance(entry.source_url, str)):
        raise TypeError("urn and source_url must be strings")
    return entry


def _repair_tail(path: Path) -> None:
    """Cut a last line left without its newline by a killed run, so appends start on a new line."""
    if not path.exists():
        return
    with open(path, "rb+") as fh:
        data = fh.read()
        if data and not data.endswith(b"\n"):
            fh.truncate(data.rfind(b"\n") + 1)


def _fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (where the platform can)."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        with suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
