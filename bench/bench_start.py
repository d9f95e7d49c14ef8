"""Benchmark: a one-article run as a user starts it — the whole `wikikg build` process — against a bare
mwparserfromhell process that parses the same text, in the same run.

    .venv/bin/python bench/bench_start.py [ARTICLE.wiki] [--repeat N]

Both are started as fresh processes, alternately (a noisy machine slows both alike), and timed in CPU seconds
of the process and its children (the child a page is read in). Also printed: where a build's start goes —
imports, the data files and converters (the warm-up), the page itself — measured in one process. The figure
that matters is the ratio (build / bare process), which does not depend on the machine. Target: ≤ 3×.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki"

PHASES = """
import sys, time
t0 = time.process_time()
import graph.cli
import graph.cli.main
t1 = time.process_time()
from graph.run.page_worker import warm_up
warm_up()
t2 = time.process_time()
from graph.pipeline import build
from graph.wikitext.read import read_source
build(read_source(sys.argv[1]))
t3 = time.process_time()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {t3 - t2:.3f}")
"""


def environment() -> dict[str, str]:
    """This checkout's graph/, with bytecode written and read as an installed package has it (a sandbox that sets
    PYTHONDONTWRITEBYTECODE would otherwise compile every module from source at every start: 0.2 s)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT)}


def cpu_of(command: list[str]) -> float:
    """CPU seconds (user + system) of a fresh process and the children it waited for."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment())
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("article", nargs="?", default=str(SEED))
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args(argv)
    out = Path(tempfile.mkdtemp()) / "out.ttl"
    build = [sys.executable, "-m", "graph.cli", "build", args.article, "-o", str(out)]
    bare = [sys.executable, "-c", "import sys, mwparserfromhell; mwparserfromhell.parse(open(sys.argv[1], "
            "encoding='utf-8').read())", args.article]
    # the floor of any build with these libraries: the bare parse, plus pyoxigraph's import (RDF terms, the
    # output); and what a Chinese page's labels cost with OpenCC's own two converters (traditional→simplified and
    # back), which a build no longer makes (graph.wikitext.script_conversion gives their output from kept tables)
    libraries = [sys.executable, "-c", "import sys, mwparserfromhell, pyoxigraph; "
                 "mwparserfromhell.parse(open(sys.argv[1], encoding='utf-8').read())", args.article]
    opencc = [sys.executable, "-c", "import sys, mwparserfromhell, pyoxigraph, opencc; opencc.OpenCC('t2s'); "
              "opencc.OpenCC('s2t'); mwparserfromhell.parse(open(sys.argv[1], encoding='utf-8').read())",
              args.article]
    commands = {"build": build, "bare": bare, "libraries": libraries, "opencc": opencc}
    for command in commands.values():  # warm-up: .pyc files, the caches of graph.data, the OS's file cache
        cpu_of(command)
    runs: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.repeat):
        for name, command in commands.items():
            runs[name].append(cpu_of(command))
    b, p, floor, with_opencc = (statistics.median(runs[name]) for name in ("build", "bare", "libraries", "opencc"))
    print(f"{Path(args.article).name}: CPU seconds of the whole process, median of {args.repeat}")
    print(f"wikikg build              {b:6.3f} s")
    print(f"bare parse process        {p:6.3f} s")
    print(f"ratio                     {b / p:6.2f}x  (target <= 3x)")
    print(f"the libraries alone       {floor:6.3f} s  ({floor / p:.2f}x: the bare parse and pyoxigraph's import)")
    print(f"  + OpenCC's converters   {with_opencc:6.3f} s  ({with_opencc / p:.2f}x: what OpenCC's own t2s and s2t "
          "would add; a build uses its kept tables instead)")
    phases = subprocess.run([sys.executable, "-c", PHASES, args.article], capture_output=True, text=True,
                            check=True, env=environment()).stdout.split()
    print("in one process: imports {} s, data files and converters {} s, the page {} s".format(*phases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
