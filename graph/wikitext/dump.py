"""Read stage for MediaWiki XML dumps: stream pages out of a (compressed) export file in bounded memory.

A pages-articles dump is tens of GB once decompressed, so nothing here holds more than one page: the
XML is parsed incrementally with ``iterparse`` and every finished element is cleared. Bare ``<page>``
fragments (no ``<mediawiki>`` root, no ``<siteinfo>``) are read too, by wrapping them in a synthetic root.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zlib
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, cast
from urllib.parse import urlsplit

from graph.data.regex_cache import regex
from graph.errors import InputError

if TYPE_CHECKING:  # the XML reader is imported when a dump is read: a one-article run reads none (1.5 ms)
    from xml.etree import ElementTree as ET

DUMP_SUFFIXES = (".xml", ".xml.bz2", ".xml.gz", ".xml.xz")

# Magic numbers decide the decompressor, not the file name: Wikimedia's own chunk names
# (enwiki-…-pages-articles1.xml-p1p41242.bz2) and renamed downloads do not end in ".xml.bz2".
_MAGIC = ((b"BZh", bz2.open), (b"\x1f\x8b", gzip.open), (b"\xfd7zXZ\x00", lzma.open))
_DECOMPRESS_ERRORS = (OSError, EOFError, lzma.LZMAError, zlib.error)
_SYNTHETIC_ROOT = b"<root>"
_PROLOG_LIMIT = 1 << 20  # a prolog (declaration, comments, doctype) longer than this is not a dump
# dbnames of Wikimedia projects that are not a language edition (commonswiki, metawiki, …)
_NOT_LANGUAGES = {"commons", "meta", "species", "wikidata", "mediawiki", "incubator", "sources", "test",
                  "test2", "outreach", "foundation", "www", "beta"}
_LANG_CODE = regex(r"[a-z]{2,3}(?:-[a-z0-9]+)*|simple")
REDIRECT_IN_TEXT = regex(r"\A\s*#\s*\S+\s*:?\s*\[\[([^\]|#]+)")


@dataclass(frozen=True)
class Revision:
    """Which revision of which page a dump holds: what the provenance names (its oldid URL, ids, time)."""

    page_id: int | None = None
    revision_id: int | None = None
    timestamp: str | None = None  # ISO 8601 in UTC, as the dump writes it ("2016-04-29T16:31:10Z")


@dataclass(frozen=True)
class DumpPage:
    """One page of an XML dump: its title, namespace, ids, wikitext and, for a redirect, its target."""

    title: str
    namespace: int  # <ns>
    page_id: int | None
    text: str  # the latest revision's wikitext ('' if none)
    redirect: str | None  # <redirect title="..."/> target
    offset_hint: str  # e.g. "dump.xml.bz2#page=12" (1-based, counting every page of the dump) for diagnostics
    revision_id: int | None = None  # the latest revision's <id>
    timestamp: str | None = None  # the latest revision's <timestamp>

    @property
    def revision(self) -> Revision:
        return Revision(self.page_id, self.revision_id, self.timestamp)


@dataclass(frozen=True)
class DumpInfo:
    """What a dump's ``<siteinfo>`` says: the wiki's language, its name and its namespaces."""

    lang: str | None  # from <siteinfo> dbname (zhwiki → zh) or base URL host; None for a bare <page> fragment
    sitename: str | None
    # <siteinfo>'s namespace names → keys, which place a page without <ns> (export schemas before 0.6); a
    # multistream reader hands them from the first stream to the others. Pairs, so a DumpInfo stays hashable
    # and picklable for worker processes; not compared, as they say nothing about the site's language.
    namespaces: tuple[tuple[str, int], ...] = field(default=(), compare=False, repr=False)


def is_dump(path: str) -> bool:
    """True for a MediaWiki XML export: by its name, else by its first bytes (``<mediawiki`` or ``<page``)."""
    if path == "-":
        return False
    if path.lower().endswith(DUMP_SUFFIXES):
        return True
    p = Path(path)
    if not p.is_file():
        return False
    try:
        with _open_binary(path) as stream:
            head = stream.read(4096)
    except (*_DECOMPRESS_ERRORS, ValueError):
        return False
    name = _first_element(head)
    return name is not None and name[1] in (b"mediawiki", b"page")


class ReadPosition:
    """How far into its file a dump's reading is, in bytes of the file as stored (compressed): a plain dump's
    progress, where no index tells how many pages there are."""

    def __init__(self) -> None:
        self.raw: IO[bytes] | None = None
        self.closed_at = 0  # where the reading ended: a last batch is handed on after the file is closed

    def tell(self) -> int:
        try:
            return self.raw.tell() if self.raw is not None and not self.raw.closed else self.closed_at
        except (OSError, ValueError):
            return self.closed_at

    def close(self) -> None:
        if self.raw is not None:
            self.closed_at = self.tell()
            self.raw.close()


def read_dump(path: str, namespaces: Collection[int] | None = frozenset({0}), position: ReadPosition | None = None
              ) -> tuple[DumpInfo, Iterator[DumpPage]]:
    """Open a dump and return its site info and a lazy iterator over its pages in ``namespaces`` (None: all).

    The site info is read eagerly (it precedes the first page), so a file that cannot be opened or is
    broken before its first page raises ``InputError`` here; later damage raises from the iterator, after
    the pages before it were yielded.
    """
    wanted = None if namespaces is None else frozenset(namespaces)
    gen = _read(path, wanted, position or ReadPosition())
    # the generator yields the DumpInfo first: priming it here means the file is opened inside its
    # try/finally, so closing (or dropping) the iterator closes the file even if no page was read
    info = next(gen, None)
    if not isinstance(info, DumpInfo):  # no document, or one the reader could not place: never a crash
        gen.close()
        raise InputError(f"{path}: not a MediaWiki export (no <mediawiki> or <page> document found)")
    return info, cast(Iterator[DumpPage], gen)


def _read(path: str, wanted: frozenset[int] | None, position: ReadPosition) -> Iterator[DumpInfo | DumpPage]:
    from xml.etree import ElementTree as ET

    stream: IO[bytes] | None = None
    rooted: _Rooted | None = None
    progress = _Progress()
    try:
        try:
            stream, position.raw = _open_counted(path)
        except FileNotFoundError:
            raise InputError(f"{path}: no such file") from None
        except IsADirectoryError:
            raise InputError(f"{path}: is a folder, not a dump") from None
        rooted = _Rooted(stream)
        yield from _parse(rooted, wanted, {}, lambda n: f"{path}#page={n}", progress)
    except ET.ParseError as e:
        raise InputError(f"{path}: {_xml_error(e, rooted)}{_where(progress.pages_seen, progress.last_title)}"
                         ) from None
    except _DECOMPRESS_ERRORS as e:
        raise InputError(f"{path}: cannot read or decompress ({type(e).__name__}: {e})"
                         f"{_where(progress.pages_seen, progress.last_title)}") from None
    finally:
        if stream is not None:
            stream.close()
        position.close()  # a decompressor given a file object leaves it open


class _Progress:
    """How far a parse got, for the message of an error raised after it: pages read, the last one's title."""

    def __init__(self) -> None:
        self.pages_seen = 0
        self.last_title: str | None = None


