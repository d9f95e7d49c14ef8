"""Read stage for Wikimedia's multistream dumps: one bz2 stream at a time, so workers can share a dump by bytes.

``…-pages-articles-multistream.xml.bz2`` is a concatenation of independent bz2 streams: the first holds
``<mediawiki …>`` and ``<siteinfo>``, each next one up to 100 ``<page>`` elements, the last ``</mediawiki>``.
Its companion ``…-multistream-index.txt.bz2`` has a line ``OFFSET:PAGE_ID:TITLE`` per page, OFFSET being
where the bz2 stream holding the page starts in the compressed file. With the index, a worker can seek to
its own streams and decompress only those: the dump is split by bytes without reading it first.

``read_index`` turns the index into ``Stream`` ranges; ``read_site_info`` decompresses only the first
stream; ``read_stream`` reads the pages of one stream with ``dump.py``'s parser (same page building, same
refusals of hostile XML). The whole file stays a valid concatenated bz2, which ``read_dump`` reads from
start to end as before. Faults of one stream (an offset past the end, an offset inside a stream, a
truncated or corrupt stream) are raised for that stream only, naming the file and the offset.
"""

from __future__ import annotations

import bz2
import os
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import IO
from xml.etree import ElementTree as ET

from graph.data.regex_cache import regex
from graph.errors import InputError
from graph.wikitext.dump import (
    _DECOMPRESS_ERRORS,
    DumpInfo,
    DumpPage,
    _open_binary,
    _parse,
    _Progress,
    _Rooted,
    _xml_error,
)

# X-multistream.xml.bz2 → X-multistream-index.txt.bz2, and Wikimedia's parts:
# …-multistream1.xml-p1p41242.bz2 → …-multistream-index1.txt-p1p41242.bz2
_DUMP_NAME = regex(r"(?P<base>.*-multistream)(?P<part>\d*)\.xml(?P<range>-p\d+p\d+)?\.bz2")
_CHUNK = 1 << 16  # compressed bytes read at a time: memory stays at a chunk plus one page
# A bz2 stream starts "BZh" + block size '1'…'9', then a block's magic (π) or, if empty, the end magic (√π)
_STREAM_HEAD = regex(rb"BZh[1-9](?:\x31\x41\x59\x26\x53\x59|\x17\x72\x45\x38\x50\x90)")
_HEAD_SIZE = 10


@dataclass(frozen=True)
class Stream:
    """One bz2 stream of pages, as the index describes it."""

    start: int  # byte offset of the stream in the compressed dump
    end: int | None  # the next stream's start; None for the last one (it runs to </mediawiki>'s stream or EOF)
    pages: int  # pages the index lists in it, every namespace
    first_title: str  # the index's title of its first page: checked against the stream, names it in messages


def find_index(dump_path: str) -> str | None:
    """The companion index of a multistream dump by Wikimedia's naming, if it is there (bz2 or decompressed)."""
    m = _DUMP_NAME.fullmatch(dump_path)
    if not m:
        return None
    stem = f"{m['base']}-index{m['part']}.txt{m['range'] or ''}"
    for candidate in (stem + ".bz2", stem):
        if os.path.isfile(candidate):
            return candidate
    return None


def read_index(index_path: str) -> list[Stream]:
    """The page streams an index lists, by offset; each ends where the next begins, the last one at None.

    Only per-stream counts are kept (enwiki's index has ~20 million lines, ~200,000 streams). Lines must be
    ``OFFSET:PAGE_ID:TITLE`` (a title may hold ':'); anything else is an ``InputError`` naming the line.
    """
    groups: dict[int, list] = {}  # offset → [pages, first title]
    try:
        with _open_binary(index_path) as lines:
            _count_lines(index_path, lines, groups)
    except FileNotFoundError:
        raise InputError(f"{index_path}: no such file (the multistream index)") from None
    except IsADirectoryError:
        raise InputError(f"{index_path}: is a folder, not a multistream index") from None
    except _DECOMPRESS_ERRORS as e:
        raise InputError(f"{index_path}: cannot read or decompress the multistream index "
                         f"({type(e).__name__}: {e})") from None
    if not groups:
        raise InputError(f"{index_path}: the multistream index lists no pages")
    starts = sorted(groups)
    ends: list[int | None] = [*starts[1:], None]
    return [Stream(start, end, groups[start][0], groups[start][1]) for start, end in zip(starts, ends, strict=True)]


