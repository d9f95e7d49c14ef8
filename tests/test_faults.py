"""Nothing lost under bad luck: the reproducers of the faults issue, one row each, through the real command line.

Each row is input files (name → text), the arguments after ``wikikg``, the exit status and what must hold of the
output and the messages. A row is added with the fix of its fault, and failed before it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli.main import main

HANG = 120  # seconds: only to catch a hang, never a speed requirement

KOSOVO_1389 = ("{{Infobox military conflict\n|conflict=Battle of Kosovo\n|date=15 June 1389\n"
               "|commander1=[[Lazar of Serbia]]\n|commander2=[[Murad I]]\n}}\n"
               "The '''Battle of Kosovo''' took place on 15 June 1389.")
KOSOVO_1448 = ("{{Infobox military conflict\n|conflict=Battle of Kosovo\n|date=17–20 October 1448\n"
               "|commander1=[[John Hunyadi]]\n|commander2=[[Murad II]]\n}}\n"
               "The '''Battle of Kosovo''' took place from 17 to 20 October 1448.")
EMPTY_DUMP = ("<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.10/\"><siteinfo><dbname>enwiki</dbname>"
              "</siteinfo><page><title>Empty</title><ns>0</ns><id>1</id><revision><text xml:space=\"preserve\">"
              "</text></revision></page><page><title>Blank</title><ns>0</ns><id>2</id><revision>"
              "<text xml:space=\"preserve\">   </text></revision></page></mediawiki>")


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def commanders_by_graph(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for q in quads(path):
        if q.predicate.value.endswith("#commanded"):
            found.setdefault(q.graph_name.value, set()).add(q.subject.value.rsplit("/", 1)[1])
    return found


@dataclass(frozen=True)
class Fault:
    id: str
    files: dict[str, str]
    args: list[str]  # {tmp} stands for the test's folder
    status: int
    holds: Callable[[Path, str], bool]  # (the test's folder, stderr) → what must be true


FAULTS = [
    Fault("two-inputs-one-title-both-kept", {"a.wiki": KOSOVO_1389, "b.wiki": KOSOVO_1448},
          ["build", "{tmp}/a.wiki", "{tmp}/b.wiki", "-o", "{tmp}/ab.nq"], 0,
          lambda tmp, err: sorted(map(sorted, commanders_by_graph(tmp / "ab.nq").values()))
          == [["John_Hunyadi", "Murad_II"], ["Lazar_of_Serbia", "Murad_I"]] and "[same-article]" in err),
    Fault("a-dump-of-empty-pages-is-an-error-not-an-empty-file", {"empty.xml": EMPTY_DUMP},
          ["build", "{tmp}/empty.xml", "-o", "{tmp}/empty.nq"], 1,
          lambda tmp, err: not (tmp / "empty.nq").exists() and "no page with text" in err),
    # --param with digits of another script is a string, not a broken query
    Fault("param-arabic-indic-digits", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param", "side=٢"],
          0, lambda tmp, err: "Traceback" not in err),
    Fault("param-repeated-name", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param", "side=1",
                                      "--param", "side=2"], 2, lambda tmp, err: "more than once" in err),
    Fault("param-not-utf-8", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param",
                                  b"side=\xff".decode("utf-8", "surrogateescape")],
          2, lambda tmp, err: "not UTF-8" in err),
]


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory) -> Path:
    from .conftest import SEED

    out = tmp_path_factory.mktemp("faults") / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q", "--infobox-only"]) == 0
    return out


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault(fault: Fault, tmp_path: Path, capsys, seed_ttl: Path) -> None:
    from .conftest import QUERIES

    for name, text in fault.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    places = {"{tmp}": str(tmp_path), "{queries}": str(QUERIES), "{seed_ttl}": str(seed_ttl)}
    status = main([fill(a, places) for a in fault.args])
    err = capsys.readouterr().err
    assert status == fault.status, err
    assert fault.holds(tmp_path, err), err


def fill(arg: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        arg = arg.replace(key, value)
    return arg


# --- serve: one request must not take the server down, make it a proxy, or hold it ---
# A real `wikikg serve` on the seed, with small limits so that the reproducers stop fast. After each row, another
# client must still be answered.

CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 10^12 rows: only a limit stops it
ORDER_PANIC = "SELECT ?c ?f WHERE { ?a ?b ?c . ?a ?e ?f } ORDER BY ?c ?f LIMIT 1"  # the engine's sort panics
ORDER_HUGE = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"  # sorts 10^8 rows in memory


@dataclass(frozen=True)
class Request:
    query: str | None = None
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes | None = None


@dataclass(frozen=True)
class ServeFault:
    id: str
    request: Request
    status: int
    says: str = ""  # in the reply's body
    holds: Callable[[dict[str, str]], bool] = lambda headers: True


SERVE_FAULTS = [
    ServeFault("braces-nested-2200-deep", Request("ASK " + "{" * 2200 + "}" * 2200), 400, "nested 2200 deep"),
    ServeFault("parentheses-nested-4700-deep", Request("ASK { FILTER(" + "(" * 4700 + "1" + ")" * 4700 + ") }"),
               400, "nested"),
    ServeFault("ten-thousand-flat-patterns", Request("ASK {" + " ".join(f"?s{i} ?p ?o ." for i in range(10_000))
                                                     + "}", method="POST"), 413, "bytes refused"),
    ServeFault("two-thousand-unions", Request("ASK {" + " UNION ".join(["{?s ?p ?o}"] * 2000) + "}"), 400,
               "patterns refused"),
    ServeFault("order-by-panics-the-engine", Request(ORDER_PANIC), 500, "crashed"),
    ServeFault("order-by-needs-gigabytes", Request(ORDER_HUGE), 503, "memory limit"),
    ServeFault("cartesian-count-past-the-time-limit", Request(CARTESIAN_COUNT), 503, "time limit"),
    ServeFault("service-is-refused", Request("SELECT * { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }"), 403,
               "SERVICE <http://127.0.0.1:9/x> refused"),
    ServeFault("service-through-a-prefix-is-refused",
               Request("PREFIX x: <http://127.0.0.1:9/> SELECT * { SERVICE SILENT x:y { ?s ?p ?o } }"), 403,
               "refused"),
    ServeFault("no-cors-for-other-sites", Request("ASK {}", headers=(("Origin", "http://evil.example"),)), 200,
               holds=lambda headers: "access-control-allow-origin" not in headers),
    ServeFault("other-host-names-refused", Request("ASK {}", headers=(("Host", "evil.example:80"),)), 403,
               "addressed to 127.0.0.1"),
    ServeFault("update-refused", Request(method="POST", body=b"DROP ALL",
                                         headers=(("Content-Type", "application/sparql-update"),)), 403, "read-only"),
    ServeFault("body-shorter-than-its-length", Request(method="POST", body=b"ASK {}", headers=(
        ("Content-Type", "application/sparql-query"), ("Content-Length", "100"))), 408, "did not arrive"),
    ServeFault("length-not-a-number", Request(method="POST", body=b"ASK {}", headers=(
        ("Content-Type", "application/sparql-query"), ("Content-Length", "abc"))), 400),
]


def raw_request(url: str, request: Request) -> tuple[int, dict[str, str], str]:
    """Send the request as bytes (so that lying headers go out as written): status, headers, body."""
    parts = urllib.parse.urlsplit(url)
    target = parts.path + ("?" + urllib.parse.urlencode({"query": request.query}) if request.method == "GET" else "")
    body = request.body if request.body is not None else (request.query or "").encode()
    headers = dict(request.headers)
    headers.setdefault("Host", parts.netloc)
    if request.method == "POST":
        headers.setdefault("Content-Type", "application/sparql-query")
        headers.setdefault("Content-Length", str(len(body)))
    head = f"{request.method} {target} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((parts.hostname, parts.port), timeout=HANG) as conn:
        conn.sendall(head.encode() + b"Connection: close\r\n\r\n" + (body if request.method == "POST" else b""))
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    head_bytes, _, payload = reply.partition(b"\r\n\r\n")
    lines = head_bytes.decode("latin-1").split("\r\n")
    fields = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in fields.items()}, payload.decode("utf-8", "replace")


@pytest.fixture(scope="module")
def guarded_server(seed_ttl: Path):
    from .oxigraph_server import wikikg_serve

    with wikikg_serve([seed_ttl], "--timeout", "3", "--max-memory", "400", "--workers", "2",
                      "--client-timeout", "2") as url:
        yield url


def still_answers(url: str) -> bool:
    return raw_request(url, Request("ASK {}"))[0] == 200


@pytest.mark.parametrize("fault", SERVE_FAULTS, ids=[f.id for f in SERVE_FAULTS])
def test_serve_fault(fault: ServeFault, guarded_server: str) -> None:
    status, headers, body = raw_request(guarded_server, fault.request)
    assert status == fault.status, body
    assert fault.says in body
    assert fault.holds(headers), headers
    assert still_answers(guarded_server)


def test_serve_answers_others_while_a_query_runs_to_its_limit(guarded_server: str) -> None:
    slow = threading.Thread(target=raw_request, args=(guarded_server, Request(CARTESIAN_COUNT)))
    slow.start()
    try:
        assert still_answers(guarded_server) and slow.is_alive()  # answered before the slow one was stopped
    finally:
        slow.join(HANG)


def test_serve_stops_the_query_of_a_client_that_left(seed_ttl: Path) -> None:
    """One worker and a time limit far away: the next query is answered only if the first was stopped."""
    from .oxigraph_server import wikikg_serve

    with wikikg_serve([seed_ttl], "--workers", "1", "--timeout", "3600") as url:
        parts = urllib.parse.urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port)) as conn:
            target = parts.path + "?" + urllib.parse.urlencode({"query": CARTESIAN_COUNT})
            conn.sendall(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
            time.sleep(0.5)
        assert still_answers(url)


def test_serve_closes_connections_that_never_finish_their_headers(guarded_server: str) -> None:
    parts = urllib.parse.urlsplit(guarded_server)
    idle = [socket.create_connection((parts.hostname, parts.port), timeout=HANG) for _ in range(300)]
    try:
        idle[0].sendall(b"GET /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        assert still_answers(guarded_server)  # 300 idle sockets hold no thread
        assert idle[0].recv(100) == b"" and idle[1].recv(100) == b""  # closed by the server
    finally:
        for conn in idle:
            conn.close()


def test_serve_calls_a_service_it_was_allowed(seed_ttl: Path) -> None:
    from .oxigraph_server import wikikg_serve

    with wikikg_serve([seed_ttl]) as inner, wikikg_serve([seed_ttl], "--allow-service", inner) as outer:
        query = f"SELECT (COUNT(*) AS ?n) {{ SERVICE <{inner}> {{ ?s a <https://w3id.org/wikikg/ontology#Article> }} }}"
        status, _, body = raw_request(outer, Request(query, headers=(("Accept", "text/csv"),)))
        assert status == 200 and body.split() == ["n", "1"], body


def test_query_command_survives_the_queries_that_crash_the_engine(seed_ttl: Path, tmp_path: Path, capsys) -> None:
    for name, text, says in [("panic.rq", ORDER_PANIC, "crashed"), ("deep.rq", "ASK " + "{" * 3000 + "}" * 3000,
                                                                   "nested 3000 deep")]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert main(["query", str(tmp_path / name), str(seed_ttl)]) == 1
        assert says in capsys.readouterr().err


def test_a_later_run_removes_the_temporaries_a_killed_run_left_and_no_others(tmp_path: Path) -> None:
    from .conftest import SEED

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed_run = tmp_path / f".out.ttl.{int(dead.stdout)}.k2j4x.tmp"  # its process is gone
    running = tmp_path / f".out.ttl.{os.getppid()}.a8b1c.tmp"  # a process that is still there
    for leftover in (killed_run, running):
        leftover.write_text("half a file", encoding="utf-8")
    assert main(["build", str(SEED), "-o", str(tmp_path / "out.ttl"), "-q", "--infobox-only"]) == 0
    assert not killed_run.exists() and running.exists()
    assert (tmp_path / "out.ttl").stat().st_size > 0
