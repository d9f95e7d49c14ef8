"""The whole flow for one page: read → parse → extract → map. The CLI and the API call this."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from mwparserfromhell.nodes import Template

from graph.extract.bibliography import citation_records, listed_records
from graph.extract.body import read_body
from graph.extract.entities import conflict_entity, page_links, redirect_target
from graph.extract.infobox import extract_conflict
from graph.extract.model import Article
from graph.extract.refs import defining_refs, ref_uses, report_undefined_refs
from graph.extract.tables import find_tables, table_figures
from graph.rdf.mapping import article_triples
from graph.rdf.terms import TripleSink
from graph.wikitext.page import find_infoboxes, parse_page
from graph.wikitext.page_info import conversion_rules, infobox_name, is_disambiguation, lead_title
from graph.wikitext.read import Source
from graph.wikitext.text import clean_spaces, detect_site_language


@dataclass
class BuildResult:
    """One page read: the article and its triples."""

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
    article.records = citation_records(t for t, _ in page.nodes.templates)
    # and those of the refs the parser left as text (a set of the records found: equal records hash alike, and a
    # list searched for each ref costs the square of a page's citations)
    found = set(article.records)
    article.records += [m.record for m in article.refs.values() if m.record and m.record not in found]
    article.listed = listed_records(page.text)
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
        people = frozenset(c.entity.key_title for conflict in article.conflicts for c in conflict.commanders)
        actors = frozenset(f.entity.key_title for conflict in article.conflicts
                           for f in (*conflict.belligerents, *conflict.supporters))
        narrative = read_body(page, site_lang, people, actors)
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




__all__ = ["build", "extract_article", "BuildResult", "Template"]
