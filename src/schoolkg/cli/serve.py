"""`schoolkg serve`: the read-only SPARQL endpoint and query UI."""

from pathlib import Path
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
    timeout: Annotated[float, typer.Option(help="Seconds a query may take, answer written included.")] = 10.0,
    memory_mb: Annotated[int, typer.Option(help="Address space of each query worker, in MB (0: no cap).")] = 2048,
    max_answer_mb: Annotated[int, typer.Option(help="Largest answer, in MB (0: no cap).")] = 1024,
    max_body: Annotated[int, typer.Option(help="Largest request body accepted, in bytes.")] = 64 * 1024,
    workers: Annotated[int, typer.Option(help="Queries run at once (one process each).")] = 2,
    per_client: Annotated[
        int | None, typer.Option(help="Most workers one client address may hold at once (default: all but one).")
    ] = None,
    queue_timeout: Annotated[float, typer.Option(help="Seconds a request may wait for a free worker.")] = 30.0,
    cors: Annotated[bool, typer.Option("--cors/--no-cors", help="Allow cross-origin requests.")] = False,
    allow_formulas: Annotated[
        bool,
        typer.Option(
            "--allow-formulas",
            help="Send CSV/TSV cells as they are, even those starting with = + - @ tab or CR"
            " (by default such cells get a leading ' so spreadsheets do not run them).",
        ),
    ] = False,
    access_log: Annotated[
        str, typer.Option(help="Where the access log goes: a file to append to, or - for stderr.")
    ] = "-",
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox/--no-sandbox",
            help="Deny query workers the network (Linux seccomp); turn off only where the platform has none.",
        ),
    ] = True,
) -> None:
    """Serve the SPARQL 1.1 endpoint at /sparql, the catalogue at /queries and a query UI at /.

    Read-only: updates, LOAD/CLEAR and SERVICE are refused, and query workers cannot reach the
    network. Every request is written to the access log, every refusal counted. With --store URL
    the endpoint checks each query and forwards it to that SPARQL server.

    Example: schoolkg serve --port 7878 --timeout 5 --access-log graphs/access.log
    """
    import logging
    import sys

    import uvicorn

    from schoolkg.errors import ConfigError
    from schoolkg.queries import sandbox as box
    from schoolkg.queries.accesslog import AccessLog
    from schoolkg.queries.endpoint import Settings, create_app
    from schoolkg.store.base import open_store
    from schoolkg.store.embedded import EmbeddedStore
    from schoolkg.store.remote import RemoteStore

    db = open_store(store, timeout=timeout)  # a URL: queries are checked here and run there
    if not isinstance(db, EmbeddedStore | RemoteStore):
        raise ConfigError(f"cannot serve {store}")
    if isinstance(db, EmbeddedStore) and sandbox and not box.supported():
        raise ConfigError("this platform cannot deny query workers the network; rerun with --no-sandbox")
    logger = logging.getLogger("schoolkg.access")
    logger.setLevel(logging.INFO)
    logger.propagate = False
    handler = logging.StreamHandler(sys.stderr) if access_log == "-" else logging.FileHandler(Path(access_log))
    logger.addHandler(handler)
    settings = Settings(
        timeout=timeout,
        memory_mb=memory_mb,
        max_answer_mb=max_answer_mb,
        max_body=max_body,
        workers=workers,
        per_client=per_client,
        queue_timeout=queue_timeout,
        cors=cors,
        protect_cells=not allow_formulas,
        sandbox=sandbox,
    )
    typer.echo(f"schoolkg endpoint on http://{host}:{port}/ (SPARQL at /sparql)", err=True)
    uvicorn.run(create_app(db, settings, AccessLog(logger)), host=host, port=port, log_level="warning")
