"""`schoolkg validate`: SHACL and OWL checks."""

from __future__ import annotations

from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def validate(
    store: StoreOpt = DEFAULT_STORE,
    owl: Annotated[bool, typer.Option("--owl/--no-owl", help="Also check OWL consistency with HermiT.")] = True,
) -> None:
    """Check the graph in the store: SHACL shapes, quotes against their sources, and HermiT on the ontology.

    Example: schoolkg validate --store graphs/store
    """
    import schoolkg

    report = schoolkg.validate(store, owl=owl)
    typer.echo(report.summary())
    raise typer.Exit(0 if report.conforms else 1)
