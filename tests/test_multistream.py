"""Multistream dumps read stream by stream: the same pages as read_dump, one stream alone, faults of one stream."""

from __future__ import annotations

import bz2
import shutil
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph.errors import InputError
from graph.wikitext.dump import DumpInfo, DumpPage, read_dump
from graph.wikitext.multistream import Stream, find_index, read_index, read_site_info, read_stream

from .conftest import shared_path
from .multistream import HEAD, SITEINFO, TAIL, page_xml, raw_pages, siteinfo_of, stream_pages, write_multistream

ENWIKI_BZ2 = "enwiki_gensim_p10p30302_shortened_dump.xml.bz2"
PER_STREAM = 7
NUPEDIA = "Wikipedia:Adding Wikipedia articles to Nupedia"  # the fixture's one page outside namespace 0


def fields(page: DumpPage) -> tuple:
    return page.title, page.namespace, page.page_id, page.text, page.redirect


@pytest.fixture(scope="module")
def enwiki_xml() -> bytes:
    return bz2.decompress(shared_path("fixtures", ENWIKI_BZ2).read_bytes())


@pytest.fixture(scope="module")
def enwiki(tmp_path_factory, enwiki_xml):
    """The shortened enwiki dump rewritten as a multistream dump, 7 pages a stream: (written, its streams)."""
    pages = raw_pages(enwiki_xml)
    assert len(pages) == 206
    written = write_multistream(pages, tmp_path_factory.mktemp("ms") / "enwiki-test-multistream.xml.bz2",
                                PER_STREAM, siteinfo_of(enwiki_xml))
    return written, read_index(str(written.index))


def all_pages(path: str, streams: list[Stream], namespaces=frozenset({0})) -> list[DumpPage]:
    info = read_site_info(path)
    return [page for stream in streams for page in read_stream(path, stream, info, namespaces)]


def copy_of(written, tmp_path: Path, name: str = "copy-multistream.xml.bz2") -> Path:
    path = tmp_path / name
    shutil.copyfile(written.dump, path)
    return path


