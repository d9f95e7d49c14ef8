"""Three runners for one per-page function: in this process, a local process pool, or a Dask cluster.

Each takes the units of a run and gives back ``(unit, results)`` in unit order, holding at most a few units per
worker in flight, so that memory stays flat however long the input. A Dask cluster is the real thing
(``distributed``: a scheduler and workers on laptops, HPC through dask-jobqueue, or Kubernetes); ``local:N``
starts a ``LocalCluster`` of N worker processes here.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from graph.errors import InputError, UsageError
from graph.run.page import BuildOptions, PageResult, build_page
from graph.run.units import StreamRef, Unit
from graph.wikitext.diagnostics import Diagnostic

if TYPE_CHECKING:
    from graph.wikitext.dump import Revision

Results = Iterator[tuple[Unit, list[PageResult]]]


def build_unit(unit: Unit, options: BuildOptions) -> list[PageResult]:
    """Every page of one unit; a file that cannot be read is a diagnostic, never the end of the run."""
    import sys

    from graph.wikitext.read import read_source

    # a daemon process is one multiprocessing started (so it is imported): a run of ours needs no import to know
    multiprocessing = sys.modules.get("multiprocessing")
    if multiprocessing is not None and multiprocessing.current_process().daemon:
        raise UsageError("a Dask worker that may not start processes: start the workers with "
                         "DASK_DISTRIBUTED__WORKER__DAEMON=False (each page is read in a child process, so that "
                         "its time limit can stop it)")

    results = []
    if unit.error is not None:
        name, message = unit.error
        results.append(PageResult(name, diagnostics=[Diagnostic(name, 1, 1, "error", "damaged-input", message)]))
    for name in unit.files:
        try:
            source = read_source(name)
        except InputError as e:
            results.append(PageResult(name, diagnostics=[Diagnostic(name, 1, 1, "error", "unreadable", str(e))]))
            continue
        results.append(build_page(source, None, options))
    for page in unit.pages:
        results.append(build_dump_page(page.name, page.title, page.text, page.lang, options, page.revision))
    if unit.stream is not None:
        results += build_stream(unit.stream, options)
    return results


def build_dump_page(name: str, title: str, text: str, lang: str | None, options: BuildOptions,
                    revision: Revision | None = None) -> PageResult:
    """A page of a dump: parsed only if the scan finds a mapped infobox in it, unless every page is asked for."""
    from graph.wikitext.prescan import calls_mapped_infobox
    from graph.wikitext.read import source_from_text

    if not options.all_pages and not calls_mapped_infobox(text):
        return PageResult(name, skipped=True)
    return build_page(source_from_text(name, text, title=title, revision=revision), lang, options)


def build_stream(ref: StreamRef, options: BuildOptions) -> list[PageResult]:
    """The pages of one multistream stream; a damaged stream is an error naming its offset, after its pages
    before the damage."""
    from graph.wikitext.multistream import read_stream

    results = []
    try:
        for page in read_stream(ref.dump, ref.stream, ref.info, pages_before=ref.pages_before):
            if page.text.strip():
                name = ref.name + page.offset_hint.removeprefix(ref.dump)  # named after the file as given
                results.append(build_dump_page(name, page.title, page.text, ref.info.lang, options, page.revision))
    except InputError as e:
        where = f"{ref.name}@{ref.stream.start}"
        results.append(PageResult(where, diagnostics=[Diagnostic(where, 1, 1, "error", "damaged-input", str(e))]))
    return results


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def run_units(units: Iterable[Unit], options: BuildOptions, jobs: int = 1, cluster: str | None = None) -> Results:
    if cluster:
        return run_on_dask(units, options, cluster)
    if jobs <= 1:
        return ((unit, build_unit(unit, options)) for unit in units)
    return run_on_pool(units, options, jobs)


def in_order(units: Iterable[Unit], submit: Callable[[Unit], object], result: Callable[[object], list[PageResult]],
             window: int) -> Results:
    """Submit units ahead, at most ``window`` in flight, and give the results back in unit order."""
    pending: deque[tuple[Unit, object]] = deque()
    for unit in units:
        pending.append((unit, submit(unit)))
        if len(pending) >= window:
            done, future = pending.popleft()
            yield done, result(future)
    while pending:
        done, future = pending.popleft()
        yield done, result(future)


def warm_up() -> None:
    import graph.pipeline  # noqa: F401 - import the extractors once per worker, before the first page


def run_on_pool(units: Iterable[Unit], options: BuildOptions, jobs: int) -> Results:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: the driver has threads (a progress bar), and a forked worker would inherit their locks
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=warm_up) as pool:
        try:
            yield from in_order(units, lambda u: pool.submit(build_unit, u, options), lambda f: f.result(),
                                window=3 * jobs)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def run_on_dask(units: Iterable[Unit], options: BuildOptions, address: str) -> Results:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise UsageError("--cluster needs Dask: pip install 'wikikg[cluster]'") from None
    import dask

    # each page is read in a child of the worker (its time limit kills it): Dask's workers must be allowed
    # children. On a real cluster, start the workers with DASK_DISTRIBUTED__WORKER__DAEMON=False.
    dask.config.set({"distributed.worker.daemon": False})
    cluster = None
    if address.startswith("local:"):
        workers = address.removeprefix("local:")
        if not workers.isdigit() or int(workers) < 1:
            raise UsageError(f"--cluster {address}: expected local:N with N workers, e.g. local:2")
        cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=50)
        client = Client(cluster)
    else:
        try:
            client = Client(address, timeout=30)
        except OSError as e:
            raise UsageError(f"--cluster {address}: cannot reach the scheduler: {e}") from None
    try:
        window = 3 * max(1, sum(client.nthreads().values()))
        yield from in_order(units, lambda u: client.submit(build_unit, u, options, pure=False),
                            lambda f: f.result(), window=window)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
