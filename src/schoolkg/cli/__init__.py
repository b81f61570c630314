"""The schoolkg command line: a thin skin over the library, with one error boundary."""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperGroup

from schoolkg.errors import SchoolkgError

__all__ = ["app", "main"]


class _Group(TyperGroup):
    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except SchoolkgError as err:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            typer.echo(f"error: {err}", err=True)
            report = getattr(err, "report", "")
            if report:
                typer.echo(report, err=True)
            raise typer.Exit(err.exit_code) from None


app = typer.Typer(
    cls=_Group,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="schoolkg: a knowledge graph of English schools, improvement programmes, inspection findings and outcomes.",
)

StoreOpt = Annotated[
    Path,
    typer.Option("--store", envvar="SCHOOLKG_STORE", help="Embedded store folder."),
]
DEFAULT_STORE = Path("graphs/store")


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    ctx.obj = {"debug": debug}


@app.command()
def build(
    corpus: Annotated[Path, typer.Option("--corpus", help="Corpus folder (documents/, tables/).")] = Path("corpus"),
    store: StoreOpt = DEFAULT_STORE,
    nquads: Annotated[Path, typer.Option("--nquads", help="Where to write the sorted N-Quads dump.")] = Path(
        "graphs/schoolkg.nq"
    ),
    validate: Annotated[bool, typer.Option("--validate/--no-validate", help="Run SHACL before installing.")] = True,
    progress: Annotated[
        str, typer.Option("--progress", help="auto (a bar on a terminal), bar, plain (one line a step) or none.")
    ] = "auto",
) -> None:
    """Build the knowledge graph from a corpus and install it in the store atomically.

    Example: schoolkg build --corpus corpus --store graphs/store
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from schoolkg.build.graph import corpus_files
    from schoolkg.errors import ConfigError
    from schoolkg.pipeline import run_build

    docs, tables = corpus_files(corpus)
    total = len(docs) + len(tables) + (2 if validate else 1)
    if progress not in ("auto", "bar", "plain", "none"):
        raise ConfigError(f"unknown --progress {progress!r}; use auto, bar, plain or none")
    if progress == "auto":
        progress = "bar" if sys.stderr.isatty() else "none"
    if progress == "bar":
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed}/{task.total}"),
            transient=True,
        ) as bar:
            task = bar.add_task("building", total=total)
            summary = run_build(
                corpus,
                store,
                nquads,
                validate=validate,
                progress=lambda what, n: bar.update(task, advance=n, description=what),
            )
    elif progress == "plain":
        done = 0

        def plain(what: str, n: int) -> None:
            nonlocal done
            done += n
            print(f"progress: {what} {done}/{total}", file=sys.stderr, flush=True)

        summary = run_build(corpus, store, nquads, validate=validate, progress=plain)
    else:
        summary = run_build(corpus, store, nquads, validate=validate)
    for w in summary.result.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(
        f"built {summary.triples:,} quads from {len(summary.result.documents)} documents and "
        f"{len(summary.result.tables)} tables in {summary.seconds:.1f}s -> {store} ({nquads})"
    )
    if summary.shacl is not None:
        typer.echo(summary.shacl.summary())


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


@app.command()
def stats(
    store: StoreOpt = DEFAULT_STORE,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Count the schools, authorities, programmes, practices, findings and judgements in the graph.

    Example: schoolkg stats
    """
    from schoolkg.stats import graph_stats
    from schoolkg.store.embedded import EmbeddedStore

    counts = graph_stats(EmbeddedStore(store))
    if as_json:
        typer.echo(json.dumps(counts, indent=2))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table("what", "count", title=f"schoolkg graph at {store}")
    for k, v in counts.items():
        table.add_row(k, f"{v:,}")
    Console().print(table)


@app.command()
def query(
    sparql: Annotated[str | None, typer.Argument(help="A SPARQL query (or use --file).")] = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="Read the query from a .rq file.")] = None,
    store: StoreOpt = DEFAULT_STORE,
    fmt: Annotated[str, typer.Option("--format", help="table, csv, tsv or json.")] = "table",
) -> None:
    """Run a SPARQL query against the graph (the default graph is the union of all graphs).

    Example: schoolkg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
    """
    from schoolkg.errors import ConfigError, InputError
    from schoolkg.queries.results import render, to_table
    from schoolkg.store.embedded import EmbeddedStore

    if fmt not in ("table", "csv", "tsv", "json"):
        raise ConfigError(f"unknown format {fmt!r}; use table, csv, tsv or json")
    if file is not None:
        if not file.is_file():
            raise InputError("no such query file", path=file)
        sparql = file.read_text(encoding="utf-8")
    if not sparql:
        raise ConfigError("give a query or --file FILE")
    table = to_table(EmbeddedStore(store).query(sparql))
    if fmt != "table":
        typer.echo(render(table, fmt), nl=False)
        return
    from rich.console import Console
    from rich.table import Table as RichTable

    out = RichTable(*table.columns)
    for row in table.rows:
        out.add_row(*("" if v is None else str(v) for v in row))
    Console().print(out)


def main() -> None:
    """Console-script entry point."""
    app()
