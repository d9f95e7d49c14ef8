"""What a query's text says before any engine reads it: its form (SELECT, ASK, CONSTRUCT, DESCRIBE), its
variables and result columns, the prefixes it declares and uses; and its syntax errors said in one line.

A lexical reading, not a parser: strings, IRIs and comments are blanked first, so that a ``?x`` or ``wkg:`` inside
them is not taken for a variable or a prefix. Good enough to name things in messages and to choose how a
``--param`` is bound; the engine still decides what is valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.data.regex_cache import regex
from graph.rdf.terms import PREFIXES

# Order matters: a long string before a short one, strings and IRIs before comments (a '#' inside them is text)
LEXEMES = regex(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                r'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*')
PREFIX_DECL = regex(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE)
PREFIXED_NAME = regex(r"(?<![\w?$:.-])([A-Za-z][\w.-]*)?:(?=[\w%\\-]|$)")
VARIABLE = regex(r"[?$]([A-Za-z_0-9][\w]*)")
FORM = regex(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
SELECT_CLAUSE = regex(r"\bSELECT\b(.*?)\b(WHERE\b|FROM\b|\{)", re.IGNORECASE | re.DOTALL)
ALIAS = regex(r"\bAS\s+[?$]([A-Za-z_0-9]\w*)", re.IGNORECASE)


def blanked(text: str) -> str:
    """The text with strings, IRIs and comments replaced by spaces (line and column numbers kept)."""
    return LEXEMES.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE: the first of these words after the prologue (SELECT if none)."""
    m = FORM.search(blanked(text))
    return m.group(1).upper() if m else "SELECT"


@dataclass(frozen=True)
class Columns:
    """A SELECT's result columns, in order, and those of them computed by ``(… AS ?x)``."""

    names: tuple[str, ...]
    computed: frozenset[str]
    star: bool = False  # SELECT *: every variable of the pattern is a column


def result_columns(text: str) -> Columns:
    plain = blanked(text)
    m = SELECT_CLAUSE.search(plain)
    if m is None or query_form(text) != "SELECT":
        return Columns((), frozenset())
    clause = m.group(1)
    if re.search(r"(^|\s)\*(\s|$)", clause):
        return Columns(tuple(variables(text)), frozenset(), star=True)
    computed = ALIAS.findall(clause)
    without_expressions = re.sub(r"\([^()]*(?:\([^()]*(?:\([^()]*\)[^()]*)*\)[^()]*)*\)", " ", clause)
    direct = VARIABLE.findall(without_expressions)
    names = [n for n in re.findall(r"[?$]([A-Za-z_0-9]\w*)", clause) if n in computed or n in direct]
    return Columns(tuple(dict.fromkeys(names)), frozenset(computed))


def variables(text: str) -> list[str]:
    """Every variable the query names, in order of first appearance."""
    return list(dict.fromkeys(VARIABLE.findall(blanked(text))))


def undeclared_prefixes(text: str) -> list[tuple[int, str]]:
    """(line, prefix) of each prefixed name whose prefix no PREFIX declares, in order."""
    plain = blanked(text)
    declared = set(PREFIX_DECL.findall(plain))
    found = []
    for number, line in enumerate(plain.splitlines(), start=1):
        for m in PREFIXED_NAME.finditer(re.sub(r"\bPREFIX\s+[\w.-]*:", " ", line, flags=re.IGNORECASE)):
            prefix = m.group(1) or ""
            if prefix not in declared and (number, prefix) not in found:
                found.append((number, prefix))
    return found


def explain_syntax_error(text: str, message: str) -> str:
    """Oxigraph's message in one line: a missing PREFIX named (with the declaration to add when it is one of
    ours), the lists of character ranges the parser expected left out."""
    if "Prefix not found" in message:
        missing = undeclared_prefixes(text)
        if missing:
            line, prefix = missing[0]
            known = PREFIXES.get(prefix)
            hint = f"; add: PREFIX {prefix}: <{known}>" if known else "; declare it with PREFIX"
            return f"line {line}: the prefix {prefix}: is used but not declared{hint}"
    first = " ".join(message.split())
    without_ranges = re.sub(r",?\s*\[(?:'[^']*'|[^\]'])*\]", "", first)
    return re.sub(r"expected one of\s*,?\s*", "expected one of ", without_ranges).rstrip(", ")
