"""The W3C Reconciliation Service API backend through real HTTP: a small local service that speaks the protocol
(manifest, reconciliation queries, data extension) over the offline index of the real Wikidata sample, reached
by the real client (HttpClient + ReconciliationServiceBackend)."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pyoxigraph as ox
import pytest

from graph.cli.main import main
from graph.errors import UsageError
from graph.wikidata.index import WikidataIndex, fold_label, properties
from graph.wikidata.reconcile.http import HttpClient, RetryPolicy, user_agent
from graph.wikidata.reconcile.link import link_store
from graph.wikidata.reconcile.model import MATCHED, WIKIDATA_ENTITY
from graph.wikidata.reconcile.offline import IndexBackend
from graph.wikidata.reconcile.rdf_out import EXACT_MATCH
from graph.wikidata.reconcile.run import reconcile
from graph.wikidata.reconcile.score import Settings
from graph.wikidata.reconcile.w3c import CANDIDATES_PER_QUERY, ReconciliationServiceBackend, year_values

from .test_reconcile import SEED_STATES, by_title, homonym_subjects, sample_index, seed_index  # noqa: F401

SETTINGS = Settings.from_data()
PROPS = properties()
SERVICE_LANG = "en"


# ---------------------------------------------------------------- a service speaking the protocol

class ReconciliationService(HTTPServer):
    """W3C Reconciliation Service API v0.2 over an offline index: exact names score 100, names found through an
    alias 90 (named by their label, as Wikidata's service does), names the query begins 50 (fuzzy)."""

    def __init__(self, index_path: str, identifier_space: str = WIKIDATA_ENTITY) -> None:
        super().__init__(("127.0.0.1", 0), ServiceHandler)
        self.index_path = index_path
        self.identifier_space = identifier_space
        self.answers: list[dict[str, Any]] = []   # every JSON answer to a POST, to see what the client dropped

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/{SERVICE_LANG}/api"

    def manifest(self) -> dict[str, Any]:
        return {"versions": ["0.2"], "name": "test Wikidata reconciliation", "identifierSpace": self.identifier_space,
                "schemaSpace": "http://www.wikidata.org/prop/direct/",
                "view": {"url": "https://www.wikidata.org/wiki/{{id}}"},
                "extend": {"propose_properties": {"service_url": self.url, "service_path": "/propose_properties"}}}


class ServiceHandler(BaseHTTPRequestHandler):
    server: ReconciliationService

    def do_GET(self) -> None:
        self.respond(dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query)))

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.respond(dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"))))

    def respond(self, params: dict[str, str]) -> None:
        # A new connection per request: SQLite connections stay in the thread that opened them.
        with WikidataIndex(self.server.index_path) as index:
            if "queries" in params:
                answer = answer_queries(index, json.loads(params["queries"]))
            elif "extend" in params:
                answer = answer_extend(index, json.loads(params["extend"]))
            else:
                answer = self.server.manifest()
        if params:
            self.server.answers.append(answer)
        body = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:  # keep the test output quiet
        pass


def answer_queries(index: WikidataIndex, queries: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {key: {"result": candidates(index, q["query"], int(q.get("limit", 10)))} for key, q in queries.items()}


def candidates(index: WikidataIndex, text: str, limit: int) -> list[dict[str, Any]]:
    folded = fold_label(text)
    scores: dict[str, int] = {}
    for qid, _folded, _lang, _text, alias in index.label_rows([folded], [SERVICE_LANG]):
        scores[qid] = max(scores.get(qid, 0), 90 if alias else 100)
    # fuzzy: names beginning with the query (the range uses the index on folded labels)
    for (qid,) in index.conn.execute("SELECT DISTINCT qid FROM labels WHERE folded > ? AND folded < ? AND lang = ?",
                                     (folded, folded + "\uffff", SERVICE_LANG)):
        scores.setdefault(qid, 50)
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], int(kv[0][1:])))[:limit]
    return [{"id": qid, "name": name_of(index, qid), "score": score, "match": False,
             "type": [{"id": t, "name": name_of(index, t)} for t in instance_of(index, qid)]}
            for qid, score in ranked]


