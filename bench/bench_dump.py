"""Benchmark: whole dumps — pages/s per core against a bare parse, every core, a Dask LocalCluster, peak memory.

    .venv/bin/python bench/bench_dump.py [--copies 10] [--skip-x10] [--keep FOLDER]

Builds multistream test dumps from the fixture dumps with bench/make_multistream.py (×1, and ×COPIES with
the titles renamed), then, in this one run, on each:

- a bare pass: ``mwparserfromhell.parse`` of every page's text in this process (the baseline: what any
  extractor pays at least);
- ``wikikg build DUMP -o out/ --all-pages`` with ``--jobs 1``, ``--jobs 2`` and ``--cluster local:2``,
  each timed, with the peak resident memory of its whole process tree (sampled every 0.1 s from /proc);
- the default build (``--jobs`` = every core; pages without a mapped infobox skipped by the scan).

Prints pages/s, the ratio of ``--jobs 1`` to the bare pass (per core), the speed-up of 2 jobs over 1, and
peak memory at ×1 and ×COPIES (flat: the output is written page by page). Numbers are ratios measured in
the same run on the same machine; the machine is shared, so run it twice and read both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = os.sysconf("SC_PAGE_SIZE")


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))  # field 4: the parent
            rss[int(entry)] = int(fields[21]) * PAGE  # field 24: resident pages
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo += children.get(current, [])
    return total / 2**20


def timed_run(command: list[str]) -> tuple[float, float]:
    """Seconds and peak resident memory (MiB) of the command's process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = [0.0]

    def sample() -> None:
        while process.poll() is None:
            peak[0] = max(peak[0], tree_rss_mb(process.pid))
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{err.decode()[-2000:]}")
    return time.perf_counter() - started, peak[0]


def bare_parse(dump: Path) -> tuple[int, float]:
    import mwparserfromhell

    sys.path.insert(0, str(ROOT))
    from graph.wikitext.dump import read_dump

    _, pages = read_dump(str(dump))
    texts = [p.text for p in pages if p.text.strip()]
    started = time.perf_counter()
    for text in texts:
        mwparserfromhell.parse(text)
    return len(texts), time.perf_counter() - started


def make_dump(folder: Path, copies: int) -> Path:
    out = folder / f"bench-x{copies}-pages-articles-multistream.xml.bz2"
    subprocess.run([sys.executable, str(ROOT / "bench" / "make_multistream.py"), str(out), "--copies", str(copies)],
                   check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return out


def build(dump: Path, out: Path, *options: str) -> tuple[float, float]:
    shutil.rmtree(out, ignore_errors=True)
    return timed_run([sys.executable, "-m", "graph.cli", "build", str(dump), "-o", f"{out}/", "-q", *options])


def measure(dump: Path, folder: Path, label: str) -> dict[str, tuple[float, float]]:
    pages, bare = bare_parse(dump)
    print(f"\n{label}: {pages:,} pages with text; bare mwparserfromhell pass {bare:.2f} s ({pages / bare:.1f} pages/s)")
    runs = {"--jobs 1": build(dump, folder / "j1", "--all-pages", "--jobs", "1"),
            "--jobs 2": build(dump, folder / "j2", "--all-pages", "--jobs", "2"),
            "--cluster local:2": build(dump, folder / "dask", "--all-pages", "--cluster", "local:2"),
            "default (infobox pages)": build(dump, folder / "default")}
    for name, (seconds, peak) in runs.items():
        print(f"  {name:>24}: {seconds:7.2f} s  {pages / seconds:7.1f} pages/s  peak RSS {peak:7.0f} MiB")
    one, two = runs["--jobs 1"][0], runs["--jobs 2"][0]
    print(f"  --jobs 1 / bare parse: {one / bare:.2f}x (per core; the bare pass does no extraction, no output)")
    print(f"  speed-up of --jobs 2 over --jobs 1: {one / two:.2f}x; LocalCluster(2) over --jobs 1: "
          f"{one / runs['--cluster local:2'][0]:.2f}x")
    return runs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=10)
    parser.add_argument("--skip-x10", action="store_true", help="measure the ×1 dump only")
    parser.add_argument("--keep", type=Path, help="keep the dumps and outputs in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="wikikg-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        one = measure(make_dump(folder, 1), folder, "x1")
        if not args.skip_x10:
            many = measure(make_dump(folder, args.copies), folder, f"x{args.copies}")
            print(f"\npeak RSS x{args.copies} / x1, --jobs 1: {many['--jobs 1'][1] / one['--jobs 1'][1]:.2f} "
                  f"(flat is 1.0; the pages are {args.copies}x)")
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
