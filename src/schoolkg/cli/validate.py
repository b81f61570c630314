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
    from schoolkg.store.base import open_store
    from schoolkg.validate.evidence import quote_mismatches
    from schoolkg.validate.shacl import check_nquads

    data = open_store(store).dump_nquads()
    report = check_nquads(data)
    typer.echo(report.summary())
    bad = quote_mismatches(data)
    typer.echo("quotes: every quote is its source's text at its offsets" if not bad else "\n".join(bad))
    ok = report.conforms and not bad
    if owl:
        from schoolkg.resources import ontology_dir
        from schoolkg.validate.owl import check_consistency

        owl_report = check_consistency([ontology_dir() / "practices.ttl"])
        typer.echo(owl_report.summary())
        ok = ok and owl_report.consistent and not owl_report.unsatisfiable
    raise typer.Exit(0 if ok else 1)
