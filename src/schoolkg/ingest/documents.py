"""Read a source document (txt, markdown, HTML, PDF: a reader per suffix) into a Document."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from schoolkg.errors import ConfigError, InputError
from schoolkg.ingest.readers import READERS
from schoolkg.ingest.text import normalise_text
from schoolkg.iris import slug
from schoolkg.model import Document

__all__ = ["MAX_BYTES", "MAX_LINE", "describe", "document_id", "find_date", "read_document"]

MAX_BYTES = 20_000_000
MAX_LINE = 200_000
"""Longest line (paragraph) a document may have, in characters of its normalised text. Real
reports' longest paragraphs are a few thousand characters; a file of megabytes on one line is a
dump without paragraphs, and every quote checked against it would cost a pass over it."""


def _check_lines(text: str, path: Path) -> None:
    """Raise InputError at the first line longer than MAX_LINE characters (one pass over ``text``).

    >>> _check_lines("short\\n" + "x" * (MAX_LINE + 1), Path("d.txt"))
    Traceback (most recent call last):
    schoolkg.errors.InputError: d.txt:2: a line of 200,001 characters; the limit is 200,000 ...
    """
    start, line = 0, 1
    while True:
        end = text.find("\n", start)
        stop = len(text) if end == -1 else end
        if stop - start > MAX_LINE:
            raise InputError(
                f"a line of {stop - start:,} characters; the limit is {MAX_LINE:,} (a file without line breaks?)",
                path=path,
                line=line,
            )
        if end == -1:
            return
        start, line = end + 1, line + 1


def document_id(path: Path) -> str:
    """Identifier of a document: a slug of its file name without suffix.

    >>> document_id(Path("corpus/documents/002_ea63de0b34895f6a.txt"))
    '002-ea63de0b34895f6a'
    """
    return slug(path.stem)


def read_document(path: Path, root: Path | None = None) -> Document:
    """Read ``path`` into a Document with normalised text and metadata guessed from it."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(sorted(READERS))
        raise ConfigError(f"{path}: no reader for {path.suffix or 'files without suffix'}; known: {known}")
    if not path.is_file():
        raise InputError("no such file", path=path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"file is {size:,} bytes; the limit is {MAX_BYTES:,}", path=path)
    data = path.read_bytes()
    text = normalise_text(reader(path))
    if not text.strip():
        raise InputError("no text in document", path=path)
    _check_lines(text, path)
    rel = path.relative_to(root).as_posix() if root and path.is_relative_to(root) else path.name
    return describe(document_id(path), rel, text, hashlib.sha256(data).hexdigest())


_MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december"
_DATE = re.compile(rf"\b(?:(\d{{1,2}})(?:st|nd|rd|th)?\s+)?({_MONTHS})\s+((?:19|20)\d\d)\b", re.IGNORECASE)


def find_date(text: str) -> str | None:
    """Return the first date written out in ``text`` as ISO (day 1 when only a month).

    >>> find_date("Published 27 January 2009 and later")
    '2009-01-27'
    >>> find_date("Ofsted Report, October 2009")
    '2009-10-01'
    """
    m = _DATE.search(text)
    if not m:
        return None
    day = int(m.group(1) or 1)
    month = _MONTHS.split("|").index(m.group(2).lower()) + 1
    if not 1 <= day <= 31:
        return None
    return f"{m.group(3)}-{month:02d}-{day:02d}"


def _kind(head: str) -> str:
    low = head.lower()
    if re.search(r"\bdear (mr|mrs|ms|miss|dr)\b", low) and ("inspector" in low or "ofsted" in low):
        return "inspection_letter"
    if "unique reference number" in low or re.search(
        r"\binspection report\b|^\s*(?:school report|(?:ofsted )?report card|inspection of\b)|\binspection dates?\b",
        low[:600],
        re.MULTILINE,
    ):
        return "inspection_report"
    if re.search(r"\bhmi \d{3,}", low) or "survey" in low[:300]:
        return "survey_report"
    if "committee" in low[:600] or "agenda item" in low or "council" in low[:600]:
        return "council_report"
    if "published today" in low or "press release" in low:
        return "press_release"
    return "other"


def _title(text: str, kind: str) -> str:
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if kind == "inspection_letter":
        for ln in lines[:20]:
            if ln.lower().startswith(("ofsted subject survey", "subject survey", "inspection of", "short inspection")):
                return ln
    if kind == "council_report":
        for ln in lines[:20]:
            if ln.isupper() and len(ln) > 20 and "committee" not in ln.lower():
                return ln.title()
    return lines[0][:200] if lines else ""


def _publisher(head: str, kind: str) -> str | None:
    low = head.lower()
    if kind == "council_report":
        m = re.search(r"@([a-z-]+)\.gov\.uk", low)
        if m:
            return m.group(1).replace("-", " ").title() + " Council"
        return None
    if "ofsted" in low or "her majesty" in low or "hmi" in low:
        return "Ofsted"
    return None


def describe(doc_id: str, path: str, text: str, sha256: str) -> Document:
    """Build a Document, guessing kind, title, publisher and date from the text."""
    head = text[:6000]
    transcription = text.find("Transcription:")
    if transcription != -1:
        head = text[transcription : transcription + 6000]
    kind = _kind(head)
    return Document(
        id=doc_id,
        path=path,
        text=text,
        sha256=sha256,
        title=_title(text, kind),
        publisher=_publisher(head, kind),
        published=find_date(head[:3000]),
        kind=kind,
    )
