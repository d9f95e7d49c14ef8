"""Reading short texts from mwparserfromhell's tokens, without building its tree.

``mwparserfromhell.parse`` is two steps: a tokenizer (in C) and a builder (in Python) that turns the tokens into
nodes; the builder is most of the cost. For a citation's fields and written references, what is wanted is small:
the text without markup (``strip_code``), the names of the templates. Both are read here from the tokens where the
text holds only common markup (templates, comments, entities, links, ''italic'' and '''bold'''), with exactly the
result of the tree; anything else (an HTML tag, a list, a table, a heading, ``{{{argument}}}``) is built and read as
the tree, from the same tokens.
"""

from __future__ import annotations

from mwparserfromhell.nodes import HTMLEntity
from mwparserfromhell.parser import tokens as t
from mwparserfromhell.parser.builder import Builder
from mwparserfromhell.wikicode import Wikicode

try:
    from mwparserfromhell.parser._tokenizer import CTokenizer as _Tokenizer
except ImportError:  # pragma: no cover - the pure-Python tokenizer reads the same tokens
    from mwparserfromhell.parser.tokenizer import Tokenizer as _Tokenizer


def tokenize(text: str) -> list[t.Token]:
    """The tokens ``mwparserfromhell.parse(text)`` builds its tree from."""
    return _Tokenizer().tokenize(text, 0, False)


def build(tokens: list[t.Token]) -> Wikicode:
    """The tree of ``tokens``: ``mwparserfromhell.parse`` of their text. (The builder uses up a list: it is given a
    copy.)"""
    return Builder().build(list(tokens))


class _Unread(Exception):
    """Markup the token reader leaves to the tree."""


def strip_code(text: str) -> str:
    """``mwparserfromhell.parse(text).strip_code()`` (normalised, collapsed, templates dropped)."""
    tokens = tokenize(text)
    try:
        return _strip(tokens, 0, ())[0]
    except (_Unread, IndexError):  # IndexError: tokens that end before their close (none should)
        return build(tokens).strip_code()


def _collapse(text: str) -> str:
    """What ``Wikicode.strip_code(collapse=True)`` does to the joined text of its nodes."""
    text = text.strip("\n")
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text


def _strip(tokens: list[t.Token], i: int, stops: tuple[type, ...]) -> tuple[str, int]:
    """``strip_code`` of the nodes that start at ``tokens[i]`` and end before a token of ``stops`` at this level;
    and where they end."""
    parts = []
    n = len(tokens)
    while i < n:
        kind = type(tokens[i])
        if kind in stops:
            break
        if kind is t.Text:
            parts.append(tokens[i].text)
            i += 1
        elif kind is t.TemplateOpen:  # a template strips to nothing
            i = _after_template(tokens, i)
        elif kind is t.CommentStart:  # and so does a comment
            while type(tokens[i]) is not t.CommentEnd:
                i += 1
            i += 1
        elif kind is t.HTMLEntityStart:
            entity, i = _entity(tokens, i)
            parts.append(entity.normalize())
        elif kind is t.WikilinkOpen:
            text, i = _wikilink(tokens, i)
            parts.append(text)
        elif kind is t.ExternalLinkOpen:
            text, i = _external_link(tokens, i)
            parts.append(text)
        elif kind is t.TagOpenOpen:
            text, i = _style(tokens, i)
            parts.append(text)
        else:
            raise _Unread
    return _collapse("".join(parts)), i


def _after_template(tokens: list[t.Token], i: int) -> int:
    depth = 0
    while True:
        kind = type(tokens[i])
        if kind is t.TemplateOpen:
            depth += 1
        elif kind is t.TemplateClose:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1