def answer_extend(index: WikidataIndex, request: dict[str, Any]) -> dict[str, Any]:
    props = [p["id"] for p in request["properties"]]
    rows = {qid: {prop: values_of(index, qid, prop) for prop in props}
            for qid in request["ids"] if index.entity(qid) is not None}
    return {"meta": [{"id": p, "name": p} for p in props], "rows": rows}


def values_of(index: WikidataIndex, qid: str, prop: str) -> list[dict[str, Any]]:
    if prop in PROPS.class_props:
        rows = index.conn.execute("SELECT value FROM claims WHERE qid = ? AND prop = ? ORDER BY rowid", (qid, prop))
        return [{"id": value, "name": name_of(index, value)} for (value,) in rows]
    if prop in PROPS.date_props.values():
        row = index.conn.execute("SELECT year, precision FROM dates WHERE qid = ? AND prop = ? ORDER BY rowid "
                                 "LIMIT 1", (qid, prop)).fetchone()
        return [service_date(*row)] if row else []
    if prop == PROPS.coord_props[0]:
        record = index.entity(qid)
        return [{"str": f"{record.coordinates[0]},{record.coordinates[1]}"}] if record and record.coordinates else []
    return []


def service_date(year: int, precision: int | None) -> dict[str, str]:
    """Day-precise dates as ISO dates, the rest as a year string: a client must read both."""
    if precision is not None and precision >= 11:
        return {"date": f"{'-' if year < 0 else ''}{abs(year):04d}-01-01T00:00:00+00:00"}
    return {"str": str(year)}


def name_of(index: WikidataIndex, qid: str) -> str:
    record = index.entity(qid)
    if record is None:
        return qid
    return record.labels.get(SERVICE_LANG) or next(iter(record.labels.values()), qid)


def instance_of(index: WikidataIndex, qid: str) -> list[str]:
    rows = index.conn.execute("SELECT value FROM claims WHERE qid = ? AND prop = ? ORDER BY rowid",
                              (qid, PROPS.instance_of))
    return [value for (value,) in rows]


@contextmanager
def serving(index_path: str, identifier_space: str = WIKIDATA_ENTITY) -> Iterator[ReconciliationService]:
    server = ReconciliationService(index_path, identifier_space)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def service(sample_index) -> Iterator[ReconciliationService]:  # noqa: F811 (the imported fixture)
    with serving(sample_index) as server:
        yield server


def client() -> HttpClient:
    return HttpClient(user_agent("tester@example.org"), RetryPolicy(max_attempts=2, base_delay=0.0, timeout=60))


def backend_on(server: ReconciliationService) -> ReconciliationServiceBackend:
    return ReconciliationServiceBackend(server.url, client())


# ---------------------------------------------------------------- names

def test_labels_give_the_homonyms_and_no_fuzzy_names(service):
    backend = backend_on(service)
    hits = backend.labels(["Warsaw"], ["en"])
    qids = {h.qid for h in hits}
    assert len(qids) >= 5 and "Q270" in qids   # the capital and the American Warsaws
    assert all((h.text, h.lang, h.alias) == ("Warsaw", "en", False) for h in hits)
    with WikidataIndex(service.index_path) as index:
        assert all(index.entity(q).labels["en"] == "Warsaw" for q in qids)


def test_fuzzy_and_alias_candidates_of_the_service_are_dropped(service):
    backend = backend_on(service)
    service.answers.clear()
    hits = backend.labels(["Warsaw Pact", "Warsaw Treaty Organization"], ["en"])
    offered = {r["name"] for answer in service.answers for q in answer.values() for r in q["result"]}
    assert "Warsaw Pact invasion of Czechoslovakia" in offered   # the service did offer a fuzzy candidate…
    assert "Warsaw Pact" in offered                              # …and Q41644 again under its alias
    assert {(h.qid, h.text) for h in hits} == {("Q41644", "Warsaw Pact")}


