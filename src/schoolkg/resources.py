"""Locate the files schoolkg ships: ontology/ and queries/ (installed or in a checkout)."""

from __future__ import annotations

from pathlib import Path

__all__ = ["ontology_dir", "queries_dir", "project_root"]

_PKG = Path(__file__).resolve().parent


def project_root() -> Path | None:
    """Return the source checkout this package runs from, or None when installed."""
    root = _PKG.parent.parent
    return root if (root / "pyproject.toml").is_file() else None


def _resource(name: str) -> Path:
    installed = _PKG / "_resources" / name
    if installed.is_dir():
        return installed
    root = project_root()
    if root is not None and (root / name).is_dir():
        return root / name
    raise FileNotFoundError(f"schoolkg resource folder {name!r} not found")


def ontology_dir() -> Path:
    """Folder holding schoolkg.ttl, practices.ttl and shapes.ttl."""
    return _resource("ontology")


def queries_dir() -> Path:
    """Folder holding the query catalogue (*.rq)."""
    return _resource("queries")
