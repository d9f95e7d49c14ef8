"""Turtle every parser reads: prefixed names that would need a backslash escape are written as full IRIs.

pyoxigraph abbreviates an IRI to a prefixed name whenever its prefix matches, escaping what PN_LOCAL forbids
(``en:Washington_D.C\\.``, ``zh:X\\/side\\/1``, ``en:Treaty_of_Paris_\\(1783\\)``). That is legal Turtle, but rdflib
and older stores reject some of it (a local name ending in an escaped dot), so such names are written back as
``<IRI>``: readable prefixed names stay, and no reader has to know the escape rules.
"""

from __future__ import annotations

import re

from graph.data.regex_cache import regex

# Skipped whole: a string literal (its text may hold anything) and an IRI already written in full.
# A prefixed name is a whole token: pyoxigraph separates terms and punctuation with spaces.
_TOKEN = regex(r'"(?:[^"\\\n]|\\.)*"|<[^>\s]*>|(?<!\S)(?P<prefix>[A-Za-z][\w.-]*)?:(?P<local>\S*\\\S*)')
_ESCAPE = regex(r"\\(.)")


def full_iris_for_escaped_names(turtle: bytes, prefixes: dict[str, str]) -> bytes:
    """``turtle`` with every prefixed name holding an escape written as ``<namespace + local>``."""
    text = turtle.decode("utf-8")
    if "\\" not in text:
        return turtle

    def rewrite(m: re.Match) -> str:
        if m.group("local") is None:
            return m.group(0)
        namespace = prefixes.get(m.group("prefix") or "")
        if namespace is None:  # not a prefixed name of ours (cannot happen in pyoxigraph output): leave it
            return m.group(0)
        local = _ESCAPE.sub(r"\1", m.group("local"))
        return f"<{namespace}{local}>"

    if '"""' in text:  # a long string may span lines (pyoxigraph writes none): the whole text, token by token
        return _TOKEN.sub(rewrite, text).encode("utf-8")
    # Every token lies on one line, so only the lines holding a backslash are read (23 of the seed's 3,306)
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if "\\" in line:
            lines[i] = _TOKEN.sub(rewrite, line)
    return "\n".join(lines).encode("utf-8")
