"""The kind (practice, outcome, recommendation), theme and practice concept of an evaluative statement.

- **Theme**: every thesaurus label in the statement votes for its concept's theme; the theme with
  most votes wins, ties going to the more specific theme (:data:`THEME_PRIORITY`: safeguarding
  before SEND before reading before teaching before leadership). A statement with no vote takes the
  theme its section heading names ("Early years provision", "Governance"), else ``unclassified``.
  The practice concept the order-free cues name (:class:`~schoolkg.extract.thesaurus.CueMatcher`:
  "leaders monitor the quality of teaching", "staff follow up absence quickly") votes too.
- **Practice**: the first concept (not a theme) of the winning theme named in the statement by a
  label, else the best concept of that theme the cues name (also in place of an outcome concept),
  else the best cued concept of another theme.
- **Kind**: a recommendation when the statement stands in a "what the school should do to improve" /
  "next steps" section or asks for change ("We have asked the school to ..."); otherwise an outcome
  when its grammatical subject is pupils or their results ("Pupils behave well", "Attendance has
  improved", "Standards are below average") and a practice when it is the school, its staff or its
  provision ("Leaders have introduced ...", "The curriculum is broad", "Pupils are taught ...").
  "They" keeps the kind of the statement before.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schoolkg.extract.statements import Statement, statement_subject
from schoolkg.extract.thesaurus import Concept, Thesaurus, word_pattern

__all__ = ["THEME_PRIORITY", "FindingClassifier"]

THEME_PRIORITY = (
    "safeguarding",
    "bullying",
    "exclusions",
    "attendance",
    "careers",
    "sixth-form",
    "early-years",
    "send",
    "disadvantaged",
    "subject-leadership",
    "governance",
    "staff-development",
    "workload",
    "parents",
    "reading",
    "mathematics",
    "assessment",
    "personal-development",
    "pastoral",
    "partnership",
    "self-evaluation",
    "curriculum",
    "resources",
    "behaviour",
    "teaching",
    "achievement",
    "leadership",
)
"""Theme keys from most to least specific: a tie in votes goes to the earlier one."""

CUE_WEIGHT = 1.0
"""The theme vote of the practice concept the order-free cues name (:meth:`Thesaurus.cue_concepts`)."""
ACTOR_THEMES = frozenset({"governance", "subject-leadership"})
"""Themes named by who acts (governors, subject leaders): named in a statement's subject, they vote twice."""
SPECIFIC_CUE_GROUPS = 3
"""Groups a cue rule needs to vote beside a label that names a concept."""

_RANK = {key: i for i, key in enumerate(THEME_PRIORITY)}

SUBJECT_NAMES = frozenset(
    {"english", "mathematics", "maths", "science", "reading", "writing", "geography", "history", "art", "music",
     "computing", "languages", "modern foreign languages", "subjects", "subject", "physical education",
     "design and technology", "religious education"}
)  # fmt: skip
"""Labels that, standing alone, name a school subject: the place of a judgement more than its theme."""
SUBJECT_NAME_WEIGHT = 0.4

_OUTCOME_SUBJECT = word_pattern(
    r"pupils?|children|child|students?|learners?|boys|girls|attainment|achievement|standards|progress|"
    r"outcomes|results|attendance|absence|behaviour|conduct|attitudes|gaps?|proportion|most able|more able|"
    r"the most|sixth formers|youngsters|knowledge|understanding|skills|writing|reading|spelling|handwriting|"
    r"personal development|development|well-being|exclusions|suspensions|rates?|numbers?|bullying|"
    r"disadvantaged|majority|minority|almost all|most|many|few|few of|you",
)
_PRACTICE_SUBJECT = word_pattern(
    r"leaders?|leadership|headteacher|head teacher|principal|deputy|teachers?|teaching|staff|adults|"
    r"governors?|governance|trustees|trust|authority|school|academy|college|centre|unit|curriculum|"
    r"assessment|marking|feedback|provision|support|care|arrangements|systems?|plans?|planning|checks?|"
    r"training|phonics|lessons?|programme|policy|procedures|records?|she|he|you|your|management|"
    r"committee|senco|coordinator|mentors?|team|department|subject leaders|opportunities|activities|"
    r"tasks?|work|resources|finances|funding|premium|questioning|routines|expectations|monitoring|"
    r"evaluation|safeguarding|guidance|advice|information|use|teaching assistants|partnership|links?",
)
# Pupils as the receivers of provision: "Pupils are taught ...", "Pupils learn about ...".
_PROVISION = re.compile(
    r"^(?:[\w’'-]+ ){0,4}?(?:pupils?|children|students|learners|they)(?: [\w’'-]+){0,5}? (?:are (?:taught|given|"
    r"offered|"
    r"helped|encouraged|supported|well supported|provided|prepared|expected|challenged|stretched|shown)|"
    r"learn (?:about|how)|receive|benefit from|have (?:many |good |regular |few |frequent |plenty of |"
    r"not had )?(?:opportunit|access|chances)|get (?:off to|a good start|the help|the support)|"
    r"(?:are|is) (?:not )?(?:\w+ )?(?:identified|supported|cared for|looked after|assessed|kept safe|included|"
    r"catered for|guided|taught|placed))",
    re.IGNORECASE,
)
_RECOMMENDATION = re.compile(
    r"^(?:finally,? |also,? )?(?:we|i|inspectors) (?:have |has )?(?:also )?(?:asked|recommended|want)\b|"
    r"\b(?:should|must|needs? to) (?:be )?(?:checked|improved|reviewed|strengthened|developed|raised|"
    r"extended|shared|monitored|evaluated)\b(?!.*\bthan\b)",
    re.IGNORECASE,
)
# every _RECOMMENDATION match opens the text or holds one of these (lower case)
_ASK_WORDS = ("should", "must", "need")


