"""Turn a file's bytes into the text every offset refers to: decoding, binary checks, normalisation."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from schoolkg.errors import InputError

__all__ = ["decode_bytes", "looks_binary", "normalise_text"]


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
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and looks_binary(data[:8192]):
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


def looks_binary(head: bytes) -> bool:
    """NUL bytes, or more than 2% control bytes other than whitespace, mean binary data.

    >>> looks_binary(b"plain text"), looks_binary(bytes(range(256)))
    (False, True)
    """
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls > 0.02 * max(1, len(head))