def _count_lines(index_path: str, lines: IO[bytes], groups: dict[int, list]) -> None:
    # Wikimedia writes a stream's lines together: comparing the offset's bytes to the last line's makes
    # the ~100 lines after a stream's first a count only
    last_offset = b""
    group: list = []
    for number, line in enumerate(lines, 1):
        offset, _, rest = line.partition(b":")
        page_id, colon, title = rest.partition(b":")
        if not (colon and offset.isdigit() and page_id.isdigit()):
            if not line.strip():
                continue  # a blank line (a trailing one) holds no page
            raise InputError(f"{index_path}: line {number} is not OFFSET:PAGE_ID:TITLE ({line[:100]!r})")
        if offset == last_offset:
            group[0] += 1
            continue
        last_offset = offset
        try:
            name = title.rstrip(b"\r\n").decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(f"{index_path}: line {number} is not UTF-8 ({line[:100]!r})") from None
        group = groups.setdefault(int(offset), [0, name])
        group[0] += 1


def read_site_info(dump_path: str) -> DumpInfo:
    """The dump's ``<siteinfo>`` (its language), decompressing only the first bz2 stream of the file.

    A dump without ``<siteinfo>`` gives ``DumpInfo(None, None)``, as ``read_dump`` does. The head is parsed as
    ``read_dump`` parses it: a doctype there is read, external entities and entity bombs are refused.
    """
    progress = _Progress()
    rooted: _Rooted | None = None
    with _open_dump(dump_path) as f:
        _check_stream_head(dump_path, f, 0, os.fstat(f.fileno()).st_size)
        try:
            rooted = _Rooted(_OneStream(f, 0, None))
            parse = _parse(rooted, frozenset(), {}, lambda n: f"{dump_path}@0#page={n}", progress)
            try:
                info = next(parse)  # a DumpInfo comes first: <siteinfo>'s, or an empty one at the first page
            finally:
                parse.close()
        except ET.ParseError as e:
            raise InputError(f"{dump_path}: first stream (offset 0): {_xml_error(e, rooted)}, before the end of "
                             "<siteinfo>") from None
        except _DECOMPRESS_ERRORS as e:
            raise InputError(f"{dump_path}: first stream (offset 0): corrupt bz2 data ({type(e).__name__}: {e})"
                             ) from None
    assert isinstance(info, DumpInfo)
    return info


def read_stream(dump_path: str, stream: Stream, info: DumpInfo,
                namespaces: Collection[int] | None = frozenset({0}), pages_before: int | None = None
                ) -> Iterator[DumpPage]:
    """The pages in ``namespaces`` (None: all) of one stream, decompressing that stream only.

    ``info`` is ``read_site_info``'s (its namespace names place pages without ``<ns>``). The stream must be
    ``<page>`` elements only, as Wikimedia writes them: a prolog, a doctype or an entity other than XML's
    own is refused (the dump's DTD, if it had one, is not seen here).

    Each page's ``offset_hint`` is ``DUMP@OFFSET#page=K``: the K-th page (1-based, counting every namespace)
    of the bz2 stream at byte OFFSET. It can be acted on without reading the dump up to there:
    ``tail -c +$((OFFSET + 1)) DUMP | bzip2 -dc`` starts at that stream (the index line of the stream's
    pages is ``OFFSET:ID:TITLE``). ``read_dump``'s ``DUMP#page=N`` counts from the start of the file
    instead; N is K plus the pages of the streams before this one (their ``Stream.pages``). Given
    ``pages_before`` (that sum), the pages are named as ``read_dump`` names them, so that a build read stream
    by stream writes the same bytes as one read from the start.

    Errors are ``InputError`` naming the file and the stream's offset, raised while iterating, after the
    pages before the fault were yielded; other streams of the same file stay readable.
    """
    wanted = None if namespaces is None else frozenset(namespaces)
    where = f"{dump_path}: stream at offset {stream.start}"
    progress = _Progress()
    rooted: _Rooted | None = None
    with _open_dump(dump_path) as f:
        _check_stream_head(dump_path, f, stream.start, os.fstat(f.fileno()).st_size)
        if stream.end is not None and stream.end <= stream.start:
            raise InputError(f"{where}: ends at {stream.end}, not after its start")
        try:
            rooted = _Rooted(_OneStream(f, stream.start, stream.end), fragment=True)
            _check_first_element(where, rooted.first_name if rooted.bare else None)
            hint = (lambda n: f"{dump_path}@{stream.start}#page={n}") if pages_before is None else (
                lambda n: f"{dump_path}#page={pages_before + n}")
            for item in _parse(rooted, None, dict(info.namespaces), hint, progress):
                if not isinstance(item, DumpPage):
                    continue  # the empty DumpInfo _parse gives at the first page of a fragment
                if progress.pages_seen == 1 and item.title != stream.first_title:
                    raise InputError(f"{where}: its first page is {item.title!r}, the index says "
                                     f"{stream.first_title!r} (is the index this dump's?)")
                if wanted is None or item.namespace in wanted:
                    yield item
        except ET.ParseError as e:
            raise InputError(f"{where}: {_xml_error(e, rooted)}{_in_stream(progress)}") from None
        except _DECOMPRESS_ERRORS as e:
            raise InputError(f"{where}: corrupt bz2 data ({type(e).__name__}: {e}){_in_stream(progress)}"
                             ) from None
        except _StreamFault as e:
            raise InputError(f"{where}: {e}{_in_stream(progress)}") from None
    if progress.pages_seen != stream.pages:
        raise InputError(f"{where}: holds {progress.pages_seen} pages, the index says {stream.pages} "
                         "(is the index this dump's?)")


