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
# A section: read by a full build, not by --infobox-only (nor of a page cut to its infobox)
KOSOVO_BODY = ("\n== Battle ==\nOn 15 June 1389 the armies of [[Lazar of Serbia]] and [[Murad I]] met at "
               "[[Kosovo Polje]].\n")
WAKEFIELD = ("{{Infobox military conflict\n|conflict=Battle of Wakefield\n|date=30 December 1460\n"
             "|commander1=[[Richard of York]]\n|commander2=[[Henry Beaufort]]\n}}\n"
             "The '''Battle of Wakefield''' took place on 30 December 1460.\n== Battle ==\nThe armies met at "
             "[[Sandal Castle]].\n")
BIG_KOSOVO = KOSOVO_1389 + KOSOVO_BODY + "The armies met at dawn and fought until dusk.\n" * 200  # ~9 kB
# Unclosed external links in links: mwparserfromhell's C tokenizer is quadratic on them (6,000: ~10 s here, more
# on a slower machine), so a page timeout of half a second always stops this page and never a small one
SLOW = KOSOVO_1389.replace("The '''", "[[a|[http://b c" * 6000 + "\nThe '''")
# Links and spans nested 10,000 deep in two infobox fields: ~10,000 diagnostics of each kind
DEEP = KOSOVO_1389.replace("|date=", "|result=" + "[[a|" * 10_000 + "x" + "]]" * 10_000 + "\n|place="
                           + "<span>" * 10_000 + "x" + "</span>" * 10_000 + "\n|date=")
