"""The streamed entailment (:func:`write_entailment`) gives the bytes of the in-memory one."""

from __future__ import annotations

import random
from pathlib import Path

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, serialize

from schoolkg.mapping.derive import entailment_quads, write_entailment
from schoolkg.mapping.nquads import to_nquads, write_sorted
from schoolkg.vocab import RDF, RDFS

X = "http://x/"


def _n(name: str) -> NamedNode:
    return NamedNode(X + name)


def _graph(seed: int) -> list[Quad]:
    """Axioms with chains and a cycle, then typed nodes and property statements, some of which
    already state what the closure would add (those must not be repeated)."""
    rng = random.Random(seed)
    g1, g2 = _n("g1"), _n("g2")
    axioms = [
        Quad(_n("A"), RDFS.subClassOf, _n("B"), g1),
        Quad(_n("B"), RDFS.subClassOf, _n("C"), g1),
        Quad(_n("C"), RDFS.subClassOf, _n("A"), g1),  # a cycle
        Quad(_n("D"), RDFS.subClassOf, _n("C"), g1),
        Quad(_n("p"), RDFS.subPropertyOf, _n("q"), g1),
        Quad(_n("q"), RDFS.subPropertyOf, _n("r"), g1),
    ]
    data = []
    for _ in range(400):
        s = _n(f"s{rng.randrange(60)}")
        kind = rng.random()
        if kind < 0.5:
            data.append(Quad(s, RDF.type, _n(rng.choice("ABCDE")), rng.choice((g1, g2))))
        else:
            o = Literal(f"v{rng.randrange(5)}") if rng.random() < 0.5 else _n(f"o{rng.randrange(5)}")
            data.append(Quad(s, _n(rng.choice("pqrt")), o, rng.choice((g1, g2))))
    return axioms + data


def _files(quads: list[Quad], tmp: Path, parts: int) -> list[Path]:
    paths = []
    for i in range(parts):
        path = tmp / f"part{i}.nq"
        path.write_bytes(serialize(quads[i::parts], format=RdfFormat.N_QUADS) or b"")
        paths.append(path)
    return paths


def test_streamed_entailment_equals_in_memory(tmp_path: Path) -> None:
    for seed in range(5):
        quads = _graph(seed)
        expected = tmp_path / f"expected{seed}.nq"
        lines = write_sorted(entailment_quads(quads), expected)
        assert lines > 0
        out = tmp_path / f"out{seed}.nq"
        # chunk 7: many spilled runs of both streams; axioms spread over several files
        assert write_entailment(_files(quads, tmp_path, 3), out, chunk=7) == lines
        assert out.read_bytes() == expected.read_bytes()
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(f".{out.name}")]  # runs removed


def test_asserted_triples_are_not_repeated(tmp_path: Path) -> None:
    g = _n("g")
    quads = [
        Quad(_n("A"), RDFS.subClassOf, _n("B"), g),
        Quad(_n("s"), RDF.type, _n("A"), g),
        Quad(_n("s"), RDF.type, _n("B"), g),  # already stated
        Quad(_n("t"), RDF.type, _n("A"), g),
    ]
    out = tmp_path / "out.nq"
    assert write_entailment(_files(quads, tmp_path, 1), out) == 1
    assert out.read_bytes() == to_nquads(entailment_quads(quads))
    assert b"<http://x/t>" in out.read_bytes()


def test_no_axioms_no_entailment(tmp_path: Path) -> None:
    quads = [Quad(_n("s"), RDF.type, _n("A"), _n("g"))]
    out = tmp_path / "out.nq"
    assert write_entailment(_files(quads, tmp_path, 1), out) == 0
    assert out.read_bytes() == b""
