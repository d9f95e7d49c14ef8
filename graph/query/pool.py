"""Worker processes that run queries where they can be killed: a time limit, a memory limit, a crash contained.

The SPARQL engine runs in native code: a thread cannot interrupt it, and a segmentation fault or a panic ends
the process it runs in. So each query goes to a worker process (graph.query.worker); the worker is killed when
the query passes its time or memory limit or its client leaves, and a new one takes its place. Workers are
recycled after many queries, so memory stays flat.

``WorkerPool`` serves many clients at once (asyncio, for ``wikikg serve``); ``run_isolated`` runs one query and
waits for it (``wikikg query``).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass

from graph.query.worker import LENGTH, read_frame

WORKER = [sys.executable, "-m", "graph.query.worker"]
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class RunLimits:
    timeout: float = 30.0  # seconds per query
    max_memory_mb: int = 2048  # resident memory of the worker running it
    recycle_after: int = 500  # queries per worker


@dataclass(frozen=True)
class Reply:
    status: int
    content_type: str
    body: bytes
    truncated: bool = False


def stopped(status: int, message: str) -> Reply:
    return Reply(status, "text/plain; charset=utf-8", (message + "\n").encode())


def resident_mb(pid: int) -> float:
    """The process's resident memory (Linux /proc); 0 where it cannot be read."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE / 2**20
    except (OSError, IndexError, ValueError):
        return 0.0


def crash_message(returncode: int | None, stderr: bytes) -> str:
    if returncode is not None and returncode < 0:
        how = f"was killed by {signal.Signals(-returncode).name}"
    else:
        how = f"stopped (exit {returncode})"
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    said = next((lines[i + 1] for i, line in enumerate(lines[:-1]) if "panicked at" in line), "")  # the reason
    return (f"the SPARQL engine crashed on this query: its process {how}" + (f" ({said[:200]})" if said else "")
            + ". This is a fault of the engine; a simpler query may avoid it.")


class AsyncWorker:
    """One worker process, driven from the event loop."""

    def __init__(self, process: asyncio.subprocess.Process) -> None:
        self.process, self.queries, self.stderr = process, 0, bytearray()
        self.drain = asyncio.create_task(self._keep_stderr_tail())

    @classmethod
    async def start(cls, store_args: list[str]) -> AsyncWorker:
        process = await asyncio.create_subprocess_exec(*WORKER, *store_args, stdin=asyncio.subprocess.PIPE,
                                                       stdout=asyncio.subprocess.PIPE,
                                                       stderr=asyncio.subprocess.PIPE)
        worker = cls(process)
        ready = json.loads(await worker._read_frame())
        if not ready.get("ready"):
            await worker.kill()
            raise RuntimeError(f"the query worker could not open the store: {ready.get('error')}")
        return worker

    async def _keep_stderr_tail(self) -> None:
        while chunk := await self.process.stderr.read(4096):
            self.stderr = (self.stderr + chunk)[-4096:]

    async def _read_frame(self) -> bytes:
        head = await self.process.stdout.readexactly(LENGTH.size)
        return await self.process.stdout.readexactly(LENGTH.unpack(head)[0])

    async def _exchange(self, request: dict) -> Reply:
        data = json.dumps(request).encode()
        self.process.stdin.write(LENGTH.pack(len(data)) + data)
        await self.process.stdin.drain()
        header = json.loads(await self._read_frame())
        body = await self._read_frame()
        return Reply(header["status"], header["type"], body, header.get("truncated", False))

    async def _watch_memory(self, limit_mb: int) -> None:
        while resident_mb(self.process.pid) <= limit_mb:
            await asyncio.sleep(0.05)

    async def ask(self, request: dict, limits: RunLimits, gone: asyncio.Event) -> Reply | None:
        """The reply, or a stop reply; None if the client left. A worker not answering is killed."""
        self.queries += 1
        exchange = asyncio.create_task(self._exchange(request))
        memory = asyncio.create_task(self._watch_memory(limits.max_memory_mb))
        left = asyncio.create_task(gone.wait())
        done, _ = await asyncio.wait({exchange, memory, left}, timeout=limits.timeout,
                                     return_when=asyncio.FIRST_COMPLETED)
        for task in (exchange, memory, left):
            task.cancel()
        if exchange in done and not exchange.cancelled() and exchange.exception() is None:
            return exchange.result()
        await self.kill()
        if exchange in done:  # the pipe closed: the process died under the query
            return stopped(500, crash_message(self.process.returncode, bytes(self.stderr)))
        if memory in done:
            return stopped(503, f"query stopped: it needed more than {limits.max_memory_mb:,} MB (server memory "
                                "limit)")
        if left in done:
            return None
        return stopped(503, f"query stopped after {limits.timeout:g} s (server time limit)")

    @property
    def alive(self) -> bool:
        return self.process.returncode is None

    async def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            self.process.kill()
        await self.process.wait()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.drain, 5)


