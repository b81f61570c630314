"""The typer app, its error boundary and the options commands share."""

from __future__ import annotations

import os
import sys
import traceback
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from schoolkg import __version__
from schoolkg.errors import SchoolkgError

__all__ = ["BROKEN_PIPE", "DEFAULT_STORE", "INTERNAL_ERROR", "StoreOpt", "app", "one_line", "quiet_broken_pipe"]


class _Group(TyperGroup):
    """The one error boundary: library errors become one ``error:`` line and their exit code."""

    def invoke(self, ctx: Any) -> Any:  # typer's bundled click.Context, which typer does not export
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
        except (typer.exceptions.TyperException, typer.Exit, typer.Abort):
            raise  # usage errors (exit 2), --help, and our own exits: typer reports them
        except BrokenPipeError:
            quiet_broken_pipe()
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


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.obj and ctx.obj.get("debug"))


INTERNAL_ERROR = 70
"""Exit status for an unexpected exception (EX_SOFTWARE): a bug, never bad input."""
BROKEN_PIPE = 141
"""Exit status when the reader of our output went away (``schoolkg extract ... | head``): 128 + SIGPIPE."""


def quiet_broken_pipe() -> None:
    """Stop writing to a closed pipe without a traceback: point stdout at /dev/null and exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (a test runner's buffer)
        pass
    raise typer.Exit(BROKEN_PIPE)


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
    rich_markup_mode=None,
    context_settings={"max_content_width": 100},
    help="schoolkg: a knowledge graph of English schools, improvement programmes, inspection findings and outcomes.",
)

StoreOpt = Annotated[
    str,
    typer.Option(
        "--store", envvar="SCHOOLKG_STORE", help="Embedded store folder, or a SPARQL endpoint URL (http://...)."
    ),
]
DEFAULT_STORE = "graphs/store"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"schoolkg {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    ctx: typer.Context,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks for errors.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = {"debug": debug}
