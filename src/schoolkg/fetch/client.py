"""A polite HTTP client for the reports service: rate-limited, retrying, honest about who it is.

- one request at a time, at most ``rate`` a second (and no faster than robots.txt's Crawl-delay);
- retries on 429, 5xx, timeouts and dropped connections, with exponential backoff and jitter,
  waiting what a ``Retry-After`` header asks (up to ``max_wait``);
- a User-Agent naming schoolkg, its version and the contact the user gives;
- robots.txt read once per host and obeyed;
- ``max_refusals`` refusals (401, 403, 451) in a row stop the run with ServiceRefused;
- a timeout on every connect and read, and a deadline on every response body.

Time is read and waited through a ``Clock`` so tests can count the waits instead of timing them.
"""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import IO, Protocol
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

import httpx

from schoolkg.errors import ConfigError, SchoolkgError

__all__ = [
    "Clock",
    "Download",
    "FetchError",
    "NotFound",
    "Policy",
    "PoliteClient",
    "RequestFailed",
    "ServiceRefused",
    "SystemClock",
    "user_agent",
]

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
REFUSAL_STATUSES = frozenset({401, 403, 451})
MAX_PAGE_BYTES = 10 * 2**20


class FetchError(SchoolkgError):
    """The reports service failed or refused (exit 4)."""

    exit_code, http_status = 4, 502


class RequestFailed(FetchError):
    """One request did not succeed; ``reason`` says why, ``status`` is the last HTTP status if any."""

    def __init__(self, url: str, reason: str, status: int | None = None) -> None:
        super().__init__(f"{url}: {reason}")
        self.url, self.reason, self.status = url, reason, status


class NotFound(RequestFailed):
    """The service has nothing at this address (404 or 410)."""


class ServiceRefused(FetchError):
    """The service refused us repeatedly, or robots.txt forbids the address: the run stops."""


class Clock(Protocol):
    """What the client needs of time: a monotonic reading, a wait, and the date for the manifest."""

    def monotonic(self) -> float: ...

    def sleep(self, seconds: float) -> None: ...

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Policy:
    """How politely to fetch: rate, retries, waits, timeouts and limits."""

    rate: float = 1.0
    """Requests a second, at most (retries included)."""
    retries: int = 5
    """Further attempts after a retryable failure."""
    backoff: float = 2.0
    """Seconds before the first retry; doubled each time, with jitter of up to half."""
    max_backoff: float = 120.0
    max_wait: float = 600.0
    """Longest Retry-After honoured; asked to wait longer, the run stops."""
    timeout: float = 30.0
    """Seconds for a connection, and between two pieces of a response."""
    deadline: float = 600.0
    """Seconds for a whole response body."""
    max_refusals: int = 3
    max_bytes: int = 200 * 2**20
    robots: bool = True

    def __post_init__(self) -> None:
        if not self.rate > 0:
            raise ConfigError(f"--rate must be above 0 requests a second, not {self.rate}")
        if self.retries < 0 or self.max_refusals < 1 or not self.timeout > 0:
            raise ConfigError("--retries must be >= 0, refusals >= 1 and --timeout above 0")


@dataclass(frozen=True)
class Download:
    """What a download wrote: its sha256, size, content type and final address."""

    sha256: str
    size: int
    content_type: str
    url: str
    head: bytes


