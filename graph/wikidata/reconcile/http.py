"""A polite, retrying HTTP client for Wikidata's services (the query service and the MediaWiki API).

Wikimedia asks API clients to send a descriptive User-Agent with a contact, to make one request at a time,
to back off on 429/503 and honour ``Retry-After``, and to pass ``maxlag`` to the API. This module does all of
that in one place, so the backends built on it only say *what* to ask.

Everything that can pass with time (429, 5xx, timeouts, dropped connections, an empty or truncated body, a
``maxlag`` error) is retried with exponential backoff; everything that will not (400, 403, 404, an API error)
fails at once. Either way the caller ends up with a ``BackendError`` saying what happened, never a hang:
attempts are bounded and a server asking us to wait longer than ``max_delay`` makes us give up instead.
"""

from __future__ import annotations

import email.utils
import http.client
import json
import math
import os
import platform
import random
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any

import SPARQLWrapper as sparqlwrapper_package
from SPARQLWrapper.SPARQLExceptions import (
    EndPointInternalError,
    EndPointNotFound,
    QueryBadFormed,
    SPARQLWrapperException,
    Unauthorized,
    URITooLong,
)

from graph import __version__
from graph.query.endpoint import sparql_client
from graph.wikidata.reconcile.backend import BackendError

PROJECT_URL = "https://w3id.org/wikikg"
CONTACT_ENV = "WIKIKG_CONTACT"
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
SET_CONTACT_HINT = ("Wikimedia refuses clients whose User-Agent names no contact: give one with "
                    f"--user-agent 'you@example.org' or the {CONTACT_ENV} environment variable")

# SPARQLWrapper turns these statuses into its own exceptions, which keep neither the status nor the headers.
SPARQLWRAPPER_STATUS: dict[type[SPARQLWrapperException], int] = {
    QueryBadFormed: 400, Unauthorized: 401, EndPointNotFound: 404, URITooLong: 414, EndPointInternalError: 500,
}


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0      # seconds before the first retry; doubled for each further one
    max_delay: float = 60.0      # no single wait is longer; a server asking for more makes us give up
    timeout: float = 90.0        # per request; the query service stops queries at 60 s, so wait beyond that
    jitter: float = 0.5          # up to this fraction of each backoff is drawn at random, to spread clients out


@dataclass
class HttpStats:
    """What the client did, for benchmarks and the reconcile report."""

    requests: int = 0
    retries: int = 0
    failures: int = 0                      # calls that ended in a BackendError
    waited: float = 0.0                    # seconds spent sleeping between attempts
    outcomes: Counter[str] = field(default_factory=Counter)   # "200", "429", "timeout", "maxlag", …

    def __str__(self) -> str:
        return (f"{self.requests} requests, {self.retries} retries, {self.failures} failures, "
                f"waited {self.waited:.1f} s")


class TransientFailure(Exception):
    """One attempt failed in a way that may pass with time: wait, then try again."""

    def __init__(self, what: str, outcome: str, retry_after: float | None = None):
        super().__init__(what)
        self.what = what
        self.outcome = outcome
        self.retry_after = retry_after


def contact_or_env(contact: str | None = None) -> str | None:
    """The contact to put in the User-Agent: the one given, else $WIKIKG_CONTACT, else None (caller warns)."""
    chosen = (contact or os.environ.get(CONTACT_ENV) or "").strip()
    return chosen or None


def user_agent(contact: str | None = None) -> str:
    """A User-Agent following Wikimedia's policy: tool/version (project URL; contact) library/version …"""
    found = contact_or_env(contact)
    about = f"{PROJECT_URL}; {found}" if found else PROJECT_URL
    return (f"wikikg/{__version__} ({about}) SPARQLWrapper/{sparqlwrapper_package.__version__} "
            f"Python/{platform.python_version()}")


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None when absent or unreadable."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # HTTP-dates are GMT by definition
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def backoff_delay(policy: RetryPolicy, attempt: int, draw: float) -> float:
    """Wait after failed attempt number ``attempt`` (1-based): base·2^(n-1), capped, minus a random share."""
    ceiling = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
    return ceiling * (1 - policy.jitter * draw)


def asks_for_user_agent(text: str) -> bool:
    """Whether a refusal is Wikimedia's notice about a missing or generic User-Agent."""
    lowered = text.lower()
    return "user-agent" in lowered or "user agent" in lowered


