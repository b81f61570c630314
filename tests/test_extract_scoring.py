"""The real-format gold scorer: snippets located through ligatures and line breaks, matching rules."""

from schoolkg.extract.scoring import locate, score_report

TEXT = "Hill School\nURN 123456\nLeaders are e\ufb00ective.\nTeaching is weak in year 2. Outside view text."
GOLD = {
    "format": "s5-2015",
    "subject_type": "school",
    "school": {"name": "Hill School", "urn": "123456", "local_authority": None},
    "judgements": [
        {"area": "overall effectiveness", "scale": "four-point", "label": "good", "grade": 2, "snippet": "x"}
    ],
    "previous": [],
    "findings": [
        {"subject": "school", "polarity": "strength", "kind": "practice", "theme": "leadership",
         "snippet": "Leaders are effective."},
        {"subject": "school", "polarity": "weakness", "kind": "practice", "theme": "teaching",
         "snippet": "Teaching is weak in year 2."},
        {"subject": "school", "polarity": "weakness", "kind": "outcome", "theme": "reading",
         "snippet": "a sentence the ingest lost"},
    ],
    "figures": [],
}  # fmt: skip


def _pred(findings, entity_urn="123456"):
    return {
        "document": {"format": "s5-2015", "subject": "school-1"},
        "entities": [{"id": "school-1", "type": "School", "name": "Hill  school", "urn": entity_urn}],
        "judgements": [{"subject": "school-1", "area": "Overall effectiveness", "scale": "four-point",
                        "grade_label": "good", "previous": False}],
        "findings": findings,
        "figures": [],
    }  # fmt: skip


def test_locate_folds_ligatures_and_whitespace():
    start, end = locate("leaders are effective.", TEXT)
    assert TEXT[start:end] == "Leaders are e\ufb00ective."


def test_scores_spans_polarity_and_agreement():
    strength = {"start": 24, "end": 46, "polarity": "strength", "kind": "practice", "theme": "leadership",
                "subject": "school-1"}  # fmt: skip
    wrong_polarity = {"start": 47, "end": 74, "polarity": "strength", "kind": "practice", "theme": "teaching",
                      "subject": "school-1"}  # fmt: skip
    result = score_report(_pred([strength, wrong_polarity]), TEXT, GOLD)
    f = result.fields["findings"]
    assert (f.tp, f.predicted, f.gold) == (1, 2, 3)
    assert result.unresolved == ["finding: a sentence the ingest lost"]
    assert result.agreement["theme"] == [1, 1]
    assert result.identified and result.format_correct
    assert result.fields["judgements"].tp == 1


def test_a_wrong_urn_is_not_identified():
    assert not score_report(_pred([], entity_urn="654321"), TEXT, GOLD).identified
