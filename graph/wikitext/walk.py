"""One walk of a parse tree: every template, tag, wiki link and external link, in document order, with its offset.

The extract stage wants several kinds of node of the same page (the infoboxes, the <ref>s, the citation and
short-citation templates, the links); asking mwparserfromhell's ``filter_*(recursive=True)`` once for each walked
the whole tree each time, and working out the offsets of the templates (``str(node)`` at every level) walked it
again: a quarter of the build's CPU time. Here one walk collects them all.

The order of each list is that of ``Wikicode.filter_*(recursive=True)``: a node, then the nodes inside it, left to
right (``Node.__children__``). Offsets are counted from the pieces of markup around each child (the layout of each
node's ``__str__``), never by printing the node: ``str(code)`` round-trips the text exactly, so they are the
nodes' places in it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

from mwparserfromhell.nodes import Argument, ExternalLink, Heading, Node, Tag, Template, Text, Wikilink
from mwparserfromhell.nodes.extras import Attribute, Parameter
from mwparserfromhell.wikicode import Wikicode


class TagSpan(NamedTuple):
    """Where a tag of the index ends, where its contents are, and which of the index's templates are inside them:
    ``text[start:end]`` is ``str(tag)``, ``text[contents_start:contents_end]`` is ``str(tag.contents)`` and
    ``templates[first_template:end_template]`` is ``tag.contents.filter_templates(recursive=True)``, without
    printing or walking the tag again."""

    end: int
    contents_start: int
    contents_end: int
    first_template: int
    end_template: int


@dataclass
class NodeIndex:
    """The nodes of one tree by kind, each with its character offset, in ``filter_*(recursive=True)`` order."""

    templates: list[tuple[Template, int]] = field(default_factory=list)
    tags: list[tuple[Tag, int]] = field(default_factory=list)
    tag_spans: list[TagSpan] = field(default_factory=list)  # one per tag, in the same order
    wikilinks: list[tuple[Wikilink, int]] = field(default_factory=list)
    external_links: list[tuple[ExternalLink, int]] = field(default_factory=list)
    # The templates of the page's content: at the top, in template parameter values and in tag contents, not in
    # a template's or parameter's name, a tag's attributes, a link or a heading (graph.wikitext.page.iter_templates)
    content_templates: list[tuple[Template, int]] = field(default_factory=list)
    # The top-level nodes with their spans (start, end): the page's own text, what hides a heading
    top: list[tuple[Node, int, int]] = field(default_factory=list)
    # len(str(node)) of every node but text, by id(node), counted by the walk (see ``length_of``)
    lengths: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    _tag_spans: dict[int, tuple[int, TagSpan]] | None = field(default=None, repr=False, compare=False)

    def length_of(self, node: Node) -> int:
        """``len(str(node))`` of a node of this tree, from the walk: printing a table or a template to measure it
        costs as much as reading it, and the readers that count offsets node by node (tables, the body, infobox
        values) would print each nested node once per level. A node of another tree is printed. (Keyed by ``id``:
        the nodes of the tree live as long as the page that holds it, and it is never changed.)"""
        if type(node) is Text:
            return len(node.value)
        length = self.lengths.get(id(node))
        return len(str(node)) if length is None else length

    def code_length(self, code: Wikicode) -> int:
        """``len(str(code))`` of a code of this tree (a template's name, a parameter's value), from the walk's
        lengths of its nodes, without printing them."""
        length_of = self.length_of
        return sum(length_of(node) for node in code.nodes)

    def contents_start(self, tag: Tag, offset: int) -> int:
        """``contents_offset(tag, offset)``: where the contents of a tag at ``offset`` start. For a tag of this tree
        at its place in the page, the walk counted it: nothing printed (a table prints its cells, a cell its
        contents, and the readers of tables ask for each at every level)."""
        found = self.span_of(tag)
        # a self-closing tag has no contents: contents_offset, which searches for them, says what it says
        if found is not None and found[0] == offset and not tag.self_closing:
            return found[1].contents_start
        return contents_offset(tag, offset)

    def span_of(self, tag: Tag) -> tuple[int, TagSpan] | None:
        """Where a tag of this tree starts, and its TagSpan; None for a tag of another tree. (Keyed by ``id``, as
        ``length_of``.)"""
        if self._tag_spans is None:
            self._tag_spans = {id(t): (start, span) for (t, start), span in zip(self.tags, self.tag_spans,
                                                                                 strict=True)}
        return self._tag_spans.get(id(tag))


def index_nodes(code: Wikicode, offset: int = 0) -> NodeIndex:
    """Walk ``code`` (whose text starts at ``offset``) once."""
    walk = _Walk()
    pos = offset
    for node in code.nodes:
        end = walk.code(Wikicode([node]), pos, True)
        walk.index.top.append((node, pos, end))
        pos = end
    return walk.index


class _Walk:
    """The walk: ``code`` and each ``_node`` method take a start offset and return the end offset; ``content``
    says whether the node is in the page's content (see NodeIndex.content_templates)."""

    def __init__(self) -> None:
        self.index = NodeIndex()
        self.lengths = self.index.lengths

    def code(self, code: Wikicode, pos: int, content: bool) -> int:
        for node in code.nodes:
            kind = type(node)
            if kind is Text:  # most nodes: nothing inside
                pos += len(node.value)
            else:
                visit = _VISITS.get(kind)
                end = visit(self, node, pos, content) if visit else pos + len(str(node))  # Comment, HTMLEntity
                self.lengths[id(node)] = end - pos
                pos = end
        return pos

    def template(self, tpl: Template, pos: int, content: bool) -> int:  # {{name|key=value|value}}
        self.index.templates.append((tpl, pos))
        if content:
            self.index.content_templates.append((tpl, pos))
        pos = self.code(tpl.name, pos + 2, False)
        for param in tpl.params:
            pos += 1
            if param.showkey:
                pos = self.code(param.name, pos, False) + 1
            pos = self.code(param.value, pos, content)
        return pos + 2

    def wikilink(self, link: Wikilink, pos: int, content: bool) -> int:  # [[title|text]]
        self.index.wikilinks.append((link, pos))
        pos = self.code(link.title, pos + 2, False)
        if link.text is not None:
            pos = self.code(link.text, pos + 1, False)
        return pos + 2

    def external_link(self, link: ExternalLink, pos: int, content: bool) -> int:  # [url title], or a bare url
        self.index.external_links.append((link, pos))
        brackets = 1 if link.brackets else 0
        pos = self.code(link.url, pos + brackets, False)
        if link.title is not None:
            space = 1 if brackets and link.suppress_space is not True else 0
            end = self.code(link.title, pos + space, False)
            pos = end if brackets else pos  # a bare url prints no title
        return pos + brackets

    def heading(self, heading: Heading, pos: int, content: bool) -> int:  # == title ==
        return self.code(heading.title, pos + heading.level, False) + heading.level

    def argument(self, arg: Argument, pos: int, content: bool) -> int:  # {{{name|default}}}
        pos = self.code(arg.name, pos + 3, False)
        if arg.default is not None:
            pos = self.code(arg.default, pos + 1, False)
        return pos + 3

    def tag(self, tag: Tag, pos: int, content: bool) -> int:
        index = self.index
        index.tags.append((tag, pos))
        slot = len(index.tag_spans)
        index.tag_spans.append(_PENDING)  # its place in document order, filled once the tag's end is known
        end, contents_start, contents_end, first_template = self.tag_parts(tag, pos, content)
        index.tag_spans[slot] = TagSpan(end, contents_start, contents_end, first_template, len(index.templates))
        return end

    def tag_parts(self, tag: Tag, pos: int, content: bool) -> tuple[int, int, int, int]:
        """Walk a tag: its end, its contents' span, and the index of the first template of its contents."""
        start = pos
        if tag.wiki_markup:  # '''bold''', a table row: markup, attributes, contents, closing markup
            pos = self.attributes(tag.attributes, pos + len(tag.wiki_markup))
            pos += len(tag.padding or "") + len(tag.wiki_style_separator or "")
            first_template = len(self.index.templates)
            if tag.self_closing:
                return pos, pos, pos, first_template
            contents_end = self.code(tag.contents, pos, content)
            return contents_end + len(tag.closing_wiki_markup or ""), pos, contents_end, first_template
        pos = self.code(tag.tag, pos + (2 if tag.invalid else 1), False)  # <name attributes>contents</name>
        pos = self.attributes(tag.attributes, pos) + len(tag.padding)
        first_template = len(self.index.templates)
        if tag.self_closing:
            end = pos + (1 if tag.implicit else 2)
            return end, end, end, first_template
        pos += 1
        shown = pos if plain_opening(tag) else contents_offset(tag, start)
        contents_end = self.code(tag.contents, shown, content)
        pos += contents_end - shown
        return self.code(tag.closing_tag, pos + 2, False) + 1, shown, contents_end, first_template

    def attributes(self, attributes: list[Attribute], pos: int) -> int:  # name="value"
        for attr in attributes:
            pos = self.code(attr.name, pos + len(attr.pad_first), False) + len(attr.pad_before_eq)
            if attr.value is not None:
                quotes = len(attr.quotes or "")
                pos = self.code(attr.value, pos + 1 + len(attr.pad_after_eq) + quotes, False) + quotes
        return pos


