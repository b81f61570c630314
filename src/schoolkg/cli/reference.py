"""Render docs/cli.md from the commands' own ``--help`` (run: python -m schoolkg.cli.reference).

The help is taken at ``COLUMNS=100`` so the page is the same on every machine; a test fails
when docs/cli.md differs from what this renders.
"""

import sys
from pathlib import Path

import typer.main
from typer.testing import CliRunner

from schoolkg.cli.app import app

__all__ = ["render_cli_reference"]


def render_cli_reference() -> str:
    """Markdown: the top-level help, then each command's help, in the order ``--help`` lists them."""
    runner = CliRunner()
    lines = [
        "# Command reference",
        "",
        "Generated from each command's `--help` by `python -m schoolkg.cli.reference` (do not edit).",
        "Every command is a thin skin over a library call: see [api.md](api.md).",
        "",
        "## schoolkg",
        "",
        "```text",
        _help(runner, []),
        "```",
    ]
    for name in sorted(typer.main.get_command(app).commands):  # type: ignore[attr-defined]  # a Group, typed Command
        if name == "bench":  # its arguments and --help belong to python -m bench (docs/benchmarks.md)
            lines += ["", "## schoolkg bench", "", "Runs `python -m bench ARGS...` of a source checkout: see", ""]
            lines += ["[benchmarks.md](benchmarks.md) and `python -m bench --help`."]
            continue
        lines += ["", f"## schoolkg {name}", "", "```text", _help(runner, [name]), "```"]
    return "\n".join(lines) + "\n"


def _help(runner: CliRunner, args: list[str]) -> str:
    result = runner.invoke(app, [*args, "--help"], env={"COLUMNS": "100"}, prog_name="schoolkg", terminal_width=100)
    if result.exit_code != 0:
        raise RuntimeError(f"schoolkg {' '.join(args)} --help failed: {result.output}")
    return result.output.rstrip()


if __name__ == "__main__":  # pragma: no cover - developer tool
    out = Path(__file__).resolve().parents[3] / "docs" / "cli.md"
    out.write_text(render_cli_reference(), encoding="utf-8")
    sys.stdout.write(f"wrote {out}\n")
