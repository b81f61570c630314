"""The fast paths of the label, cue and lexicon matchers (issue 14, throughput) against the plain algorithms
they replace, on the corpus's sentences and on case variants with the characters ``re`` folds unusually."""

from __future__ import annotations

import importlib
import random
import re
from pathlib import Path

import pytest

from schoolkg.extract.dispatch import Alternation
from schoolkg.extract.lexicon import load_lexicon
from schoolkg.extract.thesaurus import CueMatcher, Thesaurus, _key

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    lines = [
        line
        for path in sorted((ROOT / "corpus" / "documents").glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ][:800]
    rng = random.Random(14)
    odd = ["İ", "ı", "ſ", "K", "Σ", "é", "’", "'", "-", "&", "*", "s", "S", " "]
    out = list(lines)
    for line in lines[:150]:
        chars = list(line)
        for _ in range(4):
            chars.insert(rng.randrange(len(chars) + 1), rng.choice(odd))
        out += ["".join(chars), line.upper(), line.replace("s", "ſ").replace("i", "İ")]
    return out


TEXTS = _texts()


_COMPILED: dict[str, re.Pattern[str]] = {}  # each label's regex, compiled once


def _labels_by_scan(th: Thesaurus, text: str) -> list[tuple[str, int, int]]:
    """Thesaurus.matches as first written: scan with the key tree, try every label of the key, longest wins."""
    out, pos = [], 0
    for w in th._starts.finditer(text):
        at = w.start()
        if at < pos:
            continue
        best_end, best_iri = -1, ""
        for _n, _t, pattern, iri in th._index.get(_key(w.group(0)), ()):
            if pattern not in _COMPILED:
                _COMPILED[pattern] = re.compile(pattern, re.IGNORECASE)
            m = _COMPILED[pattern].match(text, at)
            if m is not None and m.end() > best_end:
                best_end, best_iri = m.end(), iri
        if best_end >= 0:
            out.append((best_iri, at, best_end))
            pos = best_end
    return out


def _rules_in_turn(cues: CueMatcher, text: str) -> list[tuple[str, int]]:
    """CueMatcher.matches trying every rule in rank order."""
    low = text.lower().replace("’", "'")
    hit = 0
    for word, longer in cues._scan.findall(low):  # type: ignore[union-attr]
        hit |= cues._also[word] & cues._not_exact if longer else cues._also[word]
    return [
        (name, len(groups)) for name, groups, veto in cues._ranked if not hit & veto and all(hit & g for g in groups)
    ]


def _search_loop(alt: Alternation, text: str) -> list[tuple[tuple[int, int], str | None]]:
    """Alternation.finditer as a search for the next candidate after each place, its branches told
    apart by their first three characters (lower-cased), as first written."""
    out, pos = [], 0
    while pos < len(text):
        cand = alt._scan.search(text, pos)  # type: ignore[union-attr]
        if cand is None:
            break
        at = cand.start()
        key = text[at : at + 3].lower() if alt._fold else text[at : at + 3]
        if key not in alt._by_key:
            alt._by_key[key] = alt._compile_for(key)
        rx = alt._by_key[key]
        m = rx.match(text, at) if rx is not None else None
        if m is None or m.end() == at:
            pos = at + 1
            continue
        out.append((m.span(), m.lastgroup))
        pos = m.end()
    return out


def test_label_lookup_by_word_finds_what_the_key_scan_finds() -> None:
    th, _gazetteer = load_lexicon()
    for text in TEXTS:
        assert [(c.iri, s, e) for c, s, e in th.matches(text)] == _labels_by_scan(th, text), text


def test_cue_rules_by_stem_index_name_what_every_rule_names() -> None:
    cues = load_lexicon()[0].cues
    assert cues is not None
    small = CueMatcher({"c": ["monitor|check", "teaching|lessons", "!understand"], "d": ["a|b", "c"], "e": ["x"]})
    for text in TEXTS:
        assert cues.matches(text) == _rules_in_turn(cues, text), text
    for text in ["a c x", "b", "check lessons", "x c b understand", "Leaders check teaching."]:
        assert small.matches(text) == _rules_in_turn(small, text), text


@pytest.mark.parametrize("name", ["schoolkg.extract.polarity:_CUE", "schoolkg.extract.statements:_NOT_A_FINDING"])
def test_alternation_scan_in_one_pass_matches_a_search_per_candidate(name: str) -> None:
    module, attr = name.split(":")
    alt = getattr(importlib.import_module(module), attr)
    for text in TEXTS[::3]:
        assert [(m.span(), m.lastgroup) for m in alt.finditer(text)] == _search_loop(alt, text), text


def _roles_in_turn(heading: str) -> str | None:
    """statements.section_role trying every role pattern in turn, with no word test first."""
    from schoolkg.extract import statements

    text = " ".join(heading.strip().split()).rstrip(".")
    if not text:
        return None
    if statements._BOTH.search(text):
        return "evaluation"
    return next((role for role, pattern in statements._ROLE_PATTERNS if pattern.search(text)), None)


def test_section_role_word_test_skips_only_patterns_that_cannot_match() -> None:
    from schoolkg.extract.statements import section_role

    headings = [
        "What does the school need to do to improve further?",
        "NEXT STEPS",
        "Areas requiring development",
        "Priorities for further improvement",
        "In order to raise standards, leaders should:",
        "It is not yet a good school because",
        "Weaknesses of the school",
        "Limiting factors",
        "WHERE THE PRACTICE WAS WEAKER",
        "Features of less effective practice",
        "The school has the following strengths",
        "What the school does well",
        "What works well",
        "Key strengths",
        "Features of success",
        "Information about this school",
    ]
    texts = TEXTS + headings + [h.upper() for h in headings] + [h.replace("s", "ſ") for h in headings]
    roles = [section_role.__wrapped__(t) for t in texts]
    assert roles == [_roles_in_turn(t) for t in texts]
    assert {"recommendations", "weaknesses", "strengths", "description"} <= set(roles)