def _parse(rooted: _Rooted, wanted: frozenset[int] | None, ns_names: dict[str, int],
           hint: Callable[[int], str], progress: _Progress) -> Iterator[DumpInfo | DumpPage]:
    """The pages of one XML document (a whole dump, or one multistream stream inside a synthetic root).

    Yields one ``DumpInfo`` first (from ``<siteinfo>``; an empty one at the first page when there is none),
    then the pages in ``wanted`` namespaces. ``hint(n)`` names the n-th page (1-based, counting every page);
    ``ns_names`` places pages without ``<ns>`` until a ``<siteinfo>`` gives its own.
    """
    from xml.etree import ElementTree as ET

    info: DumpInfo | None = None
    root: ET.Element | None = None
    latest_text, latest_id, latest_time = "", None, None
    for event, elem in ET.iterparse(rooted, events=("start", "end")):
        if event == "start":
            if root is None:
                root = elem
            elif info is None and _local(elem.tag) == "page":
                info = DumpInfo(None, None)  # no <siteinfo> before the first page
                yield info
            continue
        # renaming as elements end means a whole finished subtree has local names for find()
        tag = elem.tag = _local(elem.tag)
        if tag == "siteinfo" and info is None:
            info = _site_info(elem)
            ns_names = dict(info.namespaces)
            elem.clear()
            yield info
        elif tag == "revision":
            # dumps list revisions oldest first: the last one read is the latest; clearing each one
            # keeps a full-history page at one revision's size
            latest_text = elem.findtext("text") or ""
            latest_id, latest_time = _number(elem.findtext("id")), (elem.findtext("timestamp") or "").strip() or None
            elem.clear()
        elif tag == "page":
            progress.pages_seen += 1
            page = replace(_page(elem, latest_text, ns_names, hint(progress.pages_seen)), revision_id=latest_id,
                           timestamp=latest_time)
            progress.last_title = page.title
            elem.clear()
            if root is not None:
                root.clear()  # drop the emptied <page> shells too, or a long dump keeps one per page
            latest_text, latest_id, latest_time = "", None, None
            if wanted is None or page.namespace in wanted:
                yield page
    if info is None:  # a well-formed file without a single page or siteinfo
        yield DumpInfo(None, None)