def user_agent(contact: str | None = None) -> str:
    """The User-Agent schoolkg sends: its name, version, purpose and the user's contact.

    >>> user_agent("ops@example.org").startswith("schoolkg/")
    True
    >>> user_agent("ops@example.org").endswith("; +ops@example.org)")
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        v = version("schoolkg")
    except PackageNotFoundError:
        v = "dev"
    tail = f"; +{contact.strip()}" if contact and contact.strip() else ""
    return f"schoolkg/{v} (inspection report fetcher{tail})"


class PoliteClient:
    """GET pages and files politely (see the module docstring); one instance per run."""

    def __init__(
        self,
        policy: Policy,
        user_agent: str,
        *,
        clock: Clock | None = None,
        rng: random.Random | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.policy = policy
        self.user_agent = user_agent
        self.clock: Clock = clock or SystemClock()
        self.rng = rng or random.Random()
        self.requests = 0
        self._last: float | None = None
        self._refusals = 0
        self._robots: dict[str, RobotFileParser | None] = {}
        self._http = httpx.Client(
            headers={"User-Agent": user_agent, "Accept": "text/html,application/pdf;q=0.9,*/*;q=0.5"},
            timeout=httpx.Timeout(policy.timeout),
            follow_redirects=True,
            transport=transport,
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get_page(self, url: str) -> str:
        """The text of the page at ``url`` (at most 10 MiB)."""
        chunks: list[bytes] = []
        response = self._get(url, chunks.append, MAX_PAGE_BYTES)
        return b"".join(chunks).decode(response.encoding or "utf-8", errors="replace")

    def download(self, url: str, out: IO[bytes]) -> Download:
        """Write the body at ``url`` to ``out``, hashing it as it comes; return what was written.

        A retry after a broken transfer starts ``out`` again from the beginning.
        """
        digest, size, head = hashlib.sha256(), 0, bytearray()

        def restart() -> None:
            nonlocal digest, size, head
            out.seek(0)
            out.truncate()
            digest, size, head = hashlib.sha256(), 0, bytearray()

        def sink(chunk: bytes) -> None:
            nonlocal size
            out.write(chunk)
            digest.update(chunk)
            if len(head) < 1024:
                head.extend(chunk[: 1024 - len(head)])
            size += len(chunk)

        response = self._get(url, sink, self.policy.max_bytes, on_attempt=restart)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        return Download(digest.hexdigest(), size, content_type, str(response.url), bytes(head))

    # --- the one request path -------------------------------------------------------------------------

    def _get(
        self,
        url: str,
        sink: Callable[[bytes], None],
        limit: int,
        on_attempt: Callable[[], None] | None = None,
    ) -> httpx.Response:
        self._check_robots(url)
        status, response, reason = self._send(url, sink, limit, on_attempt)
        if response is not None and status < 400:
            self._refusals = 0
            return response
        if status in (404, 410):
            self._refusals = 0
            raise NotFound(url, f"HTTP {status} (not found)", status)
        if status in REFUSAL_STATUSES:
            self._refusals += 1
            if self._refusals >= self.policy.max_refusals:
                raise ServiceRefused(
                    f"the service refused {self._refusals} requests in a row (HTTP {status} at {url}); stopping. "
                    "Check its terms, slow down with --rate, or give a --contact"
                )
            raise RequestFailed(url, f"HTTP {status} (refused)", status)
        raise RequestFailed(url, reason, status or None)

    def _send(
        self,
        url: str,
        sink: Callable[[bytes], None],
        limit: int,
        on_attempt: Callable[[], None] | None = None,
    ) -> tuple[int, httpx.Response | None, str]:
        """GET with retries: (final status, the response if it succeeded, why it failed)."""
        attempt, reason, status = 0, "", 0
        while True:
            self._wait_turn(url)
            if on_attempt is not None:
                on_attempt()
            retry_after: float | None = None
            try:
                with self._http.stream("GET", url) as response:
                    status = response.status_code
                    if status < 300:
                        self._read(response, sink, limit, url)
                        return status, response, ""
                    reason = f"HTTP {status}"
                    if status not in RETRY_STATUSES:
                        return status, None, reason
                    retry_after = _retry_after(response.headers.get("retry-after"), self.clock.now())
            except (httpx.TimeoutException, _Deadline) as err:
                status, reason = 0, f"timed out ({type(err).__name__})"
            except _TooBig as err:
                return 0, None, str(err)
            except (httpx.TooManyRedirects, httpx.UnsupportedProtocol, httpx.InvalidURL) as err:
                return 0, None, f"cannot follow ({type(err).__name__}: {err})"
            except httpx.RequestError as err:
                status, reason = 0, f"connection failed ({type(err).__name__}: {err})"
            if attempt >= self.policy.retries:
                return status, None, f"{reason}, gave up after {attempt + 1} attempts"
            if retry_after is not None and retry_after > self.policy.max_wait:
                raise ServiceRefused(
                    f"the service asked to wait {retry_after:.0f}s (Retry-After at {url}), longer than "
                    f"{self.policy.max_wait:.0f}s; stopping: run again later"
                )
            if retry_after is not None:
                wait = retry_after
            else:
                wait = min(self.policy.max_backoff, self.policy.backoff * 2**attempt)
                wait *= 0.5 + 0.5 * self.rng.random()
            self.clock.sleep(wait)
            attempt += 1

    def _read(self, response: httpx.Response, sink: Callable[[bytes], None], limit: int, url: str) -> None:
        deadline = time.monotonic() + self.policy.deadline
        size = 0
        for chunk in response.iter_bytes(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise _TooBig(f"larger than {limit:,} bytes; not kept")
            sink(chunk)
            if time.monotonic() > deadline:
                raise _Deadline(f"{url}: body took over {self.policy.deadline:.0f}s")

    def _wait_turn(self, url: str) -> None:
        interval = 1.0 / self.policy.rate
        robots = self._robots.get(_origin(url))
        delay = robots.crawl_delay(self.user_agent) if robots is not None else None
        if delay:
            interval = max(interval, float(delay))
        if self._last is not None:
            wait = self._last + interval - self.clock.monotonic()
            if wait > 0:
                self.clock.sleep(wait)
        self._last = self.clock.monotonic()
        self.requests += 1

    def _check_robots(self, url: str) -> None:
        if not self.policy.robots:
            return
        origin = _origin(url)
        if origin not in self._robots:
            self._robots[origin] = self._read_robots(origin)
        rules = self._robots[origin]
        if rules is not None and not rules.can_fetch(self.user_agent, url):
            raise ServiceRefused(f"{origin}/robots.txt does not allow schoolkg to fetch {url}; stopping")

    def _read_robots(self, origin: str) -> RobotFileParser | None:
        """The host's robots.txt (RFC 9309): none if 4xx, an error if it cannot be read at all."""
        chunks: list[bytes] = []
        status, response, reason = self._send(origin + "/robots.txt", chunks.append, 512 * 1024)
        if response is None and 400 <= status < 500:
            return None
        if response is None:
            raise ServiceRefused(f"{origin}/robots.txt could not be read ({reason}); stopping (RFC 9309)")
        rules = RobotFileParser()
        rules.parse(b"".join(chunks).decode("utf-8", errors="replace").splitlines())
        return rules


class _Deadline(Exception):
    pass


class _TooBig(Exception):
    pass


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _retry_after(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta-seconds or an HTTP date); None if absent or unreadable.

    >>> _retry_after("7", datetime(2024, 1, 1, tzinfo=UTC))
    7.0
    >>> _retry_after("Mon, 01 Jan 2024 00:01:00 GMT", datetime(2024, 1, 1, tzinfo=UTC))
    60.0
    """
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())
