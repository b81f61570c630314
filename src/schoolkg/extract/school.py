"""The school (or local authority) a document is about, and the inspection it reports.

The school's name is read where each format prints it: the title line ("Inspection of X",
"Short inspection of X", "Monitoring inspection of X"), the line under "School report" or above
"Inspection report" / "Report card", a letter's addressee block (the line after "Headteacher"),
else the first school name of the front page. URN, local authority, phase, type, postcode and the
inspection's dates and number come from the label/value fields (:mod:`schoolkg.extract.details`),
the letter head and address, and the letter's wording ("Following my visit to the school on ...").
"""

from __future__ import annotations

import re

from schoolkg.extract.details import Field, find_fields, parse_date_range
from schoolkg.extract.entities import LAESTAB, POSTCODE, find_schools
from schoolkg.extract.gazetteer import Gazetteer
from schoolkg.model import Entity, Inspection

__all__ = ["find_inspection", "find_la_subject", "find_school", "school_name"]

_TYPE_WORD = r"(?:School|Academy|College|Centre|Unit|Nursery|Federation|Infants|Juniors|Primary|Seminary)"
_TITLE = re.compile(
    r"^[ \t]*(?:[A-Z][\w:]*[ \t]+){0,5}?(?i:inspection|visit|report)(?:[ \t]+report)?[ \t]+(?:of|at|to|for)[ \t]+"
    r"(?P<name>[A-Z0-9][^\n\t]{2,110}?)[ \t]*[.:]?[ \t]*$",
    re.MULTILINE,
)
_ROLE = re.compile(
    r"^[ \t]*(?:(?:acting|interim|executive|associate|co-)[ \t]+)?(?:head ?teacher|headmaster|headmistress|principal"
    r"|head of school|head|chief executive officer|chair of (?:the )?governors|chair of the governing body)"
    r"(?:[ \t]*(?:and|/)[ \t]*[\w ]+)?[ \t]*,?[ \t]*$",
    re.IGNORECASE | re.MULTILINE,
)
_STREET = re.compile(
    r"\b(?:Road|Street|Lane|Avenue|Way|Drive|Close|Crescent|Grove|Place|Gardens|Terrace|Walk|Rise|Row|Hill|"
    r"Approach|Chase|Parade|Square|Mews|Court|Park Road|Vale|View|Green Lane|Bank)\b\.?$"
)
_NOT_NAME = re.compile(
    r"^(?:inspection|report|school report|dear|ofsted|her majesty|his majesty|the office|telephone|tel|"
    r"www\.|t |f |direct|email|enquiries|unique reference|urn|local authority)\b",
    re.IGNORECASE,
)
_PHASES = (
    ("all-through", r"\ball[- ]through\b"),
    ("pru", r"\bpupil referral unit\b|\bPRU\b|\balternative provision\b"),
    ("special", r"\bspecial\b"),
    ("secondary", r"\bsecondary\b|\bhigh school\b|\bgrammar\b|\bcomprehensive\b|\bupper school\b|\b1[1-3]\W+1[68]\b"),
    ("primary", r"\bprimary\b|\binfants?\b|\bjunior\b|\bfirst school\b|\bmiddle\b|\b[2-5]\W+1[01]\b"),
    ("nursery", r"\bnursery\b"),
)
_SECONDARY_WORDS = re.compile(r"\bGCSEs?\b|\bkey stage 4\b|\bYears? 1[01]\b|\bsixth form\b|\bA levels?\b", re.I)
_PRIMARY_WORDS = re.compile(r"\bkey stage [12]\b|\bYears? [1-6]\b|\bReception\b|\bphonics\b|\bearly years\b", re.I)


def _phase_from_text(text: str) -> str | None:
    """Secondary or primary by which key stages and years the report talks about (a clear majority)."""
    sec, pri = len(_SECONDARY_WORDS.findall(text)), len(_PRIMARY_WORDS.findall(text))
    if sec >= 3 and sec > 2 * pri:
        return "secondary"
    if pri >= 3 and pri > 2 * sec:
        return "primary"
    return None


def _clean_name(name: str) -> str:
    """The name without layout or title words.

    >>> _clean_name("a good school: Thornleigh School")
    'Thornleigh School'
    """
    name = re.sub(r"^(?:an? (?:good|outstanding|requires improvement|inadequate) (?:school|academy)|the)\s*:\s*", "",
                  name.strip(), flags=re.IGNORECASE)  # fmt: skip
    name = re.sub(r"\s+", " ", name).strip(" .,:;–-")
    name = re.sub(r"\s*\((?:URN|unique reference)[^)]*\)$", "", name, flags=re.IGNORECASE)
    return name