def _entity(tokens: list[t.Token], i: int) -> tuple[HTMLEntity, int]:
    """``&amp;``, ``&#931;``, ``&#x3a3;`` as the builder reads them (HTMLEntityStart … HTMLEntityEnd)."""
    token = tokens[i + 1]
    if type(token) is t.HTMLEntityNumeric:
        token = tokens[i + 2]
        if type(token) is t.HTMLEntityHex:
            return HTMLEntity(tokens[i + 3].text, named=False, hexadecimal=True, hex_char=token.char), i + 5
        return HTMLEntity(token.text, named=False, hexadecimal=False), i + 4
    return HTMLEntity(token.text, named=True, hexadecimal=False), i + 3


def _wikilink(tokens: list[t.Token], i: int) -> tuple[str, int]:
    """``[[title|text]]`` strips to its text (even empty) where it has one, else to its title."""
    title, i = _strip(tokens, i + 1, (t.WikilinkSeparator, t.WikilinkClose))
    if type(tokens[i]) is t.WikilinkClose:
        return title, i + 1
    text, i = _strip(tokens, i + 1, (t.WikilinkClose,))
    return text, i + 1


def _external_link(tokens: list[t.Token], i: int) -> tuple[str, int]:
    """``[url title]`` strips to its title (nothing without one), a bare URL to itself."""
    brackets = tokens[i].brackets
    url, i = _strip(tokens, i + 1, (t.ExternalLinkSeparator, t.ExternalLinkClose))
    title = ""
    if type(tokens[i]) is t.ExternalLinkSeparator:  # an empty title strips to nothing, as none does
        title, i = _strip(tokens, i + 1, (t.ExternalLinkClose,))
    return (title if brackets else url), i + 1


_STYLES = {"''": "i", "'''": "b"}


def _style(tokens: list[t.Token], i: int) -> tuple[str, int]:
    """``''italic''`` and ``'''bold'''`` strip to their contents; any other tag is left to the tree."""
    name = _STYLES.get(tokens[i].wiki_markup)
    if (name is None or type(tokens[i + 1]) is not t.Text or tokens[i + 1].text != name
            or type(tokens[i + 2]) is not t.TagCloseOpen):
        raise _Unread
    text, i = _strip(tokens, i + 3, (t.TagOpenClose,))
    if not (type(tokens[i + 1]) is t.Text and tokens[i + 1].text == name and type(tokens[i + 2]) is t.TagCloseClose):
        raise _Unread
    return text, i + 3  # empty contents strip to nothing, as the tree's ``if self.contents`` has it


def template_names(text: str | list[t.Token]) -> list[str]:
    """``str(t.name)`` of every template of ``mwparserfromhell.parse(text)``, nested ones too, in the order of
    ``filter_templates()`` (that of their opening braces). ``text`` may be given as its tokens."""
    tokens = tokenize(text) if isinstance(text, str) else text
    names = []
    for i, token in enumerate(tokens):
        if type(token) is t.TemplateOpen:
            name = _plain_run(tokens, i + 1, (t.TemplateParamSeparator, t.TemplateClose))
            if name is None:  # a name with markup in it: the tree prints it
                return [str(template.name) for template in build(tokens).filter_templates()]
            names.append(name)
    return names


def first_link_url(text: str) -> str | None:
    """``str(links[0].url)`` of ``mwparserfromhell.parse(text).filter_external_links()``, None without a link."""
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if type(token) is t.ExternalLinkOpen:
            url = _plain_run(tokens, i + 1, (t.ExternalLinkSeparator, t.ExternalLinkClose))
            if url is None:  # markup in the URL: the tree prints it
                return str(build(tokens).filter_external_links()[0].url)
            return url
    return None


def _plain_run(tokens: list[t.Token], i: int, ends: tuple[type, ...]) -> str | None:
    """The text of the tokens from ``tokens[i]`` to the first of ``ends``, None where one of them is not text."""
    start = i
    while type(tokens[i]) is t.Text:
        i += 1
    if type(tokens[i]) not in ends:
        return None
    return "".join(token.text for token in tokens[start:i])
