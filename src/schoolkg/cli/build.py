"""`schoolkg build`: the main job."""

from __future__ import annotations

import sys
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
            help="Also read the tables of a folder: 'shared' or 'national' (../shared/data) or a path. Repeatable.",
        ),
    ] = None,
) -> None:
    """Build the knowledge graph from a corpus and install it in the store atomically.

    Example: schoolkg build --corpus corpus --store graphs/store
    """
    from rich.progress import BarColumn, Progress, TextColumn

    from schoolkg.errors import ConfigError
    from schoolkg.ingest.corpus import corpus_files
    from schoolkg.pipeline import build_ticks, run_build

    if store.startswith(("http://", "https://")):
        raise ConfigError("build writes an embedded store; load graphs/schoolkg.nq into a remote server instead")
    from schoolkg.ingest.corpus import table_files

    docs, tables = corpus_files(corpus)
    extra = [p for w in with_ or [] for p in table_files(_with_folder(w))]
    total = build_ticks(len(docs) + len(tables) + len(extra), validate)
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
                extra_tables=extra,
                progress=lambda what, n: bar.update(task, advance=n, description=what),
            )
    elif progress == "plain":
        done = 0

        def plain(what: str, n: int) -> None:
            nonlocal done
            done += n
            print(f"progress: {what} {done}/{total}", file=sys.stderr, flush=True)

        summary = run_build(corpus, store, nquads, validate=validate, progress=plain, extra_tables=extra)
    else:
        summary = run_build(corpus, store, nquads, validate=validate, extra_tables=extra)
    for w in summary.result.warnings:
        typer.echo(f"warning: {w}", err=True)
    typer.echo(
        f"built {summary.triples:,} quads from {len(summary.result.documents)} documents and "
        f"{len(summary.result.tables)} tables in {summary.seconds:.1f}s -> {store} ({nquads})"
    )
    if summary.shacl is not None:
        typer.echo(summary.shacl.summary())


def _with_folder(name: str) -> Path:
    """The folder a --with value names: 'shared'/'national' is ../shared/data, else a path."""
    if name in ("shared", "national"):
        return Path("..") / "shared" / "data"
    return Path(name)
