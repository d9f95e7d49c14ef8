"""Real SPARQL servers on free ports of 127.0.0.1, started and stopped by the tests that need one: `oxigraph serve`
(the `oxigraph` package from PyPI, installed in the venv) and our own `wikikg serve`."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def oxigraph_serve(location: Path, union_default_graph: bool = False) -> Iterator[str]:
    """The server's base URL (``/query``, ``/store``), for the duration of the block."""
    with oxigraph_process(location, free_port(), union_default_graph) as (_, base):
        yield base


@contextmanager
def oxigraph_process(location: Path, port: int, union_default_graph: bool = False
                     ) -> Iterator[tuple[subprocess.Popen, str]]:
    """The server process and its base URL: for tests that kill the store midway and start it again on the same
    ``--location`` and port (a stopped load is resumed against the same URL)."""
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    if union_default_graph:
        command.append("--union-default-graph")
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(process, base)
        yield process, base
    finally:
        if process.poll() is None:
            process.terminate()
        process.wait(timeout=10)


def _wait_until_up(process: subprocess.Popen, base: str, path: str = "/query") -> None:
    deadline = time.monotonic() + 120  # a hang limit for a loaded machine, not a speed
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}{path}?query=ASK%7B%7D", timeout=2).read()
            return
        except (urllib.error.URLError, ConnectionError):
            if process.poll() is not None:
                pytest.fail(f"{process.args[:3]} exited: {process.stderr.read().decode()[:500]}")
            time.sleep(0.2)
    process.kill()
    pytest.fail(f"{process.args[:3]} did not start within 120 s")


@contextmanager
def wikikg_serve(data: list[Path], *options: str) -> Iterator[str]:
    """A real ``wikikg serve`` (its own process, as users start it) on a free port: its /sparql URL."""
    import os

    port = free_port()
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "graph.cli", "serve", *map(str, data), "--port", str(port), *options]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    url = f"http://127.0.0.1:{port}/sparql"
    try:
        _wait_until_up(process, url.removesuffix("/sparql"), path="/sparql")
        yield url
    finally:
        process.send_signal(2)  # Ctrl-C: the server stops its workers and removes its store
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
