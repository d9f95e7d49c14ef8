"""The shortcuts of the page's reading find what the plain computations found."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from graph.data.vocab import load
from graph.extract.bibliography import Works, family_name, resolve, short_title, work_key
from graph.extract.body import apparatus_names, has_event_word, is_apparatus
from graph.extract.dates import month_numbers
from graph.extract.event_places import place_patterns, word_alt
from graph.extract.model import Record, RefMarker, Section
from graph.extract.numbers import nfkc_char_by_char, nfkc_with_offsets
from graph.extract.sentence_dates import (
    LATIN_WORD,
    ZH_DATE,
    ZH_MONTH,
    en_date_pattern,
    not_a_year,
    relative_year_pattern,
    relative_years,
    year_alone_pattern,
)
from graph.extract.values import non_entity_link
from graph.pipeline import extract_article
from graph.rdf.body import BodyMapper
from graph.rdf.iri import encode_segment, wikipedia_iri
from graph.rdf.mapping import ArticleMapper
from graph.rdf.terms import TripleSink
from graph.wikitext.page import param_offsets, parse_page
from graph.wikitext.read import read_source
from graph.wikitext.text import _CJK, _LATIN, fold, label_language, letter_counts, spaced_alternation
from graph.wikitext.walk import contents_offset, params_by_name, text_of

from .conftest import SEED, shared_path

# ZH_DATE before it started with a lookahead for a digit: every position not a date gave an empty match
PLAIN_ZH_DATE = re.compile(
    r"(?<!\d)(?:(?:(?P<y0>\d{3,4})\s*[-–—－至到]\s*)?(?P<y>\d{3,4})年(?!代))?"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:日)?(?:\s*[-–—－~至到]\s*(?P<d2>\d{1,2})(?![\d年月])日?)?)?)?")

DATE_TEXTS = st.lists(st.sampled_from(["1", "19", "1992", "２", "年", "月", "日", "代", "-", "至", " ", "~", "，", "a"]),
                      max_size=30).map("".join)


def dates_found(pattern: re.Pattern, text: str) -> list[tuple[int, int, dict]]:
    return [(m.start(), m.end(), m.groupdict()) for m in pattern.finditer(text) if m.group()]


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(DATE_TEXTS)
def test_zh_dates_are_those_of_the_pattern_without_lookahead(text):
    assert dates_found(ZH_DATE, text) == dates_found(PLAIN_ZH_DATE, text)


def test_zh_dates_of_the_seed_are_those_of_the_pattern_without_lookahead():
    text = SEED.read_text(encoding="utf-8")
    assert dates_found(ZH_DATE, text) == dates_found(PLAIN_ZH_DATE, text)


def plain_en_date_pattern() -> re.Pattern:
    """en_date_pattern before the lookahead for the first letters of its months."""
    months = "|".join(sorted((m for m in month_numbers() if LATIN_WORD.fullmatch(m)), key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?P<d>\d{{1,2}})(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m1>{months})(?:,?\s+(?P<y1>\d{{3,4}}))?"
        rf"|(?P<m2>{months})\s+(?:(?P<d3>\d{{1,2}})(?:\s*[-–]\s*(?P<d4>\d{{1,2}}))?,?\s+)?(?P<y2>\d{{3,4}})"
        rf"|(?P<m3>{months})\s+(?P<d5>\d{{1,2}})(?!\d))\b", re.IGNORECASE)


# month words in any case, and the letters that match an ASCII one under IGNORECASE (ſ, the Kelvin sign)
EN_DATE_TEXTS = st.lists(st.sampled_from(["8", "12", "1485", "٣", " ", ", ", "-", "May", "may", "SEPT", "Sept.",
                                          "ſept", "oct", "OCTOBER", "Jun", "K", "\u212a", "in", "the", "x", "."]),
                         max_size=25).map("".join)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(EN_DATE_TEXTS)
def test_en_dates_are_those_of_the_pattern_without_lookahead(text):
    assert dates_found(en_date_pattern(), text) == dates_found(plain_en_date_pattern(), text)


def test_en_dates_of_a_fixture_are_those_of_the_pattern_without_lookahead():
    for path in (SEED, shared_path("fixtures", "en_battle_of_bosworth_field.wiki")):
        text = path.read_text(encoding="utf-8")
        assert dates_found(en_date_pattern(), text) == dates_found(plain_en_date_pattern(), text)


def plain_year_alone_pattern() -> re.Pattern:
    """year_alone_pattern before the lookahead for the first letters of its words."""
    words = spaced_alternation(load("date_words")["timeline"]["year_before"])
    return re.compile(rf"\b(?:{words})\s+(?P<y>\d{{3,4}})(?!{not_a_year()})", re.IGNORECASE)


YEAR_TEXTS = st.lists(st.sampled_from(["In", "in", "IN", "the", " ", "  ", "spring", "ſpring", "of", "1452", "177",
                                       "1770s", "late", "mid", "x", ",", "1485.5", "\u212a", "between", "and"]),
                      max_size=12).map("".join)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(YEAR_TEXTS)
def test_years_alone_are_those_of_the_pattern_without_lookahead(text):
    assert dates_found(year_alone_pattern(), text) == dates_found(plain_year_alone_pattern(), text)


def test_years_alone_of_the_fixtures_are_those_of_the_pattern_without_lookahead():
    for path in (SEED, shared_path("fixtures", "en_american_revolutionary_war_2020.wiki")):
        text = path.read_text(encoding="utf-8")
        assert len(dates_found(year_alone_pattern(), text)) > 10 or path == SEED
        assert dates_found(year_alone_pattern(), text) == dates_found(plain_year_alone_pattern(), text)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.one_of(DATE_TEXTS, EN_DATE_TEXTS))
def test_a_sentence_without_digits_has_no_en_date_nor_year_alone(text):
    if not re.search(r"\d", text):
        assert not dates_found(plain_en_date_pattern(), text)
        assert not dates_found(year_alone_pattern(), "in " + text)


def plain_lines(sink: TripleSink) -> bytes:
    """N-Triples as TripleSink.ntriples wrote them before it kept each subject's and predicate's form."""
    return b"".join(sorted(f"{s} {p} {o} .\n".encode() for s, p, o in sink._triples))


def test_ntriples_are_the_triples_written_one_by_one(seed_build):
    _, result = seed_build
    sink = TripleSink()
    sink.update(result.sink.sorted())
    assert sink.ntriples() == plain_lines(sink)


class EveryTimeMapper(ArticleMapper):
    """Maps a reference again at every mention, as ArticleMapper.entity did before it kept each one's node."""

    def entity(self, ref, cls=None):
        return self.map_entity(ref, cls)


