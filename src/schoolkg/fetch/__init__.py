"""Fetch inspection reports from Ofsted's public reports service into a cache folder (docs/fetch.md).

The stage before ingest: it reads URNs or an outcomes table, lists each school's reports on
the service, and downloads them politely into ``CACHE/documents/URN/`` with a manifest,
``CACHE/manifest.jsonl``, that a build can read. It imports only the ground floor.

>>> from schoolkg.fetch import Service, targets_from_args
>>> [Service().provider_urls(t.urn)[0] for t in targets_from_args(["123166"])]
['https://reports.ofsted.gov.uk/provider/21/123166']
"""

from __future__ import annotations

from schoolkg.fetch.client import FetchError, Policy, PoliteClient, ServiceRefused, user_agent
from schoolkg.fetch.manifest import MANIFEST, Entry, current, read_manifest
from schoolkg.fetch.run import Counts, FetchOptions, FetchSummary, fetch_reports
from schoolkg.fetch.service import DEFAULT_BASE_URL, Service, parse_provider_page
from schoolkg.fetch.targets import Target, merge_targets, read_targets, targets_from_args

__all__ = [
    "DEFAULT_BASE_URL",
    "MANIFEST",
    "Counts",
    "Entry",
    "FetchError",
    "FetchOptions",
    "FetchSummary",
    "Policy",
    "PoliteClient",
    "Service",
    "ServiceRefused",
    "Target",
    "current",
    "fetch_reports",
    "merge_targets",
    "parse_provider_page",
    "read_manifest",
    "read_targets",
    "targets_from_args",
    "user_agent",
]
