"""Synthetic inspection reports with planted truth: schools, dated inspections, report documents, tables.

:func:`simulate_reports` draws a population of primary schools. Each school has three dated
inspections: *t-1* (only its grade, stated in the report as the previous inspection), *t* (the
inspection whose report this module writes) and *t+1* (only its grade, in the outcomes table).
At inspection *t* every practice of :data:`schoolkg.synth.phrasing.PRACTICES` is mentioned with
its own probability, as a strength or a weakness; the planted effects act on the features
``practice:polarity`` (a practice found at *t*) and change the chance that the overall grade
improves from *t* to *t+1*::

    logit P(improve) = b0 + beta_grade * (grade_t - 2) + beta_idaci * (idaci - 3) + sum log OR_f x_f

Two confounders act on both sides: the baseline grade (*t*) and the deprivation quintile (IDACI,
5 = most deprived). A school's latent quality (better with a better baseline grade and a less
deprived intake, times ``confounding``) raises the chance that a mentioned practice is a strength,
and the same baseline makes improvement likelier when it is weak; so a practice with no effect
is associated with improvement unless the analysis adjusts for the baseline (``confounding=0``
switches that off). Grades: outstanding cannot improve, so baselines are 2-4.

:func:`write_reports` renders each school's report of inspection *t* as PDF, HTML or text (about
half, a quarter, a quarter) in the format of its date (``s5-2012`` before September 2015,
``s5-2015`` before September 2019, ``eif-full`` after), and writes the corpus folder ``schoolkg
build --corpus`` reads: ``documents/``, ``tables/synth-outcomes.csv`` (the Ofsted official
statistics layout, kind ``ofsted-outcomes``: current = *t+1*, previous = *t*), plus
``truth.csv`` (each feature's planted odds ratio and prevalence) and ``statements.csv`` (every
planted statement: document, text, practice, polarity, form) outside the corpus folders.
"""

from __future__ import annotations

import csv
import html
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from scipy.special import expit, logit

from schoolkg.errors import InputError, input_context
from schoolkg.synth.model import odds_ratio_of
from schoolkg.synth.phrasing import LEADS, PRACTICES, Phrasing, Statement

__all__ = [
    "GRADE_WORDS",
    "SAFEGUARDING_JUDGEMENT",
    "Block",
    "PlantedStatement",
    "ReportPopulation",
    "SchoolReport",
    "feature_names",
    "read_feature_effects",
    "render_html",
    "render_text",
    "report_blocks",
    "simulate_reports",
    "write_reports",
]

GRADE_WORDS = {1: "Outstanding", 2: "Good", 3: "Requires improvement", 4: "Inadequate"}
SAFEGUARDING_JUDGEMENT = "The arrangements for safeguarding are effective."
"""The format's own judgement sentence (a judgement, not a generated phrasing)."""
URN_BASE = 900000
SCHOOLS_PER_LA = 150
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_PLACES = [
    "Ash",
    "Birch",
    "Cedar",
    "Elm",
    "Hazel",
    "Holly",
    "Larch",
    "Maple",
    "Oak",
    "Rowan",
    "Willow",
    "Yew",
    "Alder",
    "Beech",
    "Heath",
    "Moor",
    "Brook",
    "Vale",
    "Ridge",
    "Hill",
    "Marsh",
    "Ford",
    "Field",
    "Wood",
    "Green",
    "Lea",
    "Dale",
    "Cross",
    "Gate",
    "Mill",
]
_UNIT = "ABDEFGHJLNPQRSTUWXYZ"
_SUFFIXES = ["ton", "ley", "wick", "bury", "field", "stead", "worth", "ham", "by", "combe"]
_FIRST = [
    "Sarah",
    "James",
    "Helen",
    "David",
    "Claire",
    "Mark",
    "Rachel",
    "Paul",
    "Joanne",
    "Simon",
    "Karen",
    "Andrew",
    "Fiona",
    "Martin",
    "Lucy",
    "Peter",
]
_LAST = [
    "Ashworth",
    "Bennett",
    "Carter",
    "Dawson",
    "Ellis",
    "Fletcher",
    "Gardner",
    "Holt",
    "Irving",
    "Jarvis",
    "Kemp",
    "Lowe",
    "Marsh",
    "Norris",
    "Owen",
]


def feature_names() -> list[str]:
    """Every feature the reports can plant: ``practice:strength`` and ``practice:weakness``."""
    return [f"{p.practice}:{pol}" for p in PRACTICES for pol in ("strength", "weakness")]


