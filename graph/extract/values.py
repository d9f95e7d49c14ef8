"""Parse stage, part two: an infobox value → the items (lines) a reader sees.

An infobox value is a little document: lines split by ``<br>``, ``<hr>``, list bullets and
list templates, each line showing flags, links, names, figures and citation markers.
``split_items`` renders it into ``Item``s: plain text plus what each stretch of text refers to.
What a template means comes from ``graph/data/templates.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from mwparserfromhell.nodes import Comment, ExternalLink, Heading, HTMLEntity, Tag, Template, Text, Wikilink
from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import data_regex, regex
from graph.data.vocab import load, meaning_of, normalise_template_name
from graph.extract import entities, flags
from graph.extract.coordinates import parse_coord
from graph.extract.model import EntityRef, RefMarker
from graph.extract.refs import marker_from_short_citation, ref_marker
from graph.wikitext import repair
from graph.wikitext.page import Page, param_offsets
from graph.wikitext.text import clean_spaces, without_surrogates
from graph.wikitext.walk import params_by_name

BREAK_TAGS = {"br", "hr", "li", "dt", "dd", "p", "div", "tr", "td", "th"}
DROP_TAGS = {"references", "gallery", "math", "syntaxhighlight", "source", "timeline", "imagemap",
             "score", "graph", "templatestyles", "mapframe", "maplink", "chem", "ce"}
MAX_DEPTH = 60
STRAY_BRACKETS = regex(r"\[\[|\]\]|\{\{|\}\}")
RULE_TEXT = regex(r"-{4,}")  # a horizontal rule written where the parser did not read it as one
LEFTOVER_TAG = regex(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")  # an unclosed <small> the parser left as text
# A wiki's language code as used in interwiki links and tags: en, zh, zh-yue, be-tarask, simple.
WIKI_LANGUAGE = regex(r"^[a-z]{2,8}(?:-[a-z0-9]{2,8})*$")


@dataclass
class Mention:
    """An entity an item names, and the span of its shown text in the item (a flag icon shows none)."""

    entity: EntityRef
    start: int  # span of the shown text in Item.text
    end: int
    named: bool = True  # False for flag icons (they show no name)


@dataclass
class Item:
    """One item of an infobox value (a line or a list entry), with what it names and what is attached to it."""

    offset: int = -1  # where the item starts in the page text
    end: int = -1  # where the last markup that contributed to it ends
    text: str = ""
    mentions: list[Mention] = field(default_factory=list)
    icons: list[EntityRef] = field(default_factory=list)
    fates: list[str] = field(default_factory=list)
    refs: list[RefMarker] = field(default_factory=list)
    ref_at: list[int] = field(default_factory=list)  # where each marker sits in ``text``
    wikitext: str = ""  # the source of the item, from its first to its last contributing markup
    bold: list[tuple[int, int]] = field(default_factory=list)
    coords: tuple[float, float] | None = None
    labels: list[tuple[str, str]] = field(default_factory=list)  # {{lang-xx|…}} (text, lang)
    label_spans: list[tuple[int, int]] = field(default_factory=list)  # where those labels sit in text
    notes: list[str] = field(default_factory=list)  # the text of footnotes ({{efn}}, {{refn}}) the line carries
    # Block structure of a column: "rule" (----, <hr>: the headings above no longer apply) or "list-end" (a titled
    # list ends: its title no longer applies); such an item holds no text.
    boundary: str | None = None
    list_title: bool = False  # the title of a titled list ({{Collapsible list|title=…}}): a heading of its lines

    @property
    def plain(self) -> str:
        return clean_spaces(STRAY_BRACKETS.sub(" ", LEFTOVER_TAG.sub(" ", self.text)))

    @property
    def plain_without_labels(self) -> str:
        """The text less what {{lang-xx|…}} shows: a name in another language, not part of this one."""
        text = self.text
        for start, end in sorted(self.label_spans, reverse=True):
            text = text[:start] + text[end:]
        return clean_spaces(LEFTOVER_TAG.sub(" ", text)).strip(" ,;:，；：、()（）")

    def is_empty(self) -> bool:
        return not (self.text.strip() or self.mentions or self.icons or self.fates or self.coords or self.boundary)

    def fully_bold(self) -> bool:
        bold_chars = sum(e - s for s, e in self.bold)
        return bool(self.bold) and bold_chars >= len(self.text.strip())

    def inside_parentheses(self, pos: int) -> bool:
        return self._paren_depths()[pos] > 0

    def text_outside_parentheses(self, start: int, end: int) -> str:
        """The text of ``start:end`` less every parenthesised stretch and its brackets."""
        depth = self._paren_depths()
        return "".join(ch for i, ch in enumerate(self.text[start:end], start) if depth[i] == 0 and depth[i + 1] == 0)

    def _paren_depths(self) -> list[int]:
        """Bracket depth before each position, computed once per text (items can hold thousands of links)."""
        cached = getattr(self, "_depths", None)
        if cached is not None and len(cached) == len(self.text) + 1:
            return cached
        depths, depth = [0], 0
        for ch in self.text:
            if ch in "(（":
                depth += 1
            elif ch in ")）" and depth:
                depth -= 1
            depths.append(depth)
        self._depths = depths
        return depths


class ItemSplitter:
    """Walks a value's nodes, appending text to the current item and starting new ones at breaks."""

    def __init__(self, page: Page, site_lang: str, quiet: bool = False) -> None:
        self.page = page
        self.lang = site_lang
        self.quiet = quiet  # the article body: templates we do not read are normal there, not news
        self.items: list[Item] = [Item()]
        self.depth = 0
        self.node_end = 0

    @property
    def current(self) -> Item:
        return self.items[-1]

    def new_item(self) -> None:
        if not self.current.is_empty() or self.current.refs:
            self.items.append(Item())
        else:
            self.current.offset = self.current.end = -1

    def add_text(self, text: str, offset: int) -> None:
        if text.strip():
            self.touch(offset)
        self.current.text += text

    def touch(self, offset: int) -> None:
        """Something of the node at ``offset`` went into the current item: widen its source span."""
        if self.current.offset < 0:
            self.current.offset = offset
        self.current.end = max(self.current.end, self.node_end, offset)

    def add_ref(self, marker: RefMarker, offset: int) -> None:
        self.touch(offset)
        self.current.refs.append(marker)
        self.current.ref_at.append(len(self.current.text))

    def walk(self, code: Wikicode, offset: int) -> None:
        if self.depth > MAX_DEPTH:
            self.page.diagnose(offset, "warning", "too-deep", "markup nested too deeply; inner part skipped")
            return
        self.depth += 1
        pos, outer_end = offset, self.node_end
        length_of = self.page.nodes.length_of  # a node of the page's tree is measured without printing it
        for node in code.nodes:
            length = length_of(node)
            self.node_end = pos + length
            self.visit(node, pos)
            pos += length
        self.node_end = outer_end
        self.depth -= 1

    def visit(self, node, offset: int) -> None:
        if isinstance(node, Text):
            self.visit_text(str(node), offset)
        elif isinstance(node, Tag):
            self.visit_tag(node, offset)
        elif isinstance(node, Wikilink):
            self.visit_link(node, offset)
        elif isinstance(node, Template):
            self.visit_template(node, offset)
        elif isinstance(node, HTMLEntity):
            self.add_text(without_surrogates(node.normalize()).replace("\u00a0", " "), offset)
        elif isinstance(node, ExternalLink):
            if node.title is not None:
                self.walk(node.title, offset)
        elif isinstance(node, Heading):
            self.new_item()
            self.walk(node.title, offset)
            self.new_item()
        elif isinstance(node, Comment):
            return

    def visit_text(self, text: str, offset: int) -> None:
        if "</" in text:
            for f in repair.orphan_closing_tags(text, offset):
                self.page.diagnose(f.offset, f.severity, f.code, f.message)
        for stray in STRAY_BRACKETS.finditer(text):
            self.page.diagnose(offset + stray.start(), "warning", "stray-markup",
                               f"unmatched {stray.group()!r} read as text")
        pieces = text.split("\n")
        outer_end = self.node_end
        for i, piece in enumerate(pieces):
            if i:
                self.new_item()
            self.node_end = offset + len(piece) if i < len(pieces) - 1 else outer_end
            self.add_text(piece, offset)
            offset += len(piece) + 1
        self.node_end = outer_end

    def visit_tag(self, tag: Tag, offset: int) -> None:
        name = str(tag.tag).strip().lower()
        if name == "ref":
            self.add_ref(ref_marker(self.page, tag), offset)
            return
        if name in DROP_TAGS:
            return
        if name == "hr":  # ---- or <hr>: a rule between blocks
            self.add_boundary("rule", offset)
            return
        if name in BREAK_TAGS:
            self.new_item()
        if tag.contents is None or tag.self_closing:
            return
        inner = offset + max(0, contents_found_at(self.page, tag))
        tag_end, item = self.node_end, self.current
        if item.offset < 0:
            item.offset = offset  # the item's source starts at the tag, not inside it
        start = len(item.text)
        self.walk(tag.contents, inner)
        if item is self.current and not item.is_empty():
            item.end = max(item.end, tag_end)
            if name in ("b", "strong"):
                item.bold.append((start, len(item.text)))
        if name in BREAK_TAGS and name not in {"br", "hr", "li", "dt", "dd"}:
            self.new_item()

    def visit_link(self, link: Wikilink, offset: int) -> None:
        title = str(link.title)
        if "\n" in title or "{" in title:
            self.page.diagnose(offset, "warning", "broken-link", f"malformed link {str(link)[:60]!r} read as text")
            self.add_text(clean_spaces(link.text.strip_code() if link.text else title), offset)
            return
        if entities.is_decoration_link(title):
            return
        plain = link.text.strip_code() if link.text is not None else None  # once: both below read it
        if not_an_entity(title, plain if plain is not None else title):
            return  # a list page ("full list...") or a symbol: neither the link nor its words name anything
        shown = clean_spaces(plain) if plain is not None else None
        ref = entities.from_wikilink(title, shown, self.lang)
        if ref is None:
            if shown:
                self.add_text(shown, offset)
            return
        self.add_mention(ref, ref.label, offset)

    def add_boundary(self, kind: str, offset: int) -> None:
        self.new_item()
        self.touch(offset)
        self.current.boundary = kind
        self.new_item()

    def add_mention(self, ref: EntityRef, shown: str, offset: int, named: bool = True) -> None:
        self.touch(offset)
        start = len(self.current.text)
        self.current.text += shown
        self.current.mentions.append(Mention(ref, start, len(self.current.text), named))

    def visit_template(self, tpl: Template, offset: int) -> None:
        name = str(tpl.name).strip()
        meaning = meaning_of(name)
        handler = getattr(self, f"template_{meaning}", None) if meaning else None
        if handler is None:
            self.unknown_template(name, offset)
            return
        handler(tpl, offset)

    def unknown_template(self, name: str, offset: int) -> None:
        norm = normalise_template_name(name)
        if norm and not self.quiet and not norm.startswith(("cite", "citation", "引用")):
            self.page.diagnose(offset, "info", "unknown-template", f"template {{{{{name}}}}} has no meaning in "
                               "graph/data/templates.yaml; ignored")

    # --- templates, by meaning (graph/data/templates.yaml) ---

    def template_flag_named(self, tpl: Template, offset: int) -> None:
        state = self.state_of(tpl, "flag_named", offset)
        if state is not None:
            ref = entities.from_state(state, self.lang)
            self.add_mention(ref, ref.label, offset)

    def template_flag_icon(self, tpl: Template, offset: int) -> None:
        state = self.state_of(tpl, "flag_icon", offset)
        if state is not None:
            self.touch(offset)
            self.current.icons.append(entities.from_state(state, self.lang))

    def template_flag_image(self, tpl: Template, offset: int) -> None:
        file = positional(tpl, 1)
        state = flags.state_for_flag_image(file) if file else None
        if state is not None:
            self.touch(offset)
            self.current.icons.append(entities.from_state(state, self.lang))

    def template_country_code(self, tpl: Template, offset: int) -> None:
        state = flags.state_for_code_template(str(tpl.name).strip())
        if state is None:
            self.unknown_template(str(tpl.name), offset)
            return
        ref = entities.from_state(state, self.lang)
        self.add_mention(ref, ref.label, offset)

    def state_of(self, tpl: Template, kind: str, offset: int):
        spec = load("templates")[kind]
        code = positional(tpl, spec["code"])
        if not code:
            return None
        state = flags.state_for_flag(code, positional(tpl, spec["variant"]) or None)
        if state is None:
            self.page.diagnose(offset, "warning", "unknown-flag",
                               f"{{{{{str(tpl.name).strip()}|{code}}}}}: no state known by that name or code "
                               "(pycountry, graph/data/historical_states.csv)")
        return state

    def template_interlanguage(self, tpl: Template, offset: int) -> None:
        spec = interlanguage_spec(str(tpl.name))
        lang = spec.get("foreign_lang") or positional(tpl, spec.get("foreign_lang_param", 0)) or "en"
        if "pattern" in spec:
            lang = data_regex(spec["pattern"]).match(normalise_template_name(str(tpl.name))).group("lang")
        lang = lang.strip().lower()
        local_title = first_param(tpl, spec.get("local_title", []))
        label = first_param(tpl, spec.get("label", []))
        if not WIKI_LANGUAGE.match(lang):
            # Not a wiki's language code: no foreign page can be named, so keep the local link only.
            self.page.diagnose(offset, "warning", "bad-language-code",
                               f"{{{{{str(tpl.name).strip()}}}}}: {lang!r} is not a language code; "
                               "the foreign title is ignored")
            ref = entities.from_wikilink(local_title, label, self.lang) if local_title else None
        else:
            ref = entities.from_interlanguage(local_title, lang, first_param(tpl, spec["foreign_title"]), label,
                                              self.lang)
        if ref is not None:
            self.add_mention(ref, ref.label, offset)

    def template_fate(self, tpl: Template, offset: int) -> None:
        self.touch(offset)
        self.current.fates.append(load("templates")["fate"][normalise_template_name(str(tpl.name))])

    def template_list_wrappers(self, tpl: Template, offset: int) -> None:
        """One line per item; a list with a title is a block of its own, the title a heading of its lines only."""
        spec = load("templates")["list_wrappers"]
        titled = self.add_list_title(tpl, offset, set(spec["title_params"]))
        for param, value_offset in param_offsets(tpl, offset):
            if param.showkey and not str(param.name).strip().isdigit():
                continue
            self.new_item()
            self.walk(param.value, value_offset)
            self.new_item()
        if titled:
            self.add_boundary("list-end", self.node_end)

    def add_list_title(self, tpl: Template, offset: int, names: set[str]) -> bool:
        for param, value_offset in param_offsets(tpl, offset):
            if param.showkey and str(param.name).strip().lower() in names and param.value.strip_code().strip():
                self.new_item()
                first = len(self.items) - 1
                self.walk(param.value, value_offset)
                for item in self.items[first:]:
                    item.list_title = not item.is_empty()
                self.new_item()
                return True
        return False

    def template_text_wrappers(self, tpl: Template, offset: int) -> None:
        for param, value_offset in param_offsets(tpl, offset):
            if not param.showkey or str(param.name).strip() == "1":
                self.walk(param.value, value_offset)
                return

    def template_lang_text(self, tpl: Template, offset: int) -> None:
        self.walk_label(tpl, offset, "2", positional(tpl, 1))

    def template_lang_prefixed(self, tpl: Template, offset: int) -> None:
        self.walk_label(tpl, offset, "1", normalise_template_name(str(tpl.name)).split("-", 1)[1])

    def walk_label(self, tpl: Template, offset: int, param_name: str, lang: str) -> None:
        for param, value_offset in param_offsets(tpl, offset):
            if str(param.name).strip() == param_name:
                item, start = self.current, len(self.current.text)
                self.walk(param.value, value_offset)
                if item is self.current and lang:
                    item.labels.append((clean_spaces(item.text[start:]), lang))
                    item.label_spans.append((start, len(item.text)))

    def template_notes(self, tpl: Template, offset: int) -> None:
        """A footnote is neither an entity nor part of the fact's text; its words are kept for what a note can
        say of the line ({{refn|(from 1778)}}: a period)."""
        text = clean_spaces(positional(tpl, 1))
        if text:
            self.current.notes.append(text)

    def template_drop(self, tpl: Template, offset: int) -> None:
        return

    def template_symbols(self, tpl: Template, offset: int) -> None:
        self.add_text(load("templates")["symbols"][normalise_template_name(str(tpl.name))], offset)

    def template_short_citations(self, tpl: Template, offset: int) -> None:
        self.add_ref(marker_from_short_citation(tpl), offset)

    def template_dates(self, tpl: Template, offset: int) -> None:
        numbers = [positional(tpl, i) for i in (1, 2, 3)]
        parts = [n for n in numbers if n and n.isdigit()]
        if parts:
            iso = "-".join([parts[0]] + [p.zfill(2) for p in parts[1:]])
            self.add_text(iso, offset)

    def template_old_style_dates(self, tpl: Template, offset: int) -> None:
        """The New Style date and its year: ``{{OldStyleDate|3 September|1752|23 August}}`` reads 3 September 1752."""
        new_style, year = positional(tpl, 1), positional(tpl, 2)
        self.add_text(" ".join(part for part in (new_style, year) if part), offset)

    def template_coord(self, tpl: Template, offset: int) -> None:
        coords = parse_coord([positional(tpl, i) for i in range(1, 10)])
        if coords:
            self.touch(offset)
            self.current.coords = coords

    def template_convert(self, tpl: Template, offset: int) -> None:
        values = [positional(tpl, i) for i in range(1, 5)]
        shown = [values[0]]
        if len(values) > 2 and values[1] in {"to", "-", "–", "and", "or"}:
            shown += ["–", values[2], values[3] if len(values) > 3 else ""]
        else:
            shown.append(values[1] if len(values) > 1 else "")
        self.add_text(" ".join(s for s in shown if s), offset)


