"""Large regex alternations, tried only where they can start (the lexicons of the findings extractor).

Python's ``re`` tries every branch of an alternation at every position: a lexicon of 150 phrase
patterns costs about a millisecond per sentence. :class:`Alternation` keeps the branches in order
but groups them by the characters each can begin with (read from the parsed pattern), so at a
position only the branches that can start with its character are tried. Matches are the same as
``re``'s: leftmost, and at one position the first branch (in order) that matches.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

__all__ = ["Alternation", "first_chars", "fold_class", "split_branches"]

# the parser ``re`` itself uses (private, untyped, present since Python 3.11, which we require)
_sre_constants: Any = importlib.import_module("re._constants")
_sre_parser: Any = importlib.import_module("re._parser")

_ANY = None  # a first set meaning "any character"
_LETTERS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _first(items, flags: int):  # type: ignore[no-untyped-def]
    """Characters a parsed (sub)pattern can start with; (set or _ANY, whether it can match empty)."""
    c = _sre_constants
    out: set[str] = set()
    for op, av in items:
        if op is c.AT:
            continue  # \b, ^: zero width
        if op is c.LITERAL:
            ch = chr(av)
            out |= {ch.lower(), ch.upper()} if flags & re.IGNORECASE else {ch}
            return out, False
        if op is c.IN:
            chars: set[str] = set()
            for iop, iav in av:
                if iop is c.LITERAL:
                    chars.add(chr(iav))
                elif iop is c.RANGE and iav[1] - iav[0] < 300:
                    chars |= {chr(x) for x in range(iav[0], iav[1] + 1)}
                else:
                    return _ANY, False  # a negated set or a category (\w): anything
            if flags & re.IGNORECASE:
                chars |= {x.lower() for x in chars} | {x.upper() for x in chars}
            return out | chars, False
        if op is c.SUBPATTERN:
            sub, empty = _first(av[-1], flags)
        elif op is c.BRANCH:
            sub, empty = set(), False
            for branch in av[1]:
                f, e = _first(branch, flags)
                if f is _ANY:
                    return _ANY, False
                sub |= f
                empty = empty or e
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            sub, empty = _first(av[2], flags)
            empty = empty or av[0] == 0
        elif op in (c.ASSERT, c.ASSERT_NOT):
            continue  # look-arounds consume nothing
        else:
            return _ANY, False  # ANY, categories, backreferences, ...
        if sub is _ANY:
            return _ANY, False
        out |= sub
        if not empty:
            return out, False
    return out, True


def first_chars(pattern: str, flags: int = 0) -> set[str] | None:
    """The characters ``pattern`` can start a match with, or None when it can start with any.

    >>> sorted(first_chars(r"\\b(?:no|not) (?:yet )?good"))
    ['n']
    >>> first_chars(r"(?:a )?\\w+") is None
    True
    """
    try:
        found, empty = _first(_sre_parser.parse(pattern, flags), flags)
    except Exception:  # noqa: BLE001 - anything the private parser does not know: be safe
        return None
    return None if found is _ANY or empty else found


def split_branches(pattern: str) -> list[str]:
    """The top-level branches of a regex (split at ``|`` outside groups and sets).

    >>> split_branches("a(?:b|c)|[|]d|e")
    ['a(?:b|c)', '[|]d', 'e']
    """
    out, depth, start, i, in_set = [], 0, 0, 0, False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_set:
            in_set = ch != "]"
        elif ch == "[":
            in_set = True
            if pattern[i + 1 : i + 2] == "]":
                i += 1
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


_UNSEEN: Any = object()  # a key Alternation.finditer has not met yet
_HEAD = 5  # branches are told apart by up to this many literal first characters
_SURE = 3  # ... of which the first this many always; the rest only when the text folds them as str.lower()
_META = set("\\()[]{}?*+|.^$")


def _expand(branch: str, limit: int = 48) -> list[str]:
    """``branch`` as the branches its opening group of alternatives stands for, in the order ``re``
    tries them: ``(?:a|b)c`` is ``ac``, ``bc``; ``(?:a )?c`` is ``a c``, ``c``.

    >>> _expand(r"(?:(?:is|are) )?not yet")
    ['is not yet', 'are not yet', 'not yet']
    """
    lead = ""
    while branch.startswith((r"\b", "^")):
        cut = 2 if branch.startswith(r"\b") else 1
        lead, branch = lead + branch[:cut], branch[cut:]
    if not branch.startswith("(?:"):
        return [lead + branch]
    depth, end = 0, -1
    i = 0
    while i < len(branch):
        ch = branch[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            close = branch.find("]", i + 2)
            i = close + 1 if close > 0 else len(branch)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                end = i
                break
        i += 1
    if end < 0:
        return [lead + branch]
    inner, rest = branch[3:end], branch[end + 1 :]
    optional = rest.startswith("?") and not rest.startswith("??")
    if rest[:1] in ("*", "+", "{") or rest.startswith("??"):
        return [lead + branch]
    if optional:
        rest = rest[1:]
    out = [lead + alt + rest for alt in split_branches(inner)]
    if optional:
        out.append(lead + rest)
    if len(out) > limit:
        return [lead + branch]
    expanded = [e for part in out for e in _expand(part, limit)]
    return expanded if len(expanded) <= limit else out


def _literal_head(branch: str, fold: bool) -> str:
    """The first (up to ``_HEAD``) characters every match of ``branch`` starts with, or "" if unknown.

    >>> _literal_head("outstanding", False), _literal_head("pupils?", False), _literal_head("(?:a )?lack", False)
    ('outst', 'pupil', '')
    """
    body = branch
    while body.startswith((r"\b", "^")):
        body = body[2:] if body.startswith(r"\b") else body[1:]
    head: list[str] = []
    for ch in body:
        if ch in _META:
            if ch in "?*{" and head:
                head.pop()  # the character before an optional quantifier may be absent
            break
        head.append(ch)
        if len(head) > _HEAD:
            break
    out = "".join(head[:_HEAD])
    if "|" in body and not _top_level_single(body):
        return ""
    return out.lower() if fold else out


def _top_level_single(body: str) -> bool:
    return len(split_branches(body)) == 1


def _starts_non_letter(branch: str, flags: int) -> bool:
    """Whether ``branch`` may start with something other than a letter (so needs no word boundary)."""
    first = first_chars(branch, flags)
    return first is None or not first <= _LETTERS


class Alternation:
    """``re.compile("|".join(branches), flags)`` dispatched by first character: at each place a branch
    could start (a word start for branches behind ``\\b``), only the branches that can begin with
    its character are tried. ``prefix``/``suffix`` wrap every branch (e.g. ``\\b``); ``words`` puts
    ``\\b`` before every branch that starts with a letter.

    >>> alt = Alternation(["not yet", "not", "no", "good"], re.IGNORECASE, prefix=r"\\b", suffix=r"\\b")
    >>> [(m.group(0), Alternation.branch(m)) for m in alt.finditer("Not yet good, no.")]
    [('Not yet', 0), ('good', 3), ('no', 2)]
    """

    def __init__(
        self, branches: Sequence[str], flags: int = 0, prefix: str = "", suffix: str = "", words: bool = False
    ) -> None:
        self.flags = flags
        if words:
            branches = [b if _starts_non_letter(b, flags) else r"\b" + b for b in branches]
        self.branches = list(branches)
        # each branch opening with a group of alternatives becomes one branch per alternative (in order,
        # so the same phrase wins at a position): a branch with a literal head is tried only after it
        self._parts = [(i, part) for i, b in enumerate(branches) for part in _expand(b)]
        parts = [part for _i, part in self._parts]
        word_start = [b.startswith(r"\b") or prefix.startswith(r"\b") for b in parts]
        firsts = [first_chars(prefix + b, flags) for b in parts]
        self._prefix, self._suffix = prefix, suffix
        self._firsts = firsts
        self._fold = bool(flags & re.IGNORECASE)
        self._heads = [_literal_head(b, self._fold) for b in parts]
        self._by_key: dict[str, re.Pattern[str] | None] = {}
        self._by_raw: dict[str, re.Pattern[str] | None] = {}  # the same, by the characters as written
        self._by_first: dict[str, list[int]] = {}  # a first character -> the branches that may start with it
        self._by_keep: dict[tuple[int, ...], re.Pattern[str]] = {}  # the branches kept -> their regex
        at_words = set().union(*(f for f, w in zip(firsts, word_start, strict=True) if f is not None and w))
        elsewhere = set().union(*(f for f, w in zip(firsts, word_start, strict=True) if f is not None and not w))
        scans = [r"\b[" + "".join(re.escape(c) for c in sorted(at_words)) + "]"] if at_words else []
        scans += ["[" + "".join(re.escape(c) for c in sorted(elsewhere)) + "]"] if elsewhere else []
        anywhere = any(f is None for f in firsts)
        self._scan = None if anywhere or not scans else re.compile("|".join(scans))
        # the whole alternation only where no scan finds the candidates (compiling it costs more than
        # every per-key regex a corpus needs)
        self._whole = re.compile(self._join(range(len(parts)), prefix, suffix), flags) if self._scan is None else None

    def _join(self, keep: Iterable[int], prefix: str, suffix: str) -> str:
        return "|".join(f"{prefix}(?P<b{self._parts[j][0]}_{j}>{self._parts[j][1]}){suffix}" for j in keep)

    def _compile_for(self, key: str) -> re.Pattern[str] | None:
        """The branches, in order, that can start where the text starts with ``key``."""
        first = key[:1]
        maybe = self._by_first.get(first)
        if maybe is None:
            # every branch whose literal head begins with the key's first character, or that has no
            # head and can begin with it: the only ones the test below can keep
            maybe = self._by_first[first] = [
                i
                for i, (head, f) in enumerate(zip(self._heads, self._firsts, strict=True))
                if (head[:1] == first if head else f is None or first in f or first.upper() in f)
            ]
        heads = self._heads
        keep = tuple(
            i
            for i in maybe
            if not heads[i] or (heads[i].startswith(key) if len(key) < len(heads[i]) else key.startswith(heads[i]))
        )
        if not keep:
            return None
        # keys whose branches are the same share one compiled regex (most keys keep only the branches
        # without a literal head)
        rx = self._by_keep.get(keep)
        if rx is None:
            rx = self._by_keep[keep] = re.compile(self._join(keep, self._prefix, self._suffix), self.flags)
        return rx

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """Non-overlapping matches, left to right, as ``re.finditer`` gives them."""
        scan = self._scan
        if scan is None:
            assert self._whole is not None  # compiled in __init__ wherever there is no scan
            yield from self._whole.finditer(text)
            return
        # every candidate in one C-level scan (each is one character, so none hides another); those a
        # match already covers are passed over, as a search from the match's end would
        pos = 0
        by_raw, fold = self._by_raw, self._fold
        for cand in scan.finditer(text):
            at = cand.start()
            if at < pos:
                continue
            raw = text[at : at + _HEAD]
            rx = by_raw.get(raw, _UNSEEN)
            if rx is _UNSEEN:
                key = raw.lower() if fold else raw
                if fold and not raw[_SURE:].isascii() and _RISKY.search(raw, _SURE):
                    key = raw[:_SURE].lower()  # a character re folds otherwise: tell branches apart as before
                if key in self._by_key:
                    rx = self._by_key[key]
                else:
                    rx = self._by_key[key] = self._compile_for(key)
                by_raw[raw] = rx
            if rx is None:
                continue
            m = rx.match(text, at)
            if m is None or m.end() == at:
                continue
            yield m
            pos = m.end()

    def search(self, text: str) -> re.Match[str] | None:
        """The first match, as ``re.search`` finds it."""
        return next(self.finditer(text), None)

    @staticmethod
    def branch(m: re.Match[str]) -> int:
        """Index of the branch that made ``m``."""
        return int(m.lastgroup[1:].split("_", 1)[0])  # type: ignore[index]

    def branch_of_group(self) -> dict[str, int]:
        """The branch index of every group name a match's ``lastgroup`` can be (one dict look-up in
        place of :meth:`branch`'s parsing, for a caller reading thousands of matches)."""
        return {f"b{i}_{j}": i for j, (i, _part) in enumerate(self._parts)}


