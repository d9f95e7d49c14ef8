"""The site language of a page, judged from its prose: what a zh article's templates and citations say in
Latin letters must not make it English."""

from __future__ import annotations

import re

import mwparserfromhell
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.wikitext.text import clean_spaces, detect_site_language, strip_markup

from .conftest import SEED, SHARED

ZH_LEAD = "'''第一次纳卡战争'''是1988年2月至1994年5月之间，在阿塞拜疆西南部的纳戈尔诺-卡拉巴赫地区爆发的一场战争。\n"
EN_CITATIONS = "".join(f"<ref>{{{{cite book|title=The Nagorno-Karabakh Conflict {i}|publisher=Oxford University "
                       f"Press|url=https://example.org/{i}}}}}</ref>" for i in range(300))
EN_INFOBOX = ("{{Infobox military conflict|conflict=First Nagorno-Karabakh War|partof=the dissolution of the "
              "Soviet Union|place=Nagorno-Karabakh|result=Armenian victory}}\n")


def test_a_zh_article_whose_first_screen_is_english_templates_is_zh():
    assert detect_site_language(EN_INFOBOX + EN_CITATIONS + ZH_LEAD * 3) == "zh"


def test_an_english_article_that_quotes_chinese_names_is_en():
    text = "The '''Battle of Shucheng''' ({{lang-zh|舒城戰鬥}}) was fought in June 1938 between the National " \
           "Revolutionary Army and the Imperial Japanese Army near [[Shucheng County]] in Anhui. " * 5
    assert detect_site_language(text) == "en"


@pytest.mark.parametrize("name", ["zh_naissus_battle", "zh_shucheng_battle_1938", "en_battle_of_wakefield",
                                  "en_battle_of_bosworth_field", "en_american_revolutionary_war_2020"])
def test_every_real_article_is_read_in_its_own_language(name):
    path = SHARED / "fixtures" / f"{name}.wiki"
    if not path.exists():
        pytest.skip("no shared fixtures")
    assert detect_site_language(path.read_text(encoding="utf-8")) == name[:2]
    assert detect_site_language(SEED.read_text(encoding="utf-8")) == "zh"


@settings(deadline=None, max_examples=200)
@given(st.text(max_size=400))
def test_any_text_gets_one_of_the_two_languages(text):
    assert detect_site_language(text) in ("zh", "en")


WIKITEXT_PIECES = st.sampled_from(["a", " ", "\n", "'", "''", "[[", "]]", "{{", "}}", "[", "]", "<", ">", "&amp;", "&",
                                   "*", "#", ":", ";", "=", "-", "----", "http://x.org", "|", "~", "_", "1", "é", "史"])


@given(st.lists(WIKITEXT_PIECES, max_size=30).map("".join))
@settings(max_examples=300, deadline=None)
def test_strip_markup_is_the_parsers_strip_code(text):
    """The shortcut for text without markup gives what the parse would."""
    assert strip_markup(text) == mwparserfromhell.parse(text).strip_code()


@given(st.text(alphabet=st.sampled_from(["a", " ", "\t", "\n", "\u00a0", "\u3000", "\u2009", "\x1c", "\x85", "史"]),
               max_size=40))
def test_clean_spaces_is_one_space_between_words(text):
    assert clean_spaces(text) == re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


def test_opencc_changes_nothing_outside_the_blocks_the_build_converts():
    """to_simplified/to_traditional skip text without a character of _CONVERTIBLE: OpenCC must change none."""
    import opencc

    from graph.wikitext.text import _CONVERTIBLE

    t2s, s2t = opencc.OpenCC("t2s"), opencc.OpenCC("s2t")
    outside = "".join(chr(cp) for cp in range(0x20, 0x30000)
                      if not 0xD800 <= cp <= 0xDFFF and _CONVERTIBLE.search(chr(cp)) is None)
    assert len(outside) > 90_000
    assert t2s.convert(outside) == outside and s2t.convert(outside) == outside