WORD_CHARACTER = regex(r"\w")


def not_an_entity(title: str, shown: str) -> bool:
    """List pages and symbol links ([[Death by natural causes|†]]) are not things the line names."""
    if not WORD_CHARACTER.search(shown):
        return True
    folded = clean_spaces(title.replace("_", " ")).lower()
    return non_entity_link().search(folded) is not None


@lru_cache(maxsize=1)
def non_entity_link() -> re.Pattern:
    """The patterns of graph/data/templates.yaml's non_entity_links as one alternation: one search per link
    (one finds a match where any of them does), not one per pattern."""
    return data_regex("|".join(f"(?:{p})" for p in load("templates")["non_entity_links"]))


def positional(tpl: Template, index: int | str) -> str:
    """A parameter's value as plain text ('' when absent)."""
    key = str(index)
    param = params_by_name(tpl).get(key.strip()) if key and key != "0" else None
    return "" if param is None else clean_spaces(param.value.strip_code())


def first_param(tpl: Template, keys: list) -> str | None:
    for key in keys:
        value = positional(tpl, key)
        if value:
            return value
    return None


def interlanguage_spec(name: str) -> dict:
    norm = normalise_template_name(name)
    for spec in load("templates")["interlanguage"]:
        if norm in {normalise_template_name(n) for n in spec.get("names", [])}:
            return spec
        if "pattern" in spec and data_regex(spec["pattern"]).match(norm):
            return spec
    raise KeyError(name)