def _xml_error(e: ET.ParseError, rooted: _Rooted | None) -> str:
    """An expat error as the CLI reports positions: in the file's own lines, with a 1-based column."""
    line, col = e.position
    if rooted is not None:
        line, col = rooted.unshift(line, col)
    reason = str(e).rsplit(": line ", 1)[0]
    return f"broken or truncated XML at line {line}, column {col + 1} ({reason})"


def _where(pages_seen: int, last_title: str | None) -> str:
    if not pages_seen:
        return ", before the first page"
    return f", after page {pages_seen} ({last_title!r})"


def _page(elem: ET.Element, text: str, ns_names: dict[str, int], hint: str) -> DumpPage:
    title = elem.findtext("title") or ""
    ns_text = elem.findtext("ns")
    if ns_text is None:
        namespace = _namespace_from_title(title, ns_names)  # export schemas before 0.6 have no <ns>
    else:
        try:
            namespace = int(ns_text.strip())
        except ValueError:
            raise InputError(f"{hint}: page {title!r} has a non-numeric <ns> {ns_text!r}") from None
    page_id = elem.findtext("id")
    redirect_elem = elem.find("redirect")
    redirect: str | None = None
    if redirect_elem is not None:
        # old schemas write a bare <redirect/>: the target is then only in the #REDIRECT line
        redirect = redirect_elem.get("title")
        if redirect is None:
            m = REDIRECT_IN_TEXT.match(text)
            redirect = m.group(1).strip() if m else ""
    return DumpPage(title=title, namespace=namespace,
                    page_id=_number(page_id),
                    text=text, redirect=redirect, offset_hint=hint)


