"""What a link's prefix means: another Wikipedia (a real language code), an identifier scheme (doi:, hdl:), a
sister project, or nothing (part of the title). The lists are data: graph/data/interwiki.yaml."""

from __future__ import annotations

from functools import cache

from graph.data.vocab import load


@cache
def wikipedia_languages() -> frozenset[str]:
    return frozenset(str(code) for code in load("interwiki")["wikipedia_languages"])


def wiki_language(prefix: str | None) -> str | None:
    """``bg`` for ``[[:bg:Title]]``; None when the prefix is no Wikipedia's language code (``doi``, ``ben-hur``)."""
    prefix = (prefix or "").strip().lower()
    return prefix if prefix in wikipedia_languages() else None


def identifier_namespace(prefix: str | None) -> str | None:
    """The resolver IRI of an identifier scheme (``doi`` → https://doi.org/), None for any other prefix."""
    return load("interwiki")["identifier_prefixes"].get((prefix or "").strip().lower())


def is_sister_project(prefix: str | None) -> bool:
    return (prefix or "").strip().lower() in load("interwiki")["sister_prefixes"]


def language_tag(wiki: str) -> str:
    """The BCP 47 tag of a wiki's language (``zh-min-nan`` → ``nan``, ``simple`` → ``en``), as Wikidata tags it."""
    return load("interwiki")["language_tags"].get(wiki, wiki)
