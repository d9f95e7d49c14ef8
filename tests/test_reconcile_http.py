"""The polite Wikidata client against a local fault-injecting server, through the real client code
(SPARQLWrapper for SPARQL, urllib for the MediaWiki API). Waits are recorded, not slept, and Retry-After dates are
read against a fixed clock, so no assertion depends on how fast or busy the machine is; wall time is only checked
against HANG_SECONDS, far beyond anything but a hang."""

from __future__ import annotations

import json
import socket
import threading
import time
import urllib.parse
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from graph.wikidata.reconcile.backend import BackendError
from graph.wikidata.reconcile.http import HttpClient, RetryPolicy, backoff_delay, retry_after_seconds, user_agent
from graph.wikidata.reconcile.live import WikidataApi, map_entities

QUERY = "SELECT ?item WHERE { ?item <http://www.wikidata.org/prop/direct/P31> <http://www.wikidata.org/entity/Q5> } LIMIT 1"
RESULTS = {"head": {"vars": ["item"]},
           "results": {"bindings": [{"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q42"}}]}}
API_OK = {"entities": {"Q42": {"type": "item", "id": "Q42",
                               "sitelinks": {"enwiki": {"site": "enwiki", "title": "Douglas Adams", "badges": []}}}},
          "success": 1}
CONTACT = "tester@example.org"
HANG_SECONDS = 60.0   # a call still running after this hangs (the timeout test's client gives up after 1 s)
NOW = 1445412450.0    # the fake clock's epoch seconds: Wed, 21 Oct 2015 07:27:30 GMT


@dataclass
class Reply:
    status: int = 200
    body: bytes | str | dict = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0                  # seconds to stay silent first (to outlast a client's timeout)
    length: int | None = None           # a Content-Length other than the body's, to cut the body short


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: str

    @property
    def params(self) -> dict[str, str]:
        """Form or query parameters, whichever the request carried."""
        query = urllib.parse.urlsplit(self.path).query
        return dict(urllib.parse.parse_qsl(self.body or query))


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), ScriptedHandler)
        self.replies: deque[Reply] = deque()
        self.requests: list[Recorded] = []
        self.released = threading.Event()   # ends a delayed reply early when the test is over
        self.in_flight = 0
        self.most_in_flight = 0             # how many requests the server ever had at once
        self.counting = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def script(self, *replies: Reply) -> None:
        self.replies.extend(replies)


class ScriptedHandler(BaseHTTPRequestHandler):
    server: FaultServer

    def do_GET(self) -> None:
        self.answer()

    def do_POST(self) -> None:
        self.answer()

    def answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode("utf-8") if length else ""
        self.server.requests.append(Recorded(self.command, self.path, dict(self.headers.items()), body))
        reply = self.server.replies.popleft() if self.server.replies else Reply(500, "script exhausted")
        with self.server.counting:
            self.server.in_flight += 1
            self.server.most_in_flight = max(self.server.most_in_flight, self.server.in_flight)
        try:
            self.send_reply(reply)
        finally:
            with self.server.counting:
                self.server.in_flight -= 1

    def send_reply(self, reply: Reply) -> None:
        if reply.delay:
            self.server.released.wait(reply.delay)
        payload = reply.body
        if isinstance(payload, dict):
            payload = json.dumps(payload)
        if isinstance(payload, str):
            payload = payload.encode("utf-8")
        try:
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload) if reply.length is None else reply.length))
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up waiting (the timeout test): nobody is listening any more
            pass

    def log_message(self, format, *args) -> None:  # keep test output quiet
        pass


