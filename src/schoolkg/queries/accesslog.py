"""The endpoint's access log: one line per request, and every refusal counted by reason.

A line reads ``2025-01-31T10:00:00Z 127.0.0.1 "GET /sparql" 403 97 12ms refused=service``: time
(UTC), client address, method and path (never the query string, which holds the query), status,
bytes sent, duration, and for any status of 400 or more the reason (``update``, ``service``,
``timeout``, ``limit``, ``busy``, ``too-large``, ``media-type``, ``not-acceptable``, ``bad-query``,
``bad-request``, ``internal``, or ``http-STATUS`` for refusals made by the web framework, such as
405). The lines go to the ``schoolkg.access`` logger; ``schoolkg serve --access-log`` sends them
to a file or stderr. When the app stops, one line sums the refusals.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["AccessLog", "AccessLogMiddleware"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]


class AccessLog:
    """Where request lines go, and the running count of refusals by reason.

    >>> log = AccessLog()
    >>> log.record("127.0.0.1", "GET", "/sparql", 403, 90, 0.012, "service")
    '127.0.0.1 "GET /sparql" 403 90 12ms refused=service'
    >>> log.record("127.0.0.1", "GET", "/", 200, 900, 0.002, None).endswith("200 900 2ms")
    True
    >>> dict(log.refusals), log.requests
    ({'service': 1}, 2)
    """

    def __init__(self, logger: logging.Logger | None = None) -> None:
        self.logger = logger or logging.getLogger("schoolkg.access")
        self.refusals: Counter[str] = Counter()
        self.requests = 0
        self._lock = threading.Lock()

    def record(
        self, client: str, method: str, path: str, status: int, size: int, seconds: float, reason: str | None
    ) -> str:
        """Log one request and count it; return the line as logged, without its time stamp."""
        refused = reason or f"http-{status}" if status >= 400 else None
        with self._lock:
            self.requests += 1
            if refused:
                self.refusals[refused] += 1
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        line = f'{client} "{method} {path[:300]}" {status} {size} {seconds * 1000:.0f}ms'
        if refused:
            line += f" refused={refused}"
        self.logger.info("%s %s", stamp, line)
        return line

    def summary(self) -> str:
        """Log and return the totals: requests, refusals, and refusals by reason."""
        with self._lock:
            parts = " ".join(f"{k}={v}" for k, v in sorted(self.refusals.items()))
            line = f"requests={self.requests} refused={sum(self.refusals.values())}" + (f" {parts}" if parts else "")
        self.logger.info("%s", line)
        return line


class AccessLogMiddleware:
    """ASGI middleware writing every HTTP request to an AccessLog."""

    def __init__(self, app: Callable[[Scope, Callable, Callable], Awaitable[None]], log: AccessLog) -> None:
        self.app, self.log = app, log

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start, seen = time.monotonic(), {"status": 500, "size": 0}

        async def counting(message: Message) -> None:
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["size"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, counting)
        finally:
            client = (scope.get("client") or ("-", 0))[0]
            reason = scope.get("state", {}).get("refusal")
            self.log.record(
                client, scope["method"], scope["path"], seen["status"], seen["size"], time.monotonic() - start, reason
            )
