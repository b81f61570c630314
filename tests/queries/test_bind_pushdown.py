"""Parameters bound inside each group (issue 19): the bound text, and the same answers as one outer VALUES."""

from __future__ import annotations

from collections import Counter

import pytest

from conftest import ROOT, mini_store
from schoolkg.queries.catalogue import get_query
from schoolkg.queries.params import Term, bind_values, to_term, tokenize
from schoolkg.store.embedded import EmbeddedStore
from schoolkg.store.table import to_table

FIXTURE = ROOT / "tests" / "fixtures" / "queries" / "mini.trig"
ID = "https://w3id.org/schoolkg/id/"
SCHOOLS = [f"{ID}school/{n}" for n in (100001, 100002, 100003, 100004, 999999)]
PRACTICES = [
    f"https://w3id.org/schoolkg/practice/{p}"
    for p in ("strategic-leadership", "lack-of-strategic-overview", "phonics-teaching", "no-such-practice")
]


def outer_only(sparql: str, terms: dict[str, Term]) -> str:
    """The binding as it was before issue 19: one VALUES block per parameter first in WHERE, nothing else."""
    block = "".join(f" VALUES ?{n} {{ {terms[n]} }}" for n in sorted(terms))
    for tok in tokenize(sparql):
        if tok.text == "{":
            return sparql[: tok.start + 1] + block + sparql[tok.start + 1 :]
    raise AssertionError("no group")


def answers(store: EmbeddedStore, sparql: str) -> Counter[tuple[object, ...]]:
    return Counter(tuple(r) for r in to_table(store.query(sparql)).rows)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    path = tmp_path_factory.mktemp("pushdown") / "store"
    return mini_store(path)


def test_school_profile_binds_the_school_inside_every_union_branch() -> None:
    school = to_term(SCHOOLS[0], "iri")
    text = get_query("school-profile").bound({"school": SCHOOLS[0]})
    where = text[text.index("WHERE {") :]
    branches = where.split("} UNION {")
    assert len(branches) == 5
    for branch in branches:
        assert f"VALUES ?school {{ {school} }}" in branch
        assert branch.count(str(school)) >= 2  # in the VALUES block and in place of ?school in a triple
    # the variable is no longer a triple term anywhere; it stays bound by the VALUES blocks
    assert where.count("?school ") == where.count("VALUES ?school ")
    assert where.count(f"VALUES ?school {{ {school} }}") == 6  # the outer block and one per branch


@pytest.mark.parametrize("school", SCHOOLS)
def test_school_profile_answers_as_with_one_outer_values(store: EmbeddedStore, school: str) -> None:
    q = get_query("school-profile")
    terms: dict[str, Term] = {"school": to_term(school, "iri")}
    old = answers(store, outer_only(q.sparql, terms))
    assert answers(store, q.bound({"school": school})) == old
    assert bool(old) == (school != SCHOOLS[-1])  # a school not in the graph has no profile


@pytest.mark.parametrize("practice", PRACTICES)
def test_finding_evidence_answers_as_with_one_outer_values(store: EmbeddedStore, practice: str) -> None:
    q = get_query("finding-evidence")
    terms: dict[str, Term] = {"practice": to_term(practice, "iri")}
    old = answers(store, outer_only(q.sparql, terms))
    assert answers(store, q.bound({"practice": practice})) == old
    assert bool(old) == (practice in PRACTICES[:2])  # the fixture has findings of the first two


SKG = "PREFIX skg: <https://w3id.org/schoolkg/ontology#> PREFIX dcterms: <http://purl.org/dc/terms/> "
SHAPES = [
    # OPTIONAL and UNION with the variable used in some groups only
    "SELECT * WHERE { { ?f skg:about ?s ; skg:practice ?p } UNION { ?j skg:about ?s } UNION { ?x skg:practice ?p }"
    " OPTIONAL { ?f skg:source ?d . ?d dcterms:issued ?date } }",
    # groups whose meaning a binding could change stay as written
    "SELECT * WHERE { ?f skg:practice ?p . MINUS { ?f skg:about ?s } }",
    "SELECT * WHERE { ?f skg:practice ?p FILTER NOT EXISTS { ?f skg:about ?s } }",
    "SELECT * WHERE { ?f skg:about ?x . { SELECT ?s (COUNT(*) AS ?n) WHERE { ?g skg:about ?s } GROUP BY ?s } }",
    "SELECT * WHERE { GRAPH ?graph { ?f skg:about ?s } OPTIONAL { ?f skg:practice ?p } FILTER(BOUND(?p)) }",
    "SELECT ?s (COUNT(?f) AS ?n) WHERE { { ?f skg:about ?s } UNION { ?f skg:practice ?s } } GROUP BY ?s",
]


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("school", SCHOOLS[:2])
def test_pushed_binding_gives_the_same_solutions(store: EmbeddedStore, shape: str, school: str) -> None:
    terms: dict[str, Term] = {"s": to_term(school, "iri"), "p": to_term(PRACTICES[0], "iri")}
    assert answers(store, SKG + bind_values(shape, terms)) == answers(store, SKG + outer_only(shape, terms))


def test_opaque_groups_and_literals_are_not_rewritten() -> None:
    terms: dict[str, Term] = {"s": to_term("https://x/a", "iri")}
    for shape in SHAPES[1:4]:
        text = bind_values(shape, terms)
        assert text.count("VALUES ?s") == 1 and "?s" in text.split("VALUES ?s", 1)[1]
    text = bind_values("SELECT * WHERE { { ?f skg:name ?n } UNION { ?g skg:title ?n } }", {"n": to_term("x", "string")})
    assert text.count('VALUES ?n { "x" }') == 3 and text.count("?n }") == 2  # literals: VALUES, no substitution
