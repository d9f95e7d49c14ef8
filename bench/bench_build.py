"""Benchmark: `wikikg build` of an article against a bare mwparserfromhell parse of the same text.

    .venv/bin/python bench/bench_build.py [ARTICLE.wiki] [--repeat N]

Both are timed in this process, in the same run, after one warm-up; the figure that matters is
the ratio (build / bare parse), which does not depend on the machine. Target: ≤ 3×.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import mwparserfromhell

from graph.pipeline import build
from graph.rdf.serialize import to_bytes
from graph.wikitext.read import read_source

ROOT = Path(__file__).resolve().parent.parent


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up: imports, data files, converter tables
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", nargs="?", default=str(ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki"))
    ap.add_argument("--repeat", type=int, default=20)
    args = ap.parse_args(argv)
    source = read_source(args.article)

    def bare_parse() -> None:
        mwparserfromhell.parse(source.text)

    def whole_build() -> None:
        to_bytes(build(source).sink.sorted())

    def infobox_build() -> None:
        to_bytes(build(source, body=False).sink.sorted())

    p = statistics.median(timed(bare_parse, args.repeat))
    i = statistics.median(timed(infobox_build, args.repeat))
    b = statistics.median(timed(whole_build, args.repeat))
    print(f"article: {Path(args.article).name} ({len(source.text):,} characters), median of {args.repeat} runs")
    print(f"bare mwparserfromhell parse           {p * 1000:8.1f} ms")
    print(f"build --infobox-only + Turtle         {i * 1000:8.1f} ms   ratio {i / p:5.2f}x  (target <= 3x)")
    print(f"full build (body, tables) + Turtle    {b * 1000:8.1f} ms   ratio {b / p:5.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
