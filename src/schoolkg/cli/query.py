"""`schoolkg query`: run SPARQL, or a catalogue query by name, against the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app

FORMATS = ("table", "csv", "tsv", "json")


@app.command()
def query(
    sparql: Annotated[
        str | None, typer.Argument(help="A catalogue query NAME (see `schoolkg queries`) or SPARQL text.")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="key=value for a query parameter (repeatable).")
    ] = None,
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
) -> None:
    """Run a catalogue query by name, SPARQL text, or a .rq file (default graph = union of all graphs).

    Parameters are bound as typed RDF terms (never pasted into the text).

    Example: schoolkg query eic-gcse-gap --format csv
    Example: schoolkg query school-profile --param school=https://w3id.org/schoolkg/id/school/123166
    Example: schoolkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }'
    """
    from schoolkg.errors import ConfigError, InputError, QueryError
    from schoolkg.queries.catalogue import get_query, parse_query_file
    from schoolkg.queries.guard import check_read_only
    from schoolkg.queries.results import render
    from schoolkg.store.base import open_store
    from schoolkg.store.table import to_table

    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    values = _params(param or [])
    if file is not None:
        if not file.is_file():
            raise InputError("no such query file", path=file)
        try:
            text = parse_query_file(file).bound(values) if _has_header(file) else file.read_text(encoding="utf-8")
        except UnicodeDecodeError as err:
            raise InputError(
                f"not UTF-8 text (byte {err.object[err.start]:#04x} at offset {err.start})", path=file
            ) from None
    elif sparql and _is_name(sparql):
        text = get_query(sparql).bound(values)
    elif sparql:
        if values:
            raise ConfigError("--param works with a catalogue query NAME or a .rq file with a header")
        text = sparql
    else:
        raise ConfigError("give a query NAME, SPARQL text or --file FILE")
    from schoolkg.queries.guard import tokenize

    if not tokenize(text):
        raise InputError("no SPARQL in the query (empty, or only comments)", path=file)
    try:
        check_read_only(text)
        table = to_table(open_store(store).query(text))
    except QueryError as err:
        if file is None:
            raise
        raise type(err)(f"{file}: {err}") from None
    if fmt != "table":
        typer.echo(render(table, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    out = RichTable(*table.columns)
    for row in table.rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    Console().print(out)


def _params(items: list[str]) -> dict[str, str]:
    from schoolkg.errors import ConfigError

    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param {item!r}: write key=value")
        values[key.strip()] = value
    return values


def _is_name(text: str) -> bool:
    return all(c.isalnum() or c in "-_" for c in text)


def _has_header(path: Path) -> bool:
    from schoolkg.queries.catalogue import parse_header

    return "parameters" in parse_header(path.read_text(encoding="utf-8"))
