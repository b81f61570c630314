"""Render one Extraction as a plain-text table for people (`schoolkg extract --format table`)."""

from __future__ import annotations

from schoolkg.model import Extraction

__all__ = ["render_table"]


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(ex: Extraction) -> str:
    """One line per item: kind, subject, what, and the start of its quote."""
    doc = ex.document
    lines = [f"# {doc.path}  [{doc.kind}]  {doc.title}  {doc.published or ''}".rstrip()]
    insp = ex.inspection
    if insp.format:
        when = " to ".join(dict.fromkeys(d for d in (insp.start_date, insp.end_date) if d))
        lines.append(f"format      {insp.format:<12} {insp.type or '':<15} {when} {insp.number or ''}".rstrip())
    for e in ex.entities:
        fields = (
            ("urn", e.urn),
            ("la", e.local_authority),
            ("town", e.town),
            ("postcode", e.postcode),
            ("phase", e.phase),
        )
        extra = ", ".join(f"{k}={v}" for k, v in fields if v)
        lines.append(f"entity      {e.id:<12} {e.type:<15} {e.name}" + (f" ({extra})" if extra else ""))
    for p in ex.participations:
        lines.append(f"takes part  {p.subject:<12} {p.programme:<15} {p.start:>6}  {_clip(p.quote, 70)}")
    for f in ex.findings:
        what = _clip(f.practice_label or f.theme or "", 40)
        lines.append(f"{f.polarity:<11} {f.subject:<12} {what:<40} {f.start:>6}  {_clip(f.quote, 60)}")
    for j in ex.judgements:
        kind = "previous" if j.previous else "judgement"
        lines.append(f"{kind:<11} {j.subject:<12} {j.area:<30} {j.grade_label or '?':<20} {j.scale:<17} {j.date or ''}")
    for g in ex.figures:
        lines.append(
            f"figure      {g.subject:<12} {g.value:g} {g.unit:<17} {_clip(g.measure, 40):<40} "
            f"{g.period or '':<9} {g.comparison_group or ''}"
        )
    return "\n".join(lines)
