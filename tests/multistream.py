"""Write multistream dumps the way Wikimedia does, for tests and benchmarks (a helper, not a test module).

``write_multistream(pages, "X-multistream.xml.bz2")`` writes the dump (a bz2 stream for ``<mediawiki>`` and
``<siteinfo>``, one per ``pages_per_stream`` pages, one for ``</mediawiki>``) and its index
``X-multistream-index.txt.bz2`` (``OFFSET:PAGE_ID:TITLE`` a page). Pages are ``<page>`` XML strings, written
as they are, or ``DumpPage``s (from ``read_dump``), written back as XML.
"""

from __future__ import annotations

import bz2
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

from graph.wikitext.dump import DumpPage

HEAD = ('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.mediawiki.org/xml/export-0.11/ http://www.mediawiki.org/xml/export-0.11.xsd" '
        'version="0.11" xml:lang="en">\n')
SITEINFO = """  <siteinfo>
    <sitename>Wikipedia</sitename>
    <dbname>enwiki</dbname>
    <base>https://en.wikipedia.org/wiki/Main_Page</base>
    <generator>MediaWiki 1.43.0-wmf.1</generator>
    <case>first-letter</case>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">Talk</namespace>
      <namespace key="4" case="first-letter">Wikipedia</namespace>
      <namespace key="10" case="first-letter">Template</namespace>
    </namespaces>
  </siteinfo>
"""
TAIL = "</mediawiki>\n"


@dataclass(frozen=True)
class Written:
    """What write_multistream wrote: the files and each stream's byte offset (siteinfo's and the tail's too)."""

    dump: Path
    index: Path
    offsets: list[int]  # [0 (head), page streams…, the </mediawiki> stream]
    size: int


def index_path_of(dump: str | Path) -> Path:
    """Wikimedia's name for the index of ``X-multistream.xml.bz2``: ``X-multistream-index.txt.bz2``."""
    name = str(dump)
    if not name.endswith("-multistream.xml.bz2"):
        raise ValueError(f"{name}: a multistream dump's name ends in -multistream.xml.bz2")
    return Path(name.removesuffix(".xml.bz2") + "-index.txt.bz2")


def write_multistream(pages: Iterable[str | DumpPage], path: str | Path, pages_per_stream: int = 100,
                      siteinfo: str | None = SITEINFO) -> Written:
    """Write ``pages`` as a multistream dump at ``path`` (named ``…-multistream.xml.bz2``) and its index."""
    if pages_per_stream < 1:
        raise ValueError("pages_per_stream must be at least 1")
    dump = Path(path)
    index = index_path_of(dump)
    xml = [p if isinstance(p, str) else page_xml(p) for p in pages]
    offsets: list[int] = []
    lines: list[str] = []
    with dump.open("wb") as out:
        def stream(text: str) -> None:
            offsets.append(out.tell())
            out.write(bz2.compress(text.encode("utf-8")))

        stream(HEAD + (siteinfo or ""))
        for first in range(0, len(xml), pages_per_stream):
            group = xml[first:first + pages_per_stream]
            offset = out.tell()
            lines.extend(f"{offset}:{page_id}:{title}\n" for title, page_id in map(title_and_id, group))
            stream("".join(group))
        stream(TAIL)
        size = out.tell()
    index.write_bytes(bz2.compress("".join(lines).encode("utf-8")))
    return Written(dump, index, offsets, size)


def page_xml(page: DumpPage) -> str:
    """A ``<page>`` as Wikimedia writes it, with what a DumpPage keeps (no timestamps, no contributors)."""
    if page.page_id is None:
        raise ValueError(f"{page.title!r}: a page needs an id for the index")
    redirect = "" if page.redirect is None else f"    <redirect title={_attr(page.redirect)} />\n"
    return (f"  <page>\n    <title>{_text(page.title)}</title>\n    <ns>{page.namespace}</ns>\n"
            f"    <id>{page.page_id}</id>\n{redirect}    <revision>\n"
            f'      <text bytes="{len(page.text.encode("utf-8"))}" xml:space="preserve">{_text(page.text)}</text>\n'
            "    </revision>\n  </page>\n")


def title_and_id(page: str) -> tuple[str, int]:
    elem = ET.fromstring(page)
    title, page_id = elem.findtext("title"), elem.findtext("id")
    if title is None or page_id is None:
        raise ValueError(f"a page needs a <title> and an <id> for the index: {page[:200]!r}")
    return title, int(page_id)


def raw_pages(xml: bytes) -> list[str]:
    """The ``<page>`` elements of a decompressed dump as they are written (the fixtures have no attributes)."""
    return [m.group().decode("utf-8") for m in re.finditer(rb"  <page>.*?</page>\n", xml, re.S)]


def siteinfo_of(xml: bytes) -> str | None:
    m = re.search(rb"  <siteinfo>.*?</siteinfo>\n", xml, re.S)
    return m.group().decode("utf-8") if m else None


def stream_pages(pages: Sequence, pages_per_stream: int) -> list[list]:
    """``pages`` cut as write_multistream cuts them, one list a stream."""
    return [list(pages[i:i + pages_per_stream]) for i in range(0, len(pages), pages_per_stream)]


def _text(value: str) -> str:
    # a carriage return would be read back as a newline unless written as a character reference
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def _attr(value: str) -> str:
    return '"' + _text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;") + '"'