def _in_stream(progress: _Progress) -> str:
    if not progress.pages_seen:
        return ", before its first page"
    return f", after its page {progress.pages_seen} ({progress.last_title!r})"


def _open_dump(dump_path: str) -> IO[bytes]:
    try:
        return open(dump_path, "rb")  # noqa: SIM115 - closed by the caller's with
    except FileNotFoundError:
        raise InputError(f"{dump_path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{dump_path}: is a folder, not a dump") from None


def _check_stream_head(dump_path: str, f: IO[bytes], offset: int, size: int) -> None:
    """Refuse an offset the file does not have a bz2 stream at, before decompressing anything."""
    if offset >= size:
        raise InputError(f"{dump_path}: stream offset {offset} is past the end of the file ({size} bytes): "
                         "truncated, or the index is not this dump's")
    f.seek(offset)
    head = f.read(_HEAD_SIZE)
    f.seek(offset)
    if _STREAM_HEAD.match(head):
        return
    if len(head) < _HEAD_SIZE and head.startswith(b"BZh"):
        raise InputError(f"{dump_path}: stream at offset {offset} is truncated (the file ends {len(head)} "
                         "bytes into it)")
    raise InputError(f"{dump_path}: offset {offset} is not the start of a bz2 stream (bytes there: "
                     f"{head.hex(' ')}): the index is not this dump's, or the file is not a multistream dump")


def _check_first_element(where: str, name: bytes | None) -> None:
    """A page stream starts with <page>: the head stream (<mediawiki>, <siteinfo>) is not one."""
    if name == b"page":
        return
    if name is None:
        raise InputError(f"{where}: does not start with a <page> element (the closing </mediawiki> stream? "
                         "a page stream holds no prolog, doctype or text before its pages)")
    raise InputError(f"{where}: starts with <{name.decode('utf-8', 'replace')}>, not <page>: the dump's head "
                     "is not a page stream (read_site_info reads it)")


class _StreamFault(Exception):
    """A stream that does not end where it should; read_stream adds the file and offset."""


class _OneStream:
    """The decompressed bytes of exactly one bz2 stream, read lazily from its ``start`` in an open file.

    With an ``end`` (the next stream's start), it reads no further and checks the stream ends right there:
    an index whose offsets miss a stream boundary would otherwise lose or repeat pages silently.
    """

    def __init__(self, f: IO[bytes], start: int, end: int | None) -> None:
        self._f = f
        self._start = start
        self._end = end
        self._fed = 0  # compressed bytes given to the decompressor
        self._decompressor = bz2.BZ2Decompressor()
        self._checked = False

    def read(self, size: int = -1) -> bytes:
        size = _CHUNK if size is None or size < 0 else size
        d = self._decompressor
        while not d.eof:
            if d.needs_input:
                data = self._f.read(self._budget())
                if not data:
                    raise _StreamFault(f"truncated: the file ends at byte {self._start + self._fed}, inside it")
                self._fed += len(data)
                out = d.decompress(data, size)
            else:
                out = d.decompress(b"", size)
            if out:
                return out
        if not self._checked:
            self._checked = True
            self._check_end()
        return b""

    def _budget(self) -> int:
        if self._end is None:
            return _CHUNK
        left = self._end - self._start - self._fed
        if left <= 0:
            raise _StreamFault(f"runs past offset {self._end}, where the index says the next stream starts")
        return min(_CHUNK, left)

    def _check_end(self) -> None:
        stream_end = self._start + self._fed - len(self._decompressor.unused_data)
        if self._end is not None and stream_end != self._end:
            raise _StreamFault(f"ends at byte {stream_end}, but the index says the next stream starts at "
                               f"{self._end} (a stream the index does not list?)")
