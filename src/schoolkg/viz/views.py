"""The registry of views: name -> function from a store to a plain networkx graph.

The built-in views are registered here with :func:`register`, the call an addition uses; the
CLI's ``--view`` choices and the tests' parameters are read from :data:`VIEWS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from schoolkg.errors import ConfigError
from schoolkg.store.base import Store
from schoolkg.viz.cooccurrence import cooccurrence_graph
from schoolkg.viz.ego import ego_graph
from schoolkg.viz.evidence import evidence_graph
from schoolkg.viz.programmes import programmes_graph

__all__ = ["VIEWS", "ViewFn", "build_view", "register"]

ViewFn = Callable[..., nx.Graph]
VIEWS: dict[str, ViewFn] = {}


def register(name: str, fn: ViewFn) -> ViewFn:
    """Add a view function to :data:`VIEWS` under ``name``."""
    VIEWS[name] = fn
    return fn


def build_view(name: str, store: Store, **options: Any) -> nx.Graph:
    """Return the graph of view ``name``; ``options`` are passed to the view function."""
    if name not in VIEWS:
        raise ConfigError(f"unknown view {name!r}; known: {', '.join(sorted(VIEWS))}")
    return VIEWS[name](store, **options)


for _name, _fn in (
    ("programmes", programmes_graph),
    ("cooccurrence", cooccurrence_graph),
    ("ego", ego_graph),
    ("evidence", evidence_graph),
):
    register(_name, _fn)
