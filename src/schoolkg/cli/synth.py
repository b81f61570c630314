"""`schoolkg synth`: a synthetic graph with planted effects, for validation and benchmarks."""

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
    reports: Annotated[
        bool,
        typer.Option(
            "--reports", help="Write inspection reports (PDF, HTML, text) and an outcomes table as a corpus instead."
        ),
    ] = False,
    confounding: Annotated[
        float,
        typer.Option("--confounding", help="With --reports: strength of baseline grade and deprivation confounding."),
    ] = 1.0,
    store: Annotated[
        Path | None, typer.Option("--store", help="Also install the graph as a store at this folder.")
    ] = None,
    ks2: Annotated[
        bool, typer.Option("--ks2", help="Also write KS2 results 2016/17-2018/19 (inspection t in 2017/18).")
    ] = False,
    ks2_effects: Annotated[
        Path | None,
        typer.Option("--ks2-effects", help="CSV practice,points of planted effects on KS2 attainment (implies --ks2)."),
    ] = None,
) -> None:
    """Generate schools, inspections, findings and improvements with planted practice effects.

    Example: schoolkg synth --schools 2000 --seed 1 --effects effects.csv --out graphs/synth --store graphs/synth/store

    With --reports, the effects CSV names features practice:polarity (e.g. phonics-teaching:strength) and
    --out becomes a corpus for schoolkg build --corpus: schoolkg synth --reports --schools 2000 --effects
    bench/planted-effects.csv --out graphs/planted
    """
    from schoolkg.pipeline import run_synth, run_synth_reports

    if reports:
        if ks2 or ks2_effects is not None:
            raise typer.BadParameter("--ks2 writes KS2 results into the graph, not into a --reports corpus")
        if store is not None:
            raise typer.BadParameter(
                "with --reports, build the corpus instead: schoolkg build --corpus OUT --store DIR"
            )
        rep = run_synth_reports(out, schools, seed, effects=effects, confounding=confounding)
        pop = rep.population
        typer.echo(
            f"synth: {len(pop.schools):,} schools, {sum(len(s.statements) for s in pop.schools):,} planted statements, "
            f"{sum(s.improved for s in pop.schools):,} improved, {len(pop.effects)} planted effect(s); documents "
            + ", ".join(f"{n:,} {m}" for m, n in rep.media.items())
            + f" -> {out / 'documents'}, table {out / 'tables' / 'synth-outcomes.csv'} (truth in {out / 'truth.csv'})"
        )
        return

    done = run_synth(
        out, schools, seed, effects=effects, correlation=correlation, store=store, ks2=ks2, ks2_effects=ks2_effects
    )
    sim = done.profiles
    typer.echo(
        f"synth: {schools:,} schools, {int(sim.x.sum()):,} findings, {int(sim.y.sum()):,} improved, "
        f"{len(done.planted)} planted effect(s) -> {done.nquads_path} (truth in {out / 'truth.csv'})"
    )
    if ks2 or ks2_effects is not None:
        typer.echo(f"KS2 results 2016/17-2018/19 for the primary schools (truth in {out / 'truth-ks2.csv'})")
    if done.store_path is not None:
        typer.echo(f"installed the store at {done.store_path}")
