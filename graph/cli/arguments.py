"""Argparse ``type=`` checks shared by the subcommands: a value out of range is a usage error (exit 2) whose
message says what is allowed, e.g. ``argument --limit: must be a whole number 0 or more, not -1``.
"""

from __future__ import annotations

import argparse
import math
import re
from typing import TypeVar

from graph.data.regex_cache import regex

# Wikipedia's language codes: en, zh, zh-yue, simple, be-tarask, zh-min-nan, ...
WIKI_CODE = regex(r"[a-z]{2,12}(-[a-z]{2,12})*")
# A size in bytes: 500000, 512K, 2M, 1G (binary multiples, as MediaWiki's $wgMaxArticleSize counts)
BYTE_SIZE = regex(r"([0-9]{1,15})\s*([kmg]?)", re.IGNORECASE)
MULTIPLES = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def _int(text: str, allowed: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {allowed}, not {text!r}") from None


Number = TypeVar("Number", int, float)


def _float(text: str, allowed: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be {allowed}, not {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be {allowed}, not {text!r}")
    return value


def within(value: Number, ok: bool, text: str, allowed: str) -> Number:
    """``value`` when ``ok``, else the usage error that says what is allowed."""
    if not ok:
        raise argparse.ArgumentTypeError(f"must be {allowed}, not {text}")
    return value


def non_negative_int(text: str) -> int:
    """A count that may be 0 (``--limit 0`` prints only the header)."""
    allowed = "a whole number 0 or more"
    value = _int(text, allowed)
    return within(value, value >= 0, text, allowed)


def positive_int(text: str) -> int:
    """A count of at least 1 (``--max-rows``, ``--retries``)."""
    allowed = "a whole number 1 or more"
    value = _int(text, allowed)
    return within(value, value >= 1, text, allowed)


def positive_float(text: str) -> float:
    """Seconds of a time limit: more than 0 (0 would mean "no time at all", not "no limit")."""
    allowed = "a number of seconds above 0"
    value = _float(text, allowed)
    return within(value, value > 0, text, allowed)


def byte_size(text: str) -> int:
    """A number of bytes of at least 1, with an optional K, M or G (×1024, ×1024², ×1024³): ``2M``."""
    allowed = "a number of bytes 1 or more, such as 500000, 512K or 2M"
    m = BYTE_SIZE.fullmatch(text.strip())
    if m is None:
        raise argparse.ArgumentTypeError(f"must be {allowed}, not {text!r}")
    value = int(m.group(1)) * MULTIPLES[m.group(2).lower()]
    return within(value, value >= 1, text, allowed)


def fraction(text: str) -> float:
    """A score or a margin, from 0 to 1."""
    allowed = "a number from 0 to 1"
    value = _float(text, allowed)
    return within(value, 0 <= value <= 1, text, allowed)


def port_number(text: str) -> int:
    """A TCP port, 1 to 65535."""
    allowed = "a port number from 1 to 65535"
    value = _int(text, allowed)
    return within(value, 1 <= value <= 65535, text, allowed)


def wiki_language(text: str) -> str:
    """A Wikipedia's language code (the subdomain of xx.wikipedia.org), lowercased: zh, en, zh-yue."""
    code = text.strip().lower()
    if not WIKI_CODE.fullmatch(code):
        raise argparse.ArgumentTypeError(f"must be a Wikipedia language code such as zh, en or zh-yue, not {text!r}")
    return code


def web_origin(text: str) -> str:
    """A web page's origin as browsers send it (``https://yasgui.org``, ``http://localhost:8080``), or ``*``."""
    if text == "*" or re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:[0-9]{1,5})?|https?://\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?",
                                   text):
        return text
    raise argparse.ArgumentTypeError(f"must be an origin such as https://yasgui.org (scheme://host[:port], no path) "
                                     f"or '*', not {text!r}")


def http_url(text: str) -> str:
    if re.fullmatch(r"https?://[^\s<>\"{}|^`\\]+", text):
        return text
    raise argparse.ArgumentTypeError(f"must be an http:// or https:// URL, not {text!r}")


def add_wikidata_source(parser: argparse.ArgumentParser, purpose: str = "") -> None:
    """Where Wikidata is read: an offline index or a SPARQL endpoint of Wikidata-shaped RDF (one or the other), else
    live Wikidata with the user's contact in the User-Agent. ``purpose``: ", for sitelinks" and the like."""
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--offline", metavar="INDEX", help=f"a Wikidata index (wikikg wikidata-index build){purpose}")
    source.add_argument("--endpoint", metavar="URL", help=f"a SPARQL endpoint of Wikidata-shaped RDF{purpose}")
    parser.add_argument("--user-agent", metavar="CONTACT", dest="contact", help="your contact, for live Wikidata")
