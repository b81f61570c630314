"""Is this an English word? The test that decides how an end-of-line hyphen is undone.

Backed by the English frequency list of the ``wordfreq`` package (loaded once, on first use).
"""

from __future__ import annotations

from functools import cache

__all__ = ["COMMON", "WORD", "zipf"]

WORD = 1.0
"""Zipf frequency (log10 of uses per billion words) from which a string counts as a word."""
COMMON = 3.0
"""Zipf frequency from which a word counts as common (about once per million words)."""


@cache
def zipf(word: str) -> float:
    """Zipf frequency of ``word`` in English (0.0 when unknown).

    >>> zipf("frequently") > COMMON > zipf("wellled")
    True
    """
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en", wordlist="large")
