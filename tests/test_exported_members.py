"""The public surface of ``import schoolkg`` is exactly what __all__ lists (as httpx tests its own)."""

from __future__ import annotations

import inspect

import schoolkg

LIBRARY = {"build", "ingest", "open_store", "query", "analyse", "view", "extract", "validate"}
ERRORS = {"SchoolkgError", "InputError", "ConfigError", "StoreError", "QueryError", "ValidationError"}


def test_all_lists_every_public_name_and_only_those() -> None:
    """Every public attribute is in __all__; the only others are schoolkg's own subpackages and modules."""
    public = {n for n in dir(schoolkg) if not n.startswith("_")}
    modules = {n for n in public if inspect.ismodule(getattr(schoolkg, n))}
    assert set(schoolkg.__all__) - {"iris", "vocab"} == (public - modules) | {"__version__"}
    assert all(getattr(schoolkg, n).__name__ == f"schoolkg.{n}" for n in modules)
    assert len(set(schoolkg.__all__)) == len(schoolkg.__all__)


def test_library_functions_errors_and_modules() -> None:
    assert LIBRARY | ERRORS | {"iris", "vocab", "__version__"} == set(schoolkg.__all__)
    for name in LIBRARY:
        fn = getattr(schoolkg, name)
        assert inspect.isfunction(fn) and fn.__module__ == "schoolkg.library" and fn.__doc__, name
    for name in ERRORS:
        assert issubclass(getattr(schoolkg, name), schoolkg.SchoolkgError)


def test_stage_imports_do_not_replace_library_functions() -> None:
    """extract, ingest and validate are stages too: importing their modules keeps the functions."""
    from schoolkg.extract.document import extract_document  # noqa: F401
    from schoolkg.ingest.documents import read_document  # noqa: F401
    from schoolkg.validate.report import validate_nquads  # noqa: F401

    for name in ("extract", "ingest", "validate"):
        assert inspect.isfunction(getattr(schoolkg, name)), name
