"""The thesaurus and gazetteer every extractor reads, loaded from the packaged ontology."""

from __future__ import annotations

from pathlib import Path

from schoolkg.extract.gazetteer import Gazetteer, load_gazetteer
from schoolkg.extract.thesaurus import Thesaurus, load_cues, load_thesaurus
from schoolkg.resources import ontology_dir

__all__ = ["load_lexicon"]


def load_lexicon() -> tuple[Thesaurus, Gazetteer]:
    """The practice thesaurus (``practices.ttl``) and the gazetteer (``schoolkg.ttl`` and the LA list)."""
    folder = ontology_dir()
    cues = load_cues(Path(__file__).parent / "data" / "practice_cues.json")
    return load_thesaurus(folder / "practices.ttl", cues), load_gazetteer(folder / "schoolkg.ttl")
