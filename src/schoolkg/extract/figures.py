"""Find the numbers a document states: percentages, percentage-point differences, counts and chart values."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from schoolkg.model import Sentence

__all__ = ["FigureMatch", "find_chart_values", "find_figures"]

_NUM = r"(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
_PP = re.compile(rf"\b{_NUM}\s*(?:-\s*)?(?:percentage[\s-]+points?|%\s*points?|pp)\b", re.IGNORECASE)
_PCT = re.compile(rf"\b{_NUM}\s*(?:%|per\s?cent\b)", re.IGNORECASE)
_COUNT_NOUNS = (
    r"schools?|academies|pupils|students|children|teachers|inspectors|partnerships?|local authorities|"
    r"authorities|learning mentors|learning support units|city learning centres|primary schools|"
    r"secondary schools|staff|parents|lessons"
)
# up to two words between a number and what it counts ("21 lessons", "46 secondary schools"), never a
# function word or a verb ("Key Stage 2 is the school's ...", "Year 9 to sustain students' ...")
_BETWEEN = r"(?!(?:is|are|was|were|be|been|the|a|an|of|in|to|and|or|has|have|had|by|for|with|at|on|as)\b)[a-z]+"
_COUNT = re.compile(rf"\b{_NUM}\s+(?:(?:{_BETWEEN}\s+){{0,2}}?)({_COUNT_NOUNS})\b")
# a number that names a stage, year, grade or page, not a count ("Key Stage 1 pupils", "Year 6 pupils")
_NAMING = re.compile(
    r"\b(?:stages?|years?|levels?|grades?|pages?|figures?|tables?|paragraphs?|phases?|sections?|parts?|ks|y|"
    r"nos?\.?|numbers?|chapters?|key stage)\s*$",
    re.IGNORECASE,
)
_PUPILS = re.compile(r"\b(?:pupils|students|children|learners)\b")
# How the inspection was done ("Inspectors observed 21 lessons", "visits by HMI to 46 secondary schools",
# "analysed 47 questionnaires"): its counts are not about the school.
_METHOD = re.compile(
    r"\b(?:inspectors?|HMI|we|I|the (?:inspection )?team)\b(?: also)? (?:observed|visited|met|held|spoke|talked|"
    r"looked|scrutinised|reviewed|considered|analysed|evaluated|listened|sampled|attended|took account|"
    r"took into account|received|heard|conducted|carried out|made)\b|\bbased on (?:visits|evidence|inspections)\b|"
    r"\bvisits? (?:by \w+ )?to \d|\bquestionnaires?\b|\b(?:responses|returns) (?:to|from)\b|"
    r"\b(?:observed|visited|analysed|scrutinised|sampled)\b",
    re.IGNORECASE,
)
# Table rows of the school's roll: "Number on roll School 1184", "6th form 196", "Of which, number on
# roll in the sixth form 164", "Of which in post-16 provision 286" (2005-2026 school details tables).
_ROLL = re.compile(
    r"\b(?P<what>Number on roll|Of which,?(?: number on roll)?(?: in)?(?: (?:the )?[\w-]+){1,5}?)"
    r"[ \t]*:?[ \t]+(?:School[ \t]+)?(?P<n>\d{1,3}(?:,\d{3})+|\d+)\b"
    r"|(?:^|\t)[ \t]*(?P<what2>6th form|sixth form)[ \t]+(?P<n2>\d{1,4})\b",
    re.IGNORECASE,
)
_MONEY = re.compile(r"£\s?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(million|m|bn|billion|k)?\b", re.IGNORECASE)
_FIELD = re.compile(
    r"\bNumber of ((?:[a-z]+ ){0,5}?(?:pupils|students|staff|teachers)(?: [a-z]+){0,4}?)"
    r"\s*:?\s+(\d{1,3}(?:,\d{3})*|\d+)\b"
)
_DIGIT = re.compile(r"\d")
# what every match of each pattern holds (lower case): a sentence with none of them is not searched
_NEEDS = {"percentage points": ("percentage", "%", "pp"), "percent": ("%", "per"), "pounds": ("£",), "count": ("",)}
_YEAR = re.compile(r"\b((?:19|20)\d\d(?:\s*[/–-]\s*(?:19|20)?\d\d)?)\b")
_GROUP = re.compile(
    r"\b((?:non[\s-]*)?(?:EiC|[A-Z][\w-]*)(?:\s+[a-z][\w-]*){0,2}\s+(?:partnership\s+)?schools)\b|"
    r"\b(other schools|similar schools|all schools|national(?:ly| average| figures?)?|England)\b"
)
_OF_NP = re.compile(r"^\s*(?:of\s+)((?:(?!\b(?:was|were|is|are|has|have|rose|fell|increased)\b)[^,;.:()])+)")
_VERB = re.compile(
    r"\b(?:has|have|had)?\s*(?:increased|decreased|risen|rose|fell|fallen|improved|declined|narrowed|widened|"
    r"was|were|is|are|reached|achieved|stood at)\b"
)
_CHART = re.compile(r"\bFigure\s+\d+\s*[:.]\s*(?P<caption>[^.]{5,200})\.")
_CHART_RUN = re.compile(r"(?:\b\d{1,3}\.\d\b\s+){2,}\d{1,3}\.\d\b")


@dataclass(frozen=True)
class FigureMatch:
    """A number found in a sentence, with what it measures (offsets absolute)."""

    measure: str
    value: float
    unit: str
    period: str | None
    comparison_group: str | None
    start: int
    end: int


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def _measure(text: str, start: int, end: int) -> str:
    """What a number at text[start:end] measures: 'of <noun phrase>' after it, else the phrase before the verb."""
    after = _OF_NP.match(text[end:])
    if after:
        return _tidy(after.group(1))
    before = text[:start]
    verbs = list(_VERB.finditer(before))
    head = before[: verbs[-1].start()] if verbs else before
    head = re.split(r"[;:]|,\s+(?=[a-z])", head)[-1]
    return _tidy(head)


def _tidy(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase).strip(" ,.-–")
    phrase = re.sub(r"^(?:the|a|an|by|to|from|of|in)\s+", "", phrase, flags=re.IGNORECASE)
    words = phrase.split()
    return " ".join(words[:14])


def _nearest(pattern: re.Pattern[str], text: str, pos: int) -> str | None:
    best = min(pattern.finditer(text), key=lambda m: abs(m.start() - pos), default=None)
    if best is None:
        return None
    return next(g for g in best.groups() if g)


def _group(text: str, pos: int) -> str | None:
    found = _nearest(_GROUP, text, pos)
    if found and found.lower().startswith("national"):
        return "national"
    return found


def find_figures(sentence: Sentence) -> Iterator[FigureMatch]:
    """Yield each percentage, percentage-point difference, count and sum of money stated in ``sentence``.

    >>> s = Sentence(100, 180, "The proportion of pupils achieving level 4 rose by 5.2 percentage points in 2005.")
    >>> [(f.measure, f.value, f.unit, f.period, f.start) for f in find_figures(s)]
    [('proportion of pupils achieving level 4', 5.2, 'percentage points', '2005', 151)]
    """
    text, off = sentence.text, sentence.start
    if not _DIGIT.search(text):
        return  # every figure pattern needs a digit
    taken: list[tuple[int, int]] = []
    for m in _FIELD.finditer(text) if "Number of" in text else ():
        taken.append((m.start(2), m.end(2)))
        yield FigureMatch(_tidy(m.group(1)), _value(m.group(2)), "count", None, None, off + m.start(), off + m.end())
    if "roll" in text or "which" in text or "form" in text:
        for m in _ROLL.finditer(text):
            g = "n" if m.group("n") else "n2"
            if any(a < m.end(g) and m.start(g) < b for a, b in taken):
                continue
            taken.append((m.start(g), m.end(g)))
            what = _tidy(m.group("what") or m.group("what2"))
            measure = "pupils on roll" if what.lower() == "number on roll" else f"pupils on roll: {what}"
            yield FigureMatch(measure, _value(m.group(g)), "count", None, None, off + m.start(), off + m.end())
    method: bool | None = None  # whether it says how the inspection was done (asked of counts only)
    low = text.lower() if text.isascii() else None
    for pattern, unit in ((_PP, "percentage points"), (_PCT, "percent"), (_MONEY, "pounds"), (_COUNT, "count")):
        if low is not None and not any(w in low for w in _NEEDS[unit]):
            continue  # an ASCII sentence without the word or sign every match of the pattern has
        for m in pattern.finditer(text):
            if any(a < m.end() and m.start() < b for a, b in taken):
                continue
            raw = m.group(1)
            if unit == "count" and method is None:
                method = _METHOD.search(text) is not None
            if unit == "count" and (
                _YEAR.fullmatch(raw)
                or _is_list_number(text, m.start())
                or _NAMING.search(text[max(0, m.start() - 12) : m.start()])
                or method
                or (not _PUPILS.match(m.group(2)) and not _evaluative(text))
            ):
                continue
            value = _value(raw)
            if unit == "pounds" and m.group(2):
                value *= {"m": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9, "k": 1e3}[m.group(2).lower()]
            taken.append((m.start(), m.end()))
            measure = m.group(2) if unit == "count" else _measure(text, m.start(), m.end())
            yield FigureMatch(
                measure=measure or "unspecified",
                value=value,
                unit=unit,
                period=_nearest(_YEAR, text, m.start()),
                comparison_group=_group(text, m.start()),
                start=off + m.start(),
                end=off + m.end(),
            )


def _evaluative(text: str) -> bool:
    """Whether a sentence judges something (so a count of schools or staff in it is an outcome, "12
    schools are in special measures"), not a description ("The authority has 61 primary schools")."""
    from schoolkg.extract.polarity import score

    return score(text) != 0


def _is_list_number(text: str, pos: int) -> bool:
    """A number that numbers a paragraph or list item ('3. Schools ...'), not a count."""
    return bool(re.match(r"\d+[.)]\s", text[pos:])) and (pos == 0 or text[pos - 1] in "\n(")


def find_chart_values(text: str, start: int = 0) -> Iterator[FigureMatch]:
    """Yield the data values printed as a chart's text after a 'Figure N: caption.' line.

    A chart flattened to text lists axis ticks, values, years and series labels without saying
    which value belongs where, so each value is given the caption as measure, the years the
    chart spans as period, and no group.

    >>> t = "Figure 1: Percentage of pupils with 5 A*-C. 100 80 60 44.4 54.8 55.4 46.4 20 0 2003 2004"
    >>> [(f.value, f.unit, f.period) for f in find_chart_values(t)][:2]
    [(44.4, 'percent', '2003-2004'), (54.8, 'percent', '2003-2004')]
    """
    for cap in _CHART.finditer(text):
        window = text[cap.end() : cap.end() + 400]
        nxt = _CHART.search(window)
        if nxt:
            window = window[: nxt.start()]
        run = _CHART_RUN.search(window)
        if not run:
            continue
        caption = _tidy(cap.group("caption"))
        unit = "percent" if re.search(r"percent|proportion|%", caption, re.IGNORECASE) else "number"
        years = sorted({y for y in re.findall(r"\b(?:19|20)\d\d\b", window)})
        period = f"{years[0]}-{years[-1]}" if len(years) > 1 else (years[0] if years else None)
        base = start + cap.end() + run.start()
        for v in re.finditer(r"\d{1,3}\.\d", run.group(0)):
            yield FigureMatch(caption, float(v.group(0)), unit, period, None, base + v.start(), base + v.end())