def test_an_entity_mapped_once_gives_the_triples_of_one_mapped_at_every_mention(seed_build):
    _, result = seed_build
    article = result.article
    once, every_time = TripleSink(), TripleSink()
    for mapper in (ArticleMapper(article, once), EveryTimeMapper(article, every_time)):
        mapper.map()
        BodyMapper(mapper).map()
    assert once.ntriples() == every_time.ntriples()


def fixture_pages():
    paths = [SEED, *sorted(shared_path("fixtures").glob("*.wiki"))]
    return [parse_page(read_source(str(path)), conversion_markup=path.name.startswith("zh_")) for path in paths]


def test_code_lengths_from_the_walk_are_those_printed():
    for page in fixture_pages():
        index = page.nodes
        for tpl, offset in index.templates:
            assert index.code_length(tpl.name) == len(str(tpl.name))
            for param in tpl.params:
                assert index.code_length(param.name) == len(str(param.name))
                assert index.code_length(param.value) == len(str(param.value))
            assert list(param_offsets(tpl, offset, index)) == list(param_offsets(tpl, offset))
            for param, value_offset in param_offsets(tpl, offset, index):
                assert page.text.startswith(str(param.value), value_offset)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.sampled_from(["list", "lists", " of ", "Lists of ", "列表", "death by natural causes",
                                 "killed in action", "x", " ", "_"]), max_size=6).map("".join))
def test_a_non_entity_link_is_one_any_pattern_finds(title):
    folded = title.lower()
    assert (non_entity_link().search(folded) is not None) == \
        any(re.search(p, folded) for p in load("templates")["non_entity_links"])


