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
    from schoolkg.store.embedded import install_store
    from schoolkg.synth.graph import read_effects, thesaurus_practices, write_synth

    planted = read_effects(effects, thesaurus_practices()) if effects else {}
    path, sim = write_synth(out, schools, seed, planted, correlation=correlation)
    typer.echo(
        f"synth: {schools:,} schools, {int(sim.x.sum()):,} findings, {int(sim.y.sum()):,} improved, "
        f"{len(planted)} planted effect(s) -> {path} (truth in {out / 'truth.csv'})"
    )
    if store is not None:
        install_store(path, store)
        typer.echo(f"installed the store at {store}")
