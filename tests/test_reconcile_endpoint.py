"""Reconciling through real HTTP: a real `oxigraph serve` holding Wikidata-shaped RDF (tests/wikidata_endpoint.py),
reached with SPARQLWrapper, and a fault-injecting proxy in front of it that plays what Wikidata's services do on a
bad day (429 with Retry-After, 500, 503, timeouts, truncated JSON, empty 200). The live path (LiveWikidata: the
MediaWiki API for sitelinks, the query service for the rest) runs its real client code against the proxy, whose
API stand-in answers wbgetentities from the same endpoint."""

from __future__ import annotations

import csv
import json
import threading
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.wikidata.reconcile.backends import LiveWikidata
from graph.wikidata.reconcile.http import HttpClient, RetryPolicy, user_agent
from graph.wikidata.reconcile.link import link_store
from graph.wikidata.reconcile.model import MATCHED, NOT_CHECKED, UNMATCHED
from graph.wikidata.reconcile.score import Settings

from .test_reconcile import SEED_STATES, by_title

SETTINGS = Settings.from_data()
HANG_SECONDS = 120.0    # how long the "silent" fault stays silent at most: far beyond any client timeout here


def seed_store(path) -> ox.Store:
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


# ---------------------------------------------------------------- the local endpoint, no faults

@pytest.fixture(scope="module")
def endpoint_outcome(seed_build, wikidata_endpoint, tmp_path_factory):
    path, _ = seed_build
    out = tmp_path_factory.mktemp("endpoint") / "linked.ttl"
    code = main(["reconcile", str(path), "-o", str(out), "--endpoint", wikidata_endpoint, "-q",
                 "--cache", str(out.with_suffix(".cache"))])
    return code, out


def report_rows(out) -> dict[str, dict]:
    rows = csv.DictReader(out.with_name("linked.reconciliation.csv").open(encoding="utf-8"))
    return {r["entity"].rsplit("/", 1)[-1]: r for r in rows}


def test_the_seed_against_the_local_endpoint_matches_its_states(endpoint_outcome):
    code, out = endpoint_outcome
    assert code == 0
    rows = report_rows(out)
    named = {t: q for t, q in SEED_STATES.items()
             if t in rows and (t == "苏联" or any(c.isascii() and c.isalpha() for c in rows[t]["label"] + rows[t]["features"]))}
    got = {t: rows[t]["wikidata"] for t in SEED_STATES if t in rows and rows[t]["status"] == MATCHED}
    assert got.get("亚美尼亚") == "Q399" and got.get("苏联") == "Q15180" and got.get("阿塞拜疆") == "Q227"
    assert all(got[t] == SEED_STATES[t] for t in got)  # nothing matched wrongly
    assert len(got) >= 10, (named, got)
    people = [r for r in rows.values() if "person" in r["roles"].split()]
    assert people and all(r["status"] != MATCHED for r in people)


def test_the_endpoint_and_the_offline_index_decide_alike(endpoint_outcome, seed_build, seed_index):
    from graph.wikidata.reconcile.offline import IndexBackend

    _, out = endpoint_outcome
    rows = report_rows(out)
    path, _ = seed_build
    outcome, _ = link_store(seed_store(path), IndexBackend(seed_index), SETTINGS)
    offline = {d.subject.iri.rsplit("/", 1)[-1]: (d.status, d.qid or "") for d in outcome.decisions}
    remote = {k: (r["status"], r["wikidata"]) for k, r in rows.items()}
    assert remote == offline


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory):
    from graph.wikidata.index import build_index

    from .test_reconcile import load_test_items, sample_entities, write_dump

    folder = tmp_path_factory.mktemp("wd-seed-endpoint")
    dump = write_dump(folder / "dump.json", sample_entities() + load_test_items())
    build_index(str(dump), str(folder / "seed.db"))
    return str(folder / "seed.db")


# ---------------------------------------------------------------- a fault-injecting proxy

