"""`schoolkg serve`: the read-only SPARQL endpoint and query UI."""

from __future__ import annotations

from typing import Annotated

import typer

from schoolkg.cli.app import DEFAULT_STORE, StoreOpt, app


@app.command()
def serve(
    store: StoreOpt = DEFAULT_STORE,
    host: Annotated[str, typer.Option(help="Interface to bind; keep 127.0.0.1 unless you mean to expose it.")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="TCP port.")] = 7878,
    timeout: Annotated[float, typer.Option(help="Seconds a query may run.")] = 10.0,
    max_rows: Annotated[int, typer.Option(help="Most result rows (or triples) returned.")] = 10_000,
    max_body: Annotated[int, typer.Option(help="Largest request body accepted, in bytes.")] = 64 * 1024,
    workers: Annotated[int, typer.Option(help="Queries run at once (one process each).")] = 1,
    cors: Annotated[bool, typer.Option("--cors/--no-cors", help="Allow cross-origin requests.")] = False,
) -> None:
    """Serve the SPARQL 1.1 endpoint at /sparql, the catalogue at /queries and a query UI at /.

    Read-only: updates, LOAD/CLEAR and SERVICE are refused.

    Example: schoolkg serve --port 7878 --timeout 5
    """
    import uvicorn

    from schoolkg.errors import ConfigError
    from schoolkg.queries.endpoint import Settings, create_app
    from schoolkg.store.base import open_store
    from schoolkg.store.embedded import EmbeddedStore

    db = open_store(store)
    if not isinstance(db, EmbeddedStore):
        raise ConfigError("serve answers from an embedded store folder; a remote endpoint already serves itself")
    settings = Settings(timeout=timeout, max_rows=max_rows, max_body=max_body, workers=workers, cors=cors)
    typer.echo(f"schoolkg endpoint on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    uvicorn.run(create_app(db, settings), host=host, port=port, log_level="warning")
