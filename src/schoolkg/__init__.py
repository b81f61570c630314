"""schoolkg: a knowledge graph of English schools, improvement programmes, findings and outcomes."""

from schoolkg.errors import SchoolkgError

__all__ = ["SchoolkgError", "__version__"]
__version__ = "0.1.0"
