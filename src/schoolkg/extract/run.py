"""Extract from files and folders: read each document, extract, and report unreadable ones without stopping."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from schoolkg.errors import SchoolkgError
from schoolkg.extract.document import extract_document
from schoolkg.extract.gazetteer import load_gazetteer
from schoolkg.extract.thesaurus import Thesaurus, load_thesaurus
from schoolkg.ingest.documents import READERS, read_document
from schoolkg.model import Extraction

__all__ = ["Outcome", "document_paths", "extract_paths", "load_resources"]


@dataclass
class Outcome:
    """What happened to one file: its extraction, or the one-line error that stopped it."""

    path: Path
    extraction: Extraction | None = None
    error: str | None = None


def load_resources() -> tuple[Thesaurus, object]:
    """The practice thesaurus and the gazetteer, from the packaged ontology."""
    from schoolkg.resources import ontology_dir

    folder = ontology_dir()
    return load_thesaurus(folder / "practices.ttl"), load_gazetteer(folder / "schoolkg.ttl")


def document_paths(targets: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files with a known suffix under folders named, in sorted order."""
    for target in targets:
        if target.is_dir():
            yield from sorted(p for p in target.rglob("*") if p.is_file() and p.suffix.lower() in READERS)
        else:
            yield target


def extract_paths(targets: Iterable[Path]) -> Iterator[Outcome]:
    """Yield an Outcome per document; a file that cannot be read gives an error, not an exception."""
    thesaurus, gazetteer = load_resources()
    for path in document_paths(targets):
        try:
            doc = read_document(path, path.parent)
        except SchoolkgError as err:
            message = str(err)
            yield Outcome(path, error=message if str(path) in message else f"{path}: {message}")
            continue
        yield Outcome(path, extraction=extract_document(doc, thesaurus, gazetteer))  # type: ignore[arg-type]