@pytest.fixture
def server():
    fake = FaultServer()
    thread = threading.Thread(target=fake.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield fake
    fake.released.set()
    fake.shutdown()
    fake.server_close()


@pytest.fixture
def sleeps() -> list[float]:
    return []


def make_client(sleeps: list[float], **policy) -> HttpClient:
    # a generous timeout: on a busy machine a slow local answer must not turn into a retry the test did not plan
    settings = {"max_attempts": 5, "base_delay": 1.0, "max_delay": 60.0, "timeout": 30.0, "jitter": 0.0} | policy
    return HttpClient(user_agent(CONTACT), RetryPolicy(**settings), sleep=sleeps.append, clock=lambda: NOW)


def sparql_call(client: HttpClient, url: str) -> dict:
    return client.sparql(url + "sparql", QUERY)


def api_call(client: HttpClient, url: str) -> dict:
    return client.get_json(url + "w/api.php", {"action": "wbgetentities", "ids": "Q42", "format": "json"})


def ok_reply(call) -> Reply:
    if call is sparql_call:
        return Reply(200, RESULTS, {"Content-Type": "application/sparql-results+json"})
    return Reply(200, API_OK, {"Content-Type": "application/json"})


def expected(call) -> dict:
    return RESULTS if call is sparql_call else API_OK


both_transports = pytest.mark.parametrize("call", [sparql_call, api_call], ids=["sparql", "api"])


# --- retries ---------------------------------------------------------------------------------------------

@both_transports
def test_429_honours_retry_after(server, sleeps, call):
    server.script(Reply(429, "Too Many Requests", {"Retry-After": "7"}), ok_reply(call))
    client = make_client(sleeps)
    assert call(client, server.url) == expected(call)
    assert sleeps == [7.0]
    assert len(server.requests) == 2
    assert client.stats.requests == 2 and client.stats.retries == 1 and client.stats.waited == 7.0


@both_transports
def test_429_with_http_date_waits_until_then(server, sleeps, call):
    when = format_datetime(datetime.fromtimestamp(NOW, UTC) + timedelta(seconds=30), usegmt=True)
    server.script(Reply(429, "slow down", {"Retry-After": when}), ok_reply(call))
    assert call(make_client(sleeps), server.url) == expected(call)
    assert sleeps == [30.0]   # read against the client's clock, not the wall clock


def test_429_without_retry_after_backs_off(server, sleeps):
    server.script(Reply(429, "slow down"), Reply(429, "slow down"), ok_reply(sparql_call))
    assert sparql_call(make_client(sleeps, base_delay=2.0), server.url) == RESULTS
    assert sleeps == [2.0, 4.0]


@both_transports
def test_server_errors_back_off_exponentially(server, sleeps, call):
    server.script(Reply(500, "Internal Server Error"), Reply(503, "Service Unavailable"), ok_reply(call))
    assert call(make_client(sleeps), server.url) == expected(call)
    assert len(server.requests) == 3
    assert sleeps == [1.0, 2.0]


@both_transports
def test_timeout_is_retried(server, sleeps, call):
    # The first reply stays silent until the test ends (or HANG_SECONDS): only the client's timeout ends it,
    # however slow the machine. Waiting it out would take HANG_SECONDS and get a reply nobody else would send.
    server.script(Reply(200, {"head": {"vars": []}, "waited": "out"}, delay=HANG_SECONDS), ok_reply(call))
    client = make_client(sleeps, timeout=1.0)
    started = time.monotonic()
    assert call(client, server.url) == expected(call)
    assert time.monotonic() - started < HANG_SECONDS   # gave up on the silent server, did not wait it out
    assert len(server.requests) == 2
    assert client.stats.outcomes["timeout"] == 1 and client.stats.outcomes["200"] == 1
    assert sleeps == [1.0]


BAD_200S = {  # a 200 that carries no usable answer → the outcome counted, then a retry
    "empty": lambda whole: Reply(200, b""),
    "not-json": lambda whole: Reply(200, whole[: len(whole) // 2], {"Content-Type": "application/json"}),
}


@pytest.mark.parametrize("outcome", list(BAD_200S))
@both_transports
def test_a_200_without_an_answer_is_retried(server, sleeps, call, outcome):
    server.script(BAD_200S[outcome](json.dumps(expected(call))), ok_reply(call))
    client = make_client(sleeps)
    assert call(client, server.url) == expected(call)
    assert len(server.requests) == 2
    assert client.stats.outcomes[outcome] == 1


@both_transports
def test_body_cut_short_is_retried(server, sleeps, call):
    whole = json.dumps(expected(call))
    server.script(Reply(200, whole[:20], {"Content-Type": "application/json"}, length=len(whole)), ok_reply(call))
    assert call(make_client(sleeps), server.url) == expected(call)
    assert len(server.requests) == 2


def test_requests_go_one_at_a_time(server, sleeps):
    server.script(*[Reply(200, RESULTS, delay=0.1) for _ in range(3)])
    client = make_client(sleeps)
    threads = [threading.Thread(target=sparql_call, args=(client, server.url)) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(HANG_SECONDS)
    assert not any(thread.is_alive() for thread in threads)
    assert len(server.requests) == 3 and server.most_in_flight == 1




@both_transports
def test_always_failing_gives_up_after_max_attempts(server, sleeps, call):
    server.script(*[Reply(500, "Internal Server Error") for _ in range(10)])
    client = make_client(sleeps, max_attempts=4)
    with pytest.raises(BackendError) as caught:
        call(client, server.url)
    assert len(server.requests) == 4
    assert sleeps == [1.0, 2.0, 4.0]
    assert "4 attempts" in str(caught.value) and "HTTP 500" in str(caught.value)
    assert client.stats.failures == 1


def test_backoff_is_capped_at_max_delay(server, sleeps):
    server.script(*[Reply(503, "busy") for _ in range(6)])
    with pytest.raises(BackendError):
        sparql_call(make_client(sleeps, max_attempts=6, base_delay=10.0, max_delay=30.0), server.url)
    assert sleeps == [10.0, 20.0, 30.0, 30.0, 30.0]


@both_transports
def test_huge_retry_after_gives_up_at_once(server, sleeps, call):
    server.script(Reply(429, "Too Many Requests", {"Retry-After": "100000"}), ok_reply(call))
    client = make_client(sleeps)
    with pytest.raises(BackendError, match="100000 s"):
        call(client, server.url)
    assert sleeps == [] and len(server.requests) == 1   # gave up without waiting and without asking again
    assert client.stats.waited == 0 and client.stats.retries == 0 and client.stats.failures == 1


def test_connection_refused_is_retried_then_reported(sleeps):
    with socket.socket() as probe:             # a port that was free a moment ago: nothing listens there
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(BackendError, match="2 attempts.*connection"):
        sparql_call(make_client(sleeps, max_attempts=2), f"http://127.0.0.1:{port}/")
    assert sleeps == [1.0]


def test_an_unreachable_service_is_tried_once_per_call_after_a_full_retry(server, sleeps):
    """Without network a run must end in seconds: after one call has used every retry on a service that
    cannot be reached, later calls try once; the first success restores full retries."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = make_client(sleeps, max_attempts=3)
    dead = f"http://127.0.0.1:{port}/"
    with pytest.raises(BackendError, match="3 attempts"):
        sparql_call(client, dead)
    requests = client.stats.requests
    with pytest.raises(BackendError, match="1 attempt;"):
        sparql_call(client, dead)
    assert client.stats.requests == requests + 1 and len(sleeps) == 2
    server.script(Reply(503, "busy"), Reply(503, "busy"), ok_reply(sparql_call))
    assert sparql_call(client, server.url) is not None  # another service keeps its full retries


# --- refusals that are not retried -------------------------------------------------------------------------

USER_AGENT_NOTICE = ("Please set a user-agent and respect our robot policy https://w.wiki/4wJS. "
                     "See also https://phabricator.wikimedia.org/T400119.")


@both_transports
def test_user_agent_notice_asks_for_a_contact(server, sleeps, call):
    server.script(Reply(403, USER_AGENT_NOTICE, {"Content-Type": "text/plain"}), ok_reply(call))
    with pytest.raises(BackendError, match="--user-agent") as caught:
        call(make_client(sleeps), server.url)
    assert "WIKIKG_CONTACT" in str(caught.value)
    assert len(server.requests) == 1 and sleeps == []


def test_user_agent_notice_in_a_200_page_is_not_mistaken_for_json(server, sleeps):
    server.script(Reply(200, f"<html><body>{USER_AGENT_NOTICE}</body></html>", {"Content-Type": "text/html"}))
    with pytest.raises(BackendError, match="--user-agent"):
        sparql_call(make_client(sleeps), server.url)
    assert len(server.requests) == 1


@pytest.mark.parametrize("status", [400, 403, 404])
def test_client_errors_are_not_retried(server, sleeps, status):
    server.script(Reply(status, "no such thing"), ok_reply(sparql_call))
    with pytest.raises(BackendError, match=f"HTTP {status}"):
        sparql_call(make_client(sleeps), server.url)
    assert len(server.requests) == 1 and sleeps == []


def test_query_service_timeout_is_not_rerun(server, sleeps):
    server.script(Reply(500, "java.util.concurrent.TimeoutException\n\tat java.util.concurrent.FutureTask"))
    with pytest.raises(BackendError, match="time limit"):
        sparql_call(make_client(sleeps), server.url)
    assert len(server.requests) == 1


def test_json_that_is_not_sparql_results(server, sleeps):
    server.script(Reply(200, {"hello": "world"}))
    with pytest.raises(BackendError, match="not SPARQL JSON results"):
        sparql_call(make_client(sleeps), server.url)


# --- what goes over the wire -------------------------------------------------------------------------------

def test_sparql_goes_by_post_with_a_descriptive_user_agent(server, sleeps):
    server.script(ok_reply(sparql_call))
    sparql_call(make_client(sleeps), server.url)
    (request,) = server.requests
    assert request.method == "POST"
    assert request.params["query"] == QUERY
    agent = request.headers["User-Agent"]
    assert agent.startswith("wikikg/") and CONTACT in agent and "https://w3id.org/wikikg" in agent
    assert "SPARQLWrapper/" in agent and "Python/" in agent
    assert "json" in request.headers["Accept"]


def test_api_request_carries_the_user_agent(server, sleeps):
    server.script(ok_reply(api_call), ok_reply(api_call))
    client = make_client(sleeps)
    api_call(client, server.url)
    client.post_json(server.url + "w/api.php", {"action": "wbgetentities", "ids": "Q42", "format": "json"})
    get, post = server.requests
    assert get.method == "GET" and get.params["ids"] == "Q42"
    assert post.method == "POST" and post.params["ids"] == "Q42"
    assert all(CONTACT in r.headers["User-Agent"] for r in server.requests)


def test_sparql_is_a_transport_callable(server, sleeps):
    server.script(ok_reply(sparql_call))
    transport = make_client(sleeps).sparql
    assert transport(server.url + "sparql", QUERY) == RESULTS


def test_user_agent_contact_from_argument_or_environment(monkeypatch):
    monkeypatch.setenv("WIKIKG_CONTACT", "env@example.org")
    assert "(https://w3id.org/wikikg; arg@example.org)" in user_agent("arg@example.org")
    assert "(https://w3id.org/wikikg; env@example.org)" in user_agent(None)
    monkeypatch.delenv("WIKIKG_CONTACT")
    assert "(https://w3id.org/wikikg)" in user_agent(None)


# --- MediaWiki API errors ----------------------------------------------------------------------------------

def maxlag_reply() -> Reply:
    error = {"error": {"code": "maxlag", "info": "Waiting for 10.64.48.35: 6 seconds lagged.",
                       "host": "10.64.48.35", "lag": 6, "type": "db",
                       "*": "See https://www.wikidata.org/w/api.php for API usage."}}
    return Reply(200, error, {"Content-Type": "application/json", "Retry-After": "5", "X-Database-Lag": "6"})


def test_maxlag_is_retried_after_retry_after(server, sleeps):
    server.script(maxlag_reply(), ok_reply(api_call))
    client = make_client(sleeps)
    assert api_call(client, server.url) == API_OK
    assert sleeps == [5.0] and client.stats.outcomes["maxlag"] == 1


def test_other_api_errors_are_reported_with_their_info(server, sleeps):
    error = {"error": {"code": "param-missing", "info": "Either provide the item \"ids\" or pairs of \"sites\" and "
                                                        "\"titles\" for corresponding pages."}}
    server.script(Reply(200, error, {"Content-Type": "application/json"}))
    with pytest.raises(BackendError, match="param-missing.*Either provide"):
        api_call(make_client(sleeps), server.url)
    assert len(server.requests) == 1


# --- helpers -----------------------------------------------------------------------------------------------

def test_retry_after_forms():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0


def test_jitter_stays_within_its_share():
    policy = RetryPolicy(base_delay=1.0, max_delay=60.0, jitter=0.5)
    assert backoff_delay(policy, 3, 0.0) == 4.0
    assert backoff_delay(policy, 3, 1.0) == 2.0
    assert backoff_delay(policy, 10, 0.0) == 60.0


# --- wbgetentities: titles back from entities --------------------------------------------------------------

def sitelink_entity(qid: str, site: str, title: str) -> dict:
    return {"type": "item", "id": qid, "sitelinks": {site: {"site": site, "title": title, "badges": []}}}


def test_sitelinks_maps_normalized_missing_and_redirected_titles(server, sleeps):
    batch = {
        "entities": {
            "Q42": sitelink_entity("Q42", "enwiki", "Douglas Adams"),
            "Q1": sitelink_entity("Q1", "enwiki", "Universe"),
            "Q2": sitelink_entity("Q2", "enwiki", "Earth"),      # the target of the redirect "The Earth"
            "-1": {"site": "enwiki", "title": "No such article xyz", "missing": ""},
        },
        "normalized": {"n": {"from": "douglas_adams", "to": "Douglas adams"}},
        "success": 1,
    }
    # "Douglas adams" (normalised) differs from the sitelink "Douglas Adams" only by case after the first
    # letter, so it must not match; as with a redirect it is asked again on its own.
    alone_douglas = {"entities": {"Q42": sitelink_entity("Q42", "enwiki", "Douglas Adams")}, "success": 1,
                     "normalized": {"n": {"from": "douglas_adams", "to": "Douglas adams"}}}
    alone_earth = {"entities": {"Q2": sitelink_entity("Q2", "enwiki", "Earth")}, "success": 1}
    server.script(*[Reply(200, body, {"Content-Type": "application/json"})
                    for body in (batch, alone_douglas, alone_earth)])
    api = WikidataApi(make_client(sleeps), server.url + "w/api.php")
    found = api.sitelinks("enwiki", ["douglas_adams", "Universe", "The Earth", "No such article xyz"])
    assert found == {"douglas_adams": "Q42", "Universe": "Q1", "The Earth": "Q2"}
    first, *alone = server.requests
    assert first.params == {"action": "wbgetentities", "sites": "enwiki", "redirects": "yes", "props": "sitelinks",
                            "sitefilter": "enwiki", "format": "json", "maxlag": "5",
                            "titles": "douglas_adams|Universe|The Earth|No such article xyz"}
    assert [r.params["titles"] for r in alone] == ["douglas_adams", "The Earth"]


def test_sitelinks_batches_fifty_titles(server, sleeps):
    titles = [f"Article {n}" for n in range(120)]
    for start in (0, 50, 100):
        chunk = titles[start:start + 50]
        entities = {f"Q{1000 + start + i}": sitelink_entity(f"Q{1000 + start + i}", "zhwiki", t)
                    for i, t in enumerate(chunk)}
        server.script(Reply(200, {"entities": entities, "success": 1}, {"Content-Type": "application/json"}))
    found = WikidataApi(make_client(sleeps), server.url + "w/api.php").sitelinks("zhwiki", titles)
    assert len(server.requests) == 3
    assert [len(r.params["titles"].split("|")) for r in server.requests] == [50, 50, 20]
    assert found["Article 0"] == "Q1000" and found["Article 119"] == "Q1119"


def test_long_batches_go_by_post(server, sleeps):
    titles = [f"第一次納戈爾諾-卡拉巴赫戰爭 {n}" for n in range(50)]
    missing = {str(-n - 1): {"site": "zhwiki", "title": t, "missing": ""} for n, t in enumerate(titles)}
    server.script(Reply(200, {"entities": missing, "success": 1}, {"Content-Type": "application/json"}))
    found = WikidataApi(make_client(sleeps), server.url + "w/api.php").sitelinks("zhwiki", titles)
    assert found == {}
    (request,) = server.requests                     # missing titles are not asked again
    assert request.method == "POST" and request.params["titles"] == "|".join(titles)


def test_map_entities_with_list_shaped_normalized():
    answer = {"entities": {"Q7": sitelink_entity("Q7", "zhwiki", "第一次納戈爾諾-卡拉巴赫戰爭")},
              "normalized": [{"from": "第一次納戈爾諾-卡拉巴赫戰爭_", "to": "第一次納戈爾諾-卡拉巴赫戰爭"}]}
    assert map_entities("zhwiki", ["第一次納戈爾諾-卡拉巴赫戰爭_"], answer) == (
        {"第一次納戈爾諾-卡拉巴赫戰爭_": "Q7"}, set())
