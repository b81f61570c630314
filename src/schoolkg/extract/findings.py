"""Turn a document's evaluative statements into findings: kind, theme and practice concept of each."""

from __future__ import annotations

from collections.abc import Iterator

from schoolkg.extract.classify import FindingClassifier
from schoolkg.extract.statements import Statement, find_statements
from schoolkg.extract.thesaurus import Concept, Thesaurus
from schoolkg.model import SegmentedDocument

__all__ = ["find_findings"]


def find_findings(seg: SegmentedDocument, thesaurus: Thesaurus) -> Iterator[tuple[Statement, Concept | None, str, str]]:
    """Yield (statement, practice concept or None, kind, theme key) for every evaluative statement of ``seg``."""
    classifier = FindingClassifier(thesaurus)
    salutations = [(s.start, s.text) for s in seg.sentences if s.text[:5].lower() == "dear "]
    for st in find_statements(seg):
        while salutations and salutations[0][0] <= st.start:
            classifier.see_line(salutations.pop(0)[1])
        kind, theme, concept = classifier.classify(st)
        yield st, concept, kind, theme
