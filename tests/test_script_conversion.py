"""Our OpenCC converters (graph.wikitext.script_conversion) give OpenCC's own output, to the character, and a cache
that cannot be had or read costs time, never a different output."""

from __future__ import annotations

import json
import random
from pathlib import Path

import opencc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.wikitext import script_conversion
from graph.wikitext.script_conversion import converter

from .conftest import ROOT, SHARED

CONFIGS = ("s2t", "t2s")


def dictionaries(config: str) -> dict[str, dict[str, str]]:
    """Every dictionary the config reads, as opencc_dict dumps it."""
    path, share, tool = script_conversion._paths(config)
    normalization, segmentation, chain = script_conversion._plan(json.loads(path.read_text(encoding="utf-8")))
    trees = [*normalization, *chain, *([segmentation] if segmentation else [])]
    names = sorted({name for tree in trees for name in script_conversion._files(tree)})
    return script_conversion._dump(share, tool, names)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each config's two converters, ours (its tables written to a cache folder of this module's own, then read
    back as a later run would) and OpenCC's; and the dictionaries' keys and values."""
    folder = tmp_path_factory.mktemp("cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("WIKIKG_CACHE", str(folder))
        for config in CONFIGS:
            assert isinstance(converter(config), script_conversion._TableConverter)  # writes the file
        ours = {config: converter(config) for config in CONFIGS}  # reads it
    words = {config: sorted({word for table in dictionaries(config).values() for key, value in table.items()
                             for word in (key, value)}) for config in CONFIGS}
    return ours, {config: opencc.OpenCC(config) for config in CONFIGS}, words


def assert_same(built, texts) -> None:
    ours, theirs, _ = built
    for config in CONFIGS:
        assert isinstance(ours[config], script_conversion._TableConverter)
        different = [text for text in texts if ours[config].convert(text) != theirs[config].convert(text)]
        assert not different[:5], config


def wiki_lines() -> list[str]:
    files = sorted([*ROOT.glob("seeds/*.wiki"), *ROOT.glob("tests/**/*.wiki"), *(SHARED / "fixtures").glob("*.wiki")])
    return [line for path in files for line in path.read_text(encoding="utf-8").split("\n")]


def test_every_key_and_value_of_every_dictionary_alone(built):
    _, _, words = built
    assert_same(built, sorted({word for config in CONFIGS for word in words[config]}))


def test_keys_in_random_pairs_and_triples(built):
    _, _, words = built
    rnd = random.Random(0)
    texts = []
    for config in CONFIGS:
        texts += ["".join(rnd.sample(words[config], rnd.choice((2, 3)))) for _ in range(6000)]
    assert_same(built, texts)


def test_every_line_of_the_seed_and_the_fixtures(built):
    lines = wiki_lines()
    assert len(lines) > 1000
    assert_same(built, lines)


def test_description_sequences_variation_selectors_and_other_edges(built):
    """An ideographic description sequence is copied whole (its characters unconverted, compatibility ones too)
    when it is complete (at most 16 deep, 64 characters), else character by character."""
    deep = "⿰" * 15 + "发" * 16
    texts = ["", "\0", "发\0发", "⿰发发发", "⿰发", "⿰⿱发", "⿲发发", "⿲发发发发", "⿾发发", "⿿发", "⿰\uf900\uf901",
             "\uf900\uf901", "发\ufe00发", "头发\ufe00", "头\U000e0100发", deep, "⿰" + deep, "⿰" * 70 + "发" * 71,
             "并行计算", "\U00020000发", "發發", "头发干燥", "干 发", "⿰头发"]
    assert_same(built, texts)


CHARACTERS = st.sampled_from(list("发头并行计算干燥後后裡里乾髮發頭於于着著面麵了瞭台臺颱檯系係繫历歷曆钟鐘鍾")
                             + ["\u2ff0", "\u2ff2", "\u2ffe", "\uf900", "\uf901", "\ufe00", "\U00020000", "\0"]
                             + list("ab Z1,.!?;:'\"()[]{}|=<>&\n\t，。、；：「」『』（）《》·—…　"))


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_any_text_of_dictionary_characters_ascii_punctuation_and_other_cjk(built, data):
    _, _, words = built
    pieces = st.one_of(CHARACTERS, st.sampled_from(words["s2t"]), st.sampled_from(words["t2s"]),
                       st.characters(min_codepoint=0x3400, max_codepoint=0x9fff),
                       st.characters(blacklist_categories=("Cs",)))
    text = "".join(data.draw(st.lists(pieces, max_size=25)))
    assert_same(built, [text])


@settings(max_examples=120, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_the_fast_paths_prefixes_of_keys_and_texts_without_a_changed_character(built, data):
    """The loops' fast path (a character whose longer keys cannot continue with the next one), the keys' lengths
    tried longest first within what is left of the text (prefixes and ends of keys), and the skip of a text with
    none of the characters a sparse stage changes (ASCII, kana, characters that are their own conversion)."""
    _, _, words = built
    longer = [word for config in CONFIGS for word in words[config] if len(word) > 1]
    pieces = st.one_of(st.sampled_from(longer).flatmap(lambda word: st.sampled_from(
                           [word[:cut] for cut in range(1, len(word) + 1)] + [word[cut:] for cut in range(len(word))])),
                       st.sampled_from(longer).map(lambda word: word[0]),
                       st.sampled_from(list("像俱哩阪仝ab 1,。「」あア") + ["\u2ff0", "\u2ffe"]),
                       st.characters(min_codepoint=0x20, max_codepoint=0x30ff),
                       st.characters(min_codepoint=0x3400, max_codepoint=0x9fff))
    text = "".join(data.draw(st.lists(pieces, max_size=12)))
    assert_same(built, [text, text[1:], text[:-1]])


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(st.lists(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40),
       st.text(max_size=20), st.booleans())
def test_the_skip_of_a_text_without_the_characters_a_stage_looks_for(chars, text, many):
    """_absent (a regex of the characters' ranges, or a set for many ranges) says what the set of them says."""
    if many:
        chars = chars + [chr(0x4E00 + 2 * step) for step in range(70)]  # 64 ranges and more: the set
    found = set(chars)
    for probe in (text, text + chars[0], chars[-1] + text, "".join(chars)):
        assert script_conversion._absent(chars)(probe) == found.isdisjoint(probe)


def test_a_lone_surrogate_raises_as_opencc_does(built):
    ours, theirs, _ = built
    for config in CONFIGS:
        for converter_ in (ours[config], theirs[config]):
            with pytest.raises(UnicodeEncodeError):
                converter_.convert("发\ud800")


def test_the_text_helpers_keep_their_answers_for_surrogates():
    from graph.wikitext.text import to_simplified, to_traditional, without_surrogates

    text = "頭髮\ud800头发"
    assert to_simplified(text) == opencc.OpenCC("t2s").convert(without_surrogates(text))
    assert to_traditional(text) == opencc.OpenCC("s2t").convert(without_surrogates(text))


# --- the cache ---------------------------------------------------------------------------------------------------

@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path))
    return tmp_path


