"""`schoolkg link`: how schools known only by name were linked to the register."""

from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def link(
    report: Annotated[bool, typer.Option("--report", help="List the unlinked and ambiguous schools.")] = False,
    store: StoreOpt = DEFAULT_STORE,
) -> None:
    """Show the name-linking outcome: counts, and with --report the identity links (exact-URN
    owl:sameAs, name matches as skos:closeMatch to the school of the source's date, successions
    to today's URN) and each unlinked or ambiguous school.

    Example: schoolkg link --report
    """
    from schoolkg.queries.links import identity_report
    from schoolkg.store.base import open_store

    ids = identity_report(open_store(store))
    result = ids.statuses
    counts = {k: len(result.get(k, [])) for k in ("linked", "ambiguous", "unlinked")}
    typer.echo(", ".join(f"{k}: {v}" for k, v in counts.items()))
    if not report:
        return
    typer.echo(
        f"identity: {ids.same_as} schools owl:sameAs their government IRI (exact URN only); "
        f"{ids.close_match} name matches as skos:closeMatch; {ids.successions} successions "
        f"({ids.dated_successions} dated) from GIAS links and predecessor URNs"
    )
    for s in ids.linked:
        via = "" if s.candidate == s.school else f", matched {s.candidate.rsplit('/', 1)[-1]} which replaced it later"
        today = ", ".join(u for u in s.today if u != s.urn)
        typer.echo(
            f"linked: {s.name} (named {s.date or 'undated'}) -> closeMatch URN {s.urn or '?'} {s.school_name}"
            f" (score {s.score:.1f}{via})" + (f"; today URN {today}" if today else "")
        )
    for status in ("ambiguous", "unlinked"):
        for _iri, name, cands in result.get(status, []):
            typer.echo(f"{status}: {name}")
            for c_iri, c_name, score in cands:
                typer.echo(f"    {score:5.1f}  {c_name}  <{c_iri}>")
