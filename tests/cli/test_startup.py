"""``schoolkg --help`` lists the commands without building their options (issue 19, startup).

The listing main() gives typer (:func:`schoolkg.cli._listing`) must print exactly what the full
app prints: the same names, help lines, order, hidden and deprecated marks, and exit code.
"""

from __future__ import annotations

import subprocess
import sys

import pytest
import typer.main

from schoolkg.cli import _invoked, app


def _help(commands: list) -> str:
    registered = app.registered_commands
    app.registered_commands = commands
    try:
        group = typer.main.get_command(app)
        with group.make_context("schoolkg", [], resilient_parsing=True) as ctx:
            return group.get_help(ctx)
    finally:
        app.registered_commands = registered


@pytest.mark.parametrize("args", [["--help"], [], ["--debug", "--help"]])
def test_listing_prints_the_full_apps_help(args: list[str]) -> None:
    full = _help(app.registered_commands)
    listing = _invoked(app.registered_commands, args)
    assert all(c.callback is not None and c.callback.__code__.co_argcount == 0 for c in listing)
    assert _help(listing) == full
    assert "build" in full and "query" in full


def test_a_listed_command_is_never_run() -> None:
    listed = _invoked(app.registered_commands, ["--help"])[0]
    assert listed.callback is not None
    with pytest.raises(AssertionError, match="listing"):
        listed.callback()


def test_help_from_the_console_entry_lists_every_command() -> None:
    done = subprocess.run([sys.executable, "-m", "schoolkg", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    names = {c.name or c.callback.__name__.replace("_", "-") for c in app.registered_commands if not c.hidden}
    assert names and all(n in done.stdout for n in names if n)


def test_import_schoolkg_leaves_rdf_terms_for_first_use() -> None:
    code = "import sys, schoolkg; a = 'pyoxigraph' in sys.modules; schoolkg.iris; print(a, 'pyoxigraph' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True"]
