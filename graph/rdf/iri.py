"""Deterministic IRIs: entities keyed on wiki language + normalised title, statements on content.

IRIs of ours stay readable Unicode (RFC 3987); only what Turtle or the IRI grammar forbids is percent-encoded.
"/" is kept as it is, as DBpedia does (``resource/en/T-54/55``): w3id.org's redirects refuse an encoded slash.
Wikipedia page IRIs are written as MediaWiki (and so Wikidata's sitelinks) write them, UTF-8 percent-encoded,
so that ``schema:about`` joins with Wikidata's RDF.
"""

from __future__ import annotations

import urllib.parse
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.digests import sha1, sha256

BASE = "https://w3id.org/wikikg/"
ONTOLOGY = BASE + "ontology#"
RESOURCE = BASE + "resource/"
STATEMENT = BASE + "statement/"
CITATION = BASE + "citation/"
SECTION = BASE + "section/"
EVENT = BASE + "event/"
GRAPH = BASE + "graph/"  # an article's named graph (graph_iri)

_ASCII_OK = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@/")
# Characters MediaWiki's wfUrlencode leaves as they are in article URLs (the RDF dumps use the same URLs).
MEDIAWIKI_URL_SAFE = ";@$!*(),/~:"
_UCSCHAR = regex(
    "[\u00a0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef"
    "\U00010000-\U0001fffd\U00020000-\U0002fffd\U00030000-\U0003fffd\U00040000-\U0004fffd"
    "\U00050000-\U0005fffd\U00060000-\U0006fffd\U00070000-\U0007fffd\U00080000-\U0008fffd"
    "\U00090000-\U0009fffd\U000a0000-\U000afffd\U000b0000-\U000bfffd\U000c0000-\U000cfffd"
    "\U000d0000-\U000dfffd\U000e1000-\U000efffd]"
)


@lru_cache(maxsize=65536)  # the article's title and language are in every citation's, section's and event's IRI
def encode_segment(text: str) -> str:
    """A title or key in an IRI: spaces → "_", forbidden characters percent-encoded ("/" kept)."""
    text = text.replace(" ", "_")
    if _ALL_OK.fullmatch(text):  # most titles: nothing to encode, no loop over their characters
        return text
    out = []
    for ch in text:
        if ch in _ASCII_OK or (ord(ch) > 127 and _UCSCHAR.match(ch)):
            out.append(ch)
        else:
            data = ch.encode("utf-8", errors="replace") if not 0xD800 <= ord(ch) <= 0xDFFF else "\ufffd".encode()
            out.append("".join(f"%{b:02X}" for b in data))
    return "".join(out) or "_"


# A whole segment of characters encode_segment keeps as they are (unreserved and sub-delims, ":", "@", "/", and
# RFC 3987's ucschar): the same sets as its loop, as one pattern
_ALL_OK = regex("(?:[A-Za-z0-9\\-._~!$&'()*+,;=:@/]|" + _UCSCHAR.pattern + ")+")


def entity_iri(lang: str, title: str) -> str:
    return f"{RESOURCE}{encode_segment(lang)}/{encode_segment(title)}"


def side_iri(conflict_iri: str, side: int) -> str:
    return f"{conflict_iri}/side/{side}"


def statement_iri(*parts: object) -> str:
    digest = sha256("\x1f".join(str(p) for p in parts).encode("utf-8", "surrogatepass")).hexdigest()
    return STATEMENT + digest[:20]


def citation_iri(lang: str, title: str, key: str) -> str:
    return f"{CITATION}{encode_segment(lang)}/{encode_segment(title)}/{encode_segment(key)}"


def work_iri(key: str) -> str:
    """A work is keyed on what identifies it (ISBN-13, DOI, URL, authors + year + title): shared by articles."""
    return BASE + "work/" + sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def section_iri(lang: str, title: str, position: int) -> str:
    return f"{SECTION}{encode_segment(lang)}/{encode_segment(title)}/{position}"


def event_iri(*parts: object) -> str:
    return EVENT + statement_iri(*parts)[len(STATEMENT):]


def graph_iri(lang: str, title: str) -> str:
    """The named graph of an article, in our namespace; it is also the article's VoID subset."""
    return f"{GRAPH}{encode_segment(lang)}/{encode_segment(title)}"


def revision_iri(lang: str, revision_id: int) -> str:
    """A revision's permanent URL (``oldid``), as DBpedia and Wikidata cite one."""
    return f"https://{encode_segment(lang)}.wikipedia.org/w/index.php?oldid={revision_id}"


def history_iri(lang: str, title: str) -> str:
    """A page's revision history: the list of its contributors, which CC BY-SA attribution points to."""
    quoted = urllib.parse.quote(title.replace(" ", "_"), safe=MEDIAWIKI_URL_SAFE)
    return f"https://{encode_segment(lang)}.wikipedia.org/w/index.php?title={quoted}&action=history"


@lru_cache(maxsize=65536)  # a page names the same pages again and again (links, items, labels): each quoted once
def wikipedia_iri(lang: str, title: str) -> str:
    """The page's URL as Wikidata's sitelinks write it: ``https://zh.wikipedia.org/wiki/%E4%BA%9A…``, the first
    letter capitalised as every Wikipedia does (``[[battle of Wakefield]]`` is the page Battle_of_Wakefield)."""
    first = title[:1].upper()
    if len(first) == 1:  # not "ß" → "SS": MediaWiki keeps such a letter
        title = first + title[1:]
    return mediawiki_url(f"https://{encode_segment(lang)}.wikipedia.org/", title)


def mediawiki_url(wiki: str, title: str) -> str:
    """``wiki`` (``https://xx.wikipedia.org/``) + ``wiki/`` + the title, spaces as ``_``, UTF-8 percent-encoded."""
    return f"{wiki}wiki/{urllib.parse.quote(title.replace(' ', '_'), safe=MEDIAWIKI_URL_SAFE)}"


_FORBIDDEN = regex(r'[\x00-\x20<>"{}|^`\\]')


def check_iri(iri: str) -> None:
    """Raise ValueError when an IRI would not survive a strict Turtle parser."""
    if _FORBIDDEN.search(iri):
        raise ValueError(f"invalid IRI minted: {iri!r}")


def reconciliation_iri(entity_iri: str) -> str:
    """One reconciliation record per entity: re-running the reconciler replaces it."""
    return f"{BASE}reconciliation/{sha1(entity_iri.encode('utf-8')).hexdigest()[:20]}"
