"""Benchmark: the offline Wikidata index build rate, and reconciliation time per entity.

    .venv/bin/python bench/bench_reconcile.py [--dump ../shared/wikidata/wikidata-sample-all.json.gz] [--repeat 3]

1. Index build on a Wikidata JSON dump, against a baseline measured in the same run: reading and
   json-decoding every line of the same dump (the least any index builder must do). Prints entities/s and
   the ratio. The conversion to Wikibase RDF (`wikikg wikidata-index rdf`) is timed the same way.
2. Reconciling the seed article's entities: offline index; a real `oxigraph serve` on 127.0.0.1 holding the
   dump as Wikidata-shaped RDF, uncached (every answer over HTTP) and cached (every answer from the SQLite
   cache of a first run). Prints ms per entity and the uncached/cached ratio.
"""

from __future__ import annotations

import argparse
import json
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pyoxigraph as ox
from timing import timed  # bench/ is on sys.path when a benchmark runs as a script

from graph.pipeline import build
from graph.wikidata.index import build_index
from graph.wikidata.json_dump import iter_entities
from graph.wikidata.reconcile.cache import CachedBackend
from graph.wikidata.reconcile.link import link_store
from graph.wikidata.reconcile.offline import IndexBackend
from graph.wikidata.reconcile.sparql import SparqlBackend, sparqlwrapper_transport
from graph.wikidata.wikibase_rdf import convert_dump
from graph.wikitext.read import read_source

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki"
DEFAULT_DUMP = ROOT.parent / "shared" / "wikidata" / "wikidata-sample-all.json.gz"
TEST_ITEMS = ROOT / "tests" / "data" / "wikidata" / "seed_test_items.json"


def decode_only(dump: str) -> int:
    return sum(1 for _ in iter_entities(dump))


def bench_index(dump: str, folder: Path, repeat: int) -> Path:
    entities = decode_only(dump)
    baseline = timed(lambda: decode_only(dump), repeat)
    db = folder / "index.db"
    index_time = timed(lambda: build_index(dump, str(db)), repeat)
    rdf_time = timed(lambda: convert_dump(dump, str(folder / "sample.nt")), repeat)
    print(f"\nindex build on {Path(dump).name}: {entities:,} entities")
    print(f"  baseline (read + json-decode): {baseline:.2f} s  {entities / baseline:,.0f} entities/s")
    print(f"  wikidata-index build:          {index_time:.2f} s  {entities / index_time:,.0f} entities/s  "
          f"({index_time / baseline:.1f}x the baseline)")
    print(f"  wikidata-index rdf:            {rdf_time:.2f} s  {entities / rdf_time:,.0f} entities/s  "
          f"({rdf_time / baseline:.1f}x the baseline)")
    return db


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_oxigraph(folder: Path, files: list[Path]) -> tuple[subprocess.Popen, str]:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    port = free_port()
    process = subprocess.Popen([binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(f"{base}/query?query=ASK%7B%7D", timeout=2).read()
            break
        except OSError:
            time.sleep(0.2)
    for path in files:
        request = urllib.request.Request(f"{base}/store?default", data=path.read_bytes(), method="POST",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=300).read()
    return process, f"{base}/query"


def seed_store() -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph())
                 for t in build(read_source(str(SEED))).sink.sorted())
    return store


def bench_reconcile(dump: str, folder: Path, repeat: int) -> None:
    # the seed's states are not in the sample: add the marked test items, as the tests do
    combined = folder / "combined.json"
    lines = [json.dumps(e, ensure_ascii=False) for e in iter_entities(dump)]
    lines += [json.dumps(e, ensure_ascii=False) for e in iter_entities(str(TEST_ITEMS))]
    combined.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    db = folder / "combined.db"
    build_index(str(combined), str(db))
    convert_dump(str(combined), str(folder / "combined.nt"))
    store = seed_store()
    process, endpoint = start_oxigraph(folder, [folder / "combined.nt"])
    try:
        offline = IndexBackend(str(db))
        outcome, _ = link_store(store, offline, None)
        n = len(outcome.decisions)
        offline_time = timed(lambda: link_store(store, offline, None), repeat)
        calls = []

        def counting(url: str, query: str) -> dict:
            calls.append(query)
            return sparqlwrapper_transport(url, query)

        remote = SparqlBackend(endpoint, transport=counting, name=f"SPARQL {endpoint}")
        uncached = timed(lambda: link_store(store, remote, None), repeat)
        requests = len(calls) // repeat
        cached_backend = CachedBackend(SparqlBackend(endpoint, name="bench"), folder / "cache.sqlite")
        link_store(store, cached_backend, None)  # fills the cache
        cached = timed(lambda: link_store(store, cached_backend, None), repeat)
        print(f"\nreconciling the seed: {n} entities, {outcome.matched} matched")
        print(f"  offline index:              {offline_time * 1000 / n:6.2f} ms/entity")
        print(f"  local SPARQL, uncached:     {uncached * 1000 / n:6.2f} ms/entity  ({requests} requests a run)")
        print(f"  local SPARQL, SQLite cache: {cached * 1000 / n:6.2f} ms/entity  "
              f"(uncached / cached: {uncached / cached:.1f}x)")
    finally:
        process.terminate()
        process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dump", default=str(DEFAULT_DUMP))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_index(args.dump, Path(tmp), args.repeat)
        bench_reconcile(args.dump, Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
