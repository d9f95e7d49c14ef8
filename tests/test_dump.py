"""Streaming reader for MediaWiki XML dumps: real dumps, compressed and plain, broken ones, bounded memory."""

from __future__ import annotations

import bz2
import gzip
import lzma
import re
import time
import tracemalloc

import pytest

from graph.errors import InputError
from graph.wikitext.dump import DumpInfo, DumpPage, is_dump, read_dump

from .conftest import shared_path

ENWIKI_BZ2 = "enwiki_gensim_p10p30302_shortened_dump.xml.bz2"
ENWIKI_EXCERPT = "enwiki_dump_excerpt_american_revolutionary_war.xml"
ZHWIKI_BARE = "zhwiki_dump_sample_shuxue.xml"


def fixture(name: str) -> str:
    return str(shared_path("fixtures", name))


@pytest.fixture(scope="module")
def enwiki_xml() -> bytes:
    return bz2.decompress(shared_path("fixtures", ENWIKI_BZ2).read_bytes())


def independent_counts(xml: bytes) -> tuple[int, int, int]:
    """(all pages, namespace-0 pages, namespace-0 redirects), by regex rather than by an XML parser."""
    pages = re.findall(rb"<page>.*?</page>", xml, re.S)
    ns0 = [p for p in pages if re.search(rb"<ns>0</ns>", p)]
    return len(pages), len(ns0), sum(1 for p in ns0 if re.search(rb"<redirect\b", p))


def test_bz2_dump_pages_and_redirects_match_an_independent_count(enwiki_xml):
    info, pages = read_dump(fixture(ENWIKI_BZ2))
    pages = list(pages)
    total, ns0, redirects = independent_counts(enwiki_xml)
    assert (total, ns0, redirects) == (206, 205, 99)  # the fixture as described in SOURCES.md
    assert len(pages) == ns0
    assert sum(p.redirect is not None for p in pages) == redirects
    assert all(p.namespace == 0 for p in pages)
    assert info == DumpInfo(lang="en", sitename="Wikipedia")

    first = pages[0]
    assert first.title == "AccessibleComputing"
    assert (first.page_id, first.redirect) == (10, "Computer accessibility")
    assert first.text.startswith("#REDIRECT [[Computer accessibility]]")
    assert first.offset_hint.endswith(f"{ENWIKI_BZ2}#page=1")

    arw = [p for p in pages if p.title == "American Revolutionary War"]
    assert len(arw) == 1
    assert arw[0].redirect is None
    assert "{{Infobox military conflict" in arw[0].text
    # entities are decoded: the raw file has &lt;ref&gt;, the wikitext has <ref>
    assert "<ref" in arw[0].text and "&lt;ref" not in arw[0].text


def test_namespaces_none_gives_every_namespace(enwiki_xml):
    _, pages = read_dump(fixture(ENWIKI_BZ2), namespaces=None)
    pages = list(pages)
    assert len(pages) == independent_counts(enwiki_xml)[0]
    other = [p for p in pages if p.namespace != 0]
    assert [(p.title, p.namespace, p.redirect) for p in other] == [
        ("Wikipedia:Adding Wikipedia articles to Nupedia", 4, "Wikipedia:Nupedia and Wikipedia")]
    # the hint counts every page of the file, so it stays the same whatever the filter
    assert other[0].offset_hint.endswith("#page=178")
    _, only4 = read_dump(fixture(ENWIKI_BZ2), namespaces={4})
    assert [p.title for p in only4] == [other[0].title]


def test_excerpt_with_siteinfo_has_one_page():
    info, pages = read_dump(fixture(ENWIKI_EXCERPT))
    pages = list(pages)
    assert info.lang == "en"
    assert [p.title for p in pages] == ["American Revolutionary War"]
    assert pages[0].page_id == 771
    assert "Infobox military conflict" in pages[0].text


def test_bare_zh_page_without_root_or_siteinfo():
    info, pages = read_dump(fixture(ZHWIKI_BARE))
    pages = list(pages)
    assert info == DumpInfo(lang=None, sitename=None)
    assert len(pages) == 1
    assert (pages[0].title, pages[0].namespace, pages[0].page_id) == ("数学", 0, 13)
    assert pages[0].text.startswith("{{NoteTA|G1=Science}}")
    assert pages[0].text.rstrip().endswith("[[Category:数学| ]]")


@pytest.mark.parametrize("suffix, compress", [(".xml", lambda b: b), (".xml.gz", gzip.compress),
                                              (".xml.xz", lambda b: lzma.compress(b, preset=0))])
