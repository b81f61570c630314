"""The typer app, its error boundary and the options commands share."""

from __future__ import annotations

import traceback
from typing import Annotated

import typer
from typer.core import TyperGroup

from schoolkg.errors import SchoolkgError

__all__ = ["DEFAULT_STORE", "StoreOpt", "app"]


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
    str,
    typer.Option(
        "--store", envvar="SCHOOLKG_STORE", help="Embedded store folder, or a SPARQL endpoint URL (http://...)."
    ),
]
DEFAULT_STORE = "graphs/store"


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
) -> None:
    ctx.obj = {"debug": debug}
