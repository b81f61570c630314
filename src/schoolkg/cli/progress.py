"""Progress on standard error for long commands: a bar on a terminal, plain lines, or nothing."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager

from schoolkg.errors import ConfigError
from schoolkg.pipeline import Progress

__all__ = ["MODES", "progress_reporter"]

MODES = ("auto", "bar", "plain", "none")


@contextmanager
def progress_reporter(mode: str, total: int) -> Iterator[Progress | None]:
    """A progress callback for ``mode`` (auto: a bar when stderr is a terminal, else none).

    ``plain`` writes one ``progress: STEP DONE/TOTAL`` line a step (what tests and logs read).
    """
    if mode not in MODES:
        raise ConfigError(f"unknown --progress {mode!r}; use auto, bar, plain or none")
    if mode == "auto":
        mode = "bar" if sys.stderr.isatty() else "none"
    if mode == "none":
        yield None
    elif mode == "plain":
        done = 0

        def plain(what: str, n: int) -> None:
            nonlocal done
            done += n
            print(f"progress: {what} {done}/{total}", file=sys.stderr, flush=True)

        yield plain
    else:
        from rich.progress import BarColumn, Progress, TextColumn

        columns = (TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"))
        with Progress(*columns, transient=True) as bar:
            task = bar.add_task("building", total=total)
            yield lambda what, n: bar.update(task, advance=n, description=what)
