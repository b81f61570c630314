"""The remote store speaks the SPARQL Protocol; tested against an in-process mock endpoint."""

from __future__ import annotations

import httpx
import pytest

from schoolkg.errors import QueryError, StoreError
from schoolkg.store.base import open_store
from schoolkg.store.remote import RemoteStore
from schoolkg.store.table import to_table

JSON = {
    "head": {"vars": ["n", "s"]},
    "results": {
        "bindings": [
            {
                "n": {"type": "literal", "value": "3", "datatype": "http://www.w3.org/2001/XMLSchema#integer"},
                "s": {"type": "uri", "value": "https://w3id.org/schoolkg/id/school/123456"},
            }
        ]
    },
}


def _store(handler) -> RemoteStore:
    return RemoteStore("http://example.test/sparql", client=httpx.Client(transport=httpx.MockTransport(handler)))


def test_select_results_become_a_table() -> None:
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["type"] = request.headers["content-type"]
        seen["body"] = request.content.decode()
        return httpx.Response(200, json=JSON, headers={"content-type": "application/sparql-results+json"})

    table = to_table(_store(handler).query("SELECT ?n ?s WHERE { ?s ?p ?n }"))
    assert table.columns == ["n", "s"]
    assert table.rows == [[3, "https://w3id.org/schoolkg/id/school/123456"]]
    # a URL-encoded form: the one POST every SPARQL 1.1 endpoint must take (Virtuoso ignores a query body)
    assert seen == {
        "type": "application/x-www-form-urlencoded",
        "body": "query=SELECT+%3Fn+%3Fs+WHERE+%7B+%3Fs+%3Fp+%3Fn+%7D",
    }


def test_refusal_and_failure_are_project_errors() -> None:
    with pytest.raises(QueryError, match="refused the query: bad syntax"):
        _store(lambda r: httpx.Response(400, text="bad syntax")).query("SELEC")
    with pytest.raises(StoreError, match="answered HTTP 503"):
        _store(lambda r: httpx.Response(503, text="down")).query("ASK {}")


def test_open_store_chooses_by_spec(tmp_path) -> None:
    assert isinstance(open_store("http://localhost:7878/sparql"), RemoteStore)
    with pytest.raises(Exception, match="run `schoolkg build` first"):
        open_store(tmp_path / "missing")
