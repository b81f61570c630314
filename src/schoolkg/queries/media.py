"""Which media type answers a query: the formats offered per query form, and content negotiation.

SELECT and ASK answer in the four SPARQL 1.1 result formats; CONSTRUCT and DESCRIBE in six RDF
syntaxes. A client chooses with ``Accept`` (q-values, wildcards) or a ``format`` name — the
names SPARQLWrapper sends (``json``, ``xml``, ``turtle``, ``n3``, ``rdf+xml``, ``json-ld``,
``csv``, ``tsv``) and plain media types — and gets 406 Not Acceptable for anything not offered.
All serializers are pyoxigraph's.
"""

from __future__ import annotations

import pyoxigraph

from schoolkg.errors import QueryError

__all__ = ["RDF_MEDIA", "RESULT_MEDIA", "NotAcceptable", "negotiate", "offered"]

RESULT_MEDIA = {
    "application/sparql-results+json": pyoxigraph.QueryResultsFormat.JSON,
    "application/sparql-results+xml": pyoxigraph.QueryResultsFormat.XML,
    "text/csv": pyoxigraph.QueryResultsFormat.CSV,
    "text/tab-separated-values": pyoxigraph.QueryResultsFormat.TSV,
}
RDF_MEDIA = {
    "text/turtle": pyoxigraph.RdfFormat.TURTLE,
    "application/n-triples": pyoxigraph.RdfFormat.N_TRIPLES,
    "application/rdf+xml": pyoxigraph.RdfFormat.RDF_XML,
    "application/ld+json": pyoxigraph.RdfFormat.JSON_LD,
    "application/n-quads": pyoxigraph.RdfFormat.N_QUADS,
    "application/trig": pyoxigraph.RdfFormat.TRIG,
}
# Other names for an offered type: (results meaning, RDF meaning); None where it has none.
_ALIASES = {
    "application/json": ("application/sparql-results+json", "application/ld+json"),
    "application/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/xml": ("application/sparql-results+xml", "application/rdf+xml"),
    "text/javascript": ("application/sparql-results+json", None),
    "application/javascript": ("application/sparql-results+json", None),
    "application/x-turtle": (None, "text/turtle"),
    "application/turtle": (None, "text/turtle"),
    "text/n3": (None, "text/turtle"),
    "text/rdf+n3": (None, "text/turtle"),
    "application/n3": (None, "text/turtle"),
    "text/plain": (None, "application/n-triples"),
    "application/x-json+ld": (None, "application/ld+json"),
    "text/x-nquads": (None, "application/n-quads"),
    "application/x-trig": (None, "application/trig"),
}
_NAMES = {
    "json": "application/json",
    "xml": "application/xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/n3",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n-triples": "application/n-triples",
    "rdf": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "nq": "application/n-quads",
    "nquads": "application/n-quads",
    "n-quads": "application/n-quads",
    "trig": "application/trig",
}


class NotAcceptable(QueryError):
    """No offered format matches the request's Accept header or format name; HTTP 406."""

    http_status = 406
    reason = "not-acceptable"


def offered(form: str) -> list[str]:
    """The media types offered for a query ``form``, the default first.

    >>> offered("ASK")[:2]
    ['application/sparql-results+json', 'application/sparql-results+xml']
    """
    return list(RDF_MEDIA if form in ("CONSTRUCT", "DESCRIBE") else RESULT_MEDIA)


def negotiate(accept: str | None, form: str, explicit: list[str] | tuple[str, ...] = ()) -> str:
    """The media type to answer a ``form`` query with.

    ``explicit`` are ``format`` (or ``output``/``results``) values: the first one offered wins.
    Otherwise the Accept header decides (highest q, then the most specific type, then order);
    no header or ``*/*`` gives the default. Raises NotAcceptable when nothing offered matches.

    Examples
    --------
    >>> negotiate("text/csv;q=0.9, application/sparql-results+xml", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("*/*", "CONSTRUCT")
    'text/turtle'
    >>> negotiate("text/html", "ASK", ["json"])
    'application/sparql-results+json'
    >>> negotiate(None, "CONSTRUCT", ["xml", "application/rdf+xml"])
    'application/rdf+xml'
    >>> negotiate("application/xml", "SELECT")
    'application/sparql-results+xml'
    >>> negotiate("image/png", "SELECT")
    Traceback (most recent call last):
    ...
    schoolkg.queries.media.NotAcceptable: no offered format for a SELECT query matches image/png; offered: \
application/sparql-results+json, application/sparql-results+xml, text/csv, text/tab-separated-values
    """
    types = offered(form)
    if explicit:
        for name in explicit:
            media = _resolve(_NAMES.get(name.strip().lower(), name.strip().lower()), form)
            if media in types:
                return media
        raise NotAcceptable(f"format {explicit[0]!r} is not offered for a {form} query; offered: {', '.join(types)}")
    if not accept or not accept.strip():
        return types[0]
    ranked = []
    for order, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        if not media:
            continue
        q = next((_q(p.split("=", 1)[1]) for p in params if p.replace(" ", "").lower().startswith("q=")), 1.0)
        if q > 0:
            ranked.append((-q, media.count("*"), order, media.lower()))
    for _, _, _, media in sorted(ranked):
        if media == "*/*":
            return types[0]
        if media.endswith("/*"):
            match = next((t for t in types if t.startswith(media[:-1])), None)
            if match:
                return match
            continue
        resolved = _resolve(media, form)
        if resolved in types:
            return resolved
    wanted = accept.strip()[:200]
    raise NotAcceptable(f"no offered format for a {form} query matches {wanted}; offered: {', '.join(types)}")


def _resolve(media: str, form: str) -> str:
    if media in _ALIASES:
        results, rdf = _ALIASES[media]
        return (rdf if form in ("CONSTRUCT", "DESCRIBE") else results) or media
    return media


def _q(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        return 0.0
    return value if 0.0 <= value <= 1.0 else 0.0
