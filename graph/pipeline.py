"""The whole flow for one page: read → parse → extract → map. The CLI and the API call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mwparserfromhell.nodes import Tag, Template

from . import entities
from .bibliography import records_in
from .extract import extract_conflict
from .model import Article, EntityRef
from .parse import Page, find_infoboxes, parse_page
from .rdf import TripleSink, article_triples
from .read import Source
from .refs import marker_from_ref
from .text import clean_spaces, detect_site_language, label_language


@dataclass
class BuildResult:
    article: Article
    sink: TripleSink


def extract_article(source: Source, lang: str | None = None, title: str | None = None) -> Article:
    page = parse_page(source)
    site_lang = lang or detect_site_language(source.text)
    infoboxes = find_infoboxes(page)
    article_title = title or lead_title(page) or infobox_name(page, infoboxes) or Path(source.name).stem
    article = Article(title=clean_spaces(article_title), lang=site_lang, source_name=source.name,
                      sha256=source.sha256)
    article.refs = defining_refs(page)
    article.records = records_in(page.code)
    if not infoboxes:
        page.diagnose(0, "warning", "no-infobox", "no known infobox in this page (graph/data/mappings/); "
                      "only the article node is written")
    for i, infobox in enumerate(infoboxes):
        entity = conflict_entity(article, infobox, page, first=(i == 0))
        article.conflicts.append(extract_conflict(page, infobox, entity, site_lang))
    article.diagnostics = page.diagnostics
    return article


def build(source: Source, lang: str | None = None, title: str | None = None,
          sink: TripleSink | None = None) -> BuildResult:
    article = extract_article(source, lang, title)
    return BuildResult(article, article_triples(article, sink))


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


def defining_refs(page: Page) -> dict:
    """Every ``<ref>`` with content in the page, by key, so reused named refs find their text."""
    found = {}
    for tag in page.code.filter_tags(recursive=True, matches=lambda n: str(n.tag).lower() == "ref"):
        marker = marker_from_ref(tag)
        if marker.kind == "ref":
            found.setdefault(marker.key, marker)
    return found


__all__ = ["build", "extract_article", "BuildResult", "Template"]
