"""`schoolkg check`: recompute derived figures the sources state and report disagreements."""

from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def check(
    store: StoreOpt = DEFAULT_STORE,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 when any disagreement is found.")] = False,
) -> None:
    """Find stated gaps and rises (percentage points) that the source's own figures do not give.

    Example: schoolkg check --store graphs/store
    """
    from schoolkg.analysis.consistency import check_store
    from schoolkg.store.base import open_store

    found = check_store(open_store(store))
    if found.empty:
        typer.echo("check: every stated derived figure agrees with the figures it derives from")
        return
    for r in found.itertuples(index=False):
        typer.echo(
            f"{r.document}:{r.start}-{r.end}: {r.kind} stated {r.stated:g}, recomputed {r.recomputed:g} "
            f"(difference {r.difference:+.3g})\n  stated: \u201c{r.stated_quote}\u201d\n"
            f"  figures: {r.derivation}; {r.source_quote}"
        )
    typer.echo(f"check: {len(found)} disagreement(s)")
    if strict:
        raise typer.Exit(1)
