"""Find the inputs of a build: the documents and tables of a corpus folder, or named on the command line."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from schoolkg.errors import InputError
from schoolkg.ingest.readers import READERS

__all__ = ["corpus_files", "document_paths", "table_files"]


def corpus_files(corpus: Path) -> tuple[list[Path], list[Path]]:
    """Document files under ``corpus/documents`` and tables under ``corpus/tables``, sorted."""
    if not corpus.is_dir():
        raise InputError("corpus folder not found", path=corpus)
    docs_dir, tables_dir = corpus / "documents", corpus / "tables"
    docs = (
        sorted(p for p in docs_dir.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
        if docs_dir.is_dir()
        else []
    )
    tables = sorted(tables_dir.rglob("*.csv")) if tables_dir.is_dir() else []
    return docs, tables


def document_paths(targets: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files with a known suffix under folders named, in sorted order."""
    for target in targets:
        if target.is_dir():
            yield from sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
        else:
            yield target


def table_files(folder: Path) -> list[Path]:
    """Every CSV table under ``folder``, sorted."""
    if not folder.is_dir():
        raise InputError("table folder not found", path=folder)
    return sorted(folder.rglob("*.csv"))
