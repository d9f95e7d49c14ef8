"""A one-article `wikikg build` reads its page in the command's own process, watched by a small parent
(graph.run.watch): the page's time limit, a reader that dies, termination and a killed command behave as they do
with a page worker. Each runs the real command, on a page mwparserfromhell takes many seconds to parse."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from .conftest import SEED
from .test_cli_table import child_env
from .test_faults import SLOW

HANG = 120  # seconds: only to catch a hang, never a speed requirement

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the watch is Linux's (fork, prctl)")


def start_build(tmp: Path, *options: str) -> tuple[subprocess.Popen, Path]:
    page = tmp / "slow.wiki"
    page.write_text(SLOW, encoding="utf-8")
    out = tmp / "out.ttl"
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", "build", str(page), "-o", str(out), *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=child_env(tmp))
    return process, out


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def reader_of(process: subprocess.Popen) -> int:
    """The child reading the page, once it has spent a second of CPU (start-up and the data files take a quarter
    of that: it is in the parser, which takes ~10 s on this page)."""
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline and process.poll() is None:
        for pid in children(process.pid):
            try:
                if cpu_seconds(pid) >= 1.0:
                    return pid
            except OSError:
                pass
        time.sleep(0.05)
    raise AssertionError(f"no child read the page (exit status {process.poll()})")


def is_gone(pid: int) -> bool:
    """No such process, or a zombie (killed, its status not read yet)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def ended(process: subprocess.Popen) -> tuple[int, str]:
    try:
        _, err = process.communicate(timeout=HANG)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, err.decode()


def test_the_page_past_its_time_limit_is_reported_and_the_output_written(tmp_path: Path) -> None:
    process, out = start_build(tmp_path, "--page-timeout", "1")
    status, err = ended(process)
    assert status == 1, err
    assert "stopped reading the page after 1 s (--page-timeout): page skipped [page-timeout]" in err
    assert "wrote" in err and "Traceback" not in err
    assert list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE)) == []


def test_a_reader_that_dies_costs_its_page_only(tmp_path: Path) -> None:
    """A crash in C code, the out-of-memory killer: the page is an error, the run ends as with any lost page."""
    process, out = start_build(tmp_path, "--page-timeout", "100")
    try:
        os.kill(reader_of(process), signal.SIGKILL)
    finally:
        status, err = ended(process)
    assert status == 1, err
    assert "please report this bug: the process reading the page stopped (exit status -9) [internal-error]" in err
    assert "wrote" in err and out.exists() and "Traceback" not in err


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT-to-the-command-alone"])
def test_termination_reaches_the_reader_and_leaves_nothing(tmp_path: Path, signum: int) -> None:
    """SIGTERM goes to the command alone (`timeout`, a runner's cancel): the run stops as on Ctrl-C. So does a
    SIGINT sent to the command alone (Ctrl-C on a terminal reaches the reader too): the reader is asked after a
    grace second."""
    process, out = start_build(tmp_path, "--page-timeout", "100")
    try:
        reader = reader_of(process)
        process.send_signal(signum)
    finally:
        status, err = ended(process)
    assert status == 130, err
    assert "interrupted" in err and "Traceback" not in err
    assert not out.exists() and not list(tmp_path.glob(".out.ttl.*"))
    assert is_gone(reader)


def test_a_killed_command_takes_its_reader_with_it(tmp_path: Path) -> None:
    process, _ = start_build(tmp_path, "--page-timeout", "100")
    try:
        reader = reader_of(process)
        process.kill()
        process.wait(HANG)
        deadline = time.monotonic() + HANG
        while not is_gone(reader) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert is_gone(reader), "the reader went on reading with nobody to report to"
    finally:
        ended(process)


def test_the_reader_runs_the_command_exit_status_and_caches(tmp_path: Path) -> None:
    """The parent ends with the reader's exit status (here --strict on the seed's warnings), and the reader, which
    runs the whole command, saves the caches a run keeps (the compiled patterns and dataclass methods)."""
    out = tmp_path / "seed.ttl"
    env = {**child_env(tmp_path), "WIKIKG_CACHE": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(SEED), "-o", str(out), "--strict"],
                         capture_output=True, text=True, env=env, timeout=HANG)
    assert run.returncode == 1, run.stderr
    assert "--strict: warnings above" in run.stderr and run.stderr.count("wrote") == 1
    assert len(list(ox.parse(path=str(out), format=ox.RdfFormat.TURTLE))) > 1000
    kept = {path.name.split("-")[0] for path in (tmp_path / "cache").iterdir()}
    assert {"regex", "dataclass"} <= kept, kept


def test_a_one_article_run_imports_no_machinery_of_many_pages(tmp_path: Path) -> None:
    """What dumps, page workers and shards need is imported when they are used: a one-article build (whose start
    is a user's first impression, and the bench's measure) loads neither multiprocessing, SQLite (redirects), the
    XML reader (dumps) nor OpenSSL (hashlib; graph.digests hashes a page)."""
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "graph.cli", "build", str(SEED), "-o",
                          str(tmp_path / "seed.ttl"), "-q"], capture_output=True, text=True, env=child_env(tmp_path),
                         timeout=HANG)
    assert run.returncode == 0, run.stderr[-2000:]
    imported = {line.rsplit("|", 1)[1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "graph.pipeline" in imported  # the report is there
    assert not imported & {"multiprocessing", "sqlite3", "xml.etree.ElementTree", "_hashlib"}


@pytest.mark.parametrize("name", ["seed", "en_american_revolutionary_war_2020.wiki", "zh_naissus_battle.wiki"])
def test_reading_a_page_makes_no_garbage_cycles(name: str) -> None:
    """Why a one-article run may read with Python's cycle collector off (graph.run.watch): the objects of a page
    are freed by reference counting alone. A change that makes cycles per page fails here, and the choice must be
    looked at again."""
    import gc

    from graph.pipeline import build
    from graph.rdf.serialize import to_bytes
    from graph.wikitext.read import read_source

    from .conftest import shared_path

    path = str(SEED if name == "seed" else shared_path("fixtures", name))
    to_bytes(build(read_source(path)).sink.sorted())  # first: the modules and data files a page loads
    gc.collect()
    enabled = gc.isenabled()
    gc.disable()
    try:
        to_bytes(build(read_source(path)).sink.sorted())
        assert gc.collect() == 0
    finally:
        if enabled:
            gc.enable()
