"""The schoolkg command line: a thin skin over the library, with one error boundary.

Every module in this package adds its commands to the shared ``app`` when imported; a new
command is a new module here, nothing else to register.

The modules of this package do not postpone the evaluation of annotations (PEP 563): typer reads every
command's signature with ``typing.get_type_hints``, which compiles and evaluates each annotation
written as a string; real annotations skip that (``schoolkg --help`` 0.25 -> 0.21 CPU-s, issue 19).
"""

import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence

import typer

from schoolkg.cli.app import app, quiet_broken_pipe

__all__ = ["app", "main"]

_ONLY = "_SCHOOLKG_CLI_ONLY"
"""The variable in which ``schoolkg.__main__.main`` names the one command to load (taken out here)."""

_NOT_COMMANDS = {"app", "grid", "progress", "reference"}
"""Modules of this package that add no command: the app itself, shared helpers, the docs renderer."""


def _register_commands(only: str | None = None) -> None:
    """Import every command module of this package; each adds its commands to ``app``.

    With ``only`` (the console entry's command, :mod:`schoolkg.__main__`), import that module
    alone when it is one and registers its command; otherwise, all.
    """
    mods = sorted(m.name for m in pkgutil.iter_modules(__path__) if m.name not in _NOT_COMMANDS)
    if only in mods:
        importlib.import_module(f"{__name__}.{only}")
        if any(_name(c).replace("-", "_") == only for c in app.registered_commands):
            return
    for mod in mods:
        importlib.import_module(f"{__name__}.{mod}")


def main() -> None:
    """Console-script entry point."""
    registered = app.registered_commands
    app.registered_commands = _invoked(registered, sys.argv[1:])
    try:
        app()
    except BrokenPipeError:  # raised while flushing output at exit
        try:
            quiet_broken_pipe()
        except typer.Exit as done:
            raise SystemExit(done.exit_code) from None
    finally:
        app.registered_commands = registered


def _invoked(commands: list[typer.models.CommandInfo], args: Sequence[str]) -> list[typer.models.CommandInfo]:
    """The one command ``args`` name, else all: typer turns each command's signature into click
    options when the app starts, so building only the command that runs saves that for the
    others (issue 19). ``schoolkg --help`` (or no arguments) lists all, each without its
    options (:func:`_listing`); an unknown name, or options other than ``--debug`` first, keeps all.

    >>> [c.name or c.callback.__name__ for c in _invoked(app.registered_commands, ["query", "documents"])]
    ['query']
    >>> len(_invoked(app.registered_commands, ["--help"])) == len(app.registered_commands)
    True
    >>> _invoked(app.registered_commands, ["--help"])[0].callback.__code__.co_argcount
    0
    """
    args = list(args)
    while args and args[0] == "--debug":
        args.pop(0)
    if args in (["--help"], []):
        return [_listing(c) for c in commands]
    if args[0].startswith("-"):
        return commands
    chosen = [c for c in commands if _name(c) == args[0]]
    return chosen if len(chosen) == 1 else commands


def _listing(command: typer.models.CommandInfo) -> typer.models.CommandInfo:
    """``command`` as ``schoolkg --help`` lists it, without its options: the same name, help,
    short help and hidden/deprecated flags, and a callback that takes no parameters, so typer
    does not turn the signature into click options only to print the first line of its help
    (tests/cli/test_startup.py checks the listing is the full app's)."""

    def listed() -> None:  # never called: the listing only prints
        raise AssertionError("a command of the --help listing was invoked")

    callback = command.callback
    listed.__name__ = getattr(callback, "__name__", "listed")
    listed.__doc__ = getattr(callback, "__doc__", None)
    return typer.models.CommandInfo(
        name=command.name,
        cls=command.cls,
        context_settings=command.context_settings,
        callback=listed,
        help=command.help,
        epilog=command.epilog,
        short_help=command.short_help,
        options_metavar=command.options_metavar,
        add_help_option=command.add_help_option,
        no_args_is_help=command.no_args_is_help,
        hidden=command.hidden,
        deprecated=command.deprecated,
        rich_help_panel=command.rich_help_panel,
    )


def _name(command: typer.models.CommandInfo) -> str:
    """The name typer gives a command: its own, or the function's with ``_`` as ``-``."""
    if command.name:
        return command.name
    callback = command.callback
    return getattr(callback, "__name__", "").lower().replace("_", "-")


_register_commands(os.environ.pop(_ONLY, None))
