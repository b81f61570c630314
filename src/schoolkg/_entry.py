"""The console entry point (``schoolkg``, ``python -m schoolkg``): the command line with only the
command it names loaded.

Importing :mod:`schoolkg.cli` imports every command module so that its ``app`` has them all (the
library's and the tests' view). A user's command runs one of them, so :func:`main` notes its name
here first and the package then imports only ``schoolkg/cli/NAME.py`` (each command lives in the
module of its name; tests/cli/test_startup.py checks it), saving the others' imports and typer
options (issue 19, startup). ``--help``, no arguments, or a name that is no command module loads
them all, as before.
"""

from __future__ import annotations

import sys

__all__ = ["ONLY", "main"]

ONLY: str | None = None
"""The command module :func:`main` is about to run, or None for all (read by :mod:`schoolkg.cli`)."""


def main() -> None:
    """Run the command line, loading only the command named on it."""
    global ONLY
    ONLY = command_named(sys.argv[1:])
    from schoolkg.cli import main as run

    run()


def command_named(args: list[str]) -> str | None:
    """The module name of the command ``args`` name (``--debug`` before it skipped), or None.

    >>> command_named(["--debug", "query", "documents"]), command_named(["--help"]), command_named([])
    ('query', None, None)
    """
    while args and args[0] == "--debug":
        args = args[1:]
    if not args or args[0].startswith("-") or not args[0].replace("-", "").isalnum():
        return None
    return args[0].replace("-", "_")