def test_other_compressions_give_the_same_pages(tmp_path, enwiki_xml, suffix, compress):
    path = tmp_path / f"copy{suffix}"
    path.write_bytes(compress(enwiki_xml))
    info, pages = read_dump(str(path), namespaces=None)
    original_info, original = read_dump(fixture(ENWIKI_BZ2), namespaces=None)
    strip = [(p.title, p.namespace, p.page_id, p.text, p.redirect) for p in original]
    assert [(p.title, p.namespace, p.page_id, p.text, p.redirect) for p in pages] == strip
    assert info == original_info


def test_compression_is_found_by_content_not_name(tmp_path, enwiki_xml):
    # Wikimedia's chunk files are named like "…pages-articles1.xml-p1p41242.bz2"
    path = tmp_path / "enwiki-pages-articles1.xml-p10p30302"
    path.write_bytes(bz2.compress(enwiki_xml))
    assert is_dump(str(path))
    _, pages = read_dump(str(path))
    assert sum(1 for _ in pages) == 205


def test_namespaced_and_plain_tags_and_bare_pages_with_declaration(tmp_path):
    plain = tmp_path / "plain.xml"
    plain.write_text('<?xml version="1.0" encoding="utf-8"?>\n<!-- exported -->\n'
                     "<page><title>A</title><ns>0</ns><id>1</id><revision><text>one</text></revision></page>\n"
                     "<page><title>B</title><ns>0</ns><id>2</id><redirect title=\"A\"/>"
                     "<revision><text>#REDIRECT [[A]]</text></revision></page>\n", encoding="utf-8")
    _, pages = read_dump(str(plain))
    assert [(p.title, p.text, p.redirect) for p in pages] == [("A", "one", None), ("B", "#REDIRECT [[A]]", "A")]

    ns11 = tmp_path / "ns11.xml"
    ns11.write_text('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">'
                    "<siteinfo><sitename>维基百科</sitename><dbname>zhwiki</dbname></siteinfo>"
                    "<page><title>甲</title><ns>0</ns><id>5</id>"
                    "<revision><id>1</id><text>old</text></revision>"
                    "<revision><id>2</id><text>new</text></revision></page>"
                    "<page><title>乙</title><ns>0</ns><id>6</id>"
                    '<revision><text deleted="deleted"/></revision></page></mediawiki>', encoding="utf-8")
    info, pages = read_dump(str(ns11))
    assert info == DumpInfo(lang="zh", sitename="维基百科")
    # the latest revision wins; a deleted text is ''
    assert [(p.title, p.page_id, p.text) for p in pages] == [("甲", 5, "new"), ("乙", 6, "")]


@pytest.mark.parametrize("dbname, base, lang", [
    ("enwiki", None, "en"), ("zh_yuewiki", None, "zh-yue"), (None, "https://zh.wikipedia.org/wiki/Main", "zh"),
    ("commonswiki", "https://commons.wikimedia.org/wiki/Main_Page", None), (None, None, None)])
def test_language_from_dbname_or_base(tmp_path, dbname, base, lang):
    parts = [f"<dbname>{dbname}</dbname>" if dbname else "", f"<base>{base}</base>" if base else ""]
    path = tmp_path / "site.xml"
    path.write_text(f"<mediawiki><siteinfo>{''.join(parts)}</siteinfo></mediawiki>", encoding="utf-8")
    info, pages = read_dump(str(path))
    assert info.lang == lang
    assert list(pages) == []


def test_truncated_dump_yields_earlier_pages_then_raises(tmp_path, enwiki_xml):
    ends = [m.end() for m in re.finditer(rb"</page>", enwiki_xml)]
    cut = ends[49] + (ends[50] - ends[49]) // 2  # in the middle of the 51st page
    path = tmp_path / "cut.xml"
    path.write_bytes(enwiki_xml[:cut])
    expected = independent_counts(enwiki_xml[: ends[49]])[1]  # namespace-0 pages complete before the cut

    seen: list[DumpPage] = []
    _, pages = read_dump(str(path))
    with pytest.raises(InputError) as err:
        for page in pages:
            seen.append(page)
    assert len(seen) == expected == 50
    message = str(err.value)
    assert "cut.xml" in message and "\n" not in message
    last_line = enwiki_xml[:cut].count(b"\n") + 1
    assert f"line {last_line}," in message  # where the file ends
    assert "after page 50" in message