def _looks_like_name(line: str) -> bool:
    line = line.strip()
    if not (3 <= len(line) <= 110) or not line[:1].isupper() or _NOT_NAME.match(line):
        return False
    if POSTCODE.search(line) or re.search(r"\d{3,}", line) or line.endswith((".", ",")):
        return False
    return not re.search(r"\b(?:is|are|was|were|has|have|will|this|that)\b", line)


def _with_continuation(text: str, end: int, name: str) -> str:
    """Join a title the layout cut in two ('... Greystone Primary' / 'School')."""
    nxt = re.match(rf"\n[ \t]*((?:(?:Primary|Junior|Infant|Nursery|High|Community|Church of England|CofE|C of E|"
                   rf"Catholic|Academy|and)\s+){{0,3}}{_TYPE_WORD})[ \t]*(?=\n|$)", text[end:])  # fmt: skip
    if nxt and not re.search(rf"{_TYPE_WORD}$", name):
        return f"{name} {nxt.group(1)}"
    return name


def school_name(text: str) -> str | None:
    """The inspected school's name as the document prints it, or None.

    >>> school_name("Ofsted\\nDear Mrs Lane\\nShort inspection of Whitecross Primary School\\nFollowing my visit")
    'Whitecross Primary School'
    >>> school_name("School report\\nFernhill Primary School\\nHadley Road, Oldbury, B69 3TX")
    'Fernhill Primary School'
    >>> school_name("Oakwood Lane Church of England Primary\\nSchool\\nInspection report\\nUnique Reference Number 1")
    'Oakwood Lane Church of England Primary School'
    """
    head = text[:6000]
    for m in _TITLE.finditer(head):
        name = _clean_name(_with_continuation(head, m.end(), m.group("name")))
        if _looks_like_name(name) and not re.search(r"\blocal (?:education )?authority\b|\bLEA\b", name):
            return name
    lines = [(m.start(), m.group(0).strip()) for m in re.finditer(r"[^\n]+", head[:3000])]
    lines = [(s, ln) for s, ln in lines if ln]
    for i, (_start, line) in enumerate(lines[:12]):
        low = line.lower().replace("\t", " ")
        if low in ("school report", "ofsted report card", "report card") and i + 1 < len(lines):
            cand = lines[i + 1][1].split("\t")[0]
            if _looks_like_name(cand):
                return _clean_name(_with_continuation(head, lines[i + 1][0] + len(lines[i + 1][1]), cand))
        above = i + 1 < len(lines) and re.match(
            r"^(?:inspection report|report card|school report)\b", lines[i + 1][1], re.I
        )
        if above and _looks_like_name(line):
            return _clean_name(line)
        if (
            i + 2 < len(lines)
            and lines[i + 1][1] in ("School", "Academy", "College")
            and re.match(r"^(?:inspection report|report card)\b", lines[i + 2][1], re.I)
        ):
            return _clean_name(f"{line} {lines[i + 1][1]}")
    for m in _ROLE.finditer(head[:4000]):
        after = [ln.strip() for ln in head[m.end() :].split("\n")[1:4]]
        for cand in after:
            if _looks_like_name(cand) and not _STREET.search(cand):
                return _clean_name(cand)
            break
    if lines and _looks_like_name(lines[0][1]) and re.search(rf"\b{_TYPE_WORD}\b", lines[0][1]):
        return _clean_name(lines[0][1])
    found = find_schools(head[:4000])
    return found[0][0] if found else None


def _phase(*texts: str | None) -> str | None:
    for text in texts:
        if not text:
            continue
        for phase, pattern in _PHASES:
            if re.search(pattern, text, re.IGNORECASE):
                return phase
    return None


