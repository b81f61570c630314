"""Analysis: which practices go with improvement, how often they co-occur, and how sure we can be.

Modules take plain data (counts, numpy arrays, scipy sparse matrices, lists of records) and
return plain data; only :mod:`schoolkg.analysis.graphs` reads the store and only
:mod:`schoolkg.analysis.report` writes files.
"""
