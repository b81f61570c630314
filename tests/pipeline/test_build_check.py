"""The build's check runs on the store being installed, whose default graph holds the union's
distinct triples: it must still see every violation, and a failing check installs nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from schoolkg.errors import ValidationError
from schoolkg.pipeline import _validate
from schoolkg.store.embedded import EmbeddedStore, install_store

SKG = "https://w3id.org/schoolkg/ontology#"
DOC = "<https://w3id.org/schoolkg/id/document/d1>"
ITEM = "https://w3id.org/schoolkg/id/item/1"


def _graph(path: Path, end: int) -> Path:
    g = "<https://w3id.org/schoolkg/graph/document/d1>"
    lines = [
        f'{DOC} <{SKG}text> "Pupils read widely." {g} .',
        f'<{ITEM}> <{SKG}quote> "read widely" {g} .',
        f'<{ITEM}> <{SKG}startOffset> "7"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .',
        f'<{ITEM}> <{SKG}endOffset> "{end}"^^<http://www.w3.org/2001/XMLSchema#integer> {g} .',
        f"<{ITEM}> <{SKG}source> {DOC} {g} .",
        # the same triple in a second graph: the union default graph must not make it count twice
        f'{DOC} <{SKG}text> "Pupils read widely." <https://w3id.org/schoolkg/graph/other> .',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_good_graph_is_installed(tmp_path: Path) -> None:
    nq = _graph(tmp_path / "good.nq", 18)
    install_store(nq, tmp_path / "store", check=lambda s: _validate(s, nq, None))
    assert len(EmbeddedStore(tmp_path / "store")) == 6


def test_a_quote_off_its_offsets_stops_the_install(tmp_path: Path) -> None:
    good = _graph(tmp_path / "good.nq", 18)
    install_store(good, tmp_path / "store", check=lambda s: _validate(s, good, None))
    before = EmbeddedStore(tmp_path / "store").dump_nquads()
    bad = _graph(tmp_path / "bad.nq", 17)
    with pytest.raises(ValidationError, match="quotes do not match") as err:
        install_store(bad, tmp_path / "store", check=lambda s: _validate(s, bad, None))
    assert ITEM in err.value.report and "[7:17]" in err.value.report
    assert EmbeddedStore(tmp_path / "store").dump_nquads() == before
