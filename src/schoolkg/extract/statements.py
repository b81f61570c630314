"""Find the evaluative statements of a report: sentences, list items or clauses that judge.

The report's structure says most of it: a section or list intro sets a *role* for what follows
(:func:`section_role`) — strengths ("The school has the following strengths"), weaknesses ("It is
not yet good because"), recommendations ("What does the school need to do to improve?", "Next
steps"), description ("Information about this school", "Information about this inspection",
"School details") or evaluation (the rest). Description, Ofsted's boilerplate (Parent View,
complaints, Cafcass, publication notices, how the inspection was done) and judgement headlines
("This is a good school", "The arrangements for safeguarding are effective.") are never
statements. A recommendation is one list item or line (its sentences together); any other
statement is one sentence, cut at a contrasting conjunction when its two sides differ in
polarity ("Teaching is strong in Year 6, but in Year 3 it is weaker"). Outside the structured
sections of an inspection report, a sentence must carry evaluative language to count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from schoolkg.extract.dispatch import Alternation, split_branches
from schoolkg.extract.polarity import score, span_scores
from schoolkg.extract.thesaurus import word_pattern
from schoolkg.model import SegmentedDocument, Sentence

__all__ = [
    "ROLES",
    "Statement",
    "find_statements",
    "is_boilerplate",
    "is_inspection",
    "quote_span",
    "section_role",
    "split_contrast",
]

ROLES = ("strengths", "weaknesses", "recommendations", "description", "evaluation")


@dataclass(frozen=True)
class Statement:
    """One evaluative statement: absolute offsets, its text, the role of its section, its
    polarity (from its language, else its role) and the sentence it was cut from."""

    start: int
    end: int
    text: str
    role: str
    polarity: str
    sentence: Sentence


_ROLE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (role, re.compile(pattern, re.IGNORECASE))
    for role, pattern in (
        (
            "recommendations",
            r"\b(?:what (?:does )?the (?:school|academy|college|provider|trust|authority|centre|unit) (?:should|"
            r"needs? to) do"
            r"|what (?:does )?(?:the school|it|leaders) need to do|next steps|areas? (?:for|of|"
            r"requiring) (?:improvement|development)"
            r"|priorities for (?:further )?improvement|recommendations?|in order to (?:improve|raise|secure)"
            r"|to improve (?:further|the school)|(?:should|must|needs? to) (?:now )?(?:take|ensure|make sure|improve|"
            r"do)\b.*:$"
            r"|what (?:the school|leaders) could do better|what needs? (?:to improve|improving)"
            r"|we have asked|areas? to (?:improve|develop)|areas? identified for (?:improvement|development)"
            r"|\b(?:should|must|needs? to)(?: \w+){0,3}:$)",
        ),
        (
            "weaknesses",
            r"\b(?:not (?:yet )?(?:a )?(?:good|outstanding)(?: school)?(?: because)?|(?:requires? improvement|"
            r"inadequate|"
            r"serious weaknesses|special measures) because|because:?$|weaknesses(?: of the school)?$|"
            r"(?:barriers|limiting factors|weaker (?:practice|features))|features? of (?:weaker|less effective)|"
            r"where (?:the )?(?:practice|provision|leadership|teaching) (?:is|was) (?:weaker|less effective))",
        ),
        (
            "strengths",
            r"\b(?:(?:has|have) the following strengths|(?:what|things) (?:the school|it) does well|what is good about|"
            r"features? of (?:good|effective|successful|best) practice|good practice|key strengths|"
            r"strengths(?: of the school)?$|"
            r"features of success|successful features|what works well|where (?:the )?(?:practice|provision) (?:is|"
            r"was) (?:strongest|most effective))",
        ),
        (
            "description",
            r"^(?:information about (?:this|the) (?:school|inspection|provider|academy|visit)|"
            r"description of the school|"
            r"(?:the )?school(?:'s|’s)? details|school information|inspection team|evidence|context|"
            r"characteristics of the school|introduction|contents|about (?:this|the) (?:school|inspection)|"
            r"how can i feed back my views\??|further information|key (?:to|for) (?:inspection )?(?:grades|judgements)|"
            r"what inspection judgements mean|grade judgement description|glossary|annex\b.*|appendix\b.*|"
            r"these are the grades\b.*|the inspection team|what happens next|"
            r"complaints?\b.*|notes?|"
            r"(?:text from )?letter to (?:the )?(?:pupils|students|children)\b.*|common terminology.*|"
            r"the key inspection judgements.*|main findings of the inspection of.*|"
            r"(?:the )?inspection (?:findings|report) (?:is|are) available.*|methodology|scope of the inspection|"
            r"the visit|school characteristics|school context|additional information|"
            r"summary of (?:the )?evidence|having considered the evidence.*|reporting inspector.*|"
            r"(?:the )?report is about.*|this inspection\b.*)",
        ),
    )
)


_BOTH = re.compile(r"\bdo(?:es)? well and what\b|\bstrengths and (?:weaknesses|areas)", re.IGNORECASE)


@lru_cache(maxsize=4096)
def section_role(heading: str) -> str | None:
    """The role a heading or list intro gives the statements under it, or None when it sets none.

    >>> section_role("What does the school need to do to improve further?")
    'recommendations'
    >>> section_role("It is not yet a good school because"), section_role("The school has the following strengths")
    ('weaknesses', 'strengths')
    >>> section_role("Information about this school"), section_role("Leadership and management")
    ('description', None)
    """
    text = " ".join(heading.strip().split()).rstrip(".")
    if not text:
        return None
    if _BOTH.search(text):
        return "evaluation"  # "What does the school do well and what does it need to do better?"
    low = text.lower() if text.isascii() else None
    for (role, pattern), needles in zip(_ROLE_PATTERNS, _ROLE_WORDS, strict=True):
        if low is not None and needles and not any(w in low for w in needles):
            continue  # an ASCII text holding none of the words every match of the pattern has
        if pattern.search(text):
            return role
    return None


# per pattern of _ROLE_PATTERNS, words (lower case) of which every match holds one (none: no such test);
# outside ASCII, case folding has more forms than str.lower(), so the pattern is always run there
_ROLE_WORDS: tuple[tuple[str, ...], ...] = (
    ("what", "next steps", "area", "priorities", "recommendation", "in order to", "to improve", "should", "must",
     "need", "we have asked"),
    ("not", "because", "weaknesses", "barriers", "limiting factors", "weaker", "feature", "where"),
    ("strengths", "does well", "what is good about", "practice", "features of success", "successful features",
     "what works well", "where"),
    (),
)  # fmt: skip


# Ofsted's standard text: who Ofsted is, Parent View, complaints, publication, how the
# inspection was carried out and by whom, letter courtesies, legal notices.
_BOILERPLATE = Alternation(
    split_branches(
        r"\bnext inspection\b|\bwill (?:normally|usually) (?:take place|be)\b|\bwe will\b|\bif we (?:find|have)\b|"
        r"\bwhen we have judged\b|\busually this is within\b|\bsection 8 inspection|\bungraded inspection|"
        r"\bgraded inspection\b|monitoring inspection (?:report|since)|\b(?:first|second|third|fourth|"
        r"fifth) monitoring "
        r"inspection\b|having considered (?:all )?the evidence|\bi am of the opinion|areas for improvement that were "
        r"identified|report is attached|five-point scale|reported as met or not met|single-word judgements|"
        r"\bteam inspectors?\b|ofsted inspector;?$|\bare graded on\b|"
        r"\bthe (?:inspection )?team (?:was led|held|met|included|comprised|spoke|visited)\b|\bwas led by\b|"
        r"national evaluation|published reports|as outlined in my|evidence used to inform|inform (?:the )?judgements|"
        r"inform decisions about|formed part of|part of ofsted['’]s|may reuse this information|free of charge|"
        r"^the visit (?:provided|formed|was|looked|focused)\b|^an? (?:evaluation|survey|review) of\b|"
        r"(?:use|uses|used) (?:ofsted )?parent view|parent view (?:website|lets|is)|give ofsted your opinion|cafcass|"
        r"\bcomplain|open government licence|crown copyright|regulates and inspects|"
        r"will be published|this letter (?:will|is)|copying this letter|i am copying|yours (?:sincerely|faithfully)|"
        r"\bthank you\b|\b(?:we|i) (?:\w+ )?(?:enjoyed|wish|hope)\b|please (?:keep|continue|give|pass)|"
        r"here is what we found|"
        r"you may copy|external review of|"
        r"you can help|\bgood luck\b|best wishes|"
        r"\b(?:inspectors?|we|i|the (?:lead )?inspector|the inspection team)\b(?: also)? (?:observed|met|held|spoke|"
        r"talked|"
        r"looked|visited|scrutinised|reviewed|considered|took account|analysed|evaluated|listened|discussed|"
        r"carried out|checked|examined|sampled|attended|undertook|conducted|gathered|focused|joined|read|"
        r"worked|received|took into account|telephoned|made)\b|"
        r"deep dives?|inspection (?:was|were) carried out|carried out (?:this|the) inspection|under section \d|"
        r"section (?:5|8|44|48|49|109|162a) of|in accordance with section|education act|childcare act|"
        r"chief inspector (?:is|was) of the opinion|her majesty['’]s chief inspector|his majesty['’]s chief inspector|"
        r"(?:may|must|should|do) (?:not )?(?:seek to )?appoint (?:newly qualified|early career)|"
        r"\b(?:responses?|questionnaires?) (?:to|from|returned)|\bfree text\b|staff survey|pupil survey|"
        r"following my visit|i write on behalf|the visit was the first|on behalf of|"
        r"(?:the )?(?:purpose|focus) of (?:the|this) (?:visit|inspection)|the inspection (?:team )?(?:reviewed|looked)|"
        r"published performance|search for|find out more|this (?:publication|document) (?:is|may)|"
        r"reproduc(?:e|ed|tion)|further copies|www\.|@|https?://|textphone|"
        r"from september 20\d\d, ofsted|this is to improve how we report|"
        r"(?:the )?(?:headteacher|principal|chief executive|chair)(?: of (?:this|the) school)? is [A-Z]|"
        r"(?:is|are) (?:chaired|run|overseen|led) by|which means (?:that )?other people|part of [A-Z][\w ]+ trust|"
        r"refers to those pupils|we use information|when deciding (?:which|when)|"
        r"(?:this|the) letter is provided|it describes ofsted|judgements? (?:mean|explained)|"
        r"an? (?:outstanding|good|satisfactory|inadequate) school (?:is|provides|needs)|"
        r"(?:a school|an? \w+ school) that (?:requires improvement|is good|is inadequate)|will be (?:inspected|"
        r"monitored) again",
    ),
    re.IGNORECASE,
    words=True,
)

# Judgement headlines: the grade stated as a heading or a one-line verdict.
_JUDGEMENT = Alternation(
    split_branches(
        r"^(?:this|it) is an? (?:good|outstanding|inadequate|satisfactory) (?:school|academy|college|provider)$|"
        r"^this (?:school|academy|is a school that) (?:requires improvement|requires special measures|"
        r"has serious weaknesses|continues to be \w+|is \w+)(?: because)?$|^(?:the )?(?:school|"
        r"academy) continues to be \w+$|"
        r"^(?:the )?arrangements for safeguarding (?:are|is) (?:not )?effective$|^safeguarding is (?:not )?effective$|"
        r"\bcontinues to be an? (?:good|outstanding|\w+) (?:school|academy|college)\b|could be judged|"
        r"would (?:now )?receive a (?:higher|lower) grade|may (?:not )?be (?:as good|outstanding|inadequate)|"
        r"(?:are|is) (?:not )?taking effective action (?:towards|to)|evaluation areas? (?:is|was|were) graded|"
        r"\bgraded (?:exceptional|strong standard|expected standard|needs attention|urgent improvement)\b|"
        r"safeguarding (?:standards )?(?:were|was|are|is) (?:not )?met\b|"
        r"\b(?:grade|judgement):? ?[1-4]$|^(?:yes|no)$|\b(?:was|were|is|are|has been|have been) (?:graded|judged|"
        r"rated) "
        r"(?:as )?(?:being |to be )?['‘’\"]?(?:outstanding|good|effective|satisfactory|adequate|inadequate|"
        r"requires improvement)\b|"
        r"^(?:leaders and those responsible for governance|the school|leaders|the headteacher|governors|the trust)"
        r" (?:should|must|need to)(?: \w+)? (?:ensure|make sure|take (?:further )?action)(?: that| to)?:?$|"
        r"^(?:the school should|the school needs to|leaders should|in order to improve,? the school should)\b[^.]*:$|"
        r"^(?:at|during|since) the (?:last|previous) inspection,? (?:the school|it|inspectors|ofsted)\b"
        r"(?!.*,? and (?:leaders|the school|you|staff|governors|they|she|he) (?:have|has)\b)",
    ),
    re.IGNORECASE,
    words=True,
)
# Context a report gives, not an evaluation: the school's intake and the table of its details.
_CONTEXT = Alternation(
    split_branches(
        r"^the proportion of (?:pupils|students|children)(?: \w+){0,4} (?:eligible|known|supported|who (?:speak|are|"
        r"have)|"
        r"with|from|entitled|for whom)|^(?:most|almost all|the majority of|nearly all) (?:pupils|students|children) "
        r"(?:are|come) (?:of|from)\b|^(?:children|pupils|students) (?:join|start|enter|arrive)\b[^,;]*\b(?:with|at)\b"
        r"(?!.*(?:,|\band (?:they|make)\b|\bbut\b))|\b(?:serves?|serving) (?:an? )?(?:\w+ ){0,3}(?:communit|areas?\b|"
        r"estates?\b|"
        r"population)|\bcome from (?:\w+ ){0,2}backgrounds\b|"
        r"^(?:age (?:group|range)|inspection dates?(?:\(s\))?|inspection number|unique reference|urn|local authority|"
        r"type of school|school category|gender of|number (?:of pupils|on roll)|appropriate authority|chair\b|"
        r"headteacher\b|telephone number|fax number|email|date of (?:the )?previous|school address|website)\b",
    ),
    re.IGNORECASE,
    words=True,
)
_LIST_ROLES = ("recommendations", "strengths", "weaknesses")
_BARE_ASK = re.compile(
    r"\b(?:should|must|needs? to)(?: (?:now|also|urgently|further|continue to))?(?: (?:ensure|make sure|take action|"
    r"take further action|do|work|improve))?(?: that| to| so that| by)?\s*[:–—-]$",
    re.IGNORECASE,
)
_NOT_A_FINDING = Alternation(
    [*_BOILERPLATE.branches, *_JUDGEMENT.branches, *_CONTEXT.branches], re.IGNORECASE
)  # the three in one pass
_TERMINAL = re.compile(r"[.!;:]['\"’”)]*$")
_TWO_LETTERS = re.compile(r"[A-Za-z]{2}")  # a line with words, not only numbers or marks


@lru_cache(maxsize=16384)
def is_boilerplate(text: str) -> bool:
    """Whether a sentence is Ofsted's standard text or a judgement headline, never a finding.

    >>> is_boilerplate("You can use Ofsted Parent View to give Ofsted your opinion.")
    True
    >>> is_boilerplate("The arrangements for safeguarding are effective.")
    True
    >>> is_boilerplate("Leaders have established a strong culture of safeguarding.")
    False
    """
    return bool(_NOT_A_FINDING.search(text.strip().rstrip(".;:").strip()))


def _heading_like(sent: Sentence, after: str = "") -> bool:
    """A line that reads as a heading or table row: no closing punctuation and short, or a question
    (never a list item, nor a line that ``after``, the text that follows it, continues in lower case:
    a list item wrapped by a hard line break in a text copy; a table row may still wrap)."""
    t = sent.text.strip()
    if after[:1].islower() and not t.endswith(("?", ":")) and "\t" not in t:
        return False
    if t.endswith("?") or not _TWO_LETTERS.search(t):
        return True
    if t.endswith(":") and len(t.split()) <= 8 and not score(t):
        return True
    if t.isupper() and len(t.split()) <= 8:
        return True
    if sent.intro or not t[:1].isupper():
        return False
    return not _TERMINAL.search(t) and len(t.split()) <= 14


_CUT = re.compile(
    r"(?:,\s*|;\s*|\s+)(?=(?:but|although|though|whereas|while|however|by contrast|in contrast|"
    r"except|other than that)\b)|;\s+(?=\S)|,\s+(?=(?:although|though|whereas|while)\b)",
    re.IGNORECASE,
)
# every _CUT needs one of these (lower case) or a semicolon: a sentence with none is not searched
_CUT_WORDS = ("but", "though", "whereas", "while", "however", "contrast", "except", "other than that")


@lru_cache(maxsize=16384)
def split_contrast(text: str) -> tuple[tuple[int, int, str], ...]:
    """Cut ``text`` at contrasting conjunctions and semicolons where the two sides differ in polarity.

    Returns (start, end, polarity) of each part relative to ``text``; one part when nothing is cut.

    >>> [(text[s:e], p) for text in ["Teaching is strong in Year 6, but in Year 3 it is weak."]
    ...  for s, e, p in split_contrast(text)]
    [('Teaching is strong in Year 6,', 'strength'), ('but in Year 3 it is weak.', 'weakness')]
    """
    if text.isascii() and ";" not in text and not any(w in text.lower() for w in _CUT_WORDS):
        cuts = []  # nothing _CUT could match (outside ASCII, case folding has more forms: run it)
    else:
        cuts = [m.end() for m in _CUT.finditer(text) if m.start() > 0]
    bounds = [0, *cuts, len(text)]
    parts = [(a, b) for a, b in zip(bounds, bounds[1:], strict=False) if text[a:b].strip()]
    if len(parts) < 2:
        return ((0, len(text), _sign(score(text))),)
    scored = [(a, b, s) for (a, b), s in zip(parts, span_scores(text, parts), strict=True)]
    # merge neighbours that do not disagree (a part with no evidence joins the one before it)
    merged: list[list] = []
    for a, b, s in scored:
        if merged and (s == 0 or merged[-1][2] == 0 or (s > 0) == (merged[-1][2] > 0)):
            merged[-1][1] = b
            merged[-1][2] = merged[-1][2] + s if merged[-1][2] != 0 else s
            continue
        merged.append([a, b, s])
    if len(merged) == 1:
        return ((0, len(text), _sign(score(text))),)
    out = []
    for a, b, s in merged:
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip())
        out.append((a + lead, a + len(piece.rstrip()), _sign(s)))
    return tuple(out)


# A statement that asks for change outside a recommendations section ("We have asked the school to ...",
# "Progress should be checked more closely", "Leaders must ensure that ..."): a recommendation, so a
# weakness whatever good words its aim holds ("... so that more lessons are as good as the best").
_ASK = re.compile(
    r"^(?:finally,? |also,? )?(?:we|i|inspectors|the inspector) (?:have |has )?(?:also )?(?:asked|recommended)\b|"
    r"\b(?:should|must|needs? to) (?:now |also |urgently |further )?(?:be )?(?:checked|improved|reviewed|"
    r"strengthened|developed|raised|extended|shared|monitored|evaluated|tackled|addressed|sharpened|refined)\b"
    r"(?![^.]*\bthan\b)|"
    r"\b(?:school|leaders|governors|trustees|trust|academy|headteacher|principal|authority|it) (?:should|must|"
    r"needs? to) (?:now |also |urgently |further |continue to )?(?:ensure|make sure|improve|develop|strengthen|"
    r"check|review|raise|increase|sharpen|refine)\b",
    re.IGNORECASE,
)
_ASK_WORDS = ("should", "must", "need", "asked", "recommended")
_ASKED_ABOUT = re.compile(r"\b(?:what|where|how|which|whether)\b[^,;:]{0,40}$", re.IGNORECASE)


def asks_for_change(text: str) -> bool:
    """Whether ``text`` asks for change (a recommendation stated in the body), not says what the school
    knows it must do ("Leaders know where the school needs to improve").

    >>> asks_for_change("We have also asked the school to help pupils improve their writing.")
    True
    >>> asks_for_change("Sixth formers' progress should be checked more closely.")
    True
    >>> asks_for_change("Leaders know exactly where the school needs to improve.")
    False
    """
    low = text.lower()
    if not any(w in low for w in _ASK_WORDS):
        return False
    m = _ASK.search(text)
    return m is not None and not _ASKED_ABOUT.search(text, 0, m.start())


def _sign(value: float) -> str:
    return "strength" if value > 0 else "weakness" if value < 0 else ""


# Leading adverbials that are not the subject: "In 2017, ...", "As a result, ...", "However, ...".
_LEAD = re.compile(
    r"^(?:(?:in|at|by|since|during|over|from|for|across|through|when|where|until|after|before|following|"
    r"within|throughout|as a result|consequently|however|overall|currently|recently|now|also|furthermore|"
    r"moreover|in addition|in contrast|by contrast|even so|similarly|finally|together|therefore|as well|"
    r"this year|last year|occasionally|at times|too often)\b[^,;]{0,80},\s*)+",
    re.IGNORECASE,
)
_VERB = word_pattern(
    r"is|are|was|were|has|have|had|do|does|did|can|could|will|would|should|must|may|make|makes|made|"
    r"making|achieve|achieves|achieved|reach|reached|reaches|behave|behaves|attend|attends|enjoy|enjoys|"
    r"feel|feels|say|says|said|told|learn|learns|read|reads|write|writes|use|uses|used|provide|provides|"
    r"work|works|take|takes|took|show|shows|showed|get|gets|develop|develops|receive|receives|remain|"
    r"remains|lead|leads|know|knows|need|needs|struggle|struggles|benefit|benefits|lose|complete|move|"
    r"moves|go|goes|understand|understands|value|values|appreciate|rarely|often|never|always|now",
)

# The author speaking of itself, its report or its plans: not an evaluation of the subject (unless it
# reports what it found: "Inspectors found that ...", "We could see ...").
_AUTHOR = re.compile(
    r"^[\"'“‘]?(?:i|we|our|us|ofsted|her majesty['’]s inspectors?|hmi|the (?:full )?report|this report|this alert|"
    r"that the committee|the committee|the council|your feedback|it is our aim)\b",
    re.IGNORECASE,
)
_FOUND = re.compile(
    r"\b(?:found|finds?|saw|see|seen|judged?|endorse[ds]?|agree with|show(?:s|ed|n)?|suggests?)\b|"
    r"\b(?:have|has) (?:also )?asked\b|\brecommend",
    re.IGNORECASE,
)
# Outside an inspection report: the author's own voice (first person), plans, proposals and hopes, and
# sentences about a plan, report, meeting or tool.
_FIRST_PERSON = re.compile(r"\b(?:i|we|our|us|we['’](?:ve|re|ll)|i['’](?:m|ve|d))\b", re.IGNORECASE)
_NOT_YET_DONE = re.compile(
    r"\b(?:will|shall|would like to|aims? to|our aim|is proposed|are proposed|propose|plans? to|planned to|hope|"
    r"look forward|intend\w*)\b|^(?:the|this|an?|our) (?:proposed )?(?:action )?(?:plan|proposal|report|inspection|"
    r"review|meeting|alert|letter|visit|event|update)\b|^(?:attached|appended)\b|"
    r"^(?:this|it) (?:was|is) (?:not )?(?:an? )?(?:\w+ ){0,3}(?:meeting|event|report|initiative|journey|start|"
    r"beginning|"
    r"guidance|tool)\b|^it (?:was|is) agreed\b|\b(?:report|survey|publication)s? (?:launched|published|looked at)\b|"
    r"\bstories in (?:this|the) report\b",
    re.IGNORECASE,
)


@lru_cache(maxsize=16384)
def statement_subject(text: str) -> str:
    """The words of ``text`` before its first verb, after any leading adverbial.

    >>> statement_subject("In 2017, pupils' progress in reading was weak.")
    "pupils' progress in reading"
    >>> statement_subject("Leaders have introduced a new scheme.")
    'Leaders'
    """
    body = _LEAD.sub("", text.strip())
    m = _VERB.search(body)
    return (body[: m.start()] if m else body[:60]).strip(" ,")


# What only an inspection report or letter about one school says near its start.
_INSPECTION = re.compile(
    r"\b(?:inspection report|school report|report card|inspection of|short inspection of|monitoring inspection|"
    r"unique reference number|overall effectiveness|summary of key findings|what does the school need to do|"
    r"what the school should do|has the following strengths|inspection dates?|this school (?:is|requires|continues)|"
    r"dear (?:mr|mrs|ms|miss|dr)\b.*\b(?:headteacher|principal))",
    re.IGNORECASE,
)


def is_inspection(seg: SegmentedDocument) -> bool:
    """Whether a document is an inspection report or letter on one school, whose evaluation
    sections hold nothing but evaluations (its kind says so, or its opening has the wording only
    such reports have)."""
    if seg.document.kind in ("inspection_report", "inspection_letter"):
        return True
    if seg.document.kind in ("survey_report", "council_report", "press_release"):
        return False
    return len({m.group(0).lower() for m in _INSPECTION.finditer(seg.body[:12000])}) >= 2


def find_statements(seg: SegmentedDocument, structured: bool | None = None) -> Iterator[Statement]:
    """Yield the evaluative statements of ``seg`` in reading order.

    ``structured`` says whether the document is an inspection report or letter whose evaluation
    sections state nothing but evaluations (default: guessed from its kind); elsewhere a sentence
    needs evaluative language to count.
    """
    text = seg.document.text
    if structured is None:
        structured = is_inspection(seg)
    role = "evaluation"
    sentences = seg.sentences
    i = 0
    prev_end = seg.body_start
    while i < len(sentences):
        sent = sentences[i]
        i += 1
        # the lines no sentence covers (headings, table rows) set the role of what follows
        if sent.start > prev_end:
            for line in text[prev_end : sent.start].split("\n"):
                if _TWO_LETTERS.search(line):
                    role = section_role(line) or _area_role(line, role)
        prev_end = max(prev_end, sent.end)
        body = sent.text.strip()
        if not sent.intro and not _TERMINAL.search(body) and section_role(body) in _LIST_ROLES:
            role = section_role(body) or role  # a long heading: "The areas for improvement identified ..."
            continue
        if _heading_like(sent, text[sent.end : sent.end + 8].lstrip()):
            role = section_role(body) or _area_role(body, role)
            continue
        intro_role = section_role(sent.intro) if sent.intro else None
        here = intro_role or role
        if here == "description":
            continue
        if _opens_list(body) and section_role(body):
            role_of_intro = section_role(body)
            if role_of_intro != "recommendations" or _JUDGEMENT.search(body) or _BARE_ASK.search(body):
                continue  # a list intro that only says what follows ("the local authority should:")
        if is_boilerplate(body):
            continue
        if _AUTHOR.match(_LEAD.sub("", body)) and not _FOUND.search(body):
            continue  # the author on itself: "We are sending you this alert", "I look forward to"
        if not structured and here != "recommendations" and (_NOT_YET_DONE.search(body) or _FIRST_PERSON.search(body)):
            continue
        if here == "recommendations":
            # one recommendation per line or list item: take the sentences that follow on the same line
            end = sent.end
            while (
                i < len(sentences) and "\n" not in text[end : sentences[i].start] and sentences[i].intro == sent.intro
            ):
                if is_boilerplate(sentences[i].text):
                    break
                end = sentences[i].end
                i += 1
            prev_end = max(prev_end, end)
            yield Statement(sent.start, end, text[sent.start : end], here, "weakness", sent)
            continue
        for s, e, pol in split_contrast(body):
            piece = body[s:e]
            if not pol and piece[:1].isdigit():
                continue  # a figure stated with no judgement of it: "44% of students took a GCSE"
            if pol != "weakness" and asks_for_change(piece):
                pol = "weakness"  # a recommendation in the body of a letter or report
            if not pol:
                if not structured and here == "evaluation":
                    continue  # outside a report's evaluation sections, only evaluative language counts
                pol = "weakness" if here == "weaknesses" else "strength"
            start = sent.start + s
            yield Statement(start, start + len(piece), piece, here, pol, sent)


MAX_QUOTE = 320


def quote_span(sentence: Sentence, start: int, end: int) -> tuple[int, int]:
    """Absolute span to quote for a match at [start, end): the sentence, or a clause when it is long."""
    if sentence.end - sentence.start <= MAX_QUOTE:
        return sentence.start, sentence.end
    text, off = sentence.text, sentence.start
    rel_s, rel_e = start - off, end - off
    left = max(0, rel_s - MAX_QUOTE // 2)
    right = min(len(text), rel_e + MAX_QUOTE // 2)
    while left > 0 and not text[left - 1].isspace():
        left += 1
    while right < len(text) and not text[right].isspace():
        right -= 1
    left = min(left, rel_s)
    right = max(right, rel_e)
    return off + left, off + right


def _opens_list(text: str) -> bool:
    return text.rstrip().endswith((":", "–", "—"))


def _area_role(heading: str, current: str) -> str:
    """A heading that sets no role of its own (an evaluation area) returns to evaluation; a
    parenthetical subtitle ("(Information for the school and appropriate authority)") keeps the role."""
    h = heading.strip()
    if not h or h.startswith("(") or _GRADED_ROW.search(h):
        return current  # a subtitle, or a table row of grades inside an annex
    return "evaluation"


_GRADED_ROW = re.compile(r"(?<!grade:)(?<!grade)(?:\s[1-4]|\s(?:yes|no))(?:\s[1-4]|\s(?:yes|no))*$|:$", re.IGNORECASE)
