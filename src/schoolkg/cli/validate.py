"""`schoolkg validate`: SHACL and OWL checks."""

import sys
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def validate(
    store: StoreOpt = DEFAULT_STORE,
    owl: Annotated[bool, typer.Option("--owl/--no-owl", help="Also check OWL consistency with HermiT.")] = True,
    engine: Annotated[
        str,
        typer.Option(
            "--engine",
            help="SHACL engine: sparql (shapes compiled to SPARQL on the store) or pyshacl (an rdflib copy).",
        ),
    ] = "sparql",
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="One line a shape on standard error (n of m, time).")
    ] = False,
) -> None:
    """Check the graph in the store: SHACL shapes, quotes against their sources, and HermiT on the ontology.

    Example: schoolkg validate --store graphs/store --progress
    """
    import schoolkg

    report = schoolkg.validate(store, owl=owl, engine=engine, progress=_shape_line if progress else None)
    typer.echo(report.summary())
    raise typer.Exit(0 if report.conforms else 1)


def _shape_line(shape: str, done: int, total: int, seconds: float) -> None:
    print(f"progress: SHACL {shape} {done}/{total} ({seconds:.2f} s)", file=sys.stderr, flush=True)