def test_contents_starts_from_the_walk_are_those_found_by_printing():
    for page in fixture_pages():
        index = page.nodes
        for tag, offset in index.tags:
            assert index.contents_start(tag, offset) == contents_offset(tag, offset)
            if tag.contents is not None and not tag.self_closing:
                assert page.text.startswith(str(tag.contents), index.contents_start(tag, offset))
        tag, offset = index.tags[0]
        assert index.contents_start(tag, offset + 1) == contents_offset(tag, offset + 1)  # not its place: printed


@settings(max_examples=2000, deadline=None, derandomize=True, database=None)
@given(st.one_of(st.text(max_size=20),
                 st.lists(st.sampled_from(["1", "１", "½", "가", "\u11a8", "e", "\u0301", "\u0344", "ﬁ", "Å", "Å",
                                           "万", "（", "人", " ", "\u3000"]), max_size=12).map("".join)))
def test_nfkc_offsets_are_those_counted_char_by_char(text):
    assert nfkc_with_offsets(text) == nfkc_char_by_char(text)


def test_apparatus_names_are_the_section_titles_folded():
    words = load("date_words")["timeline"]["apparatus_sections"]
    assert apparatus_names() == {re.sub(r"\s+", "", str(n)).casefold() for n in words}
    assert is_apparatus([Section("See  Also", 2, 1)], 0) and not is_apparatus([Section("Battle", 2, 1)], 0)


def plain_relative_year_pattern() -> re.Pattern:
    """relative_year_pattern before the lookahead for the first letters of its words."""
    return re.compile(rf"(?P<rel>{spaced_alternation(list(relative_years()))})(?:的)?"
                      rf"(?:(?P<m1>{ZH_MONTH})(?P<m2>{ZH_MONTH})?月|(?P<am>\d{{1,2}})月(?:(?P<ad>\d{{1,2}})日)?)?",
                      re.IGNORECASE)


RELATIVE_TEXTS = st.lists(st.sampled_from(["第二年", "次年", "次", "年", "的", "三", "四", "月", "5", "日", "The", "the",
                                           "  following", " next", " year", "YEAR", "ſame", " ", "x", "该年"]),
                          max_size=12).map("".join)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(RELATIVE_TEXTS)
def test_relative_years_are_those_of_the_pattern_without_lookahead(text):
    assert dates_found(relative_year_pattern(), text) == dates_found(plain_relative_year_pattern(), text)


def test_relative_years_of_the_fixtures_are_those_of_the_pattern_without_lookahead():
    for path in (SEED, shared_path("fixtures", "en_battle_of_bosworth_field.wiki")):
        text = path.read_text(encoding="utf-8")
        assert dates_found(relative_year_pattern(), text) == dates_found(plain_relative_year_pattern(), text)


def test_a_kept_link_reference_is_the_one_read_again():
    """entities.from_wikilink is kept for the process: for every link of the fixtures, as its readers pass it
    (shown text or none; the page's language), the kept reference equals the one read afresh."""
    from graph.extract.entities import from_wikilink
    from graph.wikitext.text import clean_spaces

    for page in fixture_pages():
        lang = "zh" if page.source.name.rsplit("/", 1)[-1].startswith("zh_") else "en"
        for link, _ in page.nodes.wikilinks:
            title = str(link.title)
            shown = clean_spaces(link.text.strip_code()) if link.text is not None else None
            for args in ((title, shown, lang), (title.strip(), None, lang)):
                kept = from_wikilink(*args)
                assert from_wikilink(*args) is kept
                assert from_wikilink.__wrapped__(*args) == kept


def test_lines_whose_triples_a_check_parsed_give_the_triples_of_a_parse(seed_build):
    """A page read in the process that writes it hands its checked triples to the writer (TripleSink.add_ntriples
    ``parsed``): the triples asked for are those of a parse of every line, whatever lines come after the page's
    (its provenance), repeat it, or come from another sink."""
    import pyoxigraph as ox

    from graph.run.page_worker import parsed_ntriples

    _, result = seed_build
    page = result.sink.ntriples()
    after = (b'<https://w3id.org/wikikg/dataset/x> <http://www.w3.org/ns/prov#value> "\xe4\xb8\x80"@zh .\n'
             + page.splitlines(keepends=True)[7] + b"_:b0 <http://example.org/p> <http://example.org/o> .\n")
    plain, known = TripleSink(), TripleSink()
    plain.add_ntriples(page + after)
    known.add_ntriples(page + after, parsed_ntriples(page))
    assert known.sorted() == plain.sorted() == [q.triple for q in ox.parse(plain.ntriples(),
                                                                           format=ox.RdfFormat.N_TRIPLES)]
    merged = TripleSink()
    merged.add_ntriples(after)
    merged.merge(known)
    assert merged.sorted() == plain.sorted() and len(merged) == len(plain)


