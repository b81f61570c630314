"""Every check of a graph in one report: SHACL shapes, quotes against their sources, and (optionally) OWL."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph

from schoolkg.errors import ConfigError
from schoolkg.resources import ontology_dir
from schoolkg.validate.compiled import Queryable, ShapeProgress, check_store
from schoolkg.validate.evidence import store_quote_mismatches
from schoolkg.validate.owl import OwlReport, check_consistency
from schoolkg.validate.shacl import ShaclReport, check_nquads, report_of

__all__ = ["ENGINES", "ValidationReport", "check_shapes", "validate_nquads", "validate_store"]

ENGINES = ("sparql", "pyshacl")
"""SHACL engines: shapes compiled to SPARQL on the store (default), or pyshacl on an rdflib copy."""


@dataclass(frozen=True)
class ValidationReport:
    """The SHACL report, the items whose quote is not their source's text, and HermiT's verdict."""

    shacl: ShaclReport
    quote_mismatches: tuple[str, ...]
    owl: OwlReport | None = None

    @property
    def conforms(self) -> bool:
        """Whether every check that ran passed."""
        owl_ok = self.owl is None or (self.owl.consistent and not self.owl.unsatisfiable)
        return self.shacl.conforms and not self.quote_mismatches and owl_ok

    def summary(self) -> str:
        """One section a check: what the user sees after ``schoolkg validate``."""
        quotes = (
            "\n".join(self.quote_mismatches)
            if self.quote_mismatches
            else "quotes: every quote is its source's text at its offsets"
        )
        parts = [self.shacl.summary(), quotes] + ([self.owl.summary()] if self.owl is not None else [])
        return "\n".join(parts)


def validate_nquads(
    nquads: bytes,
    *,
    owl: bool = False,
    stop_early: bool = False,
    engine: str = "sparql",
    progress: ShapeProgress | None = None,
) -> ValidationReport:
    """Check the graph in ``nquads``: SHACL, then quotes, then (with ``owl``) HermiT on the ontology.

    The N-Quads are loaded into an in-memory pyoxigraph store once and checked there (see
    :func:`validate_store`). With ``stop_early`` the quote check is skipped once SHACL fails
    (a build stops there anyway).
    """
    store = pyoxigraph.Store()
    store.bulk_load(nquads, pyoxigraph.RdfFormat.N_QUADS)
    shacl = check_nquads(nquads) if engine == "pyshacl" else None
    return validate_store(store, owl=owl, stop_early=stop_early, engine=engine, progress=progress, shacl=shacl)


def validate_store(
    store: Queryable | pyoxigraph.Store,
    shapes: Path | None = None,
    *,
    owl: bool = False,
    stop_early: bool = False,
    engine: str = "sparql",
    progress: ShapeProgress | None = None,
    shacl: ShaclReport | None = None,
) -> ValidationReport:
    """Check the union of the graphs in ``store`` without copying it out: SHACL, quotes, OWL.

    ``store`` is a schoolkg Store (embedded or remote) or a pyoxigraph Store; ``engine``
    is one of :data:`ENGINES` (``pyshacl`` dumps the store into rdflib first); ``progress``
    hears after each shape (name, done, total, seconds). ``shacl`` is a SHACL report already
    made (then SHACL is not run again).
    """
    if shacl is None:
        shacl = check_shapes(store, shapes, engine=engine, progress=progress)
    bad = () if stop_early and not shacl.conforms else tuple(store_quote_mismatches(store))
    owl_report = check_consistency([ontology_dir() / "practices.ttl"]) if owl else None
    return ValidationReport(shacl, bad, owl_report)


def check_shapes(
    store: Queryable | pyoxigraph.Store,
    shapes: Path | None = None,
    *,
    engine: str = "sparql",
    progress: ShapeProgress | None = None,
) -> ShaclReport:
    """The SHACL report of ``store`` against ``shapes`` (default ``ontology/shapes.ttl``) by ``engine``."""
    if engine == "sparql":
        return report_of(check_store(store, shapes, progress), "sparql")
    if engine == "pyshacl":
        if isinstance(store, pyoxigraph.Store):
            nquads = store.dump(format=pyoxigraph.RdfFormat.N_QUADS) or b""
        else:
            nquads = cast(Any, store).dump_nquads()
        return check_nquads(nquads, shapes)
    raise ConfigError(f"unknown SHACL engine {engine!r}; use {' or '.join(ENGINES)}")