def test_texts_are_asked_in_batches(service):
    backend = ReconciliationServiceBackend(service.url, client(), batch_size=2)
    service.answers.clear()
    hits = backend.labels(["Warsaw", "Oxford", "Soviet Union", "Nowhere at all"], ["en"])
    assert len(service.answers) == 2 and all(len(a) == 2 for a in service.answers)
    assert {"Q34217", "Q15180", "Q270"} <= {h.qid for h in hits}
    assert all(len(a[q]["result"]) <= CANDIDATES_PER_QUERY for a in service.answers for q in a)


def test_invalid_ids_are_dropped():
    from graph.wikidata.reconcile.w3c import exact_names

    results = [{"id": "Q0", "name": "X"}, {"id": "P31", "name": "X"}, {"id": "http://x/Q1", "name": "X"},
               {"id": "Q7", "name": "x"}, {"id": "Q8", "name": "Xy"}]
    assert list(exact_names("X", results)) == [("Q7", "x")]


# ---------------------------------------------------------------- facts

def test_describe_climbs_subclasses_and_reads_the_years(service):
    with WikidataIndex(service.index_path) as index:  # the path the test relies on is in the data
        assert "Q3624078" in index.entity("Q15180").instance_of
        assert "Q6256" in index.entity("Q3624078").subclass_of
    backend = backend_on(service)
    facts = backend.describe(["Q15180"], {"Q6256", "Q5"})
    soviet = facts["Q15180"]
    assert soviet.classes == {"Q6256"}
    assert (soviet.inception, soviet.dissolved) == (1922, 1991)
    assert "Q3624078" in soviet.types


def test_describe_agrees_with_the_offline_index(service, sample_index):  # noqa: F811
    qids = ["Q15180", "Q399", "Q270", "Q353819", "Q139670", "Q1926064", "Q41644"]
    offline = IndexBackend(sample_index).describe(qids, SETTINGS.all_classes)
    remote = backend_on(service).describe(qids, SETTINGS.all_classes)
    assert set(remote) == set(offline)
    for qid, item in offline.items():
        got = remote[qid]
        assert (got.types, got.classes, got.inception, got.dissolved, got.birth, got.death, got.coordinates) == \
               (item.types, item.classes, item.inception, item.dissolved, item.birth, item.death,
                item.coordinates), qid


def test_bce_years_become_astronomical():
    values = [{"date": "-0031-01-01T00:00:00+00:00"}, {"str": "1991"}, {"str": "-500"},
              {"date": "+1922-12-30T00:00:00Z"}, {"str": "40.1,44.5"}, {"name": "x"}]
    assert year_values(values) == [-30, 1991, -499, 1922]   # 31 BCE is -30; a coordinate is no year


def test_sitelinks_and_identifiers_are_not_in_the_protocol(service):
    backend = backend_on(service)
    assert backend.sitelinks("enwiki", ["Warsaw"]) == {}
    assert backend.identifiers("P212", ["9780198611868"]) == {}


# ---------------------------------------------------------------- whole runs

def name_only_subjects(index: WikidataIndex):
    """English homonym subjects whose name no item has as an alias and that fit in one candidate list: where the
    service, which names items by label, knows what the index knows."""
    for subject, qid in homonym_subjects(index):
        texts = subject.labels.get("en")
        if not texts:
            continue
        rows = index.label_rows([fold_label(texts[0])], SETTINGS.latin_languages)
        if rows and not any(alias for *_, alias in rows) and len(rows) <= CANDIDATES_PER_QUERY:
            yield subject, qid


def test_a_run_decides_as_the_offline_index_does(service, sample_index):  # noqa: F811
    offline = IndexBackend(sample_index)
    cases = list(name_only_subjects(offline.index))
    subjects = [s for s, _ in cases]
    expected = reconcile(subjects, offline, SETTINGS)
    got = reconcile(subjects, backend_on(service), SETTINGS)
    assert got.errors == []
    pairs = [((e.status, e.qid), (g.status, g.qid)) for e, g in zip(expected.decisions, got.decisions, strict=True)]
    assert len(cases) > 100 and sum(1 for (status, _), _ in pairs if status == MATCHED) > 50
    assert [p for p in pairs if p[0] != p[1]] == []


