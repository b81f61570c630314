"""`schoolkg validate`: SHACL and OWL checks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def validate(
    store: StoreOpt = DEFAULT_STORE,
    nquads: Annotated[Path, typer.Option("--nquads", help="N-Quads dump to check.")] = Path("graphs/schoolkg.nq"),
    owl: Annotated[bool, typer.Option("--owl/--no-owl", help="Also check OWL consistency with HermiT.")] = True,
) -> None:
    """Check the built graph against ontology/shapes.ttl (SHACL) and the ontology with HermiT.

    Example: schoolkg validate
    """
    from schoolkg.errors import InputError
    from schoolkg.validate.shacl import check_nquads

    if not nquads.is_file():
        raise InputError("no N-Quads dump; run `schoolkg build` first", path=nquads)
    report = check_nquads(nquads.read_bytes())
    typer.echo(report.summary())
    ok = report.conforms
    if owl:
        from schoolkg.resources import ontology_dir
        from schoolkg.validate.owl import check_consistency

        owl_report = check_consistency([ontology_dir() / "practices.ttl"])
        typer.echo(owl_report.summary())
        ok = ok and owl_report.consistent and not owl_report.unsatisfiable
    raise typer.Exit(0 if ok else 1)
