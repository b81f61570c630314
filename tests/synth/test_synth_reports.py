"""Synthetic inspection reports with planted truth (issue 18 item 4): phrasing, population, corpus, the whole path."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from pyoxigraph import RdfFormat, parse
from typer.testing import CliRunner

from schoolkg.cli import app
from schoolkg.errors import InputError
from schoolkg.pipeline import extract_paths
from schoolkg.resources import ontology_dir
from schoolkg.synth.phrasing import LEADS, PRACTICES
from schoolkg.synth.reports import (
    SAFEGUARDING_JUDGEMENT,
    feature_names,
    read_feature_effects,
    report_blocks,
    simulate_reports,
)
from schoolkg.synth.score import read_statements, score_extractions

SKOS = "http://www.w3.org/2004/02/skos/core#"
EFFECTS = Path(__file__).resolve().parents[2] / "bench" / "planted-effects.csv"
N = 36


def _labels() -> dict[str, re.Pattern[str]]:
    out = {}
    for t in parse(path=str(ontology_dir() / "practices.ttl"), format=RdfFormat.TURTLE):
        if t.predicate.value in (SKOS + "prefLabel", SKOS + "altLabel"):
            label = t.object.value.lower()
            out[label] = re.compile(r"(?<!\w)" + re.escape(label) + r"(?!\w)")
    return out


def _bank_sentences() -> list[str]:
    return [s.text.replace("{lead}", lead) for p in PRACTICES for s in p.statements for lead in LEADS]


def test_no_generated_sentence_contains_a_thesaurus_label_verbatim() -> None:
    labels = _labels()
    assert len(labels) > 150 and "teaching" in labels and "phonics teaching" in labels
    pop = simulate_reports(40, 5)
    prose = [x for s in pop.schools for b in report_blocks(s) if b.kind in ("p", "bullets") for x in b.items]
    sentences = set(_bank_sentences()) | set(prose) - {SAFEGUARDING_JUDGEMENT}  # the format's judgement wording
    hits = [(label, s) for s in sentences for label, rx in labels.items() if rx.search(s.lower())]
    assert hits == []


def test_the_check_would_catch_a_label() -> None:
    labels = _labels()
    assert any(rx.search("staff say that pastoral care is strong.") for rx in labels.values())


def test_every_practice_has_statements_of_known_polarity_in_every_form() -> None:
    slugs = {
        t.subject.value.rsplit("/", 1)[-1]
        for t in parse(path=str(ontology_dir() / "practices.ttl"), format=RdfFormat.TURTLE)
    }
    forms: dict[str, set[str]] = {}
    for p in PRACTICES:
        assert p.practice in slugs, p.practice
        assert p.of("strength") and p.of("weakness"), p.practice
        for s in p.statements:
            forms.setdefault(s.form, set()).add(s.polarity)
            if s.form in ("hedged", "recommendation"):
                assert s.polarity == "weakness", s.text
            if s.form == "action":
                assert s.polarity == "strength", s.text
    assert forms["negated"] == {"strength", "weakness"}  # negation does not fix polarity
    assert set(forms) == {"plain", "negated", "hedged", "action", "recommendation"}


def test_population_has_dated_histories_and_the_planted_effect() -> None:
    pop = simulate_reports(6000, 11, {"phonics-teaching:strength": 3.0}, confounding=0.0)
    assert all(s.dates[0] < s.dates[1] < s.dates[2] for s in pop.schools)
    assert {s.grades[1] for s in pop.schools} == {2, 3, 4}

    def log_or(feature: str) -> float:
        x = np.array([feature in s.features for s in pop.schools])
        y = np.array([s.improved for s in pop.schools])
        a, b, c, d = (x & y).sum(), (x & ~y).sum(), (~x & y).sum(), (~x & ~y).sum()
        return float(np.log((a * d) / (b * c)))

    assert log_or("phonics-teaching:strength") > np.log(2.0)
    assert abs(log_or("checks-on-teaching:strength")) < np.log(1.4)


def test_confounding_ties_strengths_to_the_baseline() -> None:
    pop = simulate_reports(3000, 2, confounding=1.0)
    share = {
        g: np.mean(
            [sum(f.endswith("strength") for f in s.features) / len(s.features) for s in pop.schools if s.grades[1] == g]
        )
        for g in (2, 4)
    }
    assert share[2] > share[4] + 0.15


def test_effects_file_errors_name_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "e.csv"
    bad.write_text("practice,odds_ratio\nphonics-teaching:strength,2\nnot-a-practice,2\n")
    with pytest.raises(InputError, match=r"e\.csv:3.*not-a-practice"):
        read_feature_effects(bad)
    assert read_feature_effects(EFFECTS)["curriculum-sequencing:weakness"] == 0.5
    assert set(read_feature_effects(EFFECTS)) <= set(feature_names())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("planted")
    res = CliRunner().invoke(
        app, ["synth", "--reports", "--schools", str(N), "--seed", "4", "--effects", str(EFFECTS), "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    return out


def test_corpus_has_every_medium_and_the_outcomes_table(corpus: Path) -> None:
    docs = sorted((corpus / "documents").iterdir())
    assert len(docs) == N and {p.suffix for p in docs} == {".pdf", ".html", ".txt"}
    rows = list(csv.DictReader((corpus / "tables" / "synth-outcomes.csv").open(encoding="utf-8")))
    assert len(rows) == N and all(r["Previous inspection start date"] and r["Inspection start date"] for r in rows)
    truth = list(csv.DictReader((corpus / "truth.csv").open(encoding="utf-8")))
    assert sum(float(r["odds_ratio"]) != 1.0 for r in truth) == 8


@pytest.fixture(scope="module")
def scored(corpus: Path):  # type: ignore[no-untyped-def]
    outcomes = list(extract_paths([corpus / "documents"]))
    assert all(o.extraction is not None for o in outcomes), [o.error for o in outcomes if o.error]
    pairs = [(o.path.name, o.extraction) for o in outcomes if o.extraction is not None]
    return pairs, score_extractions(pairs, read_statements(corpus / "statements.csv"))


def test_extraction_identifies_every_school_and_finds_the_statements(scored) -> None:  # type: ignore[no-untyped-def]
    pairs, score = scored
    urns = {name.split("-")[0] for name, _ in pairs}
    found = {e.urn for _, ex in pairs for e in ex.entities if e.type == "School" and e.urn}
    assert urns <= found
    assert score.located / score.statements >= 0.97  # text fidelity through PDF, HTML and text
    assert score.detected / score.statements >= 0.9  # each planted statement gives a finding
    assert score.polarity_accuracy("plain") >= 0.8
    assert score.practice_recall >= 0.15  # a floor (0.24 at 2,000 schools today); the target is the xfail below


def test_reports_refuse_a_store(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        app, ["synth", "--reports", "--schools", "3", "--out", str(tmp_path), "--store", str(tmp_path / "s")]
    )
    assert res.exit_code != 0 and "schoolkg build --corpus" in res.output


def test_extraction_names_the_planted_practice(scored) -> None:  # type: ignore[no-untyped-def]
    _, score = scored
    assert score.practice_recall >= 0.8


def test_whole_path_build_and_analyse_runs(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    res = CliRunner().invoke(
        app,
        [
            "build",
            "--corpus",
            str(corpus),
            "--store",
            str(store),
            "--nquads",
            str(tmp_path / "g.nq"),
            "--progress",
            "none",
        ],
    )
    assert res.exit_code == 0, res.output
    res = CliRunner().invoke(
        app, ["analyse", "--store", str(store), "--out", str(tmp_path / "an"), "--min-support", "3", "--no-pairs"]
    )
    assert res.exit_code == 0, res.output
    report = (tmp_path / "an" / "report.md").read_text(encoding="utf-8")
    assert f"school; {N} labelled," in report  # every school's t -> t+1 improvement, from the table
    labels = list(csv.DictReader((tmp_path / "an" / "labels.csv").open(encoding="utf-8")))
    assert len(labels) >= 0.8 * N  # compared: its report's findings joined it by URN (some name no practice)
    tested = {r["feature"] for r in csv.DictReader((tmp_path / "an" / "associations.csv").open(encoding="utf-8"))}
    assert tested & set(feature_names())


def test_pdf_is_read_by_the_project_reader_with_ligatures_headers_and_page_numbers(tmp_path: Path) -> None:
    from schoolkg.ingest.pdf import pdf_pages, pdf_text
    from schoolkg.synth.pdf import render_pdf
    from schoolkg.synth.reports import Block

    blocks = [
        Block("h1", ("Fieldton Primary School",)),
        Block("p", tuple(f"Sentence {i} is about the significant influence of reflective staff." for i in range(150))),
        Block("table", rows=(("Unique reference number", "912345"),)),
    ]
    data = render_pdf("t", "Inspection report: Fieldton Primary School, 1–2 May 2016", blocks)
    path = tmp_path / "r.pdf"
    raw = "".join(pdf_pages(data, path, "pypdf"))
    assert "\ufb01" in raw and "\ufb02" in raw  # ligatures in the text layer, as Word exports give
    pages = pdf_pages(data, path, "pdfium")
    assert len(pages) >= 2 and "Page 1 of" in pages[0] and "Inspection report: Fieldton" in pages[1]
    text = pdf_text(data, path)
    assert "Page 1 of" not in text and "Inspection report: Fieldton" not in text
    assert "Sentence 149 is about the significant influence of reflective staff." in " ".join(text.split())
    assert "Unique reference number\t912345" in text
