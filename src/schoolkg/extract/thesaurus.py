"""The practice thesaurus: SKOS concepts from ontology/practices.ttl and a matcher for their labels."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from schoolkg.errors import InputError
from schoolkg.extract.dispatch import fold_class
from schoolkg.vocab import RDF, SKG, SKOS

__all__ = [
    "Concept",
    "CueMatcher",
    "Thesaurus",
    "label_pattern",
    "load_cues",
    "load_thesaurus",
    "trie_pattern",
    "word_pattern",
]


@dataclass(frozen=True)
class Concept:
    """A thesaurus concept: IRI, preferred label, usual polarity (None when it has none), the IRI of
    its theme, the labels that name it, its theme's key, its kind (practice, outcome or theme) and its
    opposites: the related concepts of the other polarity ("weak leadership and management" and
    "highly effective leadership and management"), which make its polarity part of its meaning."""

    iri: str
    label: str
    polarity: str | None
    theme: str
    labels: tuple[str, ...]
    theme_key: str = ""
    kind: str = "practice"
    opposites: tuple[str, ...] = ()


def label_pattern(label: str) -> str:
    """Regex for a label: case and spacing free, optional apostrophes, plural of the last word.

    >>> bool(re.fullmatch(label_pattern("tracking pupils' progress"), "tracking pupils progress"))
    True
    >>> bool(re.fullmatch(label_pattern("school-to-school partnership"), "school to school partnerships"))
    True
    """
    words = re.findall(r"[\w&*]+(?:['’][\w]*)?", label.lower().replace("-", " "))
    parts = []
    for i, word in enumerate(words):
        base = re.sub(r"['’]s?$", "", word)
        pat = re.escape(base) + r"(?:['’]s?|\s?s\b)?" if base.endswith("s") else re.escape(base)
        if "'" not in word and "’" not in word and i == len(words) - 1:
            pat = re.escape(base) + r"(?:e?s)?(?:['’])?"
        elif word.endswith(("'s", "’s")):
            pat = re.escape(base) + r"(?:['’]\s?s|\s?s)?"
        parts.append(pat)
    return r"\b" + r"[\s\-]+".join(parts) + r"\b"


class Thesaurus:
    """Concepts and a matcher over all their labels, indexed by first word (longest label wins)."""

    def __init__(self, concepts: list[Concept], cues: CueMatcher | None = None) -> None:
        self.concepts = {c.iri: c for c in concepts}
        self.cues = cues
        by_name = {iri.rsplit("/", 1)[-1]: c for iri, c in self.concepts.items()}
        if cues is not None:
            unknown = [rule[0] for rule in cues.rules if rule[0].split("#")[0] not in by_name]
            if unknown:
                raise InputError(f"practice cues name no concept of the thesaurus: {', '.join(unknown)}")
        self._by_name = by_name

        # per key, (length, is a theme, label regex, concept IRI) of each label; the regexes are compiled
        # only as the alternations of :func:`_compile_tail`, when a text first has a word of the key
        index: dict[str, list[tuple[int, bool, str, str]]] = {}
        for c in concepts:
            for lab in dict.fromkeys(_LEADING_STOPWORDS.sub("", x) for x in c.labels):
                words = _WORD.findall(lab)
                if not words:
                    continue
                index.setdefault(_key(words[0]), []).append((len(lab), c.kind == "theme", label_pattern(lab), c.iri))
        for cands in index.values():
            cands.sort(key=lambda t: (-t[0], t[1]))  # longest first; a concept before its theme on a tie
        self._index = index
        # per first word, its labels as one alternation (a group each, longest first): one C-level match
        # finds the first label matching at a word, and the alternation of the labels after it the next
        self._chains: dict[str, _Chain] = {}
        # One C-level scan finds the words that can start a label (a key, or a key plus 's');
        # only those positions are tried in Python.
        self._lookup: dict[str, tuple] = {}  # a word as written -> _entry(word)
        self._starts = re.compile(r"(?<![\w&*])" + trie_pattern(index, fold=True) + fold_class("s") + r"?(?![\w&*])")

    def cue_concepts(self, text: str) -> list[Concept]:
        """The practice concepts the cues name in ``text`` (see :class:`CueMatcher`), best first."""
        return list(self.cue_matches(text))

    def cue_matches(self, text: str) -> dict[Concept, int]:
        """The practice concepts the cues name in ``text``, best first, with the most groups a rule of each matched."""
        out: dict[Concept, int] = {}
        if self.cues is not None:
            for name, groups in self.cues.matches(text):
                concept = self._by_name[name.split("#")[0]]
                out[concept] = max(groups, out.get(concept, 0))
        return out

    def __len__(self) -> int:
        return len(self.concepts)

    def matches(self, text: str) -> Iterator[tuple[Concept, int, int]]:
        """Yield (concept, start, end) for each label occurrence in ``text``, left to right.

        At each word the longest matching label wins; matches do not overlap.
        """
        pos = 0
        lookup = self._lookup
        # A label starts at a whole word ([\w&*]+) that is a key or a key plus 's' (what ``_starts``
        # matches): each word as written is tested once (``_NO_ENTRY`` when it starts no label) and
        # remembered, which is cheaper than scanning every text with the prefix tree of the keys.
        for w in _WORD.finditer(text):
            word = w.group(0)
            entry = lookup.get(word)
            if entry is None:
                entry = lookup[word] = self._entry(word) if self._starts.fullmatch(word) else _NO_ENTRY
            if entry is _NO_ENTRY:
                continue
            at = w.start()
            if at < pos:
                continue
            # the first label matching here, then the next after it, and so on: the longest wins, the
            # first of them on a tie (as trying each label in order and keeping a longer match would)
            tails, iris, _patterns = entry
            m = tails[0](text, at)
            if m is None:
                continue
            k = (m.lastindex or 1) - 1  # a group per label: never None
            best_end, best_k = m.end(), k
            k += 1
            while k < len(iris):
                tail = tails[k] or _compile_tail(entry, k)
                m = tail(text, at)
                if m is None:
                    break
                k += (m.lastindex or 1) - 1
                if m.end() > best_end:
                    best_end, best_k = m.end(), k
                k += 1
            yield self.concepts[iris[best_k]], at, best_end
            pos = best_end

    def _entry(self, word: str) -> _Chain:
        """What :meth:`matches` tries where ``word`` (as written) starts: the labels of its key, longest
        first, with their concepts (one :data:`_Chain` a key, shared by the ways of writing it)."""
        key = _key(word)
        chain = self._chains.get(key)
        if chain is None:
            cands = self._index.get(key, ())
            patterns = tuple(p for _n, _t, p, _i in cands)
            chain = self._chains[key] = ([None] * len(cands), tuple(iri for _n, _t, _p, iri in cands), patterns)
            if cands:
                _compile_tail(chain, 0)
        return chain if chain[1] else _NO_ENTRY


# per key, its labels longest first: the ``match`` of the alternation of the labels from the k-th on
# (compiled when first needed), each label's concept IRI and each label's regex (IGNORECASE)
_Chain = tuple[list[Callable[..., "re.Match[str] | None"] | None], tuple[str, ...], tuple[str, ...]]


def _compile_tail(chain: _Chain, k: int) -> Callable[..., re.Match[str] | None]:
    """The ``match`` of one regex trying the labels of ``chain`` from the ``k``-th on in order, a group each
    (a match's ``lastindex`` tells which matched: the label patterns have no groups of their own)."""
    tail = re.compile("|".join(f"({p})" for p in chain[2][k:]), re.IGNORECASE).match
    chain[0][k] = tail
    return tail


class CueMatcher:
    """Names practice concepts from order-free cue words in a statement (inspectors' own wording).

    Each concept has groups of word stems; it is named when every group has a stem in the text
    (a stem matches at a word start, so "monitor" finds "monitors", "monitoring", "monitored"; a
    stem ending "=" is a whole word) and no stem of its "!" groups is there.

    >>> m = CueMatcher({"c": ["monitor|check", "teaching|lessons", "!understand"]})
    >>> m.names("Leaders monitored the quality of teaching closely.")
    ['c']
    >>> m.names("Teachers check pupils' understanding in lessons.")
    []
    """

    def __init__(self, cues: dict[str, list[str]]) -> None:
        stems: dict[str, int] = {}  # stem -> bit
        rules: list[tuple[str, tuple[int, ...], int]] = []  # name, a mask per group, the veto mask
        for name, groups in cues.items():
            positive: list[int] = []
            negative = 0
            for group in groups:
                mask = 0
                for word in (w.strip() for w in group.lstrip("!").split("|")):
                    if word:
                        mask |= 1 << stems.setdefault(word, len(stems))
                if group.startswith("!"):
                    negative |= mask
                elif mask:
                    positive.append(mask)
            if positive:
                rules.append((name, tuple(positive), negative))
        self.rules = rules
        # most groups first, then file order: the order names() returns
        self._ranked = sorted(rules, key=lambda r: -len(r[1]))
        # a rule needs a stem of each of its groups, so of its smallest one: per stem, the ranked rules
        # (a bit each, in rank order) whose smallest group holds it, so a text is tried only on those
        self._rules_of_stem = [0] * len(stems)
        for r, (_name, masks, _veto) in enumerate(self._ranked):
            smallest = min(masks, key=int.bit_count)  # the first of the smallest on a tie
            while smallest:
                bit = smallest & -smallest
                smallest ^= bit
                self._rules_of_stem[bit.bit_length() - 1] |= 1 << r
        # what a match of a stem's text also hits: every stem that is a prefix of it (a whole-word
        # stem only when it is the text itself), found among the stems of each prefix of the text
        by_base: dict[str, list[tuple[str, int]]] = {}
        for other, j in stems.items():
            by_base.setdefault(other.rstrip("="), []).append((other, j))
        self._also: dict[str, int] = {}
        for stem in stems:
            base = stem.rstrip("=")
            mask = self._also.get(base, 0)
            for k in range(len(base) + 1):
                for other, j in by_base.get(base[:k], ()):
                    if not other.endswith("=") or k == len(base):
                        mask |= 1 << j
            self._also[base] = mask
        # one prefix-tree regex of all stems, the longest at each word start (a lookahead, so a
        # stem of several words does not hide the stems starting at its later words); whole-word
        # stems are checked after the match
        self._scan = (
            re.compile(r"(?<![\w'])(?=(" + trie_pattern(sorted(self._also)) + r")([\w'-]?))") if stems else None
        )
        self._not_exact = ~sum(1 << i for s, i in stems.items() if s.endswith("="))

    def names(self, text: str) -> list[str]:
        """The names of the concepts whose cues ``text`` satisfies, most groups first, then in file order."""
        return [name for name, _groups in self.matches(text)]

    def matches(self, text: str) -> list[tuple[str, int]]:
        """(name, number of groups) of each cue rule ``text`` satisfies, most groups first, then in file order.

        >>> CueMatcher({"a": ["monitor"], "b": ["monitor", "teach"]}).matches("Leaders monitor teaching.")
        [('b', 2), ('a', 1)]
        """
        if self._scan is None:
            return []
        low = text.lower().replace("’", "'")
        hit, also, not_exact = 0, self._also, self._not_exact
        for word, longer in self._scan.findall(low):
            # within a longer word ("monitoring" for "monitor"), whole-word stems miss
            hit |= also[word] & not_exact if longer else also[word]
        if not hit:
            return []
        rules_of_stem, candidates, left = self._rules_of_stem, 0, hit
        while left:  # the rules whose smallest group a stem of the text is in
            bit = left & -left
            candidates |= rules_of_stem[bit.bit_length() - 1]
            left ^= bit
        found = []
        ranked = self._ranked
        while candidates:  # in rank order: the lowest bit first
            bit = candidates & -candidates
            candidates ^= bit
            name, groups, veto = ranked[bit.bit_length() - 1]
            if hit & veto:
                continue
            for group in groups:
                if not hit & group:
                    break
            else:
                found.append((name, len(groups)))
        return found


_SKOS_RELATED = "http://www.w3.org/2004/02/skos/core#related"  # not in schoolkg.vocab (generated from schoolkg.ttl)
_WORD = re.compile(r"[\w&*]+")
_NO_ENTRY: tuple = ([], (), ())  # what Thesaurus.matches tries at a word that starts no label: nothing
# A label is matched from its first word that is not one of these ("the school's vision" from
# "school's"): it names the same thing, and the common words would start a candidate everywhere.
_LEADING_STOPWORDS = re.compile(r"^(?:(?:the|a|an|their|its|in|at|on|of|to|and|are|is|have|has|be)\s+)+(?=\S)", re.I)


def trie_pattern(words: Iterable[str], fold: bool = False) -> str:
    """A regex matching any of ``words``, factored as a prefix tree so ``re`` tests one character per branch.

    A plain alternation of hundreds of words makes ``re`` try each word at every position. With
    ``fold`` it matches as under IGNORECASE, but spelled case-sensitively (``[Aa]``, see
    :func:`~schoolkg.extract.dispatch.fold_class`) for a pattern compiled without that flag, which
    ``re`` scans several times faster (it skips a branch whose first set fails without entering it).

    >>> trie_pattern(["act", "action", "add"])
    '(?:a(?:ct(?:ion)?|dd))'
    >>> bool(re.fullmatch(trie_pattern(["g&t", "good", "go"]), "good"))
    True
    >>> trie_pattern(["go", "gap"], fold=True)
    '(?:[Gg](?:[Aa][Pp]|[Oo]))'
    """
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        spell = fold_class if fold else re.escape
        branches = [spell(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        # merge single-child chains: 'c' + 't' -> 'ct'
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return "(?:" + emit(trie) + ")"


def word_pattern(words: str) -> re.Pattern[str]:
    """``re.compile(r"\\b(?:" + words + r")\\b", re.IGNORECASE)`` for ``words`` an alternation of plain
    words and phrases (a last letter may be made optional with ``?``), compiled as a case-folded
    prefix tree (:func:`trie_pattern`), several times faster. Its matches start where the
    alternation's do; at one start it takes the longest word where the alternation takes the first
    listed ("few of" for "few"), so use it where only where a match starts (or whether there is one) counts.

    >>> word_pattern("pupils?|most able").search("The MOST ABLE pupil").span()
    (4, 13)
    """
    alternatives = []
    for alt in words.split("|"):
        bare = alt[:-1] if alt.endswith("?") else alt
        if not bare or not re.fullmatch(r"[\w '\-]+", bare) or (alt.endswith("?") and not bare[-1].isalpha()):
            raise ValueError(f"not a plain word alternation: {alt!r}")
        alternatives += [bare, bare[:-1]] if alt.endswith("?") else [bare]
    return re.compile(r"\b" + trie_pattern(alternatives, fold=True) + r"\b")


def _key(word: str) -> str:
    """Index key of a word: lower case, without a plural or possessive s."""
    w = word.lower()
    return w[:-1] if len(w) > 3 and w.endswith("s") else w


def load_cues(path: Path) -> CueMatcher:
    """Read the practice cues (JSON: concept local name -> list of stem groups) at ``path``."""
    import json

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise InputError(f"cannot read practice cues: {err}", path=path) from None
    if not isinstance(data, dict) or not all(
        isinstance(v, list) and all(isinstance(g, str) for g in v) for k, v in data.items() if not k.startswith("_")
    ):
        raise InputError("practice cues must map a concept name to a list of strings", path=path)
    return CueMatcher({k: v for k, v in data.items() if not k.startswith("_")})


def load_thesaurus(path: Path, cues: CueMatcher | None = None) -> Thesaurus:
    """Read the SKOS concept scheme at ``path`` (Turtle) into a Thesaurus.

    Every skos:Concept is matched by its preferred, alternative and hidden labels; a top concept
    is a theme (its skos:notation is the theme key), any other concept belongs to the theme its
    skos:broader chain reaches. Concepts typed skg:OutcomeConcept are outcomes.
    """
    from pyoxigraph import RdfFormat, parse

    try:
        quads = list(parse(path=str(path), format=RdfFormat.TURTLE))
    except (SyntaxError, OSError, ValueError) as err:
        raise InputError(f"cannot read thesaurus: {err}", path=path) from None
    props: dict[str, dict[str, list[str]]] = {}
    for q in quads:
        props.setdefault(q.subject.value, {}).setdefault(q.predicate.value, []).append(q.object.value)
    concept_types = {SKOS.Concept.value, SKG.OutcomeConcept.value}
    nodes = {iri: p for iri, p in props.items() if concept_types & set(p.get(RDF.type.value, []))}
    themes = {iri for iri, p in nodes.items() if SKOS.topConceptOf.value in p}

    def theme_of(iri: str) -> str:
        seen = set()
        while iri not in themes and iri not in seen:
            seen.add(iri)
            up = nodes.get(iri, {}).get(SKOS.broader.value)
            if not up:
                return ""
            iri = sorted(up)[0]
        return iri if iri in themes else ""

    def polarity_of(iri: str) -> str | None:
        pol = nodes.get(iri, {}).get(SKG.polarity.value)
        return pol[0] if pol else None

    concepts = []
    for iri, p in sorted(nodes.items()):
        pref = p.get(SKOS.prefLabel.value, [iri.rsplit("/", 1)[-1]])[0]
        names = [*sorted(p.get(SKOS.altLabel.value, [])), *sorted(p.get(SKOS.hiddenLabel.value, []))]
        labels = tuple(dict.fromkeys([pref, *names]))
        theme = iri if iri in themes else theme_of(iri)
        if not theme:
            continue  # not under a theme (the "unclassified" concept)
        key = (nodes[theme].get(SKOS.notation.value) or [theme.rsplit("/", 1)[-1]])[0]
        polarity = p.get(SKG.polarity.value)
        kind = (
            "theme"
            if iri in themes
            else "outcome"
            if SKG.OutcomeConcept.value in p.get(RDF.type.value, [])
            else "practice"
        )
        opposites = tuple(
            sorted(o for o in p.get(_SKOS_RELATED, []) if polarity and polarity_of(o) not in (None, polarity[0]))
        )
        concepts.append(
            Concept(
                iri, pref, polarity[0].rsplit("#", 1)[-1] if polarity else None, theme, labels, key, kind, opposites
            )
        )
    if not concepts:
        raise InputError("thesaurus has no concepts under a top concept", path=path)
    return Thesaurus(concepts, cues)
