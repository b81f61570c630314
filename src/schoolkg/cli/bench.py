"""`schoolkg bench`: run the benchmark harness (``python -m bench``) of a source checkout."""

import os
import subprocess
import sys

import typer

from schoolkg.cli.app import app


@app.command(
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
    add_help_option=False,
)
def bench(ctx: typer.Context) -> None:
    """Benchmark schoolkg's store against rdflib (and an Oxigraph server); arguments go to `python -m bench`.

    The harness lives in the checkout's bench/ folder (it is not part of the installed package), so
    it runs as its own process with the checkout on that process's path.

    Example: schoolkg bench --scale medium --out docs/benchmarks.md --remote oxigraph
    """
    from schoolkg.errors import ConfigError
    from schoolkg.resources import project_root

    root = project_root()
    if root is None or not (root / "bench" / "__main__.py").is_file():
        raise ConfigError("the benchmarks live in the source checkout (bench/); run from there")
    path = os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p)
    done = subprocess.run([sys.executable, "-m", "bench", *ctx.args], env={**os.environ, "PYTHONPATH": path})
    if done.returncode:
        raise typer.Exit(done.returncode)
