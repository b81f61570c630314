"""`schoolkg synth`: a synthetic graph with planted effects, for validation and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import app


@app.command()
def synth(
    schools: Annotated[int, typer.Option("--schools", min=1, help="How many schools.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same graph).")] = 0,
    effects: Annotated[
        Path | None, typer.Option("--effects", help="CSV practice,odds_ratio of planted effects on improvement.")
    ] = None,
    correlation: Annotated[float, typer.Option("--correlation", help="Correlation of practices in a theme.")] = 0.3,
    out: Annotated[Path, typer.Option("--out", help="Folder for synth.nq and truth.csv.")] = Path("graphs/synth"),
    store: Annotated[
        Path | None, typer.Option("--store", help="Also install the graph as a store at this folder.")
    ] = None,
) -> None:
    """Generate schools, inspections, findings and improvements with planted practice effects.

    Example: schoolkg synth --schools 2000 --seed 1 --effects effects.csv --out graphs/synth --store graphs/synth/store
    """
    from schoolkg.pipeline import run_synth

    done = run_synth(out, schools, seed, effects=effects, correlation=correlation, store=store)
    sim = done.profiles
    typer.echo(
        f"synth: {schools:,} schools, {int(sim.x.sum()):,} findings, {int(sim.y.sum()):,} improved, "
        f"{len(done.planted)} planted effect(s) -> {done.nquads_path} (truth in {out / 'truth.csv'})"
    )
    if done.store_path is not None:
        typer.echo(f"installed the store at {done.store_path}")
