"""The wikikg command line, option by option: for every option that `--help` lists, a case that works and a case
that fails, each run through the real entry point (``python -m graph.cli``) with exit status and output checked.

The cases are rows of a table (``CASES``). ``test_every_option_has_a_working_and_a_failing_case`` walks the
argparse parser itself (``make_parser``) and fails when an option, a subcommand or a choice has no row: a new
option must come with its rows. Network-facing options only meet local servers: a real ``oxigraph serve`` on a
free 127.0.0.1 port, a Wikidata-shaped endpoint holding tests/data/wikidata, the W3C reconciliation service of
tests/test_reconcile_w3c.py, a closed local port; every subprocess gets proxy settings that send anything else
to a closed port, so nothing reaches the internet.

Argument strings are split like a shell line and then filled in: ``{tmp}`` is the case's own folder (also the
working directory), ``{seed}`` the seed article, ``{small}`` a small English article, ``{ttl}`` the seed built
once per session, ``{index}`` an offline Wikidata index, ``{items}`` a small Wikidata JSON dump, ``{sparql}``
an Oxigraph holding the seed, ``{store}`` an empty Oxigraph to load into, ``{wikidata}`` the Wikidata-shaped
endpoint, ``{service}`` the reconciliation service, ``{closed}`` a local URL where nothing listens, ``{port}``
a free port and ``{busy_port}`` one already taken.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shlex
import shutil
import signal
import socket
import sqlite3
import string
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import __version__
from graph.cli.main import make_parser
from graph.network.vendor import version

from .conftest import QUERIES, ROOT, SEED, shared_path
from .oxigraph_server import free_port, oxigraph_serve
from .wikidata_endpoint import TEST_ITEMS, _post_ntriples

HANG = 120  # seconds: only to catch a hang (a serve that should have refused to start), never a speed requirement
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
OWL_SAME = "http://www.w3.org/2002/07/owl#sameAs"
RECONCILIATION = "https://w3id.org/wikikg/ontology#Reconciliation"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SEED_ARTICLE = "https://w3id.org/wikikg/graph/zh/纳戈尔诺-卡拉巴赫战争"  # the seed article's named graph
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
               "ntriples": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS, "nq": ox.RdfFormat.N_QUADS,
               "jsonld": ox.RdfFormat.JSON_LD, "json-ld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG,
               "rdfxml": ox.RdfFormat.RDF_XML}

# A small English article: an infobox, a cited sentence, a section, and one infobox field wikikg does not map
# (a note, shown with -v, that is not a warning: --strict passes).
SMALL = """{{Infobox military conflict
| conflict   = Battle of Testford
| date       = 3 May 1460
| place      = [[Testford]], [[England]]
| result     = Yorkist victory
| combatant1 = [[House of York]]
| combatant2 = [[House of Lancaster]]
| commander1 = [[Richard of York]]
| commander2 = [[Henry Percy]]
| strength1  = 2,000
| strength2  = 3,000
| frobnication = yes
}}
The '''Battle of Testford''' was fought on 3 May 1460.<ref>{{cite book |last=Smith |title=Wars |year=1999}}</ref>

== Battle ==
The armies met at dawn.

== References ==
{{reflist}}
"""
# Two triples of one named graph, gzip'd by the load rows (.gz is read as it comes)
GZ_QUADS = b"<urn:a> <urn:b> <urn:c> <urn:wikikg:test:a> .\n<urn:a> <urn:b> <urn:d> <urn:wikikg:test:a> .\n"
# A CONSTRUCT: who commanded (triples, written as `build` writes them)
CONSTRUCT = (b"PREFIX wkg: <https://w3id.org/wikikg/ontology#>\n"
             b"CONSTRUCT { ?fact wkg:agent ?who } WHERE { ?fact a wkg:Command ; wkg:agent ?who }\n")
# A parameter given twice: a warning, so --strict fails.
DUPLICATE = "{{Infobox military conflict\n|conflict=Battle of Dupford\n|strength1=100\n|strength1=200\n}}\n"
VIS_VERSION = f"@version {version('vis-network')}"  # the vendored library, inlined in the network page


# ---------------------------------------------------------------- the table

@dataclass
class Result:
    status: int
    out: str
    err: str
    tmp: Path
    values: dict[str, str]
    url: str = ""  # serve cases: the endpoint, while it runs

    def path(self, name: str) -> Path:
        return self.tmp / name


Check = Callable[[Result], None]


class Copy(str):
    """``files`` value: a copy of this (filled-in) path."""


class Link(str):
    """``files`` value: a symbolic link to this path."""


FOLDER = None  # ``files`` value: an empty folder


@dataclass(frozen=True)
class Case:
    id: str
    argv: str                    # split like a shell line, then each word filled in (see the module docstring)
    status: int                  # the exit status expected
    out: str = ""                # text stdout must contain
    err: str = ""                # text stderr must contain
    check: tuple[Check, ...] = ()
    files: dict[str, bytes | Copy | Link | None] = field(default_factory=dict)  # made in {tmp} first
    stdin: bytes | None = None
    covers: tuple[str, ...] = ()  # options the case is about that are absent from argv (a missing argument)
    writes: tuple[str, ...] = ()  # files a failing case may still write (default: none at all)
    serve: bool = False          # run until it answers, check it over HTTP, then Ctrl-C it


def rdf_file(name: str, fmt: str = "turtle", at_least: int = 100) -> Check:
    def check(r: Result) -> None:
        quads = list(ox.parse(r.path(name).read_bytes(), format=RDF_FORMATS[fmt]))
        assert len(quads) >= at_least, f"{name}: {len(quads)} triples"
    return check


def shards(folder: str, pages: int, files: int = 1) -> Check:
    """A complete folder output: its manifest, and shards that parse as N-Quads and hold ``pages`` articles."""
    def check(r: Result) -> None:
        manifest = json.loads(r.path(f"{folder}/manifest.json").read_text(encoding="utf-8"))
        assert manifest["complete"] and manifest["pages"] == pages and len(manifest["shards"]) == files
        graphs = {q.graph_name.value for shard in manifest["shards"]
                  for q in ox.parse(gzip.decompress(r.path(f"{folder}/{shard['file']}").read_bytes()),
                                    format=ox.RdfFormat.N_QUADS)}
        assert len(graphs) == pages
    return check


def stdout_rdf(fmt: str = "turtle", at_least: int = 100, has: str = "") -> Check:
    def check(r: Result) -> None:
        data = r.out.encode("utf-8")
        assert len(list(ox.parse(data, format=RDF_FORMATS[fmt]))) >= at_least
        assert has in r.out
    return check


def contains(name: str, *texts: str, absent: tuple[str, ...] = ()) -> Check:
    def check(r: Result) -> None:
        text = r.path(name).read_text(encoding="utf-8")
        for t in texts:
            assert t in text, f"{name} lacks {t!r}"
        for t in absent:
            assert t not in text, f"{name} has {t!r}"
    return check


def exists(*names: str) -> Check:
    def check(r: Result) -> None:
        for name in names:
            assert r.path(name).exists(), f"{name} was not written"
    return check


# the reconciler's answers under the run's $XDG_CACHE_HOME (its tables of data files are kept beside them)
WIKIDATA_CACHE = "cache/wikikg/wikidata-cache.sqlite"


def missing(*names: str) -> Check:
    def check(r: Result) -> None:
        for name in names:
            assert not r.path(name).exists(), f"{name} was written"
    return check


def no_stderr(r: Result) -> None:
    assert r.err == "", r.err


def links(name: str, fmt: str = "turtle", exact: int = 0, same_as: bool | None = None) -> Check:
    """``exact`` skos:exactMatch links (the offline index and the endpoint match 10 of the seed's entities with
    the default settings), wkg:Reconciliation records, owl:sameAs or not."""
    def check(r: Result) -> None:
        triples = [q.triple for q in ox.parse(r.path(name).read_bytes(), format=RDF_FORMATS[fmt])]
        predicates = [t.predicate.value for t in triples]
        assert predicates.count(SKOS_EXACT) == exact
        assert any(t.predicate.value == RDF_TYPE and t.object.value == RECONCILIATION for t in triples)
        if same_as is not None:
            assert (OWL_SAME in predicates) == same_as
    return check


def unlinked(name: str) -> Check:
    """The graph is written, whole, with no link: nothing was checked, so nothing is linked or recorded."""
    def check(r: Result) -> None:
        triples = [q.triple for q in ox.parse(r.path(name).read_bytes(), format=RDF_FORMATS["turtle"])]
        assert triples and not [t for t in triples if t.predicate.value == SKOS_EXACT]
    return check


def table_rows(n: int) -> Check:
    def check(r: Result) -> None:
        assert r.out.rstrip().endswith(f"({n} rows)"), r.out[-200:]
    return check


def json_rows(n: int) -> Check:
    def check(r: Result) -> None:
        assert len(json.loads(r.out)["results"]["bindings"]) == n
    return check


def xml_rows(n: int) -> Check:
    def check(r: Result) -> None:
        ns = "{http://www.w3.org/2005/sparql-results#}"
        assert len(ET.fromstring(r.out).findall(f"{ns}results/{ns}result")) == n
    return check


def first_line(text: str) -> Check:
    def check(r: Result) -> None:
        assert r.out.splitlines()[0] == text
    return check


def graph_loaded(r: Result) -> None:
    """The seed's article graph is in the store, with every triple of the file."""
    expected = len(list(ox.parse(path=r.values["ttl"], format=ox.RdfFormat.TURTLE)))
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{SEED_ARTICLE}> {{ ?s ?p ?o }} }}"
    assert count(r.values["store"].rsplit("/", 1)[0], query) == expected