def test_index_gives_each_stream_its_byte_range_and_pages(enwiki, enwiki_xml):
    written, streams = enwiki
    titles = [p.title for p in read_dump(str(written.dump), namespaces=None)[1]]
    assert len(streams) == -(-206 // PER_STREAM) == 30
    assert [s.start for s in streams] == written.offsets[1:-1]  # not the head's, not the tail's
    assert [s.end for s in streams] == [*written.offsets[2:-1], None]
    assert [s.pages for s in streams] == [PER_STREAM] * 29 + [206 - 29 * PER_STREAM]
    assert [s.first_title for s in streams] == titles[::PER_STREAM]


def test_every_page_through_the_streams_is_read_dumps_page_in_order(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    for namespaces in (frozenset({0}), None):
        through_streams = all_pages(path, streams, namespaces)
        # read_dump reads the same file from end to end (Python's bz2 reads concatenated streams) …
        _, sequential = read_dump(path, namespaces=namespaces)
        # … and the original single-stream fixture gives the same pages
        _, original = read_dump(str(shared_path("fixtures", ENWIKI_BZ2)), namespaces=namespaces)
        expected = [fields(p) for p in original]
        assert len(expected) == (205 if namespaces else 206)
        assert [fields(p) for p in through_streams] == [fields(p) for p in sequential] == expected


def test_offset_hint_names_the_stream_and_the_page_in_it(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    info = read_site_info(path)
    _, sequential = read_dump(path, namespaces=None)
    sequential_hints = [p.offset_hint for p in sequential]
    before = 0
    for stream in streams:
        pages = list(read_stream(path, stream, info, None))
        assert [p.offset_hint for p in pages] == [f"{path}@{stream.start}#page={k}" for k in range(1, len(pages) + 1)]
        # read_dump's #page=N is the same page: N = K + the pages of the streams before
        assert sequential_hints[before:before + len(pages)] == [f"{path}#page={before + k}"
                                                                for k in range(1, len(pages) + 1)]
        named_as_read_dump = [p.offset_hint for p in read_stream(path, stream, info, None, pages_before=before)]
        assert named_as_read_dump == sequential_hints[before:before + len(pages)]
        before += stream.pages


def test_site_info_comes_from_the_first_stream_only(enwiki, tmp_path):
    written, streams = enwiki
    path = copy_of(written, tmp_path)
    data = bytearray(path.read_bytes())
    data[streams[0].start:] = b"\xff" * (len(data) - streams[0].start)  # every page stream destroyed
    path.write_bytes(bytes(data))
    info = read_site_info(str(path))
    assert info == DumpInfo(lang="en", sitename="Wikipedia")
    assert dict(info.namespaces)["Wikipedia"] == 4
    with pytest.raises(InputError):  # the rest of the file is really unreadable
        list(read_dump(str(path))[1])


def test_one_middle_stream_alone_gives_exactly_its_pages(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    _, sequential = read_dump(path, namespaces=None)
    every = list(sequential)
    info = read_site_info(path)
    middle = streams[15]
    assert [fields(p) for p in read_stream(path, middle, info, None)] == [fields(p) for p in every[105:112]]

    # the stream with the one namespace-4 page: the default leaves it out, {4} gives only it
    position = [p.title for p in every].index(NUPEDIA)
    holder = streams[position // PER_STREAM]
    default = [p.title for p in read_stream(path, holder, info)]
    assert NUPEDIA not in default and len(default) == holder.pages - 1
    assert [p.title for p in read_stream(path, holder, info, {4})] == [NUPEDIA]


def test_titles_with_colons_in_the_index(enwiki_xml, tmp_path):
    pages = raw_pages(enwiki_xml)
    nupedia = next(i for i, p in enumerate(pages) if f"<title>{NUPEDIA}</title>" in p)
    star_wars = DumpPage("Star Wars: Episode IV – A New Hope: 1977", 0, 9_000_001, "'''Star Wars''' x", None, "")
    written = write_multistream([*pages[nupedia:nupedia + 3], star_wars, pages[0]], tmp_path / "c-multistream.xml.bz2",
                                pages_per_stream=3, siteinfo=siteinfo_of(enwiki_xml))
    lines = bz2.decompress(written.index.read_bytes()).decode("utf-8").splitlines()
    assert lines[3] == f"{written.offsets[2]}:9000001:Star Wars: Episode IV – A New Hope: 1977"
    streams = read_index(str(written.index))
    assert [s.first_title for s in streams] == [NUPEDIA, star_wars.title]
    info = read_site_info(str(written.dump))
    assert [p.title for p in read_stream(str(written.dump), streams[1], info)] == [star_wars.title,
                                                                                  "AccessibleComputing"]
    assert [p.namespace for p in read_stream(str(written.dump), streams[0], info, None)][0] == 4


def test_find_index_by_wikimedias_names(tmp_path):
    dump = tmp_path / "enwiki-20240601-pages-articles-multistream.xml.bz2"
    assert find_index(str(dump)) is None  # not there
    index = tmp_path / "enwiki-20240601-pages-articles-multistream-index.txt.bz2"
    index.write_bytes(b"")
    assert find_index(str(dump)) == str(index)
    part = tmp_path / "enwiki-20240601-pages-articles-multistream1.xml-p1p41242.bz2"
    part_index = tmp_path / "enwiki-20240601-pages-articles-multistream-index1.txt-p1p41242"  # decompressed
    part_index.write_bytes(b"")
    assert find_index(str(part)) == str(part_index)
    assert find_index(str(tmp_path / "enwiki-20240601-pages-articles.xml.bz2")) is None  # not multistream


def test_offset_past_the_end_of_the_file(enwiki):
    written, _ = enwiki
    path = str(written.dump)
    past = Stream(written.size + 100, None, 1, "AccessibleComputing")
    with pytest.raises(InputError, match=rf"{path}: stream offset {past.start} is past the end of the file"):
        list(read_stream(path, past, read_site_info(path)))


def test_offset_inside_a_stream_is_refused_and_the_others_stay_readable(enwiki, tmp_path):
    written, streams = enwiki
    lines = bz2.decompress(written.index.read_bytes()).decode("utf-8").splitlines(keepends=True)
    moved = streams[10].start + 40  # inside stream 10's compressed bytes
    lines = [line.replace(f"{streams[10].start}:", f"{moved}:", 1) if line.startswith(f"{streams[10].start}:")
             else line for line in lines]
    index = tmp_path / "moved-index.txt.bz2"
    index.write_bytes(bz2.compress("".join(lines).encode("utf-8")))
    bad = read_index(str(index))
    path = str(written.dump)
    info = read_site_info(path)
    assert bad[10].start == moved
    with pytest.raises(InputError, match=rf"{path}: offset {moved} is not the start of a bz2 stream"):
        list(read_stream(path, bad[10], info))
    # stream 9 is told it runs to the moved offset, but it ends at the real one: refused, not a page lost
    with pytest.raises(InputError, match=rf"stream at offset {streams[9].start}: ends at byte {streams[10].start}, "
                                         rf"but the index says the next stream starts at {moved}"):
        list(read_stream(path, bad[9], info))
    assert len(list(read_stream(path, bad[11], info, None))) == PER_STREAM


def test_stream_running_past_the_next_offset_is_refused(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    short = Stream(streams[3].start, streams[3].start + 100, streams[3].pages, streams[3].first_title)
    with pytest.raises(InputError, match=rf"stream at offset {short.start}: runs past offset {short.end}"):
        list(read_stream(path, short, read_site_info(path)))


def test_truncated_file_keeps_the_earlier_streams_readable(enwiki, tmp_path):
    written, streams = enwiki
    path = copy_of(written, tmp_path)
    cut = streams[20]
    path.write_bytes(path.read_bytes()[:cut.start + (cut.end - cut.start) // 2])
    name = str(path)
    info = read_site_info(name)
    _, whole = read_dump(str(written.dump), namespaces=None)
    assert [fields(p) for p in all_pages(name, streams[:20], None)] == [fields(p) for p in whole][:20 * PER_STREAM]
    with pytest.raises(InputError, match=rf"{name}: stream at offset {cut.start}: truncated"):
        list(read_stream(name, cut, info, None))
    with pytest.raises(InputError, match=rf"stream offset {streams[21].start} is past the end of the file"):
        list(read_stream(name, streams[21], info))


def test_corrupt_stream_names_its_offset_and_spoils_no_other(enwiki, tmp_path):
    written, streams = enwiki
    path = copy_of(written, tmp_path)
    data = bytearray(path.read_bytes())
    bad = streams[5]
    middle = (bad.start + bad.end) // 2
    data[middle:middle + 64] = bytes(64)
    path.write_bytes(bytes(data))
    name = str(path)
    info = read_site_info(name)
    with pytest.raises(InputError, match=rf"{name}: stream at offset {bad.start}: "):
        list(read_stream(name, bad, info))
    for neighbour in (streams[4], streams[6]):
        assert len(list(read_stream(name, neighbour, info, None))) == PER_STREAM


def test_head_and_tail_streams_are_not_page_streams(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    info = read_site_info(path)
    head = Stream(0, streams[0].start, 1, "x")
    with pytest.raises(InputError, match="stream at offset 0: starts with <mediawiki>, not <page>"):
        list(read_stream(path, head, info))
    tail = Stream(written.offsets[-1], None, 1, "x")
    with pytest.raises(InputError, match=rf"stream at offset {tail.start}: does not start with a <page>"):
        list(read_stream(path, tail, info))


def test_an_index_of_another_dump_is_caught(enwiki):
    written, streams = enwiki
    path = str(written.dump)
    info = read_site_info(path)
    renamed = Stream(streams[2].start, streams[2].end, streams[2].pages, "Some other title")
    with pytest.raises(InputError, match="its first page is .* the index says 'Some other title'"):
        list(read_stream(path, renamed, info))
    fewer = Stream(streams[2].start, streams[2].end, 5, streams[2].first_title)
    with pytest.raises(InputError, match="holds 7 pages, the index says 5"):
        list(read_stream(path, fewer, info))


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "lists no pages"),
    (b"617:10:AccessibleComputing\nnot an index line\n", r"line 2 is not OFFSET:PAGE_ID:TITLE"),
    (b"617:x:Title\n", r"line 1 is not OFFSET:PAGE_ID:TITLE"),
    (b"BZh9" + bytes(100), "cannot read or decompress the multistream index"),
])
def test_missing_or_unreadable_index(tmp_path, content, message):
    index = tmp_path / "x-multistream-index.txt.bz2"
    if content is not None:
        index.write_bytes(content if content.startswith(b"BZh") or not content else bz2.compress(content))
    with pytest.raises(InputError, match=rf"{index}: .*{message}"):
        read_index(str(index))


def test_a_missing_dump_or_a_plain_xml_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_site_info(str(tmp_path / "nope-multistream.xml.bz2"))
    plain = tmp_path / "plain.xml"
    plain.write_bytes(HEAD.encode() + SITEINFO.encode() + TAIL.encode())
    with pytest.raises(InputError, match="offset 0 is not the start of a bz2 stream"):
        read_site_info(str(plain))


def concatenated(tmp_path: Path, *chunks: bytes) -> tuple[str, list[int]]:
    """A multistream file of the given decompressed chunks, and each chunk's offset."""
    path = tmp_path / "hostile-multistream.xml.bz2"
    offsets, data = [], b""
    for chunk in chunks:
        offsets.append(len(data))
        data += bz2.compress(chunk)
    path.write_bytes(data)
    return str(path), offsets


PAGE = b"<page><title>A</title><ns>0</ns><id>1</id><revision><text>%s</text></revision></page>"
LAUGHS = (b'<!DOCTYPE mediawiki [<!ENTITY a "aaaaaaaaaa">'
          + b"".join(b'<!ENTITY %c "%s">' % (98 + i, b"&%c;" % (97 + i) * 10) for i in range(9)) + b"]>")


@pytest.mark.parametrize("page_stream, reason", [
    (PAGE % b"&x;", "undefined entity"),  # no DTD in a page stream: only XML's own entities
    # a doctype is not looked into: the stream does not start with <page>
    (b'<!DOCTYPE page [<!ENTITY x "y">]>' + PAGE % b"&x;", "does not start with a <page> element"),
    (b'<?xml version="1.0"?>' + PAGE % b"a", "XML or text declaration not at start of entity"),
    (PAGE % b'&#0;', "reference to invalid character number"),
])
def test_hostile_page_stream_is_refused_like_read_dump_refuses_it(tmp_path, page_stream, reason):
    path, offsets = concatenated(tmp_path, HEAD.encode() + SITEINFO.encode(), page_stream, TAIL.encode())
    stream = Stream(offsets[1], offsets[2], 1, "A")
    with pytest.raises(InputError, match=rf"{path}: stream at offset {offsets[1]}: .*{reason}"):
        list(read_stream(path, stream, read_site_info(path)))
    with pytest.raises(InputError, match="broken"):  # the whole file read from the start is refused too
        list(read_dump(path)[1])


@pytest.mark.parametrize("head, reason", [
    (LAUGHS + HEAD.encode() + b"<siteinfo><sitename>&j;</sitename></siteinfo>", "amplification"),
    (b'<!DOCTYPE mediawiki [<!ENTITY e SYSTEM "file:///etc/passwd">]>' + HEAD.encode()
     + b"<siteinfo><sitename>&e;</sitename></siteinfo>", "undefined entity"),
])
def test_hostile_head_is_refused_like_read_dump_refuses_it(tmp_path, head, reason):
    path, _ = concatenated(tmp_path, head, PAGE % b"a", TAIL.encode())
    with pytest.raises(InputError, match=rf"{path}: first stream \(offset 0\): broken .*{reason}"):
        read_site_info(path)
    with pytest.raises(InputError, match=reason):
        read_dump(path)


def test_one_stream_is_read_in_bounded_memory(tmp_path):
    body = "Some '''wikitext''' with a [[link]] and a {{template|x=1}}. " * 16  # ~1 KB a page
    pages = [DumpPage(f"Page {i}", 0, i, body, None, "") for i in range(1, 3001)]
    written = write_multistream(pages, tmp_path / "big-multistream.xml.bz2", pages_per_stream=3000)
    (stream,) = read_index(str(written.index))
    path = str(written.dump)
    info = read_site_info(path)
    tracemalloc.start()
    try:
        titles = [p.title for p in read_stream(path, stream, info)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert titles == [p.title for p in pages]
    # the stream decompresses to ~3.5 MB: decompressing it whole, or keeping its tree, would hold that
    assert peak < 1_500_000, f"peak {peak} bytes for one stream of {len(pages)} pages"


# XML 1.0's characters (no controls but tab, newline, carriage return; no surrogates, no U+FFFE/FFFF)
xml_text = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff")
                   | st.sampled_from("\t\n\r"), max_size=60)
titles = st.text(st.characters(exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff"),
                 min_size=1, max_size=20)


@st.composite
def page_lists(draw) -> list[DumpPage]:
    n = draw(st.integers(1, 25))
    return [DumpPage(title=draw(titles) + f" {i}", namespace=draw(st.sampled_from([0, 0, 1, 4, 10])), page_id=i + 1,
                     text=draw(xml_text), redirect=draw(st.none() | titles), offset_hint="") for i in range(n)]


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(pages=page_lists(), per_stream=st.integers(1, 9))
def test_reading_every_stream_gives_back_every_page_in_order(pages, per_stream):
    with tempfile.TemporaryDirectory() as folder:
        written = write_multistream(pages, Path(folder) / "p-multistream.xml.bz2", per_stream)
        path = str(written.dump)
        streams = read_index(str(written.index))
        assert [s.pages for s in streams] == [len(group) for group in stream_pages(pages, per_stream)]
        read = all_pages(path, streams, None)
        assert [fields(p) for p in read] == [fields(p) for p in pages]
        assert [fields(p) for p in read_dump(path, namespaces=None)[1]] == [fields(p) for p in pages]
        assert [fields(p) for p in all_pages(path, streams)] == [fields(p) for p in pages if p.namespace == 0]


def test_page_xml_round_trips_what_a_dump_page_keeps():
    page = DumpPage("A & <B>", 0, 3, 'x\r\ny & "z" <ref/>\ttab', "C \"quoted\"\n", "")
    written = read_back(page_xml(page))
    assert fields(written) == fields(page)


def read_back(xml: str) -> DumpPage:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "one.xml"
        path.write_text(xml, encoding="utf-8")
        return next(read_dump(str(path), namespaces=None)[1])
