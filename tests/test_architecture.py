"""The code's floors (DESIGN.md): data flows one way, the ground floor imports no stage, no loops."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "src" / "schoolkg"

# Each top-level part of the package and its floor: a module may import its own floor and those below.
FLOORS = {
    **dict.fromkeys(("model", "errors", "resources", "iris", "vocab", "vocab_gen", "ontology_doc", "patterns"), 0),
    "ingest": 1,
    "fetch": 1,  # downloads documents for ingest; imports only the ground floor
    "extract": 2,
    "mapping": 3,
    "synth": 4,  # generates quads as mapping does, for tests and benchmarks
    "validate": 4,
    "store": 5,
    "queries": 6,
    "stats": 6,
    "analysis": 7,
    "viz": 8,
    "pipeline": 9,
    "library": 10,  # the library: calls into every stage
    "__init__": 10,  # the package root re-exports the library
    "cli": 11,  # a thin skin over the library
    "__main__": 12,
}


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(PKG).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts = parts[:-1]
        out[".".join(["schoolkg", *parts])] = path
    return out


MODULES = _modules()


def _imports(path: Path, top_level_only: bool = False) -> list[tuple[str, list[str], int]]:
    """(module imported, names taken from it, line) for each import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, [a.name for a in node.names], node.lineno))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
    return [f for f in found if f[0] == "schoolkg" or f[0].startswith("schoolkg.")]


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _targets(module: str, names: list[str]) -> list[str]:
    """The modules an import reaches: ``from schoolkg import iris`` reaches schoolkg.iris."""
    subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
    return subs or [module]


def test_every_part_has_a_floor() -> None:
    assert {_part(m) for m in MODULES} <= set(FLOORS)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_stage_imports_a_later_one(module: str) -> None:
    floor = FLOORS[_part(module)]
    for imported, names, line in _imports(MODULES[module]):
        for target in _targets(imported, names):
            assert FLOORS[_part(target)] <= floor, f"{module}:{line} imports {target}, a later floor"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_no_private_names_across_parts(module: str) -> None:
    for imported, names, line in _imports(MODULES[module]):
        private = [n for n in names if n.startswith("_") and not n.startswith("__")]
        if _part(imported) != _part(module):
            assert not private, f"{module}:{line} imports private {private} from {imported}"


def test_no_import_loops() -> None:
    """Module-level imports form no cycle (a loop means two modules each need the other first)."""
    graph = {
        m: {t for imp, names, _ in _imports(p, top_level_only=True) for t in _targets(imp, names) if t != m}
        for m, p in MODULES.items()
    }
    state: dict[str, int] = {}

    def visit(m: str, trail: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph.get(m, ())):
            if t not in MODULES:
                continue
            assert state.get(t) != 1, "import loop: " + " -> ".join([*trail[trail.index(t) :], t])
            if t not in state:
                visit(t, [*trail, t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])


def test_no_bottom_imports() -> None:
    """Imports come before the code (a registry is filled by calls, not by imports at the end)."""
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        seen_code = False
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef, ast.AsyncFunctionDef)):
                seen_code = True
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                assert not seen_code, f"{module}:{node.lineno} imports after its code"


def test_every_doctest_module_is_collected() -> None:
    """No folder holding doctests is one pytest skips by default (``build/`` once hid 25 of them)."""
    import fnmatch
    import tomllib

    skipped = ("*.egg", ".*", "_darcs", "build", "CVS", "dist", "node_modules", "venv", "{arch}")
    root = PKG.parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--doctest-modules" in config["addopts"]
    for path in [*PKG.rglob("*.py"), *(root / "bench").rglob("*.py")]:
        if ">>>" not in path.read_text(encoding="utf-8"):
            continue
        rel = path.relative_to(root)
        assert rel.parts[0] in config["testpaths"], f"{rel}: its doctests are outside testpaths"
        for part in rel.parts[:-1]:
            assert not any(fnmatch.fnmatch(part, pat) for pat in skipped), f"{rel}: pytest skips {part}/"
