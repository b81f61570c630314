"""The schoolkg command line: a thin skin over the library, with one error boundary.

Every module in this package adds its commands to the shared ``app`` when imported; a new
command is a new module here, nothing else to register.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from schoolkg.cli.app import app, quiet_broken_pipe

__all__ = ["app", "main"]

_NOT_COMMANDS = {"app", "progress", "reference"}
"""Modules of this package that add no command: the app itself, shared helpers, the docs renderer."""


def _register_commands() -> None:
    """Import every command module of this package; each adds its commands to ``app``."""
    for mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
        if mod not in _NOT_COMMANDS:
            importlib.import_module(f"{__name__}.{mod}")


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # raised while flushing output at exit
        try:
            quiet_broken_pipe()
        except typer.Exit as done:
            raise SystemExit(done.exit_code) from None


_register_commands()
