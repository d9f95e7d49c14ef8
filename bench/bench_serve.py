"""Benchmark: `wikikg serve` under many clients, against `oxigraph serve` (Rust, the baseline) in the same run.

    .venv/bin/python bench/bench_serve.py [--clients 200] [--seconds 20] [--query commanders] [--data seed.nq]

Both servers hold the same data (the seed, built here, unless --data is given) and answer the same named query.
Each client is a thread with its own keep-alive connection, sending the query again as soon as it has its
answer. Prints, for each server, the answers per second, p50/p90/p99/max latency and errors, and the ratios:
p99 / p50 (how evenly clients are served) and wikikg p50 / oxigraph p50 (what the safety costs).
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}?query=ASK%7B%7D", timeout=2).read()
            return
        except OSError:
            if process.poll() is not None:
                sys.exit(f"the server exited: {process.args}")
            time.sleep(0.2)
    sys.exit(f"the server did not start: {process.args}")


def hammer(url: str, query: str, clients: int, seconds: float) -> tuple[list[float], int]:
    """Latencies of every answer, and the number of failed requests, from ``clients`` threads."""
    parts = urllib.parse.urlsplit(url)
    target = f"{parts.path}?{urllib.parse.urlencode({'query': query})}"
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        mine, failed = [], 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            try:
                conn.request("GET", target, headers={"Accept": "application/sparql-results+json"})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                    continue
                mine.append(time.perf_counter() - started)
            except OSError:
                failed += 1
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
        conn.close()
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies, errors[0]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def report(name: str, latencies: list[float], errors: int, seconds: float) -> dict[str, float]:
    if not latencies:
        print(f"{name}: no answers, {errors} errors")
        return {"p50": float("nan"), "p99": float("nan")}
    row = {"p50": statistics.median(latencies), "p90": percentile(latencies, 90), "p99": percentile(latencies, 99),
           "max": max(latencies)}
    times = "  ".join(f"{k} {v * 1000:8.1f} ms" for k, v in row.items())
    print(f"{name:>16}: {len(latencies) / seconds:8.1f} answers/s  {times}  errors {errors}  "
          f"p99/p50 {row['p99'] / row['p50']:.2f}")
    return row


def start_wikikg(data: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "graph.cli", "serve", str(data), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)


def start_oxigraph(data: Path, port: int, folder: Path) -> subprocess.Popen:
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    subprocess.run([binary, "load", "--location", str(folder / "db"), "--file", str(data)], check=True,
                   capture_output=True)
    return subprocess.Popen([binary, "serve-read-only", "--location", str(folder / "db"), "--bind",
                             f"127.0.0.1:{port}", "--union-default-graph"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--query", default="commanders")
    parser.add_argument("--data", type=Path)
    args = parser.parse_args()
    query = (ROOT / "queries" / f"{args.query}.rq").read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = args.data
        if data is None:
            data = folder / "seed.nq"
            subprocess.run([sys.executable, "-m", "graph.cli", "build", str(ROOT / "seeds" /
                            "zh_first_nagorno_karabakh_war.wiki"), "-o", str(data), "-q"], check=True, cwd=ROOT)
        print(f"{args.clients} clients for {args.seconds:g} s each, query {args.query}, data {data.name}")
        rows = {}
        for name, start, path in [("oxigraph serve", lambda p: start_oxigraph(data, p, folder), "/query"),
                                  ("wikikg serve", lambda p: start_wikikg(data, p), "/sparql")]:
            port = free_port()
            process = start(port)
            url = f"http://127.0.0.1:{port}{path}"
            try:
                wait_until_up(url, process)
                latencies, errors = hammer(url, query, args.clients, args.seconds)
                rows[name] = report(name, latencies, errors, args.seconds)
            finally:
                process.terminate()
                process.wait(30)
        ratio = rows["wikikg serve"]["p50"] / rows["oxigraph serve"]["p50"]
        print(f"wikikg p50 / oxigraph p50: {ratio:.2f}")


if __name__ == "__main__":
    main()
