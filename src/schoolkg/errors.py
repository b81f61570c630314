"""Errors raised by schoolkg. Catching SchoolkgError catches them all.

SchoolkgError
  InputError        a file, row or field we cannot read      exit 2, HTTP 400
  ConfigError       unknown setting, store path or name      exit 2, HTTP 400
  StoreError        the store failed or refused              exit 3, HTTP 502
    QueryError      a SPARQL query did not parse or run      exit 2, HTTP 400
  ValidationError   SHACL or OWL checks failed (has report)  exit 1, HTTP 422
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "ConfigError",
    "InputError",
    "QueryError",
    "SchoolkgError",
    "StoreError",
    "ValidationError",
    "input_context",
]


class SchoolkgError(Exception):
    """Root of every error schoolkg raises on purpose."""

    exit_code = 1
    http_status = 500


class InputError(SchoolkgError):
    """A file, row or field that cannot be read; carries where it happened."""

    exit_code, http_status = 2, 400

    def __init__(
        self,
        problem: str,
        *,
        field: str | None = None,
        path: str | Path | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(problem)
        self.problem, self.field, self.path, self.line = problem, field, path, line

    def __str__(self) -> str:
        where = ":".join(str(x) for x in (self.path, self.line) if x is not None)
        what = f"{self.field}: {self.problem}" if self.field else self.problem
        return f"{where}: {what}" if where else what


class ConfigError(SchoolkgError):
    """An unknown setting, name or path given by the user."""

    exit_code, http_status = 2, 400


class StoreError(SchoolkgError):
    """The store failed or refused an operation."""

    exit_code, http_status = 3, 502


class QueryError(StoreError):
    """A SPARQL query that did not parse or run."""

    exit_code, http_status = 2, 400


class ValidationError(SchoolkgError):
    """SHACL or OWL checks failed; ``report`` holds the readable report."""

    exit_code, http_status = 1, 422

    def __init__(self, problem: str, report: str = "") -> None:
        super().__init__(problem)
        self.report = report


@contextmanager
def input_context(path: str | Path, line: int | None = None) -> Iterator[None]:
    """Fill in ``path`` (and ``line``) of an InputError raised inside the block.

    >>> try:
    ...     with input_context("t.csv", 3):
    ...         raise InputError("bad", field="URN")
    ... except InputError as e:
    ...     print(e)
    t.csv:3: URN: bad
    """
    try:
        yield
    except InputError as err:
        if err.path is None:
            err.path = path
        if err.line is None:
            err.line = line
        raise
