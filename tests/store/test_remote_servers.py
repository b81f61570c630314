"""RemoteStore against real servers: the Oxigraph server and Virtuoso 7 (issue 16, part 3).

The default corpus's graph is written into each server through the Graph Store Protocol
(``RemoteStore.publish``, what ``build --store URL`` does), then every catalogue query, the
consistency checks and the analysis run on the server and must give the embedded store's
answers — up to what SPARQL leaves open (row order, GROUP_CONCAT order, an empty GROUP_CONCAT
as "" or unbound) — except where Virtuoso's SPARQL differs, listed in VIRTUOSO_DIFFERS and in
docs/endpoint.md. ``schoolkg build --store URL --graph-store URL`` is run against both.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from servers import OXIGRAPH, VIRTUOSO, Server, oxigraph_server, virtuoso_server
from typer.testing import CliRunner

from conftest import ROOT
from schoolkg.cli import app
from schoolkg.iris import BASE
from schoolkg.queries.catalogue import load_catalogue
from schoolkg.store.remote import RemoteStore
from schoolkg.store.table import to_table

pytestmark = pytest.mark.slow

# Catalogue queries Virtuoso 7.2 answers differently, and why.
VIRTUOSO_DIFFERS = {
    "la-programmes-latest-grades": "a sub-select inside nested OPTIONALs that joins on the outer ?school: Virtuoso"
    " evaluates it apart from the outer pattern: schools missing and rows repeated (143 rows, not 61)",
    "programmes-overview": "COUNT(DISTINCT ?la) over OPTIONAL { ?who a skg:LocalAuthority . BIND(?who AS ?la) }"
    " counts fewer LAs on Virtuoso (51, not 60, for BIP), and MIN(?start) over start dates of mixed types is"
    " unbound in pyoxigraph (incomparable values) but a date in Virtuoso",
    "schools-not-inspected": "Virtuoso repeats rows (178 rows for the embedded store's 113, the same set): the"
    " names, URNs and LA labels read whole in sub-selects match once per graph that states them",
    "programme-participants": "Virtuoso repeats rows (426 rows for the embedded store's 113, none missing): the"
    " dated-participation OPTIONALs and the strand path match once per graph that states them",
}
SERVERS = {"oxigraph": (oxigraph_server, OXIGRAPH.exists()), "virtuoso": (virtuoso_server, VIRTUOSO is not None)}


@pytest.fixture(scope="module", params=sorted(SERVERS))
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    start, present = SERVERS[request.param]
    if not present:
        pytest.skip(f"{request.param} is not installed (virtuoso: apt-get install virtuoso-opensource)")
    with start(tmp_path_factory.mktemp(request.param)) as running:
        yield running


@pytest.fixture(scope="module")
def remote(server: Server, built) -> RemoteStore:
    store = RemoteStore(server.query, graph_store=server.graph_store)
    replaced, deleted = store.publish(built.store.dump_nquads(), f"{BASE}graph/")
    assert replaced == len([g for g in store.graphs() if g.startswith(BASE)]) and deleted == 0
    return store


def _value(v: object) -> object:
    if v == "":
        return None  # GROUP_CONCAT over nothing: "" (Virtuoso, as the spec says) or unbound (pyoxigraph)
    if isinstance(v, float):
        return round(v, 6)
    if isinstance(v, str) and " | " in v:
        return " | ".join(sorted(v.split(" | ")))  # GROUP_CONCAT's order is the engine's
    return v


def _answers(store: object, sparql: str) -> tuple[list[str], list[tuple]]:
    table = to_table(store.query(sparql))  # type: ignore[attr-defined]
    return table.columns, sorted((tuple(_value(v) for v in row) for row in table.rows), key=repr)


@pytest.mark.parametrize("name", [q.name for q in load_catalogue()])
def test_catalogue_query_gives_the_embedded_answers(server: Server, remote: RemoteStore, built, name: str) -> None:
    sparql = next(q for q in load_catalogue() if q.name == name).bound()
    want = _answers(built.store, sparql)
    if server.name == "virtuoso" and name in VIRTUOSO_DIFFERS:
        try:
            got = _answers(remote, sparql)
        except Exception:  # noqa: BLE001 - an error is one of the documented differences
            return
        assert got != want, f"{name} now matches on Virtuoso: remove it from VIRTUOSO_DIFFERS and the docs"
        return
    got = _answers(remote, sparql)
    if server.name == "oxigraph":
        # `oxigraph serve --union-default-graph` repeats a triple once per named graph stating it;
        # the embedded store's default graph is a set (docs/modelling.md): same rows, no repeats
        assert (got[0], sorted(set(got[1]), key=repr)) == want
        return
    assert got == want


def test_ask_and_typed_values_are_normalised(remote: RemoteStore) -> None:
    assert bool(remote.query("ASK { ?s ?p ?o }")) is True
    assert bool(remote.query("ASK { <http://x.invalid/none> ?p ?o }")) is False
    skg = "https://w3id.org/schoolkg/ontology#"
    rows = to_table(remote.query(f"SELECT ?p WHERE {{ ?o <{skg}provisional> ?p }}")).rows
    assert rows and {r[0] for r in rows} <= {True, False}


def test_consistency_checks_give_the_embedded_answers(remote: RemoteStore, built) -> None:
    from schoolkg.analysis.consistency import check_store

    assert check_store(remote).equals(check_store(built.store))


@pytest.mark.parametrize(
    "command",
    [["check"], ["link"], ["analyse", "--no-pairs", "--out", "OUT"], ["viz", "--view", "programmes", "--out", "OUT"]],
    ids=lambda c: c[0],
)
def test_commands_take_a_store_url(
    server: Server, remote: RemoteStore, built, tmp_path: Path, command: list[str]
) -> None:
    """analyse, viz, check and link read a remote store as they read the embedded one, with the same results."""
    outputs = {}
    for name, spec in (("embedded", str(built.dir / "store")), ("remote", server.query)):
        out = tmp_path / name
        args = [a.replace("OUT", str(out)) for a in command]
        result = CliRunner().invoke(app, [*args, "--store", spec])
        assert result.exit_code == 0, f"{name}: {result.output}"
        found = sorted(p for p in out.rglob("*") if p.suffix in (".csv", ".html")) if out.exists() else []
        files = {p.relative_to(out).as_posix(): p.read_bytes().replace(spec.encode(), b"STORE") for p in found}
        outputs[name] = (result.stdout.replace(spec, "STORE").replace(str(out), "OUT"), files)
    if command[0] in ("analyse", "viz"):
        assert outputs["remote"][1], "the command wrote nothing to compare"
    if server.name == "virtuoso" and command[0] == "viz":
        # the same node and edge counts (printed); the pages differ (node order, and edges not analysed further)
        assert outputs["remote"][0] == outputs["embedded"][0]
        return
    assert outputs["remote"] == outputs["embedded"]


def test_serve_forwards_to_a_remote_store(server: Server, remote: RemoteStore, built) -> None:
    """schoolkg serve --store URL: checked here, run there, the same answers; SERVICE still refused."""
    from starlette.testclient import TestClient

    from schoolkg.queries.endpoint import Settings, create_app

    def answers(store: object) -> tuple[int, str, int]:
        with TestClient(create_app(store, Settings(workers=2))) as client:
            # a catalogue query both servers answer like the embedded store (not one of VIRTUOSO_DIFFERS)
            csv = client.get("/queries/documents", params={"format": "csv"})
            refused = client.get("/sparql", params={"query": "ASK { SERVICE <http://127.0.0.1:9/> {} }"})
            lines = csv.text.splitlines()  # Oxigraph server's union default graph repeats rows
            return (
                csv.status_code,
                "\n".join(sorted(set(lines) if server.name == "oxigraph" else lines)),
                refused.status_code,
            )

    assert answers(remote) == answers(built.store)
    assert answers(remote)[2] == 403


# Last in the file: it replaces the published corpus on the server with a smaller one.
def test_build_publishes_one_named_graph_per_source(server: Server, tmp_path: Path) -> None:
    import pyoxigraph

    from schoolkg.iris import GRAPH_ONTOLOGY

    corpus = tmp_path / "corpus" / "tables"
    corpus.mkdir(parents=True)
    for table in ("eic-local-authorities.csv", "bip-local-authorities.csv"):
        shutil.copyfile(ROOT / "corpus" / "tables" / table, corpus / table)
    store = RemoteStore(server.query, graph_store=server.graph_store)
    bogus = b"<http://x.invalid/s> <http://x.invalid/p> <http://x.invalid/o> .\n"
    stale = f"{BASE}graph/table/a-source-since-removed"
    store.replace_graph(stale, bogus)
    store.replace_graph(GRAPH_ONTOLOGY, bogus)  # every build writes this graph: it must be replaced, not added to
    args = ["build", "--corpus", str(tmp_path / "corpus"), "--store", server.query, "--graph-store", server.graph_store]
    result = CliRunner().invoke(app, [*args, "--nquads", str(tmp_path / "g.nq"), "--no-validate", "--progress", "none"])
    assert result.exit_code == 0, result.output
    dumped: dict[str, int] = {}
    for quad in pyoxigraph.parse(path=str(tmp_path / "g.nq"), format=pyoxigraph.RdfFormat.N_QUADS):
        dumped[quad.graph_name.value] = dumped.get(quad.graph_name.value, 0) + 1
    on_server = {g for g in store.graphs() if g.startswith(f"{BASE}graph/")}
    assert stale not in on_server and set(dumped) == on_server
    counts = {g: len(store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}")) for g in dumped}
    assert counts == dumped