def read_feature_effects(path: Path) -> dict[str, float]:
    """Planted effects from a CSV ``practice,odds_ratio``; practice is ``slug:polarity`` (or a slug: strength)."""
    known = set(feature_names())
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as err:
        raise InputError(f"cannot read the effects file: {err}", path=path) from None
    out: dict[str, float] = {}
    for line, row in enumerate(rows, start=2):
        with input_context(path, line):
            if "practice" not in row or "odds_ratio" not in row:
                raise InputError("columns must be practice,odds_ratio", field="practice")
            key = (row["practice"] or "").strip()
            key = key if ":" in key else f"{key}:strength"
            if key not in known:
                raise InputError(f"not a practice of the synthetic reports: {key!r}", field="practice")
            value = odds_ratio_of(row)
            out[key] = value
    return out


@dataclass(frozen=True)
class PlantedStatement:
    """A statement written into a report: what it says about which practice, and how."""

    text: str
    practice: str
    polarity: str
    form: str


@dataclass
class SchoolReport:
    """One school, its three inspections and the statements of the report of inspection t."""

    urn: str
    name: str
    la: str
    idaci: int
    pupils: int
    dates: tuple[date, date, date]  # t-1, t, t+1 (start dates)
    grades: tuple[int, int, int]
    numbers: tuple[str, str]  # inspection numbers of t and t+1
    statements: list[PlantedStatement] = field(default_factory=list)
    features: set[str] = field(default_factory=set)
    head: str = ""
    chair: str = ""
    category: str = "Community"
    address: str = ""
    postcode: str = ""

    @property
    def format(self) -> str:
        t = self.dates[1]
        return "s5-2012" if t < date(2015, 9, 1) else "s5-2015" if t < date(2019, 9, 1) else "eif-full"

    @property
    def improved(self) -> bool:
        return self.grades[2] < self.grades[1]


@dataclass
class ReportPopulation:
    """The simulated schools and the planted truth behind them."""

    schools: list[SchoolReport]
    effects: dict[str, float]
    prevalence: dict[str, float]
    confounding: float


