"""`schoolkg analyse`: which practices go with improvement, and how sure we can be."""

import gc
import os
from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def analyse(
    store: StoreOpt = DEFAULT_STORE,
    improvement: Annotated[
        str, typer.Option("--improvement", help="Improvement definition: grade, attainment or gap.")
    ] = "grade",
    min_support: Annotated[
        int, typer.Option("--min-support", min=1, help="Fewest subjects with and without a practice to test it.")
    ] = 10,
    fdr: Annotated[float, typer.Option("--fdr", help="False discovery rate (Benjamini-Hochberg).")] = 0.05,
    polarity: Annotated[str, typer.Option("--polarity", help="split, strength or any.")] = "split",
    pairs: Annotated[bool, typer.Option("--pairs/--no-pairs", help="Also test pairs of practices.")] = True,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the Louvain communities.")] = 0,
    design: Annotated[
        str,
        typer.Option(
            "--design",
            help="For --improvement grade: temporal (practices of the report of inspection t, change t -> t+1) "
            "or cross-sectional (practices of the report of t+1, the same inspection).",
        ),
    ] = "temporal",
    window_days: Annotated[
        int, typer.Option("--window-days", min=0, help="Days between a report's date and the inspection it reports.")
    ] = 90,
    attainment_lag: Annotated[
        int,
        typer.Option(
            "--attainment-lag",
            min=0,
            help="Attainment design: results year this many academic years after the one holding inspection t "
            "(compared with the year before it).",
        ),
    ] = 1,
    out: Annotated[Path, typer.Option("--out", help="Folder for the report, tables, plots and RDF.")] = Path(
        "graphs/analysis"
    ),
) -> None:
    """Relate practices found in inspections to improvement; write a report and print a summary.

    Example: schoolkg analyse --improvement grade --min-support 20 --fdr 0.05
    """
    # One BLAS thread unless the user asks for more, set before numpy loads OpenBLAS: the models'
    # matrices are a few hundred columns wide, where OpenBLAS's worker threads only spin (on a
    # loaded machine a 120 x 120 solve took 0.11 CPU-s with them, 0.0003 without; issue 19).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from rich.console import Console

    from schoolkg.analysis.summary import attainment_summary, summary_table
    from schoolkg.pipeline import run_analysis
    from schoolkg.store.base import open_store

    options = {
        "improvement": improvement,
        "min_support": min_support,
        "fdr": fdr,
        "polarity": polarity,
        "design": design,
        "window_days": window_days,
        "attainment_lag": attainment_lag,
    }
    # Fewer passes of the cyclic garbage collector: the read makes about a million small tuples, sets and
    # strings that live for the whole run, and at the default thresholds (a pass every 700 allocations)
    # the collector walks them over and over (0.5-1 CPU-s of 10 at 25,000 schools; issue 19). Reference
    # counting frees everything else as before; the thresholds are restored afterwards.
    thresholds = gc.get_threshold()
    gc.set_threshold(100_000, 50, 100)
    try:
        result, files = run_analysis(open_store(store), out, **options, pairs=pairs, seed=seed)
    finally:
        gc.set_threshold(*thresholds)
    console = Console()
    console.print(summary_table(result))
    if (line := attainment_summary(result)) is not None:
        console.print(line, highlight=False)
    for note in result.notes:
        console.print(f"[bold]note:[/bold] {note}")
    typer.echo(f"report: {files['report.md']}")
    typer.echo(f"page: {files['analysis.html']}")
