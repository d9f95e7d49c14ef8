"""One article, read in the command's own process, watched by a small parent that holds its time limit.

A run of many pages reads each in a worker process forked from the run (graph.run.page_worker), so that a page
past ``--page-timeout``, or one that crashes its reader, costs that page only. For one article that fork comes
at the worst time: after the mappings, vocabularies and tables are loaded, so that both processes then copy the
memory they write (the kernel's copy-on-write), and the page's triples cross a pipe. That was a tenth of a
one-article run.

Here the fork comes first, while the process is small, and the roles are the other way round: the child runs the
whole command and reads the page itself, telling the parent through a pipe when the page starts and ends; the
parent only waits. When the child ends, the parent ends with its exit status. When the page is still being read
at the time limit, or the child dies while reading it (a crash in C code, the out-of-memory killer), the parent
kills it and runs the command itself with the page lost (:func:`lost_page`): the same diagnostic, output and
exit status as a worker's loss gives.

Only where a fork is safe and cheap: Linux, no other thread, and a process that is the ``wikikg`` command
(``graph.cli.main.command``), never a library caller's or a test's, whose process must not be forked and ended.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass

from graph.data.saving_process import hand_saving_to_this_process

STARTED, ENDED = b"s", b"e"  # what the child writes on the pipe around its page
STOP_GRACE = 1.0  # seconds a child asked to stop has before it is asked again, and as long again to be killed


@dataclass(frozen=True)
class Lost:
    """What became of the page the child was reading: stopped at the time limit, or the child's exit status."""

    timeout: float | None = None
    status: int | None = None


_channel: int | None = None  # in the child: the pipe's write end
_lost: Lost | None = None  # in the parent, after the child was lost with its page


def can_watch() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1


def watch_the_run(timeout: float) -> None:
    """Fork. The child returns at once, to run the command and read its page in itself. The parent waits: it ends
    the process as the child ends, or returns after the child was lost with its page (then :func:`lost_page` says
    how), to run the command itself."""
    global _channel, _lost
    sys.stdout.flush()  # nothing buffered is written twice
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    parent = os.getpid()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        die_with_parent(parent)
        hand_saving_to_this_process()  # this child runs the command: its exit keeps what it compiled
        # Python's cycle collector walks every object the run holds, again and again as the page's objects are
        # made: 5% of a one-article run, 15% on a 2 MB page. Reading a page makes no garbage cycles (a build
        # collects the same ~550 objects of its imports whatever the page's size), and the run ends after its
        # one page: reference counting frees all that is freed, and memory is what it was with the collector.
        gc.disable()
        _channel = write_end
        return
    os.close(write_end)
    outcome = Watcher(pid, read_end, timeout).wait()
    os.close(read_end)
    if isinstance(outcome, Lost):
        _lost = outcome
        return
    end_as(outcome)