class WorkerPool:
    """``size`` workers over one store; a query waits for a free worker at most its time limit."""

    def __init__(self, store_args: list[str], size: int, limits: RunLimits) -> None:
        self.store_args, self.size, self.limits = store_args, size, limits
        self.idle: asyncio.Queue[AsyncWorker] = asyncio.Queue()
        self.workers: set[AsyncWorker] = set()

    async def start(self) -> None:
        for worker in await asyncio.gather(*(AsyncWorker.start(self.store_args) for _ in range(self.size))):
            self.workers.add(worker)
            self.idle.put_nowait(worker)

    async def run(self, request: dict, gone: asyncio.Event) -> Reply | None:
        try:
            worker = await asyncio.wait_for(self.idle.get(), timeout=self.limits.timeout)
        except TimeoutError:
            return stopped(503, f"the server is busy: no query worker was free within {self.limits.timeout:g} s")
        try:
            return await worker.ask(request, self.limits, gone)
        finally:
            await self._give_back(worker)

    async def _give_back(self, worker: AsyncWorker) -> None:
        if worker.alive and worker.queries < self.limits.recycle_after:
            self.idle.put_nowait(worker)
            return
        self.workers.discard(worker)
        if worker.alive:
            await worker.kill()
        fresh = await AsyncWorker.start(self.store_args)
        self.workers.add(fresh)
        self.idle.put_nowait(fresh)

    async def close(self) -> None:
        await asyncio.gather(*(w.kill() for w in list(self.workers)), return_exceptions=True)
        self.workers.clear()


def run_isolated(store_args: list[str], request: dict, limits: RunLimits) -> tuple[Reply | None, str | None]:
    """One query in a fresh worker: (reply, None), or (None, why the store did not open)."""
    process = subprocess.Popen([*WORKER, *store_args], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    try:
        ready = json.loads(read_frame(process.stdout) or b'{"error": "the worker did not start"}')
        if not ready.get("ready"):
            return None, ready.get("error")
        data = json.dumps(request).encode()
        try:  # the worker answers, then finds stdin closed and exits
            out, err = process.communicate(LENGTH.pack(len(data)) + data, timeout=limits.timeout)
        except subprocess.TimeoutExpired:
            return stopped(503, f"query stopped after {limits.timeout:g} s (time limit; --timeout S)"), None
        return reply_from(out) or stopped(500, crash_message(process.returncode, err)), None
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()


def reply_from(out: bytes) -> Reply | None:
    if len(out) < LENGTH.size:
        return None
    size = LENGTH.unpack(out[:LENGTH.size])[0]
    header = json.loads(out[LENGTH.size:LENGTH.size + size])
    rest = out[LENGTH.size + size:]
    if len(rest) < LENGTH.size or len(rest) - LENGTH.size < LENGTH.unpack(rest[:LENGTH.size])[0]:
        return None
    return Reply(header["status"], header["type"], rest[LENGTH.size:], header.get("truncated", False))