def simulate_reports(
    n_schools: int,
    seed: int,
    effects: Mapping[str, float] | None = None,
    *,
    confounding: float = 1.0,
    base_rate: float = 0.35,
    beta_grade: float = 0.6,
    beta_idaci: float = -0.2,
) -> ReportPopulation:
    """Draw ``n_schools`` schools with dated inspections, report statements and grades.

    Examples
    --------
    >>> pop = simulate_reports(50, 1, {"phonics-teaching:strength": 3.0})
    >>> len(pop.schools), all(s.dates[0] < s.dates[1] < s.dates[2] for s in pop.schools)
    (50, True)
    >>> all(s.features and s.statements for s in pop.schools)
    True
    """
    if not 0 < n_schools < 100_000:
        raise InputError(f"--schools must be between 1 and 99,999 (synthetic URNs are 9xxxxx), not {n_schools}")
    effects = dict(effects or {})
    unknown = sorted(set(effects) - set(feature_names()))
    if unknown:
        raise InputError(f"effects for unknown features: {unknown}")
    rng = np.random.default_rng(seed)
    n, k = n_schools, len(PRACTICES)
    grade_t = rng.choice([2, 3, 4], n, p=[0.5, 0.38, 0.12])
    idaci = rng.integers(1, 6, n)
    quality = confounding * (-0.9 * (grade_t - 2.6) - 0.3 * (idaci - 3)) + rng.normal(0, 0.5, n)
    mention = rng.uniform(0.25, 0.55, k)
    lean = rng.uniform(-0.3, 0.7, k)
    mentioned = rng.random((n, k)) < mention
    strength = rng.random((n, k)) < expit(lean[None, :] + quality[:, None])
    names = feature_names()
    x = np.zeros((n, 2 * k), dtype=bool)
    x[:, 0::2] = mentioned & strength
    x[:, 1::2] = mentioned & ~strength
    log_or = np.array([np.log(effects.get(f, 1.0)) for f in names])
    eta = logit(base_rate) + beta_grade * (grade_t - 2) + beta_idaci * (idaci - 3) + x @ log_or
    improved = rng.random(n) < expit(eta)
    declined = rng.random(n) < 0.3
    grade_next = np.where(improved, grade_t - 1, np.where(declined, np.minimum(4, grade_t + 1), grade_t))
    grade_prev = np.clip(grade_t + rng.choice([-1, 0, 0, 1], n), 1, 4)
    start = date(2013, 9, 9)
    schools = []
    for i in range(n):
        t = start + timedelta(days=int(rng.integers(0, 6 * 365 + 180)))
        while t.weekday() > 3:  # inspections start Monday to Thursday
            t += timedelta(days=1)
        t_prev = t - timedelta(days=int(rng.integers(2 * 365, 5 * 365)))
        t_next = t + timedelta(days=int(rng.integers(2 * 365, 4 * 365)))
        place = f"{_PLACES[i % len(_PLACES)]}{_SUFFIXES[(i // len(_PLACES)) % len(_SUFFIXES)]}"
        n_dup = i // (len(_PLACES) * len(_SUFFIXES))
        name = f"{place}{' ' + _PLACES[n_dup % len(_PLACES)] if n_dup else ''} Primary School"
        s = SchoolReport(
            urn=f"{URN_BASE + i:06d}",
            name=name,
            la=f"Synthshire {i // SCHOOLS_PER_LA + 1}",
            idaci=int(idaci[i]),
            pupils=int(rng.integers(90, 640)),
            dates=(t_prev, t, t_next),
            grades=(int(grade_prev[i]), int(grade_t[i]), int(grade_next[i])),
            numbers=(f"{10_000_000 + 2 * i}", f"{10_000_001 + 2 * i}"),
            head=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            chair=f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            category=str(rng.choice(["Community", "Voluntary aided", "Voluntary controlled", "Academy converter"])),
            address=f"{int(rng.integers(1, 200))} {rng.choice(_LAST)} Road, {place}",
            postcode=f"SY{i // 1000 + 1} {i % 10}{_UNIT[i % 20]}{_UNIT[(i // 20) % 20]}",
        )
        for j, phr in enumerate(PRACTICES):
            if not mentioned[i, j]:
                continue
            pol = "strength" if strength[i, j] else "weakness"
            s.features.add(f"{phr.practice}:{pol}")
            s.statements.append(_pick(rng, phr, phr.of(pol)))
            recs = phr.of(pol, recommendation=True)
            if recs and rng.random() < 0.5:
                s.statements.append(_pick(rng, phr, recs))
        if not s.statements:  # every report says something: one practice more
            j = int(rng.integers(0, k))
            phr = PRACTICES[j]
            pol = "strength" if strength[i, j] else "weakness"
            s.features.add(f"{phr.practice}:{pol}")
            s.statements.append(_pick(rng, phr, phr.of(pol)))
        schools.append(s)
    prevalence = {f: round(float(x[:, c].mean()), 4) for c, f in enumerate(names)}
    return ReportPopulation(schools, effects, prevalence, confounding)


def _pick(rng: np.random.Generator, phr: Phrasing, options: Sequence[Statement]) -> PlantedStatement:
    st = options[int(rng.integers(0, len(options)))]
    text = st.text.replace("{lead}", LEADS[int(rng.integers(0, len(LEADS)))])
    return PlantedStatement(text, phr.practice, st.polarity, st.form)


# --- the report as blocks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """A block of a report: ``h1 h2 h3 p bullets table small lines page``."""

    kind: str
    items: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()


def _long_date(d: date) -> str:
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def _date_range(d: date) -> str:
    e = d + timedelta(days=1)
    if d.month == e.month:
        return f"{d.day}–{e.day} {_MONTHS[d.month - 1]} {d.year}"
    return f"{_long_date(d)} – {_long_date(e)}"


def _section_of(practice: str) -> str:
    return next(p.section for p in PRACTICES if p.practice == practice)


