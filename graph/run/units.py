"""Work units: the pieces a run hands to its workers, cut where the input allows and never by the worker count.

A unit is a few .wiki files, a batch of pages read from a dump by the driver, or — for Wikimedia's multistream
dumps, whose index gives the byte offset of every bz2 stream — one stream, which the worker reads itself (so
reading and decompressing run on every core too). Units are numbered in input order, and what a unit holds
depends only on the input, so the output is the same whatever runs the units.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graph.errors import InputError
from graph.wikitext.dump import DumpInfo, ReadPosition, Revision, is_dump, read_dump

if TYPE_CHECKING:  # a multistream dump's reader, imported when one is read: a one-article run reads none
    from graph.wikitext.multistream import Stream

FILES_PER_UNIT = 8
PAGES_PER_UNIT = 25  # pages of a dump: small enough to keep every core busy on a 200-page dump


@dataclass(frozen=True)
class PageText:
    """A page of a dump, carried to a worker with its text."""

    name: str  # "dump.xml.bz2#page=12", for diagnostics
    title: str
    text: str
    lang: str | None  # the dump's site language
    revision: Revision = Revision()  # which revision of the page it is (for the provenance)


@dataclass(frozen=True)
class StreamRef:
    """One bz2 stream of a multistream dump, for a worker to read."""

    dump: str  # the file, absolute: a worker on another machine or in another folder opens it
    name: str  # the file as given: pages are named after it
    stream: Stream
    info: DumpInfo
    pages_before: int  # pages of the streams before it: its pages are named as a sequential read names them


@dataclass(frozen=True)
class Unit:
    """A piece of work a runner hands out: files, or pages of a dump, or a stream of a multistream dump."""

    number: int
    files: tuple[str, ...] = ()  # .wiki files (or "-"), read by the worker
    pages: tuple[PageText, ...] = ()  # dump pages, read by the driver
    stream: StreamRef | None = None  # a multistream dump's stream, read by the worker
    error: tuple[str, str] | None = None  # (input, what is wrong): an input that could not be read on
    # (dump, bytes of the file as stored read through this unit): the progress of a run over dumps
    position: tuple[str, int] | None = field(default=None, compare=False)


def plan(inputs: list[str]) -> Iterator[Unit]:
    """The units of a run, lazily: a dump is read as the units are consumed, never held whole."""
    number = 0
    files: list[str] = []
    for name in inputs:
        if name != "-" and is_dump(name):
            if files:
                yield Unit(number, files=tuple(files))
                number, files = number + 1, []
            from graph.wikitext.multistream import find_index

            index = find_index(name)
            for unit in (stream_units(name, index, number) if index else dump_units(name, number)):
                yield unit
                number += 1
        else:
            files.append(name)
            if len(files) == FILES_PER_UNIT:
                yield Unit(number, files=tuple(files))
                number, files = number + 1, []
    if files:
        yield Unit(number, files=tuple(files))


def dump_units(name: str, first: int) -> Iterator[Unit]:
    """Batches of a dump's pages; a dump damaged midway (truncated, corrupt) gives every page before the damage,
    then a unit that only says what went wrong."""
    number, position = first, ReadPosition()
    try:
        for batch in dump_batches(name, position):
            yield Unit(number, pages=batch, position=(name, position.tell()))
            number += 1
    except InputError as e:
        yield Unit(number, error=(name, str(e)))


def stream_units(name: str, index: str, first: int) -> Iterator[Unit]:
    from graph.wikitext.multistream import read_index, read_site_info

    info, before, size = read_site_info(name), 0, os.path.getsize(name)
    for number, stream in enumerate(read_index(index), start=first):
        yield Unit(number, stream=StreamRef(os.path.abspath(name), name, stream, info, before),
                   position=(name, stream.end or size))
        before += stream.pages


def dump_batches(name: str, position: ReadPosition | None = None) -> Iterator[tuple[PageText, ...]]:
    info, pages = read_dump(name, position=position)
    batch: list[PageText] = []
    try:
        for page in pages:
            if not page.text.strip():
                continue
            batch.append(PageText(page.offset_hint, page.title, page.text, info.lang, page.revision))
            if len(batch) == PAGES_PER_UNIT:
                yield tuple(batch)
                batch = []
    except InputError:  # the pages read before a damaged part are kept
        if batch:
            yield tuple(batch)
        raise
    if batch:
        yield tuple(batch)
