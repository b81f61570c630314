"""The main job: build the corpus into N-Quads, validate it, and install it as the store."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from schoolkg.build.graph import BuildResult, Progress, build_nquads
from schoolkg.errors import ValidationError
from schoolkg.store.embedded import install_store
from schoolkg.validate.evidence import quote_mismatches
from schoolkg.validate.shacl import ShaclReport, check_nquads

__all__ = ["BuildSummary", "run_build"]


@dataclass
class BuildSummary:
    """What a build produced and how long it took."""

    result: BuildResult
    shacl: ShaclReport | None
    nquads_path: Path
    store_path: Path
    triples: int
    seconds: float


def run_build(
    corpus: Path,
    store: Path,
    nquads_path: Path,
    *,
    validate: bool = True,
    progress: Progress | None = None,
) -> BuildSummary:
    """Build ``corpus``; on success write ``nquads_path`` and replace ``store`` atomically.

    Nothing already stored changes unless every step succeeds, SHACL included.
    """
    t0 = time.perf_counter()
    result = build_nquads(corpus, progress)
    report = None
    if validate:
        report = check_nquads(result.nquads)
        if progress:
            progress("validate", 1)
        if not report.conforms:
            raise ValidationError("the built graph violates ontology/shapes.ttl", report.summary())
        bad = quote_mismatches(result.nquads)
        if bad:
            raise ValidationError("quotes do not match their sources' text", "\n".join(bad))
    nquads_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = nquads_path.with_name(f".{nquads_path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(result.nquads)
    try:
        install_store(tmp, store)
        os.replace(tmp, nquads_path)
    finally:
        if tmp.exists():
            tmp.unlink()
    if progress:
        progress("store", 1)
    triples = result.nquads.count(b"\n")
    return BuildSummary(result, report, nquads_path, store, triples, time.perf_counter() - t0)