def excerpt(body: bytes | str, limit: int = 200) -> str:
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def check_status(status: int, headers: Mapping[str, str] | None, body: bytes | str, now: float | None = None) -> None:
    """Raise TransientFailure for a status worth retrying, BackendError for a final refusal; pass on 2xx.

    ``now`` (epoch seconds, default the wall clock) dates a Retry-After given as an HTTP-date."""
    if 200 <= status < 300:
        return
    text = excerpt(body)
    if status == 500 and "TimeoutException" in text:
        # The query service stopped the query at its 60 s limit: running it again costs the shared service
        # another minute for the same result, so this is final (ask smaller batches instead).
        raise BackendError(f"HTTP 500: the query ran out of the query service's time limit ({text})")
    if status in RETRYABLE_STATUSES:
        retry_after = retry_after_seconds((headers or {}).get("Retry-After"), now)
        raise TransientFailure(f"HTTP {status}: {text}" if text else f"HTTP {status}", str(status), retry_after)
    if status == 403 and asks_for_user_agent(text):
        raise BackendError(f"HTTP 403: {SET_CONTACT_HINT} (server said: {text})")
    raise BackendError(f"HTTP {status}: {text}" if text else f"HTTP {status}")


def parse_json_body(body: bytes) -> dict[str, Any]:
    """The JSON object of a 200 answer; an empty, truncated or non-JSON body is transient (proxies, restarts)."""
    if not body.strip():
        raise TransientFailure("an empty answer (HTTP 200 without a body)", "empty")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        text = excerpt(body)
        if asks_for_user_agent(text):
            raise BackendError(f"{SET_CONTACT_HINT} (server said: {text})") from None
        raise TransientFailure(f"an answer that is not JSON (truncated or an error page): {text}",
                               "not-json") from None
    if not isinstance(data, dict):
        raise TransientFailure(f"JSON that is not an object: {excerpt(body)}", "not-json")
    return data


def check_api_error(data: dict[str, Any], headers: Mapping[str, str] | None, now: float | None = None) -> None:
    """MediaWiki reports errors in a 200 body; maxlag means 'come back later', anything else is final."""
    error = data.get("error")
    if not isinstance(error, dict):
        return
    code = str(error.get("code", "unknown"))
    info = str(error.get("info", ""))
    if code == "maxlag":
        retry_after = retry_after_seconds((headers or {}).get("Retry-After"), now)
        raise TransientFailure(f"the API is lagged ({info})", "maxlag", retry_after)
    raise BackendError(f"API error {code}: {info}" if info else f"API error {code}")


