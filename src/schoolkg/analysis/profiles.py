"""Practice profiles: a sparse subjects x features matrix from findings, aware of polarity."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from schoolkg.errors import ConfigError

__all__ = ["POLARITY_MODES", "Profiles", "build_profiles", "feature_key"]

POLARITY_MODES = ("split", "strength", "any")


@dataclass(frozen=True)
class Profiles:
    """Which subject has which feature: ``matrix[i, j] == 1`` when subject i has feature j.

    A feature is a practice with a polarity (``"peer-observation:strength"``) in the default
    ``split`` mode, so "leaders track progress well" and "tracking is weak" are different columns.
    """

    subjects: list[str]
    features: list[str]
    matrix: sparse.csr_matrix

    def restrict(self, subjects: Sequence[str]) -> Profiles:
        """The rows of ``subjects`` in that order; a subject with no findings gets an empty row."""
        index = {s: i for i, s in enumerate(self.subjects)}
        rows = [index.get(s, -1) for s in subjects]
        have = [i for i, r in enumerate(rows) if r >= 0]
        picked = self.matrix[[rows[i] for i in have]] if have else sparse.csr_matrix((0, len(self.features)))
        coo = sparse.coo_matrix(picked)
        out = sparse.csr_matrix(
            (coo.data, (np.asarray(have, dtype=np.int64)[coo.row], coo.col)),
            shape=(len(subjects), len(self.features)),
            dtype=np.int8,
        )
        return Profiles(list(subjects), self.features, out)


def feature_key(practice: str, polarity: str, mode: str = "split") -> str:
    """Column name of a practice IRI with a polarity (a term IRI or its local name).

    >>> feature_key("https://w3id.org/schoolkg/practice/peer-observation", "skg#strength")
    'peer-observation:strength'
    >>> feature_key("https://w3id.org/schoolkg/practice/peer-observation", "weakness", "any")
    'peer-observation'
    """
    local = practice.rstrip("/").rsplit("/", 1)[-1]
    if mode == "any":
        return local
    return f"{local}:{polarity.rsplit('#', 1)[-1].rsplit('/', 1)[-1]}"


def build_profiles(findings: Iterable[tuple[str, str, str]], mode: str = "split") -> Profiles:
    """Build profiles from ``(subject, practice, polarity)`` triples (duplicates count once).

    ``mode`` is ``split`` (practice x polarity), ``strength`` (strength findings only) or
    ``any`` (the practice, whatever its polarity).

    Examples
    --------
    >>> p = build_profiles([("s1", "pr/a", "strength"), ("s1", "pr/b", "weakness"), ("s2", "pr/a", "strength")])
    >>> p.subjects, p.features, p.matrix.toarray().tolist()
    (['s1', 's2'], ['a:strength', 'b:weakness'], [[1, 1], [1, 0]])
    """
    if mode not in POLARITY_MODES:
        raise ConfigError(f"unknown polarity mode {mode!r}; known: {', '.join(POLARITY_MODES)}")
    pairs = set()
    for subject, practice, polarity in findings:
        if mode == "strength" and not polarity.endswith("strength"):
            continue
        pairs.add((subject, feature_key(practice, polarity, mode)))
    subjects = sorted({s for s, _ in pairs})
    features = sorted({f for _, f in pairs})
    si = {s: i for i, s in enumerate(subjects)}
    fi = {f: i for i, f in enumerate(features)}
    rows = np.fromiter((si[s] for s, _ in pairs), dtype=np.int64, count=len(pairs))
    cols = np.fromiter((fi[f] for _, f in pairs), dtype=np.int64, count=len(pairs))
    matrix = sparse.csr_matrix((np.ones(len(pairs), dtype=np.int8), (rows, cols)), shape=(len(subjects), len(features)))
    return Profiles(subjects, features, matrix)
