"""Long fuzzing run: the mutations of tests/fuzzing.py on the seed and the shared fixtures, with random.Random.

    .venv/bin/python bench/fuzz.py --cases 100000 [--seed N] [--jobs 2]

Case ``i`` of seed ``N`` is drawn from ``random.Random(f"{N}:{i}")``, so it is the same whatever the
number of jobs, and ``--only i`` runs it again alone. Every case is checked like tests/test_fuzz.py
does (no exception but InputError for empty/binary text, Turtle parses, no hang), SHACL on the union of
every 500 cases, and, unlike the test suite (which must pass on a busy machine), held to a speed bound:
``SLOW_SECONDS`` plus ``SECONDS_PER_MB`` for its size (``--no-speed-bound`` turns it off). Progress every
1,000 cases; each failure is printed and saved to bench/fuzz-failures/ (the input as ``.wiki``, what went
wrong as ``.txt``). Exit status 1 if any failed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402
from tests.conftest import ONTOLOGY, SEED, SHARED  # noqa: E402

FAILURES = ROOT / "bench" / "fuzz-failures"
CHUNK = 500  # cases per task; SHACL runs once per chunk
SLOW_SECONDS = 5.0  # a case slower than this (plus SECONDS_PER_MB for its size) fails: run on a quiet machine
SECONDS_PER_MB = 6.0

_articles: list[fuzzing.Article] = []
_batcher: fuzzing.ShaclBatcher | None = None
_speed_bound = True


def time_bound(text: str) -> float:
    """A bound, not a speed figure: linear in the input (a quadratic path blows through it)."""
    return SLOW_SECONDS + SECONDS_PER_MB * len(text.encode("utf-8")) / 1_000_000


def init_worker(speed_bound: bool = True) -> None:
    global _articles, _batcher, _speed_bound
    _speed_bound = speed_bound
    _articles = fuzzing.load_articles(SEED, SHARED / "fixtures")
    _batcher = fuzzing.ShaclBatcher(ONTOLOGY / "shapes.ttl", size=CHUNK + 1)  # flushed by hand, once a chunk


def save(seed: int, case: fuzzing.Case, report: str) -> Path:
    FAILURES.mkdir(parents=True, exist_ok=True)
    stem = FAILURES / f"seed{seed}-{case.case_id.replace(' ', '')}"
    stem.with_suffix(".wiki").write_bytes(case.text.encode("utf-8"))
    stem.with_suffix(".txt").write_text(f"{report}\n\nrerun: .venv/bin/python bench/fuzz.py --seed {seed} "
                                        f"--only {case.case_id.split()[-1]}\n", encoding="utf-8")
    return stem.with_suffix(".wiki")


def run_chunk(task: tuple[int, list[int]]) -> tuple[int, float, list[str]]:
    """Build the cases of one chunk; returns (cases run, build seconds, failure reports)."""
    seed, indices = task
    assert _batcher is not None
    failures, seconds, cases = [], 0.0, {}
    for i in indices:
        case = fuzzing.random_case(seed, i, _articles)
        outcome = fuzzing.check_case(case, title=f"fuzz case {i}", speed_limit=time_bound if _speed_bound else None)
        seconds += outcome.seconds
        cases[case.describe()] = case
        if outcome.failure:
            issue = fuzzing.known_issue(outcome)
            report = outcome.report() + (f"\n  (known issue: {issue})" if issue else "")
            failures.append(f"{report}\n  saved: {save(seed, case, report)}")
        _batcher.add(case.describe(), outcome.triples)
    for report in _batcher.flush():
        culprits = [case for description, case in cases.items() if description in report]
        saved = ", ".join(str(save(seed, case, report)) for case in culprits)
        failures.append(f"{report}\n  saved: {saved}")
    return len(indices), seconds, failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cases", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1)
    ap.add_argument("--only", type=int, action="append", help="run case I of the seed alone (repeatable)")
    ap.add_argument("--no-speed-bound", dest="speed_bound", action="store_false",
                    help="fail only on hangs, not on cases slower than the speed bound (a busy machine)")
    args = ap.parse_args(argv)
    indices = args.only or list(range(args.cases))
    tasks = [(args.seed, indices[k:k + CHUNK]) for k in range(0, len(indices), CHUNK)]
    started, done, next_report, failed = time.perf_counter(), 0, 1000, 0
    print(f"fuzz: {len(indices):,} cases, seed {args.seed}, {args.jobs} job(s)", flush=True)
    if args.jobs > 1:
        pool = multiprocessing.Pool(args.jobs, initializer=init_worker, initargs=(args.speed_bound,))
        results = pool.imap_unordered(run_chunk, tasks)
    else:
        pool = None
        init_worker(args.speed_bound)
        results = map(run_chunk, tasks)
    try:
        for count, _, failures in results:
            done += count
            failed += len(failures)
            for report in failures:
                print(f"FAIL {report}\n", flush=True)
            if done >= next_report or done == len(indices):
                elapsed = time.perf_counter() - started
                print(f"{done:,}/{len(indices):,} cases, {failed} failed, {elapsed:.0f} s, "
                      f"{done / elapsed:.1f} cases/s", flush=True)
                next_report = (done // 1000 + 1) * 1000
    finally:
        if pool is not None:
            pool.terminate()
    elapsed = time.perf_counter() - started
    print(f"fuzz: {done:,} cases in {elapsed:.0f} s ({done / elapsed:.1f} cases/s), {failed} failure(s)"
          + (f"; inputs saved in {FAILURES}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
