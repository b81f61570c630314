"""Hand out a few slots (query workers) fairly among clients.

A client (an address) may hold at most ``per_client`` of the ``slots`` at once (by default all
but one, so one client's slow queries always leave a slot for somebody else), and a slot that
frees goes to the waiting client holding fewest, then to the longest waiting.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter

from schoolkg.errors import QueryError

__all__ = ["FairSlots", "ServerBusy"]


class ServerBusy(QueryError):
    """No slot became free for this client within the queue time limit; HTTP 503."""

    http_status = 503
    reason = "busy"


class FairSlots:
    """``slots`` slots shared fairly; :meth:`acquire` waits at most ``queue_timeout`` seconds.

    >>> gate = FairSlots(2, queue_timeout=0.1)
    >>> gate.acquire("a"); gate.acquire("b")
    >>> try:
    ...     gate.acquire("a")
    ... except ServerBusy as err:
    ...     print(err)
    no query worker was free within 0.1 s; try again later
    >>> gate.release("b"); gate.acquire("c"); gate.held("c")
    1
    """

    def __init__(self, slots: int, per_client: int | None = None, queue_timeout: float = 30.0) -> None:
        self.slots = max(1, slots)
        self.per_client = max(1, per_client if per_client is not None else self.slots - 1)
        self.queue_timeout = queue_timeout
        self._cond = threading.Condition()
        self._active: Counter[str] = Counter()
        self._waiting: list[tuple[int, str]] = []
        self._tickets = itertools.count()

    def acquire(self, client: str) -> None:
        """Take a slot for ``client``, waiting for its turn; ServerBusy after the queue limit."""
        with self._cond:
            ticket = next(self._tickets)
            self._waiting.append((ticket, client))
            deadline = time.monotonic() + self.queue_timeout
            try:
                while not (sum(self._active.values()) < self.slots and self._next() == ticket):
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise ServerBusy(f"no query worker was free within {self.queue_timeout:g} s; try again later")
                    self._cond.wait(remaining)
                self._active[client] += 1
            finally:
                self._waiting.remove((ticket, client))
                self._cond.notify_all()

    def release(self, client: str) -> None:
        """Give ``client``'s slot back."""
        with self._cond:
            self._active[client] -= 1
            if self._active[client] <= 0:
                del self._active[client]
            self._cond.notify_all()

    def held(self, client: str) -> int:
        """How many slots ``client`` holds now."""
        with self._cond:
            return self._active[client]

    def _next(self) -> int | None:
        """The waiter served next: fewest slots held by its client, then the longest waiting."""
        eligible = [(self._active[c], t) for t, c in self._waiting if self._active[c] < self.per_client]
        return min(eligible)[1] if eligible else None