def split_items(page: Page, value: Wikicode, offset: int, site_lang: str, quiet: bool = False) -> list[Item]:
    """The lines of an infobox value (or of a stretch of the body), in reading order, empty ones dropped."""
    splitter = ItemSplitter(page, site_lang, quiet)
    splitter.walk(value, offset)
    items: list[Item] = []
    for item in splitter.items:
        if item.is_empty() and items and item.refs:
            items[-1].ref_at.extend([len(items[-1].text)] * len(item.refs))
            items[-1].refs.extend(item.refs)  # markers after a break belong to the line before
            items[-1].end = max(items[-1].end, item.end)
            continue
        if item.is_empty() and not item.refs:
            continue
        if item.offset < 0:
            item.offset = offset
        item.wikitext = page.text[item.offset:max(item.end, item.offset)]
        if RULE_TEXT.fullmatch(item.text.strip()) and not item.mentions:  # ---- written inline: <br />----<br />
            item.text, item.boundary = "", "rule"
        items.append(item)
    return items


def contents_found_at(page: Page, tag: Tag) -> int:
    """``str(tag).find(str(tag.contents))``: for a tag of the page's tree, searched in the page's text between the
    tag's ends (the same characters), without printing the tag and its contents."""
    found = page.nodes.span_of(tag)
    if found is None:
        return str(tag).find(str(tag.contents))
    start, span = found
    text = page.text
    at = text.find(text[span.contents_start:span.contents_end], start, span.end)
    return at - start if at >= 0 else -1
