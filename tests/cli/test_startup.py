"""Startup stays light (issue 19): the command line imports no heavy stage until a command needs
it, typer's pydantic adapters are replaced by plain conversions that give the same results and
messages, and the guard's fast path only lets through text that cannot be an update or SERVICE.

Behaviour, not timing: which modules a fresh interpreter has loaded (timings: docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, Built

HEAVY = (
    "rdflib",
    "pyshacl",
    "pandas",
    "networkx",
    "matplotlib",
    "pyvis",
    "starlette",
    "pydantic",
    "numpy",
    "scipy",
    "rich",
)
"""Modules a cheap command must not import."""


def _loaded_after(code: str, cwd: Path | None = None) -> list[str]:
    """The HEAVY modules loaded after running ``code`` in a fresh interpreter using this checkout."""
    probe = (
        "import sys, runpy\n"
        f"{code}\n"
        f"print('\\n' + __import__('json').dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=cwd or ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def _run_cli(*args: str) -> str:
    return (
        f"sys.argv = ['schoolkg', *{list(args)!r}]\n"
        "try:\n    runpy.run_module('schoolkg', run_name='__main__')\nexcept SystemExit as done:\n"
        "    assert done.code in (0, None), done.code"
    )


def test_importing_the_cli_and_the_library_root_loads_no_heavy_module() -> None:
    assert _loaded_after("import schoolkg, schoolkg.cli") == []


@pytest.mark.parametrize("args", [("--help",), ("query", "--help"), ("build", "--help"), ("--version",)])
def test_help_loads_no_heavy_module(args: tuple[str, ...]) -> None:
    assert _loaded_after(_run_cli(*args)) == []


def test_a_catalogue_query_loads_no_heavy_module(built: Built) -> None:
    store = str(built.dir / "store")
    assert _loaded_after(_run_cli("query", "documents", "--store", store, "--format", "csv")) == []
    assert _loaded_after(_run_cli("query", "strengths", "--store", store)) == []


def test_a_query_the_fast_path_cannot_clear_still_gets_the_parser(built: Built) -> None:
    code = _run_cli(
        "query", "SELECT ?address WHERE { ?s ?p ?address } LIMIT 1 # add", "--store", str(built.dir / "store")
    )
    assert _loaded_after(code) == ["rdflib"]


# --- the guard's fast path -------------------------------------------------------------------

HIDDEN = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }",
    "select * { { select * { SeRvIcE silent <http://x> { ?s ?p ?o } } } }",
    "SELECT * WHERE { BIND(ex:a\\#b AS ?q) SERVICE SILENT <http://127.0.0.1:9/sparql> { ?x ?y ?z } }",
    "LOAD <http://example.org/data.ttl>",
    "drop all",
    "WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "INSERT DATA { <a:> <b:> <c:> }",
    "CLEAR DEFAULT",
    "COPY <a:> TO <b:>",
    "MOVE DEFAULT TO <g:>",
    "ADD <a:> TO <b:>",
    "CREATE GRAPH <g:>",
    "SELECT * { \\u0053ERVICE <http://x> { ?s ?p ?o } }",
    "SELECT * {}#\nSERVICE",
    "ſERVICE <http://x> {}",  # rdflib upper-cases keywords: ſ reads as S
    "SELECT * { ?s ?p ?o }ﬀ\nLOAD <x:>",
]


@pytest.mark.parametrize("text", HIDDEN)
def test_fast_path_never_clears_an_update_or_service(text: str) -> None:
    from schoolkg.queries.guard import _plainly_read_only

    assert not _plainly_read_only(text)


def test_fast_path_clears_the_catalogue_and_agrees_with_the_parser() -> None:
    from schoolkg.queries.catalogue import load_catalogue
    from schoolkg.queries.guard import _plainly_read_only, inspect_query

    cleared = 0
    for query in load_catalogue():
        text = query.bound()
        inspect_query(text)  # the parser accepts every catalogue query
        cleared += _plainly_read_only(text)
    assert cleared >= 12  # most catalogue queries skip the parser


# --- plain coercion against typer's own ------------------------------------------------------

VALUES = ["7", " 7 ", "-5", "+3", "1_000", "1.5", "1e3", "0x10", "٣", "", "abc", "nan", "inf", "-Infinity"]
BOOLS = ["true", "False", "1", "0", "yes", "NO", " on ", "off", "t", "f", "y", "n", "2", "", "maybe"]


def _outcome(runtime: Any, param: Any, value: Any) -> tuple[str, Any]:
    from typer._click.exceptions import BadParameter

    try:
        result = runtime.coerce(value, param=param, ctx=None)
    except BadParameter as err:
        return "error", err.message
    if isinstance(result, float) and result != result:
        return "nan", None
    return "ok", (type(result).__name__, result)


@pytest.mark.parametrize(
    ("annotation", "values"),
    [(int, VALUES), (float, VALUES), (str, VALUES), (bool, BOOLS), (Path, ["a/b.txt", "-", "~/x"]), (list[str], [])],
)
def test_plain_coercion_matches_typer(annotation: Any, values: list[str]) -> None:
    import typer.core
    from typer import _coercion
    from typer.models import OptionInfo

    import schoolkg.cli  # noqa: F401  # installs the plain coercion

    param = type("P", (), {"multiple": annotation == list[str], "nargs": 1})()
    descriptor = _coercion.resolve_type_descriptor(annotation, OptionInfo())
    plain, stock = typer.core.build_runtime_param(descriptor), _coercion.build_runtime_param(descriptor)
    assert type(plain).__name__ == "Plain"
    cases: list[Any] = [[], ["a", "b"], ("x",)] if annotation == list[str] else values
    for value in cases:
        assert _outcome(plain, param, value) == _outcome(stock, param, value), value


def test_other_parameters_keep_typers_adapter() -> None:
    import typer.core
    from typer import _coercion
    from typer.models import OptionInfo

    import schoolkg.cli  # noqa: F401

    ranged = _coercion.resolve_type_descriptor(int, OptionInfo(min=1))
    parsed = _coercion.resolve_type_descriptor(str, OptionInfo(parser=str.upper))
    for descriptor in (ranged, parsed):
        assert type(typer.core.build_runtime_param(descriptor)).__name__ == "AdapterRuntimeParam"


def test_command_modules_give_typer_real_annotations() -> None:
    """typer evaluates string annotations (``from __future__ import annotations``) with
    ``get_type_hints``, compiling each one at every start; the command modules keep real ones."""
    cli = ROOT / "src" / "schoolkg" / "cli"
    lazy = [p.name for p in sorted(cli.glob("*.py")) if "from __future__ import annotations" in p.read_text("utf-8")]
    assert lazy == []
