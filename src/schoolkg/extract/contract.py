"""The JSON contract of `schoolkg extract`: one object per document (see docs/extraction.md)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from schoolkg.model import Extraction

__all__ = ["FIELDS", "to_json"]

FIELDS = ("entities", "participations", "findings", "judgements", "figures")


def to_json(ex: Extraction) -> dict[str, Any]:
    """The contract object for one Extraction; every quote is ``text[start:end]`` of the normalised text."""
    doc = ex.document
    return {
        "document": {
            "id": doc.id,
            "path": doc.path,
            "title": doc.title,
            "publisher": doc.publisher,
            "published": doc.published,
            "kind": doc.kind,
            "format": ex.inspection.format,
            "framework": ex.inspection.framework,
            "subject": ex.subject,
            "inspection": {
                "type": ex.inspection.type,
                "start_date": ex.inspection.start_date,
                "end_date": ex.inspection.end_date,
                "number": ex.inspection.number,
                "previous_date": ex.inspection.previous_date,
            },
        },
        "entities": [asdict(e) for e in ex.entities],
        "participations": [asdict(p) for p in ex.participations],
        "findings": [asdict(f) for f in ex.findings],
        "judgements": [{**asdict(j), "label": j.grade_label or None} for j in ex.judgements],
        "figures": [asdict(f) for f in ex.figures],
        "warnings": list(ex.warnings),
    }