def _asks(text: str) -> bool:
    """``_RECOMMENDATION.search(text)``, skipped where it cannot match (an ASCII text that opens with
    no "we", "I", "inspectors", "finally" or "also" and holds none of :data:`_ASK_WORDS`)."""
    if text.isascii():
        low = text.lower()
        if not low.startswith(("we", "i", "finally", "also")) and not any(w in low for w in _ASK_WORDS):
            return False
    return bool(_RECOMMENDATION.search(text))


_PUPIL_LETTER = re.compile(r"^dear (?:pupils|students|children|learners|young people)\b", re.IGNORECASE)


PHASE_THEMES = frozenset({"early-years", "sixth-form"})
"""Themes named by a phase of education: a statement that names the phase ("in Reception") and a practice
of another theme ("phonics") takes the phase as its theme (the gold's convention) and that practice."""


@lru_cache(maxsize=64)
def _theme_labels(thesaurus: Thesaurus, key: str) -> frozenset[str]:
    """The labels (lower case) of the theme concept whose key is ``key``."""
    return frozenset(
        label.lower()
        for c in thesaurus.concepts.values()
        if c.kind == "theme" and c.theme_key == key
        for label in c.labels
    )


def _against(concept: Concept, polarity: str | None) -> bool:
    """Whether ``concept`` is a verdict of the other polarity than the statement's: a concept with
    opposites ("weak leadership and management") is never filed under a strength, nor its opposite
    under a weakness (the words that named it were about something else: "leaders tackle weak teaching")."""
    return bool(polarity and concept.opposites and concept.polarity and concept.polarity != polarity)


@lru_cache(maxsize=16384)
def _vote(thesaurus: Thesaurus, text: str, polarity: str | None = None) -> tuple[str | None, Concept | None]:
    """The theme with most label votes in ``text`` (ties to the more specific) and its first concept
    (never a verdict concept against the statement's ``polarity``, see :func:`_against`)."""
    votes: dict[str, float] = {}
    first: dict[str, Concept] = {}
    place: set[str] = set()  # phase themes whose first concept is named by the phase's own name
    found = list(thesaurus.matches(text))
    # Subject names of more than one theme ("standards in English, mathematics and science") say where
    # something is judged across subjects, not what: they weigh less than what is judged (standards,
    # progress). One subject alone ("attainment in writing") keeps its full vote.
    subject_themes = {c.theme_key for c, s, e in found if text[s:e].lower() in SUBJECT_NAMES}
    light = len(subject_themes) > 1
    for concept, s, e in found:
        key = concept.theme_key
        weight = SUBJECT_NAME_WEIGHT if light and text[s:e].lower() in SUBJECT_NAMES else 1
        votes[key] = votes.get(key, 0) + weight
        if concept.kind != "theme" and not _against(concept, polarity) and key not in first:
            first[key] = concept
            if key in PHASE_THEMES and text[s:e].lower() in _theme_labels(thesaurus, key):
                place.add(key)
    # the best-cued concept votes for its theme where no label names a concept; where one does, only a
    # cue of SPECIFIC_CUE_GROUPS groups or more (who, does what, to what: "leaders check the quality
    # of teaching") votes, being as specific as a label ("feedback", "results")
    # the statement's grammatical subject names its actor: "Governors check ..." is governance whatever
    # it checks, so a label of an actor theme in the subject votes again
    for concept, _s, _e in thesaurus.matches(statement_subject(text)):
        if concept.theme_key in ACTOR_THEMES:
            votes[concept.theme_key] = votes.get(concept.theme_key, 0) + 1
    named_practice = {k for k, c in first.items() if c.kind == "practice"}
    matched = {c: n for c, n in thesaurus.cue_matches(text).items() if not _against(c, polarity)}
    cued = list(matched)
    voters = cued if not first else [c for c in cued if matched[c] >= SPECIFIC_CUE_GROUPS]
    specific = set()
    for cue in voters[:1]:
        votes[cue.theme_key] = votes.get(cue.theme_key, 0) + CUE_WEIGHT
        first.setdefault(cue.theme_key, cue)
        if matched[cue] >= SPECIFIC_CUE_GROUPS:
            specific.add(cue.theme_key)
    if not votes:
        return None, None
    # on a tie, a theme a cue of who does what to what names beats one a single label names ("Leaders
    # check teaching and provide coaching" is about the checks, not the coaching), and a theme whose
    # practice a label names beats one named only by a theme label ("deployed")
    best = max(votes, key=lambda k: (votes[k], k in specific, k in named_practice, -_RANK.get(k, len(_RANK))))
    named = first.get(best)
    if best in place:
        # "Phonics is taught well in Reception": the phase is where (the theme), phonics teaching what
        named = next((c for k, c in first.items() if k != best and c.kind == "practice"), named)
    if named is None or named.kind == "outcome":
        # no label of the winning theme names a practice (an outcome at most): the order-free cues
        # may ("procedures for improving attendance" names the work, not the improvement)
        named = next((c for c in cued if c.theme_key == best), named)
    if named is None:
        # nor in the winning theme: the practice the cues name in another theme ("Teachers use this
        # information to adapt their lessons" is about teaching and names the use of assessment)
        named = next(iter(cued), None)
    return best, named


