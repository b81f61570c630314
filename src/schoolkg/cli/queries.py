"""`schoolkg queries`: list the query catalogue."""

import typer

from schoolkg.cli.app import app


@app.command()
def queries() -> None:
    """List the catalogue of analyst questions, one line each: NAME, parameters, title.

    Example: schoolkg queries
    """
    from schoolkg.queries.catalogue import load_catalogue

    for q in load_catalogue():
        params = ",".join(f"{p.name}={p.default}" for p in q.parameters)
        typer.echo(f"{q.name:30} {q.title}" + (f"  [{params}]" if params else ""))