class FaultProxy:
    """Forwards /query to the real endpoint, except for the faults queued in ``faults``; /w/api.php answers
    wbgetentities (sites + titles) from the endpoint's schema:about sitelinks, as Wikidata's API would."""

    def __init__(self, upstream: str) -> None:
        self.upstream = upstream
        self.faults: list[str] = []
        self.log: list[tuple[str, str]] = []  # (path, what was answered)
        self.lock = threading.Lock()
        self.released = threading.Event()     # ends a "silent" fault when the test is over
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.handle(self, body)

            def do_GET(self):
                proxy.handle(self, b"")

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()

    def handle(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        with self.lock:
            fault = self.faults.pop(0) if self.faults else "pass"
        path = urllib.parse.urlsplit(handler.path).path
        self.log.append((path, fault))
        if fault != "pass":
            return self.fail(handler, fault)
        if path == "/w/api.php":
            return self.send(handler, 200, json.dumps(self.wbgetentities(handler, body)).encode(), "application/json")
        request = urllib.request.Request(self.upstream, data=body, method="POST",
                                         headers={"Content-Type": handler.headers["Content-Type"],
                                                  "Accept": handler.headers.get("Accept", "*/*")})
        with urllib.request.urlopen(request, timeout=30) as response:
            self.send(handler, response.status, response.read(), response.headers["Content-Type"])

    def fail(self, handler, fault: str) -> None:
        if fault.startswith("429"):
            return self.send(handler, 429, b"Too Many Requests", "text/plain", {"Retry-After": fault.split(":")[1]})
        if fault in ("500", "503"):
            return self.send(handler, int(fault), b"Service Unavailable", "text/plain")
        if fault == "empty":
            return self.send(handler, 200, b"", "application/sparql-results+json")
        if fault == "truncated":
            return self.send(handler, 200, b'{"head": {"vars": ["item"]}, "results": {"bindings": [{"it',
                             "application/sparql-results+json")
        if fault == "silent":  # no answer until the test is over: only the client's timeout ends the wait
            self.released.wait(HANG_SECONDS)
            return self.send(handler, 503, b"late", "text/plain")
        raise AssertionError(fault)

    @staticmethod
    def send(handler, status: int, data: bytes, content_type: str, headers: dict | None = None) -> None:
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", content_type)
            handler.send_header("Content-Length", str(len(data)))
            for k, v in (headers or {}).items():
                handler.send_header(k, v)
            handler.end_headers()
            handler.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): as on the internet
            pass

    def wbgetentities(self, handler, body: bytes) -> dict:
        query = urllib.parse.urlsplit(handler.path).query
        params = dict(urllib.parse.parse_qsl(body.decode() if body else query))
        site, titles = params["sites"], params["titles"].split("|")
        lang = site.removesuffix("wiki").replace("_", "-")
        values = " ".join(str(ox.Literal(t, language=lang)) for t in titles)
        sparql = (f"SELECT ?item ?name WHERE {{ VALUES ?name {{ {values} }} ?a <http://schema.org/about> ?item ; "
                  f"<http://schema.org/isPartOf> <https://{lang}.wikipedia.org/> ; <http://schema.org/name> ?name }}")
        request = urllib.request.Request(self.upstream, data=urllib.parse.urlencode({"query": sparql}).encode(),
                                         headers={"Accept": "application/sparql-results+json"})
        bindings = json.load(urllib.request.urlopen(request, timeout=30))["results"]["bindings"]
        found = {b["name"]["value"]: b["item"]["value"].rsplit("/", 1)[-1] for b in bindings}
        entities: dict = {}
        for i, title in enumerate(titles):
            if title in found:
                entities[found[title]] = {"type": "item", "id": found[title],
                                          "sitelinks": {site: {"site": site, "title": title, "badges": []}}}
            else:
                entities[str(-1 - i)] = {"site": site, "title": title, "missing": ""}
        return {"entities": entities, "success": 1}


@pytest.fixture
def proxy(wikidata_endpoint):
    p = FaultProxy(wikidata_endpoint)
    yield p
    p.close()


def live(proxy: FaultProxy, attempts: int = 4, timeout: float = 30.0):
    """The live backend through the proxy; the timeout is generous so that only the "silent" fault times out
    on a busy machine (a timeout also marks a service unreachable, which changes the number of attempts)."""
    sleeps: list[float] = []
    client = HttpClient(user_agent("wikikg-tests@example.org"),
                        RetryPolicy(max_attempts=attempts, base_delay=0.01, max_delay=30, timeout=timeout, jitter=0),
                        sleep=sleeps.append)
    return LiveWikidata(client, sparql_url=f"{proxy.base}/query", api_url=f"{proxy.base}/w/api.php"), sleeps, client


