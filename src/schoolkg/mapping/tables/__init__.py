"""Table mappers: one per kind of table, registered by name, chosen by header or by the user."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Protocol

from pyoxigraph import Quad

from schoolkg.errors import ConfigError, InputError

__all__ = ["MAPPERS", "TableContext", "TableMapper", "detect_kind", "get_mapper", "register"]


class TableContext:
    """What a mapper may need besides its rows: the table's id and the documents' texts."""

    def __init__(
        self, table_id: str, path: str, sha256: str, documents: Mapping[str, str], file: Path | None = None
    ) -> None:
        self.table_id, self.path, self.sha256, self.documents = table_id, path, sha256, documents
        self.file = file if file is not None else Path(path)  # as the user gave it, for errors


class TableMapper(Protocol):
    """Maps rows of one kind of table to quads."""

    kind: str
    columns: tuple[str, ...]

    def quads(self, rows: Iterator[tuple[int, dict[str, str]]], ctx: TableContext) -> Iterator[Quad]:
        """Yield the quads for the rows (line number, row) of one table."""
        ...


MAPPERS: dict[str, TableMapper] = {}


def register(kind: str) -> Callable[[type], type]:
    """Class decorator adding a mapper under ``kind``."""

    def add(cls: type) -> type:
        MAPPERS[kind] = cls()
        return cls

    return add


def get_mapper(kind: str) -> TableMapper:
    """The mapper registered as ``kind``."""
    if kind not in MAPPERS:
        raise ConfigError(f"unknown table kind {kind!r}; known: {', '.join(sorted(MAPPERS))}")
    return MAPPERS[kind]


def detect_kind(header: list[str], path: Path) -> str:
    """The kind whose required columns all appear in ``header``."""
    found = [k for k, m in MAPPERS.items() if set(m.columns) <= set(header)]
    if len(found) != 1:
        what = "no" if not found else "more than one"
        raise InputError(
            f"{what} table kind matches the header; give --kind ({', '.join(sorted(MAPPERS))})",
            path=path,
            line=1,
        )
    return found[0]


def _register_builtins() -> None:
    """Import every mapper module of this package; each registers itself."""
    import importlib
    import pkgutil

    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        importlib.import_module(f"{__name__}.{mod}")


_register_builtins()
