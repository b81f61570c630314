"""The schoolkg command line: a thin skin over the library, with one error boundary.

Every module in this package adds its commands to the shared ``app`` when imported; a new
command is a new module here, nothing else to register.

The modules of this package do not postpone the evaluation of annotations (PEP 563): typer reads every
command's signature with ``typing.get_type_hints``, which compiles and evaluates each annotation
written as a string; real annotations skip that (``schoolkg --help`` 0.25 -> 0.21 CPU-s, issue 19).
"""

import importlib
import pkgutil
import sys
from collections.abc import Sequence

import typer

from schoolkg.cli.app import app, quiet_broken_pipe

__all__ = ["app", "main"]

_NOT_COMMANDS = {"app", "grid", "progress", "reference"}
"""Modules of this package that add no command: the app itself, shared helpers, the docs renderer."""


def _register_commands() -> None:
    """Import every command module of this package; each adds its commands to ``app``."""
    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if mod not in _NOT_COMMANDS:
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
    others (issue 19). ``schoolkg --help``, an unknown name, or a name after options other
    than ``--debug`` keeps all.

    >>> [c.name or c.callback.__name__ for c in _invoked(app.registered_commands, ["query", "documents"])]
    ['query']
    >>> len(_invoked(app.registered_commands, ["--help"])) == len(app.registered_commands)
    True
    """
    args = list(args)
    while args and args[0] == "--debug":
        args.pop(0)
    if not args or args[0].startswith("-"):
        return commands
    chosen = [c for c in commands if _name(c) == args[0]]
    return chosen if len(chosen) == 1 else commands


def _name(command: typer.models.CommandInfo) -> str:
    """The name typer gives a command: its own, or the function's with ``_`` as ``-``."""
    if command.name:
        return command.name
    callback = command.callback
    return getattr(callback, "__name__", "").lower().replace("_", "-")


_register_commands()