class Watcher:
    """The parent's side: the child's messages on the pipe, its page's deadline, and the signals sent to the
    command, in one ``select`` loop (a signal handler only wakes it, through a pipe of its own)."""

    def __init__(self, pid: int, messages: int, timeout: float) -> None:
        self.pid, self.messages, self.timeout = pid, messages, timeout
        self.page_deadline: float | None = None  # while the child reads its page
        self.interrupted: float | None = None  # when the command was asked to stop
        self.asked_again = False

    def wait(self) -> Lost | int:
        """The child's wait status when it ends; a :class:`Lost` when it is still reading its page at the time
        limit (then it is killed) or is killed reading it."""
        wake_read, self.wake = os.pipe()
        os.set_blocking(self.wake, False)
        try:
            with self.signals_handled():
                while True:
                    outcome = self.step(wake_read)
                    if outcome is not None:
                        return outcome
        finally:
            os.close(wake_read)
            os.close(self.wake)

    def step(self, wake_read: int) -> Lost | int | None:
        now = time.monotonic()
        deadlines = [t for t in (self.page_deadline, self.stop_deadline()) if t is not None]
        readable, _, _ = select.select([self.messages, wake_read], [], [],
                                       max(0.0, min(deadlines) - now) if deadlines else None)
        if wake_read in readable:
            os.read(wake_read, 64)
        if self.messages in readable:
            said = os.read(self.messages, 64)
            if not said:  # the child ended (only its end of the pipe was open)
                return self.ended()
            for byte in said:
                self.page_deadline = time.monotonic() + self.timeout if bytes([byte]) == STARTED else None
        now = time.monotonic()
        if self.page_deadline is not None and now >= self.page_deadline:
            self.kill()
            return Lost(timeout=self.timeout)
        stop = self.stop_deadline()
        if stop is not None and now >= stop:
            self.insist()
        return None

    def ended(self) -> Lost | int:
        """Killed while reading its page: the page is lost (a crash in C code, the out-of-memory killer). Any
        other end is the command's: an exit status of its own (an interrupted run's 130 too), or a death the
        parent reports (:func:`end_as`)."""
        _, status = os.waitpid(self.pid, 0)
        if os.WIFSIGNALED(status) and self.page_deadline is not None and self.interrupted is None:
            return Lost(status=os.waitstatus_to_exitcode(status))
        return status

    def stop_deadline(self) -> float | None:
        return None if self.interrupted is None else self.interrupted + STOP_GRACE * (2 if self.asked_again else 1)

    def insist(self) -> None:
        """The child did not stop when asked: in C code that does not look at signals (a page's parser), or the
        signal was sent to the parent alone. It is asked once more, then killed, and the run ends as interrupted
        (it had written nothing: its output is written whole or not at all)."""
        if not self.asked_again:
            self.asked_again = True
            self.send(signal.SIGINT)
            return
        self.kill()
        print("wikikg: interrupted; no output written", file=sys.stderr)
        sys.stderr.flush()
        os._exit(130)

    def kill(self) -> None:
        self.send(signal.SIGKILL)
        os.waitpid(self.pid, 0)

    def send(self, signum: int) -> None:
        with suppress(ProcessLookupError):  # ended meanwhile: its status is read next
            os.kill(self.pid, signum)

    @contextmanager
    def signals_handled(self) -> Iterator[None]:
        """Ctrl-C reaches the whole process group: the child stops itself, as any run does, and the parent only
        notes it (passed on, the child would get it twice). SIGTERM and SIGHUP (``timeout``, a closed terminal,
        a runner's cancel) come to the parent alone: they are passed on, and the child stops as on Ctrl-C."""
        def note(signum: int, frame: object) -> None:
            if signum != signal.SIGINT:
                self.send(signum)
            if self.interrupted is None:
                self.interrupted = time.monotonic()
            with suppress(BlockingIOError):  # woken already
                os.write(self.wake, b"!")

        before = {sig: signal.signal(sig, note) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
        try:
            yield
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)


def end_as(status: int) -> None:
    """End this process as the child ended: its exit code; a child killed by a signal (not while reading its page:
    then it was lost) is said, and the exit code is the shell's 128 + N."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        print(f"wikikg: error: the build stopped: its process was killed by {signal.Signals(number).name}",
              file=sys.stderr)
        code = 128 + number
    else:
        code = os.waitstatus_to_exitcode(status)
    sys.stderr.flush()
    os._exit(code)


def die_with_parent(parent: int) -> None:
    """The kernel kills the child when the parent dies, however it dies: nobody would be left to hold the limit
    or to give the shell the exit status."""
    import ctypes

    pr_set_pdeathsig = 1  # <linux/prctl.h>
    ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # the parent was gone before prctl: no signal will come
        os._exit(1)


def watched() -> bool:
    """True in the child: its page is read in this process, between :func:`page_started` and :func:`page_ended`."""
    return _channel is not None


def page_started() -> None:
    os.write(_channel, STARTED)


def page_ended() -> None:
    os.write(_channel, ENDED)


def lost_page() -> Lost | None:
    """In the parent, after the child was lost with its page: how (the page is then reported, not read again)."""
    return _lost
