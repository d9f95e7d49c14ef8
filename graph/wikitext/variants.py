"""Chinese language-conversion markup: ``-{…}-`` in the text and ``{{noteTA}}`` rules.

The Chinese Wikipedia writes one article for every script and region; ``-{zh-hans:A;zh-hant:B}-``
says "A in simplified, B in traditional". We keep one display form in the text (so offsets and
line numbers stay true, the markup is replaced by a same-length run: the form, then spaces) and
every form as a rule, so labels can be given per variant.
"""

from __future__ import annotations

import re

from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import regex
from graph.data.vocab import normalise_template_name

MARKUP = regex(r"-\{(?P<body>[^{}]{0,800}?)\}-", re.S)
FLAGS = regex(r"^\s*(?P<flags>[A-Za-z\-]{1,4}(?:;[A-Za-z\-]{1,4})*)\s*\|")
RULE = regex(r"(?P<variant>zh(?:-[a-z]{2,4})?)\s*:\s*(?P<text>[^;]*)")
DISPLAY_ORDER = ("zh-hans", "zh-cn", "zh-sg", "zh-my", "zh", "zh-hant", "zh-tw", "zh-hk", "zh-mo")
HIDDEN_FLAGS = set("H-T")  # rules that are only declared (whole page, title), never shown
VARIANT_TAGS = {"zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "zh-cn": "zh-CN", "zh-tw": "zh-TW", "zh-hk": "zh-HK",
                "zh-sg": "zh-SG", "zh-mo": "zh-MO", "zh-my": "zh-MY", "zh": "zh"}


def parse_rule(body: str) -> dict[str, str]:
    """``zh-hans:亚美尼亚;zh-hant:亞美尼亞;`` → {"zh-hans": "亚美尼亚", "zh-hant": "亞美尼亞"}."""
    forms = {}
    for part in body.split(";"):
        m = RULE.fullmatch(part.strip())
        if m and m.group("text").strip():
            forms[m.group("variant").lower()] = m.group("text").strip()
    return forms


def display_form(forms: dict[str, str]) -> str:
    for variant in DISPLAY_ORDER:
        if variant in forms:
            return forms[variant]
    return next(iter(forms.values()), "")


def strip_conversion_markup(text: str) -> tuple[str, list[dict[str, str]]]:
    """Replace each ``-{…}-`` by its display form padded to the same length; return the rules."""
    rules: list[dict[str, str]] = []

    def replace(m: re.Match) -> str:
        body, flags = m.group("body"), ""
        fm = FLAGS.match(body)
        if fm:
            flags, body = fm.group("flags"), body[fm.end():]
        forms = parse_rule(body)
        if forms:
            rules.append(forms)
        hidden = bool(set(flags.replace(";", "")) & HIDDEN_FLAGS)
        shown = "" if hidden else (display_form(forms) if forms else body)
        whole = m.group(0)
        return (shown + " " * len(whole))[: len(whole)] if len(shown) <= len(whole) else shown

    return MARKUP.sub(replace, text), rules


def note_ta_rules(code: Wikicode) -> tuple[list[dict[str, str]], list[str]]:
    """Article-wide rules of ``{{noteTA|1=zh-hans:…;zh-hant:…|G1=Country}}`` and its group names."""
    rules, groups = [], []
    for tpl in code.filter_templates(recursive=False):
        if normalise_template_name(str(tpl.name)) not in {"notota", "noteta", "note ta"}:
            continue
        for param in tpl.params:
            name = str(param.name).strip()
            value = str(param.value).strip()
            if name.isdigit():
                forms = parse_rule(value)
                if forms:
                    rules.append(forms)
            elif name.upper().startswith("G") and value:
                groups.append(value)
    return rules, groups


def variant_labels(text: str, rules: list[dict[str, str]]) -> list[tuple[str, str]]:
    """Every other form a conversion rule gives for ``text``, with its language tag."""
    out = []
    for forms in rules:
        if text in forms.values():
            out.extend((form, VARIANT_TAGS.get(variant, variant)) for variant, form in forms.items() if form != text)
    return out
