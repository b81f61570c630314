"""OWL consistency of the ontology (and optionally data) with HermiT, through owlready2."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from schoolkg.errors import ConfigError

if TYPE_CHECKING:
    from rdflib import Graph
from schoolkg.resources import ontology_dir

__all__ = ["OwlReport", "check_consistency"]


@dataclass(frozen=True)
class OwlReport:
    """HermiT's verdict: consistent or not, with unsatisfiable classes and the message."""

    consistent: bool
    unsatisfiable: tuple[str, ...]
    message: str

    def summary(self) -> str:
        """One line for the user."""
        if self.consistent and not self.unsatisfiable:
            return "OWL: HermiT finds the ontology consistent, every class satisfiable"
        if self.consistent:
            return "OWL: consistent, but unsatisfiable classes: " + ", ".join(self.unsatisfiable)
        return f"OWL: inconsistent: {self.message}"


def check_consistency(extra: list[Path] | None = None) -> OwlReport:
    """Run HermiT on ontology/schoolkg.ttl (plus ``extra`` Turtle files, e.g. practices or data).

    Needs a Java runtime (``java`` on PATH).
    """
    if shutil.which("java") is None:
        raise ConfigError("HermiT needs a Java runtime: install one (Debian: default-jre-headless)")
    import owlready2
    from rdflib import Graph

    g = Graph().parse(ontology_dir() / "schoolkg.ttl")
    for path in extra or []:
        g.parse(path)
    _dates_as_datetimes(g)
    with tempfile.TemporaryDirectory() as tmp:
        owl_file = Path(tmp) / "schoolkg.owl"
        g.serialize(owl_file, format="xml")
        world = owlready2.World()
        onto = world.get_ontology(owl_file.as_uri()).load()
        try:
            with onto:
                owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError as err:
            return OwlReport(False, (), str(err).splitlines()[0] if str(err) else "inconsistent")
        unsat = tuple(sorted(str(c.iri) for c in world.inconsistent_classes()))
    return OwlReport(True, unsat, "")


def _dates_as_datetimes(g: Graph) -> None:
    """HermiT knows only the OWL 2 datatype map, which lacks xsd:date: give it midnight xsd:dateTimes."""
    from rdflib import XSD, Literal

    for s, p, o in list(g):
        if isinstance(o, Literal) and o.datatype == XSD.date:
            g.remove((s, p, o))
            g.add((s, p, Literal(f"{o}T00:00:00", datatype=XSD.dateTime)))