class FindingClassifier:
    """Classify a document's statements in reading order (it remembers the subject "they" refers to
    and whether a letter is addressed to pupils)."""

    def __init__(self, thesaurus: Thesaurus) -> None:
        self.thesaurus = thesaurus
        self._last_kind = "practice"
        self._to_pupils = False
        self._section_theme: dict[str, str] = {}
        self._clause: tuple[int, str, Concept] | None = None  # (sentence start, theme, practice) of the last part

    def see_line(self, text: str) -> None:
        """Note a line that is not a statement (a salutation tells who "you" is)."""
        if text.lower().startswith("dear "):
            self._to_pupils = bool(_PUPIL_LETTER.match(text.strip()))

    def classify(self, st: Statement) -> tuple[str, str, Concept | None]:
        """(kind, theme key, practice concept or None) of one statement.

        A recommendation names the practice the school is to adopt ("Embed high quality
        school-to-school partnership"): the verdict rule of :func:`_against` is not applied to it."""
        asks = st.role == "recommendations" or _asks(st.text)
        polarity = None if asks else st.polarity
        theme, concept = self.theme(st.text, st.sentence.section, polarity)
        before = self._clause
        if concept is None and st.start > st.sentence.start:
            # a contrast clause that names no practice is about the practice of the clause it was cut
            # from ("Leaders have tried to reduce absence, | but too many pupils are still absent"), else
            # the practice its whole sentence names ("Governors are supportive, | but they rarely question
            # leaders": who in the first clause, what in the second)
            if (
                before is not None
                and before[0] == st.sentence.start
                and not (polarity and _against(before[2], polarity))
            ):
                theme, concept = before[1], before[2]
            else:
                whole_theme, whole = _vote(self.thesaurus, st.sentence.text, polarity)
                if whole is not None and whole_theme is not None:
                    theme, concept = whole_theme, whole
        self._clause = (st.sentence.start, theme, concept) if concept is not None else None
        return self.kind(st, concept), theme, concept

    def theme(self, text: str, section: str = "", polarity: str | None = None) -> tuple[str, Concept | None]:
        """The theme key of ``text`` and the first concept of that theme it names (for a statement of
        ``polarity``, never a verdict concept of the other polarity)."""
        best, concept = _vote(self.thesaurus, text, polarity)
        if best is None:
            return self._theme_of_section(section), None
        return best, concept

    def _theme_of_section(self, section: str) -> str:
        if section not in self._section_theme:
            votes: dict[str, int] = {}
            for concept, _s, _e in self.thesaurus.matches(section):
                votes[concept.theme_key] = votes.get(concept.theme_key, 0) + 1
            best = max(votes, key=lambda k: (votes[k], -_RANK.get(k, len(_RANK)))) if votes else "unclassified"
            self._section_theme[section] = best
        return self._section_theme[section]

    def kind(self, st: Statement, concept: Concept | None = None) -> str:
        """'recommendation', 'outcome' or 'practice' for one statement."""
        if st.role == "recommendations" or _asks(st.text):
            return "recommendation"
        subject = statement_subject(st.text)
        low = subject.lower()
        if low in ("they", "these pupils", "this") or not subject:
            kind = self._last_kind
        elif _PROVISION.search(st.text) or low.startswith(("you", "your")) and not self._to_pupils:
            kind = "practice"
        else:
            outcome = _OUTCOME_SUBJECT.search(subject)
            practice = _PRACTICE_SUBJECT.search(subject)
            if outcome and practice:
                kind = "outcome" if outcome.start() < practice.start() else "practice"
            elif outcome:
                kind = "outcome"
            elif practice:
                kind = "practice"
            else:
                kind = "outcome" if concept is not None and concept.kind == "outcome" else "practice"
        self._last_kind = kind
        return kind
