"""`schoolkg extract`: print what documents say, as JSON Lines or a table."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import app


@app.command()
def extract(
    paths: Annotated[
        list[Path], typer.Argument(metavar="PATH", help="Documents (txt, md, html, pdf) or folders of them.")
    ],
    fmt: Annotated[str, typer.Option("--format", help="json (JSON Lines, one object a document) or table.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Write here instead of standard output.")] = None,
    text: Annotated[
        bool, typer.Option("--text", help="Print each document's normalised text (what offsets refer to), not JSON.")
    ] = False,
) -> None:
    """Extract entities, participations, findings, judgements and figures from documents.

    Unreadable files give one `error:` line each and are skipped; the exit code is non-zero
    only when no file could be read.

    Example: schoolkg extract corpus/documents --format table
    """
    from schoolkg.errors import ConfigError
    from schoolkg.extract.contract import to_json
    from schoolkg.extract.table import render_table
    from schoolkg.pipeline import extract_paths

    if fmt not in ("json", "table"):
        raise ConfigError(f"unknown --format {fmt!r}; use json or table")
    sink = out.open("w", encoding="utf-8") if out else sys.stdout
    read = failed = 0
    try:
        for outcome in extract_paths(paths):
            if outcome.extraction is None:
                typer.echo(f"error: {outcome.error}", err=True)
                failed += 1
                continue
            read += 1
            ex = outcome.extraction
            for w in ex.warnings:
                typer.echo(f"warning: {w}", err=True)
            if text:
                sink.write(ex.document.text)
            elif fmt == "json":
                sink.write(json.dumps(to_json(ex), ensure_ascii=False) + "\n")
            else:
                sink.write(render_table(ex) + "\n")
    finally:
        if out:
            sink.close()
    if read == 0:
        if failed != 1:  # one failed file has said why in its own line
            typer.echo("error: no document could be read", err=True)
        raise typer.Exit(2)
