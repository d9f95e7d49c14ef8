"""Citation markers: ``<ref>`` tags and short-citation templates → RefMarker (raw keys)."""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import regex
from graph.data.vocab import load, normalise_template_name
from graph.digests import sha1
from graph.extract.bibliography import (
    first_record,
    has_signal,
    is_citation_template,
    pointer_of,
    pointers,
    short_citation_parts,
)
from graph.extract.model import Article, RefMarker
from graph.wikitext.page import Page
from graph.wikitext.text import clean_spaces, fold, strip_markup
from graph.wikitext.walk import TagSpan, params_by_name


def ref_name(tag: Tag) -> str | None:
    for attr in tag.attributes:
        if str(attr.name).strip().lower() == "name":
            value = str(attr.value).strip().strip("\"'").strip()
            return value or None
    return None


def ref_group(tag: Tag) -> str | None:
    for attr in tag.attributes:
        if str(attr.name).strip().lower() == "group":
            return str(attr.value).strip().strip("\"'").strip() or None
    return None


def marker_from_ref(tag: Tag) -> RefMarker:
    contents = str(tag.contents) if tag.contents is not None else ""
    return read_ref(tag, str(tag), contents, None)


def marker_from_indexed_ref(page: Page, tag: Tag, start: int, span: TagSpan) -> RefMarker:
    """``marker_from_ref`` of a <ref> of the page's walk: its text and contents are slices of the page's text and its
    templates a slice of the walk's, where printing the tag and walking it again cost as much as reading it."""
    text = page.text
    templates = [t for t, _ in page.nodes.templates[span.first_template:span.end_template]]
    return read_ref(tag, text[start:span.end], text[span.contents_start:span.contents_end], templates)


def read_ref(tag: Tag, wikitext: str, contents: str, templates: list[Template] | None) -> RefMarker:
    """The marker of a <ref> tag written ``wikitext``, whose contents read ``contents`` and hold ``templates``
    (recursively; None: find them)."""
    name = ref_name(tag)
    if not contents.strip():
        return RefMarker(key=name or "anon:empty", kind="named-ref-use", name=name, wikitext=wikitext)
    key = name or "anon:" + sha1(contents.strip().encode("utf-8")).hexdigest()[:12]
    return defining_marker(key, name, wikitext, tag.contents, ref_group(tag), templates, contents)


def text_with_italics(contents: Wikicode | str) -> str:
    """A footnote's text as read, its ''italic'' titles kept (a short citation may name its book so)."""
    marked = str(contents).replace("'''", "").replace("''", "\u2042")
    return clean_spaces(strip_markup(marked)).replace("\u2042", "''")


def defining_marker(key: str, name: str | None, wikitext: str, contents: Wikicode, group: str | None,
                    templates: list[Template] | None = None, text: str | None = None) -> RefMarker:
    """A <ref> with content: a citation template's record; else, written by hand, a short citation
    ("Rowse, p. 143", resolved later against the article's works), a written reference, or an explanatory
    note (group=note, or no bibliographic signal) that cites no work. ``templates`` and ``text``: those of
    ``contents`` (recursively) and its text, where the caller has them."""
    if templates is None:
        templates = contents.filter_templates(recursive=True)
    if text is None:
        text = str(contents)
    record = first_record(contents, templates, text)
    if record is None or any(is_citation_template(t) for t in templates):
        return RefMarker(key=key, kind="ref", name=name, wikitext=wikitext, title=record.title if record else None,
                         record=record)
    stripped = clean_spaces(contents.strip_code())
    read = text_with_italics(text)
    pointer = pointer_of(read)
    if pointer is not None:
        note = stripped if pointer["span"][0] > 0 else None
        also = tuple(RefMarker(key=f"{key}#{i}", kind="ref", authors=p["authors"], year=p["year"], page=p["page"],
                               title=p["title"], pointer=True)
                     for i, p in enumerate(pointers(read), start=1) if p["span"][0] > pointer["span"][0])
        return RefMarker(key=key, kind="ref", name=name, wikitext=wikitext, authors=pointer["authors"],
                         year=pointer["year"], page=pointer["page"], title=pointer["title"], pointer=True, note=note,
                         also=also)
    noted = group is not None and fold(group) in {fold(g) for g in load("templates")["note_groups"]}
    if noted or not has_signal(record, text):
        return RefMarker(key=key, kind="ref", name=name, wikitext=wikitext, note=stripped)
    return RefMarker(key=key, kind="ref", name=name, wikitext=wikitext, title=record.title, record=record)


LOCATORS = ("p", "pp", "page", "pages", "loc", "at")


def marker_from_short_citation(tpl: Template) -> RefMarker:
    """``{{sfn|de Waal|2003|p=285}}`` → key ``sfn:de Waal|2003|p=285``."""
    parts = [clean_spaces(str(p.value)) for p in tpl.params if not p.showkey]
    named = params_by_name(tpl)  # tpl.has(name) and tpl.get(name)
    for locator in LOCATORS:
        if locator in named:
            parts.append(f"{locator}={clean_spaces(str(named[locator].value))}")
    kind = "sfn" if normalise_template_name(str(tpl.name)).startswith("sfn") else "harv"
    authors, year = short_citation_parts(tpl)
    page = next((clean_spaces(named[k].value.strip_code()) for k in LOCATORS if k in named), None)
    quote = next((clean_spaces(named[k].value.strip_code()) for k in ("ps", "quote") if k in named), None)
    if quote:
        quote = quote.lstrip(":").strip().strip('"“”').strip() or None
    return RefMarker(key=f"{kind}:" + "|".join(parts), kind=kind, wikitext=str(tpl), authors=authors, year=year,
                     page=page, quote=quote)


