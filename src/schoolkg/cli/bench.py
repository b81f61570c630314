"""`schoolkg bench`: the benchmark harness (``python -m bench``) from a source checkout."""

from __future__ import annotations

import sys

import typer

from schoolkg.cli.app import app


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Benchmark schoolkg's store against rdflib (and an Oxigraph server); arguments go to `python -m bench`.

    Example: schoolkg bench --scale medium --out docs/benchmarks.md --remote oxigraph
    """
    from schoolkg.errors import ConfigError
    from schoolkg.resources import project_root

    root = project_root()
    if root is None or not (root / "bench" / "__main__.py").is_file():
        raise ConfigError("the benchmarks live in the source checkout (bench/); run from there")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from bench.__main__ import main

    code = main(list(ctx.args))
    if code:
        raise typer.Exit(code)
