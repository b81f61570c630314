"""`schoolkg build`: the main job."""

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


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
    with_: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            metavar="FOLDER",
            help="Also read the tables of a folder: 'shared' or 'national' (../shared/data) or a path. Repeatable.",
        ),
    ] = None,
    graph_store: Annotated[
        str | None,
        typer.Option(
            "--graph-store",
            envvar="SCHOOLKG_GRAPH_STORE",
            help="With --store URL: the server's Graph Store Protocol address, where each named graph is"
            " replaced (Oxigraph: http://HOST/store, Virtuoso: http://HOST/sparql-graph-crud).",
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs", "-j", min=1, help="Worker processes reading documents and tables (default: one a core)."
        ),
    ] = None,
    on_error: Annotated[
        str,
        typer.Option(
            "--on-error",
            help="A document or table that cannot be read: fail (stop, naming the file) or skip"
            " (leave it out, list it at the end, build the rest).",
        ),
    ] = "fail",
) -> None:
    """Build the knowledge graph from a corpus and install it in the store atomically.

    With --store URL the graph goes to a SPARQL server instead: one named graph per source is
    replaced there (SPARQL 1.1 Graph Store Protocol), and graphs of sources gone are deleted.

    Sources are read in parallel into parts cached beside the store (.schoolkg-cache/): a
    rebuild reads only the documents and tables that changed. See docs/build.md.

    Example: schoolkg build --corpus corpus --store graphs/store
    Example: schoolkg build --jobs 2 --on-error skip
    Example: schoolkg build --store http://127.0.0.1:7878/query --graph-store http://127.0.0.1:7878/store
    """
    import schoolkg
    from schoolkg.cli.progress import progress_reporter
    from schoolkg.errors import ConfigError
    from schoolkg.pipeline import planned_ticks

    if store.startswith(("http://", "https://")) and not graph_store:
        raise ConfigError(
            "build --store URL needs --graph-store URL, the server's Graph Store Protocol address"
            " (Oxigraph: http://HOST/store, Virtuoso: http://HOST/sparql-graph-crud)"
        )
    extra = [_with_folder(w) for w in with_ or []]
    with progress_reporter(progress, planned_ticks(corpus, extra, validate)) as tick:
        summary = schoolkg.build(
            corpus,
            store,
            nquads=nquads,
            validate=validate,
            extra_tables=extra,
            progress=tick,
            graph_store=graph_store,
            jobs=jobs,
            on_error=on_error,
        )
    result = summary.result
    for w in result.warnings:
        typer.echo(f"warning: {w}", err=True)
    for f in result.failed:
        typer.echo(f"skipped: {f}", err=True)
    typer.echo(
        f"built {summary.triples:,} quads from {len(result.documents)} documents and "
        f"{len(result.tables)} tables ({result.extracted} read, {result.reused} reused"
        f"{f', {len(result.failed)} skipped' if result.failed else ''}) in {summary.seconds:.1f}s"
        f" -> {store} ({nquads})"
    )
    if summary.shacl is not None:
        typer.echo(summary.shacl.summary())


def _with_folder(name: str) -> Path:
    """The folder a --with value names: 'shared'/'national' is ../shared/data, else a path."""
    from schoolkg.errors import InputError

    folder = Path("..") / "shared" / "data" if name in ("shared", "national") else Path(name)
    if not folder.is_dir():
        raise InputError("table folder not found", path=folder)
    return folder
