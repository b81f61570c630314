"""Polarity of an evaluative clause from the language of inspection: strength, weakness or none.

A clause is read left to right as a run of *cues* (one regex, longest phrase first):

- ``Q`` quality words: "good", "effective", "rigorous" (+) or "weak", "inconsistent",
  "patchy", "not yet" (-). "too" before a quality or quantity word is a strong weakness.
- ``D`` direction and quantity: "improved", "above average", "high" (+) or "declined",
  "below average", "few", "rarely" (-). Its sign is multiplied by the sign of what it is
  about: a *problem* ("absence", "bullying", "disruption", "gaps", "exclusions") turns
  "reduced", "rare", "narrowing" into strengths and "high", "well above" into weaknesses.
- ``A`` action against a problem: "address", "tackle", "identify", "reduce" (+). What
  follows an action in its clause is its object, so "taken decisive steps to address low
  attendance" is a strength.
- ``N`` negators: "not", "no", "never", "lack of", "without", "fail to". A negator flips the
  next cue in its clause; a negator with nothing to flip is a weakness ("does not identify the
  barriers"); a negated problem is a strength ("no difference in progress", "without disruption").
- ``P`` problems (above): a problem named with nothing said of it is a weakness ("misconceptions
  go unchecked"); with a minimising word after it ("bullying is rare") a strength.

The clause's score is the sum of its cues; the sign gives the polarity, zero gives none (the
caller then uses the section's context). See docs/extraction.md "How polarity is decided".
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from schoolkg.extract.dispatch import Alternation, split_branches

__all__ = ["Cue", "clause_cues", "polarity", "score", "span_scores"]

_AUX = r"(?:(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|should|must) )?"
# (phrase regex, kind, weight). Kinds: Q quality, D direction or amount, F negative quantifier,
# A action, N verbal negator, ND determiner negator, P problem, G what a direction word may be
# about that is wanted (attendance, progress), T "too", H hedge ("only", "still", "remain"),
# X neutral (a phrase that must not be read as its words: "problem solving", "most able"), U a problem left
# unattended ("goes unnoticed": negated, a full strength, "no concern goes unnoticed"), V tolerance
# ("tolerate", "accept": of a problem a weakness, negated a strength), E "well enough" (under an earlier
# negator of its clause a weakness, whatever clause lies between).
_LEXICON: tuple[tuple[str, str, float], ...] = (
    # ---- phrases that are not what their words suggest
    (_AUX + r"not only", "X", 0),
    (
        r"no doubt|(?:solv\w+|solving) (?:\w+ )?problems?|problem[- ]solving|problems? (?:solving|involving)|"
        r"(?:harder|more difficult|more complex|challenging|tricky|demanding) problems",
        "X",
        0,
    ),
    (
        r"greater depth|good level of development|(?:the )?higher (?:levels?|grades?|standards?)|"
        r"(?:the )?highest grades?|"
        r"school improvement|improvement (?:plans?|planning|priorities|partner|adviser)|at risk|risk of harm|"
        r"(?:most|more|less|lower|higher)[- ](?:able|attaining)|average|those responsible for governance|well-being|"
        r"wellbeing|(?:markedly|significantly|considerably|substantially|sharply|steadily)|low[- ]stakes|"
        r"who (?:fall|fell|have fallen|are falling) behind|who (?:find|found) \w+ (?:difficult|hard)|"
        r"who (?:struggle|need (?:a little |a bit of |some )?(?:extra|additional|more) (?:help|support))|"
        r"who are (?:at risk|vulnerable|behind|"
        r"absent)|"
        r"who (?:have|had) not (?:gained|achieved|passed|reached)|if (?:they|pupils|children|students|a pupil|staff) "
        r"(?:are|is|have|has|feel|need) (?:\w+ )?(?:worried|concerns?|a concern|problems?|upset|unhappy|"
        r"difficulties|help)",
        "X",
        0,
    ),
    # ---- wholes: what no pupil suffers, what nothing is left to
    (
        r"(?:nothing (?:is|was) left to chance|leaves? nothing to chance|no stone (?:is )?(?:left )?unturned|"
        r"no (?:pupil|child|one|student|learner)s? (?:is|are|gets?) (?:left behind|overlooked|forgotten|missed|"
        r"left out)|(?:accept|accepts|accepted|accepting) (?:\w+ )?responsibilit\w+)",
        "Q",
        2,
    ),
    (r"without (?:delay|hesitation|fuss|exception|fail)", "Q", 1),
    # not moving on until pupils are ready: "Teachers do not move on until they are sure pupils understand"
    (_AUX + r"(?:not|never) (?:\w+ ){0,2}move (?:\w+ )?on (?:\w+ ){0,3}?(?:until|before|unless)", "Q", 1.5),
    (r"no longer", "ND", -1),
    (r"unless", "ND", 0),
    # ---- tolerance: "tolerate disruption" a weakness, "do not tolerate disruption" a strength
    (
        r"tolerat\w*|condon\w*|accept(?:s|ed|ing)?|put(?:s|ting)? up with|turn(?:s|ed|ing)? a blind eye(?: to)?|"
        r"let (?:\w+ ){0,2}(?:slide|slip)|settle(?:s|d)? for",
        "V",
        -1.5,
    ),
    (
        r"afraid to|shy(?:ing)? away from|shies away from|back(?:s|ed|ing)? away from|hesitat\w* to|"
        r"give(?:s|n)? up(?: on)?|gave up(?: on)?|lose(?:s)? sight of|lost sight of|rest(?:s|ing)? on (?:their|its|"
        r"her|his) laurels|leave(?:s)? (?:\w+ ){0,2}to chance|left to chance",
        "Q",
        -1.5,
    ),
    (r"not (?:many|much|a lot of|often)", "F", -1),
    (
        r"(?:well|closely|carefully|quickly|sharply|often|precisely|consistently|rigorously|thoroughly|effectively|"
        r"clearly|robustly|rapidly|swiftly|systematically|frequently|securely|accurately|fully|regularly) enough",
        "E",
        1,
    ),
    (r"(?:only )?(?:partly|partially|partial)", "F", -1),
    (r"miss(?:es|ed|ing)? (?:school|lessons|learning|out)", "Q", -1.5),
    # the burdens on staff: a direction word about them reads as about a problem ("reduced workload")
    (
        r"unnecessary (?:\w+ ){0,2}(?:workload|tasks?|burdens?|paperwork)|excessive (?:workload|demands|paperwork)|"
        r"workloads?|burdens?|paperwork|stress|pressures?",
        "P",
        0,
    ),
    (r"in line with|broadly (?:average|in line)|close to (?:the )?(?:national )?average", "Q", 0.25),
    (
        r"(?:judged|graded|rated) (?:as )?(?:being )?(?:good|outstanding|inadequate|effective)(?: or (?:better|"
        r"outstanding))?",
        "X",
        0,
    ),
    (r"satisfactor(?:y|ily)", "Q", -0.75),
    (
        r"(?:most|many|some|all|few|none) of whom (?:have|are|had|were|need) [^,.;]*|"
        r"(?:referred|identified) (?:by [\w ]{1,30}? )?(?:because of|for) [^,.;]*",
        "X",
        0,
    ),
    (r"(?:high|top|clear|real) priority|(?:a|the) priority", "Q", 1),
    (
        r"innovative(?:ly)?|imaginative(?:ly)?|creative(?:ly)?|dynamic|pioneering|motivat\w+|useful|best|"
        r"sound(?:ly)?|prudent(?:ly)?|honest|perceptive|astute|incisive|transform\w*|overhaul\w*|revamp\w*",
        "Q",
        1,
    ),
    (r"collaborat\w+|consult\w*|widely", "Q", 0.5),
    (r"in isolation|overlap(?:s|ped|ping)?|under-represented|underrepresented|rather than", "Q", -1),
    (
        r"var(?:y|ies|ied) (?:greatly|considerably|widely|too much|a lot|between|from|in quality|across|within|among|"
        r"significantly|markedly)|variations? (?:in|between)|var(?:y|ies)",
        "Q",
        -1.5,
    ),
    (r"special measures|serious weaknesses|notice to improve|category of concern", "P", -1),
    (r"helps? (?:pupils|children|students|them|learners)|helped (?:pupils|children|students|them)", "Q", 1),
    (r"still (?:developing|learning|building|establishing|being (?:developed|established)|new|at)", "Q", -1.5),
    # a part of a group that still does something: what persists ("some pupils still have gaps")
    (r"(?:some|many|a few|several|a minority of|a number of|too many) (?:[\w'’-]+ ){0,2}still", "Q", -1),
    (r"(?:have |has )?waited (?:\w+ ){0,2}(?:months|weeks|years|too long)|delays? in|delayed", "Q", -1.5),
    (r"(?:work|works|worked|working|try|tries|trying|tried) (?:very |extremely |really )?hard", "Q", 1),
    (r"(?:think|thinks|thinking) (?:very |really )?(?:hard|deeply)", "Q", 1),
    (r"(?:find|finds|found) (?:it )?(?:hard|difficult)", "Q", -1.5),
    (r"(?:hard|difficult) to", "Q", -1),
    (r"make (?:a|the) (?:real |positive |significant |big )?difference", "Q", 1),
    (r"no (?:significant |discernible )?differences? (?:in|between)", "Q", 1),
    (r"fit for purpose", "Q", 1),
    (_AUX + r"(?:not|no) (?:yet |longer )?(?:as|so) (?:good|strong|effective|well|high)", "Q", -1.5),
    (r"no better than", "Q", -1.5),
    (_AUX + r"not yet", "N", -2),
    (r"(?:is|are|was|were|has|have|had) yet to", "N", -2),
    (r"too (?:early|soon) to", "Q", -2),
    (r"(?:(?:only|very) )+recently(?: (?:begun|started|been))?", "Q", -1.5),
    (r"(?:at|in) (?:an|the|a very) (?:early|earlier|initial) stages?", "Q", -1.5),
    (r"(?:early|earlier) stages? of development", "Q", -1.5),
    (r"new to (?:their|the|his|her|its) (?:roles?|posts?|positions?|responsibilit\w+)", "Q", -1),
    (r"(?:beginning|starting|begun|started|begin|begins|start|starts) to", "Q", 0.75),
    (r"(?:little|limited|no|minimal|insufficient) (?:impact|effect|difference|influence)", "Q", -2),
    (r"strengths", "Q", 1.5),
    (r"strength", "Q", 2),
    (r"weakness", "Q", -1.5),
    (r"areas? for (?:improvement|development)", "Q", -1),
    (
        r"requir(?:e|es|ing) improvement|needs? improv\w+|need(?:s|ed)? to (?:be )?(?:improved|strengthened|developed|"
        r"improve|check|develop|strengthen|ensure|make|raise|do|increase|address|tackle|focus|sharpen|extend|"
        r"refine|get better|catch up|review|monitor|evaluate|reduce|lower|cut|simplify|lighten)",
        "Q",
        -1.5,
    ),
    (r"could (?:\w+ ){0,2}(?:better|more|further|higher|faster)", "Q", -1.5),
    (
        r"(?:the )?same (?:work|tasks?|activit\w+|level|worksheets?|resources?) (?:for|as)|"
        r"(?:is|are) (?:often |usually )?the same for",
        "Q",
        -1.5,
    ),
    (r"value for money", "Q", 0.5),
    (r"capacity (?:to|for) (?:improve|sustained improvement|further improvement|make)", "Q", 1),
    (r"high(?:er)? expectations?", "Q", 1.5),
    (r"low(?:er)? expectations?", "Q", -1.5),
    (r"(?:expectations?|ambitions?) (?:are|is|were|was|remain) (?:too )?low", "Q", -1.5),
    (r"(?:high|good|excellent|better|best) (?:quality|standard)", "Q", 1.5),
    (r"(?:poor|low|variable|weak) quality", "Q", -1.5),
    (r"(?:poor|low|irregular|weak) (?:attendance|punctuality)", "P", -1),
    (
        r"remain(?:s|ed)? (?:wide|large|significant|stubbornly|below|weak|poor|low|inconsistent|variable|"
        r"a concern|an issue|too|uneven|fragile|limited|slow|behind|high)",
        "Q",
        -1.5,
    ),
    (r"hold(?:s|ing)? (?:\w+ ){0,4}to account|held (?:\w+ ){0,4}to account", "Q", 1),
    (r"(?:take|takes|taking|took|taken) (?:on )?(?:\w+ )?responsibilit\w+", "Q", 1),
    (r"(?:take|takes|taking|took|taken) (?:\w+ ){0,3}seriously", "Q", 1),
    (r"low[- ]level disruption|(?:achievement|attainment|progress|disadvantage) gaps?", "P", -1),
    (r"persistent(?:ly)? absen\w+", "P", -1),
    (r"lose (?:concentration|interest|focus)", "Q", -1.5),
    (r"(?:held|hold|holds|holding) (?:\w+ )?back", "Q", -1),
    (r"(?:little|no|limited) (?:idea|grasp|awareness|sense) (?:of )?(?:how|what|whether|where|which|who)", "Q", -1.5),
    (
        r"(?:go|goes|went|gone|going|are left|is left|are allowed to go|is allowed to go) (?:unchecked|unchallenged|"
        r"unnoticed|unaddressed|unresolved|unreported|unanswered|uncorrected|unseen|unrecorded|unheard)",
        "U",
        -1.5,
    ),
    (r"mark(?:s|ing)? time|off[- ]task|coast(?:s|ing)?", "Q", -1.5),
    (r"fall(?:s|ing)? behind|fallen behind", "Q", -1),
    (r"catch(?:es|ing)? up", "Q", 0.5),
    (r"keep (?:up|pace)", "Q", 0.5),
    (
        r"(?:well |significantly |substantially |far )?above (?:the )?(?:national )?(?:average|figures?|expectations?|"
        r"those)",
        "D",
        1,
    ),
    (
        r"(?:well |significantly |substantially |far )?below (?:the )?(?:national )?(?:average|figures?|expectations?|"
        r"those|that|what)",
        "D",
        -1,
    ),
    (r"(?:the )?lowest", "D", -1),
    (r"(?:the )?highest", "D", 1),
    (r"many|more|most|often|sometimes|occasional(?:ly)?|some", "X", 0),
    # ---- too: a strong weakness when it qualifies an amount or a quality
    (
        r"too (?!(?:and|or|but|as|is|are|was|were)\b)[a-z]\w+",
        "T",
        -3,
    ),
    # ---- negators
    (r"(?:do|does|did|is|are|was|were|has|have|had|can|could|will|would|should|must)(?: not|n['’]t)", "N", -1),
    (r"not|never|nor|neither|cannot", "N", -1),
    (r"no|none|without|free (?:from|of)|nothing", "ND", -1),
    (
        r"(?:a )?lack(?:s|ed|ing)?(?: of)?|fail(?:s|ed|ing)? to|failure to|unable to|unwilling to|neglect(?:s|ed)?",
        "N",
        -1,
    ),
    # ---- negative quantifiers
    (
        r"few|fewer|little|less|rare(?:ly)?|seldom|hardly|barely|scarcely|infrequent(?:ly)?|uncommon|"
        r"(?:too )?slow(?:er)? to",
        "F",
        -1,
    ),
    # ---- actions against problems (what follows is their object)
    (r"def(?:y|ies|ied|ying)|buck(?:s|ed|ing)? the trend|against the odds", "A", 1.5),
    (r"(?:address|tackl|eradicat|eliminat|resolv|combat|overcom|counter|confront|minimis|remed|rectif)\w*", "A", 1.5),
    (
        r"deal(?:s|t|ing)? (?:with|effectively|swiftly|quickly|firmly)|sort(?:s|ed|ing)? (?:it |them |this |"
        r"these )?out",
        "A",
        1.5,
    ),
    (r"(?:tak|took)\w* (?:\w+ ){0,2}(?:action|steps|measures)", "A", 1.5),
    (
        r"(?:act|acted|acting|respond|responded|responding) (?:quickly|swiftly|decisively|promptly|firmly|"
        r"effectively|well|robustly|rapidly)",
        "A",
        1.5,
    ),
    (
        r"(?:identif(?:y|ies|ied|ying)|recognis(?:e|es|ed|ing)|pinpoint\w*|diagnos(?:e|es|ed|ing)|notic(?:e|es|ed|ing) "
        r"(?:when|if|whether|that|quickly|straight away|at once))",
        "A",
        1,
    ),
    (r"remov(?:e|ed|es|ing) from|(?:came|come|coming) out of", "A", 1.5),
    (r"(?:clos|narrow)(?:e|es|ed|ing)? (?:the |these |this )?gaps?", "A", 1.5),
    (r"follow(?:s|ed|ing)? up", "A", 1),
    (r"challeng(?:e|es|ed|ing) (?:leaders|the headteacher|senior leaders|teachers|staff|them|the school)", "A", 1),
    # ---- problems
    (
        r"bully\w*|racis\w*|discriminat\w*|prejudic\w*|harass\w*|homophob\w*|sexis\w*|truan\w*|"
        r"absen(?:ce|ces|t|teeism)|exclu(?:sions?|ded|de)|suspen\w+|disrupt\w*|misbehav\w*|misconceptions?|"
        r"gaps?|weaknesses|underachiev\w*|under-achiev\w*|inconsistenc\w*|lateness|incidents?|turnover|"
        r"unsafe|harm|risks?|errors?|mistakes?|poor (?:behaviour|conduct)|challenging behaviour|decline|"
        r"difficulties|barriers?|problems?|concerns?|issues?|shortcomings?|deficiencies",
        "P",
        -1,
    ),
    # ---- what a direction word may be about that is wanted
    (
        r"attendance|progress|attainment|standards?|outcomes?|achievement|results?|skills?|knowledge|"
        r"understanding|performance|punctuality|participation|opportunit(?:y|ies)|proportion|quality|learning",
        "G",
        0,
    ),
    # ---- direction and amount
    (
        r"improv(?:e|es|ed|ing|ement|ements)|ris(?:e|es|en|ing)|rose|increas\w*|higher|rais(?:ed|ing)|"
        r"accelerat\w*|quicken\w*|faster|rapid(?:ly)?|grow(?:s|n|ing)?|grew|strengthen\w*|better|"
        r"widen\w*|frequent(?:ly)?|high|extensive(?:ly)?|wider|greater",
        "D",
        1,
    ),
    (
        r"declin\w*|fall(?:s|ing|en)?|fell|decreas\w*|reduc\w*|drop(?:s|ped|ping)?|lower|slower|"
        r"slow(?:ly|s|ed|ing)?|worse(?:ned|ning)?|worsen\w*|narrow(?:s|ed|ing|er|ly)?|low|minimal|"
        r"dipped|dip|stalled|behind",
        "D",
        -1,
    ),
    # ---- hedges that lower praise
    (r"only|still|remain(?:s|ed|ing)?|persist\w*", "H", 0),
    # ---- quality (+)
    (
        r"outstanding|exemplary|excellent|exceptional(?:ly)?|superb|first[- ]class|highly effective|"
        r"impressive(?:ly)?|remarkabl[ey]|inspirational|inspiring|thriv\w*|flourish\w*|meticulous(?:ly)?",
        "Q",
        2,
    ),
    (
        r"good|well|strong(?:ly|er|est)?|effective(?:ly|ness)?|efficient(?:ly)?|rigorous(?:ly)?|robust(?:ly)?|"
        r"accurate(?:ly)?|precise(?:ly)?|secure(?:ly)?|confident(?:ly)?|confidence|positive(?:ly)?|"
        r"clear(?:ly|er|est)?|clarity|thorough(?:ly)?|detailed|comprehensive(?:ly)?|ambitio\w+|broad|rich|"
        r"wide (?:range|variety)|appropriate(?:ly)?|success\w*|skil(?:l|ful|fully|led|fully)|expert\w*|"
        r"careful(?:ly)?|consistent(?:ly)?|prompt(?:ly)?|swift(?:ly)?|quick(?:ly)?|tenacious(?:ly)?|"
        r"enthusias\w+|enjoy\w*|proud|pride|happy|happily|safe(?:ly)?|polite(?:ly)?|respect\w*|courteous|"
        r"attentive(?:ly)?|keen(?:ly)?|eager(?:ly)?|valu(?:e|es|ed|able)|appreciat\w+|welcom\w+|helpful|"
        r"supportive|caring|calm(?:ly)?|purposeful(?:ly)?|orderly|engag\w+|stimulating|interesting|"
        r"exciting|lively|well[- ]\w+|inclusive|vigilan\w+|committed|commitment|dedicated|determined|"
        r"determination|decisive(?:ly)?|rightly|right|sharp(?:er)?|seamless(?:ly)?|highly|closely|"
        r"cohesive|harmonious|friendly|kind|independen\w+|resilien\w+|mature(?:ly)?|sensibl[ey]|"
        r"diligent(?:ly)?|love|loves|warm(?:th|ly)?|nurtur\w+|encourag\w+|celebrat\w+|sustain\w*|"
        r"urgency|energ\w+|relentless(?:ly)?|passion\w*|insightful|knowledgeable|articulate(?:ly)?|"
        r"focused|tailored|targeted|fully|benefit\w*|seriously|"
        r"embedded|established|secured|ensur\w+|prioriti(?:se|sed|ses|sing|zed)|introduc\w+|redesign\w*|develop(?:ed|"
        r"s)|"
        r"empower\w*|fairly|fair|considerate|sensitive(?:ly)?|sensitivity|ably|accessible|mindful|manageable|"
        r"challenged|stretch(?:es|ed|ing)?|challeng(?:e|es) (?:pupils|them|the most|all|children|students|learners|"
        r"their thinking)|challenging (?:work|tasks?|activities|questions|texts?|targets|books)",
        "Q",
        1,
    ),
    (
        r"support(?:s|ed|ive)?|maintain(?:s|ed)?|enough|sufficient(?:ly)?|regular(?:ly)?|routine(?:ly)?|"
        r"systematic(?:ally)?",
        "Q",
        0.5,
    ),
    # ---- quality (-)
    (
        r"inadequate(?:ly)?|unsatisfactory|poor(?:ly|er|est)?|weak(?:ly|er|est|ens|ened)?|ineffective(?:ly)?|"
        r"failing|fragile|unacceptabl[ey]|serious|urgent(?:ly)?",
        "Q",
        -1.5,
    ),
    (
        r"inconsistent(?:ly)?|variab(?:le|ly|ility)|uneven(?:ly)?|patchy|limited|insufficient(?:ly)?|"
        r"superficial(?:ly)?|generous(?:ly)?|over-generous|overgenerous|unclear|unsure|uncertain|confus\w+|"
        r"careless(?:ly)?|struggl\w+|hamper\w*|hinder\w*|undermin\w+|imped\w+|restrict\w*|haphazard|"
        r"piecemeal|unsystematic|ad hoc|mixed|inaccurate(?:ly)?|unreliable|incomplete|untidy|shallow|"
        r"disorganised|chaotic|reluctant(?:ly)?|passive(?:ly)?|distract\w+|chat|chatter|fidget\w*|"
        r"interrupt\w*|wasted|waste|unaware|uninformed|complacen\w+|out of date|overly|slack|lax|"
        r"inappropriate(?:ly)?|unhappy|unkind|rude|disrespectful|boring|dull|unreasonabl[ey]|unmanageabl[ey]|"
        r"over-?stretched|overloaded|overburdened|overwhelmed|overwhelms|exhausted|"
        r"underdeveloped|under-developed|overlook\w*|ignor\w+|misunderst\w+|worr\w+|"
        r"difficult|hard|unaccept\w+|erratic",
        "Q",
        -1.5,
    ),
)

# Each phrase list split into its alternatives (in order, so the same phrase wins at a position): the
# alternation is then tried, at each word, only with the phrases that can start with its letter.
_PHRASES = [(branch, kind, weight) for p, kind, weight in _LEXICON for branch in split_branches(p)]
_CUE = Alternation([p for p, _k, _w in _PHRASES], re.IGNORECASE, prefix=r"\b", suffix=r"\b")
_KINDS = [(k, w) for _p, k, w in _PHRASES]
_KIND_OF_GROUP = {name: _KINDS[i] for name, i in _CUE.branch_of_group().items()}  # a match's lastgroup -> kind
# What ends the scope of a negator, an action or a hedge inside a clause.
_SCOPE_BREAK = re.compile(
    r"[,;:()]|\b(?:but|because|so that|so|which|who|while|whereas|although|though|as a result|and they|and this|"
    r"and staff|and pupils|and leaders|and teachers)\b",
    re.IGNORECASE,
)


class Cue(NamedTuple):
    """One cue of a clause: its kind (Q D A N P T H X), weight and offsets (a named tuple: a clause
    has dozens, and a frozen dataclass costs several times as much to make)."""

    kind: str
    weight: float
    start: int
    end: int
    text: str


def clause_cues(text: str) -> list[Cue]:
    """The cues of ``text`` in reading order (longest phrase first at each position).

    >>> [(c.kind, c.text) for c in clause_cues("Teaching is not yet good.")]
    [('N', 'is not yet'), ('Q', 'good')]
    """
    kind_of = _KIND_OF_GROUP
    return [Cue(*kind_of[m.lastgroup], m.start(), m.end(), m.group(0)) for m in _CUE.finditer(text)]  # type: ignore[index]


def _broken(text: str, a: int, b: int) -> bool:
    """Whether a scope break stands in text[a:b]."""
    return bool(_SCOPE_BREAK.search(text, a, b))


def _near(text: str, a: Cue, b: Cue) -> bool:
    """Whether two cues are close in one scope (a direction word and the problem it is about)."""
    first, second = (a, b) if a.start <= b.start else (b, a)
    return second.start - first.end < 45 and not _broken(text, first.end, second.start)


_CONTRAST = re.compile(
    r"(?:,\s*|\s+)(?:but|however)\b|,\s*yet\b|;\s*(?:however|by contrast|in contrast)\b", re.IGNORECASE
)


@lru_cache(maxsize=8192)
def score(text: str) -> float:
    """The evaluative score of a clause: > 0 strength, < 0 weakness, 0 no evidence.

    What follows "but" or "however" outweighs what goes before it.

    >>> score("Pupils behave well.") > 0, score("Teaching is inconsistent.") < 0
    (True, True)
    >>> score("Leaders have taken decisive steps to address low attendance.") > 0
    True
    >>> score("Lessons are rarely disrupted.") > 0, score("Pupils rarely apply their knowledge.") < 0
    (True, True)
    >>> score("Too many pupils are persistently absent.") < 0, score("Bullying is rare.") > 0
    (True, True)
    >>> score("The plan does not identify the barriers pupils face.") < 0
    True
    >>> score("There is no difference in the progress of boys and girls.") > 0
    True
    >>> score("Subject leaders are enthusiastic but have had little opportunity to observe lessons.") < 0
    True
    """
    return _score_span(text, clause_cues(text), 0, len(text))


def span_scores(text: str, spans: list[tuple[int, int]]) -> list[float]:
    """:func:`score` of each ``text[a:b]`` for (a, b) in ``spans``, reading the cues of ``text`` once.

    >>> t = "Teaching is strong, but marking is weak."
    >>> [s > 0 for s in span_scores(t, [(0, 19), (20, len(t))])]
    [True, False]
    """
    cues = clause_cues(text)
    return [_score_span(text, cues, a, b) for a, b in spans]


def _score_span(text: str, cues: list[Cue], a: int, b: int) -> float:
    inside = [c for c in cues if a <= c.start and c.end <= b]
    cuts = [m.start() for m in _CONTRAST.finditer(text, a, b) if m.start() > a]
    if not cuts:
        return _score_part(text, inside, a)
    bounds = [a, *cuts, b]
    parts = [
        _score_part(text, [c for c in inside if x <= c.start < y], x) for x, y in zip(bounds, bounds[1:], strict=False)
    ]
    return sum(p * 0.5 for p in parts[:-1]) + parts[-1]


def _target_sign(text: str, cues: list[Cue], i: int) -> int:
    """-1 when the direction word ``cues[i]`` is about a problem ("absence has fallen"), else 1.

    The subject before it wins ("attendance is below average and absence is high"), else the
    noun after it ("low attendance", "reduced exclusions").
    """
    c = cues[i]
    if i + 1 < len(cues):
        nxt = cues[i + 1]
        gap = text[c.end : nxt.start].split()
        if nxt.kind in ("P", "G") and len(gap) <= 1 and not set(gap) & {"and", "or", ","}:
            return -1 if nxt.kind == "P" else 1  # "slows learning", "reduced exclusions", "low attendance"
    before = ""
    for j in range(i - 1, max(i - 6, -1), -1):
        d = cues[j]
        if _broken(text.replace(",", " "), d.end, c.start) or c.start - d.end > 70:
            break
        if d.kind == "P":
            return -1  # a problem before it wins over a wanted thing ("gaps in knowledge widen")
        if d.kind == "G":
            before = "G"
    if before:
        return 1
    for j in range(i + 1, min(i + 4, len(cues))):
        d = cues[j]
        if _broken(text, c.end, d.start) or d.start - c.end > 30:
            break
        if d.kind in ("P", "G"):
            return -1 if d.kind == "P" else 1
    return 1


# What a negator may stand before when its clause's subject is a problem: the problem does not
# happen ("Bullying does not happen", "Disruption is not something pupils experience").
_NOT_OCCURRING = re.compile(
    r"\s+(?:(?:always|often|usually|very|really|generally|particularly|seem to|appear to|ever)\s+)?(?:happen\w*|"
    r"occur\w*|aris\w*|exist\w*|common(?:place)?|widespread|prevalent|evident|apparent|seen|experienced|"
    r"something|an? (?:feature|concern|worry|problem|issue|cause for concern))\b",
    re.IGNORECASE,
)
# The words that may stand between a verbal negator and the problem it denies ("is not a problem",
# "do not have gaps", "do not disrupt"); any other word makes the problem the object of something else.
_DENIAL_GAP = frozenset(
    {"a", "an", "any", "the", "much", "many", "serious", "significant", "major", "real", "cause", "experience",
     "experiences", "face", "have", "has", "suffer", "see", "show", "pose", "present", "often", "always", "usually",
     "ever", "really", "generally", "normally"}
)  # fmt: skip


def _tolerated(text: str, cues: list[Cue], i: int) -> set[int]:
    """The cues a tolerance verb ``cues[i]`` is about: the problems and negative words after it in its
    scope ("tolerate low-level disruption"), else a problem before it ("poor behaviour is not tolerated")."""
    c = cues[i]
    after = set()
    for j in range(i + 1, len(cues)):
        d = cues[j]
        if _broken(text, c.end, d.start) or d.start - c.end > 60:
            break
        if d.kind in ("P", "T") or (d.kind in ("Q", "D") and d.weight < 0):
            after.add(j)
    if after:
        return after
    for j in range(i - 1, -1, -1):
        d = cues[j]
        if _broken(text, d.end, c.start) or c.start - d.end > 60:
            break
        if d.kind == "P":
            return {j}
    return set()


_AND = re.compile(r"\band\b", re.IGNORECASE)
# A clause on a problem's former state ("absence, which was high, has fallen", "exclusions, once a
# concern, ..."): beside a fall in that problem it says what was remedied, not what is wrong now.
_FORMER = re.compile(
    r",\s*(?:(?:which|that|who)\s+(?:was|were|had been|has been|have been|used to be)|once|previously|formerly|"
    r"historically|until recently)\b[^,;]*|"
    r"^\W*(?:since|following|after|in response to|in the wake of|because of|given|when|as a result of|"
    r"to (?:tackle|address|deal with|reduce|improve|counter))\b[^,;]*(?=,)",
    re.IGNORECASE,
)


def _without_former_state(text: str, cues: list[Cue], start: int) -> tuple[str, list[Cue]]:
    """``text`` and ``cues`` without the former-state clauses of a part in which a problem falls
    ("absence, which was high, has fallen"): the clause says what was remedied, not what is wrong."""
    if "," not in text[start:]:
        return text, cues
    spans = [m.span() for m in _FORMER.finditer(text[start:])]
    spans = [(a + start, b + start) for a, b in spans]
    if not spans:
        return text, cues
    blank = text
    for a, b in spans:
        blank = blank[:a] + " " * (b - a) + blank[b:]
    kept = [c for c in cues if not any(a <= c.start and c.end <= b for a, b in spans)]
    falls = any(c.kind == "D" and c.weight < 0 and _target_sign(blank, kept, i) < 0 for i, c in enumerate(kept))
    return (blank, kept) if falls else (text, cues)


_LEAD_WORDS = re.compile(r"^[\W]*(?:(?:however|but|and|yet|very|only|so|too)[\s,]+)*", re.IGNORECASE)


def _score_part(text: str, cues: list[Cue], start: int = 0) -> float:
    """The score of the clause of ``text`` from ``start`` whose cues are ``cues``."""
    total = 0.0
    neg: Cue | None = None  # the negator whose scope is open
    flipped = False  # whether that negator has flipped anything yet
    action: Cue | None = None  # an action whose object runs to the end of its scope
    hedge: Cue | None = None
    text, cues = _without_former_state(text, cues, start)
    evaluative = any(c.kind in "QDTNAFVEU" for c in cues)
    skip: set[int] = set()
    negated_before = False  # whether a verbal negator stood earlier in the clause, in any scope
    for i, c in enumerate(cues):
        if neg is not None and _broken(text, neg.end, c.start):
            if not flipped:
                total += _unflipped(text, cues, neg)  # nothing to flip: "do not identify the barriers"
            neg = None
        if action is not None and _broken(text, action.end, c.start):
            action = None
        if hedge is not None and _broken(text, hedge.end, c.start):
            hedge = None
        if i in skip or c.kind in ("X", "G"):
            continue
        if c.kind in ("N", "ND"):
            negated_before = negated_before or c.kind == "N"
            if neg is None:
                neg, flipped = c, False
            elif not flipped and c.text.lower() in ("without", "unless"):
                # two negators cancel: "never move on without checking", "not ... unless it is right"
                total += 1
                neg, flipped = None, False
            continue
        if c.kind == "V":
            about = _tolerated(text, cues, i)
            if neg is not None:
                total -= c.weight  # "staff do not tolerate disruption", "poor behaviour is never accepted"
                flipped = True
            elif about:
                total += c.weight  # "staff tolerate low-level disruption"
            skip |= about
            continue
        if c.kind == "U":
            if neg is not None:
                # "no concern goes unnoticed", "misconceptions never go unchecked": a double negative, and
                # the problem it is about (its subject) is attended to, so it does not count against
                total -= c.weight + sum(
                    d.weight
                    for d in cues[:i]
                    if d.kind == "Q" and d.weight < 0 and d.start < neg.start and not _broken(text, d.end, neg.start)
                )
                flipped = True
            else:
                total += c.weight
            continue
        if c.kind == "E" and neg is None and negated_before:
            total -= 1.5  # "do not track the progress of pupils who ... well enough"
            continue
        if c.kind == "H":
            hedge = c
            continue
        if c.kind == "F" and not _LEAD_WORDS.sub("", text[start : c.start]).strip():
            if neg is None:
                neg, flipped = Cue("ND", -1.5, c.start, c.end, c.text), False  # "Few schools evaluated ..."
            continue
        if c.kind == "F":
            # a negative quantifier: flips the positive cue right after it ("less effective",
            # "slow to recognise", "rarely helps"), minimises a problem ("few exclusions"), else
            # says there is too little of something ("few opportunities").
            nxt = cues[i + 1] if i + 1 < len(cues) else None
            if nxt is not None and len(text[c.end : nxt.start].split()) <= 1 and not _broken(text, c.end, nxt.start):
                if nxt.kind in ("Q", "A", "D") and nxt.weight > 0:
                    total -= nxt.weight if neg is None else -0.5
                    skip.add(i + 1)
                    if neg is None:  # "less well developed": the words after it are under it too
                        neg = Cue("N", -1, c.start, c.end, c.text)
                    flipped = True
                    continue
                if nxt.kind == "P":
                    total += 1
                    skip.add(i + 1)
                    continue
                if nxt.kind == "U":
                    total -= nxt.weight  # "misconceptions rarely go unchecked"
                    skip.add(i + 1)
                    continue
            w = c.weight * _target_sign(text, cues, i)
            if action is not None and w < 0:
                continue
            total += -w if neg is not None else w
            flipped = flipped or neg is not None
            continue
        if c.kind == "A":
            if text[max(c.start - 4, 0) : c.start].lower() == "for ":
                c = Cue("A", 0.3, c.start, c.end, c.text)  # a system for an action, not the action
            if neg is not None:
                total -= c.weight
                flipped = True
            else:
                total += c.weight
                action = c
            continue
        if action is not None and (c.weight < 0 or c.kind == "P"):
            continue  # the object of an action against a weakness
        if c.kind == "T":
            total += c.weight
            continue
        if c.kind == "P":
            if neg is not None and (
                neg.kind == "ND"
                or (
                    neg.kind == "N"
                    and not flipped
                    and set(text[neg.end : c.start].lower().split()) <= _DENIAL_GAP
                    and len(text[neg.end : c.start].split()) <= 3
                )
            ):
                total += 1  # "no bullying", "without disruption", "is not a problem", "do not disrupt"
                flipped = True
            elif not evaluative:
                total += c.weight  # a problem named, nothing said of it: "gaps remain"
            continue
        weight = c.weight
        if c.kind == "D":
            if text[max(c.start - 3, 0) : c.start].lower() == "to ":
                weight *= 0.3  # a purpose, not a change: "work to improve attendance"
                if hedge is not None and hedge.text.lower().startswith(("still", "remain")):
                    weight = 0.0  # still only an aim: "leaders are still trying to reduce it"
            weight *= _target_sign(text, cues, i)
            if weight > 0 and hedge is not None and hedge.text.lower().startswith(("remain", "still")):
                weight = 0.5  # "remains above average": a level, not a change
        elif c.kind == "Q" and weight > 0 and hedge is not None and hedge.text.lower() == "only":
            weight = -1  # "only satisfactorily"
            hedge = None
        if neg is not None and flipped and weight < 0 and _AND.search(text, neg.end, c.start):
            neg = None  # a second verb after "and" is not under the negator: "lack confidence and give up"
        if neg is not None:
            weight = -weight if weight > 0 else 0.5
            flipped = True
        total += weight
    if neg is not None and not flipped:
        total += _unflipped(text, cues, neg)
    return total


def _unflipped(text: str, cues: list[Cue], neg: Cue) -> float:
    """What a negator that flipped nothing says: a weakness ("does not identify the barriers"), unless
    its clause's subject is a problem that it says does not happen ("bullying does not happen")."""
    if neg.kind == "N" and _NOT_OCCURRING.match(text, neg.end):
        for d in reversed([d for d in cues if d.end <= neg.start]):
            if _broken(text, d.end, neg.start) or neg.start - d.end > 60:
                break
            if d.kind == "P":
                return 1.0
    return neg.weight


def polarity(text: str) -> str | None:
    """'strength', 'weakness' or None (no evidence either way) for one clause.

    >>> polarity("Attendance has improved."), polarity("Gaps remain in Years 5 and 6."), polarity("It is a school.")
    ('strength', 'weakness', None)
    """
    s = score(text)
    return "strength" if s > 0 else "weakness" if s < 0 else None
