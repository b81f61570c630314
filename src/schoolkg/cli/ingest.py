"""`schoolkg ingest`: add tables to the graph in the store."""

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def ingest(
    tables: Annotated[list[Path], typer.Argument(metavar="TABLE", help="CSV tables to add.")],
    kind: Annotated[str | None, typer.Option("--kind", help="Table kind; detected from the header if omitted.")] = None,
    on_error: Annotated[str, typer.Option("--on-error", help="fail (stop at the first bad row) or skip.")] = "fail",
    store: StoreOpt = DEFAULT_STORE,
    nquads: Annotated[Path, typer.Option("--nquads", help="Where to write the sorted N-Quads dump.")] = Path(
        "graphs/schoolkg.nq"
    ),
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Run SHACL before installing.")] = True,
    progress: Annotated[str, typer.Option("--progress", help="plain (one line a step on stderr) or none.")] = "none",
) -> None:
    """Add tables to the graph: each replaces its own graph; nothing changes unless all succeed.

    Example: schoolkg ingest ../shared/data/gias/gias-links-2022-07-30.csv --on-error skip
    """
    import schoolkg
    from schoolkg.cli.progress import progress_reporter
    from schoolkg.errors import ConfigError
    from schoolkg.pipeline import ingest_ticks

    if progress not in ("plain", "none"):
        raise ConfigError(f"unknown --progress {progress!r}; use plain or none")
    with progress_reporter(progress, ingest_ticks(len(tables), validate)) as tick:
        summary = schoolkg.ingest(
            tables, store, nquads=nquads, kind=kind, on_error=on_error, validate=validate, progress=tick
        )
    for row in summary.skipped:
        typer.echo(f"skipped: {row}", err=True)
    for table_id, s in summary.tables.items():
        typer.echo(f"{table_id}: {s['rows']:,} rows, {s['quads']:,} quads, {s['skipped']} skipped")
    rows = sum(s["rows"] for s in summary.tables.values())
    typer.echo(
        f"ingested {rows:,} rows in {summary.seconds:.1f}s ({rows / max(summary.read_seconds, 1e-9):,.0f} rows/s "
        f"mapped); the graph now has {summary.triples:,} quads -> {store}"
    )
    if summary.shacl is not None:
        typer.echo(summary.shacl.summary())
