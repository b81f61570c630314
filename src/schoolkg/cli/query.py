"""`schoolkg query`: run SPARQL against the graph."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (or use --file).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
) -> None:
    """Run a SPARQL query against the graph (the default graph is the union of all graphs).

    Example: schoolkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
    """
    from schoolkg.errors import ConfigError, InputError
    from schoolkg.queries.results import render, to_table
    from schoolkg.store.embedded import EmbeddedStore

    if fmt not in ("table", "csv", "tsv", "json"):
        raise ConfigError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    if file is not None:
        if not file.is_file():
            raise InputError("no such query file", path=file)
        sparql = file.read_text(encoding="utf-8")
    if not sparql:
        raise ConfigError("give a query or --file FILE")
    table = to_table(EmbeddedStore(store).query(sparql))
    if fmt != "table":
        typer.echo(render(table, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    out = RichTable(*table.columns)
    for row in table.rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    Console().print(out)
