"""`schoolkg stats`: what the graph holds."""

import json
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def stats(
    store: StoreOpt = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Count the schools, authorities, programmes, practices, findings and judgements in the graph.

    Example: schoolkg stats
    """
    from schoolkg.stats import graph_stats
    from schoolkg.store.base import open_store

    counts = graph_stats(open_store(store))
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("what", "count", title=f"schoolkg graph at {store}")
    for k, v in counts.items():
        table.add_row(k, f"{v:,}")
    Console().print(table)