def report_blocks(s: SchoolReport) -> list[Block]:
    """The report of inspection t of ``s`` in the format of its date, as blocks."""
    body = [st for st in s.statements if st.form != "recommendation"]
    recs = [st.text for st in s.statements if st.form == "recommendation"]
    by = {
        sec: [st.text for st in body if _section_of(st.practice) == sec]
        for sec in ("leadership", "teaching", "behaviour")
    }
    strengths = [st.text for st in body if st.polarity == "strength"]
    weaknesses = [st.text for st in body if st.polarity == "weakness"]
    g_prev, g, _ = s.grades
    t = s.dates[1]
    grade = GRADE_WORDS[g]
    boiler_parent = (
        "Inspectors took account of the responses to Ofsted's online questionnaire, Parent View, and spoke "
        "to parents at the start of the school day."
    )
    details = (
        ("Unique reference number", s.urn),
        ("Local authority", s.la),
        ("Inspection number", s.numbers[0]),
        ("Type of school", "Primary"),
        ("School category", s.category),
        ("Age range of pupils", "4 to 11"),
        ("Gender of pupils", "Mixed"),
        ("Number of pupils on the school roll", str(s.pupils)),
        (
            "Appropriate authority",
            "The board of trustees" if s.category.startswith("Academy") else "The governing body",
        ),
        ("Chair", s.chair),
        ("Headteacher", s.head),
        ("Date of previous school inspection", _date_range(s.dates[0])),
    )
    info = Block(
        "p",
        (
            f"{s.name} is an average-sized primary school with {s.pupils} pupils on roll.",
            "Most pupils are of White British heritage.",
            "The school runs a breakfast club.",
        ),
    )
    if s.format == "eif-full":
        return [
            Block("h1", (f"Inspection of {s.name}",)),
            Block("lines", (f"{s.address}, {s.la} {s.postcode}",)),
            Block("table", rows=(("Inspection dates:", _date_range(t).replace("–", " and ", 1)),)),
            Block(
                "table",
                rows=(
                    ("Overall effectiveness", grade),
                    ("The quality of education", GRADE_WORDS[g]),
                    ("Behaviour and attitudes", GRADE_WORDS[max(1, g - 1)]),
                    ("Personal development", GRADE_WORDS[max(1, g - 1)]),
                    ("Leadership and management", grade),
                    ("Previous inspection grade", GRADE_WORDS[g_prev]),
                ),
            ),
            Block("h2", ("What is it like to attend this school?",)),
            Block("p", tuple(by["behaviour"]) or ("Pupils are happy to come to this school.",)),
            Block("h2", ("What does the school do well and what does it need to do better?",)),
            Block("p", tuple(by["teaching"])),
            Block("p", tuple(by["leadership"])),
            Block("h2", ("Safeguarding",)),
            Block("p", (SAFEGUARDING_JUDGEMENT,)),
            *(
                [
                    Block("h2", ("What does the school need to do to improve?",)),
                    Block("h3", ("(Information for the school and appropriate authority)",)),
                    Block("bullets", tuple(recs)),
                ]
                if recs
                else []
            ),
            Block("h2", ("How can I feed back my views?",)),
            Block(
                "small",
                (
                    "You can use Ofsted Parent View to give Ofsted your opinion on your child's school, or to find "
                    "out what other parents and carers think.",
                    "If you are the school and you are not happy with the inspection or the report, you can "
                    "complain to Ofsted.",
                ),
            ),
            Block("page"),
            Block("h2", ("School details",)),
            Block("table", rows=details),
            Block("h2", ("Information about this school",)),
            info,
            Block("h2", ("Information about this inspection",)),
            Block("small", ("Inspectors met the headteacher, other leaders, staff and governors.", boiler_parent)),
        ]
    framework12 = s.format == "s5-2012"
    summary_head = (
        f"This is {'an outstanding' if g == 1 else 'a good' if g == 2 else 'an inadequate' if g == 4 else 'a'} school"
        + (" that requires improvement" if g == 3 else "")
    )
    table = (
        (
            ("This inspection:", grade),
            (
                "Previous inspection:",
                GRADE_WORDS[g_prev] if g_prev != 3 or s.dates[0] >= date(2012, 9, 1) else "Satisfactory",
            ),
            ("Achievement of pupils", grade),
            ("Quality of teaching", grade),
            ("Behaviour and safety of pupils", GRADE_WORDS[max(1, g - 1)]),
            ("Leadership and management", grade),
        )
        if framework12
        else (
            ("Overall effectiveness", grade),
            ("Effectiveness of leadership and management", grade),
            ("Quality of teaching, learning and assessment", grade),
            ("Personal development, behaviour and welfare", GRADE_WORDS[max(1, g - 1)]),
            ("Outcomes for pupils", grade),
            ("Overall effectiveness at previous inspection", GRADE_WORDS[g_prev]),
        )
    )
    good_head = "The school has the following strengths" if g >= 3 else summary_head
    weak_head = (
        (f"{summary_head}. It is not good because" if framework12 else summary_head)
        if g >= 3
        else "It is not yet outstanding because"
    )
    summary = ([Block("h3", (weak_head,)), Block("bullets", tuple(weaknesses[:4]))] if weaknesses else []) + (
        [Block("h3", (good_head,)), Block("bullets", tuple(strengths[:4]))] if strengths else []
    )
    if g < 3:
        summary = summary[2:] + summary[:2] if weaknesses and strengths else summary
    rest_teaching = [x for x in by["teaching"] if x not in strengths[:4] + weaknesses[:4]]
    rest_leadership = [x for x in by["leadership"] if x not in strengths[:4] + weaknesses[:4]]
    rest_behaviour = [x for x in by["behaviour"] if x not in strengths[:4] + weaknesses[:4]]
    return [
        Block("h1", (s.name,)),
        Block("lines", (f"{s.address}, {s.la} {s.postcode}",)),
        Block("table", rows=(("Inspection dates", _date_range(t)),)),
        Block("table", rows=table),
        Block("h2", ("Summary of key findings for parents and pupils" if not framework12 else "Key findings",)),
        *summary,
        Block("page"),
        Block("h1", ("Full report",)),
        *(
            [Block("h2", ("What does the school need to do to improve further?",)), Block("bullets", tuple(recs))]
            if recs
            else []
        ),
        Block("h2", ("Inspection judgements",)),
        Block(
            "h3",
            ("Effectiveness of leadership and management" if not framework12 else "The leadership and management",),
        ),
        Block("p", tuple(rest_leadership) or (f"The headteacher took up post in {s.dates[0].year}.",)),
        Block(
            "h3", ("Quality of teaching, learning and assessment" if not framework12 else "The quality of teaching",)
        ),
        Block("p", tuple(rest_teaching) or ("Pupils enjoy their lessons.",)),
        Block(
            "h3",
            (
                "Personal development, behaviour and welfare"
                if not framework12
                else "The behaviour and safety of pupils",
            ),
        ),
        Block("p", tuple(rest_behaviour) or ("Pupils are polite and friendly.",)),
        Block("page"),
        Block("h2", ("School details",)),
        Block("table", rows=details),
        Block("h2", ("Information about this school",)),
        info,
        Block("h2", ("Information about this inspection",)),
        Block("small", ("Inspectors observed learning in all classes.", boiler_parent)),
    ]


