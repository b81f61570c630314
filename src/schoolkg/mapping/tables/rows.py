"""Run a table's mapper over its rows: skip-or-fail per row, counts, and the table's own graph."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from pyoxigraph import Quad

from schoolkg import iris
from schoolkg.errors import ConfigError, InputError, input_context
from schoolkg.ingest.tables import EXTRA, Rows, open_table
from schoolkg.mapping.tables import TableContext, detect_kind, get_mapper
from schoolkg.mapping.tables.cells import require_columns
from schoolkg.model import SkippedRow

__all__ = ["IngestContext", "each_row", "map_table", "table_quads"]


class IngestContext(TableContext):
    """A TableContext that also says what to do with a bad row and records skipped ones."""

    def __init__(
        self,
        table_id: str,
        path: str,
        sha256: str,
        documents: Mapping[str, str],
        file: Path | None = None,
        *,
        on_error: str = "fail",
    ) -> None:
        super().__init__(table_id, path, sha256, documents, file)
        if on_error not in ("fail", "skip"):
            raise ConfigError(f"unknown --on-error {on_error!r}; use fail or skip")
        self.on_error = on_error
        self.skipped: list[SkippedRow] = []
        self.rows = 0


def each_row(
    rows: Iterable[tuple[int, dict[str, str]]],
    ctx: TableContext,
    fn: Callable[[int, dict[str, str]], Iterable[Quad]],
) -> Iterator[Quad]:
    """Quads of ``fn(line, row)`` for every row; a bad row stops the table or is skipped.

    A row's quads are collected before any is yielded, so a row that fails half-way adds
    nothing. With ``ctx.on_error == "skip"`` (an :class:`IngestContext`) the error is recorded
    in ``ctx.skipped`` and reading goes on; otherwise it is raised with file and line.
    """
    ingest = ctx if isinstance(ctx, IngestContext) else None
    for line, row in rows:
        try:
            with input_context(ctx.file, line):
                out = list(fn(line, row))
        except InputError as err:
            if ingest is None or ingest.on_error != "skip":
                raise
            problem = f"{err.field}: {err.problem}" if err.field else err.problem
            ingest.skipped.append(SkippedRow(str(ctx.file), line, problem))
            continue
        if ingest is not None:
            ingest.rows += 1
        yield from out


def map_table(
    path: Path, source_path: str, texts: Mapping[str, str], kind: str | None = None, on_error: str = "fail"
) -> tuple[list[Quad], IngestContext]:
    """The quads of one table (kind from ``kind`` or its header), and its context with counts.

    The table's graph is ``…/graph/table/table-{slug(file stem)}``.
    """
    quads, ctx = table_quads(path, source_path, texts, kind, on_error)
    return list(quads), ctx


def table_quads(
    path: Path,
    source_path: str,
    texts: Mapping[str, str],
    kind: str | None = None,
    on_error: str = "fail",
    on_rows: Callable[[int], None] | None = None,
) -> tuple[Iterator[Quad], IngestContext]:
    """As :func:`map_table`, but the quads are yielded as the rows are read (bounded memory).

    The header is read and checked at once; the counts of the context are complete once the
    quads are exhausted. ``on_rows`` hears the line number reached every 10,000 rows.
    """
    header, rows, sha = open_table(path)
    with input_context(path):
        mapper = get_mapper(kind) if kind else get_mapper(detect_kind(header, path))
        require_columns(header, mapper.columns)
    ctx = IngestContext(f"table-{iris.slug(path.stem)}", source_path, sha, texts, path, on_error=on_error)
    if not getattr(mapper, "extra_cells", False):
        rows = _no_extra_cells(rows, len(header))
    if on_rows is not None:
        rows = _counted(rows, on_rows)

    def stream() -> Iterator[Quad]:
        with input_context(path):
            yield from mapper.quads(rows, ctx)

    return stream(), ctx


def _counted(rows: Rows, on_rows: Callable[[int], None]) -> Rows:
    for n, (line, row) in enumerate(rows, 1):
        if n % 10_000 == 0:
            on_rows(line)
        yield line, row


def _no_extra_cells(rows: Rows, width: int) -> Rows:
    """Pass rows on; a row with non-empty cells past the header is misaligned: InputError.

    Only kinds whose files spill lists past the header (GIAS links) set ``extra_cells``.
    """
    for line, row in rows:
        extra = row.get(EXTRA, "")
        if extra.strip():
            n = len(extra.split("\t"))
            raise InputError(f"the row has {n} cell(s) more than the {width} columns of the header", line=line)
        yield line, row
