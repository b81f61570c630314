"""The analysts' query catalogue: ``queries/*.rq`` files with a comment header.

Header lines (before the first non-comment line)::

    # title: Schools that improved
    # description: Which schools improved by at least one grade ...?
    # parameters: area:iri=<https://w3id.org/schoolkg/ontology#overallEffectiveness>; min:integer=1
    # columns: school, name, before, after
    # example: <https://w3id.org/schoolkg/id/school/123456>, "Hill School", "good", "outstanding"

``parameters`` is ``none`` or ``name:type=default`` items separated by ``;`` (types in
:data:`schoolkg.queries.params.PARAM_TYPES`); each parameter is a SPARQL variable of the query.
An ``iri`` value may be short: a prefixed name (``skg:achievement``) or a bare name
(``programme=bip``), which takes the namespace of the parameter's default IRI
(:func:`expand_iri`). A default of ``data`` leaves the variable unbound (``VALUES ?x { UNDEF }``)
for the query to compute from the data, such as the snapshot date of the latest judgement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from schoolkg.errors import ConfigError, InputError
from schoolkg.queries.params import PARAM_TYPES, UNDEF, Parameter, Term, bind_values, to_term
from schoolkg.resources import queries_dir
from schoolkg.vocab import PREFIXES

__all__ = [
    "FROM_DATA",
    "CatalogueQuery",
    "expand_iri",
    "get_query",
    "load_catalogue",
    "parse_header",
    "parse_query_file",
    "render_markdown",
]

FROM_DATA = "data"
"""The default that leaves a parameter for the query to compute from the data."""

REQUIRED = ("title", "description", "parameters", "columns", "example")
_PARAM = re.compile(r"^(?P<name>[A-Za-z_]\w*):(?P<type>\w+)(?:=(?P<default>.*))?$")


@dataclass(frozen=True)
class CatalogueQuery:
    """One catalogue entry: its name (file stem), header fields and SPARQL text."""

    name: str
    title: str
    description: str
    parameters: tuple[Parameter, ...]
    columns: tuple[str, ...]
    example: str
    sparql: str
    path: Path | None = field(default=None, compare=False)

    def bound(self, values: dict[str, str] | None = None) -> str:
        """The SPARQL text with parameters (given ``values`` over defaults) bound by VALUES.

        Raises ConfigError for an unknown parameter or one with neither value nor default.
        """
        values = dict(values or {})
        known = {p.name: p for p in self.parameters}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"query {self.name!r} has no parameter {unknown[0]!r}; it takes: {', '.join(known) or 'none'}"
            )
        terms: dict[str, Term] = {}
        for p in self.parameters:
            text = values.get(p.name, p.default)
            if text is None or text == "":
                raise ConfigError(f"query {self.name!r} needs a value for parameter {p.name!r}")
            if text == FROM_DATA and p.name not in values:
                terms[p.name] = UNDEF
                continue
            try:
                terms[p.name] = to_term(expand_iri(text, p.default) if p.type == "iri" else text, p.type)
            except ConfigError as err:
                raise ConfigError(f"--param {p.name}: {err}") from None
        return bind_values(self.sparql, terms)


def expand_iri(value: str, default: str | None = None) -> str:
    """A full IRI for an ``iri`` parameter value: IRIs as given, prefixed names by the prefix
    table, and bare names in the namespace of ``default`` (the parameter's default IRI).

    >>> expand_iri("bip", "<https://w3id.org/schoolkg/programme/eic>")
    'https://w3id.org/schoolkg/programme/bip'
    >>> expand_iri("skg:achievement"), expand_iri("<https://x.test/a>")
    ('https://w3id.org/schoolkg/ontology#achievement', '<https://x.test/a>')
    """
    text = value.strip()
    if text.startswith("<") or "://" in text:
        return text
    prefix, sep, local = text.partition(":")
    if sep and prefix in PREFIXES:
        return PREFIXES[prefix] + local
    if not sep and default and re.fullmatch(r"[A-Za-z0-9_.-]+", text):
        base = default.strip("<>")
        cut = max(base.rfind("/"), base.rfind("#"))
        if cut > 0:
            return base[: cut + 1] + text
    return text


def parse_header(text: str) -> dict[str, str]:
    """The ``# key: value`` lines at the top of a .rq file, as a dict.

    >>> parse_header("# title: T\\n# columns: a, b\\nSELECT ?a ?b WHERE {}")
    {'title': 'T', 'columns': 'a, b'}
    """
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line[1:].partition(":")
        if sep and key.strip().isidentifier():
            header[key.strip().lower()] = value.strip()
    return header


def parse_query_file(path: Path) -> CatalogueQuery:
    """Read one ``.rq`` file; raise InputError naming the file if its header is incomplete."""
    text = Path(path).read_text(encoding="utf-8")
    header = parse_header(text)
    for key in REQUIRED:
        if not header.get(key):
            raise InputError(f"missing '# {key}:' header line", path=path, field=key)
    return CatalogueQuery(
        name=Path(path).stem,
        title=header["title"],
        description=header["description"],
        parameters=_parse_parameters(header["parameters"], path),
        columns=tuple(c.strip() for c in header["columns"].split(",") if c.strip()),
        example=header["example"],
        sparql=text,
        path=Path(path),
    )


def load_catalogue(folder: Path | None = None) -> list[CatalogueQuery]:
    """Every query in ``folder`` (default: the shipped ``queries/``), sorted by name."""
    folder = Path(folder) if folder is not None else queries_dir()
    return [parse_query_file(p) for p in sorted(folder.glob("*.rq"))]


def get_query(name: str, folder: Path | None = None) -> CatalogueQuery:
    """The catalogue query called ``name``; ConfigError listing the known names otherwise."""
    queries = {q.name: q for q in load_catalogue(folder)}
    if name not in queries:
        raise ConfigError(f"no catalogue query {name!r}; known: {', '.join(sorted(queries))}")
    return queries[name]


def render_markdown(queries: list[CatalogueQuery]) -> str:
    """``docs/queries.md``: one section per query, generated from the headers."""
    out = [
        "# Query catalogue",
        "",
        "<!-- Generated from the headers of queries/*.rq by `python -m schoolkg.queries.catalogue`;"
        " tests/test_queries_catalogue.py fails when this file is stale. -->",
        "",
        "Run one with `schoolkg query NAME [--param key=value ...] [--format table|csv|tsv|json]`,",
        "list them with `schoolkg queries`, or from the endpoint at `/queries/NAME?key=value`.",
        "An `iri` parameter also takes a short name: `--param programme=bip` (the namespace of its",
        "default) or a prefixed name (`--param area=skg:achievement`). A default of `data` means the",
        "query computes it from the data (e.g. the as-of date of `schools-not-inspected` is the latest",
        "judgement's date, so a 2017 snapshot is read as of 2017): no query uses `NOW()`.",
        "Counts are of distinct triples: the default graph is the set union of the named graphs.",
        "",
        "| name | question |",
        "| --- | --- |",
    ]
    out += [f"| [`{q.name}`](#{q.name}) | {q.title} |" for q in queries]
    for q in queries:
        params = ", ".join(f"`{p.name}` ({p.type}, default `{p.default}`)" for p in q.parameters) or "none"
        out += [
            "",
            f"## {q.name}",
            "",
            f"**{q.title}.** {q.description}",
            "",
            f"- parameters: {params}",
            f"- columns: {', '.join(f'`{c}`' for c in q.columns)}",
            f"- example row: `{q.example}`",
            f"- run: `schoolkg query {q.name}" + "".join(f" --param {p.name}=..." for p in q.parameters[:1]) + "`",
        ]
    return "\n".join(out) + "\n"


def _parse_parameters(text: str, path: Path) -> tuple[Parameter, ...]:
    if text.strip().lower() == "none":
        return ()
    params = []
    for item in text.split(";"):
        m = _PARAM.match(item.strip())
        if not m or m["type"] not in PARAM_TYPES:
            raise InputError(f"bad parameter {item.strip()!r}; write name:type=default", path=path, field="parameters")
        params.append(Parameter(m["name"], m["type"], (m["default"] or "").strip() or None))
    return tuple(params)


if __name__ == "__main__":  # pragma: no cover - regenerates docs/queries.md
    from schoolkg.resources import project_root

    root = project_root()
    if root is None:
        raise SystemExit("run from a source checkout")
    (root / "docs" / "queries.md").write_text(render_markdown(load_catalogue()), encoding="utf-8")
