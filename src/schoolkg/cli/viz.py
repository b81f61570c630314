"""`schoolkg viz`: write interactive graph pages that open offline."""

from pathlib import Path
from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def viz(
    store: StoreOpt = DEFAULT_STORE,
    view: Annotated[
        list[str] | None,
        typer.Option(
            "--view", metavar="VIEW", help="programmes, cooccurrence, ego or evidence (repeat; default: all)."
        ),
    ] = None,
    out: Annotated[Path, typer.Option("--out", help="Folder for the pages and index.html.")] = Path("graphs/html"),
    subject: Annotated[
        str | None, typer.Option("--subject", help="School or LA (IRI or name) of the ego view.")
    ] = None,
    query: Annotated[
        str | None, typer.Option("--query", help="Draw queries/NAME.rq (a CONSTRUCT); only it unless --view is given.")
    ] = None,
    query_file: Annotated[Path | None, typer.Option("--query-file", help="Draw this CONSTRUCT query file.")] = None,
    open_: Annotated[bool, typer.Option("--open", help="Open index.html in the browser.")] = False,
) -> None:
    """Write self-contained HTML graph pages (no network needed) and an index linking them.

    Example: schoolkg viz --view ego --subject "Blenheim Primary School" --open
    """
    from schoolkg.resources import queries_dir
    from schoolkg.store.base import open_store
    from schoolkg.viz.site import read_query, write_site

    q = read_query(query, query_file, queries_dir()) if (query or query_file) else None
    pages = write_site(open_store(store), out, view or None, subject=subject, query=q, store_name=str(store))
    for page in pages:
        typer.echo(f"{out / page.file}: {page.nodes:,} nodes, {page.edges:,} edges")
    index = out / "index.html"
    typer.echo(f"index: {index}")
    if open_:
        import webbrowser

        webbrowser.open(index.resolve().as_uri())