UNPARSED_REF = regex(r"<ref(?P<attrs>(?:\s[^<>]*?)?)(?:/>|>(?P<content>.*?)</ref\s*>)", re.IGNORECASE | re.DOTALL)
GROUP_ATTR = regex(r"""group\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'/>]+))""", re.IGNORECASE)
NAME_ATTR = regex(r"""name\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'/>]+))""", re.IGNORECASE)


def refs_in_text(text: str, with_records: bool = False) -> list[tuple[tuple[int, int], RefMarker]]:
    """Every <ref> of a text, read without the wiki parser, so that those it left as text (their content
    broke its tokenizer) are read all the same. ``with_records``: also parse each ref's citation (slow)."""
    found = []
    for m in UNPARSED_REF.finditer(text):
        name_match = NAME_ATTR.search(m.group("attrs") or "")
        name = next((g for g in name_match.groups() if g), None) if name_match else None
        content = m.group("content")
        if content is None or not content.strip():
            marker = RefMarker(key=name or "anon:empty", kind="named-ref-use", name=name, wikitext=m.group())
        else:
            key = name or "anon:" + sha1(content.strip().encode("utf-8")).hexdigest()[:12]
            if with_records:
                group = GROUP_ATTR.search(m.group("attrs") or "")
                marker = defining_marker(key, name, m.group(), mwparserfromhell.parse(content),
                                         next((g for g in group.groups() if g), None) if group else None)
            else:
                marker = RefMarker(key=key, kind="ref", name=name, wikitext=m.group())
        found.append((m.span(), marker))
    return found


COMMENT = regex(r"<!--.*?(?:-->|$)", re.DOTALL)


def page_refs_in_text(page: Page) -> tuple[str, list[tuple[tuple[int, int], RefMarker]]]:
    """The page's text with its comments blanked, and ``refs_in_text`` of it: read once for ``defining_refs`` and
    ``ref_uses`` both."""
    if page.text_refs is None:
        text = COMMENT.sub(lambda m: " " * len(m.group()), page.text)
        page.text_refs = (text, refs_in_text(text))
    return page.text_refs


def ref_marker(page: Page, tag: Tag) -> RefMarker:
    """The RefMarker of a <ref> tag of this page (its citation template is read once per page)."""
    found = page.markers.get(id(tag))
    if found is None:
        found = page.markers[id(tag)] = marker_from_ref(tag)
    return found


def ref_uses(page: Page) -> list[RefMarker]:
    """Every citation marker of the page in reading order: each <ref> and each short citation.

    <ref>s are read from the text (comments blanked), so that one whose content broke the parser's
    tokenizer (and was left as text) is still counted and its source kept.
    """
    short = {normalise_template_name(n) for n in load("templates")["short_citations"]}
    # each placed where its text first occurs, not at its own offset: the order the output has always had
    uses = [(page.text.find(str(t)), marker_from_short_citation(t)) for t, _ in page.nodes.templates
            if normalise_template_name(str(t.name)) in short]
    uses += [(span[0], marker) for span, marker in page_refs_in_text(page)[1]]
    return [marker for _, marker in sorted(uses, key=lambda u: u[0])]


def report_undefined_refs(page: Page, article: Article) -> None:
    undefined = sorted({m.name for m in article.ref_uses if m.kind == "named-ref-use" and m.key not in article.refs
                        and m.name})
    for name in undefined:
        offset = max(page.text.find(f'name="{name}"'), page.text.find(f"name={name}"), 0)
        page.diagnose(offset, "warning", "undefined-ref", f"<ref name={name!r}/> is used but never defined; "
                      "its source is kept as unresolved")


def defining_refs(page: Page) -> dict:
    """Every ``<ref>`` with content in the page, by key, so reused named refs find their text."""
    found = {}
    index = page.nodes
    for (tag, start), span in zip(index.tags, index.tag_spans, strict=True):
        # a tag of wiki markup (bold, a list item, a table cell) is never a <ref>: no need to print its name
        if tag.wiki_markup or str(tag.tag).lower() != "ref":
            continue
        marker = page.markers.get(id(tag))
        if marker is None:
            marker = page.markers[id(tag)] = marker_from_indexed_ref(page, tag, start, span)
        if marker.kind == "ref":
            found.setdefault(marker.key, marker)
    text, refs = page_refs_in_text(page)
    for (start, end), marker in refs:
        if marker.kind == "ref" and marker.key not in found:
            [(_, marker)] = refs_in_text(text[start:end], with_records=True)  # only these few are parsed again
            found[marker.key] = marker
            page.diagnose(start, "warning", "unparsed-ref", f"a <ref> the parser could not read as a tag (its source "
                          f"is kept): {marker.wikitext[:60]!r}")
    return found
