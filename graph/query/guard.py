"""What a query must pass before any engine sees it: size, nesting depth, pattern count, and SERVICE.

Oxigraph's SPARQL engine crashes the whole process on some small, valid queries (``{`` nested 2,200 deep,
10,000 UNIONs, 10,000 flat triple patterns: a segmentation fault, not an exception). Those are turned away here,
by a lexical scan that cannot recurse, before parsing. What still gets through runs in a worker process that can
be killed (graph.query.pool), so this check is the cheap first line, not the only one.

``SERVICE`` makes the engine send HTTP requests from the server's host: refused unless the endpoint was allowed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.errors import WikikgError


class QueryRefused(WikikgError):
    """A query turned away before it runs; ``http_status`` is what a server answers with."""

    exit_status = 1

    def __init__(self, message: str, http_status: int = 400) -> None:
        super().__init__(message)
        self.http_status = http_status


@dataclass(frozen=True)
class QueryLimits:
    max_bytes: int = 64 * 1024
    max_depth: int = 64  # nested { } and ( ) together; hand-written queries rarely pass 10
    max_patterns: int = 1_000  # triple patterns, groups and UNION branches
    allowed_services: frozenset[str] | None = field(default_factory=frozenset)  # None: any (a local run)


# The lexical pieces of SPARQL that may hold braces, keywords or '#' without being them.
TOKEN = re.compile(r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00b7\u0300-\u036f\u203f-\u2040]+)
  | (?P<name>[\w.\-\u00b7:%\\]+)
  | (?P<punct>.)
""", re.VERBOSE | re.DOTALL)
OPENERS, CLOSERS = "{(", "})"
SEPARATORS = {".", ";", ","}


def tokens(text: str) -> list[tuple[str, str]]:
    """(kind, text) of each token, without spaces and comments."""
    return [(m.lastgroup, m.group()) for m in TOKEN.finditer(text) if m.lastgroup not in ("space", "comment")]


def check_query(text: str, limits: QueryLimits) -> None:
    """Raise QueryRefused if the query is too large, too deep, too long, or calls a service not allowed."""
    size = len(text.encode("utf-8"))
    if size > limits.max_bytes:
        raise QueryRefused(f"query of {size:,} bytes refused: the limit is {limits.max_bytes:,}", 413)
    found = tokens(text)
    depth = deepest = patterns = 0
    for kind, word in found:
        if kind == "punct" and word in OPENERS:
            depth += 1
            deepest = max(deepest, depth)
            patterns += word == "{"
        elif kind == "punct" and word in CLOSERS:
            depth -= 1
        elif (kind == "punct" and word in SEPARATORS) or (kind == "name" and word.upper() == "UNION"):
            patterns += 1
    if deepest > limits.max_depth:
        raise QueryRefused(f"query nested {deepest} deep refused: the limit is {limits.max_depth}")
    if patterns > limits.max_patterns:
        raise QueryRefused(f"query of {patterns:,} patterns refused: the limit is {limits.max_patterns:,}")
    if limits.allowed_services is not None:
        check_services(found, limits.allowed_services)


def check_services(found: list[tuple[str, str]], allowed: frozenset[str]) -> None:
    prefixes = declared_prefixes(found)
    for i, (kind, word) in enumerate(found):
        if kind != "name" or word.upper() != "SERVICE":
            continue
        rest = [w for w in found[i + 1:i + 3] if not (w[0] == "name" and w[1].upper() == "SILENT")]
        target = service_target(rest[0] if rest else ("punct", ""), prefixes)
        if target is None:
            raise QueryRefused("SERVICE with a variable endpoint is refused: name the endpoint", 403)
        if target not in allowed:
            hint = "; allowed: " + ", ".join(sorted(allowed)) if allowed else " (start the server with " \
                "--allow-service URL to allow one)"
            raise QueryRefused(f"SERVICE <{target}> refused: this server queries no other endpoint{hint}", 403)


def declared_prefixes(found: list[tuple[str, str]]) -> dict[str, str]:
    prefixes = {}
    for i, (kind, word) in enumerate(found[:-2]):
        if kind == "name" and word.upper() == "PREFIX" and found[i + 2][0] == "iri":
            prefixes[found[i + 1][1].rstrip(":")] = found[i + 2][1][1:-1]
    return prefixes


def service_target(token: tuple[str, str], prefixes: dict[str, str]) -> str | None:
    kind, word = token
    if kind == "iri":
        return word[1:-1]
    if kind == "name" and ":" in word:
        prefix, _, local = word.partition(":")
        return prefixes.get(prefix, "") + local
    return None
