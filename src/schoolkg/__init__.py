"""schoolkg: a knowledge graph of English schools, improvement programmes, findings and outcomes.

The package root is the library; each ``schoolkg`` command is one of these calls plus printing.

>>> import schoolkg as skg
>>> summary = skg.build("corpus", "graphs/store")                    # doctest: +SKIP
>>> store = skg.open_store("graphs/store")                           # doctest: +SKIP
>>> skg.query(store, "strengths", subject=skg.iris.PROGRAMME_BASE + "eic").to_pandas()  # doctest: +SKIP
>>> skg.view(store, "cooccurrence")                                  # doctest: +SKIP

Stages are imported when first used, so ``import schoolkg`` stays light. See docs/api.md.
"""

import importlib as _importlib
import typing as _typing

from schoolkg.errors import ConfigError, InputError, QueryError, SchoolkgError, StoreError, ValidationError
from schoolkg.library import analyse, build, extract, ingest, open_store, query, validate, view

__all__ = [
    # the library
    "build",
    "ingest",
    "open_store",
    "query",
    "analyse",
    "view",
    "extract",
    "validate",
    # the ground floor a caller needs: IRIs, terms, and the errors (catch SchoolkgError for all)
    "iris",
    "vocab",
    "SchoolkgError",
    "InputError",
    "ConfigError",
    "StoreError",
    "QueryError",
    "ValidationError",
    "__version__",
]
__version__ = "0.1.0"


_LAZY_MODULES = ("iris", "vocab")
"""Ground-floor modules imported on first use: vocab loads pyoxigraph, which ``schoolkg --help``
and every library call that needs no RDF term can do without (issue 19, startup)."""


def __getattr__(name: str) -> _typing.Any:
    """``schoolkg.iris`` and ``schoolkg.vocab`` without importing them at ``import schoolkg``."""
    if name in _LAZY_MODULES:
        return _importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    """The attributes, the lazy modules among them."""
    return sorted(set(globals()) | set(_LAZY_MODULES))
