"""``python -m schoolkg`` and the ``schoolkg`` console script: the command line, with only the
command it names loaded.

Importing :mod:`schoolkg.cli` imports every command module so that its ``app`` has them all (the
library's and the tests' view). A user's command runs one of them, so :func:`main` names it in
the environment variable :data:`ONLY` for the moment the package is imported; the package takes
the name out again and imports only ``schoolkg/cli/NAME.py`` (each command lives in the module of
its name; tests/cli/test_startup.py checks it), saving the other modules' imports and typer
options (issue 19, startup). ``--help``, no arguments, or a name that is no command module loads
them all, as before. The variable never reaches a child process: it is removed before the
command runs.
"""

import os
import sys

ONLY = "_SCHOOLKG_CLI_ONLY"
"""The environment variable that names the one command module to load (read by :mod:`schoolkg.cli`)."""


def main() -> None:
    """Run the command line, loading only the command named on it."""
    name = command_named(sys.argv[1:])
    if name:
        os.environ[ONLY] = name
    try:
        from schoolkg.cli import main as run
    finally:
        os.environ.pop(ONLY, None)
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


if __name__ == "__main__":
    main()
