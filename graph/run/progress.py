"""The progress of a run on a terminal: pages when their number is known before reading (files, multistream
dumps by their index), else bytes of the inputs as stored, with pages and pages/s beside them, so that a plain
``.xml.bz2`` dump shows how far it is and an ETA from its compressed offset.

Nothing is shown when stderr is a file or a pipe (a log wants the summary, not a bar redrawn 10 times a second).
"""

from __future__ import annotations

import os
import sys
import time

from graph.run.units import Unit
from graph.wikitext.dump import is_dump


class RunProgress:
    """A tqdm bar over pages (``total_pages`` known) or over bytes of the inputs (``sizes``: input → size)."""

    def __init__(self, total_pages: int | None, sizes: dict[str, int]) -> None:
        from tqdm import tqdm

        self.by_bytes = total_pages is None
        self.sizes, self.read = sizes, {}
        self.pages, self.started = 0, time.perf_counter()
        if self.by_bytes:
            self.bar = tqdm(total=sum(sizes.values()) or None, unit="B", unit_scale=True, unit_divisor=1024,
                            desc="build", leave=False, smoothing=0.1)
        else:
            self.bar = tqdm(total=total_pages, unit="page", desc="build", leave=False, smoothing=0.1)

    def advance(self, unit: Unit, pages: int) -> None:
        self.pages += pages
        if not self.by_bytes:
            self.bar.update(pages)
            return
        if unit.position is not None:  # a dump: read through this offset of its file
            name, offset = unit.position
            self.read[name] = offset
        for name in unit.files:  # .wiki files: read whole
            self.read[name] = self.sizes.get(name, 0)
        rate = self.pages / max(time.perf_counter() - self.started, 1e-9)
        read = sum(self.read.values()) - self.bar.n
        # the pages shown even when no byte was read since (the decompressor reads ahead of the pages)
        self.bar.set_postfix_str(f"{self.pages:,} pages, {rate:.1f} pages/s", refresh=read == 0)
        self.bar.update(read)

    def write(self, line: str, file=None) -> None:
        self.bar.write(line, file=file or sys.stderr)

    def refresh(self) -> None:
        self.bar.refresh()

    def close(self) -> None:
        self.bar.refresh()  # the last updates came within tqdm's redraw interval: draw where the run ended
        self.bar.close()


def run_progress(inputs: list[str], quiet: bool = False) -> RunProgress | None:
    """The bar of a run over ``inputs``; None when quiet or when stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        return None
    return RunProgress(known_pages(inputs), input_sizes(inputs))


def known_pages(inputs: list[str]) -> int | None:
    """How many pages the run will go through, when that is known before reading (files, and multistream dumps by
    their index)."""
    from graph.wikitext.multistream import find_index, read_index  # here: a one-article run reads no dump

    total = 0
    for name in inputs:
        if name == "-" or not is_dump(name):
            total += 1
        elif index := find_index(name):
            total += sum(stream.pages for stream in read_index(index))
        else:
            return None
    return total


def input_sizes(inputs: list[str]) -> dict[str, int]:
    sizes = {}
    for name in inputs:
        try:
            sizes[name] = os.path.getsize(name) if name != "-" else 0
        except OSError:
            sizes[name] = 0
    return sizes


def bytes_progress(inputs: list[str], desc: str, quiet: bool = False):
    """A bar over the bytes of the dumps among ``inputs`` (a first pass over them, such as the redirects'); None
    when quiet, when stderr is not a terminal or when there is no dump."""
    if quiet or not sys.stderr.isatty():
        return None
    dumps = [name for name in inputs if name != "-" and is_dump(name)]
    if not dumps:
        return None
    from tqdm import tqdm

    return tqdm(total=sum(input_sizes(dumps).values()), unit="B", unit_scale=True, unit_divisor=1024, desc=desc,
                leave=False, smoothing=0.1)
