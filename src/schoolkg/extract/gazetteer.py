"""Names of local authorities, towns and programmes, and where they occur in text."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from schoolkg import iris
from schoolkg.extract.thesaurus import trie_pattern
from schoolkg.vocab import SKOS

__all__ = ["LA_ALIASES", "Gazetteer", "LocalAuthority", "Programme", "load_gazetteer", "local_authorities"]

_DATA = Path(__file__).with_name("data")

# Short and older forms used in documents, to the gazetteer's name.
LA_ALIASES = {
    "Hull": "Kingston Upon Hull, City of",
    "Kingston upon Hull": "Kingston Upon Hull, City of",
    "Stoke": "Stoke-on-Trent",
    "St Helens": "St. Helens",
    "Durham": "County Durham",
    "Bristol": "Bristol, City of",
    "City of Bristol": "Bristol, City of",
    "Corp of London": "City of London",
    "K&C": "Kensington and Chelsea",
    "Herefordshire": "Herefordshire, County of",
    "Cheshire West and Chester": "Cheshire West & Chester",
    "City of Nottingham": "Nottingham",
    "Southend": "Southend-on-Sea",
}


@dataclass(frozen=True)
class LocalAuthority:
    """An English local authority: DfE code, name and region."""

    code: str
    name: str
    region: str


@dataclass(frozen=True)
class Programme:
    """A programme or strand: IRI, name and the names and abbreviations it goes by."""

    iri: str
    name: str
    labels: tuple[str, ...]


class Gazetteer:
    """Finds local authorities and programmes named in text."""

    def __init__(
        self,
        las: list[LocalAuthority],
        towns: dict[str, str],
        programmes: list[Programme],
    ) -> None:
        self.las = {la.name: la for la in las}
        self.towns = towns
        self.programmes = {p.iri: p for p in programmes}
        names = {la.name: la.name for la in las}
        names.update({k: v for k, v in LA_ALIASES.items() if v in self.las})
        self._la_names = names
        self._la_re = _alternation(names)
        self._places: dict[str, LocalAuthority] = {}  # lower-case place -> LA (LA names and aliases first)
        for t, la in towns.items():
            if la in self.las:
                self._places[t.lower()] = self.las[la]
        self._places.update((name.lower(), self.las[la]) for name, la in names.items())
        prog_names = {lab: p.iri for p in programmes for lab in p.labels}
        self._prog_names = {k.lower(): v for k, v in prog_names.items()}
        self._prog_re = _alternation(prog_names, ignore_case_for_long=True)
        # Most sentences name no programme: one C-level scan for the first word of every name
        # (case-insensitive: a superset of the places the full alternation can match) finds the
        # places to try it, and it is tried only there.
        single = sorted({n.lower() for n in prog_names if len(n.split()) == 1})
        multi = sorted({n.lower().split()[0] for n in prog_names if len(n.split()) > 1})
        self._prog_quick = re.compile(
            rf"(?<![\w&])(?:{trie_pattern(single, fold=True)}(?![\w&])|{trie_pattern(multi, fold=True)}(?=\s))"
        )

    def find_las(self, text: str) -> Iterator[tuple[LocalAuthority, int, int]]:
        """Yield (authority, start, end) for each LA name in ``text``."""
        for m in self._la_re.finditer(text):
            yield self.las[self._la_names[m.group(0)]], m.start(), m.end()

    def la_for_town(self, town: str) -> LocalAuthority | None:
        """The authority a town lies in: the town itself if it is an LA, else the town list."""
        return self._places.get(" ".join(town.lower().split()))

    def find_programmes(self, text: str) -> Iterator[tuple[Programme, int, int]]:
        """Yield (programme, start, end) for each programme name or abbreviation in ``text``."""
        pos = 0
        for quick in self._prog_quick.finditer(text):
            if quick.start() < pos:
                continue
            m = self._prog_re.match(text, quick.start())
            if m is None:
                continue
            pos = m.end()
            iri = self._prog_names.get(m.group(0).lower()) or self._prog_names[_singular(m.group(0))]
            yield self.programmes[iri], m.start(), m.end()


def _singular(word: str) -> str:
    return word.lower()[:-1] if word.lower().endswith("s") else word.lower()


def _alternation(names: dict[str, str], ignore_case_for_long: bool = False) -> re.Pattern[str]:
    alts = []
    for name in sorted(names, key=len, reverse=True):
        pat = re.escape(name).replace(r"\ ", r"\s+")
        if ignore_case_for_long and not re.fullmatch(r"[A-Z&]{2,6}s?", name):
            pat = f"(?i:{pat})"
        alts.append(pat)
    return re.compile(r"(?<![\w&])(?:" + "|".join(alts) + r")(?![\w&])")


def local_authorities() -> list[LocalAuthority]:
    """The DfE list of local authorities shipped in ``extract/data/local_authorities.csv``."""
    return _read_las(_DATA / "local_authorities.csv")


def _read_las(path: Path) -> list[LocalAuthority]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [
            LocalAuthority(r["LEA"].strip(), r["LA Name"].strip(), r["REGION NAME"].strip()) for r in csv.DictReader(fh)
        ]


def _read_programmes(ontology: Path) -> list[Programme]:
    from pyoxigraph import RdfFormat, parse

    props: dict[str, dict[str, list[str]]] = {}
    for q in parse(path=str(ontology), format=RdfFormat.TURTLE):
        if q.subject.value.startswith(iris.PROGRAMME_BASE):
            props.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object.value)
    out = []
    for iri, p in sorted(props.items()):
        name = p.get(SKOS.prefLabel.value, [iri])[0]
        labels = tuple(dict.fromkeys([name, *sorted(p.get(SKOS.altLabel.value, []))]))
        out.append(Programme(iri, name, labels))
    return out


@cache
def load_gazetteer(ontology: Path) -> Gazetteer:
    """Load the LA list, town list and the programmes declared in ``ontology`` (cached)."""
    with (_DATA / "towns.csv").open(encoding="utf-8", newline="") as fh:
        towns = {r["town"]: r["la_name"] for r in csv.DictReader(fh)}
    return Gazetteer(local_authorities(), towns, _read_programmes(ontology))
