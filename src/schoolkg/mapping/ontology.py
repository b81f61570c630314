"""The ontology, the practice thesaurus and a user's ontology extensions, as quads in their own graphs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

from pyoxigraph import BlankNode, Literal, NamedNode, Quad, RdfFormat, Triple, parse

from schoolkg import iris
from schoolkg.errors import InputError

__all__ = ["extension_quads", "ontology_quads"]


def ontology_quads(folder: Path) -> Iterator[Quad]:
    """The ontology and the practice thesaurus, each in its own named graph."""
    for name, graph in (("schoolkg.ttl", iris.GRAPH_ONTOLOGY), ("practices.ttl", iris.GRAPH_PRACTICES)):
        path = folder / name
        stable = _StableBlankNodes(path.stem)
        try:
            for t in parse(path=str(path), format=RdfFormat.TURTLE):
                yield Quad(stable(t.subject), t.predicate, stable(t.object), NamedNode(graph))
        except SyntaxError as err:
            raise _syntax_error(err, path, "Turtle") from None


def extension_quads(corpus: Path) -> Iterator[Quad]:
    """A user's ontology extensions: each ``corpus/ontology/*.ttl`` or ``*.trig`` in its own graph.

    Every statement of a file goes into ``…/graph/extension/{slug(file stem)}`` (TriG graph names
    are not kept: an extension never writes into another graph). A syntax error is an
    InputError naming the file and line.
    """
    folder = corpus / "ontology"
    if not folder.is_dir():
        return
    formats = {".ttl": RdfFormat.TURTLE, ".trig": RdfFormat.TRIG}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in formats):
        if not path.resolve().is_relative_to(corpus.resolve()):  # as ingest.corpus.inside: never read out
            raise InputError(f"a symbolic link to a file outside {corpus}; refusing to read it", path=path)
        graph = NamedNode(iris.extension_graph(path.stem))
        stable = _StableBlankNodes(f"ext-{iris.slug(path.stem)}-")
        try:
            for q in parse(path=str(path), format=formats[path.suffix.lower()]):
                yield Quad(stable(q.subject), q.predicate, stable(q.object), graph)
        except SyntaxError as err:
            raise _syntax_error(err, path, "TriG" if path.suffix.lower() == ".trig" else "Turtle") from None
        except (OSError, ValueError) as err:
            raise InputError(f"cannot read the extension: {err}", path=path) from None


def _syntax_error(err: SyntaxError, path: Path, language: str) -> InputError:
    """An InputError for a parser error, with the line pyoxigraph reports and its message.

    >>> e = SyntaxError("Parser error at line 6 between columns 1 and 17: A dot is expected", ("f", 6, 1, None, 6, 17))
    >>> str(_syntax_error(e, Path("x.ttl"), "Turtle"))
    'x.ttl:6: Turtle syntax error: A dot is expected (column 1)'
    """
    message = str(err.args[0]) if err.args else str(err)
    problem = message.split(": ", 1)[1] if message.startswith("Parser error") and ": " in message else message
    column = f" (column {err.offset})" if err.offset else ""
    return InputError(f"{language} syntax error: {problem}{column}", path=path, line=err.lineno)


_T = TypeVar("_T", NamedNode, BlankNode, Literal, Triple)


class _StableBlankNodes:
    """The parser names blank nodes at random; number them in reading order instead."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.labels: dict[str, BlankNode] = {}

    def __call__(self, term: _T) -> _T:
        if isinstance(term, BlankNode):
            return self.labels.setdefault(term.value, BlankNode(f"{self.prefix}{len(self.labels) + 1}"))
        return term
