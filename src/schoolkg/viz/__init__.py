"""Interactive graph pages (vis-network, offline): store → networkx graphs → HTML."""

from schoolkg.viz.data import VIEWS, build_view, query_graph
from schoolkg.viz.pages import render_index, render_page
from schoolkg.viz.site import write_site

__all__ = ["VIEWS", "build_view", "query_graph", "render_index", "render_page", "write_site"]
