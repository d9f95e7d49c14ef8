"""Text helpers shared by every stage: Chinese script folding, language tags, comparison keys."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.wikitext.script_conversion import Converter, converter
from graph.wikitext.tokens import strip_code

_CJK = regex(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]")
_LATIN = regex(r"[A-Za-z\u00c0-\u024f]")


@lru_cache(maxsize=1)
def _converters() -> tuple[Converter, Converter]:
    """OpenCC's t2s and s2t: their exact output, from tables kept between runs (graph.wikitext.script_conversion)."""
    return converter("t2s"), converter("s2t")


def without_surrogates(text: str) -> str:
    """Lone surrogates (from a character reference such as &#xD800;) become U+FFFD."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


# Every character OpenCC's t2s and s2t change lies in these blocks (checked code point by code point, U+0020 to
# U+2FFFF, in tests/test_site_language.py): text without them is its own conversion, and an English page never
# builds the converters.
_CONVERTIBLE = regex(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]")


@lru_cache(maxsize=65536)
def to_simplified(text: str) -> str:
    if _CONVERTIBLE.search(text) is None:
        return text
    try:
        return _converters()[0].convert(text)
    except UnicodeEncodeError:
        return _converters()[0].convert(without_surrogates(text))


@lru_cache(maxsize=65536)
def to_traditional(text: str) -> str:
    if _CONVERTIBLE.search(text) is None:
        return text
    try:
        return _converters()[1].convert(text)
    except UnicodeEncodeError:
        return _converters()[1].convert(without_surrogates(text))


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def zh_script_tag(text: str) -> str:
    """``zh-Hans``, ``zh-Hant`` or plain ``zh`` when the characters are the same in both scripts (or mixed).

    Only whether each conversion leaves the text as it is matters: the same in both scripts is ``zh``; unchanged
    by simplifying only, ``zh-Hans``; by traditionalising only, ``zh-Hant``; changed by both, ``zh`` (the two
    conversions are then equal, or the scripts are mixed). Whether the traditional form is the text itself is
    read up to the first character that differs, not converted whole (event labels are whole sentences)."""
    as_simplified, as_traditional = to_simplified(text) == text, is_traditional_form(text)
    if as_simplified:
        return "zh" if as_traditional else "zh-Hans"
    return "zh-Hant" if as_traditional else "zh"


def is_traditional_form(text: str) -> bool:
    """``to_traditional(text) == text``."""
    if _CONVERTIBLE.search(text) is None:
        return True
    converter = _converters()[1]
    keeps = getattr(converter, "keeps", None)  # OpenCC's own (no table cache) converts whole
    try:
        return keeps(text) if keeps is not None else converter.convert(text) == text
    except UnicodeEncodeError:
        return to_traditional(text) == text


@lru_cache(maxsize=65536)  # a page tags the same names again and again (its links, items, labels)
def label_language(text: str, site_lang: str) -> str:
    """The language tag of a label shown in an article of ``site_lang``.

    On the Chinese Wikipedia a name in Latin letters is almost always the English name
    (``{{le|Gurgen Dalibaltayan}}``), so it is tagged ``en`` rather than ``zh``.
    """
    if site_lang == "zh":
        if has_cjk(text):
            return zh_script_tag(text)
        if _LATIN.search(text):
            return "en"
        return "zh"
    return site_lang


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """A comparison key: width, case, script and spacing folded (for headings and keys)."""
    text = unicodedata.normalize("NFKC", text)
    text = to_simplified(text).lower()
    return re.sub(r"\s+", " ", text).strip()


# What makes mwparserfromhell read a node other than text: templates, links, tags, entities, comments, bold and
# italic quotes, headings, list and definition markers, horizontal rules.
_MARKUP_SIGN = regex(r"[\[{<&]|''|(?:^|\n)[*#:;=]|----")


def strip_markup(text: str) -> str:
    """``mwparserfromhell.parse(text).strip_code()``, without the parse when the text holds no markup (most
    citation fields and written references): a string's own text needs no tree; with markup, most often
    without building the tree."""
    if _MARKUP_SIGN.search(text) is None:
        stripped = text.strip("\n")
        while "\n\n\n" in stripped:
            stripped = stripped.replace("\n\n\n", "\n\n")
        return stripped
    return strip_code(text)  # the tokens alone where they suffice (graph.wikitext.tokens): no tree to build


def clean_spaces(text: str) -> str:
    """Runs of white space (no-break spaces too) as one space, none at the ends."""
    return " ".join(text.split())  # str.split() splits where re's \s matches: every Unicode white space


# What is not prose, for guessing the language: comments, footnotes, templates (innermost first), link targets,
# tags and URLs. A zh article's infobox, citations and templates are mostly Latin letters.
_COMMENT = regex(r"<!--.*?(?:-->|$)", re.DOTALL)
_REF = regex(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref>", re.DOTALL | re.IGNORECASE)
_TEMPLATE = regex(r"\{\{[^{}]*\}\}")
_LINK_TARGET = regex(r"\[\[[^\]|]*\|")
_MARKUP = regex(r"<[^<>]+>|https?://\S+|\[\[|\]\]")


def prose_of(text: str) -> str:
    """The words a reader sees, roughly: the page less comments, footnotes, templates, link targets, tags, URLs."""
    text = _REF.sub(" ", _COMMENT.sub(" ", text))
    for _ in range(8):  # nested templates, innermost first; a few rounds reach any real page's depth
        text, n = _TEMPLATE.subn(" ", text)
        if not n:
            break
    return _MARKUP.sub(" ", _LINK_TARGET.sub(" ", text))


def detect_site_language(text: str) -> str:
    """``zh`` when CJK characters dominate the prose of the whole page, else ``en``. Templates, footnotes and
    link targets are left out (a zh article whose first screen is an English-named infobox is still zh); a
    page with almost no prose is judged on all its text."""
    sample = text[:2_000_000]
    cjk, latin = letter_counts(prose_of(sample))
    if cjk + latin < 50:
        cjk, latin = letter_counts(sample)
    return "zh" if cjk and cjk * 6 > latin else "en"


# runs of the letters of _CJK and _LATIN: their lengths add up to the number of letters, found as a few thousand words
# rather than as a hundred thousand one-letter matches
_CJK_RUN = regex(_CJK.pattern + "+")
_LATIN_RUN = regex(_LATIN.pattern + "+")


def letter_counts(text: str) -> tuple[int, int]:
    """How many CJK characters and how many Latin letters ``text`` holds."""
    return sum(map(len, _CJK_RUN.findall(text))), sum(map(len, _LATIN_RUN.findall(text)))


def longest_first(words: Iterable[str]) -> list[str]:
    """Longest first, then in code point order: the same pattern in every process (a set's order is not),
    so that the compiled pattern can be kept between runs."""
    return sorted(words, key=lambda w: (-len(w), w))


def alternation(items: list[str]) -> str:
    """Regex alternation, longest first so that "at least" beats "at"."""
    return "|".join(re.escape(str(i)) for i in longest_first(set(map(str, items))))


def is_ascii_word(word: str) -> bool:
    return word.isascii() and word[:1].isalpha()


def word_alternation(items: list[str]) -> str:
    """Alternation where ASCII words only match as whole words."""
    ascii_words = [i for i in items if is_ascii_word(i)]
    other = [i for i in items if not is_ascii_word(i)]
    alts = []
    if ascii_words:
        alts.append(rf"(?<![A-Za-z])(?:{alternation(ascii_words)})(?![A-Za-z])")
    if other:
        alts.append(f"(?:{alternation(other)})")
    return "|".join(alts)


def spaced_word(word: str) -> str:
    """A word or phrase as a regex in which each space matches any run of spaces ("spring  of")."""
    return re.escape(str(word)).replace(r"\ ", r"\s+")


def spaced_alternation(words: list[str]) -> str:
    """Alternation of words and phrases, longest first, spaces flexible."""
    return "|".join(spaced_word(w) for w in longest_first(map(str, words)))
