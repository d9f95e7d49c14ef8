"""The whole flow for one page: read → parse → extract → map. The CLI and the API call this."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from mwparserfromhell.nodes import Tag, Template

from graph.data.vocab import load, normalise_template_name
from graph.extract import entities
from graph.extract.bibliography import records_in
from graph.extract.body import read_body
from graph.extract.infobox import extract_conflict
from graph.extract.model import Article, EntityRef, RefMarker
from graph.extract.refs import marker_from_short_citation, refs_in_text
from graph.extract.tables import find_tables, table_figures
from graph.rdf.mapping import TripleSink, article_triples
from graph.wikitext.page import Page, find_infoboxes, parse_page
from graph.wikitext.read import Source
from graph.wikitext.text import clean_spaces, detect_site_language, label_language
from graph.wikitext.variants import note_ta_rules


@dataclass
class BuildResult:
    article: Article
    sink: TripleSink


def extract_article(source: Source, lang: str | None = None, title: str | None = None,
                    body: bool = True) -> Article:
    """Read one page. ``body=False``: the infobox and its sources only (no sections, timeline, tables)."""
    site_lang = lang or detect_site_language(source.text)
    page = parse_page(source, conversion_markup=site_lang == "zh")
    infoboxes = find_infoboxes(page)
    article_title = title or source.title or lead_title(page) or infobox_name(page, infoboxes) or Path(source.name).stem
    article = Article(title=clean_spaces(article_title), lang=site_lang, source_name=source.name,
                      sha256=source.sha256)
    article.refs = defining_refs(page)
    article.records = records_in(page.code)
    article.ref_uses = ref_uses(page)
    report_undefined_refs(page, article)
    article.conversions = page.conversions + conversion_rules(page)
    article.redirect = redirect_target(page, site_lang)
    if article.redirect is not None:
        page.diagnose(0, "info", "redirect", f"redirect page to [[{article.redirect.label}]]; nothing else to read")
    elif not infoboxes:
        kind = "disambiguation page" if is_disambiguation(page) else "no known infobox (graph/data/mappings/)"
        # a page of a dump (its title known from the dump) is mostly not a war: a note, not a warning
        severity = "info" if source.title else "warning"
        page.diagnose(0, severity, "no-infobox", f"{kind}: only the page and its links are written")
        article.mentions = page_links(page, site_lang)
    for i, infobox in enumerate(infoboxes):
        entity = conflict_entity(article, infobox, page, first=(i == 0))
        article.conflicts.append(extract_conflict(page, infobox, entity, site_lang))
    if article.conflicts and body:
        narrative = read_body(page, site_lang)
        article.sections, article.events = narrative.sections, narrative.events
        article.lead_labels = narrative.lead_labels
        for table in find_tables(page, site_lang):  # strength tables of the body: figures per polity
            article.conflicts[0].figures.extend(table_figures(table, site_lang))
    article.diagnostics = sorted(page.diagnostics, key=lambda d: (d.line, d.column))
    return article


def build(source: Source, lang: str | None = None, title: str | None = None, body: bool = True,
          sink: TripleSink | None = None) -> BuildResult:
    article = extract_article(source, lang, title, body)
    return BuildResult(article, article_triples(article, sink))


COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
REDIRECT = re.compile(r"^\s*#\s*(?P<word>[^\s\[]+)\s*:?\s*\[\[(?P<target>[^\]|\n]+)", re.IGNORECASE)


def redirect_target(page: Page, site_lang: str) -> EntityRef | None:
    m = REDIRECT.match(page.text)
    if not m or m.group("word").lower() not in {w.lower() for w in load("templates")["redirect_words"]}:
        return None
    return entities.from_wikilink(m.group("target"), None, site_lang)


def is_disambiguation(page: Page) -> bool:
    names = {normalise_template_name(n) for n in load("templates")["disambiguation"]}
    return any(normalise_template_name(str(t.name)) in names for t in page.code.filter_templates(recursive=False))


def page_links(page: Page, site_lang: str) -> list[EntityRef]:
    found: dict[tuple[str, str], EntityRef] = {}
    for link in page.code.filter_wikilinks(recursive=True):
        title = str(link.title)
        if "\n" in title or "{" in title or entities.is_decoration_link(title):
            continue
        ref = entities.from_wikilink(title, None, site_lang)
        if ref is not None:
            found.setdefault((ref.key_lang, ref.key_title), ref)
    return list(found.values())


def lead_title(page: Page) -> str | None:
    """The first bold phrase of the lead: Wikipedia's manual of style puts the title there."""
    for node in page.code.nodes:
        if isinstance(node, Tag) and str(node.tag) == "b" and node.wiki_markup == "'''" and node.contents:
            text = clean_spaces(node.contents.strip_code())
            if text and not text.isdigit():
                return text
        if node.__class__.__name__ == "Heading":
            return None
    return None


def infobox_name(page: Page, infoboxes) -> str | None:
    for infobox in infoboxes:
        for key in ("conflict", "name"):
            if key in infobox.params:
                text = clean_spaces(infobox.params[key].value.strip_code())
                if text:
                    return text
    return None


def conflict_entity(article: Article, infobox, page: Page, first: bool) -> EntityRef:
    name = article.title if first else (infobox_name(page, [infobox]) or f"{article.title} ({infobox.offset})")
    key = entities.normalise_title(name, article.lang)
    return EntityRef(article.lang, key, name, label_language(name, article.lang), linked=first,
                     wiki_titles=((article.lang, name),) if first else (), origin="article")


def conversion_rules(page: Page) -> list[dict[str, str]]:
    rules, groups = note_ta_rules(page.code)
    for group in groups:
        if group.strip().lower() != "country":  # the Country group is built in: graph.flags.zh_regional_names
            page.diagnose(0, "info", "conversion-group", f"conversion group {group!r} is not available offline; "
                          "only the rules written in the page are used")
    return rules


def ref_uses(page: Page) -> list[RefMarker]:
    """Every citation marker of the page in reading order: each <ref> and each short citation.

    <ref>s are read from the text (comments blanked), so that one whose content broke the parser's
    tokenizer (and was left as text) is still counted and its source kept.
    """
    short = {normalise_template_name(n) for n in load("templates")["short_citations"]}
    uses = [(page.text.find(str(t)), marker_from_short_citation(t)) for t in page.code.filter_templates(recursive=True)
            if normalise_template_name(str(t.name)) in short]
    text = COMMENT.sub(lambda m: " " * len(m.group()), page.text)
    uses += [(span[0], marker) for span, marker in refs_in_text(text)]
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
    for tag in page.code.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
        marker = page.ref_marker(tag)
        if marker.kind == "ref":
            found.setdefault(marker.key, marker)
    text = COMMENT.sub(lambda m: " " * len(m.group()), page.text)
    for (start, end), marker in refs_in_text(text):
        if marker.kind == "ref" and marker.key not in found:
            [(_, marker)] = refs_in_text(text[start:end], with_records=True)  # only these few are parsed again
            found[marker.key] = marker
            page.diagnose(start, "warning", "unparsed-ref", f"a <ref> the parser could not read as a tag (its source "
                          f"is kept): {marker.wikitext[:60]!r}")
    return found


__all__ = ["build", "extract_article", "BuildResult", "Template"]
