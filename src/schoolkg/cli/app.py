"""The typer app, its error boundary and the options commands share."""

from __future__ import annotations

import traceback
from typing import Annotated

import click
import typer
from typer.core import TyperGroup

from schoolkg.errors import SchoolkgError

__all__ = ["DEFAULT_STORE", "INTERNAL_ERROR", "StoreOpt", "app", "one_line"]


class _Group(TyperGroup):
    def invoke(self, ctx):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except SchoolkgError as err:
            if _debug(ctx):
                traceback.print_exc()
            typer.echo(f"error: {one_line(str(err))}", err=True)
            report = getattr(err, "report", "")
            if report:
                typer.echo(report, err=True)
            raise typer.Exit(err.exit_code) from None
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort, typer.Exit):
            raise
        except KeyboardInterrupt:
            typer.echo("error: interrupted", err=True)
            raise typer.Exit(130) from None
        except Exception as err:  # the last line of defence: a bug, reported in one line
            if _debug(ctx):
                traceback.print_exc()
            typer.echo(
                f"error: internal error: {type(err).__name__}: {one_line(str(err))} "
                "(rerun with --debug for the traceback)",
                err=True,
            )
            raise typer.Exit(INTERNAL_ERROR) from None


def _debug(ctx: click.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


INTERNAL_ERROR = 70
"""Exit status for an unexpected exception (EX_SOFTWARE): a bug, never bad input."""


def one_line(text: str, limit: int = 500) -> str:
    r"""``text`` on one line: control characters escaped, cut at ``limit`` characters.

    >>> one_line("bad\nvalue: '\x00'")
    "bad\\nvalue: '\\x00'"
    """
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return out if len(out) <= limit else out[: limit - 1] + "…"


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
