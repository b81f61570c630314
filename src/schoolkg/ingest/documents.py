"""Read source documents (txt, markdown, HTML, PDF) into normalised text; readers are registered by suffix."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

from schoolkg.build.iris import slug
from schoolkg.errors import ConfigError, InputError
from schoolkg.model import Document

__all__ = ["READERS", "describe", "document_id", "normalise_text", "read_document", "register"]

READERS: dict[str, Callable[[Path], str]] = {}
MAX_BYTES = 20_000_000


def register(*suffixes: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    """Register a reader returning the raw text of files with these suffixes."""

    def add(func: Callable[[Path], str]) -> Callable[[Path], str]:
        for suffix in suffixes:
            READERS[suffix] = func
        return func

    return add


def normalise_text(raw: str) -> str:
    """Return the text all offsets refer to: NFC, LF line ends, no BOM or control characters.

    >>> normalise_text("\\ufeffA\\r\\nB\\x00C\\rD")
    'A\\nBC\\nD'
    """
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode bytes as UTF-8, else as the encoding charset-normalizer detects."""
    if not data.strip():
        raise InputError("empty document", path=path)
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and _looks_binary(data[:8192]):
        if _utf16_without_bom(data[:8192]):
            raise InputError("UTF-16 text without a byte-order mark; save it as UTF-8", path=path)
        raise InputError("binary file, not a text document", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in ("utf-8-sig", "cp1252"):  # cp1252: what English Windows software writes
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot detect the text encoding", path=path)
    return str(best)


def _utf16_without_bom(head: bytes) -> bool:
    """Every other byte NUL and the rest mostly ASCII: UTF-16 text saved without its BOM.

    >>> _utf16_without_bom("School report".encode("utf-16-le")), _utf16_without_bom(bytes(range(64)))
    (True, False)
    """
    if len(head) < 4:
        return False
    for zeros, other in ((head[1::2], head[0::2]), (head[0::2], head[1::2])):
        if zeros.count(0) >= 0.9 * len(zeros) and sum(32 <= b < 127 or b in (9, 10, 13) for b in other) >= 0.9 * len(
            other
        ):
            return True
    return False


def _looks_binary(head: bytes) -> bool:
    """NUL bytes, or more than 2% control bytes other than whitespace, mean binary data.

    >>> _looks_binary(b"plain text"), _looks_binary(bytes(range(256)))
    (False, True)
    """
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.02 * max(1, len(head))


@register(".txt", ".text", ".md")
def _read_text(path: Path) -> str:
    return decode_bytes(path.read_bytes(), path)


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
    if "unique reference number" in low or re.search(r"\binspection report\b", low[:600]):
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


from schoolkg.ingest import html as _html  # noqa: E402,F401  (registers .html readers)
from schoolkg.ingest import pdf as _pdf  # noqa: E402,F401  (registers .pdf)
