"""A cheap look at a page's raw text, before any parse: does it call an infobox we map?

Most pages of a dump are not about a conflict, and parsing is what costs (mwparserfromhell is most of a
page's time). A regular expression built from the mappings' template names (graph/data/mappings/) finds the
pages worth parsing; the parse still decides. It can only err towards parsing: a name in a comment or a
``<nowiki>`` passes the scan, and the parse then finds no infobox.
"""

from __future__ import annotations

import re
from functools import cache

from graph.data.regex_cache import regex
from graph.data.vocab import mappings, normalise_template_name
from graph.wikitext.text import longest_first


@cache
def infobox_call() -> re.Pattern[str]:
    names = longest_first({normalise_template_name(t) for m in mappings() for t in m["templates"]})
    # spaces in a name may be written as runs of spaces or underscores, as MediaWiki reads them
    alternatives = "|".join(r"[\s_]+".join(map(re.escape, name.split(" "))) for name in names)
    return regex(r"\{\{\s*(?:(?:template|模板|t)\s*:\s*)?(?:" + alternatives + r")\s*(?:\||\}\}|<!--|$)",
                      re.IGNORECASE | re.MULTILINE)


def calls_mapped_infobox(text: str) -> bool:
    return infobox_call().search(text) is not None
