"""Each table mapper on small fixtures (tests/fixtures/tables), and the one-line errors for bad cells."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from pyoxigraph import Quad

from conftest import FIXTURES
from schoolkg.errors import ConfigError, InputError
from schoolkg.mapping.tables.rows import map_table

FIX = FIXTURES / "tables"
SKG = "https://w3id.org/schoolkg/ontology#"


def run(path: Path, kind: str | None = None, on_error: str = "fail") -> tuple[list[Quad], object]:
    return map_table(path, path.name, {}, kind, on_error)


def objects(quads: list[Quad], pred: str) -> list[str]:
    return sorted(q.object.value for q in quads if q.predicate.value == pred)


def edit(src: Path, dst: Path, row: int, column: str, value: str) -> Path:
    """Copy ``src`` to ``dst`` with one cell changed (row 0 = first data row, line 2)."""
    with src.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row + 1][rows[0].index(column)] = value
    with dst.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return dst


def test_kind_is_detected_from_the_header() -> None:
    for name, table_id in (
        ("oxfordshire-outcomes-sample.csv", "table-oxfordshire-outcomes-sample"),
        ("links-sample.csv", "table-links-sample"),
        ("eic-sample.csv", "table-eic-sample"),
    ):
        _quads, ctx = run(FIX / name)
        assert ctx.table_id == table_id


def test_oxfordshire_judgements_and_improvements() -> None:
    quads, ctx = run(FIX / "oxfordshire-outcomes-sample.csv")
    assert ctx.rows == 3
    # 123166: overall 3 -> 2 (improved, change 1.0); 144525: 2 -> 3 (declined, change -1.0)
    about = {q.subject.value: q.object.value[-6:] for q in quads if q.predicate.value == SKG + "about"}
    overall = {
        q.subject.value
        for q in quads
        if q.predicate.value == SKG + "before" and "overalleffectiveness" in q.object.value
    }
    changes = {
        about[q.subject.value]: q.object.value
        for q in quads
        if q.predicate.value == SKG + "change" and q.subject.value in overall
    }
    assert changes == {"123166": "1.0", "144525": "-1.0"}
    assert objects(quads, SKG + "idaciQuintile")
    assert SKG + "requiresImprovement" in objects(quads, SKG + "grade")


def test_undated_grade_on_a_null_school_gives_no_judgement() -> None:
    quads, _ = run(FIX / "oxfordshire-outcomes-sample.csv")
    assert not any("141111" in q.subject.value for q in quads if q.predicate.value == SKG + "grade")


def test_bad_date_names_file_line_and_column(tmp_path: Path) -> None:
    bad = edit(FIX / "oxfordshire-outcomes-sample.csv", tmp_path / "o.csv", 1, "Inspection start date", "31/02/2017")
    with pytest.raises(InputError) as err:
        run(bad)
    assert str(err.value) == (
        f"{bad}:3: Inspection start date: not a date (dd/mm/yyyy, dd-mm-yyyy or yyyy-mm-dd): '31/02/2017'"
    )


def test_grade_seven_is_refused(tmp_path: Path) -> None:
    bad = edit(FIX / "oxfordshire-outcomes-sample.csv", tmp_path / "o.csv", 0, "Overall effectiveness", "7")
    with pytest.raises(InputError) as err:
        run(bad)
    assert (
        str(err.value)
        == f"{bad}:2: Overall effectiveness: not an Ofsted grade (1-4, a word, or 8/9/NULL for none): '7'"
    )


def test_duplicate_urn_is_refused(tmp_path: Path) -> None:
    bad = edit(FIX / "oxfordshire-outcomes-sample.csv", tmp_path / "o.csv", 2, "URN", "123166")
    with pytest.raises(InputError) as err:
        run(bad)
    assert str(err.value) == f"{bad}:4: URN: duplicate URN '123166' (first on line 2)"


def test_missing_column_with_kind(tmp_path: Path) -> None:
    bad = tmp_path / "l.csv"
    bad.write_text("URN,LinkURN,LinkName\n100000,100001,X\n")
    with pytest.raises(InputError) as err:
        run(bad, kind="links")
    assert str(err.value) == f"{bad}:1: header: missing column 'LinkType'"


def test_wrong_delimiter(tmp_path: Path) -> None:
    bad = tmp_path / "l.csv"
    bad.write_text("URN;LinkURN;LinkName;LinkType\n100000;100001;X;Successor\n")
    with pytest.raises(InputError) as err:
        run(bad)
    assert str(err.value) == (
        f"{bad}:1: header: wrong delimiter: the header is one column holding semicolons; tables must be comma-separated"
    )


def test_unknown_kind() -> None:
    with pytest.raises(ConfigError, match="unknown table kind 'nope'"):
        run(FIX / "links-sample.csv", kind="nope")


def test_skip_reports_bad_rows_and_keeps_the_rest(tmp_path: Path) -> None:
    bad = edit(FIX / "oxfordshire-outcomes-sample.csv", tmp_path / "o.csv", 0, "Overall effectiveness", "7")
    quads, ctx = run(bad, on_error="skip")
    assert [str(s) for s in ctx.skipped] == [
        f"{bad}:2: Overall effectiveness: not an Ofsted grade (1-4, a word, or 8/9/NULL for none): '7'"
    ]
    assert ctx.rows == 2
    assert not any("123166" in q.subject.value for q in quads)  # nothing of the bad row


def test_links_predecessor_successor_and_cp1252() -> None:
    quads, ctx = run(FIX / "links-sample.csv")
    pairs = {(q.subject.value[-6:], q.predicate.value[len(SKG) :], q.object.value[-6:]) for q in quads}
    assert ("103491", "successor", "136589") in pairs and ("136589", "predecessor", "103491") in pairs
    assert not any(p in ("successor", "predecessor") and "134643" in (s, o) for s, p, o in pairs)
    quads, _ = run(FIX / "links-cp1252.csv")
    assert "Café School" in objects(quads, "https://schema.org/name")


def test_ks2_observations_labels_and_suppression() -> None:
    quads, ctx = run(FIX / "ks2-2017-18-bom.csv")
    assert ctx.rows == 4
    assert "Percentage of pupils reaching the expected standard in reading, writing and maths" in objects(
        quads, "http://www.w3.org/2000/01/rdf-schema#label"
    )
    assert set(objects(quads, SKG + "period")) == {"2017/18"}
    obs = {q.subject.value for q in quads if q.object.value == SKG + "Observation"}
    assert len(obs) == 4 * 7 - 2  # SUPP and LOWCOV give no observation
    assert "England (state-funded schools)" in objects(quads, SKG + "comparisonGroup")


def test_ks2_percentage_out_of_range(tmp_path: Path) -> None:
    (tmp_path / "ks2-meta").mkdir()
    (tmp_path / "ks2-meta" / "ks2-meta-2017-2018.csv").write_bytes(
        (FIX / "ks2-meta" / "ks2-meta-2017-2018.csv").read_bytes()
    )
    bad = edit(FIX / "ks2-2017-18-sample.csv", tmp_path / "ks2-2017-18-x.csv", 0, "PTRWM_EXP", "172%")
    with pytest.raises(InputError) as err:
        run(bad)
    assert str(err.value) == f"{bad}:2: PTRWM_EXP: percentage out of range 0-100: '172%'"


def test_programme_las_participation_and_bip_funding() -> None:
    quads, _ = run(FIX / "eic-sample.csv")
    assert "1999-09-01" in objects(quads, SKG + "startDate")
    quads, _ = run(FIX / "bip-sample.csv")
    assert objects(quads, SKG + "value") == ["1442000", "1442000"]
    assert set(objects(quads, SKG + "unit")) == {SKG + "pounds"}


def test_school_list_flags_and_name_only_schools() -> None:
    quads, _ = run(FIX / "school-list-sample.csv")
    flagged = {q.subject.value[-6:] for q in quads if q.predicate.value == SKG + "needsVerification"}
    assert flagged == {"108726"}
    named = {q.subject.value for q in quads if q.predicate.value == SKG + "needsLinking"}
    assert named == {"https://w3id.org/schoolkg/id/school/name/banks-road-primary-school--liverpool"}
