"""Interactive graph pages (vis-network, offline): store -> networkx graphs -> HTML."""