def plain_resolve(marker: RefMarker, records: list[Record]) -> Record | None:
    """``resolve`` as it was before it looked only at the works a short citation's names can match."""
    if not marker.authors or not (marker.year or marker.pointer):
        return None
    wanted = tuple(fold(a) for a in marker.authors)
    year = marker.year[:4] if marker.year else None
    found: dict[str, Record] = {}
    for record in records:
        if record.anchor and tuple(fold(a) for a in record.anchor) == (*wanted, *((fold(year),) if year else ())):
            return record
        if year and year != record.year and year not in record.years or len(record.authors) < len(wanted):
            continue
        names = tuple(family_name(a) for a in record.authors[: len(wanted)])
        if names == wanted or all(n.endswith(" " + w) or n == w for n, w in zip(names, wanted, strict=True)):
            if year and not marker.pointer:
                return record
            if marker.title and short_title(marker.title) not in short_title(record.title or ""):
                continue
            found.setdefault(work_key(record), record)
    return next(iter(found.values())) if len(found) == 1 else None


def test_short_citations_of_a_fixture_resolve_as_among_all_works():
    article = extract_article(read_source(str(shared_path("fixtures", "en_american_revolutionary_war_2020.wiki"))),
                              body=False)
    records = [*article.records, *article.listed]
    works = Works(records)
    markers = [m for m in (*article.ref_uses, *article.refs.values()) if m.authors]
    assert sum(plain_resolve(m, records) is not None for m in markers) > 100
    for marker in markers:
        assert resolve(marker, works) is plain_resolve(marker, records)


NAMES = st.sampled_from(["Waal", "de Waal", "Thomas de Waal", "Waal, Thomas", "Fischer", "D. H. Fischer", "Fischer, D",
                         "English Heritage", "waal", "", "Van Waal"])
YEARS = st.sampled_from([None, "1995", "2003", "2003a"])
RECORDS = st.builds(Record, authors=st.lists(NAMES, max_size=3).map(tuple), year=YEARS,
                    title=st.sampled_from([None, "Black Garden", "The Black Garden", "Albion's Seed"]),
                    years=st.lists(st.sampled_from(["1995", "2003"]), max_size=2).map(tuple),
                    anchor=st.lists(st.sampled_from(["Waal", "de Waal", "English Heritage", "1995", "2003"]),
                                    max_size=3).map(tuple))
MARKERS = st.builds(RefMarker, key=st.just("k"), kind=st.sampled_from(["sfn", "ref"]),
                    authors=st.lists(NAMES, max_size=2).map(tuple), year=YEARS, pointer=st.booleans(),
                    title=st.sampled_from([None, "Black Garden", "Seed"]))


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(MARKERS, st.lists(RECORDS, max_size=6))
def test_a_short_citation_resolves_as_among_all_works(marker, records):
    assert resolve(marker, Works(records)) is plain_resolve(marker, records)


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(st.text(alphabet=st.sampled_from("aZ é\u0250\u024f中文\U00020000\U0002ffff\U00030000\ud800,1"), max_size=30))
def test_letters_counted_by_runs_are_those_counted_one_by_one(text):
    assert letter_counts(text) == (len(_CJK.findall(text)), len(_LATIN.findall(text)))


def test_letters_of_the_fixtures_counted_by_runs_are_those_counted_one_by_one():
    for path in (SEED, shared_path("fixtures", "en_american_revolutionary_war_2020.wiki")):
        text = path.read_text(encoding="utf-8")
        assert letter_counts(text) == (len(_CJK.findall(text)), len(_LATIN.findall(text)))


def test_event_words_are_found_as_word_by_word():
    words = load("templates")["sub_event_words"]
    titles = [str(link.title) for page in fixture_pages() for link, _ in page.nodes.wikilinks]
    titles += [w.upper() for w in words] + ["", "Siege of Boston", "舒沙战役", "xbattle", "Ba ttle"]
    assert sum(map(has_event_word, titles)) > 20
    for title in titles:
        assert has_event_word(title) == any(w in title.lower() for w in words)


