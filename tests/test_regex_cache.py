"""The compiled patterns kept between runs (graph.data.regex_cache) are the patterns re.compile makes."""

from __future__ import annotations

import json
import marshal
import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.data import regex_cache, saving_process
from graph.wikitext.text import alternation, longest_first

from .conftest import seed_builds_sharing_a_cache


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """An empty cache folder of this test's own, and the module's state as if this process had just started."""
    monkeypatch.setenv("WIKIKG_CACHE", str(tmp_path))
    monkeypatch.setattr(regex_cache, "_stored", None)
    monkeypatch.setattr(regex_cache, "_used", {})
    monkeypatch.setattr(regex_cache, "_new", False)
    monkeypatch.setattr(saving_process, "_pid", os.getpid())
    return tmp_path


def cache_file(folder: Path) -> Path:
    (path,) = folder.glob("regex-*.marshal")
    return path


def kept_in(folder: Path) -> dict:
    """The cache file's patterns, each entry decoded."""
    return {key: json.loads(entry) for key, entry in marshal.loads(cache_file(folder).read_bytes()).items()}


def write_kept(folder: Path, kept: dict) -> None:
    cache_file(folder).write_bytes(marshal.dumps({k: json.dumps(v).encode() for k, v in kept.items()}))


def test_every_pattern_a_build_keeps_is_the_one_re_compile_makes(tmp_path):
    """Two builds of the seed in fresh processes: the first writes the patterns, the second reads them; each kept
    pattern, handed to the engine, equals re.compile's (a Pattern's equality compares its flags and code)."""
    outputs = seed_builds_sharing_a_cache(tmp_path)
    assert outputs[0] == outputs[1]
    kept = kept_in(tmp_path)
    assert len(kept) > 50
    for key, entry in kept.items():
        flags, pattern = key.split(":", 1)
        if flags.startswith("b"):  # a bytes pattern
            flags, pattern = flags[1:], pattern.encode("latin-1")
        assert regex_cache._engine(pattern, entry) == re.compile(pattern, int(flags)), pattern[:80]


def test_a_pattern_is_written_once_and_read_back(fresh_cache):
    compiled = regex_cache.regex(r"(?P<year>\d{4})年", re.IGNORECASE)
    assert compiled == re.compile(r"(?P<year>\d{4})年", re.IGNORECASE)
    regex_cache._save()
    kept = kept_in(fresh_cache)
    assert list(kept) == [f"{int(re.IGNORECASE)}:(?P<year>\\d{{4}})年"]
    regex_cache._stored = None  # a later process
    again = regex_cache.regex(r"(?P<year>\d{4})年", re.IGNORECASE)
    assert again == compiled and again.groupindex == {"year": 1} and again.match("1992年").group("year") == "1992"


def test_a_bytes_pattern_is_kept_apart_from_the_text_pattern_written_alike(fresh_cache):
    patterns = [(rb"<([^\s/>]+)[\s/>]", 0), (rb"(?P<b>\xff+)x", re.IGNORECASE), (b"x", 0), ("b'x'", 0), ("x", 0)]
    for pattern, flags in patterns:
        assert regex_cache.regex(pattern, flags) == re.compile(pattern, flags)
    regex_cache._save()
    assert sorted(kept_in(fresh_cache)) == ["0:b'x'", "0:x", "b0:<([^\\s/>]+)[\\s/>]", "b0:x", "b2:(?P<b>\\xff+)x"]
    regex_cache._stored, regex_cache._used = None, {}
    for pattern, flags in patterns:
        compiled, expected = regex_cache.regex(pattern, flags), re.compile(pattern, flags)
        assert compiled == expected and compiled.groupindex == expected.groupindex
    assert regex_cache.regex(rb"(?P<b>\xff+)x", re.IGNORECASE).search(b"a\xff\xffX").span() == (1, 4)


