"""`schoolkg link`: how schools known only by name were linked to the register."""

from __future__ import annotations

from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def link(
    report: Annotated[bool, typer.Option("--report", help="List the unlinked and ambiguous schools.")] = False,
    store: StoreOpt = DEFAULT_STORE,
) -> None:
    """Show the name-linking outcome: counts, and with --report each unlinked or ambiguous school.

    Example: schoolkg link --report
    """
    from schoolkg.queries.links import read_report
    from schoolkg.store.base import open_store

    result = read_report(open_store(store))
    counts = {k: len(result.get(k, [])) for k in ("linked", "ambiguous", "unlinked")}
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    if not report:
        return
    for status in ("ambiguous", "unlinked"):
        for _iri, name, cands in result.get(status, []):
            typer.echo(f"{status}: {name}")
            for c_iri, c_name, score in cands:
                typer.echo(f"    {score:5.1f}  {c_name}  <{c_iri}>")