# Characters ``re`` folds otherwise than ``str.lower()`` (one to one): its own table of extra equivalent
# characters (ı, ſ, K (Kelvin), Greek letters of several forms), İ (the one character whose full lower
# case is not re's simple one) and Σ (lower-cased by its place in a word). Where one stands in a
# candidate's characters after the first ``_SURE``, the lower-cased key could rule out a branch that
# matches, so only the first ``_SURE`` tell the branches apart there (as they always did).
_RISKY = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in sorted(
            {x for low, extra in importlib.import_module("re._casefix")._EXTRA_CASES.items() for x in (low, *extra)}
            | {0x130, 0x3A3}
        )
    )
    + "]"
)


# what an ASCII letter matches under IGNORECASE besides its two cases (``re``'s Unicode case folding)
_FOLD_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def fold_class(ch: str, fold: bool = True) -> str:
    """A regex matching what ``ch`` matches (under IGNORECASE when ``fold``), case-sensitive where it
    can be: ``[gG]`` (which ``re`` tests without entering the branch), a scoped ``(?i:…)`` for a
    character outside ASCII.

    >>> fold_class("g"), fold_class("-"), fold_class("k") == "[Kk\\u212a]"
    ('[Gg]', '\\\\-', True)
    """
    if not fold or not ch.isalpha():
        return re.escape(ch) if ch.isascii() or not fold else f"(?i:{re.escape(ch)})"
    if not ch.isascii():
        return f"(?i:{re.escape(ch)})"
    return "[" + ch.upper() + ch.lower() + _FOLD_EXTRA.get(ch.lower(), "") + "]"