def analysis(key: str, first: dict) -> Check:
    def check(r: Result) -> None:
        rows = json.loads(r.out)[key]
        assert {k: rows[0][k] for k in first} == first
    return check


def folder_holds(folder: str, *names: str) -> Check:
    def check(r: Result) -> None:
        assert sorted(p.name for p in r.path(folder).iterdir()) == sorted(names)
        json.loads(r.path(folder).joinpath("report.json").read_text(encoding="utf-8"))
    return check


def index_holds(name: str, entities: int) -> Check:
    def check(r: Result) -> None:
        with sqlite3.connect(r.path(name)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables, "no tables in the index"
        assert f"{entities:,} entities" in r.out
    return check


def cache_written(name: str) -> Check:
    def check(r: Result) -> None:
        with sqlite3.connect(r.path(name)) as db:
            assert db.execute("SELECT COUNT(*) FROM answers").fetchone()[0] > 0
    return check


def sent_user_agent(contact: str) -> Check:
    def check(r: Result) -> None:
        agents = SERVICE_AGENTS[-5:]
        assert agents and all(contact in a for a in agents), agents
    return check


def served_rows(n: int, truncated: bool = False) -> Check:
    """A SELECT over HTTP gives n rows (JSON); an update is refused with 403."""
    def check(r: Result) -> None:
        query = (QUERIES / "commanders.rq").read_text(encoding="utf-8")
        request = urllib.request.Request(r.url, data=query.encode("utf-8"), method="POST",
                                         headers={"Content-Type": "application/sparql-query",
                                                  "Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            assert len(json.loads(response.read())["results"]["bindings"]) == n
            assert bool(response.headers.get("X-Wikikg-Truncated")) == truncated
        update = urllib.request.Request(r.url, data=b"DELETE WHERE { ?s ?p ?o }", method="POST",
                                        headers={"Content-Type": "application/sparql-update"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(update, timeout=60)
        assert refused.value.code == 403
    return check


def cors_for(origin: str) -> Check:
    """Answers carry Access-Control-Allow-Origin for the allowed site only."""
    def check(r: Result) -> None:
        for asking, allowed in [(origin, origin), ("http://evil.example", None)]:
            request = urllib.request.Request(f"{r.url}?query=ASK%7B%7D", headers={"Origin": asking})
            with urllib.request.urlopen(request, timeout=60) as response:
                assert response.headers.get("Access-Control-Allow-Origin") == allowed
    return check


def out_has(text: str) -> Check:
    def check(r: Result) -> None:
        assert text in r.out, r.out[-1000:]
    return check


def err_lacks(text: str) -> Check:
    def check(r: Result) -> None:
        assert text not in r.err, r.err[-1000:]
    return check


def one_line(r: Result) -> None:
    """The whole of stderr is the one line of the error."""
    assert len(r.err.strip().splitlines()) == 1, r.err


def no_stdout(r: Result) -> None:
    assert r.out == "", r.out[-1000:]


def is_symlink(name: str) -> Check:
    def check(r: Result) -> None:
        assert r.path(name).is_symlink(), f"{name} was replaced"
    return check


def node_kinds(*kinds: str) -> Check:
    def check(r: Result) -> None:
        assert set(kinds) <= {row["kind"] for row in json.loads(r.out)["summary"]}
    return check


def C(id: str, argv: str, status: int = 0, *checks: Check, **kw) -> Case:  # noqa: A002, N802 - a table row
    return Case(id, argv, status, check=checks, **kw)


S_TTL = {"s.ttl": b"a file, not a folder"}  # the impossible output: s.ttl/anything
SEED_IB = "{seed} --infobox-only -q"
OTHER = {"other.ttl": Copy("{ttl}")}  # the seed's graph again, under another name: a second edition
WDIFF = "wikidata-diff {ttl} -o {tmp}/d.qs"  # the QuickStatements of the seed's graph
REC = "reconcile {ttl} -o {tmp}/l.ttl"       # reconcile the seed into l.ttl
BREC = "build {small} -q -o {tmp}/o.ttl --reconcile"  # build with reconciliation, a small article

CASES: list[Case] = [
    # ---- wikikg
    C("help", "--help", 0, out="commands:"),
    C("version", "--version", 0, out=f"wikikg {__version__}"),
    C("no-command", "", 2, err="the following arguments are required: COMMAND", covers=("COMMAND",)),
    C("unknown-command", "frobnicate", 2, err="invalid choice: 'frobnicate'", covers=("COMMAND",)),
    C("unknown-option", "--frobnicate", 2, err="unrecognized arguments: --frobnicate"),

    # ---- wikikg build
    C("build-help", "build --help", 0, out="exit status"),
    C("build-stdout", "build {small} -q", 0, stdout_rdf(has="en.wikipedia.org/wiki/Battle_of_Testford")),
    C("build-stdin", "build - --title Testford -q", 0, stdout_rdf(has="wikipedia.org/wiki/Testford"),
      stdin=SMALL.encode()),
    C("build-folder", "build {tmp}/articles -o {tmp}/all.nq -q", 0, rdf_file("all.nq", "nquads"),
      files={"articles/": FOLDER, "articles/a.wiki": SMALL.encode(), "articles/sub/b.wiki": DUPLICATE.encode()}),
    C("build-input-missing", "build {tmp}/nope.wiki -o {tmp}/o.ttl", 1, err="nope.wiki: no such file"),
    C("build-input-none", "build", 2, err="the following arguments are required: INPUT", covers=("INPUT",)),
    C("build-input-empty-folder", "build {tmp}/empty -o {tmp}/o.ttl", 1, err="folder has no .wiki files",
      files={"empty/": FOLDER}),
    C("build-output", "build {small} -q -o {tmp}/out.ttl", 0, rdf_file("out.ttl")),
    C("build-output-special-file", "build {small} -o {tmp}/null.ttl", 0, is_symlink("null.ttl"), err="wrote",
      files={"null.ttl": Link("/dev/null")}),
    C("build-output-under-a-file", "build {small} -o s.ttl/x.ttl", 1, one_line,
      err="s.ttl/x.ttl: cannot write: s.ttl is a file, not a folder", files=S_TTL),
    C("build-output-is-a-folder", "build {small} -q -o {tmp}/dir", 0, shards("dir", pages=1), files={"dir/": FOLDER}),
    C("build-output-folder-not-nquads", "build {small} -o {tmp}/dir/ --format ttl", 2,
      err="a folder holds N-Quads shards"),
    C("build-output-folder-and-reconcile", "build {small} -o {tmp}/dir/ --reconcile", 2,
      err="--reconcile needs the whole graph in one file"),
    C("build-jobs", "build {small} {seed} -q --jobs 2 -o {tmp}/two.nq", 0, rdf_file("two.nq", "nquads")),
    C("build-jobs-zero", "build {small} --jobs 0", 2, err="must be a whole number 1 or more"),
    C("build-jobs-and-cluster", "build {small} --jobs 2 --cluster local:1", 2, err="with --cluster the cluster"),
    C("build-cluster", "build {small} {seed} -q --cluster local:1 -o {tmp}/two.nq", 0, rdf_file("two.nq", "nquads")),
    C("build-cluster-stdin", "build - --cluster local:1", 2, err="cannot read this process's standard input"),
    C("build-cluster-not-an-address", "build {small} --cluster local:none -o {tmp}/x.nq", 2,
      err="expected local:N with N workers"),
    C("build-shard-pages", "build {small} {seed} -q -o {tmp}/shards/ --shard-pages 1", 0, shards("shards", pages=2)),
    C("build-shard-pages-zero", "build {small} -o {tmp}/shards/ --shard-pages 0", 2,
      err="must be a whole number 1 or more"),
    C("build-all-pages", "build {small} -q --all-pages -o {tmp}/o.ttl", 0, rdf_file("o.ttl")),
    C("build-all-pages-value", "build {small} --all-pages=yes", 2, err="ignored explicit argument"),
    C("build-no-redirects", "build {small} -q --no-redirects -o {tmp}/o.ttl", 0, rdf_file("o.ttl")),
    C("build-no-redirects-value", "build {small} --no-redirects=1", 2, err="ignored explicit argument"),
    C("build-resume", "build {small} -q -o {tmp}/shards/ --resume", 0, shards("shards", pages=1)),
    C("build-resume-not-a-folder", "build {small} -o {tmp}/out.nq --resume", 2,
      err="--resume goes on with a folder output"),
    *[C(f"build-format-{fmt}", f"build {{small}} -q -o {{tmp}}/out.data --format {fmt}", 0,
        rdf_file("out.data", fmt)) for fmt in sorted(RDF_FORMATS)],
    C("build-format-unknown", "build {small} --format xml", 2, err="invalid choice: 'xml'"),
    C("build-output-unknown-extension", "build {small} -o {tmp}/out.txt", 2, err="no RDF format is written as .txt"),
    C("build-lang", "build {small} -q --lang ZH", 0, stdout_rdf(has="zh.wikipedia.org/wiki/Battle_of_Testford")),
    C("build-lang-invalid", "build {small} --lang 'x y'", 2, err="must be a Wikipedia language code"),
    C("build-title", "build {small} -q --title 'Battle of Otherford'", 0,
      stdout_rdf(has="en.wikipedia.org/wiki/Battle_of_Otherford")),
    C("build-title-several-inputs", "build {small} {seed} --title X", 2, err="--title applies to one article"),
    C("build-infobox-only", "build {seed} --infobox-only -q -o {tmp}/o.ttl", 0, rdf_file("o.ttl"),
      contains("o.ttl", "wkg:Belligerence", absent=("wkg:inSection",))),
    C("build-infobox-only-value", "build {small} --infobox-only=yes", 2, err="ignored explicit argument 'yes'"),
    C("build-max-page-size", "build {seed} -o {tmp}/o.ttl --max-page-size 32K", 0, rdf_file("o.ttl"),
      err="more than --max-page-size (32,768): only the infobox"),
    C("build-max-page-size-zero", "build {small} --max-page-size 0", 2, err="must be a number of bytes 1 or more"),
    C("build-page-timeout", "build {small} -q -o {tmp}/o.ttl --page-timeout 30", 0, rdf_file("o.ttl")),
    C("build-page-timeout-zero", "build {small} --page-timeout 0", 2, err="must be a number of seconds above 0"),
    C("build-diagnostics", "build {tmp}/dup.wiki -q -o {tmp}/o.ttl --diagnostics {tmp}/d.jsonl", 0,
      contains("d.jsonl", '"code": "duplicate-parameter"', '"line": 4'), files={"dup.wiki": DUPLICATE.encode()}),
    C("build-diagnostics-under-a-file", "build {small} -o {tmp}/o.ttl --diagnostics s.ttl/d.jsonl", 1, one_line,
      err="s.ttl/d.jsonl: cannot write: s.ttl is a file", files=S_TTL),
    C("build-strict", "build {small} --strict -o {tmp}/o.ttl", 0, rdf_file("o.ttl"), err="wrote"),
    C("build-strict-warnings", "build {tmp}/dup.wiki --strict -o {tmp}/o.ttl", 1,
      err="--strict: warnings above", files={"dup.wiki": DUPLICATE.encode()}, writes=("o.ttl",)),
    C("build-verbose", "build {small} -v -o {tmp}/o.ttl", 0, err="info: infobox field 'frobnication'"),
    C("build-verbose-value", "build {small} --verbose=yes", 2, err="ignored explicit argument"),
    C("build-quiet", "build {small} -q -o {tmp}/o.ttl", 0, rdf_file("o.ttl"), no_stderr),
    C("build-quiet-value", "build {small} --quiet=yes", 2, err="ignored explicit argument"),
    C("build-reconcile-offline", f"build {SEED_IB} -o {{tmp}}/o.ttl --reconcile --offline {{index}}", 0,
      links("o.ttl", exact=10), exists("o.reconciliation.csv", "o.reconciliation.md")),
    C("build-reconcile-value", "build {small} --reconcile=yes", 2, err="ignored explicit argument"),
    C("build-offline-missing-index", BREC + " --offline {tmp}/no.db", 1, err="no.db: no such index"),
    C("build-offline-without-reconcile", "build {small} -q --offline {index}", 2,
      err="--offline: applies with --reconcile only"),
    C("build-endpoint", f"build {SEED_IB} -o {{tmp}}/o.ttl --reconcile --endpoint {{wikidata}}", 0,
      links("o.ttl", exact=10)),
    C("build-endpoint-and-offline", BREC + " --endpoint {wikidata} --offline {index}", 2,
      err="argument --offline: not allowed with argument --endpoint"),
    C("build-service", BREC + " --service {service}", 0, links("o.ttl")),
    C("build-service-and-endpoint", BREC + " --service {service} --endpoint {wikidata}", 2,
      err="argument --endpoint: not allowed with argument --service"),
    C("build-service-closed", "build {small} -o {tmp}/o.ttl --reconcile --service {closed}/en/api --retries 1 "
      "--timeout 5", 1, unlinked("o.ttl"), err="not checked",  # the graph is still written; the run fails, says why
      writes=("o.ttl", "o.reconciliation.csv", "o.reconciliation.md")),
    C("build-user-agent", BREC + " --service {service} --user-agent tester@example.org --no-cache", 0,
      sent_user_agent("tester@example.org")),
    C("build-user-agent-no-value", BREC + " --offline {index} --user-agent", 2, err="expected one argument"),
    C("build-cache", BREC + " --endpoint {wikidata} --cache {tmp}/c.sqlite", 0, cache_written("c.sqlite")),
    C("build-cache-under-a-file", BREC + " --endpoint {wikidata} --cache s.ttl/c.sqlite", 1, one_line,
      err="s.ttl/c.sqlite: cannot write: s.ttl is a file", files=S_TTL),
    C("build-no-cache", BREC + " --endpoint {wikidata} --no-cache", 0, links("o.ttl"), missing(WIKIDATA_CACHE)),
    C("build-no-cache-value", BREC + " --no-cache=yes", 2, err="ignored explicit argument"),
    C("build-refresh", BREC + " --endpoint {wikidata} --refresh", 0, links("o.ttl"), exists(WIKIDATA_CACHE)),
    C("build-refresh-value", BREC + " --refresh=yes", 2, err="ignored explicit argument"),
    C("build-timeout", BREC + " --endpoint {wikidata} --timeout 30", 0, links("o.ttl")),
    C("build-timeout-zero", BREC + " --endpoint {wikidata} --timeout 0", 2, err="must be a number of seconds above 0"),
    C("build-retries", BREC + " --endpoint {wikidata} --retries 1", 0, links("o.ttl")),
    C("build-retries-zero", BREC + " --endpoint {wikidata} --retries 0", 2, err="must be a whole number 1 or more"),
    C("build-threshold", f"build {SEED_IB} -o {{tmp}}/o.ttl --reconcile --offline {{index}} --threshold 0.9", 0,
      links("o.ttl", exact=9)),
    C("build-threshold-above-one", BREC + " --offline {index} --threshold 1.5", 2, err="must be a number from 0 to 1"),
    C("build-margin", BREC + " --offline {index} --margin 0.2", 0, links("o.ttl")),
    C("build-margin-negative", BREC + " --offline {index} --margin -0.1", 2, err="must be a number from 0 to 1"),
    C("build-same-as-threshold", f"build {SEED_IB} -o {{tmp}}/o.ttl --reconcile --offline {{index}} "
      "--same-as-threshold 0.9", 0, links("o.ttl", exact=10, same_as=True)),
    C("build-same-as-threshold-word", BREC + " --offline {index} --same-as-threshold high", 2,
      err="must be a number from 0 to 1, not 'high'"),
    C("build-no-same-as", f"build {SEED_IB} -o {{tmp}}/o.ttl --reconcile --offline {{index}} --no-same-as", 0,
      links("o.ttl", exact=10, same_as=False)),
    C("build-no-same-as-value", BREC + " --no-same-as=yes", 2, err="ignored explicit argument"),
    C("build-report", BREC + " --offline {index} --report {tmp}/review/links", 0,
      exists("review/links.csv", "review/links.md"), missing("o.reconciliation.csv")),
    C("build-report-under-a-file", BREC + " --offline {index} --report s.ttl/links", 1, one_line,
      err="s.ttl/links.csv: cannot write: s.ttl is a file", files=S_TTL),

    # ---- wikikg query
    C("query-help", "query --help", 0, out="--endpoint URL"),
    C("query-table", "query {queries}/commanders.rq {ttl}", 0, table_rows(23)),
    C("query-file-missing", "query {tmp}/no.rq {ttl}", 1, err="no.rq: no such query file"),
    C("query-syntax-error", "query {tmp}/bad.rq {ttl}", 1, err="SPARQL syntax error", files={"bad.rq": b"SELECT {"}),
    C("query-data-none", "query {queries}/commanders.rq", 2, err="give RDF files to query", covers=("DATA",)),
    C("query-data-broken", "query {queries}/commanders.rq {tmp}/b.ttl", 1, err="b.ttl: does not parse",
      files={"b.ttl": b"<a> <b> ."}),
    C("query-format-table", "query {queries}/commanders.rq {ttl} --format table", 0, table_rows(23)),
    C("query-format-csv", "query {queries}/commanders.rq {ttl} --format csv", 0,
      first_line("conflict,side,commander,commanderLabel,killedInAction,affiliation,affiliationLabel")),
    C("query-format-tsv", "query {queries}/commanders.rq {ttl} --format tsv", 0,
      first_line("?conflict\t?side\t?commander\t?commanderLabel\t?killedInAction\t?affiliation\t?affiliationLabel")),
    C("query-format-json", "query {queries}/commanders.rq {ttl} --format json", 0, json_rows(23)),
    C("query-format-xml", "query {queries}/commanders.rq {ttl} --format xml", 0, xml_rows(23)),
    C("query-format-unknown", "query {queries}/commanders.rq {ttl} --format yaml", 2, err="invalid choice: 'yaml'"),
    C("query-param", "query {queries}/commanders.rq {ttl} --param side=2", 0, table_rows(9)),
    C("query-param-malformed", "query {queries}/commanders.rq {ttl} --param side", 2, err="expected NAME=VALUE"),
    C("query-limit", "query {queries}/commanders.rq {ttl} --limit 5 --format json", 0, json_rows(5)),
    C("query-limit-zero", "query {queries}/commanders.rq {ttl} --limit 0", 0, table_rows(0)),
    C("query-limit-negative", "query {queries}/commanders.rq {ttl} --limit -1", 2,
      err="argument --limit: must be a whole number 0 or more, not -1"),
    C("query-endpoint", "query {queries}/commanders.rq --endpoint {sparql}", 0, table_rows(23)),
    C("query-endpoint-closed", "query {queries}/commanders.rq --endpoint {closed}/query --timeout 5", 1,
      err="cannot reach the endpoint"),
    C("query-endpoint-and-data", "query {queries}/commanders.rq {ttl} --endpoint {sparql}", 2, err="not both"),
    C("query-timeout", "query {queries}/commanders.rq --endpoint {sparql} --timeout 60 --format json", 0,
      json_rows(23)),
    C("query-timeout-negative", "query {queries}/commanders.rq --endpoint {sparql} --timeout -5", 2,
      err="argument --timeout: must be a number of seconds above 0, not -5"),
    C("query-by-name", "query commanders {ttl}", 0, table_rows(23)),
    C("query-name-unknown", "query commandrs {ttl}", 1, err="commandrs: no such query file nor named query"),
    C("query-list", "query --list", 0, out="commanders"),
    C("query-list-and-query", "query --list commanders {ttl}", 2, err="--list lists the named queries; give it alone"),
    C("query-none", "query", 2, err="give a query: a named one", covers=("QUERY",)),
    C("query-width", "query commanders {ttl} --width 8", 0, out="en/Arka…"),
    C("query-width-zero", "query commanders {ttl} --width 0", 2, err="must be a whole number 1 or more"),
    C("query-excel", "query commanders {ttl} --format csv --excel", 0, out="\ufeffconflict,side"),
    C("query-excel-not-csv", "query commanders {ttl} --excel", 2, err="--excel: applies with --format csv"),
    C("query-output", "query commanders {ttl} --format json -o {tmp}/c.json", 0, exists("c.json"), no_stdout),
    C("query-output-under-a-file", "query commanders {ttl} -o s.ttl/c.txt", 1, one_line,
      err="s.ttl/c.txt: cannot write: s.ttl is a file", files=S_TTL),
    *[C(f"query-format-{fmt}", f"query {{tmp}}/c.rq {{ttl}} --format {fmt}", 0, stdout_rdf(fmt, at_least=20),
        files={"c.rq": CONSTRUCT}) for fmt in ("turtle", "nt", "jsonld", "rdfxml")],
    C("query-format-rdf-for-rows", "query commanders {ttl} --format turtle", 2, err="gives rows, not triples"),
    C("query-construct-output-unknown", "query {tmp}/c.rq {ttl} -o {tmp}/c.foo", 2, err="no RDF format is written as",
      files={"c.rq": CONSTRUCT}),
    C("query-wikitext-data", "query commanders {small}", 1, err="build it first: `wikikg build"),
    C("query-endpoint-construct", "query {tmp}/c.rq --endpoint {sparql} --format nt", 0, stdout_rdf("nt", 20),
      files={"c.rq": CONSTRUCT}),
    C("query-endpoint-ask", "query {tmp}/a.rq --endpoint {sparql} --format json", 0, out='"boolean": true',
      files={"a.rq": b"ASK { ?s ?p ?o }"}),

    # ---- wikikg ontology
    # wikidata-diff: what the article says that Wikidata lacks (the seed, unreconciled: reported, nothing written)
    C("wikidata-diff-help", "wikidata-diff --help", 0, out="QuickStatements"),
    C("wikidata-diff", WDIFF + " --offline {index}", 0, exists("d.qs", "d.review.csv", "d.review.md"),
      err="not reconciled to a Wikidata item"),
    C("wikidata-diff-graph-missing", "wikidata-diff {tmp}/no.ttl --offline {index} -o {tmp}/d.qs", 1, one_line,
      err="no.ttl"),
    C("wikidata-diff-output-under-a-file", "wikidata-diff {ttl} --offline {index} -o s.ttl/d.qs", 1, one_line,
      err="s.ttl", files=S_TTL),
    C("wikidata-diff-output-none", "wikidata-diff {ttl} --offline {index}", 2, err="required: -o"),
    C("wikidata-diff-offline-missing", WDIFF + " --offline {tmp}/no.db", 1, one_line, err="no.db"),
    C("wikidata-diff-endpoint", WDIFF + " --endpoint {wikidata}", 0, exists("d.qs")),
    C("wikidata-diff-endpoint-and-offline", WDIFF + " --endpoint {wikidata} --offline {index}", 2,
      err="not allowed with argument"),
    C("wikidata-diff-user-agent", WDIFF + " --endpoint {wikidata} --user-agent tester@example.org", 0, exists("d.qs")),
    C("wikidata-diff-user-agent-no-value", WDIFF + " --endpoint {wikidata} --user-agent", 2,
      err="expected one argument"),
    C("wikidata-diff-timeout", WDIFF + " --endpoint {wikidata} --timeout 30", 0, exists("d.qs")),
    C("wikidata-diff-timeout-zero", WDIFF + " --endpoint {wikidata} --timeout 0", 2, err="above 0"),
    C("wikidata-diff-retries", WDIFF + " --endpoint {wikidata} --retries 1", 0, exists("d.qs")),
    C("wikidata-diff-retries-zero", WDIFF + " --endpoint {wikidata} --retries 0", 2, err="1 or more"),
    C("wikidata-diff-revision", WDIFF + " --offline {index} --revision 963305426", 0, exists("d.qs")),
    C("wikidata-diff-revision-word", WDIFF + " --offline {index} --revision latest", 2, err="--revision"),
    C("wikidata-diff-quiet", WDIFF + " --offline {index} -q", 0, no_stderr, exists("d.qs")),
    C("wikidata-diff-quiet-value", WDIFF + " --offline {index} --quiet=yes", 2, err="ignored explicit argument"),
    # compare: one article in two editions (here the seed twice: every fact the same)
    C("compare-help", "compare --help", 0, out="same / differs"),
    C("compare", "compare {ttl} {tmp}/other.ttl", 0, out="same", files=OTHER),
    C("compare-one-graph", "compare {ttl}", 2, err="two graphs or more"),
    C("compare-graph-missing", "compare {ttl} {tmp}/no.ttl", 1, one_line, err="no.ttl"),
    C("compare-names", "compare {ttl} {tmp}/other.ttl --names old,new", 0, out="old", files=OTHER),
    C("compare-names-too-few", "compare {ttl} {tmp}/other.ttl --names old", 2, err="--names", files=OTHER),
    C("compare-output", "compare {ttl} {tmp}/other.ttl -q -o {tmp}/c", 0, exists("c.csv", "c.md", "c.html", "c.alignment.ttl"), files=OTHER),
    C("compare-output-under-a-file", "compare {ttl} {tmp}/other.ttl -q -o s.ttl/c", 1, one_line, err="s.ttl",
      files={**S_TTL, **OTHER}),
    C("compare-offline", "compare {ttl} {tmp}/other.ttl --offline {index}", 0, out="same", files=OTHER),
    C("compare-offline-missing", "compare {ttl} {tmp}/other.ttl --offline {tmp}/no.db", 1, one_line, err="no.db", files=OTHER),
    C("compare-endpoint", "compare {ttl} {tmp}/other.ttl --endpoint {wikidata}", 0, out="same", files=OTHER),
    C("compare-endpoint-and-offline", "compare {ttl} {tmp}/other.ttl --endpoint {wikidata} --offline {index}", 2,
      err="not allowed with argument", files=OTHER),
    C("compare-user-agent", "compare {ttl} {tmp}/other.ttl --endpoint {wikidata} --user-agent tester@example.org", 0,
      out="same", files=OTHER),
    C("compare-user-agent-no-value", "compare {ttl} {tmp}/other.ttl --user-agent", 2, err="expected one argument", files=OTHER),
    C("compare-quiet", "compare {ttl} {tmp}/other.ttl -q -o {tmp}/c", 0, exists("c.csv"), no_stdout, files=OTHER),
    C("compare-quiet-value", "compare {ttl} {tmp}/other.ttl --quiet=yes", 2, err="ignored explicit argument", files=OTHER),
    C("ontology-help", "ontology --help", 0, out="--shapes"),
    C("ontology", "ontology", 0, out="owl:Ontology"),
    C("ontology-shapes", "ontology --shapes", 0, out="sh:NodeShape"),
    C("ontology-shapes-value", "ontology --shapes=yes", 2, err="ignored explicit argument"),
    C("ontology-output", "ontology -o {tmp}/wikikg.owl", 0, rdf_file("wikikg.owl", "rdfxml")),
    C("ontology-output-unknown", "ontology -o {tmp}/wikikg.foo", 2, err="no RDF format is written as .foo"),
    C("ontology-html", "ontology --html {tmp}/ontology.html", 0, contains("ontology.html", 'id="Conflict"')),
    C("ontology-html-under-a-file", "ontology --html s.ttl/o.html", 1, one_line, err="s.ttl", files=S_TTL),

    # ---- wikikg load
    C("load-help", "load --help", 0, out_has("--store http://127.0.0.1:7878/store --resume"), out="--progress FILE"),
    C("load", "load {ttl} --store {store}", 0, graph_loaded, err=f"replaced <{SEED_ARTICLE}>"),
    C("load-data-missing", "load {tmp}/no.ttl --store {store}", 1, err="no.ttl: no such file"),
    C("load-store-none", "load {ttl}", 2, err="the following arguments are required: --store", covers=("--store",)),
    C("load-store-closed", "load {ttl} --store {closed}/store --timeout 5", 1, err="cannot reach the store"),
    C("load-replace", "load {ttl} --store {store} --replace", 0, graph_loaded, err="replaced <"),
    C("load-replace-and-append", "load {ttl} --store {store} --replace --append", 2,
      err="argument --append: not allowed with argument --replace"),
    C("load-append", "load {ttl} --store {store} --append", 0, graph_loaded, err="appended to <"),
    C("load-append-value", "load {ttl} --store {store} --append=yes", 2, err="ignored explicit argument"),
    C("load-timeout", "load {ttl} --store {store} --timeout 60", 0, graph_loaded),
    C("load-timeout-zero", "load {ttl} --store {store} --timeout 0", 2, err="must be a number of seconds above 0"),
    C("load-resume-no-record", "load {ttl} --store {store} --resume", 0, graph_loaded, err="nothing to resume"),
    C("load-resume-other-store", "load {ttl} --store {store} --resume --progress {tmp}/p.jsonl", 2,
      contains("p.jsonl", "elsewhere"), err="records a load into http://elsewhere.invalid/store",
      files={"p.jsonl": b'{"wikikg_load": 1, "store": "http://elsewhere.invalid/store", "mode": "replace", '
                        b'"inputs": []}\n{"path": "/x.ttl", "graph": "https://example.org/x"}\n'}),
    C("load-progress", "load {ttl} --store {store} --progress {tmp}/p.jsonl", 0, graph_loaded, missing("p.jsonl")),
    C("load-progress-not-a-record", "load {ttl} --store {store} --progress {tmp}/notes.txt", 2,
      contains("notes.txt", "my notes"), err="notes.txt is not a wikikg load progress record",
      files={"notes.txt": b"my notes\n"}),
    C("load-quiet", "load {ttl} --store {store} -q", 0, graph_loaded, no_stderr),
    C("load-quiet-store-closed", "load {ttl} --store {closed}/store --timeout 5 -q", 1,
      err="cannot reach the store"),  # -q hides progress, never the error
    C("load-folder", "load {tmp}/rdf --store {store}", 0, graph_loaded, err="rdf/seed.ttl: replaced 1 graph (",
      files={"rdf/seed.ttl": Copy("{ttl}"), "rdf/notes.txt": b"not RDF: not read\n"}),
    C("load-folder-empty", "load {tmp}/rdf --store {store}", 1, err="no manifest.json and no RDF files",
      files={"rdf/": FOLDER}),
    C("load-folder-unfinished-build", "load {tmp}/out --store {store}", 1, err="an unfinished build",
      files={"out/manifest.json": b'{"complete": false, "shards": []}'}),
    C("load-gz", "load {tmp}/a.nq.gz --store {store}", 0, err="replaced <urn:wikikg:test:a> (2 triples)",
      files={"a.nq.gz": gzip.compress(GZ_QUADS, mtime=0)}),
    C("load-gz-cut-short", "load {tmp}/a.nq.gz --store {store}", 1, err="a.nq.gz: not a whole gzip file",
      files={"a.nq.gz": gzip.compress(GZ_QUADS, mtime=0)[:30]}),
    C("load-verbose", "load {tmp}/rdf --store {store} -v", 0, graph_loaded, err=f"replaced <{SEED_ARTICLE}>",
      files={"rdf/seed.ttl": Copy("{ttl}")}),
    C("load-verbose-store-closed", "load {tmp}/rdf --store {closed}/store --timeout 5 -v", 1,
      err="cannot reach the store", files={"rdf/seed.ttl": Copy("{ttl}")}),
    C("load-verbose-and-quiet", "load {ttl} --store {store} -v -q", 2,
      err="argument -q/--quiet: not allowed with argument -v/--verbose"),

    # ---- wikikg serve (the working cases run until they answer, are checked over HTTP, then get Ctrl-C)
    C("serve-help", "serve --help", 0, out="--max-rows N"),
    C("serve", "serve {ttl} --host 127.0.0.1 --port {port} --timeout 30 --max-rows 1000", 0, served_rows(23),
      err="read-only SPARQL endpoint at http://127.0.0.1:", serve=True),
    C("serve-max-rows", "serve {ttl} --port {port} --max-rows 3", 0, served_rows(3, truncated=True), serve=True),
    C("serve-data-missing", "serve {tmp}/no.ttl --port {port}", 1, err="no.ttl: no such file"),
    C("serve-host-not-here", "serve {ttl} --host 192.0.2.1 --port {port} --public", 2,
      err="cannot listen on 192.0.2.1"),
    C("serve-host-beyond-loopback-needs-public", "serve {ttl} --host 0.0.0.0 --port {port}", 2, err="add --public"),
    C("serve-public", "serve {ttl} --host 0.0.0.0 --port {port} --public", 0, served_rows(23),
      err="warning: --public", serve=True),
    C("serve-cors", "serve {ttl} --port {port} --cors https://yasgui.org", 0, cors_for("https://yasgui.org"),
      serve=True),
    C("serve-allow-service", "serve {ttl} --port {port} --allow-service http://127.0.0.1:9/sparql", 0,
      served_rows(23), serve=True),
    C("serve-limits", "serve {ttl} --port {port} --max-memory 500 --max-patterns 50 --workers 1 --client-timeout 5",
      0, served_rows(23), serve=True),
    C("serve-cors-not-an-origin", "serve {ttl} --port {port} --cors yasgui.org/query", 2,
      err="must be an origin such as https://yasgui.org"),
    C("serve-allow-service-not-http", "serve {ttl} --port {port} --allow-service file:///etc/passwd", 2,
      err="must be an http:// or https:// URL"),
    C("serve-client-timeout-zero", "serve {ttl} --port {port} --client-timeout 0", 2,
      err="must be a number of seconds above 0"),
    C("serve-max-patterns-zero", "serve {ttl} --port {port} --max-patterns 0", 2, err="must be a whole number 1"),
    C("serve-workers-zero", "serve {ttl} --port {port} --workers 0", 2, err="must be a whole number 1 or more"),
    C("serve-max-memory-text", "serve {ttl} --port {port} --max-memory lots", 2, err="argument --max-memory"),
    C("serve-port-busy", "serve {ttl} --port {busy_port}", 2, err="cannot listen on 127.0.0.1:"),
    C("serve-port-out-of-range", "serve {ttl} --port 70000", 2, err="must be a port number from 1 to 65535, not 70000"),
    C("serve-timeout-zero", "serve {ttl} --port {port} --timeout 0", 2, err="must be a number of seconds above 0"),
    C("serve-max-rows-zero", "serve {ttl} --port {port} --max-rows 0", 2, err="must be a whole number 1 or more"),

    # ---- wikikg analyze
    C("analyze-help", "analyze --help", 0, out="--layers"),
    C("analyze", "analyze {ttl}", 0, out="== most central actors"),
    C("analyze-wikitext", "analyze {small} --format json", 0, analysis("summary", {"what": "nodes"})),
    C("analyze-data-missing", "analyze {tmp}/no.ttl", 1, err="no.ttl: no such file"),
    C("analyze-format-json", "analyze {ttl} --format json", 0, analysis("centrality", {"actor": "俄罗斯"})),
    C("analyze-format-table", "analyze {ttl} --format table", 0, out="== commanders by side =="),
    C("analyze-format-unknown", "analyze {ttl} --format csv", 2, err="invalid choice: 'csv'"),
    C("analyze-lang", "analyze {ttl} --lang en --format json", 0, analysis("centrality", {"actor": "Russia"})),
    C("analyze-lang-no-value", "analyze {ttl} --lang", 2, err="expected one argument"),
    C("analyze-layers", "analyze {ttl} --layers sides,citations --format json", 0, node_kinds("citation", "side"),
      out='"commanders_by_side": []'),  # no command layer: no commanders (was a networkx traceback)
    C("analyze-layers-unknown", "analyze {ttl} --layers sides,gossip", 2, err="unknown layer(s) gossip"),
    C("analyze-out", "analyze {ttl} --out {tmp}/net --no-picture", 0,
      folder_holds("net", "report.json", "graph.graphml", "graph.gexf", "graph.json", "graph.html")),
    C("analyze-out-under-a-file", "analyze {ttl} --out s.ttl/net --no-picture", 1, one_line, no_stdout,
      err="s.ttl/net: cannot write: s.ttl is a file, not a folder", files=S_TTL),
    C("analyze-no-picture-value", "analyze {ttl} --out {tmp}/net --no-picture=yes", 2, err="ignored explicit argument"),

    C("analyze-html", "analyze {ttl} --html {tmp}/n.html --lang zh-Hant --format json", 0,
      contains("n.html", '<html lang="zh-Hant">', "亞美尼亞", VIS_VERSION), err="n.html"),
    C("analyze-html-under-a-file", "analyze {ttl} --html s.ttl/n.html", 1, one_line, no_stdout,
      err="s.ttl/n.html: cannot write: s.ttl is a file, not a folder", files=S_TTL),

    # ---- wikikg timeline
    C("timeline-help", "timeline --help", 0, out="--precision LIST"),
    C("timeline-page", "timeline {ttl} -o {tmp}/t.html", 0, contains("t.html", "纳戈尔诺-卡拉巴赫战争", "舒沙战役"),
      err="57 events"),
    C("timeline-wikitext-png", "timeline {small} --output {tmp}/t.png --lang en", 0, exists("t.png"),
      err="events)"),
    C("timeline-filters", "timeline {ttl} -o {tmp}/t.html --lang zh-Hant --conflict 納戈爾諾 --precision day,month "
      "--search 1992 --title Karabakh --side 'side 1' --side 'side 2' --side both --side varies --side neither", 0,
      contains("t.html", "<title>Karabakh</title>", absent=('"precision":"year"',)), err="events)"),
    C("timeline-data-none", "timeline -o {tmp}/t.html", 2, err="the following arguments are required: GRAPH",
      covers=("GRAPH",)),
    C("timeline-data-missing", "timeline {tmp}/no.ttl -o {tmp}/t.html", 1, err="no.ttl: no such file"),
    C("timeline-output-none", "timeline {ttl}", 2, err="the following arguments are required: -o/--output",
      covers=("--output",)),
    C("timeline-output-kind", "timeline {ttl} --output {tmp}/t.svg", 2, err="must end in .html or .png"),
    C("timeline-output-under-a-file", "timeline {ttl} -o s.ttl/t.html", 1, one_line, no_stdout,
      err="s.ttl/t.html: cannot write: s.ttl is a file, not a folder", files=S_TTL),
    C("timeline-lang-no-value", "timeline {ttl} -o {tmp}/t.html --lang", 2, err="expected one argument"),
    C("timeline-conflict-none-match", "timeline {ttl} -o {tmp}/t.html --conflict Waterloo", 1,
      err="no dated events to draw"),
    C("timeline-side-unknown", "timeline {ttl} -o {tmp}/t.html --side 3", 2, err="invalid choice: '3'"),
    C("timeline-precision-unknown", "timeline {ttl} -o {tmp}/t.html --precision week", 2,
      err="unknown precision(s) week"),
    C("timeline-search-no-value", "timeline {ttl} -o {tmp}/t.html --search", 2, err="expected one argument"),
    C("timeline-title-no-value", "timeline {ttl} -o {tmp}/t.html --title", 2, err="expected one argument"),

    # ---- wikikg reconcile
    C("reconcile-help", "reconcile --help", 0, out="--threshold X"),
    C("reconcile-offline", REC + " --offline {index}", 0, links("l.ttl", exact=10),
      exists("l.reconciliation.csv", "l.reconciliation.md"), err="10 matched"),
    C("reconcile-in-place", "reconcile {tmp}/in.ttl --offline {index} -q", 0, links("in.ttl", exact=10),
      exists("in.reconciliation.csv"), files={"in.ttl": Copy("{ttl}")}),
    C("reconcile-several-in-place", "reconcile {ttl} {ttl} --offline {index}", 2, err="several inputs"),
    C("reconcile-data-missing", "reconcile {tmp}/no.ttl -o {tmp}/l.ttl --offline {index}", 1,
      err="no.ttl: no such file"),
    C("reconcile-data-none", "reconcile --offline {index}", 2, err="required: DATA", covers=("DATA",)),
    C("reconcile-output-under-a-file", "reconcile {ttl} -o s.ttl/l.ttl --offline {index}", 1, one_line,
      err="s.ttl/l.ttl: cannot write: s.ttl is a file", files=S_TTL),
    *[C(f"reconcile-format-{fmt}", REC + f" --offline {{index}} -q --format {fmt}", 0, links("l.ttl", fmt, exact=10))
      for fmt in sorted(RDF_FORMATS)],
    C("reconcile-format-unknown", REC + " --offline {index} --format bogus", 2, err="invalid choice: 'bogus'"),
    C("reconcile-quiet", REC + " --offline {index} -q", 0, no_stderr, links("l.ttl", exact=10)),
    C("reconcile-quiet-value", REC + " --offline {index} --quiet=yes", 2, err="ignored explicit argument"),
    C("reconcile-offline-missing-index", REC + " --offline {tmp}/no.db", 1, err="no.db: no such index"),
    C("reconcile-endpoint", REC + " --endpoint {wikidata}", 0, links("l.ttl", exact=10), err="10 matched"),
    C("reconcile-endpoint-closed", REC + " --endpoint {closed}/query --retries 1 --timeout 5", 1,
      unlinked("l.ttl"), err="not checked",  # written, unlinked; the run fails and says why
      writes=("l.ttl", "l.reconciliation.csv", "l.reconciliation.md")),
    C("reconcile-endpoint-and-service", REC + " --endpoint {wikidata} --service {service}", 2,
      err="argument --service: not allowed with argument --endpoint"),
    C("reconcile-service", REC + " --service {service}", 0, links("l.ttl", exact=10),
      err="reconciliation service http://127.0.0.1:"),
    C("reconcile-service-closed", REC + " --service {closed}/en/api --retries 1 --timeout 5", 1,
      unlinked("l.ttl"), err="not checked", writes=("l.ttl", "l.reconciliation.csv", "l.reconciliation.md")),
    C("reconcile-user-agent", REC + " --service {service} --user-agent tester@example.org --no-cache", 0,
      sent_user_agent("tester@example.org"), err_lacks("no contact for the User-Agent")),
    C("reconcile-user-agent-no-value", REC + " --endpoint {wikidata} --user-agent", 2, err="expected one argument"),
    C("reconcile-cache", REC + " --endpoint {wikidata} --cache {tmp}/c.sqlite", 0, cache_written("c.sqlite")),
    C("reconcile-cache-under-a-file", REC + " --endpoint {wikidata} --cache s.ttl/c.sqlite", 1,
      err="s.ttl/c.sqlite: cannot write: s.ttl is a file", files=S_TTL),
    C("reconcile-cache-not-a-database", REC + " --endpoint {wikidata} --cache {tmp}/c.sqlite", 1,
      err="cannot use as the cache: file is not a database", files={"c.sqlite": b"not sqlite" * 100}),
    C("reconcile-no-cache", REC + " --endpoint {wikidata} --no-cache", 0, links("l.ttl", exact=10), missing(WIKIDATA_CACHE)),
    C("reconcile-no-cache-value", REC + " --endpoint {wikidata} --no-cache=yes", 2, err="ignored explicit argument"),
    C("reconcile-refresh", REC + " --endpoint {wikidata} --refresh", 0, links("l.ttl", exact=10), exists(WIKIDATA_CACHE)),
    C("reconcile-refresh-value", REC + " --endpoint {wikidata} --refresh=yes", 2, err="ignored explicit argument"),
    C("reconcile-timeout", REC + " --endpoint {wikidata} --timeout 30", 0, links("l.ttl", exact=10)),
    C("reconcile-timeout-negative", REC + " --endpoint {wikidata} --timeout -1", 2,
      err="must be a number of seconds above 0"),
    C("reconcile-retries", REC + " --endpoint {wikidata} --retries 2", 0, links("l.ttl", exact=10)),
    C("reconcile-retries-zero", REC + " --endpoint {wikidata} --retries 0", 2, err="must be a whole number 1 or more"),
    C("reconcile-threshold", REC + " --offline {index} --threshold 0.95", 0, links("l.ttl")),
    C("reconcile-threshold-above-one", REC + " --offline {index} --threshold 2", 2, err="from 0 to 1, not 2"),
    C("reconcile-margin", REC + " --offline {index} --margin 0.05", 0, links("l.ttl", exact=10)),
    C("reconcile-margin-word", REC + " --offline {index} --margin wide", 2, err="from 0 to 1, not 'wide'"),
    C("reconcile-same-as-threshold", REC + " --offline {index} --same-as-threshold 0.8", 0,
      links("l.ttl", exact=10, same_as=True)),
    C("reconcile-same-as-threshold-nan", REC + " --offline {index} --same-as-threshold nan", 2,
      err="from 0 to 1, not 'nan'"),
    C("reconcile-no-same-as", REC + " --offline {index} --no-same-as", 0, links("l.ttl", exact=10, same_as=False)),
    C("reconcile-no-same-as-value", REC + " --offline {index} --no-same-as=no", 2, err="ignored explicit argument"),
    C("reconcile-report", REC + " --offline {index} --report {tmp}/review/links", 0,
      exists("review/links.csv", "review/links.md"), missing("l.reconciliation.csv")),
    C("reconcile-report-under-a-file", REC + " --offline {index} --report s.ttl/links", 1, one_line,
      err="s.ttl/links.csv: cannot write: s.ttl is a file", files=S_TTL),

    # ---- wikikg wikidata-index
    C("wikidata-index-help", "wikidata-index --help", 0, out="build"),
    C("wikidata-index-no-action", "wikidata-index", 2, err="say what to do"),
    C("wikidata-index-unknown-action", "wikidata-index frobnicate", 2, err="invalid choice: 'frobnicate'",
      covers=("ACTION",)),
    C("index-build-help", "wikidata-index build --help", 0, out="--linked-only"),
    C("index-build", "wikidata-index build {items} -o {tmp}/i.db", 0, index_holds("i.db", 17),
      out="19 labels, 2 sitelinks"),
    C("index-build-dump-missing", "wikidata-index build {tmp}/no.json -o {tmp}/i.db", 1,
      err="no.json: cannot read the Wikidata dump"),
    C("index-build-dump-none", "wikidata-index build -o {tmp}/i.db", 2, err="required: DUMP", covers=("DUMP",)),
    C("index-build-output-none", "wikidata-index build {items}", 2, err="required: -o/--output",
      covers=("--output",)),
    C("index-build-output-under-a-file", "wikidata-index build {items} -o s.ttl/i.db", 1, one_line,
      err="s.ttl/i.db: cannot write: s.ttl is a file", files=S_TTL),
    C("index-build-sites", "wikidata-index build {items} -o {tmp}/i.db --sites zhwiki", 0, out="1 sitelinks"),
    C("index-build-sites-no-value", "wikidata-index build {items} -o {tmp}/i.db --sites", 2,
      err="expected one argument"),
    C("index-build-linked-only", "wikidata-index build {items} -o {tmp}/i.db --sites zhwiki --linked-only", 0,
      out_has("16 left out by the filters"), out="1 entities"),
    C("index-build-linked-only-without-sites", "wikidata-index build {items} -o {tmp}/i.db --linked-only", 2,
      err="--linked-only needs --sites"),
    C("index-build-types", "wikidata-index build {items} -o {tmp}/i.db --types Q5", 0,
      out="1 entities, 1 labels"),
    C("index-build-types-no-value", "wikidata-index build {items} -o {tmp}/i.db --types", 2,
      err="expected one argument"),
    C("index-build-languages", "wikidata-index build {items} -o {tmp}/i.db --languages ru", 0, out="20 labels"),
    C("index-build-languages-no-value", "wikidata-index build {items} -o {tmp}/i.db --languages", 2,
      err="expected one argument"),
    C("index-build-quiet", "wikidata-index build {items} -o {tmp}/i.db -q", 0, no_stderr, out="17 entities"),
    C("index-build-quiet-value", "wikidata-index build {items} -o {tmp}/i.db --quiet=yes", 2,
      err="ignored explicit argument"),
    C("index-rdf-help", "wikidata-index rdf --help", 0, out="Turtle if the output ends in .ttl"),
    C("index-rdf", "wikidata-index rdf {items} -o {tmp}/w.nt", 0, rdf_file("w.nt", "nt"), out="17 entities"),
    C("index-rdf-turtle", "wikidata-index rdf {items} -o {tmp}/w.ttl -q", 0, rdf_file("w.ttl"), no_stderr),
    C("index-rdf-dump-missing", "wikidata-index rdf {tmp}/no.json -o {tmp}/w.nt", 1,
      err="no.json: cannot read the Wikidata dump"),
    C("index-rdf-output-under-a-file", "wikidata-index rdf {items} -o s.ttl/w.nt", 1, one_line,
      err="s.ttl/w.nt: cannot write: s.ttl is a file", files=S_TTL),
    C("index-rdf-quiet-value", "wikidata-index rdf {items} -o {tmp}/w.nt --quiet=yes", 2,
      err="ignored explicit argument"),
]


# ---------------------------------------------------------------- what the cases need

@pytest.fixture(scope="session")
def cli_material(tmp_path_factory) -> dict[str, str]:
    """The seed built once through the command line, a small article, a small Wikidata dump and its index."""
    folder = tmp_path_factory.mktemp("cli-table")
    ttl = folder / "seed.ttl"
    run = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(SEED), "-o", str(ttl), "-q"],
                         capture_output=True, timeout=HANG, env=child_env(folder))
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    small = folder / "small.wiki"
    small.write_text(SMALL, encoding="utf-8")
    items = folder / "items.json"
    items.write_text(small_dump(), encoding="utf-8")
    from graph.wikidata.index import build_index

    index = folder / "index.db"
    build_index(str(TEST_ITEMS), str(index), progress=False)
    return {"ttl": str(ttl), "small": str(small), "items": str(items), "index": str(index), "seed": str(SEED),
            "queries": str(QUERIES)}


def small_dump() -> str:
    """The test items of tests/data/wikidata with two sitelinks (one zhwiki) and one Russian label added."""
    entities = [json.loads(line.rstrip().rstrip(",")) for line in TEST_ITEMS.read_text(encoding="utf-8").splitlines()
                if line.strip() not in ("[", "]", "")]
    by_id = {e["id"]: e for e in entities}
    by_id["Q399"]["sitelinks"] = {"zhwiki": {"site": "zhwiki", "title": "亚美尼亚", "badges": []}}
    by_id["Q227"]["sitelinks"] = {"enwiki": {"site": "enwiki", "title": "Azerbaijan", "badges": []}}
    by_id["Q399"]["labels"]["ru"] = {"language": "ru", "value": "Армения"}
    return "[\n" + ",\n".join(json.dumps(e, ensure_ascii=False) for e in entities) + "\n]\n"


@pytest.fixture(scope="session")
def sparql_with_seed(tmp_path_factory, cli_material) -> Iterator[str]:
    """A real `oxigraph serve` holding the seed: its query URL."""
    with oxigraph_serve(tmp_path_factory.mktemp("sparql-db"), union_default_graph=True) as base:
        request = urllib.request.Request(f"{base}/store?default", data=Path(cli_material["ttl"]).read_bytes(),
                                         method="POST", headers={"Content-Type": "text/turtle"})
        urllib.request.urlopen(request, timeout=120).read()
        yield f"{base}/query"


@pytest.fixture(scope="session")
def empty_store(tmp_path_factory) -> Iterator[str]:
    """A real, empty `oxigraph serve` to load into: its Graph Store Protocol URL."""
    with oxigraph_serve(tmp_path_factory.mktemp("store-db")) as base:
        yield f"{base}/store"


@pytest.fixture(scope="session")
def wikidata_items_endpoint(tmp_path_factory) -> Iterator[str]:
    """A real `oxigraph serve` holding the Wikidata test items of tests/data/wikidata as Wikibase RDF: the
    ``wikidata_endpoint`` of tests/wikidata_endpoint.py without the half-million-triple sample (seconds, not
    tens), enough for the seed's states."""
    from graph.wikidata.wikibase_rdf import convert_dump

    folder = tmp_path_factory.mktemp("wikidata-items")
    nt = folder / "items.nt"
    convert_dump(str(TEST_ITEMS), str(nt))
    with oxigraph_serve(folder / "db") as base:
        _post_ntriples(base, nt)
        yield f"{base}/query"


SERVICE_AGENTS: list[str] = []  # the User-Agent of every request the reconciliation service saw


@pytest.fixture(scope="session")
def reconciliation_service(cli_material) -> Iterator[str]:
    """The W3C reconciliation service of tests/test_reconcile_w3c.py over the offline index, on 127.0.0.1."""
    from .test_reconcile_w3c import ServiceHandler, serving

    class Recording(ServiceHandler):
        def parse_request(self) -> bool:
            ok = super().parse_request()
            if ok:
                SERVICE_AGENTS.append(self.headers.get("User-Agent", ""))
            return ok

    with serving(cli_material["index"]) as server:
        server.RequestHandlerClass = Recording
        yield server.url


@pytest.fixture()
def busy_port() -> Iterator[int]:
    """A port of 127.0.0.1 something already listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


PLACES = {  # placeholder → how to get its value (``request`` gives the fixtures)
    "sparql": lambda request: request.getfixturevalue("sparql_with_seed"),
    "store": lambda request: request.getfixturevalue("empty_store"),
    "wikidata": lambda request: request.getfixturevalue("wikidata_items_endpoint"),
    "service": lambda request: request.getfixturevalue("reconciliation_service"),
    "busy_port": lambda request: str(request.getfixturevalue("busy_port")),
    "port": lambda request: str(free_port()),
    "closed": lambda request: f"http://127.0.0.1:{free_port()}",
}


def placeholders(case: Case) -> set[str]:
    texts = [case.argv, *(v for v in case.files.values() if isinstance(v, str))]
    return {name for text in texts for _, name, _, _ in string.Formatter().parse(text) if name}


def child_env(tmp: Path) -> dict[str, str]:
    """The environment of a run: this checkout's code, a cache of its own, and no way out to the internet."""
    env = {k: v for k, v in os.environ.items() if k != "WIKIKG_CONTACT" and not k.lower().endswith("_proxy")}
    blackhole = f"http://127.0.0.1:{free_port()}"
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
               XDG_CACHE_HOME=str(tmp / "cache"), PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1",
               http_proxy=blackhole, https_proxy=blackhole, HTTP_PROXY=blackhole, HTTPS_PROXY=blackhole,
               no_proxy="127.0.0.1,localhost", NO_PROXY="127.0.0.1,localhost")
    return env


def make_files(tmp: Path, files: dict, values: dict[str, str]) -> None:
    for name, content in files.items():
        path = tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if content is FOLDER:
            path.mkdir(exist_ok=True)
        elif isinstance(content, Link):
            path.symlink_to(content.format(**values))
        elif isinstance(content, Copy):
            shutil.copyfile(content.format(**values), path)
        else:
            path.write_bytes(content)


def listing(tmp: Path) -> set[str]:
    return {str(p.relative_to(tmp)) for p in tmp.rglob("*") if p.relative_to(tmp).parts[0] != "cache"}


# ---------------------------------------------------------------- the cases, run

@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_line(case: Case, cli_material, tmp_path, request):
    values = {**cli_material, "tmp": str(tmp_path)}
    for name in placeholders(case) - set(values):
        values[name] = PLACES[name](request)
    make_files(tmp_path, case.files, values)
    before = listing(tmp_path)
    SERVICE_AGENTS.clear()
    argv = [word.format(**values) for word in shlex.split(case.argv)]
    command = [sys.executable, "-m", "graph.cli", *argv]
    if case.serve:
        result = run_server(command, tmp_path, values, case)
    else:
        run = subprocess.run(command, input=case.stdin, capture_output=True, timeout=HANG, cwd=tmp_path,
                             env=child_env(tmp_path))
        result = Result(run.returncode, run.stdout.decode("utf-8"), run.stderr.decode("utf-8"), tmp_path, values)
    shown = f"$ wikikg {shlex.join(argv)}\n--- exit {result.status}\n--- stdout\n{result.out[-3000:]}\n" \
            f"--- stderr\n{result.err[-3000:]}"
    assert "Traceback" not in result.err, shown
    assert result.status == case.status, shown
    assert case.out in result.out, shown
    assert case.err in result.err, shown
    if result.status != 0:
        last = result.err.strip().splitlines()[-1] if result.err.strip() else ""
        assert last.startswith("wikikg"), shown  # one line that says what went wrong, from wikikg
        written = {w for w in listing(tmp_path) - before if not any(Path(w).is_relative_to(p) for p in case.writes)}
        assert not written, f"a failing run wrote {sorted(written)}\n{shown}"
    if not case.serve:
        for check in case.check:
            check(result)


def run_server(command: list[str], tmp: Path, values: dict[str, str], case: Case) -> Result:
    """Start ``wikikg serve``, wait until it answers, run the case's HTTP checks, then Ctrl-C it."""
    port = values["port"]
    url = f"http://127.0.0.1:{port}/sparql"
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp, env=child_env(tmp))
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=5).read()
                break
            except (urllib.error.URLError, ConnectionError):
                if process.poll() is not None:
                    out, err = process.communicate()
                    return Result(process.returncode, out.decode(), err.decode(), tmp, values, url)
                if time.monotonic() > deadline:
                    pytest.fail("wikikg serve did not answer within 60 s")
                time.sleep(0.2)
        for check in case.check:
            check(Result(0, "", "", tmp, values, url))
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)  # Ctrl-C must stop it, promptly, with exit 0
        return Result(process.returncode, out.decode(), err.decode(), tmp, values, url)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def count(base: str, query: str) -> int:
    url = f"{base}/query?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return int(json.loads(response.read())["results"]["bindings"][0]["n"]["value"])


