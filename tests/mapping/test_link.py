"""Name linking: threshold, margin (ambiguity), LA penalty, and the derived graph it writes."""

from __future__ import annotations

from schoolkg.mapping.link import THRESHOLD, Named, Register, link_quads, match, normalise

LIV, SEF = "https://x.test/la/liverpool", "https://x.test/la/sefton"


def register() -> Register:
    reg = Register()
    reg.add("https://x.test/u/1", "Banks Road Primary School", LIV)
    reg.add("https://x.test/u/2", "St Monica's Catholic Primary School", LIV)
    reg.add("https://x.test/u/3", "St Monica's Catholic Primary School", SEF)
    reg.add("https://x.test/u/4", "Welbeck Primary School", None)
    reg.add("https://x.test/u/5", "Welbeck Primary School", None)
    return reg


def test_exact_name_in_the_same_la_links() -> None:
    r = match(Named("https://x.test/n/1", "Banks Road Primary School", LIV), register())
    assert (r.status, r.link.iri if r.link else None) == ("linked", "https://x.test/u/1")


def test_abbreviations_are_normalised() -> None:
    assert normalise("St Monica's RC Primary School") == normalise("St. Monica's Roman Catholic Primary School")
    r = match(Named("https://x.test/n/2", "St. Monica's RC Primary School", LIV), register())
    assert r.status == "linked" and r.link.iri == "https://x.test/u/2"


def test_same_name_other_la_is_penalised_not_chosen() -> None:
    r = match(Named("https://x.test/n/3", "St Monica's Catholic Primary School", SEF), register())
    assert r.link.iri == "https://x.test/u/3" and r.candidates[1].score == r.candidates[0].score - 20.0


def test_two_equal_candidates_are_ambiguous() -> None:
    r = match(Named("https://x.test/n/4", "Welbeck Primary School", None), register())
    assert r.status == "ambiguous" and [c.iri for c in r.candidates] == ["https://x.test/u/4", "https://x.test/u/5"]


def test_below_threshold_no_link_but_candidates_kept() -> None:
    r = match(Named("https://x.test/n/5", "Banks Lane Infant School", LIV), register())
    assert r.status == "unlinked" and r.link is None
    assert all(c.score < THRESHOLD for c in r.candidates)


def test_link_quads_close_match_only_when_linked_never_same_as() -> None:
    reg = register()
    results = [
        match(Named("https://x.test/n/1", "Banks Road Primary School", LIV), reg),
        match(Named("https://x.test/n/4", "Welbeck Primary School", None), reg),
    ]
    quads = list(link_quads(results))
    close = [(q.subject.value, q.object.value) for q in quads if q.predicate.value.endswith("#closeMatch")]
    assert close == [("https://x.test/n/1", "https://x.test/u/1")]
    assert not [q for q in quads if q.predicate.value.endswith("#sameAs")]


def test_link_resolved_to_the_school_of_the_source_date() -> None:
    """A candidate that replaced the named school after the source's date stands for its predecessor."""
    reg = register()
    named = Named("https://x.test/n/1", "Banks Road Primary School", LIV, "2009-01-27")
    later = {"https://x.test/u/1": "https://x.test/u/old"}

    def resolve(iri: str, date: str | None, _name: str) -> str:
        return later.get(iri, iri) if date and date < "2016-09-01" else iri

    quads = list(link_quads([match(named, reg)], resolve))
    close = [q.object.value for q in quads if q.predicate.value.endswith("#closeMatch")]
    resolved = [q.object.value for q in quads if q.predicate.value.endswith("#resolvedTo")]
    dates = [q.object.value for q in quads if q.predicate.value.endswith("#atDate")]
    assert close == resolved == ["https://x.test/u/old"] and dates == ["2009-01-27"]
