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


def test_kept_runs_give_the_same_bytes_and_spare_the_parse(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With ``kept``, each file's two runs are written beside it once, then merged as they are:
    the same bytes as reading everything, and a file whose runs are kept is not parsed again;
    other axioms give other runs."""
    import schoolkg.mapping.derive as derive

    quads = _graph(11)
    expected = tmp_path / "expected.nq"
    lines = write_sorted(entailment_quads(quads), expected)
    paths = _files(quads, tmp_path, 4)
    homes: dict[tuple[str, str], Path] = {}

    def kept(path: Path, axioms: str) -> Path | None:
        if path == paths[-1]:
            return None  # like the build's derived graph: read every time
        return homes.setdefault((path.name, axioms), tmp_path / f"{path.stem}.entail-{axioms}")

    parsed: list[str] = []
    real_parse = derive.parse

    def counting_parse(*args, **kwargs):  # type: ignore[no-untyped-def]
        if "path" in kwargs:
            parsed.append(Path(kwargs["path"]).name)
        return real_parse(*args, **kwargs)

    monkeypatch.setattr(derive, "parse", counting_parse)
    for run in range(2):
        parsed.clear()
        out = tmp_path / f"out{run}.nq"
        assert write_entailment(paths, out, chunk=5, kept=kept) == lines
        assert out.read_bytes() == expected.read_bytes()
        assert parsed == ([p.name for p in paths] if run == 0 else [paths[-1].name])
    assert len(homes) == 3 and all(h.with_name(h.name + ".added.nq").is_file() for h in homes.values())
    # a new axiom: new runs for every kept file, and the right closure
    more = [*quads, Quad(_n("E"), RDFS.subClassOf, _n("A"), _n("g1"))]
    paths = _files(more, tmp_path, 4)
    expected2 = tmp_path / "expected2.nq"
    lines2 = write_sorted(entailment_quads(more), expected2)
    out = tmp_path / "out2.nq"
    assert write_entailment(paths, out, chunk=5, kept=kept) == lines2
    assert out.read_bytes() == expected2.read_bytes()
    assert len(homes) == 6
