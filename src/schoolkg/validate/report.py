"""Every check of a graph in one report: SHACL shapes, quotes against their sources, and (optionally) OWL."""

from __future__ import annotations

from dataclasses import dataclass

from schoolkg.resources import ontology_dir
from schoolkg.validate.evidence import quote_mismatches
from schoolkg.validate.owl import OwlReport, check_consistency
from schoolkg.validate.shacl import ShaclReport, check_nquads

__all__ = ["ValidationReport", "validate_nquads"]


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


def validate_nquads(nquads: bytes, *, owl: bool = False, stop_early: bool = False) -> ValidationReport:
    """Check the graph in ``nquads``: SHACL, then quotes, then (with ``owl``) HermiT on the ontology.

    With ``stop_early`` the quote check is skipped once SHACL fails (a build stops there anyway).
    """
    shacl = check_nquads(nquads)
    bad = () if stop_early and not shacl.conforms else tuple(quote_mismatches(nquads))
    owl_report = check_consistency([ontology_dir() / "practices.ttl"]) if owl else None
    return ValidationReport(shacl, bad, owl_report)
