"""The schoolkg command line: a thin skin over the library, with one error boundary.

Every module in this package adds its commands to the shared ``app`` when imported; a new
command is a new module here, nothing else to register.
"""

from __future__ import annotations

import importlib
import pkgutil

from schoolkg.cli.app import app

__all__ = ["app", "main"]

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "app":
        importlib.import_module(f"{__name__}.{_mod}")


def main() -> None:
    """Console-script entry point."""
    app()
