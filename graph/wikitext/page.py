"""Parse stage: wikitext → mwparserfromhell tree, with guards, and the infoboxes found in it.

mwparserfromhell is lenient (it never fails) but slow on pathological input and silently
stops nesting past a depth limit, so every page goes through ``check_limits`` first.
"""

from __future__ import annotations

import bisect
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

import mwparserfromhell
from mwparserfromhell.nodes import Heading, Template, Text
from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import regex
from graph.data.vocab import mappings, normalise_template_name
from graph.wikitext import repair
from graph.wikitext.diagnostics import Diagnostic
from graph.wikitext.read import Source
from graph.wikitext.variants import strip_conversion_markup
from graph.wikitext.walk import NodeIndex, index_nodes

MAX_PAGE_CHARS = 5_000_000
MAX_REPORTED = 5  # unmatched '{{' reported one by one; the rest are counted
BRACES = regex(r"\{\{|\}\}")
NEWLINE = regex("\n")
CHARACTER_REFERENCE = regex(r"&#(?:[xX](?P<hex>[0-9a-fA-F]{1,8})|(?P<dec>\d{1,10}));")
SLOW_PARSE_SECONDS = 5.0


class LineIndex:
    """Character offset → (line, column), both 1-based."""

    def __init__(self, text: str) -> None:
        self._starts = [0] + [m.end() for m in NEWLINE.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        i = bisect.bisect_right(self._starts, offset) - 1
        return i + 1, offset - self._starts[i] + 1


@dataclass
class Page:
    """A parsed page: the tree, its lines, its indexes, and the diagnostics found while reading it."""

    source: Source
    code: Wikicode
    lines: LineIndex
    diagnostics: list[Diagnostic] = field(default_factory=list)
    text: str = ""  # the text that was parsed (after the guards), which offsets point into
    conversions: list[dict[str, str]] = field(default_factory=list)  # -{zh-hans:…;zh-hant:…}- rules
    markers: dict[int, object] = field(default_factory=dict)  # <ref> node id → RefMarker (graph.extract.refs)
    # the text with comments blanked and the <ref>s read from it, once (graph.extract.refs.page_refs_in_text)
    text_refs: tuple[str, list] | None = field(default=None, repr=False, compare=False)
    too_deep: list[tuple[int, int]] = field(default_factory=list)  # templates nested past the parser, read as text
    index: NodeIndex | None = field(default=None, repr=False, compare=False)  # see ``nodes``

    @property
    def nodes(self) -> NodeIndex:
        """Every template, tag and link of the tree with its offset, from one walk made on first use: the extract
        stage reads these instead of walking the tree again for each kind of node."""
        if self.index is None:
            self.index = index_nodes(self.code)
        return self.index

    def holds_too_deep(self, start: int, end: int) -> bool:
        """Whether ``start:end`` holds templates nested past the parser's depth (repair.neutralise_deep_nesting)."""
        return any(start <= a < end for a, _ in self.too_deep)

    def diagnose(self, offset: int, severity: str, code: str, message: str) -> None:
        line, col = self.lines.position(offset)
        self.diagnostics.append(Diagnostic(self.source.name, line, col, severity, code, message))


@dataclass
class Param:
    """One infobox field: its name, its value (a tree) and where it starts in the page."""

    name: str  # normalised: lower case, stripped
    value: Wikicode
    offset: int  # where the value starts in the page text


@dataclass
class Infobox:
    """An infobox of the page, with its fields and the mapping that reads it."""

    name: str  # as written
    offset: int
    params: dict[str, Param]
    mapping: dict


def parse_page(source: Source, conversion_markup: bool = False) -> Page:
    """Parse one page; ``conversion_markup``: read the zh wiki's ``-{…}-`` (same-length rewrite)."""
    text, diagnostics = guard_text(source)
    rules: list[dict[str, str]] = []
    if conversion_markup and "-{" in text:
        text, rules = strip_conversion_markup(text)
    text, findings = repair.join_broken_links(text)
    text, unfinished = repair.neutralise_unfinished_tags(text)
    findings += unfinished
    text, unclosed = repair.neutralise_unclosed_tags(text)
    findings += unclosed
    text, quotes = repair.close_open_quotes(text)
    findings += quotes
    text, too_deep, deep = repair.neutralise_deep_nesting(text)
    findings += deep
    started = time.perf_counter()
    code = mwparserfromhell.parse(text)
    index: NodeIndex | None = index_nodes(code)  # the page's one walk, if the text stays as it is
    if not any(mapping_for(str(t.name)) for t, _ in index.content_templates):
        top_level = text_spans(top_spans(code, index))
        for fix in (repair.close_unclosed_infobox, lambda t: repair.restore_lost_opening(t, top_level)):
            fixed, found = fix(text)
            if found:
                text, code, index = fixed, mwparserfromhell.parse(fixed), None
                findings += found
                break
    page = Page(source, code, LineIndex(text), diagnostics, text, rules, too_deep=too_deep, index=index)
    findings += hidden_text(top_spans(code, index), text)
    for f in findings:
        page.diagnose(f.offset, f.severity, f.code, f.message)
    elapsed = time.perf_counter() - started
    if elapsed > SLOW_PARSE_SECONDS:
        page.diagnose(0, "warning", "slow-parse", f"parsing took {elapsed:.1f} s; the page may be malformed")
    return page


HEADING_LINE = regex(r"^(={1,6})[^=\n].*?\1[ \t]*$", re.MULTILINE)


def top_spans(code: Wikicode, index: NodeIndex | None) -> list[tuple[object, int, int]]:
    """The top-level nodes with their spans: from the page's walk, or (the text repaired after it) by printing
    each node."""
    if index is not None:
        return index.top
    spans, pos = [], 0
    for node in code.nodes:
        end = pos + len(str(node))
        spans.append((node, pos, end))
        pos = end
    return spans


def hidden_text(spans: list[tuple[object, int, int]], text: str) -> list[repair.Finding]:
    """Headings the parser swallowed into a tag, a link or a template at the top of the page (``spans``: the
    top-level nodes, ``top_spans``): the sections there are not read. Say so, and how much:
    ``N lines (A–B) not read``."""
    findings = []
    for node, pos, end in spans:
        if isinstance(node, (Heading, Text)) or "=" not in text[pos:end]:
            continue
        body = text[pos:end]
        if HEADING_LINE.search(body):
            first = text.count("\n", 0, pos) + 1
            last = first + body.count("\n")
            headings = len(HEADING_LINE.findall(body))
            findings.append(repair.Finding(pos, "warning", "hidden-text",
                                           f"{last - first + 1:,} lines ({first}–{last}) not read: {headings} "
                                           f"heading(s) inside {body[:30]!r}…"))
    return findings


def guard_text(source: Source) -> tuple[str, list[Diagnostic]]:
    """Cut what would make the parser slow or lose data, and say so."""
    text, diags = source.text, []
    if len(text) > MAX_PAGE_CHARS:
        diags.append(Diagnostic(source.name, 1, 1, "warning", "page-too-large",
                                f"page has {len(text):,} characters; only the first {MAX_PAGE_CHARS:,} are read"))
        text = text[:MAX_PAGE_CHARS]
    if "&#" in text:
        text = CHARACTER_REFERENCE.sub(replace_impossible_character, text)
    unmatched = unmatched_openings(text)
    if unmatched:
        lines = LineIndex(text)
        for pos in unmatched[:MAX_REPORTED]:
            line, col = lines.position(pos)
            diags.append(Diagnostic(source.name, line, col, "warning", "unmatched-braces",
                                    "'{{' never closed: read as text"))
        if len(unmatched) > MAX_REPORTED:
            diags.append(Diagnostic(source.name, 1, 1, "warning", "unmatched-braces",
                                    f"{len(unmatched):,} '{{{{' never closed in all: read as text"))
        text = neutralise(text, unmatched)
    return text, diags


def replace_impossible_character(m: re.Match) -> str:
    """&#xD800; (a surrogate) or &#x110000; names no character: U+FFFD, padded to keep offsets."""
    value = int(m.group("hex"), 16) if m.group("hex") else int(m.group("dec"))
    if 0xD800 <= value <= 0xDFFF or value > 0x10FFFF:
        return "\ufffd" + " " * (len(m.group()) - 1)
    return m.group()


def unmatched_openings(text: str) -> list[int]:
    """Offsets of every '{{' with no '}}' after it, except an infobox's (repair closes that one).

    mwparserfromhell re-reads the rest of the page once per unclosed '{{': quadratic time.
    """
    opens: list[int] = []
    for m in BRACES.finditer(text):
        if m.group() == "{{":
            opens.append(m.start())
        elif opens:
            opens.pop()
    if not opens:
        return []
    infobox = repair.infobox_opening(text)
    return [pos for pos in opens if infobox is None or pos != infobox.start()]


def neutralise(text: str, positions: list[int]) -> str:
    chars = list(text)
    for pos in positions:
        chars[pos] = "\uff5b"  # a full-width brace: shown, never parsed
    return "".join(chars)


def text_spans(spans: list[tuple[object, int, int]]) -> list[tuple[int, int]]:
    """Where the page's own text is: top-level Text nodes (of ``top_spans``), outside every template and tag."""
    return [(start, end) for node, start, end in spans if isinstance(node, Text)]


def iter_templates(code: Wikicode, offset: int = 0) -> Iterator[tuple[Template, int]]:
    """Every template in the tree with its character offset, outermost first: in template parameters and in
    tags too (an infobox in a table cell, ``{| |{{Infobox military conflict …}} |}``, or in a ``<div>``). A page's
    own are ``page.nodes.content_templates``, found by the walk that finds its other nodes."""
    yield from index_nodes(code, offset).content_templates


def param_offsets(tpl: Template, offset: int, index: NodeIndex | None = None) -> Iterator[tuple[object, int]]:
    """Each parameter of ``tpl`` with the offset of its value (str(tpl) round-trips exactly). ``index``: the walk
    of the tree ``tpl`` belongs to, which measures its names and values without printing them."""
    length = index.code_length if index is not None else (lambda code: len(str(code)))
    pos = offset + 2 + length(tpl.name)
    for param in tpl.params:
        pos += 1  # the "|"
        if param.showkey:
            pos += length(param.name) + 1  # "name="
        yield param, pos
        pos += length(param.value)


def mapping_for(name: str) -> dict | None:
    norm = normalise_template_name(name)
    return next((mapping for names, mapping in mapping_names() if norm in names), None)


@cache
def mapping_names() -> tuple[tuple[frozenset[str], dict], ...]:
    """Each mapping with its template names normalised, once: ``mapping_for`` is asked about every template of
    every page (twice), and normalising the names each time cost as much as the walk that finds the templates."""
    return tuple((frozenset(normalise_template_name(t) for t in m["templates"]), m) for m in mappings())


def find_infoboxes(page: Page) -> list[Infobox]:
    found = []
    for tpl, offset in page.nodes.content_templates:
        mapping = mapping_for(str(tpl.name))
        if mapping is None:
            continue
        found.append(Infobox(str(tpl.name).strip(), offset, collect_params(page, tpl, offset), mapping))
    return found


def collect_params(page: Page, tpl: Template, offset: int) -> dict[str, Param]:
    params: dict[str, Param] = {}
    for param, value_offset in param_offsets(tpl, offset, page.nodes):
        name = str(param.name).strip().lower()
        if not param.showkey:
            if str(param.value).strip():
                page.diagnose(value_offset, "warning", "unnamed-parameter",
                              f"unnamed infobox parameter {name!r} ignored: {str(param.value).strip()[:40]!r}")
            continue
        if name in params and str(params[name].value).strip():
            page.diagnose(value_offset, "warning", "duplicate-parameter",
                          f"parameter {name!r} given twice; the last one is used")
        params[name] = Param(name, param.value, value_offset)
    return params