def plain_place_patterns() -> list[re.Pattern]:
    """place_patterns' patterns searched before a link, as they were before the lookahead for their first letters."""
    data = load("templates")
    words = word_alt(data["place_words"])
    ends = "|".join(re.escape(w) for w in data["place_phrase_ends"])
    return [re.compile(rf"(?:{words})了?\s*$", re.IGNORECASE),
            re.compile(rf"(?:{words})了?[^，。；、,;:()（）\[\]]{{1,15}}?(?:{ends})\s*$", re.IGNORECASE),
            re.compile(rf"(?:{word_alt(data['not_place_before'])})\s*$", re.IGNORECASE),
            re.compile(rf"(?:{word_alt(data['place_of_attack']['before'])})\s*$")]


def place_patterns_before() -> list[re.Pattern]:
    p = place_patterns()
    return [p.before, p.phrase, p.not_before, p.attacked_before]


PLACE_TEXTS = st.lists(st.sampled_from(["在", "于", "攻占了", "向", "對", "的", "——", "，", " ", "x", "In", "in", "AT",
                                        "within", "near ", "the ", "Mediation of", "Took", "ſeized", "\u212a", "of",
                                        "town", "戰役"]), max_size=10).map("".join)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None)
@given(PLACE_TEXTS)
def test_place_words_before_a_link_are_found_as_without_lookahead(text):
    for new, plain in zip(place_patterns_before(), plain_place_patterns(), strict=True):
        assert dates_found(new, text) == dates_found(plain, text)


def test_place_words_of_the_fixtures_are_found_as_without_lookahead():
    for path in (SEED, shared_path("fixtures", "en_american_revolutionary_war_2020.wiki")):
        text = path.read_text(encoding="utf-8")
        # the 24 characters before each link and before every 13th character, as place_of reads them
        ends = sorted({m.start() for m in re.finditer(r"\[\[", text)} | set(range(0, len(text), 13)))
        befores = [text[max(0, end - 24):end] for end in ends]
        for new, plain in zip(place_patterns_before(), plain_place_patterns(), strict=True):
            assert [m and m.span() for m in map(new.search, befores)] == \
                   [m and m.span() for m in map(plain.search, befores)]
        assert sum(place_patterns().before.search(b) is not None for b in befores) > 30


def test_parameters_by_name_are_those_has_and_get_find():
    for page in fixture_pages():
        for tpl, _ in page.nodes.templates:
            named = params_by_name(tpl)
            for name in [*(str(p.name) for p in tpl.params), "1", "2", "9", "p", "url", "quote", " p ", "nothing"]:
                key = name.strip()
                assert (key in named) == tpl.has(name)
                if tpl.has(name):
                    assert named[key] is tpl.get(name)


def test_a_kept_wikipedia_iri_is_the_one_made_again():
    titles = [str(link.title) for page in fixture_pages() for link, _ in page.nodes.wikilinks]
    for title in [*titles, "battle of Wakefield", "ß", "", "a b/c?d"]:
        for lang in ("zh", "en"):
            assert wikipedia_iri(lang, title) == wikipedia_iri.__wrapped__(lang, title)


def test_a_kept_label_language_is_the_one_worked_out_again():
    titles = [str(link.title) for page in fixture_pages() for link, _ in page.nodes.wikilinks]
    for title in [*titles, "Gurgen Dalibaltayan", "亞塞拜然", "阿塞拜疆", "123", ""]:
        for site_lang in ("zh", "en"):
            assert label_language(title, site_lang) == label_language.__wrapped__(title, site_lang)


def test_a_kept_segment_is_the_one_encoded_again():
    titles = [str(link.title) for page in fixture_pages() for link, _ in page.nodes.wikilinks]
    for title in [*titles, "a b/c?d", "\ud800", "", " ", "%", "第一次纳卡战争"]:
        assert encode_segment(title) == encode_segment.__wrapped__(title)


def test_text_of_a_code_is_the_code_printed():
    for page in fixture_pages():
        for tpl, _ in page.nodes.templates:
            for code in (tpl.name, *(p.name for p in tpl.params), *(p.value for p in tpl.params)):
                assert text_of(code) == str(code)