class HttpClient:
    """Requests to Wikidata's services, one at a time, retried politely, counted in ``stats``.

    ``sparql`` has the shape of a ``transport`` callable ``(endpoint, query) -> dict``. ``sleep`` waits between
    attempts and ``clock`` (epoch seconds) dates a Retry-After given as an HTTP-date: tests pass fakes of both,
    so no retry test depends on how fast the machine is.
    """

    def __init__(self, user_agent: str, policy: RetryPolicy = RetryPolicy(),  # noqa: B008 (frozen, shared safely)
                 sleep: Callable[[float], None] = time.sleep, clock: Callable[[], float] = time.time):
        self.user_agent = user_agent
        self.policy = policy
        self.sleep = sleep
        self.clock = clock
        self.stats = HttpStats()
        self._draw: Callable[[], float] = random.random
        # Wikimedia asks for serial requests: a lock keeps threads sharing one client from going concurrent.
        self._lock = threading.Lock()
        # Services that could not be reached after every retry: later calls try once, so a run without
        # network reports its entities unmatched in seconds, not after a full backoff per batch.
        self._unreachable: set[str] = set()

    # --- public calls -------------------------------------------------------------------------------------

    def sparql(self, endpoint: str, query: str) -> dict[str, Any]:
        """SPARQL JSON results of ``query`` (POST, so long queries fit)."""
        data = self._with_retries(endpoint, lambda: self._sparql_once(endpoint, query))
        if "head" not in data and "boolean" not in data:
            raise BackendError(f"{endpoint}: the answer is not SPARQL JSON results (is this a SPARQL endpoint?)")
        return data

    def get_json(self, url: str, params: Mapping[str, str]) -> dict[str, Any]:
        """A MediaWiki API call by GET (cacheable reads)."""
        target = f"{url}{'&' if '?' in url else '?'}{urllib.parse.urlencode(params)}"
        return self._with_retries(url, lambda: self._api_once(urllib.request.Request(target, method="GET")))

    def post_json(self, url: str, params: Mapping[str, str]) -> dict[str, Any]:
        """A MediaWiki API call by POST (for parameters too long for a URL)."""
        body = urllib.parse.urlencode(params).encode("ascii")
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        return self._with_retries(url, lambda: self._api_once(request))

    # --- the retry loop -----------------------------------------------------------------------------------

    def _with_retries(self, target: str, attempt_once: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        with self._lock:
            last: TransientFailure | None = None
            attempts = 1 if target in self._unreachable else self.policy.max_attempts
            for attempt in range(1, attempts + 1):
                self.stats.requests += 1
                try:
                    answer = attempt_once()
                except TransientFailure as failure:
                    self.stats.outcomes[failure.outcome] += 1
                    last = failure
                except BackendError as refusal:
                    self.stats.failures += 1
                    raise BackendError(f"{target}: {refusal}") from None
                else:
                    self.stats.outcomes["200"] += 1
                    self._unreachable.discard(target)
                    return answer
                if attempt < attempts:
                    self._wait_before_retry(target, last, attempt)
            self.stats.failures += 1
            if last is not None and last.outcome in ("connection", "timeout"):
                self._unreachable.add(target)
            raise BackendError(f"{target}: gave up after {attempts} attempt{'s' if attempts > 1 else ''}; "
                               f"the last one got {last.what if last else 'nothing'}")

    def _wait_before_retry(self, target: str, failure: TransientFailure, attempt: int) -> None:
        delay = failure.retry_after
        if delay is not None and delay > self.policy.max_delay:
            self.stats.failures += 1
            raise BackendError(f"{target}: the server asks to wait {delay:.0f} s before trying again "
                               f"(more than the {self.policy.max_delay:.0f} s we wait at most); giving up after "
                               f"{attempt} attempt(s) ({failure.what}). Try again later.")
        if delay is None:
            delay = backoff_delay(self.policy, attempt, self._draw())
        self.stats.retries += 1
        self.stats.waited += delay
        self.sleep(delay)

    # --- one attempt --------------------------------------------------------------------------------------

    def _sparql_once(self, endpoint: str, query: str) -> dict[str, Any]:
        # SPARQLWrapper keeps whole seconds; round up so a short timeout never becomes 0 (= no timeout).
        client = sparql_client(endpoint, query, math.ceil(self.policy.timeout), self.user_agent)
        try:
            response = client.query().response
            body = response.read()
            status = response.status
            headers = response.headers
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, read_error_body(e)
        except SPARQLWrapperException as e:
            status, headers, body = SPARQLWRAPPER_STATUS.get(type(e), 500), None, str(e)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise connection_failure(e) from None
        check_status(status, headers, body, self.clock())
        return parse_json_body(body)

    def _api_once(self, request: urllib.request.Request) -> dict[str, Any]:
        request.add_header("User-Agent", self.user_agent)
        request.add_header("Accept", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.policy.timeout) as response:
                body = response.read()
                status, headers = response.status, response.headers
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, e.headers, read_error_body(e)
        except (urllib.error.URLError, OSError, http.client.HTTPException) as e:
            raise connection_failure(e) from None
        now = self.clock()
        check_status(status, headers, body, now)
        data = parse_json_body(body)
        check_api_error(data, headers, now)
        return data


def read_error_body(e: urllib.error.HTTPError) -> bytes:
    try:
        return e.read(2000)
    except Exception:  # the body only improves the message
        return b""


def connection_failure(e: BaseException) -> TransientFailure:
    """A network-level failure (refused, reset, timed out, cut short), all worth another try."""
    reason = getattr(e, "reason", None) or e
    if isinstance(reason, TimeoutError) or "timed out" in str(reason):
        return TransientFailure(f"no answer within the timeout ({reason})", "timeout")
    if isinstance(e, http.client.IncompleteRead):
        return TransientFailure("an answer cut short (incomplete body)", "not-json")
    return TransientFailure(f"a connection failure ({type(reason).__name__}: {reason})", "connection")