# ---------------------------------------------------------------- Ctrl-C during a build

@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP], ids=["INT", "TERM", "HUP"])
def test_ctrl_c_during_a_build_exits_130_and_writes_nothing(tmp_path, signum):
    """Ctrl-C, and SIGTERM and SIGHUP handled alike (a closed terminal, `timeout`, a runner's cancel)."""
    dump = shared_path("fixtures", "enwiki_gensim_p10p30302_shortened_dump.xml.bz2")  # 205 pages: many seconds
    out = tmp_path / "dump.nq"
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(dump), "-o", str(out)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path, env=child_env(tmp_path))
    try:
        wait_until_reading(process, dump)
        process.send_signal(signum)
        _, err = process.communicate(timeout=HANG)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    if process.returncode == 0:
        pytest.skip("the build finished before Ctrl-C arrived")
    assert process.returncode == 130, err.decode()[-2000:]
    assert "interrupted" in err.decode() and "Traceback" not in err.decode()
    assert not out.exists()
    assert not list(tmp_path.glob(".dump.nq.*")), "a temporary file was left behind"


def wait_until_reading(process: subprocess.Popen, path: Path) -> None:
    """Until the process has the input open (so Python is past start-up, in the page loop), then a moment more."""
    fds = Path(f"/proc/{process.pid}/fd")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if any(os.path.realpath(fd) == str(path.resolve()) for fd in fds.iterdir()):
                break
        except OSError:  # no /proc (not Linux), or the process is gone: fall back to time
            time.sleep(3)
            break
        time.sleep(0.05)
    time.sleep(0.5)


