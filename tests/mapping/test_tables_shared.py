"""The real tables in ../shared/data: counts read off the files by hand, and SHACL on the result."""

from __future__ import annotations

import pytest
from pyoxigraph import RdfFormat, serialize

from conftest import ROOT
from schoolkg.mapping.nquads import sort_nquads
from schoolkg.mapping.ontology import ontology_quads
from schoolkg.mapping.tables.rows import map_table
from schoolkg.resources import ontology_dir
from schoolkg.validate.shacl import check_nquads

DATA = ROOT.parent / "shared" / "data"
pytestmark = pytest.mark.skipif(not DATA.is_dir(), reason=f"shared data folder {DATA} is absent")
SKG = "https://w3id.org/schoolkg/ontology#"


def _read(rel: str):
    return map_table(DATA / rel, rel, {})


def test_oxfordshire_counts_and_shacl() -> None:
    quads, ctx = _read("ofsted/oxfordshire-outcomes-2017-12-31.csv")
    assert ctx.rows == 299
    urns = {
        q.object.value for q in quads if q.predicate.value == SKG + "urn" and q.subject.value[-6:] == q.object.value
    }
    schools = {q.subject.value for q in quads if q.object.value == SKG + "School"}
    assert len(schools) == 299 and len(urns) >= 299  # plus predecessor URNs
    overall = {
        q.subject.value
        for q in quads
        if q.predicate.value == SKG + "before" and "overalleffectiveness" in q.object.value
    }
    directions = [
        q.object.value.rsplit("#")[1]
        for q in quads
        if q.predicate.value == SKG + "direction" and q.subject.value in overall
    ]
    # read off the file: current vs previous overall effectiveness, both graded
    assert (directions.count("improved"), directions.count("declined"), directions.count("stable")) == (137, 27, 103)
    data = sort_nquads(serialize(list(ontology_quads(ontology_dir())) + quads, format=RdfFormat.N_QUADS))
    assert check_nquads(data).conforms


def test_warwickshire_predictions_are_never_read() -> None:
    quads, ctx = _read("ofsted/warwickshire-outcomes-2020-08-31-with-predictions.csv")
    assert ctx.rows == 228
    values = {q.object.value for q in quads}
    assert not values & {"0.118854329970255", "0.881145670029745"}  # row 1 bad_out_chance, good_out_chance
    assert not any(len(v) > 12 and v.startswith("0.") for v in values)


def test_links_and_national_table_counts() -> None:
    quads, ctx = _read("gias/gias-links-2022-07-30.csv")
    assert ctx.rows == 30653
    quads, ctx = _read("ofsted/england-primary-ofsted-rating-gias-2024.csv")
    assert ctx.rows == 20571
    ratings = [q for q in quads if q.object.value == "https://w3id.org/schoolkg/id/measure/ofsted-rating"]
    assert len(ratings) == 20571  # every school has a rating; 20,571 distinct URNs (duplicates would fail)
