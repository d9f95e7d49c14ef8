"""Benchmark: pages/s per core of the build of a dump's pages against a bare mwparserfromhell parse of the same pages.

    .venv/bin/python bench/bench_walks.py [DUMP] [--repeat N]

Each page is built as a page worker builds it (graph.run.page_worker: ``build``, then its triples written as
sorted N-Triples), in this process, on one core; the bare parse is ``mwparserfromhell.parse`` of the same
texts. Both are timed in CPU seconds, alternately, after one warm-up; the figure that matters is the ratio
(build / bare parse), which does not depend on the machine. Target: ≤ 2×. Also timed: the one walk of the parse
tree (graph.wikitext.walk) on the parsed pages, against the four ``filter_*(recursive=True)`` it replaces.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import mwparserfromhell
from mwparserfromhell.wikicode import Wikicode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # this checkout's graph/, whatever the venv's editable install points at

from graph.pipeline import build  # noqa: E402
from graph.run.limits import MAX_PAGE_SIZE  # noqa: E402
from graph.run.page import within_size  # noqa: E402
from graph.wikitext.dump import read_dump  # noqa: E402
from graph.wikitext.read import Source, source_from_text  # noqa: E402
from graph.wikitext.walk import index_nodes  # noqa: E402

DUMP = ROOT.parent / "shared" / "fixtures" / "enwiki_gensim_p10p30302_shortened_dump.xml.bz2"


def read_jobs(path: str) -> list[tuple[Source, str | None, bool]]:
    """The pages a build reads (non-empty), cut to the size limit as the runner cuts them: (source, lang, body)."""
    info, pages = read_dump(path)
    jobs = []
    for page in pages:
        if page.text.strip():
            source, too_large = within_size(source_from_text(page.offset_hint, page.text, title=page.title),
                                            MAX_PAGE_SIZE)
            jobs.append((source, info.lang, not too_large))
    return jobs


def cpu_seconds(fn: Callable[[], object]) -> float:
    started = time.process_time()
    fn()
    return time.process_time() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dump", nargs="?", default=str(DUMP))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    jobs = read_jobs(args.dump)

    def bare_parse() -> float:
        def run() -> None:
            for source, _, _ in jobs:  # one tree at a time, as the build holds them
                mwparserfromhell.parse(source.text)
        return cpu_seconds(run)

    def whole_build() -> float:
        def run() -> None:
            for source, lang, body in jobs:
                result = build(source, lang=lang, title=source.title, body=body)
                result.sink.ntriples()  # as the page worker writes them
        return cpu_seconds(run)

    def walks(walk: Callable[[Wikicode], object]) -> float:
        """The walk alone, page by page (the trees of all pages kept at once would slow everything with GC)."""
        total = 0.0
        for source, _, _ in jobs:
            tree = mwparserfromhell.parse(source.text)
            total += cpu_seconds(partial(walk, tree))
        return total

    def one_walk() -> float:
        return walks(index_nodes)

    def four_filters() -> float:
        return walks(lambda tree: [f(recursive=True) for f in (tree.filter_templates, tree.filter_tags,
                                                               tree.filter_wikilinks, tree.filter_external_links)])

    measures = (bare_parse, whole_build, one_walk, four_filters)
    runs: dict[str, list[float]] = {fn.__name__: [] for fn in measures}
    whole_build()  # warm-up: imports, data files, converter tables
    for _ in range(args.repeat):  # alternately: a noisy machine slows both alike
        for fn in measures:
            runs[fn.__name__].append(fn())
    t = {name: statistics.median(times) for name, times in runs.items()}
    n = len(jobs)
    print(f"{Path(args.dump).name}: {n} pages, {sum(len(s.text) for s, _, _ in jobs):,} characters; "
          f"CPU seconds, median of {args.repeat} runs (min in brackets)")
    for name, label in (("bare_parse", "bare mwparserfromhell parse"), ("whole_build", "build + N-Triples")):
        print(f"{label:30} {t[name]:7.2f} s [{min(runs[name]):6.2f}]  {n / t[name]:7.1f} pages/s per core")
    print(f"ratio build / bare parse       {t['whole_build'] / t['bare_parse']:7.2f}x  (target <= 2x)")
    print(f"one walk of every tree         {t['one_walk']:7.2f} s   "
          f"(four filter_*(recursive=True): {t['four_filters']:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
