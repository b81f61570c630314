"""The typer app, its error boundary and the options commands share."""

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


_BOOLS = {"1": True, "on": True, "t": True, "true": True, "y": True, "yes": True}
_BOOLS.update({"0": False, "off": False, "f": False, "false": False, "n": False, "no": False})


def _to_str(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _to_int(value: Any) -> int:
    text = _to_str(value).strip()
    try:
        if not text.isascii():  # int() reads other scripts' digits; pydantic, and typer, do not
            raise ValueError
        return int(text)
    except ValueError:
        raise ValueError("Input should be a valid integer, unable to parse string as an integer") from None


def _to_float(value: Any) -> float:
    text = _to_str(value).strip()
    try:
        if not text.isascii():
            raise ValueError
        return float(text)
    except ValueError:
        raise ValueError("Input should be a valid number, unable to parse string as a number") from None


def _to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _to_str(value).strip().lower()
    if text == "":
        return False
    if text not in _BOOLS:
        raise ValueError("Input should be a valid boolean, unable to interpret input")
    return _BOOLS[text]


def _plain_coercion() -> None:
    """Coerce str, bool, int, float and Path parameters (and lists of them) without pydantic.

    typer 0.2x builds a pydantic TypeAdapter for every parameter of the command it runs; importing
    pydantic and building the adapters was about a third of a cheap command's CPU (issue 19).
    This swaps in plain conversions for those types, with typer's results and messages
    (tests/cli/test_startup.py compares the two on many values); every other parameter (a
    ``parser``, a range, an enum, a file, a datetime) keeps typer's adapter. Without the typer
    internals this relies on, typer is left as it is.
    """
    from dataclasses import dataclass
    from pathlib import Path

    try:
        from typer import _coercion, _param_types, core
        from typer._click.exceptions import BadParameter

        stock = core.build_runtime_param
        base = _coercion.RuntimeParam
        coerce_cli_path = _param_types.coerce_cli_path
        routes_to_path = _param_types.routes_to_path
    except (ImportError, AttributeError):  # another typer: keep its own coercion
        return
    leaves: dict[Any, Any] = {str: _to_str, int: _to_int, float: _to_float, bool: _to_bool}

    @dataclass(frozen=True)
    class Plain(base):  # type: ignore[misc, valid-type]  # typer's private runtime parameter
        convert: Any = None
        many: bool = False

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            try:
                if self.many:
                    return [
                        self.convert(v, param, ctx) for v in (value if isinstance(value, (list, tuple)) else [value])
                    ]
                return self.convert(value, param, ctx)
            except ValueError as err:
                raise BadParameter(str(err), ctx=ctx, param=param) from None

    def leaf(annotation: Any, info: Any) -> Any:
        if info.parser is not None:
            return None
        if annotation in leaves and not (annotation in (int, float) and (info.min is not None or info.max is not None)):
            convert = leaves[annotation]
            return lambda value, _param, _ctx: convert(value)
        if isinstance(annotation, type) and issubclass(annotation, Path) and routes_to_path(annotation, info):
            path_type = info.path_type or annotation
            return lambda value, param, ctx: coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
        return None

    def build(descriptor: Any) -> Any:
        annotation, info = descriptor.annotation, descriptor.parameter_info
        if descriptor.file_annotation is None:
            many = getattr(annotation, "__origin__", None) is list and len(annotation.__args__) == 1
            convert = leaf(annotation.__args__[0] if many else annotation, info)
            if convert is not None:
                return Plain(parameter_info=info, annotation=annotation, convert=convert, many=many)
        return stock(descriptor)

    core.build_runtime_param = build


_plain_coercion()

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