@pytest.fixture()
def foreign_service(sample_index) -> Iterator[ReconciliationService]:  # noqa: F811
    with serving(sample_index, identifier_space="http://vocab.getty.edu/tgn/") as server:
        yield server


def test_a_service_that_does_not_reconcile_to_wikidata_is_refused(foreign_service):
    backend = backend_on(foreign_service)
    with pytest.raises(UsageError, match="does not reconcile to Wikidata"):
        backend.labels(["Warsaw"], ["en"])


# ---------------------------------------------------------------- the command

def test_wikikg_reconcile_with_service(seed_build, service, tmp_path):
    path, _ = seed_build
    out = tmp_path / "linked.ttl"
    assert main(["reconcile", str(path), "-o", str(out), "--service", service.url, "--no-cache", "-q"]) == 0
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.TURTLE)
    links = {q.subject.value.rsplit("/", 1)[-1]: q.object.value
             for q in store.quads_for_pattern(None, EXACT_MATCH, None)}
    # the sample behind the service names the Soviet Union (Q15180) in English, as the seed's flag templates do
    assert links.get("苏联") == WIKIDATA_ENTITY + "Q15180", links
    assert all(SEED_STATES.get(title) == qid.removeprefix(WIKIDATA_ENTITY) for title, qid in links.items()), links


def test_the_command_refuses_a_foreign_service(seed_build, foreign_service, tmp_path, capsys):
    path, _ = seed_build
    out = tmp_path / "linked.ttl"
    assert main(["reconcile", str(path), "-o", str(out), "--service", foreign_service.url, "--no-cache", "-q"]) == 2
    assert "does not reconcile to Wikidata" in capsys.readouterr().err
    assert not out.exists()


def test_service_and_offline_are_exclusive(seed_build, sample_index, tmp_path, capsys):  # noqa: F811
    path, _ = seed_build
    with pytest.raises(SystemExit):
        main(["reconcile", str(path), "--service", "http://127.0.0.1:1/api", "--offline", sample_index])
    assert "not allowed with" in capsys.readouterr().err


def test_the_seed_states_named_in_english_are_found_by_name_and_type(seed_build, seed_index):  # noqa: F811
    """No sitelinks through this protocol: the seed's states that the article names in English (its flag
    templates) are found by name and type alone, as by the offline index; the others stay unmatched."""
    path, _ = seed_build
    store = ox.Store()
    store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
    with serving(seed_index) as server:
        outcome, _ = link_store(store, backend_on(server), SETTINGS)
    decisions = by_title(outcome)
    named = {t: q for t, q in SEED_STATES.items() if t in decisions and decisions[t].subject.labels.get("en")}
    assert len(named) >= 8
    assert {t: decisions[t].qid for t in named} == named
    assert all(decisions[t].status != MATCHED for t in SEED_STATES if t in decisions and t not in named)


def test_open_backend_caches_the_service_so_a_second_run_asks_nothing(service, sample_index, tmp_path):  # noqa: F811
    from graph.wikidata.reconcile.backends import open_backend
    from graph.wikidata.reconcile.cache import CachedBackend

    subjects = [s for s, _ in name_only_subjects(IndexBackend(sample_index).index)][:20]
    first = open_backend(service=service.url, cache=str(tmp_path / "cache.sqlite"))
    assert isinstance(first, CachedBackend) and first.name == f"reconciliation service {service.url}"
    one = reconcile(subjects, first, SETTINGS)
    first.close()
    second = open_backend(service=service.url, cache=str(tmp_path / "cache.sqlite"))
    two = reconcile(subjects, second, SETTINGS)
    assert second.inner.client.stats.requests == 0 and second.misses == 0
    assert [(d.status, d.qid) for d in one.decisions] == [(d.status, d.qid) for d in two.decisions]
    second.close()