_PENDING = TagSpan(-1, -1, -1, -1, -1)

_VISITS: dict[type[Node], Callable[[_Walk, Node, int, bool], int]] = {
    Template: _Walk.template, Wikilink: _Walk.wikilink, ExternalLink: _Walk.external_link, Tag: _Walk.tag,
    Heading: _Walk.heading, Argument: _Walk.argument,
}


def text_of(code: Wikicode) -> str:
    """``str(code)``; a code of one text node (most names, titles and values) is that text, without joining its
    nodes."""
    nodes = code.nodes
    if len(nodes) == 1:
        (node,) = nodes  # unpacked: indexing mwparserfromhell's node list is a Python method, iterating is not
        if type(node) is Text:
            return node.value
    return str(code)


def params_by_name(tpl: Template) -> dict[str, Parameter]:
    """The template's parameters by name (stripped), the last of each name: ``name in params_by_name(tpl)`` is
    ``tpl.has(name)`` and ``params_by_name(tpl)[name]`` is ``tpl.get(name)`` for a stripped ``name``. Each of those
    prints every parameter's name; readers that ask a template for several names (the locators of a short
    citation, a coordinate's nine values) read them from here. Kept on the node, as ``record_from_template`` keeps
    its record: the nodes of a page's tree are never changed."""
    found = tpl.__dict__.get("_wikikg_params")
    if found is None:
        found = tpl.__dict__["_wikikg_params"] = {text_of(p.name).strip(): p for p in tpl.params}
    return found


def plain_opening(tag: Tag) -> bool:
    """Whether the first ``>`` of an HTML tag ends its opening: then ``contents_offset`` counts the contents from
    just after it, where they are. One in an attribute (``<ref name="a>b">``) makes it search instead."""
    return tag.wiki_markup is None and ">" not in str(tag.tag) + "".join(map(str, tag.attributes)) + tag.padding


def contents_offset(tag: Tag, offset: int) -> int:
    """Where ``tag.contents`` starts: wiki-markup tags end with their contents (then ``|}`` for a
    table), so count from the end; searching would be fooled by ``|1|1`` (attribute equal to content)."""
    whole, inner = str(tag), str(tag.contents)
    if tag.wiki_markup is not None:
        end = len(whole) - len(tag.closing_wiki_markup or "")
        if whole[end - len(inner):end] == inner:
            return offset + end - len(inner)
    opening_end = whole.find(">") + 1 if tag.wiki_markup is None else 0
    found = whole.find(inner, opening_end)
    return offset + (found if found >= 0 else 0)
