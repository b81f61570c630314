"""How a synthetic inspection report says that a school does (or does not do) a practice well.

Each practice of the planted-truth reports (:mod:`schoolkg.synth.reports`) has its own bank of
statements, written for the generator in inspectors' register but **never using a thesaurus
prefLabel or altLabel verbatim** (a test checks every sentence against ``ontology/practices.ttl``):
the point is to measure whether extraction recognises a practice from how reports say it, not
from the label. Every statement carries the polarity a careful reader gives it and its ``form``:

- ``plain``: a direct evaluative statement ("Leaders check the quality of lessons closely.");
- ``negated``: polarity carried through a negation, either way ("Staff do not tolerate
  disruption" is a strength; "Governors do not question leaders" a weakness);
- ``hedged``: partial praise naming a shortfall ("mostly", "not yet", "variable") — a weakness;
- ``action``: action taken against a weakness — a strength;
- ``recommendation``: an item of what the school should do to improve — a weakness.

``{lead}`` in a statement is filled with a varying name for the school's leaders.
"""

from __future__ import annotations

# ruff: noqa: E501  (the statements are data: one per line reads better than wrapped strings)
from dataclasses import dataclass

__all__ = ["LEADS", "PRACTICES", "Phrasing", "Statement", "SECTIONS"]

LEADS = ("Leaders", "Senior leaders", "The headteacher and her deputies", "The leadership team", "School leaders")
"""Ways a report names the school's leaders (filled into ``{lead}``)."""

SECTIONS = ("leadership", "teaching", "behaviour")
"""Where in a report a practice's statements stand: leadership and management; the quality of
teaching and learning (EIF: the quality of education); behaviour, welfare and personal development."""


@dataclass(frozen=True)
class Statement:
    """One way of saying something about a practice: its text, polarity and form."""

    text: str
    polarity: str  # strength | weakness
    form: str  # plain | negated | hedged | action | recommendation


@dataclass(frozen=True)
class Phrasing:
    """The statements of one practice (a concept slug of ``ontology/practices.ttl``)."""

    practice: str
    section: str
    statements: tuple[Statement, ...]

    def of(self, polarity: str, recommendation: bool = False) -> tuple[Statement, ...]:
        """The statements of one polarity (recommendations only when asked for)."""
        return tuple(
            s for s in self.statements if s.polarity == polarity and (s.form == "recommendation") == recommendation
        )


def _p(practice: str, section: str, *rows: tuple[str, str, str]) -> Phrasing:
    codes = {"s": "strength", "w": "weakness"}
    return Phrasing(practice, section, tuple(Statement(t, codes[p], f) for p, f, t in rows))


S, W = "s", "w"