def _number(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() else None


def _site_info(elem: ET.Element) -> DumpInfo:
    return DumpInfo(lang=_lang(elem.findtext("dbname"), elem.findtext("base")), sitename=elem.findtext("sitename"),
                    namespaces=tuple(_namespace_names(elem).items()))


def _lang(dbname: str | None, base: str | None) -> str | None:
    if dbname and dbname.strip().endswith("wiki"):
        code = dbname.strip()[: -len("wiki")].replace("_", "-")  # zh_yuewiki → zh-yue
        if code not in _NOT_LANGUAGES and _LANG_CODE.fullmatch(code):
            return code
    host = urlsplit(base.strip()).hostname if base else None
    if host and host.count(".") >= 2:
        code = host.split(".")[0]
        if code not in _NOT_LANGUAGES and _LANG_CODE.fullmatch(code):
            return code
    return None


def _namespace_names(siteinfo: ET.Element) -> dict[str, int]:
    names: dict[str, int] = {}
    for ns in siteinfo.iter("namespace"):
        key = ns.get("key")
        if ns.text and key and key.lstrip("-").isdigit():
            names[ns.text.strip()] = int(key)
    return names


def _namespace_from_title(title: str, ns_names: dict[str, int]) -> int:
    prefix, sep, _ = title.partition(":")
    return ns_names.get(prefix, 0) if sep else 0


def _local(tag: str) -> str:
    return tag.rpartition("}")[2] if tag.startswith("{") else tag


def _open_binary(path: str) -> IO[bytes]:
    with open(path, "rb") as f:
        magic = f.read(6)
    for prefix, opener in _MAGIC:
        if magic.startswith(prefix):
            return cast(IO[bytes], opener(path, "rb"))
    return open(path, "rb")  # noqa: SIM115 - closed by the caller


def _open_counted(path: str) -> tuple[IO[bytes], IO[bytes]]:
    """The file decompressed, and the file itself, whose position is how far the reading got."""
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    try:
        magic = raw.read(6)
        raw.seek(0)
    except OSError:
        raw.close()
        raise
    for prefix, opener in _MAGIC:
        if magic.startswith(prefix):
            return cast(IO[bytes], opener(raw, "rb")), raw
    return raw, raw


_START_TAG = regex(rb"<([^\s/>]+)[\s/>]")


def _first_element(head: bytes) -> tuple[int, bytes] | None:
    """(offset, local name) of the first element start tag in ``head``, skipping the prolog; None if not in it."""
    i = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        while i < len(head) and head[i:i + 1].isspace():
            i += 1
        if head.startswith(b"<?", i):
            end, close = head.find(b"?>", i), 2
        elif head.startswith(b"<!--", i):
            end, close = head.find(b"-->", i), 3
        elif head.startswith(b"<!", i):  # <!DOCTYPE …>, and its internal subset […] if it has one
            bracket, end = head.find(b"[", i), head.find(b">", i)
            if 0 <= bracket < end:
                subset_end = head.find(b"]", bracket)
                end = head.find(b">", subset_end) if subset_end >= 0 else -1
            close = 1
        elif head.startswith(b"<", i):
            m = _START_TAG.match(head[i:])
            if not m:
                return None
            return i, m.group(1).rpartition(b":")[2]
        else:
            return None
        if end < 0:
            return None
        i = end + close


class _Rooted:
    """A read-only byte stream that wraps a rootless export (bare ``<page>`` elements) in ``<root>…</root>``.

    iterparse needs exactly one document element; a real dump has ``<mediawiki>`` and is passed through.
    A ``fragment`` (one multistream stream: only ``<page>`` elements) is always wrapped, from its first byte,
    so a prolog there (an XML declaration, a doctype) is an error, as it would be in the middle of the dump.
    ``first_name`` is the local name of the first element, if it was found.
    """

    def __init__(self, raw: IO[bytes], fragment: bool = False) -> None:
        self._raw = raw
        head = b""
        first = None
        while first is None and len(head) < _PROLOG_LIMIT:
            chunk = raw.read(65536)
            if not chunk:
                break
            head += chunk
            first = _first_element(head)
        self.first_name = first[1] if first is not None else None
        # no doctype before the first element: a page stream (a fragment of the dump) may not declare entities
        self.bare = first is not None and b"<!DOCTYPE" not in head[:first[0]].upper()
        # the synthetic root goes right before the first element, i.e. after any XML declaration (which must
        # stay first in the file), comment or doctype; a fragment's goes before everything
        at = 0 if fragment else first[0] if first is not None and first[1] != b"mediawiki" else None
        self._insert_at = at
        if at is not None:
            head = head[:at] + _SYNTHETIC_ROOT + head[at:]
            self._line = head.count(b"\n", 0, at) + 1
            self._col = at - (head.rfind(b"\n", 0, at) + 1)
        self._buffer = head
        self._tail_sent = self._insert_at is None

    def read(self, size: int = -1) -> bytes:
        if self._buffer:
            out = self._buffer if size < 0 else self._buffer[:size]
            self._buffer = self._buffer[len(out):]
            return out
        data = self._raw.read(size)
        if not data and not self._tail_sent:
            self._tail_sent = True
            return b"</root>"
        return data

    def unshift(self, line: int, col: int) -> tuple[int, int]:
        """A parser position in the wrapped stream → the same position in the file (0-based column)."""
        if self._insert_at is not None and line == self._line and col >= self._col + len(_SYNTHETIC_ROOT):
            col -= len(_SYNTHETIC_ROOT)
        return line, col
