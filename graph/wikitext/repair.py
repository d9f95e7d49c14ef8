"""Parse stage guards: find what would make the parser lose data, repair what is safe, say so.

Every repair keeps line numbers true: text is only replaced by text of the same length, or
inserted inside a line. Each finding is a ``Finding`` (offset, severity, code, message); the
parser turns offsets into line:column once the page is indexed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from graph.data.regex_cache import data_regex, regex
from graph.data.vocab import mappings, normalise_template_name
from graph.wikitext.text import longest_first

PARSER_DEPTH = 32  # mwparserfromhell reads templates nested deeper than this as plain text
BROKEN_LINK = regex(r"\[\[([^\[\]{}|\n]{1,200})\n([^\[\]{}\n]{1,200})\]\]")
OUTSIDE_INFOBOX = regex(
    r"^(?:==|\{\{|\[\[(?:File|Image|Category|文件|分类|分類):"  # a heading, a template, a file or category
    r"|'{3}[^'\n]*[^'\n:：\s]'{3}(?!\s*$))",  # the lead's bold name followed by prose
    re.IGNORECASE)
HEADING = regex(r"\n={1,6}[^=\n][^\n]*?={1,6}[ \t]*(?=\n|$)")
ORPHAN_CLOSE = regex(r"</(ref|small|big|div|span|sup|sub|center|font)\s*>", re.IGNORECASE)
BRACES = regex(r"\{\{|\}\}")
LINE = regex(r"[^\n]*(?:\n|$)")
NOT_NEWLINE = regex(r"[^\n]")
NAMED_GROUP_OPENING = regex(r"[(][?]P<[a-z]+>")


@dataclass(frozen=True)
class Finding:
    """A repair made or a problem found in the markup, at an offset of the text."""

    offset: int
    severity: str
    code: str
    message: str


UNFINISHED_TAG = regex(r"<(?=/?(?:br|hr|ref|small|big|span|div|sup|sub|center|font|nowiki|references)\b)"
                            r"(?P<rest>/?[a-zA-Z]+[^<>\n]*)(?=[<\n]|$)", re.IGNORECASE)


def neutralise_unfinished_tags(text: str) -> tuple[str, list[Finding]]:
    """``<br /`` with no ``>`` is text for MediaWiki, but makes mwparserfromhell search the rest of
    the page for its end, once per such tag: quadratic. A full-width ``＜`` keeps it text, and offsets."""
    findings: list[Finding] = []

    def replace(m: re.Match) -> str:
        if len(findings) < 5:
            findings.append(Finding(m.start(), "warning", "unfinished-tag", f"tag without '>' read as text: "
                                    f"{m.group(0)[:40]!r}"))
        return "\uff1c" + m.group("rest")

    fixed = UNFINISHED_TAG.sub(replace, text)
    return fixed, findings


PAIRED_TAG = regex(r"<(?P<close>/)?(?P<name>ref|small|big|span|div|sup|sub|center|font)\b[^<>]*?(?P<self>/)?>",
                        re.IGNORECASE)


def neutralise_unclosed_tags(text: str) -> tuple[str, list[Finding]]:
    """``<ref>`` never closed makes mwparserfromhell look for ``</ref>`` to the end of the page, once per
    such tag: quadratic. An opening closed by nothing before the next opening of its kind, or before the next
    heading, is text (and the text after it is read)."""
    open_at: dict[str, int] = {}
    unclosed: list[int] = []
    for m in PAIRED_TAG.finditer(text):
        name = m.group("name").lower()
        if m.group("self"):
            continue
        if m.group("close"):
            opened = open_at.pop(name, None)
            if name == "ref" and opened is not None and HEADING.search(text, opened, m.start()):
                unclosed.append(opened)  # a footnote ends before the next heading: that </ref> is another's
            continue
        if name in open_at and name == "ref":  # refs do not nest: the earlier one was never closed
            unclosed.append(open_at[name])
        open_at[name] = m.start()
    unclosed += [pos for name, pos in open_at.items() if name == "ref"]
    if not unclosed:
        return text, []
    chars = list(text)
    for pos in unclosed:
        chars[pos] = "\uff1c"
    findings = [Finding(pos, "warning", "unclosed-tag", "<ref> never closed: read as text") for pos in unclosed[:5]]
    if len(unclosed) > 5:
        findings.append(Finding(unclosed[5], "warning", "unclosed-tag",
                                f"{len(unclosed):,} <ref>s never closed in all"))
    return "".join(chars), findings


def join_broken_links(text: str) -> tuple[str, list[Finding]]:
    """``[[亚美\\n尼亚]]`` is no link for MediaWiki either; joining the line keeps the entity."""
    findings = []

    def join(m: re.Match) -> str:
        findings.append(Finding(m.start(), "warning", "broken-link",
                                f"link broken across lines joined: {m.group(0)[:60]!r}"))
        return m.group(0).replace("\n", " ")

    return BROKEN_LINK.sub(join, text), findings


def neutralise_deep_nesting(text: str) -> tuple[str, list[tuple[int, int]], list[Finding]]:
    """Templates nested deeper than the parser reads: past its depth it takes an inner ``}}`` for the end of an
    outer template, so an infobox would end in the middle of one field and lose every field after it. Their
    braces become full-width (text, same length): only the outer templates are parsed, and the spans returned
    (each outermost too-deep template) let the extract stage drop the one field that holds them."""
    opened: list[tuple[int, bool]] = []  # where each open template starts, and whether it is too deep
    marked: list[int] = []
    spans: list[tuple[int, int]] = []
    for m in BRACES.finditer(text):
        if m.group() == "{{":
            deep = len(opened) >= PARSER_DEPTH
            opened.append((m.start(), deep))
            if deep:
                marked.append(m.start())
        elif opened:
            start, deep = opened.pop()
            if deep:
                marked.append(m.start())
                if len(opened) == PARSER_DEPTH:
                    spans.append((start, m.end()))
    if not marked:
        return text, [], []
    chars = list(text)
    for pos in marked:
        chars[pos] = "\uff5b" if text[pos] == "{" else "\uff5d"
        chars[pos + 1] = chars[pos]
    findings = [Finding(start, "warning", "too-deep", f"templates nested more than {PARSER_DEPTH} deep: the inner "
                        "ones read as text") for start, _ in spans[:5]]
    return "".join(chars), spans, findings


def infobox_opening(text: str) -> re.Match | None:
    names = longest_first({normalise_template_name(t) for m in mappings() for t in m["templates"]})
    alternatives = "|".join(re.escape(n).replace(r"\ ", r"[ _]+") for n in names)
    pattern = r"\{\{\s*(?:template:|模板:)?(" + alternatives + r")\s*(?=[|\n}])"
    return data_regex(pattern, re.IGNORECASE).search(text)


def close_unclosed_infobox(text: str) -> tuple[str, list[Finding]]:
    """An infobox opened and never closed is only text to the parser: close it where its fields end."""
    opening = infobox_opening(text)
    if opening is None:
        return text, []
    end = fields_end(text, opening.end())
    line = text.count("\n", 0, opening.start()) + 1
    finding = Finding(end, "warning", "unclosed-template",
                      f"{{{{{opening.group(1)} opened at line {line} is never closed; closed after its last field")
    return text[:end] + "}}" + text[end:], [finding]


def fields_end(text: str, start: int) -> int:
    """End of the last line of the ``|field = value`` block that starts at ``start``.

    The block runs until a line that cannot belong to an infobox value: a section heading, a
    template or file link at the start of a line, or the lead's bold name followed by prose
    (the lead's bold name, unlike a value's own bold heading such as ``死亡:`` in bold).
    """
    end = start
    for m in LINE.finditer(text[start:]):
        line = m.group(0)
        if m.start() > 0 and OUTSIDE_INFOBOX.match(line):
            break
        if line.strip():
            end = start + m.start() + len(line.rstrip("\n"))
        if not line.endswith("\n"):
            break
    return end


def restore_lost_opening(text: str, top_level: list[tuple[int, int]]) -> tuple[str, list[Finding]]:
    """``|combatant1=…`` lines closed by ``}}`` with the ``{{Infobox …`` lost: put the opening back.

    Only lines in the page's own text count (``top_level``: spans of text outside every template),
    and only fields of a column (combatantN, commanderN, …): ``|name=`` alone is any infobox.
    """
    column_fields = [p for m in mappings() for r in m["fields"] if isinstance(r["field"], list) for p in r["field"]]
    field_line = data_regex(r"^\|\s*(?:" + "|".join(f"(?:{NAMED_GROUP_OPENING.sub('(', p)})" for p in column_fields)
                                 + r")\s*=", re.MULTILINE)
    lines = [m for m in field_line.finditer(text) if any(a <= m.start() < b for a, b in top_level)]
    if len(lines) < 2 or "}}" not in text[lines[-1].start():]:
        return text, []
    block_start = first_field_line(text, lines[0].start())
    name = mappings()[0]["templates"][0]
    finding = Finding(block_start, "warning", "lost-template-opening",
                      f"infobox fields without their '{{{{' opening; read as {{{{{name}}}}}")
    return text[:block_start] + "{{" + name + text[block_start:], [finding]


def first_field_line(text: str, offset: int) -> int:
    """Walk back over the ``|field=`` lines just above ``offset`` (|conflict=, |date= come first)."""
    start = offset
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous:start].lstrip().startswith("|"):
            break
        start = previous
    return start


def orphan_closing_tags(text: str, offset: int) -> list[Finding]:
    return [Finding(offset + m.start(), "warning", "orphan-tag", f"orphan {m.group(0)} ignored")
            for m in ORPHAN_CLOSE.finditer(text)]


APOSTROPHES = regex(r"'{2,}")
REF_SPAN = regex(r"(<ref\b[^<>]*?(?<!/)>)(.*?)(</ref\s*>)", re.IGNORECASE | re.DOTALL)
NOT_PROSE = regex(r"<!--.*?-->|<(nowiki|pre|math|syntaxhighlight|source)\b[^>]*>.*?</\1\s*>",
                       re.IGNORECASE | re.DOTALL)


def quote_closer(text: str) -> str:
    """The ``''``/``'''`` that closes what ``text`` leaves open, as MediaWiki does at the end of a line.

    Runs of 2 toggle italics, 3 bold, 5 both (4 is an apostrophe and bold; more than 5, apostrophes and both).
    When both are left open MediaWiki reads one bold as an apostrophe and italics: nothing is left open."""
    italic = bold = 0
    for m in APOSTROPHES.finditer(text):
        n = len(m.group())
        italic += n == 2 or n >= 5
        bold += n in (3, 4) or n >= 5
    if italic % 2 and bold % 2:
        return ""
    return ("''" if italic % 2 else "") + ("'''" if bold % 2 else "")


def blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with each of ``spans`` (in order, not overlapping) blanked with spaces: same length."""
    pieces, last = [], 0
    for start, end in spans:
        pieces += [text[last:start], " " * (end - start)]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def lines_with_quotes(text: str) -> Iterator[tuple[int, str]]:
    """(end, line) of each line of ``text`` with a ``''`` in it, in order: those a quote may be left open in (the
    others need no reading)."""
    at = text.find("''")
    while at != -1:
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end == -1 else end
        yield end, text[start:end]
        at = text.find("''", end)


def close_open_quotes(text: str) -> tuple[str, list[Finding]]:
    """Italics or bold left open (``''Title`` with no closing ``''``) end at the end of their line (or of their
    ``<ref>``) for MediaWiki, but mwparserfromhell carries them on to the next ``''`` of the page, over
    ``</ref>`` and headings: 27 sections of a page vanished into one footnote. Close them where MediaWiki does;
    the closers are inserted inside the line, so line numbers stay true."""
    findings: list[Finding] = []
    inserts: list[tuple[int, str]] = []
    masked = NOT_PROSE.sub(lambda m: NOT_NEWLINE.sub(" ", m.group()), text)
    refs = list(REF_SPAN.finditer(masked))
    for m in refs:
        closer = quote_closer(m.group(2))
        if closer and "\n\n" not in m.group(2):
            inserts.append((m.start(3), closer))
    outside_text = blank_spans(masked, [m.span(2) for m in refs])
    for end, line in lines_with_quotes(outside_text):
        closer = quote_closer(line)
        if closer:
            inserts.append((end, closer))
    if not inserts:
        return text, []
    for at, closer in inserts[:5]:
        findings.append(Finding(at, "warning", "open-quotes", f"{closer!r} never closed: closed at the end of its "
                                "line or footnote, as MediaWiki does"))
    if len(inserts) > 5:
        findings.append(Finding(inserts[5][0], "warning", "open-quotes",
                                f"{len(inserts):,} italics or bold never closed in all"))
    out, last = [], 0
    for at, closer in sorted(inserts):
        out += [text[last:at], closer]
        last = at
    out.append(text[last:])
    return "".join(out), findings
