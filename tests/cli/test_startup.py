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


def test_every_command_lives_in_the_module_of_its_name() -> None:
    """The console entry imports ``schoolkg/cli/NAME.py`` alone for ``schoolkg NAME`` (schoolkg.__main__)."""
    import schoolkg.__main__ as entry
    from schoolkg.cli import _ONLY, _name

    assert entry.ONLY == _ONLY

    assert len(app.registered_commands) >= 15
    for c in app.registered_commands:
        assert c.callback is not None
        assert c.callback.__module__ == "schoolkg.cli." + _name(c).replace("-", "_"), _name(c)


_LOADED = """
import sys
sys.argv = ["schoolkg", *sys.argv[1:]]
from schoolkg.__main__ import main
try:
    main()
except SystemExit:
    pass
print(" ".join(sorted(m for m in sys.modules if m.startswith("schoolkg.") or m in WATCHED)), file=sys.stderr)
""".replace("WATCHED", repr(("hashlib", "logging", "socket", "ctypes.util", "platform")))


def _loaded(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    done = subprocess.run([sys.executable, "-c", _LOADED, *args], capture_output=True, text=True, timeout=120)
    return done, set(done.stderr.strip().splitlines()[-1].split())


def test_a_catalogue_query_loads_only_its_command_and_no_install_code(built) -> None:  # type: ignore[no-untyped-def]
    done, loaded = _loaded("query", "documents", "--store", str(built.store.path), "--format", "csv")
    assert done.returncode == 0 and done.stdout.startswith("document,"), done.stderr
    commands = {m for m in loaded if m.startswith("schoolkg.cli.")}
    assert commands <= {"schoolkg.cli.app", "schoolkg.cli.query", "schoolkg.cli.grid", "schoolkg.cli.progress"}
    assert "schoolkg.cli.query" in commands
    assert not loaded & {"schoolkg.store.delta", "schoolkg.store.cache", "hashlib", "logging", "socket", "ctypes.util"}


def test_help_and_an_unknown_command_load_every_command() -> None:
    done, loaded = _loaded("--help")
    assert done.returncode == 0 and {"schoolkg.cli.build", "schoolkg.cli.query", "schoolkg.cli.serve"} <= loaded
    done, loaded = _loaded("qury")
    assert "No such command" in done.stderr and "query" in done.stderr and "schoolkg.cli.build" in loaded