def test_a_damaged_cache_costs_time_never_a_wrong_pattern(fresh_cache):
    pattern = r"[\u3400-\u9fff]+"
    regex_cache.regex(pattern)
    regex_cache._save()
    path = cache_file(fresh_cache)
    kept = kept_in(fresh_cache)
    (key,) = kept
    for damage in ([kept[key][0], "AAAA", 0, {}, []],  # code the engine refuses
                   [kept[key][0], kept[key][1], 5, {}, []],  # groups that do not match the code
                   [kept[key][0], kept[key][1], 0, {"x": 1}, [None]],  # a group name with no group
                   [kept[key][0], kept[key][1], 0, {}, "abc"],  # group names that are not a list
                   "not an entry", None):
        write_kept(fresh_cache, {key: damage})
        regex_cache._stored = None
        assert regex_cache.regex(pattern) == re.compile(pattern)
    whole = marshal.dumps({key: json.dumps(kept[key]).encode()})
    for damaged in (b"{truncated", whole[:len(whole) // 2], b"", marshal.dumps([key]), marshal.dumps({key: "text"}),
                    marshal.dumps({1: b"[]"}), marshal.dumps({key: b'[1,"AA'}), b"\x00" * 40):
        path.write_bytes(damaged)
        regex_cache._stored = None
        assert regex_cache.regex(pattern) == re.compile(pattern)


def test_a_bad_pattern_is_re_compile_s_error(fresh_cache):
    with pytest.raises(re.error):
        regex_cache.regex(r"(?P<unclosed")


def test_a_cache_grown_past_its_bound_keeps_this_run_s_patterns(fresh_cache, monkeypatch):
    monkeypatch.setattr(regex_cache, "MAX_ENTRIES", 3)
    for word in ("a", "b", "c", "d"):
        regex_cache.regex(word)
    regex_cache._save()
    regex_cache._stored, regex_cache._used = None, {}
    regex_cache.regex("e")
    regex_cache._save()
    assert list(kept_in(fresh_cache)) == ["0:e"]


def test_patterns_with_line_breaks_and_separators_are_kept_whole(fresh_cache):
    """A pattern may hold a newline, U+2028 or U+0085 as it is, quotes and commas: each is read back to the same
    pattern, and the other patterns of the file are unharmed."""
    patterns = ["a\nb", "x\u2028y\x85z", '",\\["', "\\],\\[", "é\r\t"]
    for pattern in patterns:
        regex_cache.regex(pattern)
    regex_cache._save()
    assert len(kept_in(fresh_cache)) == len(patterns)
    regex_cache._stored, regex_cache._used = None, {}
    for pattern in patterns:
        assert regex_cache._decoded(regex_cache._load()[f"0:{pattern}"]) is not None
        assert regex_cache.regex(pattern) == re.compile(pattern)


# Pieces of the patterns the extractors build: Unicode classes, named groups, lookarounds, alternations, repeats
PIECES = [r"[\u3400-\u9fff]", r"[^\t\n\r -~]", r"\d{1,4}", r"(?P<y%d>\d{4})", r"(?<![A-Za-z])", r"(?![A-Za-z])",
          r"\s+", r"年", r"(?:captured|occupied)", r"[\xa0-\ud7ff\U00010000-\U0001fffd]", r".*?", r"\b", r"$", r"^",
          r"(?:a|b)+", r"[A-Z][\w'’\-]+", r"(?i:war)", r"\.", r"(?=\s)", r"(?:公元前|西元)?"]


@st.composite
def patterns(draw) -> str:
    pieces = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=6))
    return "".join(p % i if "%d" in p else p for i, p in enumerate(pieces))


@settings(max_examples=60, deadline=None)
@given(pattern=patterns(), flags=st.sampled_from([0, re.IGNORECASE, re.MULTILINE | re.DOTALL, re.VERBOSE]),
       text=st.text(alphabet="ab 1992年公元前戰争War\n.-'", max_size=30))
def test_a_pattern_from_the_cache_matches_as_re_compile_s(pattern, flags, text):
    expected = re.compile(pattern, flags)
    entry = regex_cache._entry(pattern, flags)
    kept = json.loads(json.dumps(entry))  # what a later run reads
    compiled = regex_cache._engine(pattern, kept)
    assert compiled == expected
    assert compiled.groupindex == expected.groupindex and compiled.flags == expected.flags
    assert [m.span() for m in compiled.finditer(text)] == [m.span() for m in expected.finditer(text)]


@given(st.lists(st.text(alphabet="ab公元前西", min_size=1, max_size=4), max_size=8), st.randoms())
def test_an_alternation_is_the_same_whatever_the_order_of_its_words(words, rnd):
    """A set's order changes from one process to the next: the pattern built from it must not, or no run would
    find its pattern in the cache."""
    shuffled = list(words)
    rnd.shuffle(shuffled)
    assert alternation(shuffled) == alternation(words)
    assert longest_first(set(shuffled)) == longest_first(set(words))
