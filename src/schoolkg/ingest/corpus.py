"""Find the inputs of a build: the documents and tables of a corpus folder, or named on the command line.

A file found by walking a folder must lie inside it once symbolic links are resolved: a link
(or a linked folder) pointing outside is refused before anything is read from it, so a corpus
cannot pull in files from elsewhere on the machine. Files named on the command line are read
where they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from schoolkg.errors import InputError
from schoolkg.ingest.readers import READERS

__all__ = ["corpus_files", "document_paths", "inside", "table_files"]


def inside(folder: Path, root: Path, pattern: str = "*", suffixes: Iterable[str] | None = None) -> list[Path]:
    """Files under ``folder`` matching ``pattern`` (and ``suffixes``), sorted; InputError for the first
    file or folder met that resolves outside ``root`` (a symbolic link out), before any is read.

    >>> inside(Path("src/schoolkg/ingest"), Path("src"), "c*.py")
    [PosixPath('src/schoolkg/ingest/corpus.py')]
    """
    real_root = root.resolve()
    wanted = {s.lower() for s in suffixes} if suffixes is not None else None
    found = []
    for path in sorted(folder.rglob("*")):
        if not path.resolve().is_relative_to(real_root):
            kind = "folder" if path.is_dir() else "file"
            raise InputError(f"a symbolic link to a {kind} outside {root}; refusing to read it", path=path)
        if path.is_file() and path.match(pattern) and (wanted is None or path.suffix.lower() in wanted):
            found.append(path)
    return found


def corpus_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    """Document files under ``corpus/documents`` and tables under ``corpus/tables``, sorted."""
    if not corpus.is_dir():
        raise InputError("corpus folder not found", path=corpus)
    docs_dir, tables_dir = corpus / "documents", corpus / "tables"
    docs = inside(docs_dir, corpus, suffixes=READERS) if docs_dir.is_dir() else []
    tables = inside(tables_dir, corpus, "*.csv") if tables_dir.is_dir() else []
    return docs, tables


def document_paths(targets: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files with a known suffix under folders named, in sorted order."""
    for target in targets:
        if target.is_dir():
            yield from inside(target, target, suffixes=READERS)
        else:
            yield target


def table_files(folder: Path) -> list[Path]:
    """Every CSV table under ``folder``, sorted."""
    if not folder.is_dir():
        raise InputError("table folder not found", path=folder)
    return inside(folder, folder, "*.csv")
