"""Work units: the pieces a run hands to its workers, cut where the input allows and never by the worker count.

A unit is a few .wiki files, or a batch of pages read from a dump. Units are numbered in input order, and what
a unit holds depends only on the input, so the output is the same whatever runs the units.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from graph.wikitext.dump import is_dump, read_dump

FILES_PER_UNIT = 8
PAGES_PER_UNIT = 25  # pages of a dump: small enough to keep every core busy on a 200-page dump


@dataclass(frozen=True)
class PageText:
    """A page of a dump, carried to a worker with its text."""

    name: str  # "dump.xml.bz2#page=12", for diagnostics
    title: str
    text: str
    lang: str | None  # the dump's site language


@dataclass(frozen=True)
class Unit:
    number: int
    files: tuple[str, ...] = ()  # .wiki files (or "-"), read by the worker
    pages: tuple[PageText, ...] = ()  # dump pages, read by the driver

    @property
    def size(self) -> int:
        return len(self.files) + len(self.pages)


def plan(inputs: list[str]) -> Iterator[Unit]:
    """The units of a run, lazily: a dump is read as the units are consumed, never held whole."""
    number = 0
    files: list[str] = []
    for name in inputs:
        if name != "-" and is_dump(name):
            if files:
                yield Unit(number, files=tuple(files))
                number, files = number + 1, []
            for batch in dump_batches(name):
                yield Unit(number, pages=batch)
                number += 1
        else:
            files.append(name)
            if len(files) == FILES_PER_UNIT:
                yield Unit(number, files=tuple(files))
                number, files = number + 1, []
    if files:
        yield Unit(number, files=tuple(files))


def dump_batches(name: str) -> Iterator[tuple[PageText, ...]]:
    info, pages = read_dump(name)
    batch: list[PageText] = []
    for page in pages:
        if not page.text.strip():
            continue
        batch.append(PageText(page.offset_hint, page.title, page.text, info.lang))
        if len(batch) == PAGES_PER_UNIT:
            yield tuple(batch)
            batch = []
    if batch:
        yield tuple(batch)
