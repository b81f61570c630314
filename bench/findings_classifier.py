"""Rules or a trained classifier for findings? Cross-validation by document on the dev gold (issue 14).

Every sentence of every dev document (each source rendered as HTML, so that text fidelity does
not enter the comparison) is a unit, labelled from the gold: is it (part of) a finding, and, for
findings of one polarity, which. Three deciders are compared, each scored by leave-one-document-out
cross-validation (the classifiers never see the document they are scored on):

- ``rules``: what ``extract/statements.py`` and ``extract/polarity.py`` decide;
- ``logreg``: logistic regression on word 1-2 grams, the section role and heading/boilerplate flags;
- ``logreg+rules``: the same plus the rules' decision and polarity score as features.

``--holdout REGEX`` instead trains on the documents whose names do not match and scores on those
that do (e.g. the formats added to the dev gold after the rules were written).

Run ``python bench/findings_classifier.py [--holdout REGEX]`` (needs scikit-learn, not a dependency of schoolkg:
``pip install scikit-learn``). Prints accuracy and F1 per task and decider, and the time per
sentence.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "fixtures" / "reports" / "dev"


def _units() -> list[dict]:
    sys.path.insert(0, str(DEV))
    import make_dev_docs as mk  # the dev gold's own renderer

    from schoolkg.extract.polarity import score
    from schoolkg.extract.scoring import _Folded, _resolve, load_report_gold
    from schoolkg.extract.statements import find_statements, is_boilerplate, section_role
    from schoolkg.ingest.documents import read_document
    from schoolkg.ingest.segment import segment_document

    units = []
    with tempfile.TemporaryDirectory() as tmp:
        for path, gold in load_report_gold(DEV):
            html = Path(tmp) / (path.stem + ".html")
            mk.render_html(mk.read_source(DEV / "src" / (path.stem + ".src")), html)
            doc = read_document(html, html.parent)
            seg = segment_document(doc)
            golds = _resolve(gold["findings"], _Folded.of(doc.text), [], "finding")
            found = list(find_statements(seg))
            for s in seg.sentences:
                hit = [g for g in golds if g["start"] < s.end and s.start < g["end"]]
                mine = [st for st in found if st.start < s.end and s.start < st.end]
                pols = {g["polarity"] for g in hit}
                units.append(
                    {
                        "doc": path.stem,
                        "text": s.text,
                        "role": section_role(s.section) or section_role(s.intro) or "none",
                        "boiler": is_boilerplate(s.text),
                        "score": score(s.text),
                        "finding": bool(hit),
                        "polarity": pols.pop() if len(pols) == 1 else None,
                        "rule_finding": bool(mine),
                        "rule_polarity": mine[0].polarity if len(mine) == 1 else None,
                    }
                )
    return units


def main(argv: list[str] | None = None) -> int:
    import argparse
    import re

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--holdout", help="score only documents matching this regex, training on the rest")
    args = parser.parse_args(argv)
    try:
        import numpy as np
        from scipy.sparse import csr_matrix, hstack
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import accuracy_score, f1_score
        from sklearn.model_selection import LeaveOneGroupOut
    except ImportError:
        sys.exit("needs scikit-learn: pip install scikit-learn")
    units = _units()
    print(f"{len(units)} sentences in {len({u['doc'] for u in units})} documents")
    roles = sorted({u["role"] for u in units})

    def extra(us: list[dict], with_rules: bool):  # type: ignore[no-untyped-def]
        rows = []
        for u in us:
            row = [u["role"] == r for r in roles] + [u["boiler"], u["text"].rstrip()[-1:] in ".;:!"]
            if with_rules:
                row += [u["rule_finding"], np.sign(u["score"]), u["score"]]
            rows.append(row)
        return csr_matrix(np.asarray(rows, dtype=float))

    for task in ("finding", "polarity"):
        us = [u for u in units if task == "finding" or (u["finding"] and u["polarity"])]
        y = np.array([u[task] if task == "finding" else u[task] == "strength" for u in us])
        groups = np.array([u["doc"] for u in us])
        texts = [u["text"] for u in us]
        if task == "finding":
            rules = np.array([u["rule_finding"] for u in us])
        else:
            rules = np.array([(u["rule_polarity"] or ("strength" if u["score"] >= 0 else "weakness")) == "strength"
                              for u in us])  # fmt: skip
        results = {"rules": rules}
        for name, with_rules in (("logreg", False), ("logreg+rules", True)):
            pred = np.zeros(len(us), dtype=bool)
            if args.holdout:
                held = np.array([bool(re.search(args.holdout, g)) for g in groups])
                splits = [(np.where(~held)[0], np.where(held)[0])]
            else:
                splits = list(LeaveOneGroupOut().split(texts, y, groups))
            for train, test in splits:
                vec = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True)
                xtr = hstack([vec.fit_transform([texts[i] for i in train]), extra([us[i] for i in train], with_rules)])
                xte = hstack([vec.transform([texts[i] for i in test]), extra([us[i] for i in test], with_rules)])
                model = LogisticRegression(max_iter=2000, C=4.0, class_weight="balanced").fit(xtr, y[train])
                pred[test] = model.predict(xte)
            results[name] = pred
        scored = np.ones(len(us), dtype=bool)
        if args.holdout:
            scored = np.array([bool(re.search(args.holdout, g)) for g in groups])
        print(f"\n{task} ({scored.sum()} units scored, {y[scored].mean():.0%} positive):")
        for name, pred in results.items():
            acc, f1 = accuracy_score(y[scored], pred[scored]), f1_score(y[scored], pred[scored])
            print(f"  {name:13} accuracy {acc:.3f}  F1 {f1:.3f}")
    from schoolkg.extract.polarity import score

    score.cache_clear()
    t0 = time.perf_counter()
    for u in units:
        score(u["text"] + " ")
    print(f"\nrule polarity: {(time.perf_counter() - t0) / len(units) * 1e6:.0f} µs per sentence")
    return 0


if __name__ == "__main__":
    sys.exit(main())
