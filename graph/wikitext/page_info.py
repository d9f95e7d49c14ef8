"""What a parsed page says about itself: its title in the lead, its infobox name, redirect,
disambiguation, and the zh conversion rules of its {{noteTA}}."""

from __future__ import annotations

import re

from mwparserfromhell.nodes import Tag

from graph.data.regex_cache import regex
from graph.data.vocab import load, normalise_template_name
from graph.wikitext.page import Page
from graph.wikitext.text import clean_spaces
from graph.wikitext.variants import note_ta_rules

REDIRECT = regex(r"^\s*#\s*(?P<word>[^\s\[]+)\s*:?\s*\[\[(?P<target>[^\]|\n]+)", re.IGNORECASE)


def redirect_title(page: Page) -> str | None:
    """The target of ``#REDIRECT [[…]]`` (in any of the wiki's redirect words), or None."""
    m = REDIRECT.match(page.text)
    if not m or m.group("word").lower() not in {w.lower() for w in load("templates")["redirect_words"]}:
        return None
    return m.group("target")


def lead_title(page: Page) -> str | None:
    """The first bold phrase of the lead: Wikipedia's manual of style puts the title there."""
    for node in page.code.nodes:
        if isinstance(node, Tag) and str(node.tag) == "b" and node.wiki_markup == "'''" and node.contents:
            text = clean_spaces(node.contents.strip_code())
            if text and not text.isdigit():
                return text
        if node.__class__.__name__ == "Heading":
            return None
    return None


def infobox_name(page: Page, infoboxes) -> str | None:
    for infobox in infoboxes:
        for key in ("conflict", "name"):
            if key in infobox.params:
                text = clean_spaces(infobox.params[key].value.strip_code())
                if text:
                    return text
    return None


def is_disambiguation(page: Page) -> bool:
    names = {normalise_template_name(n) for n in load("templates")["disambiguation"]}
    return any(normalise_template_name(str(t.name)) in names for t in page.code.filter_templates(recursive=False))


def conversion_rules(page: Page) -> list[dict[str, str]]:
    rules, groups = note_ta_rules(page.code)
    for group in groups:
        if group.strip().lower() != "country":  # the Country group is built in: graph.extract.flags.zh_regional_names
            page.diagnose(0, "info", "conversion-group", f"conversion group {group!r} is not available offline; "
                          "only the rules written in the page are used")
    return rules