def _la_from_address(address: str, gazetteer: Gazetteer) -> tuple[str | None, str | None]:
    """(town, LA) from an address: the first place (after the street) that is or lies in an LA."""
    parts = [p.strip() for p in re.split(r"[,\n\t]", POSTCODE.sub("", address)) if p.strip()]
    town, county = None, None
    for part in parts:
        if _STREET.search(part) or re.search(r"\d", part):
            continue
        la = gazetteer.la_for_town(part)
        if la is None:
            town = town or part
            continue
        if gazetteer.la_for_town(part) and part.lower() in (la.name.lower(),) and _is_county(la.name):
            county = county or la.name  # a county: a more specific place may follow
            continue
        return part, la.name
    if county is None:  # one line of words ("Blenheim Chase Leigh-on-sea Essex"): places from the end
        words = re.findall(r"[A-Za-z][\w'’-]*", POSTCODE.sub("", address))
        for n in range(len(words), 0, -1):
            for size in (3, 2, 1):
                if n - size < 0:
                    continue
                la = gazetteer.la_for_town(" ".join(words[n - size : n]))
                if la is not None and not _is_county(la.name):
                    return " ".join(words[n - size : n]), la.name
                if la is not None:
                    county = county or la.name
    return town, county


_COUNTIES = {
    "Buckinghamshire", "Cambridgeshire", "Cumbria", "Derbyshire", "Devon", "Dorset", "East Sussex", "Essex",
    "Gloucestershire", "Hampshire", "Hertfordshire", "Kent", "Lancashire", "Leicestershire", "Lincolnshire",
    "Norfolk", "North Yorkshire", "Northamptonshire", "Nottinghamshire", "Oxfordshire", "Somerset",
    "Staffordshire", "Suffolk", "Surrey", "Warwickshire", "West Sussex", "Worcestershire", "Cornwall",
    "Wiltshire", "Shropshire", "Northumberland", "County Durham", "Cheshire East", "Bedford",
}  # fmt: skip


def _is_county(name: str) -> bool:
    return name in _COUNTIES


_COPY_LA = re.compile(
    r"(?:director of children['’]s services|director of (?:education|children['’]s services and education)"
    r"|chief education officer|corporate director[^,.]{0,40}?|executive director[^,.]{0,40}?)"
    r"\s+(?:for|of|at)\s+(?:the\s+)?(?:London Borough of\s+|City of\s+|Royal Borough of\s+)?"
    r"(?P<la>[A-Z][\w'’ &-]{2,60}?)(?=[,.;]|\s+(?:and|the|local|council|county|city|metropolitan)\b)",
)


def find_school(text: str, gazetteer: Gazetteer, fields: dict[str, Field] | None = None) -> Entity | None:
    """The inspected school, with URN, LA, town, postcode, phase and type where the text gives them."""
    fields = find_fields(text) if fields is None else fields
    name = school_name(text)
    if name is None:
        return None
    urn = fields.get("urn")
    urn_value = urn.value[:6] if urn and re.fullmatch(r"\d{6}\b.*", urn.value) else None
    if urn_value is None:
        m = re.search(r"\b(?:unique reference number|URN)\s*:?\s*(\d{6})\b", text, re.IGNORECASE)
        urn_value = m.group(1) if m else None
    la = None
    if "la" in fields:
        hit = next(iter(gazetteer.find_las(fields["la"].value)), None)
        if hit and hit[1] == 0:
            la = hit[0].name
    address = _address_after(text, name, fields)
    town, address_la = _la_from_address(address, gazetteer) if address else (None, None)
    if la is None:
        m = _COPY_LA.search(text)
        if m:
            hit = next(iter(gazetteer.find_las(m.group("la"))), None)
            la = hit[0].name if hit else None
    la = la or address_la
    pc = POSTCODE.search(fields["postcode"].value if "postcode" in fields else address or "")
    school_type = fields.get("category")
    category = _category(school_type.value) if school_type else None
    estab = LAESTAB.search(text)
    return Entity(
        id="school-1",
        type="School",
        name=name,
        urn=urn_value,
        laestab=estab.group(1) + estab.group(2) if estab else None,
        local_authority=la,
        town=town,
        postcode=f"{pc.group(1)} {pc.group(2)}" if pc else None,
        phase=_phase(
            fields["school_type"].value if "school_type" in fields else None,
            name,
            fields["age_range"].value if "age_range" in fields else None,
        )
        or _phase_from_text(text),  # fmt: skip
        school_type=category,
    )


def _value(fields: dict[str, Field], key: str) -> str | None:
    return fields[key].value if key in fields else None


_CATEGORIES = (
    "academy converter", "academy sponsor led", "academy special converter", "academy special sponsor led",
    "academy alternative provision", "free school", "university technical college", "studio school",
    "community special", "foundation special", "community", "voluntary aided", "voluntary controlled",
    "foundation", "pupil referral unit", "independent", "non-maintained special", "academy",
)  # fmt: skip


