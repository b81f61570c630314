"""Regenerate the binary case files of the bad-input corpus (PDFs, UTF-16, binary); run once.

The outcomes variants are derived from the corpus table; the other text cases are written by
hand; the 50 MB text is generated at test time, not stored.
Run: python tests/badinput/make_files.py
"""

from __future__ import annotations

import io
from pathlib import Path

FILES = Path(__file__).resolve().parent / "files"


def _text_pdf() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(4, 2))
    fig.text(0.1, 0.5, "Leaders have ensured that monitoring is rigorous.")
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", metadata={"CreationDate": None})
    plt.close(fig)
    return buf.getvalue()


def _image_pdf() -> bytes:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=(2, 2))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.imshow(np.random.default_rng(0).random((20, 20)))
    ax.axis("off")
    buf = io.BytesIO()
    fig.savefig(buf, format="pdf", metadata={"CreationDate": None})
    plt.close(fig)
    return buf.getvalue()


def _encrypted_pdf(data: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def _outcomes() -> None:
    """Variants of two rows of the Oxfordshire outcomes table, one defect each."""
    import csv

    src = Path(__file__).resolve().parents[2] / "corpus" / "tables" / "oxfordshire-outcomes-2017-12-31.csv"
    with src.open(encoding="utf-8-sig", newline="") as fh:
        header, r1, r2 = list(csv.reader(fh))[:3]

    def write(name: str, hdr: list[str], body: list[list[str]]) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(hdr)
        w.writerows(body)
        (FILES / name).write_text(buf.getvalue(), encoding="utf-8")

    def mod(row: list[str], col: str, val: str) -> list[str]:
        out = list(row)
        out[header.index(col)] = val
        return out

    write("outcomes-bad-date.csv", header, [r1, mod(r2, "Inspection start date", "31/02/2013")])
    write("outcomes-text-date.csv", header, [mod(r1, "Publication date", "last Tuesday")])
    write("outcomes-grade-7.csv", header, [r1, mod(r2, "Overall effectiveness", "7")])
    write("outcomes-grade-0.csv", header, [mod(r1, "Previous overall effectiveness", "0")])
    write("outcomes-grade-word.csv", header, [mod(r1, "Overall effectiveness", "Excellent")])
    write("outcomes-duplicate-urn.csv", header, [r1, r2, mod(r2, "School name", "Same URN again")])
    write("outcomes-suppressed-urn.csv", header, [mod(r1, "URN", "SUPP")])
    write("outcomes-short-urn.csv", header, [mod(r1, "URN", "12316")])
    write("outcomes-deprivation-9.csv", header, [mod(r1, "Deprivation index", "9")])
    i = header.index("Overall effectiveness")
    write("outcomes-missing-column.csv", header[:i] + header[i + 1 :], [r1[:i] + r1[i + 1 :]])
    write("outcomes-extra-cells.csv", header, [r1 + ["spill", "over"]])
    write("outcomes-short-row.csv", header, [r1[:5]])


def _encodings() -> None:
    """Issue 15 rows 5-7: a NUL past the first 8 KB, mixed UTF-8 and Windows-1252, a column twice."""
    head = b"URN,LinkURN,LinkName,LinkType\n"
    rows = [b"%d,%d,A School,Successor\n" % (100000 + i, 200000 + i) for i in range(300)]
    rows[250] = b"100250,200250,Nul\x00School,Successor\n"  # byte 9,9xx: past the 8 KB head
    (FILES / "nul-late.csv").write_bytes(head + b"".join(rows))
    utf8, cp1252 = "Café School".encode(), "Café School".encode("cp1252")
    (FILES / "mixed-encoding.csv").write_bytes(
        head + b"100000,100001," + utf8 + b",Successor\n100002,100003," + cp1252 + b",Successor\n"
    )
    (FILES / "cp1252-undefined.csv").write_bytes(
        head + b"100000,100001," + cp1252 + b",Successor\n100002,100003,A\x81School,Successor\n"
    )
    (FILES / "cp1252.csv").write_bytes(head + b"100000,100001," + cp1252 + b",Successor\n")
    text = "The school has improved since the last inspection.\n"
    (FILES / "mixed-encoding.txt").write_bytes(
        (text + "Pupils’ progress is good.\n").encode() + "Leaders’ monitoring is rigorous.\n".encode("cp1252")
    )
    (FILES / "nul-late.txt").write_bytes((text * 200).encode() + b"Leaders\x00monitor teaching.\n")
    (FILES / "duplicate-column.csv").write_text(
        "urn,school_name,urn,la_name,publication,published\n"
        "107534,Ash Green School,107535,Calderdale,Twenty outstanding,2009-10-02\n"
    )


def main() -> None:
    """Write the generated files next to the hand-written ones."""
    pdf = _text_pdf()
    (FILES / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (FILES / "encrypted.pdf").write_bytes(_encrypted_pdf(pdf))
    (FILES / "image-only.pdf").write_bytes(_image_pdf())
    (FILES / "header-only.pdf").write_bytes(b"%PDF-1.4\n")
    (FILES / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (FILES / "png-renamed.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64))
    utf16 = "The school has improved. Leaders monitor teaching closely.\n" * 20
    (FILES / "utf16-no-bom.txt").write_bytes(utf16.encode("utf-16-le"))
    links = "URN,LinkURN,LinkName,LinkType\n100000,100001,A School,Successor\n"
    (FILES / "utf16.csv").write_bytes(links.encode("utf-16"))
    (FILES / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (FILES / "nul.csv").write_bytes(b"URN,LinkURN,LinkName,LinkType\n100000,100\x00001,A School,Successor\n")
    (FILES / "binary.ttl").write_bytes(b"\x00\x01\x02\xff\xfe" * 50)
    (FILES / "latin1.rq").write_bytes('SELECT ?s WHERE { ?s ?p "\xe9cole\xff" }'.encode("latin-1"))


if __name__ == "__main__":
    main()
    _outcomes()
    _encodings()