PRACTICES: tuple[Phrasing, ...] = (
    _p(
        "phonics-teaching",
        "teaching",
        (S, "plain", "Staff teach the sounds that letters make in a clear order from the first weeks of Reception."),
        (S, "plain", "Children learn to blend sounds into words quickly because adults model each sound precisely."),
        (S, "negated", "No pupil is left to struggle with early reading: staff spot those who cannot yet decode."),
        (S, "action", "Leaders replaced a muddled approach to early reading with a single, well-organised scheme."),
        (W, "plain", "The books pupils take home do not match the letter sounds they have learned."),
        (W, "negated", "Staff do not make sure that the youngest pupils practise decoding often enough."),
        (
            W,
            "hedged",
            "Instruction in early sounds and blending is mostly accurate, but some adults pronounce sounds incorrectly.",
        ),
        (W, "hedged", "Early reading sessions are not yet delivered with the same precision in every class."),
        (
            W,
            "recommendation",
            "Make sure that all staff who teach early reading are expert in showing pupils how letter sounds blend into words.",
        ),
    ),
    _p(
        "checks-on-teaching",
        "leadership",
        (S, "plain", "{lead} visit classrooms regularly and know exactly where lessons are strongest."),
        (S, "plain", "{lead} check the quality of lessons closely and act quickly on what they find."),
        (S, "negated", "{lead} do not let weak classroom practice go unchallenged."),
        (
            S,
            "action",
            "{lead} have tackled inconsistent lessons by observing staff and coaching those who needed help.",
        ),
        (W, "plain", "{lead} rarely visit lessons, so they have an over-generous view of how well pupils are taught."),
        (W, "negated", "{lead} do not look closely enough at what happens in lessons."),
        (W, "hedged", "{lead} observe lessons, but their visits have not yet led to sharper classroom practice."),
        (
            W,
            "recommendation",
            "Ensure that leaders look rigorously at the quality of lessons and follow up what they see.",
        ),
    ),
    _p(
        "governors-hold-leaders-to-account",
        "leadership",
        (S, "plain", "Governors ask searching questions about pupils' achievement and expect clear answers."),
        (
            S,
            "plain",
            "The governing body challenges the headteacher robustly and checks that agreed actions are carried out.",
        ),
        (S, "negated", "Governors do not simply accept what they are told; they visit and see for themselves."),
        (S, "action", "Following a review, governors now scrutinise leaders' reports far more rigorously."),
        (W, "plain", "Governors rely too heavily on the headteacher's reports and seldom question them."),
        (W, "negated", "Governors do not challenge leaders about the progress of different groups of pupils."),
        (W, "hedged", "Governors are supportive, but their questioning of leaders is not yet sharp enough."),
        (
            W,
            "recommendation",
            "Make sure that governors question leaders rigorously about the impact of their actions.",
        ),
    ),
    _p(
        "use-of-assessment-to-plan",
        "teaching",
        (S, "plain", "Teachers use what they know about each pupil's attainment to plan the next lesson."),
        (S, "plain", "Staff draw on accurate information about what pupils can already do when they plan work."),
        (S, "negated", "Teachers never move on before they know that pupils are ready for the next step."),
        (
            S,
            "action",
            "Leaders introduced termly checks of pupils' knowledge, and teachers now adjust their plans accordingly.",
        ),
        (W, "plain", "Teachers pay little attention to what pupils already know when they plan activities."),
        (W, "negated", "Teachers do not use the information from tests to decide what to teach next."),
        (
            W,
            "hedged",
            "Some teachers use information about pupils' attainment well, but this is variable across the school.",
        ),
        (
            W,
            "recommendation",
            "Ensure that teachers use what they know about pupils' attainment to plan learning that builds on it.",
        ),
    ),
    _p(
        "checking-understanding",
        "teaching",
        (S, "plain", "Teachers question pupils skilfully during lessons to find out who has grasped the new idea."),
        (S, "plain", "Staff pick up misunderstandings quickly and put them right before they become entrenched."),
        (S, "negated", "Misunderstandings do not go unnoticed, because teachers check pupils' answers as they work."),
        (
            W,
            "plain",
            "Teachers accept answers from a few confident pupils and move on without knowing whether others have understood.",
        ),
        (W, "negated", "Staff do not notice when pupils have misunderstood what they have been taught."),
        (W, "hedged", "Teachers sometimes check whether pupils have understood, but this is inconsistent."),
        (
            W,
            "recommendation",
            "Make sure that teachers find out during lessons whether pupils have understood before moving on.",
        ),
    ),
    _p(
        "challenge-for-the-most-able",
        "teaching",
        (S, "plain", "The brightest pupils are given demanding work that makes them think hard."),
        (
            S,
            "plain",
            "Teachers provide extra depth for pupils who grasp ideas quickly, so they reach the highest levels.",
        ),
        (S, "negated", "Pupils capable of more are not held back: teachers move them on to harder problems."),
        (W, "plain", "The most capable pupils spend too long on work they can already do."),
        (W, "negated", "Work does not stretch the pupils who learn fastest."),
        (W, "hedged", "Pupils who learn quickly are sometimes given harder tasks, but not in all subjects."),
        (
            W,
            "recommendation",
            "Provide the pupils who learn fastest with work that is demanding enough from the start of lessons.",
        ),
    ),
    _p(
        "behaviour-management",
        "behaviour",
        (S, "plain", "Staff apply the school's rules on conduct fairly and consistently."),
        (S, "plain", "Adults deal with the rare incidents of misbehaviour calmly and effectively."),
        (S, "negated", "Staff do not tolerate low-level disruption, and lessons run without interruption."),
        (
            S,
            "action",
            "Leaders have overhauled the way staff respond to poor conduct, and incidents have fallen sharply.",
        ),
        (W, "plain", "Staff apply the rules on conduct inconsistently, so some pupils push boundaries."),
        (W, "negated", "Adults do not deal with low-level disruption firmly enough."),
        (W, "hedged", "Most staff follow the school's approach to conduct, but a few do not."),
        (W, "recommendation", "Ensure that all staff apply the school's rules on conduct consistently."),
    ),
    _p(
        "attendance-procedures",
        "behaviour",
        (
            S,
            "plain",
            "Leaders follow up every absence swiftly and work closely with families whose children miss school.",
        ),
        (S, "plain", "The school's systems for chasing absence are rigorous and effective."),
        (S, "action", "Leaders have taken decisive steps to address the poor record of pupils who were often absent."),
        (W, "plain", "Leaders' actions to reduce absence have had little effect."),
        (W, "negated", "Leaders do not follow up pupils' absence quickly enough."),
        (
            W,
            "hedged",
            "The work of the school to reduce absence is beginning to help, but too many pupils are still often absent.",
        ),
        (
            W,
            "recommendation",
            "Sharpen the procedures for following up absence so that pupils who are often away come to school regularly.",
        ),
    ),
    _p(
        "staff-training",
        "leadership",
        (S, "plain", "Staff value the regular coaching they receive, which has sharpened their classroom skills."),
        (
            S,
            "plain",
            "{lead} make sure that teachers and support staff receive well-chosen courses and expert guidance.",
        ),
        (S, "negated", "No member of staff is left without the guidance needed to teach the new scheme well."),
        (W, "plain", "Staff have had few opportunities to learn from expert colleagues."),
        (W, "negated", "Support staff have not received the guidance they need to help pupils effectively."),
        (W, "hedged", "Teachers have attended courses, but this has not yet led to consistently better lessons."),
        (W, "recommendation", "Provide staff with the expert guidance they need to teach the new scheme well."),
    ),
    _p(
        "curriculum-sequencing",
        "teaching",
        (S, "plain", "Each subject is planned so that new learning builds step by step on what pupils already know."),
        (
            S,
            "plain",
            "Leaders have set out the order in which topics are taught in every subject, from Year 1 upwards.",
        ),
        (
            S,
            "action",
            "Leaders rewrote the plans for humanities so that pupils now revisit and build on earlier knowledge.",
        ),
        (
            W,
            "plain",
            "In several subjects, topics are taught in an order that does not help pupils build their knowledge.",
        ),
        (W, "negated", "Plans in some subjects do not set out what pupils should learn and when."),
        (
            W,
            "hedged",
            "Subject plans are logically ordered in English and science, but are less well developed elsewhere.",
        ),
        (W, "recommendation", "Make sure that plans in every subject set out the order in which knowledge is taught."),
    ),
    _p(
        "send-leadership",
        "leadership",
        (
            S,
            "plain",
            "The special educational needs coordinator leads provision for pupils with additional needs expertly.",
        ),
        (S, "plain", "The coordinator for additional needs knows each pupil well and checks that support is working."),
        (W, "plain", "The oversight of support for pupils with additional needs is weak."),
        (
            W,
            "negated",
            "The coordinator for additional needs does not check whether the support pupils receive is making a difference.",
        ),
        (
            W,
            "hedged",
            "Provision for pupils with additional needs is organised, but its impact is not checked carefully enough.",
        ),
        (
            W,
            "recommendation",
            "Strengthen the leadership of support for pupils with additional needs so that its impact is checked.",
        ),
    ),
    _p(
        "mathematical-fluency",
        "teaching",
        (S, "plain", "Pupils practise number facts every day, so they recall multiplication tables rapidly."),
        (S, "plain", "Teachers make sure that pupils become quick and accurate at mental arithmetic."),
        (W, "plain", "Many pupils are slow to recall basic number facts, which holds them back."),
        (W, "negated", "Pupils do not get enough practice to become quick and accurate with number facts."),
        (W, "hedged", "Pupils' recall of number facts is improving, but is not yet secure for many older pupils."),
        (
            W,
            "recommendation",
            "Give pupils regular practice so that they can recall number facts quickly and accurately.",
        ),
    ),
    _p(
        "subject-leaders-checking-quality",
        "leadership",
        (
            S,
            "plain",
            "Subject leaders look carefully at pupils' books and lessons in their areas and act on what they find.",
        ),
        (S, "plain", "Those responsible for each subject know how well it is taught across the school."),
        (W, "plain", "Middle leaders have little idea how well their subjects are taught."),
        (W, "negated", "Subject leaders do not check how well their subjects are taught."),
        (W, "hedged", "Subject leaders have begun to look at pupils' work, but this is at an early stage."),
        (
            W,
            "recommendation",
            "Develop the role of subject leaders so that they check how well their subjects are taught.",
        ),
    ),
    _p(
        "communication-with-parents",
        "leadership",
        (
            S,
            "plain",
            "The school keeps families well informed through regular newsletters, workshops and open mornings.",
        ),
        (S, "plain", "Staff are readily available to talk to parents and carers at the start and end of the day."),
        (
            W,
            "plain",
            "Several parents and carers said that the school does not tell them enough about how their children are getting on.",
        ),
        (W, "negated", "The school does not keep families informed about changes that affect their children."),
        (
            W,
            "hedged",
            "Information for families has improved, but some parents still find it hard to get answers to their questions.",
        ),
        (W, "recommendation", "Improve the information the school gives to families about their children's learning."),
    ),
    _p(
        "pastoral-care",
        "behaviour",
        (
            S,
            "plain",
            "Staff know pupils and their families very well and give them sensitive help when life is difficult.",
        ),
        (S, "plain", "Pupils who are anxious or upset receive prompt, thoughtful help from trusted adults."),
        (S, "negated", "No pupil goes unnoticed: staff look out for those who need a little extra help."),
        (W, "plain", "Pupils who are going through difficult times are not always given the help they need."),
        (W, "negated", "Staff do not notice quickly enough when pupils are unhappy."),
        (W, "hedged", "Help for pupils' emotional well-being is well meant, but is not always well organised."),
    ),
    _p(
        "staff-workload-and-well-being",
        "leadership",
        (S, "plain", "Staff say that leaders are mindful of their workload and consider their well-being."),
        (S, "plain", "{lead} have cut unnecessary paperwork, and teachers appreciate the time this gives them."),
        (W, "plain", "Many staff feel that the demands placed on them are unreasonable."),
        (W, "negated", "{lead} do not take enough account of the pressure that new initiatives place on staff."),
        (W, "hedged", "{lead} have tried to reduce the burden on staff, but many teachers still feel overstretched."),
        (W, "recommendation", "Take account of the demands placed on staff when introducing new initiatives."),
    ),
    _p(
        "culture-of-safeguarding",
        "behaviour",
        (S, "plain", "Staff are alert to signs that a pupil may be at risk and report their concerns promptly."),
        (S, "plain", "Everyone in the school understands that keeping pupils safe is their responsibility."),
        (
            S,
            "negated",
            "No concern about a pupil's welfare is ignored; leaders follow up each one with the right agencies.",
        ),
        (W, "plain", "Some staff are unsure how to report a concern about a pupil's welfare."),
        (W, "negated", "Leaders do not always follow up concerns about pupils' welfare in a timely way."),
        (W, "hedged", "Records of concerns about pupils are kept, but they are not always complete."),
    ),
    _p(
        "teaching-assistant-deployment",
        "teaching",
        (S, "plain", "Support staff are used well to help pupils who find learning difficult."),
        (
            S,
            "plain",
            "Classroom assistants work skilfully with small groups and know exactly what pupils should learn.",
        ),
        (W, "plain", "Support staff spend too much of lessons listening to the teacher rather than helping pupils."),
        (W, "negated", "Classroom assistants are not always clear about what the pupils they support should learn."),
        (W, "hedged", "Support staff are often used well, but in some classes their time is not used productively."),
        (W, "recommendation", "Make sure that classroom assistants are used productively throughout lessons."),
    ),
    _p(
        "improvement-planning",
        "leadership",
        (
            S,
            "plain",
            "The school's plans for development focus sharply on the right priorities and set clear measures of success.",
        ),
        (S, "plain", "{lead} have drawn up precise plans, with timescales, for tackling the school's weaker areas."),
        (
            W,
            "plain",
            "The school's development plan is too vague to help leaders measure whether their actions are working.",
        ),
        (W, "negated", "Plans for the school's development do not include clear measures of success."),
        (
            W,
            "hedged",
            "The school's plans identify the right priorities, but they do not say how success will be judged.",
        ),
        (W, "recommendation", "Make sure that the school's development plans include precise measures of success."),
    ),
    _p(
        "anti-bullying-work",
        "behaviour",
        (S, "plain", "Pupils say that unkind behaviour is rare and that staff sort it out quickly when it happens."),
        (S, "negated", "Leaders do not allow name-calling to go unchallenged, and pupils trust them to deal with it."),
        (W, "plain", "Some pupils said that unkind behaviour is not always dealt with effectively."),
        (W, "negated", "Staff do not always follow up reports of pupils being picked on by others."),
        (W, "hedged", "Most pupils feel that staff deal with unkindness well, but a minority are less confident."),
    ),
)
"""The practices of the planted-truth reports, with their statements."""
