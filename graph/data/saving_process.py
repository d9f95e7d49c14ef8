"""Which process saves the caches kept between runs (compiled patterns, dataclass methods) at its exit: the one
that runs the command. A page worker forked from it exits without its atexit handlers, and a spawned one has a
process id of its own, so neither writes what it compiled; a one-article run's reader (graph.run.watch) is forked
too, but runs the whole command, so it is handed the saving."""

from __future__ import annotations

import os

_pid = os.getpid()


def is_saving_process() -> bool:
    return os.getpid() == _pid


def hand_saving_to_this_process() -> None:
    global _pid
    _pid = os.getpid()