KOSOVO_IRI = "https://w3id.org/wikikg/graph/en/Battle_of_Kosovo"


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def commanders_by_graph(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for q in quads(path):
        if q.predicate.value.endswith("#commanded"):
            found.setdefault(q.graph_name.value, set()).add(q.subject.value.rsplit("/", 1)[1])
    return found


def predicates_by_graph(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for q in quads(path):
        found.setdefault(q.graph_name.value, set()).add(q.predicate.value.rsplit("#", 1)[-1])
    return found


def read_whole(path: Path, title: str) -> bool:
    """The article's graph is there with its infobox (commanders) and its body (a section)."""
    return {"commanded", "hasSection"} <= predicates_by_graph(path).get(f"https://w3id.org/wikikg/graph/en/{title}", set())


def files_with(err: str, code: str) -> list[str]:
    """The file of each line of stderr that has the diagnostic ``code``."""
    return [line.split(":")[0] for line in err.splitlines() if f"[{code}]" in line]


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
    # a page above --max-page-size: its infobox read from its first bytes, no section; the other page whole
    Fault("page-over-max-size-infobox-only-others-kept", {"big.wiki": BIG_KOSOVO, "small.wiki": WAKEFIELD},
          ["build", "{tmp}/big.wiki", "{tmp}/small.wiki", "-o", "{tmp}/out.nq", "--max-page-size", "4K"], 0,
          lambda tmp, err: read_whole(tmp / "out.nq", "Battle_of_Wakefield")
          and commanders_by_graph(tmp / "out.nq")[KOSOVO_IRI] == {"Lazar_of_Serbia", "Murad_I"}
          and "hasSection" not in predicates_by_graph(tmp / "out.nq")[KOSOVO_IRI]
          and files_with(err, "page-too-large") == [str(tmp / "big.wiki")]),
    # a page still being read at --page-timeout is abandoned; the pages before and after it are whole
    Fault("page-past-timeout-abandoned-others-kept",
          {"a.wiki": WAKEFIELD, "slow.wiki": SLOW, "c.wiki": KOSOVO_1389 + KOSOVO_BODY},
          ["build", "{tmp}/a.wiki", "{tmp}/slow.wiki", "{tmp}/c.wiki", "-o", "{tmp}/out.nq", "--page-timeout", "0.5"],
          1, lambda tmp, err: read_whole(tmp / "out.nq", "Battle_of_Wakefield")
          and read_whole(tmp / "out.nq", "Battle_of_Kosovo")
          and files_with(err, "page-timeout") == [str(tmp / "slow.wiki")] and "wrote" in err),
    # nesting 10,000 deep: one line per kind of diagnostic, with the count; only the deep fields are lost
    Fault("ten-thousand-deep-nesting-one-counted-warning", {"deep.wiki": DEEP},
          ["build", "{tmp}/deep.wiki", "-o", "{tmp}/deep.nq"], 0,
          lambda tmp, err: len(err.splitlines()) < 10
          and all(len(files_with(err, code)) == 1 for code in ("stray-markup", "orphan-tag"))
          and err.count("more like this") == 2
          and commanders_by_graph(tmp / "deep.nq")[KOSOVO_IRI] == {"Lazar_of_Serbia", "Murad_I"}),
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


# --- load: stopped halfway, then --resume ---
# A real `oxigraph serve` is killed while `wikikg load` runs: before the load's third request (found by watching the
# Graph Store requests the load sends), so which graphs reached the store is known exactly. The store then starts
# again on the same --location and port, and `--resume` must send only the graphs the stopped load did not.

VERSION = "urn:wikikg:test:version"


def battles(n: int, version: str, blank_nodes: bool = False) -> tuple[str, list[str]]:
    """N-Quads of n article graphs (in the order a load sends them) with a version marker; with ``blank_nodes`` each
    also has a blank node, which a second POST of the graph would add again (a copy, not the same node)."""
    graphs = [f"https://w3id.org/wikikg/graph/en/Battle_{i:02d}" for i in range(1, n + 1)]
    lines = []
    for g in graphs:
        lines.append(f'<{g}> <{VERSION}> "{version}" <{g}> .')
        lines.append(f"<{g}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                     f"<https://w3id.org/wikikg/ontology#Article> <{g}> .")
        if blank_nodes:
            lines.append(f'_:c{g.rsplit("_", 1)[1]} <urn:wikikg:test:commander> "{version}" <{g}> .')
    return "\n".join(lines) + "\n", graphs


def watch_loads(monkeypatch: pytest.MonkeyPatch, before: Callable[[int], None] = lambda n: None) -> list[str]:
    """The graphs of the Graph Store requests (PUT, POST ?graph=) sent from now on, in order; ``before(n)`` runs before the
    request that would be number n+1 (it may kill the store)."""
    import urllib.parse
    import urllib.request

    sent: list[str] = []
    real = urllib.request.urlopen

    def urlopen(request, *args, **kwargs):
        if isinstance(request, urllib.request.Request) and "?graph=" in request.full_url:  # not a query
            before(len(sent))
            sent.append(urllib.parse.unquote(request.full_url.split("graph=", 1)[1]))
        return real(request, *args, **kwargs)

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)
    return sent


def kill_before(request_number: int, server: subprocess.Popen) -> Callable[[int], None]:
    def before(n: int) -> None:
        if n + 1 == request_number:
            server.kill()  # the store dies (kill -9): nothing after this reaches it
            server.wait(timeout=30)
    return before


def store_graphs(base: str) -> dict[str, list[str]]:
    """Every named graph of the store → the objects of its triples (sorted): what it holds, copies included."""
    from graph.query.endpoint import query_endpoint

    _, rows = query_endpoint(f"{base}/query", "SELECT ?g ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    held: dict[str, list[str]] = {}
    for row in rows:
        held.setdefault(row["g"].value, []).append(row["o"].value)
    return {g: sorted(objects) for g, objects in held.items()}


def expected(graphs: list[str], version: str, blank_nodes: bool = False) -> dict[str, list[str]]:
    article = "https://w3id.org/wikikg/ontology#Article"
    return {g: sorted([version, article] + ([version] if blank_nodes else [])) for g in graphs}


def listed(graphs: list[str]) -> str:
    return ", ".join(f"<{g}>" for g in graphs)


def test_load_stopped_by_a_killed_store_says_what_it_replaced_and_resume_sends_only_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from .oxigraph_server import free_port, oxigraph_process

    old, graphs = battles(6, "old")
    new, _ = battles(6, "new")
    (tmp_path / "old.nq").write_text(old, encoding="utf-8")
    (tmp_path / "new.nq").write_text(new, encoding="utf-8")
    monkeypatch.chdir(tmp_path)  # where the progress record goes by default
    db, port = tmp_path / "db", free_port()
    with oxigraph_process(db, port) as (server, base):
        load = ["load", str(tmp_path / "new.nq"), "--store", f"{base}/store"]
        assert main(["load", str(tmp_path / "old.nq"), "--store", f"{base}/store", "-q"]) == 0
        sent = watch_loads(monkeypatch, kill_before(3, server))
        status = main(load)
    err = capsys.readouterr().err
    assert status == 1, err
    assert sent == graphs[:3]  # two replaced, the third met a dead store
    assert f"wikikg: error: stopped at <{graphs[2]}>" in err and "cannot reach the store" in err
    assert f"wikikg: replaced 2 of 6 graphs: {listed(graphs[:2])}\n" in err
    assert f"wikikg: not replaced (4): {listed(graphs[2:])}\n" in err
    assert "run the same command with --resume to load the remaining 4 graphs" in err.strip().splitlines()[-1]
    assert len(list(tmp_path.glob(".wikikg-load-*.jsonl"))) == 1

    with oxigraph_process(db, port) as (server, base):  # the store again, on the same --location and URL
        assert store_graphs(base) == expected(graphs[:2], "new") | expected(graphs[2:], "old")
        sent.clear()
        assert main([*load, "--resume"]) == 0
        assert sent == graphs[2:]  # only the rest
        assert store_graphs(base) == expected(graphs, "new")  # every graph once, its new version only
    err = capsys.readouterr().err
    assert f"replaced <{graphs[0]}>" not in err and f"replaced <{graphs[2]}>" in err
    assert "wikikg: replaced 4 of 6 graphs" in err
    assert not list(tmp_path.glob(".wikikg-load-*")), "a finished load leaves no progress record"


def test_append_stopped_then_resumed_never_posts_a_graph_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys) -> None:
    from .oxigraph_server import free_port, oxigraph_process

    data, graphs = battles(14, "v1", blank_nodes=True)
    (tmp_path / "a.nq").write_text(data, encoding="utf-8")
    record = tmp_path / "records" / "a-load.jsonl"
    db, port = tmp_path / "db", free_port()
    with oxigraph_process(db, port) as (server, base):
        load = ["load", str(tmp_path / "a.nq"), "--store", f"{base}/store", "--append", "--progress", str(record)]
        sent = watch_loads(monkeypatch, kill_before(4, server))
        assert main([*load, "-q"]) == 1
    err = capsys.readouterr().err
    assert sent == graphs[:4]
    assert f"wikikg: appended to 3 of 14 graphs: {listed(graphs[:3])}\n" in err
    assert f"wikikg: not appended to (11): {listed(graphs[3:13])} and 1 more\n" in err  # ten named, then a count
    assert "appended to <" not in err.replace("wikikg: appended to 3", "")  # -q: no line per graph
    assert record.exists() and str(record) in err

    with oxigraph_process(db, port):
        sent.clear()
        assert main([*load, "--resume"]) == 0
        assert sent == graphs[3:]
        assert store_graphs(base) == expected(graphs, "v1", blank_nodes=True)  # a second POST would copy _:c
    assert not record.exists()


def test_resume_refuses_a_record_of_inputs_that_changed_since_and_sends_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from .oxigraph_server import free_port, oxigraph_process

    data, graphs = battles(4, "v1")
    (tmp_path / "a.nq").write_text(data, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    db, port = tmp_path / "db", free_port()
    with oxigraph_process(db, port) as (server, base):
        load = ["load", "a.nq", "--store", f"{base}/store"]
        sent = watch_loads(monkeypatch, kill_before(2, server))
        assert main(load) == 1
    (tmp_path / "a.nq").write_text(battles(4, "v2")[0], encoding="utf-8")  # edited since the stop
    with oxigraph_process(db, port) as (_, base):
        sent.clear()
        capsys.readouterr()
        assert main([*load, "--resume"]) == 2
        err = capsys.readouterr().err
        assert "a.nq changed since the stopped load" in err and "without --resume" in err
        assert sent == []
        assert main([*load, "--append", "--resume"]) == 2  # a record of --replace is not resumed as --append
        assert "--replace --resume" in capsys.readouterr().err
        assert sent == []
        assert main(load) == 0  # without --resume: every graph again, and the record is gone
        assert sent == graphs and store_graphs(base) == expected(graphs, "v2")
    assert not list(tmp_path.glob(".wikikg-load-*"))


def test_resume_without_a_record_loads_every_graph_and_says_so(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys) -> None:
    from .oxigraph_server import oxigraph_serve

    data, graphs = battles(3, "v1")
    (tmp_path / "a.nq").write_text(data, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db") as base:
        sent = watch_loads(monkeypatch)
        assert main(["load", "a.nq", "--store", f"{base}/store", "--resume"]) == 0
        assert sent == graphs and store_graphs(base) == expected(graphs, "v1")
    err = capsys.readouterr().err
    assert "nothing to resume" in err and "wikikg: replaced 3 graphs" in err


def test_ctrl_c_midway_through_a_load_exits_130_and_says_what_it_replaced(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from .oxigraph_server import oxigraph_serve

    data, graphs = battles(3, "v1")
    (tmp_path / "a.nq").write_text(data, encoding="utf-8")
    monkeypatch.chdir(tmp_path)

    def ctrl_c(n: int) -> None:
        if n == 1:
            raise KeyboardInterrupt

    with oxigraph_serve(tmp_path / "db") as base:
        watch_loads(monkeypatch, ctrl_c)
        assert main(["load", "a.nq", "--store", f"{base}/store"]) == 130
        err = capsys.readouterr().err
        assert "no output written" not in err and f"wikikg: stopped at <{graphs[1]}>: interrupted" in err
        assert f"wikikg: replaced 1 of 3 graphs: <{graphs[0]}>\n" in err and "--resume" in err
        assert store_graphs(base) == expected(graphs[:1], "v1")


def test_a_load_whose_second_input_does_not_parse_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys) -> None:
    from .oxigraph_server import oxigraph_serve

    (tmp_path / "good.nq").write_text(battles(3, "v1")[0], encoding="utf-8")
    (tmp_path / "bad.nq").write_text("<urn:a> <urn:b> .\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db") as base:
        sent = watch_loads(monkeypatch)
        assert main(["load", "good.nq", "bad.nq", "--store", f"{base}/store"]) == 1
        assert "bad.nq: does not parse" in capsys.readouterr().err
        assert sent == [] and store_graphs(base) == {}  # half a load would be the good file's graphs alone
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.nq", "db", "good.nq"]


# --- load a folder of shards ---
# `wikikg build -o DIR/` writes N-Quads shards with a manifest; `wikikg load DIR` sends them shard by shard (one
# shard in memory), checks every shard's checksum before the first request, and records progress per shard file.
# The folder here: 17 articles, 8 .wiki files per work unit, --shard-pages 1: shards of 8, 8 and 1 graphs, then
# the provenance graph, 18 graphs in all; the same build as one .nq file is what the folder must load as.

def battle_of_testford(i: int) -> str:
    return (f"{{{{Infobox military conflict\n|conflict=Battle of Testford {i}\n|date=3 May {1400 + i}\n"
            f"|commander1=[[Richard of York]]\n|commander2=[[Henry Percy]]\n}}}}\n"
            f"The '''Battle of Testford {i}''' was fought in {1400 + i}.\n")


@pytest.fixture(scope="module")
def shard_build(tmp_path_factory) -> Path:
    """A folder holding ``out/`` (the build's shards) and ``all.nq`` (the same build as one file)."""
    root = tmp_path_factory.mktemp("shards")
    pages = []
    for i in range(1, 18):
        pages.append(root / f"b{i:02d}.wiki")
        pages[-1].write_text(battle_of_testford(i), encoding="utf-8")
    assert main(["build", *map(str, pages), "-o", f"{root / 'out'}/", "--shard-pages", "1", "-q"]) == 0
    assert main(["build", *map(str, pages), "-o", str(root / "all.nq"), "-q"]) == 0
    return root


def copy_build(shard_build: Path, tmp_path: Path) -> Path:
    import shutil

    shutil.copytree(shard_build / "out", tmp_path / "out")
    shutil.copyfile(shard_build / "all.nq", tmp_path / "all.nq")
    return tmp_path / "out"


def manifest_of(folder: Path) -> dict:
    import json

    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def graphs_in(folder: Path) -> list[str]:
    """The graphs of a build's folder in the order of its files: shards in manifest order, then provenance."""
    import gzip

    names = [s["file"] for s in manifest_of(folder)["shards"]] + ["provenance.nq.gz"]
    order: list[str] = []
    for name in names:
        for q in ox.parse(gzip.decompress((folder / name).read_bytes()), format=ox.RdfFormat.N_QUADS):
            if q.graph_name.value not in order:
                order.append(q.graph_name.value)
    return order


def store_quads(base: str) -> set[tuple[str, str, str, str]]:
    """Every quad of the store's named graphs, as text (blank nodes as _: a store renames them)."""
    from graph.query.endpoint import query_endpoint

    _, rows = query_endpoint(f"{base}/query", "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }")
    text = lambda term: "_" if isinstance(term, ox.BlankNode) else str(term)  # noqa: E731
    return {(text(r["g"]), text(r["s"]), text(r["p"]), text(r["o"])) for r in rows}


def test_load_a_folder_of_shards_holds_what_the_single_file_holds_with_one_line_per_shard(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, shard_build: Path) -> None:
    from .oxigraph_server import oxigraph_serve

    out = copy_build(shard_build, tmp_path)
    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db-file") as base:
        assert main(["load", "all.nq", "--store", f"{base}/store", "-q"]) == 0
        from_file = store_quads(base)
    capsys.readouterr()
    with oxigraph_serve(tmp_path / "db-folder") as base:
        sent = watch_loads(monkeypatch)
        assert main(["load", "out", "--store", f"{base}/store"]) == 0
        assert store_quads(base) == from_file and len({q[0] for q in from_file}) == 18
    assert sent == graphs_in(out)  # shard by shard in manifest order, then the provenance, each graph once
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    shards = manifest_of(out)["shards"]
    for shard, n in zip(shards, (8, 8, 1), strict=True):
        assert f"wikikg: out/{shard['file']}: replaced {n} graph" in err
    assert "out/provenance.nq.gz: replaced 1 graph" in err
    assert "replaced <" not in err  # no line per graph without -v
    assert lines[-1].startswith("wikikg: replaced 18 graphs (") and len(lines) == 5
    assert "\r" not in err  # no progress bar: stderr is not a terminal

    with oxigraph_serve(tmp_path / "db-verbose") as base:
        assert main(["load", "out", "--store", f"{base}/store", "-v"]) == 0
    err = capsys.readouterr().err
    assert all(f"replaced <{g}>" in err for g in graphs_in(out))


def test_load_refuses_an_unfinished_build_and_sends_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys, shard_build: Path) -> None:
    import json

    out = copy_build(shard_build, tmp_path)
    manifest = manifest_of(out)
    manifest["complete"] = False  # what a build stopped midway leaves
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    err = load_refused_sending_nothing(tmp_path, monkeypatch, capsys)
    assert "unfinished build" in err and "--resume" in err and "wikikg build" in err
    assert not list(tmp_path.glob(".wikikg-load-*"))


def load_refused_sending_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> str:
    """Load ``tmp_path/out`` into a fresh store: exit 1, no request sent, the store empty; what it said."""
    from .oxigraph_server import oxigraph_serve

    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db") as base:
        sent = watch_loads(monkeypatch)
        assert main(["load", "out", "--store", f"{base}/store"]) == 1
        assert sent == [] and store_graphs(base) == {}
    return capsys.readouterr().err


def test_load_refuses_a_folder_whose_shard_changed_naming_it_and_sends_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, shard_build: Path) -> None:
    import gzip

    out = copy_build(shard_build, tmp_path)
    shard = out / manifest_of(out)["shards"][2]["file"]  # the last shard: every other one is fine
    text = gzip.decompress(shard.read_bytes()).replace(b"Testford", b"Tampered")
    shard.write_bytes(gzip.compress(text))  # still a good gzip of good N-Quads: only the checksum tells
    err = load_refused_sending_nothing(tmp_path, monkeypatch, capsys)
    assert f"out/{shard.name}" in err and "sha256" in err and "manifest.json" in err
    assert "part-00000" not in err and "part-00001" not in err


def test_load_of_a_folder_stopped_by_a_killed_store_then_resume_sends_only_the_rest(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, shard_build: Path) -> None:
    from graph.query.progress import recorded

    from .oxigraph_server import free_port, oxigraph_process

    out = copy_build(shard_build, tmp_path)
    graphs = graphs_in(out)
    first, second = (str((out / s["file"]).resolve()) for s in manifest_of(out)["shards"][:2])
    monkeypatch.chdir(tmp_path)
    db, port = tmp_path / "db", free_port()
    with oxigraph_process(db, port) as (server, base):
        load = ["load", "out", "--store", f"{base}/store"]
        sent = watch_loads(monkeypatch, kill_before(12, server))  # the first shard and 3 of the second: 11 graphs
        assert main(load) == 1
    err = capsys.readouterr().err
    assert sent == graphs[:12]
    assert f"wikikg: error: stopped at <{graphs[11]}>" in err and "cannot reach the store" in err
    assert f"wikikg: replaced 11 of 18 graphs: {listed(graphs[:10])} and 1 more\n" in err  # ten named, then a count
    assert f"wikikg: not replaced (7): {listed(graphs[11:])}\n" in err
    records = list(tmp_path.glob(".wikikg-load-*.jsonl"))
    assert len(records) == 1 and "to load the remaining 7 graphs" in err.strip().splitlines()[-1]
    done = recorded(records[0])
    assert done.whole(first) and first not in done.graphs  # a finished shard is one line, not its graphs
    assert done.graphs == {second: set(graphs[8:11])} and len(done) == 11

    with oxigraph_process(db, port) as (server, base):
        sent.clear()
        assert main([*load, "--resume"]) == 0
        assert sent == graphs[11:]  # only the rest: no graph sent twice
        with oxigraph_process(tmp_path / "db-file", free_port()) as (_, file_base):
            assert main(["load", "all.nq", "--store", f"{file_base}/store", "-q"]) == 0
            assert store_quads(base) == store_quads(file_base)
    err = capsys.readouterr().err
    assert "wikikg: replaced 7 of 18 graphs" in err and "the other 11 by the stopped load" in err
    assert not list(tmp_path.glob(".wikikg-load-*")), "a finished load leaves no progress record"


def test_a_gzipped_nquads_file_listed_directly_loads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys,
                                                     shard_build: Path) -> None:
    import gzip

    from .oxigraph_server import oxigraph_serve

    copy_build(shard_build, tmp_path)
    (tmp_path / "all.nq.gz").write_bytes(gzip.compress((tmp_path / "all.nq").read_bytes()))
    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db-file") as base:
        assert main(["load", "all.nq", "--store", f"{base}/store", "-q"]) == 0
        from_file = store_quads(base)
    with oxigraph_serve(tmp_path / "db-gz") as base:
        assert main(["load", "all.nq.gz", "--store", f"{base}/store"]) == 0
        assert store_quads(base) == from_file
    assert "wikikg: replaced 18 graphs" in capsys.readouterr().err


def test_a_folder_without_manifest_loads_its_rdf_files_in_name_order_and_a_bad_one_stops_there(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    import gzip

    from .oxigraph_server import free_port, oxigraph_process

    data, graphs = battles(6, "v1")
    lines = data.splitlines(keepends=True)
    folder = tmp_path / "rdf"
    folder.mkdir()
    (folder / "a.nq").write_text("".join(lines[:4]), encoding="utf-8")  # Battle_01, Battle_02
    (folder / "b.nq.gz").write_bytes(gzip.compress(b"<urn:a> <urn:b> .\n"))  # does not parse
    (folder / "c.nq").write_text("".join(lines[4:]), encoding="utf-8")  # Battle_03 … Battle_06
    (folder / "notes.txt").write_text("not RDF: not read\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    db, port = tmp_path / "db", free_port()
    with oxigraph_process(db, port) as (_, base):
        load = ["load", "rdf", "--store", f"{base}/store"]
        sent = watch_loads(monkeypatch)
        assert main(load) == 1  # each file is read whole before its graphs are sent: b's never start
        err = capsys.readouterr().err
        assert sent == graphs[:2] and store_graphs(base) == expected(graphs[:2], "v1")
        assert "b.nq.gz: does not parse" in err and "wikikg: replaced 2 graphs" in err and "--resume" in err
        assert "rdf/c.nq" in err  # named among what was not read
        (folder / "b.nq.gz").write_bytes(gzip.compress(b""))  # mended: no graph a stopped load sent changed
        sent.clear()
        assert main([*load, "--resume"]) == 0
        assert sent == graphs[2:]
        assert store_graphs(base) == expected(graphs, "v1")
    assert not list(tmp_path.glob(".wikikg-load-*"))


def test_a_big_graph_of_a_folder_goes_in_parts_and_a_blank_node_is_never_split(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, shard_build: Path) -> None:
    import gzip

    from graph.query import sources

    from .oxigraph_server import oxigraph_serve

    out = copy_build(shard_build, tmp_path)
    monkeypatch.setattr(sources, "PART_TRIPLES", 50)  # every article here has 65 triples, the provenance 157
    monkeypatch.chdir(tmp_path)
    with oxigraph_serve(tmp_path / "db-file") as base:
        assert main(["load", "all.nq", "--store", f"{base}/store", "-q"]) == 0
        from_file = store_quads(base)
    with oxigraph_serve(tmp_path / "db-folder") as base:
        sent = watch_loads(monkeypatch)
        assert main(["load", "out", "--store", f"{base}/store", "-q"]) == 0
        assert store_quads(base) == from_file  # the first part replaced, the others added to it
    assert len(sent) > 18 and list(dict.fromkeys(sent)) == graphs_in(out)

    g = "<urn:wikikg:test:g>"
    ground = [f"<urn:s{i}> <urn:p> <urn:o> {g} .\n" for i in range(3)]
    blank = [f"_:b <urn:p> <urn:o{i}> {g} .\n" for i in range(3)]
    (tmp_path / "b.nq.gz").write_bytes(gzip.compress("".join(ground + blank + ground[:1]).encode()))
    monkeypatch.setattr(sources, "PART_TRIPLES", 2)
    parts = [len(p.triples) for p in sources.graphs_streamed(str(tmp_path / "b.nq.gz"))]
    assert parts == [2, 5]  # cut before the blank node only: its three triples go in one request
