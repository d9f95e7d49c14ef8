"""One script per picture: the language and script the labels of a network or timeline are shown in.

The Chinese Wikipedia mixes scripts and regional wording (an article in simplified names a party in the
Taiwanese form a template wrote), so a picture of it would show 亞塞拜然 beside 阿塞拜疆. Every label of a
picture is chosen in its language, then converted with OpenCC's phrase tables: zh-Hans in the mainland's
wording (亞塞拜然 → 阿塞拜疆), zh-Hant in Taiwan's (阿塞拜疆 → 亞塞拜然). This is for display only: keys and
IRIs fold scripts character by character (graph/wikitext/text.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

import opencc

from graph.wikitext.text import has_cjk, to_simplified, to_traditional, zh_script_tag

DISPLAY_LANGS = ("zh-Hans", "zh-Hant", "en")
# script → OpenCC steps: to traditional first, since the phrase tables are keyed on traditional text
CONVERSIONS = {"zh-Hans": ("s2t", "tw2sp"), "zh-Hant": ("s2t", "s2twp")}
ALIASES = {"zh-hans": "zh-Hans", "zh-cn": "zh-Hans", "zh-sg": "zh-Hans", "zh-my": "zh-Hans",
           "zh-hant": "zh-Hant", "zh-tw": "zh-Hant", "zh-hk": "zh-Hant", "zh-mo": "zh-Hant"}
# a side's RDF label is "side 1": a picture names it in its language
SIDE_NAMES = {"zh-Hans": "交战方{n}", "zh-Hant": "交戰方{n}", "en": "side {n}"}


def normalise_lang(lang: str | None) -> str | None:
    """``zh-hans``/``zh-CN`` → ``zh-Hans``, ``zh-TW`` → ``zh-Hant``; other tags lowercased (``zh``, ``en``)."""
    if not lang:
        return None
    return ALIASES.get(lang.lower(), lang.lower())


def script_of(lang: str | None, labels: Iterable[str] = ()) -> str | None:
    """The Chinese script a picture in ``lang`` is drawn in: the one named (zh-Hans, zh-Hant), or for a bare
    ``zh`` the script most of its Chinese ``labels`` are written in (simplified when undecided); None for
    other languages, whose labels are left as they are except Chinese fallbacks, shown simplified."""
    lang = normalise_lang(lang)
    if lang in CONVERSIONS:
        return lang
    if lang != "zh":
        return None
    counts = Counter(zh_script_tag(text) for text in labels if has_cjk(text))
    return "zh-Hant" if counts["zh-Hant"] > counts["zh-Hans"] else "zh-Hans"


def in_script(text: str, script: str | None) -> str:
    """``text`` in ``script`` (zh-Hans, zh-Hant); Chinese text of a non-Chinese picture in simplified."""
    if not text or not has_cjk(text):
        return text
    return _convert(text, script if script in CONVERSIONS else "zh-Hans")


@lru_cache(maxsize=65536)
def _convert(text: str, script: str) -> str:
    for step in CONVERSIONS[script]:
        text = _converter(step).convert(text)
    return text


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def side_name(number: object, lang: str | None) -> str:
    key = script_of(lang) or "en"
    return SIDE_NAMES.get(key, SIDE_NAMES["en"]).format(n=number)


def search_key(texts: Iterable[str]) -> str:
    """What a search box matches: every text in both Chinese scripts, lowercased, so a query in either script
    (or in English, where the entity has an English label) finds the node."""
    forms = set()
    for text in texts:
        if text:
            forms.update((text, to_simplified(text), to_traditional(text)))
    return "\n".join(sorted(forms)).lower()