def test_the_live_path_rides_out_every_kind_of_fault(proxy, seed_build):
    path, _ = seed_build
    # all six faults may fall on one request; spare attempts for a real answer slower than the 3 s timeout
    # (a loaded machine), which the client rightly counts as one more timeout and retries
    backend, sleeps, client = live(proxy, attempts=12, timeout=3.0)
    proxy.faults = ["429:7", "500", "503", "empty", "truncated", "silent"]
    outcome, triples = link_store(seed_store(path), backend, SETTINGS)
    assert outcome.errors == []
    decisions = by_title(outcome)
    assert decisions["苏联"].qid == "Q15180" and decisions["亚美尼亚"].qid == "Q399"
    assert 7 in sleeps  # Retry-After honoured
    assert [f for _, f in proxy.log if f != "pass"] == ["429:7", "500", "503", "empty", "truncated", "silent"]
    outcomes = client.stats.outcomes
    # each fault seen once as what it is; the silent one as a timeout, plus any real answer the load delayed
    assert [outcomes[o] for o in ("429", "500", "503", "empty", "not-json")] == [1, 1, 1, 1, 1]
    assert outcomes["timeout"] >= 1
    assert set(outcomes) <= {"200", "429", "500", "503", "empty", "not-json", "timeout"}
    # every failed attempt was retried (nothing given up), and nothing else was
    assert client.stats.retries == sum(n for o, n in outcomes.items() if o != "200") == 5 + outcomes["timeout"]
    assert client.stats.failures == 0 and len(sleeps) == client.stats.retries
    assert any(p == "/w/api.php" for p, _ in proxy.log) and any(p == "/query" for p, _ in proxy.log)


def test_a_dead_service_bounds_the_retries_and_reports_every_entity_not_checked(proxy, seed_build):
    path, _ = seed_build
    store = seed_store(path)
    before = len(store)
    backend, sleeps, client = live(proxy, attempts=3)
    proxy.faults = ["503"] * 1000
    outcome, triples = link_store(store, backend, SETTINGS)
    assert len(store) == before
    assert {d.status for d in outcome.decisions} <= {NOT_CHECKED, UNMATCHED} and outcome.matched == 0
    assert all(d.status == NOT_CHECKED and "503" in d.reason for d in outcome.decisions if d.subject.titles)
    requests = len(proxy.log)
    calls = client.stats.requests
    assert requests == calls and calls % 3 == 0 and calls <= 3 * 12  # 3 attempts per batch, a few batches
    checked = [d for d in outcome.decisions if d.status != NOT_CHECKED]  # no record for what was not looked at
    assert len([t for t in triples if t.predicate.value.endswith("#reconciliationStatus")]) == len(checked)


def test_wikikg_reconcile_through_a_flaky_endpoint_finishes_and_keeps_everything(proxy, seed_build, tmp_path,
                                                                                 capsys):
    path, _ = seed_build
    out = tmp_path / "linked.ttl"
    proxy.faults = ["503"] * 1000
    assert main(["reconcile", str(path), "-o", str(out), "--endpoint", f"{proxy.base}/query", "--retries", "1",
                 "--no-cache"]) == 1  # written, but the run fails: nothing could be checked
    err = capsys.readouterr().err
    assert "0 matched" in err and "warning" in err and "503" in err and "not checked" in err
    original = set(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    linked = set(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))
    assert original <= linked  # nothing extracted is lost


def test_the_endpoint_reads_coordinates_and_sitelinks_as_the_index_does(wikidata_endpoint, seed_index):
    from graph.wikidata.reconcile.offline import IndexBackend
    from graph.wikidata.reconcile.sparql import SparqlBackend

    remote = SparqlBackend(wikidata_endpoint).describe(["Q270", "Q727"], [], ["zhwiki", "enwiki"])
    local = IndexBackend(seed_index).describe(["Q270", "Q727"], [], ["zhwiki", "enwiki"])
    for qid in ("Q270", "Q727"):
        assert remote[qid].coordinates == pytest.approx(local[qid].coordinates)
        assert remote[qid].sitelinks == local[qid].sitelinks and set(local[qid].sitelinks) == {"zhwiki", "enwiki"}