def _header(s: SchoolReport) -> str:
    return f"Inspection report: {s.name}, {_date_range(s.dates[1])}"


# --- renderers -------------------------------------------------------------------------------------

_WIDTH = 92
_PAGE_LINES = 52


def render_text(s: SchoolReport, blocks: list[Block] | None = None) -> str:
    """The report as text copied from a PDF viewer: hard line breaks, running headers, page numbers."""
    pages: list[list[str]] = [[]]

    def add(lines: list[str]) -> None:
        if len(pages[-1]) + len(lines) > _PAGE_LINES:
            pages.append([])
        pages[-1].extend(lines)

    for b in blocks or report_blocks(s):
        if b.kind == "page":
            pages.append([])
        elif b.kind in ("h1", "h2", "h3", "lines"):
            add([*b.items, ""])
        elif b.kind in ("p", "small"):
            if b.items:
                add([*textwrap.wrap(" ".join(b.items), _WIDTH), ""])
        elif b.kind == "bullets":
            for item in b.items:
                wrapped = textwrap.wrap(item, _WIDTH - 2)
                add([f"• {wrapped[0]}", *("  " + w for w in wrapped[1:])])
            add([""])
        elif b.kind == "table":
            add([*(f"{label} {value}" for label, value in b.rows), ""])
    pages = [p for p in pages if p]
    out = []
    for i, lines in enumerate(pages, start=1):
        if i > 1:
            out.append(_header(s))
            out.append("")
        out.extend(lines)
        out.append(f"Page {i} of {len(pages)}")
        out.append("")
    return "\n".join(out)