# ---------------------------------------------------------------- the table covers the parser

def parser_actions() -> Iterator[tuple[tuple[str, ...], argparse.Action]]:
    """(command path, action) for every argument `--help` lists, in every (sub)command."""
    def walk(parser: argparse.ArgumentParser, path: tuple[str, ...]):
        for action in parser._actions:
            if action.help == argparse.SUPPRESS:
                continue
            yield path, action
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    yield from walk(sub, (*path, name))
    yield from walk(make_parser(), ())


def name_of(action: argparse.Action) -> str:
    if action.option_strings:
        return max(action.option_strings, key=len)
    return action.metavar or action.dest


Use = tuple[tuple[str, ...], str]  # (command path, argument name)


def used_by(case: Case) -> tuple[set[Use], set[tuple[Use, str]]]:
    """What a case's argv reaches, read as argparse would: the arguments it gives (options, positionals and
    the COMMAND/ACTION choosers, each with its command path) and the values of the arguments with choices."""
    parser, path = make_parser(), ()
    uses: set[Use] = set()
    values: set[tuple[Use, str]] = set()
    positionals = [a for a in parser._actions if not a.option_strings]
    words = shlex.split(case.argv)
    i = 0
    while i < len(words):
        word = words[i]
        option, _, inline = word.partition("=")
        action = parser._option_string_actions.get(option) if word.startswith("-") else None
        if action is not None:
            if action.nargs != 0 and not inline and i + 1 < len(words):
                i += 1
                inline = words[i]
        elif positionals:
            action = positionals[0]
            inline = word
            if isinstance(action, argparse._SubParsersAction) and word in action.choices:
                uses.add((path, name_of(action)))
                values.add(((path, name_of(action)), word))
                parser, path = action.choices[word], (*path, word)
                positionals = [a for a in parser._actions if not a.option_strings]
                i += 1
                continue
            if action.nargs in (None, "?"):  # one word each; nargs="*" and "+" take the rest
                positionals.pop(0)
        if action is not None:
            uses.add((path, name_of(action)))
            if action.choices:
                values.add(((path, name_of(action)), inline))
        i += 1
    uses.update((path, name) for name in case.covers)
    return uses, values