SAMPLE = "头发干燥，并行计算的钟表⿰发发发\uf900; 頭髮乾燥"


def cache_file(folder: Path) -> Path:
    (path,) = folder.glob("opencc-s2t-*.marshal")
    return path


def test_a_damaged_cache_file_is_written_again(cache):
    expected = opencc.OpenCC("s2t").convert(SAMPLE)
    assert converter("s2t").convert(SAMPLE) == expected
    path = cache_file(cache)
    good = path.read_bytes()
    for damaged in (b"", good[:100], good[:len(good) // 2], b"x" + good[1:], good[:40] + b"\xff" + good[41:]):
        path.write_bytes(damaged)
        made = converter("s2t")
        assert isinstance(made, script_conversion._TableConverter)
        assert made.convert(SAMPLE) == expected
        assert path.read_bytes() == good


def test_damaged_phrases_are_found_when_read_opencc_converts_and_the_next_run_writes_them_again(cache):
    expected = opencc.OpenCC("s2t").convert(SAMPLE)
    converter("s2t")
    path = cache_file(cache)
    good = path.read_bytes()
    key = "并行计算".encode()  # a key of the phrases starting 并行, read when the text has them
    assert key in good
    path.write_bytes(good.replace(key, "并行计箅".encode()))
    made = converter("s2t")
    assert made.convert(SAMPLE) == expected
    assert made.opencc is not None and not path.exists()
    assert converter("s2t").convert(SAMPLE) == expected
    assert path.read_bytes() == good


def test_a_converter_keeps_reading_the_file_it_opened_when_it_is_written_again(cache):
    """A pair's phrases are read from the open file when met: a file put in its place (another run writing it
    again) is another file, this one stays whole."""
    expected = opencc.OpenCC("s2t").convert(SAMPLE)
    converter("s2t")
    path = cache_file(cache)
    good = path.read_bytes()
    made = converter("s2t")
    replacement = path.with_suffix(".new")
    replacement.write_bytes(good.replace("并行计算".encode(), "并行计箅".encode()))
    replacement.replace(path)
    assert made.convert(SAMPLE) == expected
    assert made.opencc is None


def test_a_file_cut_short_while_open_is_found_when_a_pair_is_read(cache):
    expected = opencc.OpenCC("s2t").convert(SAMPLE)
    converter("s2t")
    path = cache_file(cache)
    good = path.read_bytes()
    made = converter("s2t")
    with open(path, "r+b") as fh:
        fh.truncate(len(good) * 9 // 10)  # in place: the pairs at the end are gone
    assert made.convert(SAMPLE + "".join(made.chain[0].index)) == opencc.OpenCC("s2t").convert(
        SAMPLE + "".join(made.chain[0].index))
    assert made.opencc is not None and not path.exists()
    assert converter("s2t").convert(SAMPLE) == expected
    assert path.read_bytes() == good


def test_without_pread_the_tables_are_read_whole(cache, monkeypatch):
    converter("s2t")
    monkeypatch.delattr(script_conversion.os, "pread")
    made = converter("s2t")
    assert isinstance(made, script_conversion._TableConverter)
    assert made.convert(SAMPLE) == opencc.OpenCC("s2t").convert(SAMPLE)
    assert made.opencc is None


def test_the_index_alone_answers_for_a_character_whose_next_one_continues_no_key(cache):
    """A first character of longer keys followed by a character none of them continues with: its own value (or
    itself) from the index, no pair read."""
    made = converter("s2t")
    stage = made.chain[0]
    text = "".join(char + "a" for char in stage.index)
    assert made.convert(text) == opencc.OpenCC("s2t").convert(text)
    assert not stage.pairs


def test_without_a_cache_folder_it_is_opencc(monkeypatch):
    monkeypatch.setenv("WIKIKG_CACHE", "off")
    made = converter("s2t")
    assert isinstance(made, opencc.OpenCC)
    assert made.convert(SAMPLE) == opencc.OpenCC("s2t").convert(SAMPLE)


def test_without_opencc_dict_it_is_opencc(cache, monkeypatch):
    paths = script_conversion._paths

    def without_tool(config):
        path, share, _ = paths(config)
        return path, share, cache / "missing" / "opencc_dict"

    monkeypatch.setattr(script_conversion, "_paths", without_tool)
    for config in CONFIGS:
        made = converter(config)
        assert isinstance(made, opencc.OpenCC)
        assert made.convert(SAMPLE) == opencc.OpenCC(config).convert(SAMPLE)
    assert not list(cache.glob("opencc-*"))


@pytest.mark.parametrize("change", [
    {"segmentation": {"type": "other"}},
    {"conversion_chain": [{"dict": {"type": "ocd", "file": "STPhrases.ocd"}}]},
    {"conversion_chain": [{"dict": {"type": "group", "match_policy": "new", "dicts": []}}]},
    {"conversion_chain": [{"dict": {"type": "ocd2", "file": "STPhrases.ocd2"}},
                          {"dict": {"type": "ocd2", "file": "STCharacters.ocd2"}}]},
    {"something_new": True},
])
def test_a_config_feature_we_do_not_know_is_refused(change):
    path, _, _ = script_conversion._paths("s2t")
    spec = {**json.loads(path.read_text(encoding="utf-8")), **change}
    with pytest.raises(script_conversion.Unsupported):
        script_conversion._plan(spec)


@pytest.mark.parametrize("config", ["s2tw", "s2twp", "tw2sp", "hk2s"])
def test_configs_with_segmentation_and_chains_of_several_conversions(cache, config):
    """Not used by the build (graph/network/language.py keeps OpenCC), but the same semantics: mmseg segments,
    each through every conversion of the chain."""
    ours, theirs = converter(config), opencc.OpenCC(config)
    assert isinstance(ours, script_conversion._TableConverter)
    lines = wiki_lines()
    assert [ours.convert(line) for line in lines] == [theirs.convert(line) for line in lines]


def keeps_as_convert(built, texts) -> None:
    """keeps(text) is convert(text) == text, for both configs (t2s converts whole: its last stage is sparse)."""
    ours, theirs, _ = built
    for config in CONFIGS:
        wrong = [text for text in texts if ours[config].keeps(text) != (theirs[config].convert(text) == text)]
        assert not wrong[:5], config


def test_a_text_kept_as_it_is_read_up_to_its_first_difference_on_every_line_and_key(built):
    _, _, words = built
    keeps_as_convert(built, wiki_lines())
    keeps_as_convert(built, [word for config in CONFIGS for word in words[config]])


@settings(max_examples=80, deadline=None, derandomize=True, database=None)
@given(st.data())
def test_a_text_kept_as_it_is_whatever_its_pieces(built, data):
    """Pieces of keys and values (a value may be longer or shorter than its key: the comparison follows where each
    piece lands, not where it comes from), texts that are their own Traditional form, and the edges."""
    _, theirs, words = built
    pieces = st.one_of(CHARACTERS, st.sampled_from(words["s2t"]), st.sampled_from(words["s2t"]).map(
                           theirs["s2t"].convert),
                       st.sampled_from(words["s2t"]).map(lambda word: word[1:] or word),
                       st.characters(min_codepoint=0x3400, max_codepoint=0x9fff))
    text = "".join(data.draw(st.lists(pieces, max_size=15)))
    keeps_as_convert(built, [text, text[1:], theirs["s2t"].convert(text)])


def test_the_script_tag_is_the_one_both_conversions_give(built):
    """zh_script_tag reads only whether each conversion keeps the text: the tag of the two conversions compared
    whole, on every line of the fixtures and on each line's two forms."""
    from graph.wikitext import text as tx

    def whole(text: str) -> str:
        simplified, traditional = tx.to_simplified(text), tx.to_traditional(text)
        if simplified == traditional:
            return "zh"
        return "zh-Hans" if text == simplified else "zh-Hant" if text == traditional else "zh"

    lines = wiki_lines()
    texts = [*lines, *(tx.to_traditional(line) for line in lines), *(tx.to_simplified(line) for line in lines)]
    assert [tx.zh_script_tag(t) for t in texts] == [whole(t) for t in texts]
    assert {tx.zh_script_tag(t) for t in texts} == {"zh", "zh-Hans", "zh-Hant"}