_HTML_HEAD = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head><body>
<div id="cookie-banner" class="cookie-banner"><p>We use some essential cookies to make this service work.
We'd also like to use analytics cookies so we can understand how you use the service.</p>
<button>Accept analytics cookies</button> <button>Reject analytics cookies</button></div>
<header class="header"><a href="/">Ofsted reports</a>
<nav><ul><li><a href="/search">Find an inspection report</a></li><li><a href="/help">Help</a></li></ul></nav></header>
<div class="breadcrumbs"><a href="/">Home</a> &gt; <a href="/search">Schools</a> &gt; {crumb}</div>
<main id="main-content">
"""
_HTML_FOOT = """</main>
<div class="feedback"><p>Is this page useful?</p><a href="/feedback">Yes</a> <a href="/feedback">No</a>
<a href="/feedback">Report a problem with this page</a></div>
<footer><ul><li><a href="/cookies">Cookies</a></li><li><a href="/accessibility">Accessibility statement</a></li>
<li><a href="/privacy">Privacy notice</a></li></ul><p>&copy; Crown copyright</p></footer>
<script src="/assets/app.js"></script>
</body></html>
"""


def render_html(s: SchoolReport, blocks: list[Block] | None = None) -> str:
    """The report as the reports service's web page, with its furniture (cookie banner, navigation, ...)."""
    esc = html.escape
    parts = [_HTML_HEAD.format(title=esc(f"{s.name} - Inspection report"), crumb=esc(s.name))]
    for b in blocks or report_blocks(s):
        if b.kind in ("h1", "h2", "h3"):
            parts.append(f"<{b.kind}>{esc(b.items[0])}</{b.kind}>")
        elif b.kind == "lines":
            parts.append("<p>" + "<br>".join(esc(x) for x in b.items) + "</p>")
        elif b.kind in ("p", "small") and b.items:
            cls = ' class="small"' if b.kind == "small" else ""
            parts.append(f"<p{cls}>{esc(' '.join(b.items))}</p>")
        elif b.kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in b.items) + "</ul>")
        elif b.kind == "table":
            rows = "".join(f"<tr><th>{esc(a)}</th><td>{esc(v)}</td></tr>" for a, v in b.rows)
            parts.append(f"<table>{rows}</table>")
    parts.append(_HTML_FOOT)
    return "\n".join(parts)


# --- writing the corpus ----------------------------------------------------------------------------

OUTCOME_COLUMNS = (
    "URN",
    "School name",
    "Local authority",
    "Postcode",
    "Type of education",
    "Phase of education",
    "Total number of pupils",
    "Deprivation index",
    "Inspection number",
    "Inspection start date",
    "Publication date",
    "Inspection type",
    "Overall effectiveness",
    "Previous inspection number",
    "Previous inspection start date",
    "Previous publication date",
    "Previous overall effectiveness",
)


def _dmy(d: date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def write_reports(
    out: Path, pop: ReportPopulation, *, media: tuple[float, float, float] = (0.5, 0.25, 0.25), seed: int = 0
) -> dict[str, int]:
    """Write the corpus of ``pop`` under ``out``; returns how many documents of each medium were written.

    ``media`` are the shares of PDF, HTML and text documents.
    """
    from schoolkg.synth.pdf import render_pdf

    docs = out / "documents"
    tables = out / "tables"
    docs.mkdir(parents=True, exist_ok=True)
    tables.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed + 104729)
    counts = {"pdf": 0, "html": 0, "txt": 0}
    with (out / "statements.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["document", "urn", "format", "practice", "polarity", "form", "text"])
        for s in pop.schools:
            medium = str(rng.choice(["pdf", "html", "txt"], p=list(media)))
            name = f"{s.urn}-{s.dates[1].isoformat()}.{medium}"
            blocks = report_blocks(s)
            if medium == "pdf":
                (docs / name).write_bytes(render_pdf(s.name, _header(s), blocks))
            elif medium == "html":
                (docs / name).write_text(render_html(s, blocks), encoding="utf-8")
            else:
                (docs / name).write_text(render_text(s, blocks), encoding="utf-8")
            counts[medium] += 1
            for st in s.statements:
                w.writerow([name, s.urn, s.format, st.practice, st.polarity, st.form, st.text])
    with (tables / "synth-outcomes.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(OUTCOME_COLUMNS)
        for s in pop.schools:
            _, t, t1 = s.dates
            w.writerow(
                [
                    s.urn, s.name, s.la, s.postcode, s.category, "Primary", s.pupils, s.idaci,
                    s.numbers[1], _dmy(t1), _dmy(t1 + timedelta(days=21)), "S5 Inspection", s.grades[2],
                    s.numbers[0], _dmy(t), _dmy(t + timedelta(days=21)), s.grades[1],
                ]
            )  # fmt: skip
    with (out / "truth.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["feature", "practice", "polarity", "odds_ratio", "prevalence"])
        for f in feature_names():
            practice, pol = f.split(":")
            w.writerow([f, practice, pol, pop.effects.get(f, 1.0), pop.prevalence[f]])
    return counts