def test_every_option_has_a_working_and_a_failing_case():
    working, failing, chosen = set(), set(), set()
    for case in CASES:
        uses, values = used_by(case)
        (working if case.status == 0 else failing).update(uses)
        if case.status == 0:
            chosen.update(values)
    missing = []
    for path, action in parser_actions():
        use = (path, name_of(action))
        where = " ".join(("wikikg", *path, name_of(action)))
        if use not in working:
            missing.append(f"{where}: no working case")
        if not isinstance(action, argparse._HelpAction | argparse._VersionAction) and use not in failing:
            missing.append(f"{where}: no failing case")
        missing += [f"{where} {choice}: no working case" for choice in action.choices or () if (use, choice) not in chosen]
    assert not missing, "rows missing from CASES:\n" + "\n".join(missing)


def test_the_walk_sees_what_help_shows():
    """Every option string the walk finds is in its command's --help, so the table checks what users see."""
    parsers = {(): make_parser()}
    for path, action in parser_actions():
        if isinstance(action, argparse._SubParsersAction):
            parsers.update({(*path, name): sub for name, sub in action.choices.items()})
    for path, action in parser_actions():
        text = parsers[path].format_help()
        for option in action.option_strings or [name_of(action)]:
            assert option in text, f"wikikg {' '.join(path)}: {option} not in --help"


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids))
