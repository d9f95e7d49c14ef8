"""Benchmark: the named queries on the embedded engine (pyoxigraph) against rdflib's own SPARQL.

    .venv/bin/python bench/bench_query.py [--copies 100] [--queries commanders,supporters,casualties]

Both engines answer the same queries on the same data in this run: the seed, and a graph of
COPIES × the seed made by merging copies with distinct IRIs. Prints times and the ratio.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pyoxigraph as ox
import rdflib
from timing import timed  # bench/ is on sys.path when a benchmark runs as a script

from graph.pipeline import build
from graph.wikitext.read import read_source

ROOT = Path(__file__).resolve().parent.parent
RESOURCE = "https://w3id.org/wikikg/"


def seed_ntriples() -> str:
    result = build(read_source(str(ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki")))
    return ox.serialize(result.sink.sorted(), format=ox.RdfFormat.N_TRIPLES).decode("utf-8")


def copies(ntriples: str, n: int) -> str:
    """n copies whose entity, statement and citation IRIs differ (the ontology's do not)."""
    parts = [ntriples]
    for i in range(1, n):
        text = ntriples
        for kind in ("resource/", "statement/", "citation/"):
            text = text.replace(RESOURCE + kind, f"{RESOURCE}{kind}copy{i}/")
        parts.append(text)
    return "".join(parts)


def compare(label: str, data: str, queries: dict[str, str], repeat: int) -> None:
    store = ox.Store()
    store.load(data.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    graph = rdflib.Graph()
    graph.parse(data=data, format="nt")
    print(f"\n{label}: {len(store):,} triples")
    ox_total = rdf_total = 0.0
    for name, text in queries.items():
        ox_rows = len(list(store.query(text)))
        rdf_rows = len(list(graph.query(text)))
        t_ox = timed(lambda t=text: list(store.query(t)), repeat)
        t_rdf = timed(lambda t=text: list(graph.query(t)), repeat)
        ox_total, rdf_total = ox_total + t_ox, rdf_total + t_rdf
        same = "" if ox_rows == rdf_rows else f"  (rows differ: {ox_rows} vs {rdf_rows})"
        print(f"  {name:14s} oxigraph {t_ox * 1000:9.1f} ms   rdflib {t_rdf * 1000:9.1f} ms   "
              f"ratio {t_rdf / t_ox:6.1f}x   {ox_rows} rows{same}")
    print(f"  {'all':14s} oxigraph {ox_total * 1000:9.1f} ms   rdflib {rdf_total * 1000:9.1f} ms   "
          f"ratio {rdf_total / ox_total:6.1f}x")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--copies", type=int, default=100)
    ap.add_argument("--queries", default="commanders,supporters,belligerents,casualties,strengths")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    queries = {n: (ROOT / "queries" / f"{n}.rq").read_text(encoding="utf-8") for n in args.queries.split(",")}
    nt = seed_ntriples()
    compare("seed", nt, queries, args.repeat)
    compare(f"{args.copies} x seed", copies(nt, args.copies), queries, max(1, args.repeat // 5))
    return 0


if __name__ == "__main__":
    sys.exit(main())