def test_truncated_and_corrupt_bz2_raise_input_error(tmp_path, enwiki_xml):
    data = shared_path("fixtures", ENWIKI_BZ2).read_bytes()
    short = tmp_path / "short.xml.bz2"
    short.write_bytes(data[: len(data) // 2])
    _, pages = read_dump(str(short))
    seen = 0
    with pytest.raises(InputError, match="short.xml.bz2"):
        for _ in pages:
            seen += 1
    assert 0 < seen < 205

    corrupt = tmp_path / "corrupt.xml.bz2"
    corrupt.write_bytes(data[:2000] + bytes(5000) + data[7000:])
    with pytest.raises(InputError, match="corrupt.xml.bz2"):
        _, pages = read_dump(str(corrupt))
        list(pages)


@pytest.mark.parametrize("content, where", [
    # expat points at the name in a mismatched end tag; columns are 1-based, as in the CLI's FILE:LINE:COL
    (b"", "line 1"), (b"<mediawiki><page><title>A</title></pag></mediawiki>", "line 1, column 36"),
    (b"  <page>\n<title>A</title>\n<ns>0</ns></page>\n<page><title>B</ns></page>", "line 4, column 17"),
    # the synthetic <root> inserted before a bare page does not shift the reported column
    (b"  <page><title>A</tit></page>", "line 1, column 19")])
def test_broken_xml_names_file_and_position(tmp_path, content, where):
    path = tmp_path / "broken.xml"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        _, pages = read_dump(str(path))
        list(pages)
    assert str(err.value).startswith(f"{path}: ")
    assert where in str(err.value)


def test_missing_file_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_dump(str(tmp_path / "nope.xml.bz2"))


def test_memory_stays_bounded_on_a_large_dump(tmp_path):
    page = ("<page><title>Page {i}</title><ns>0</ns><id>{i}</id><revision><id>{i}</id>"
            "<text xml:space=\"preserve\">{body}</text></revision></page>\n")
    body = "Some '''wikitext''' with a [[link]] and a {{template|x=1}}. " * 16  # ~1 KB a page
    path = tmp_path / "big.xml"
    with path.open("w", encoding="utf-8") as f:
        f.write('<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.10/"><siteinfo><dbname>enwiki</dbname>'
                "</siteinfo>\n")
        for i in range(1, 5001):
            f.write(page.format(i=i, body=body))
        f.write("</mediawiki>\n")
    size = path.stat().st_size
    assert size > 5_000_000

    start = time.monotonic()
    tracemalloc.start()
    try:
        _, pages = read_dump(str(path))
        first = next(pages)
        _, after_first = tracemalloc.get_traced_memory()
        titles = [first.title] + [page.title for page in pages]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert titles == [f"Page {i}" for i in range(1, 5001)]
    # lazy: the first page comes before the rest of the file is read (a whole tree would hold ~5 MB by then)
    assert after_first < 1_500_000, f"{after_first} bytes held after the first page of a {size}-byte dump"
    # a tree kept whole would hold the ~5 MB of text and 40,000 elements; streaming holds about one page
    # (the titles kept here are ~0.4 MB)
    assert peak < 1_500_000, f"peak {peak} bytes for a {size}-byte dump"
    assert time.monotonic() - start < 300  # a hang, not a speed limit: this takes seconds even on a busy machine


def test_is_dump_by_name_and_by_content(tmp_path):
    for name in (ENWIKI_BZ2, ENWIKI_EXCERPT, ZHWIKI_BARE):
        assert is_dump(fixture(name))
    assert not is_dump(fixture("zh_naissus_battle.wiki"))
    assert not is_dump(fixture("en_battle_of_wakefield.wiki"))
    assert not is_dump("-")
    assert not is_dump(str(tmp_path))
    sniffed = tmp_path / "export"  # no extension: found by its first bytes
    sniffed.write_bytes(b"\xef\xbb\xbf<?xml version='1.0'?>\n<mediawiki><siteinfo/></mediawiki>")
    assert is_dump(str(sniffed))
    wiki = tmp_path / "page.wiki"
    wiki.write_text("'''Battle''' <page> is not a dump", encoding="utf-8")
    assert not is_dump(str(wiki))


@pytest.mark.parametrize("document", [
    # a bare page after a doctype whose internal subset holds a '>': the reader once placed its root inside it
    '<?xml version="1.0"?>\n<!DOCTYPE page [<!ENTITY x "Anatolia">]>\n<page><title>A</title><ns>0</ns>'
    '<revision><text>&x; {{Infobox military conflict|conflict=A}}</text></revision></page>\n',
    '<!DOCTYPE mediawiki [ <!ENTITY x "Anatolia"> ]><mediawiki><page><title>A</title><ns>0</ns>'
    '<revision><text>&x; text</text></revision></page></mediawiki>',
], ids=["bare-page", "mediawiki"])
def test_a_doctype_with_an_internal_subset_is_read(tmp_path, document):
    path = tmp_path / "doctype.xml"
    path.write_text(document, encoding="utf-8")
    _, pages = read_dump(str(path))
    [page] = list(pages)
    assert page.title == "A" and page.text.startswith("Anatolia ")
