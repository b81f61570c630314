"""`schoolkg query`: run SPARQL, or a catalogue query by name, against the graph."""

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app

FORMATS = ("table", "csv", "tsv", "json", "turtle", "ntriples", "jsonld")


@app.command()
def query(
    sparql: Annotated[
        str | None, typer.Argument(help="A catalogue query NAME (see `schoolkg queries`) or SPARQL text.")
    ] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    param: Annotated[
        list[str] | None,
        typer.Option("--param", "-p", metavar="KEY=VALUE", help="A query parameter (repeatable)."),
    ] = None,
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[
        str,
        typer.Option(
            "--format", help="table, csv, tsv or json; turtle, ntriples or jsonld for CONSTRUCT and DESCRIBE."
        ),
    ] = "table",
    allow_formulas: Annotated[
        bool,
        typer.Option(
            "--allow-formulas",
            help="Write CSV/TSV cells as they are, even those starting with = + - @ tab or CR"
            " (by default such cells get a leading ' so spreadsheets do not run them).",
        ),
    ] = False,
) -> None:
    """Run a catalogue query by name, SPARQL text, or a .rq file (default graph = union of all graphs).

    Parameters are bound as typed RDF terms (never pasted into the text).

    Example: schoolkg query eic-gcse-gap --format csv
    Example: schoolkg query school-profile --param school=https://w3id.org/schoolkg/id/school/123166
    Example: schoolkg query 'CONSTRUCT WHERE { ?s a <https://w3id.org/schoolkg/ontology#School> }' --format turtle
    """
    from schoolkg.errors import ConfigError
    from schoolkg.queries.execute import run_query
    from schoolkg.store.base import open_store

    if fmt not in FORMATS:
        raise ConfigError(f"unknown format {fmt!r}; use {', '.join(FORMATS)}")
    result = run_query(open_store(store), sparql, _params(param or []), file=file)
    if fmt != "table":
        typer.echo(result.serialize(fmt, protect=not allow_formulas), nl=False)
        return
    from schoolkg.cli.grid import draw
    from schoolkg.queries.results import terminal_text

    # terminal_text: control characters removed; the grid reads no markup from the data
    columns = [terminal_text(c) for c in result.columns]
    typer.echo(draw(columns, [[terminal_text(v) for v in row] for row in result.rows]), nl=False)


def _params(items: list[str]) -> dict[str, str]:
    """``key=value`` options as a dict; ConfigError for an item without ``=``."""
    from schoolkg.errors import ConfigError

    values = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--param {item!r}: write key=value")
        values[key.strip()] = value
    return values
