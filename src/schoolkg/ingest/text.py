"""Turn a file's bytes into the text every offset refers to: decoding, binary checks, normalisation."""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path

from schoolkg.errors import InputError

__all__ = ["EncodingScan", "decode_bytes", "looks_binary", "normalise_text"]


_LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
_SPACES = {c: " " for c in ("\u00a0", "\u2007", "\u202f", "\u2002", "\u2003", "\u2009", "\u200a")}
_FOLD = str.maketrans({**_LIGATURES, **_SPACES, "\u00ad": None, "\ufffe": None})


def normalise_text(raw: str) -> str:
    """Return the text all offsets refer to (docs/extraction.md, "Text normalisation").

    NFC; LF line ends; no BOM, control or zero-width format characters; the Latin ligatures
    U+FB00-FB06 as their letters (NFKC for those only: other compatibility characters such as
    "½" or "²" keep their form); no-break and other fixed-width spaces as plain spaces; soft
    hyphens dropped.

    >>> normalise_text("\\ufeffA\\r\\nB\\x00C\\rD")
    'A\\nBC\\nD'
    >>> normalise_text("sta\\ufb00 identi\\ufb01ed\\u00a0the e\\u00adffect\\u200b")
    'staff identified the effect'
    """
    text = raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text.translate(_FOLD))
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cc", "Cf"))


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode bytes as UTF-8 (with or without BOM), else Windows-1252, else what charset-normalizer detects.

    The whole file is one encoding: a file mixing UTF-8 and other bytes, or holding a NUL byte,
    is refused with the line and column of the first offending byte (:class:`EncodingScan`).
    """
    if not data.strip():
        raise InputError("empty document", path=path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if looks_binary(data[:8192].replace(b"\x00", b"")) or _utf16_without_bom(data[:8192]):
        if _utf16_without_bom(data[:8192]):
            raise InputError("UTF-16 text without a byte-order mark; save it as UTF-8", path=path)
        raise InputError("binary file, not a text document", path=path)
    scan = EncodingScan(path)
    scan.feed(data)
    encoding = scan.finish(strict=False)
    if encoding is not None:
        return data.decode(encoding)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise InputError("cannot detect the text encoding", path=path)
    return str(best)


_UTF8_CHAR = re.compile("[\u0080-\ud7ff\ue000-\U0010ffff]")
"""A non-ASCII character that came from valid UTF-8 (undecodable bytes become U+DC80-U+DCFF)."""
_BAD_BYTE = re.compile("[\udc80-\udcff]")
_CP1252_UNDEFINED = re.compile("[\udc81\udc8d\udc8f\udc90\udc9d]")
"""Bytes Windows-1252 leaves undefined: text with one of them (and not UTF-8) is neither."""


class EncodingScan:
    r"""Find the one encoding of a file read in blocks, and where the file breaks it.

    Feed the bytes in any blocks (:meth:`feed`), then :meth:`finish`. A file is UTF-8 when every
    byte sequence is UTF-8, Windows-1252 when no non-ASCII sequence is; a file holding both is
    refused (mixed encodings), as is a NUL byte anywhere, with the line and column of the first
    byte that breaks the file's encoding. Linear in the file size; memory is one block.

    >>> scan = EncodingScan(Path("t.csv"))
    >>> scan.feed("a,b\nCafé,1\n".encode())
    >>> scan.feed(b"Caf\xe9,2\n")
    >>> try:
    ...     scan.finish()
    ... except InputError as err:
    ...     print(err.line, err.problem.split(";")[0])
    3 mixed encodings: line 2 is UTF-8 but line 3 is not (byte 0xe9 at column 4)
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._decoder = codecs.getincrementaldecoder("utf-8")("surrogateescape")
        self._line, self._column = 1, 0  # where the next character goes: line, characters before it on the line
        self.nul: tuple[int, int] | None = None
        self.utf8: tuple[int, int] | None = None
        self.bad: tuple[int, int, int] | None = None  # line, column, byte
        self.undefined: tuple[int, int, int] | None = None

    def feed(self, data: bytes, final: bool = False) -> None:
        """Scan the next block of the file's bytes."""
        text = self._decoder.decode(data, final)
        if not text:
            return
        if self.nul is None and (i := text.find("\x00")) != -1:
            self.nul = self._where(text, i)
        if not text.isascii():
            if self.utf8 is None and (m := _UTF8_CHAR.search(text)):
                self.utf8 = self._where(text, m.start())
            if self.bad is None and (m := _BAD_BYTE.search(text)):
                self.bad = (*self._where(text, m.start()), ord(m.group()) - 0xDC00)
            if self.undefined is None and (m := _CP1252_UNDEFINED.search(text)):
                self.undefined = (*self._where(text, m.start()), ord(m.group()) - 0xDC00)
        newlines = text.count("\n")
        if newlines:
            self._line += newlines
            self._column = len(text) - text.rfind("\n") - 1
        else:
            self._column += len(text)

    def _where(self, text: str, index: int) -> tuple[int, int]:
        """(line, column), both from 1, of ``text[index]``."""
        start = text.rfind("\n", 0, index)
        column = index - start if start != -1 else self._column + index + 1
        return self._line + text.count("\n", 0, index), column

    def finish(self, strict: bool = True) -> str | None:
        """The file's encoding (``utf-8-sig`` or ``cp1252``), or raise InputError where it breaks.

        Without ``strict``, a file that is neither UTF-8 nor Windows-1252 (and not mixed) gives
        None instead of an error, for the caller to detect its encoding.
        """
        self.feed(b"", final=True)
        if self.nul is not None:
            line, column = self.nul
            raise InputError(f"NUL byte at column {column}: binary or damaged text", path=self.path, line=line)
        if self.bad is None:
            return "utf-8-sig"
        line, column, byte = self.bad
        if self.utf8 is not None:
            first = self.utf8[0]
            if self.utf8 < self.bad[:2]:
                problem = f"line {first} is UTF-8 but line {line} is not (byte {byte:#04x} at column {column})"
            else:
                line, column = self.utf8
                problem = f"line {self.bad[0]} is not UTF-8 (byte {byte:#04x}) but line {line} is (column {column})"
            raise InputError(f"mixed encodings: {problem}; save the whole file as UTF-8", path=self.path, line=line)
        if self.undefined is not None:
            if not strict:
                return None
            line, column, byte = self.undefined
            raise InputError(
                f"neither UTF-8 nor Windows-1252 text (byte {byte:#04x} at column {column})", path=self.path, line=line
            )
        return "cp1252"


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