def _category(value: str) -> str | None:
    low = " ".join(value.lower().replace("-", " ").split())
    return next((c for c in _CATEGORIES if low.startswith(c.replace("-", " "))), low or None)


def _address_after(text: str, name: str, fields: dict[str, Field]) -> str | None:
    """The school's address: the address field, else the lines after its name up to a postcode."""
    if "address" in fields and POSTCODE.search(fields["address"].value):
        return fields["address"].value
    for m in re.finditer(re.escape(name).replace(r"\ ", r"\s+"), text[:6000]):
        tail = text[m.end() : m.end() + 200]
        pc = POSTCODE.search(tail)
        if pc and tail[: pc.start()].count("\n") <= 6:
            return tail[: pc.end()]
    if "address" in fields:  # a two-column table: the postcode a few cells further on
        f = fields["address"]
        tail = text[f.start : f.start + 200]
        pc = POSTCODE.search(tail)
        return tail[: pc.end()] if pc else f.value
    return None


def find_la_subject(text: str, gazetteer: Gazetteer) -> Entity | None:
    """The local authority an LA inspection (or a council report about one) is of."""
    m = re.search(
        r"\b(?:inspection|review) of (?:the )?(?:London Borough of |City of |Royal Borough of )?"
        r"(?P<la>[A-Z][\w'’ &,-]{2,60}?)\s*(?:local (?:education )?authority|LEA|council)\b",
        text[:6000],
    )
    candidates = [m.group("la")] if m else []
    for name in candidates:
        hit = next(iter(gazetteer.find_las(name)), None)
        if hit:
            return Entity(id="la-1", type="LocalAuthority", name=hit[0].name)
    return None


_VISIT = re.compile(
    r"\b(?:following my visit|following our visit|my visit|our visit|the visit|visited|inspection)\b[^.\n]{0,80}?"
    r"\b(?:on|between|from)\s+(?=\d)",
    re.IGNORECASE,
)
_PREVIOUS_INSPECTION = re.compile(
    r"\b(?:previous|last|most recent)\s+(?:graded\s+|full\s+|section 5\s+|routine\s+|standard\s+)?inspection"
    r"(?:\s+(?:that|which))?(?:\s+took place)?\s+(?:on|in)\s+(?=\d)"
    r"|\b(?:graded|full|section 5) inspection (?:on|that took place on|which took place on)\s+(?=\d)"
    r"|\bfollowing the (?:section 5 )?inspection (?:that|which) took place on\s+(?=\d)"
    r"|\bbecame subject to special measures[^.]{0,60}?\bon\s+(?=\d)",
    re.IGNORECASE,
)


def find_inspection(text: str, fields: dict[str, Field] | None = None) -> Inspection:
    """The inspection's dates and number, and the date of the previous inspection where stated.

    >>> i = find_inspection("Dear Mr Haigh\\nThe visit took place on 17 and 18 January 2023. It was the first"
    ...                     " monitoring inspection since the school's graded inspection on 22 and 23 March 2022.")
    >>> i.start_date, i.end_date, i.previous_date
    ('2023-01-17', '2023-01-18', '2022-03-22')
    """
    fields = find_fields(text) if fields is None else fields
    start = end = None
    if "inspection_dates" in fields:
        found = parse_date_range(fields["inspection_dates"].value)
        if found:
            start, end = found[0], found[1]
    if start is None:
        for m in _VISIT.finditer(text[:8000]):
            found = parse_date_range(text[m.end() : m.end() + 60])
            if found and found[2] == 0:
                start, end = found[0], found[1]
                break
    number = fields.get("inspection_number")
    num = re.match(r"\d{5,9}", number.value) if number else None
    previous = None
    for key in ("previous_date", "previous_grade"):
        if key in fields:
            found = parse_date_range(fields[key].value)
            if found:
                previous = found[0]
                break
    low = text[:12000].lower()
    if previous is None and any(w in low for w in ("previous", "last", "most recent", "graded", "section 5", "became")):
        said = _PREVIOUS_INSPECTION.search(text[:12000])
        if said:
            found = parse_date_range(text[said.end() : said.end() + 60])
            previous = found[0] if found and found[2] == 0 else None
    return Inspection(start_date=start, end_date=end, number=num.group(0) if num else None, previous_date=previous)
