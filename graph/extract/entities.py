"""Entity references: wiki links, interlanguage links, flags and bare names → EntityRef."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from graph.data.regex_cache import regex
from graph.data.vocab import load
from graph.extract.flags import zh_regional_names
from graph.extract.interwiki import identifier_namespace, is_sister_project, language_tag, wiki_language
from graph.extract.model import Article, EntityRef
from graph.wikitext.page import Page
from graph.wikitext.page_info import infobox_name, redirect_title
from graph.wikitext.text import clean_spaces, label_language, to_simplified
from graph.wikitext.walk import text_of


def normalise_title(title: str, lang: str) -> str:
    """The key of a page title: how MediaWiki would resolve it, scripts folded on zh."""
    title = unicodedata.normalize("NFC", title)
    title = clean_spaces(title.replace("_", " ").split("#", 1)[0])
    if lang == "zh":
        title = to_simplified(title)
        title = zh_regional_names().get(title, title)
    if title and title[0].islower():  # first letter case-insensitive on Wikipedia
        title = title[0].upper() + title[1:]
    return title


def namespace_of(title: str) -> str | None:
    if ":" not in title:
        return None
    return title.split(":", 1)[0].strip().lower()


def is_decoration_link(title: str) -> bool:
    """A file, category, template… link: never an entity (namespaces: graph/data/templates.yaml)."""
    data = load("templates")
    return (namespace_of(title.lstrip(":")) in data["file_namespaces"]
            or namespace_of(title) in data["file_namespaces"] + data["other_namespaces"])


@lru_cache(maxsize=65536)
def from_wikilink(title: str, label: str | None, site_lang: str) -> EntityRef | None:
    """The page a link names. A link to a section (``[[War#Capture of X|capture of X]]``) names the page: neither
    the section nor the words shown for it label the page. A prefix is another Wikipedia only when it is a
    language code (graph/data/interwiki.yaml); a DOI, a handle or a sister project is no entity of ours, and any
    other prefix is part of the title (``[[Ben-Hur: A Tale of the Christ]]``).

    Kept for the process: a page names the same links again and again (the body's names, then its items), the
    reference is frozen and depends on nothing but its arguments and the data files."""
    title = title.strip()
    lang = site_lang
    if title.startswith(":"):
        title = title[1:]
    prefix = namespace_of(title)
    if identifier_namespace(prefix) or is_sister_project(prefix):
        return None
    if foreign := wiki_language(prefix):  # [[:en:Foo]] links to another wiki
        lang, title = foreign, title.split(":", 1)[1]
    page, _, section = title.partition("#")
    key = normalise_title(page, lang)
    if not key:
        return None
    page_title = clean_spaces(page.replace("_", " "))
    own_tag = label_language(page_title, site_lang) if lang == site_lang else language_tag(lang)
    shown = clean_spaces(label or "")
    if not shown:  # no words of its own: the link shows the page's title, in the language of its wiki
        return EntityRef(lang, key, page_title or key, own_tag, wiki_titles=((lang, page_title),), origin="link")
    return EntityRef(lang, key, shown, label_language(shown, site_lang), wiki_titles=((lang, page_title),),
                     origin="link", section=clean_spaces(section.replace("_", " ")) or None,
                     page_label=(page_title, own_tag) if section else None)


def from_interlanguage(local_title: str | None, foreign_lang: str, foreign_title: str,
                       label: str | None, site_lang: str) -> EntityRef | None:
    """``{{le|本地|Foreign}}``: keyed on the foreign page, which exists (the local one may not)."""
    foreign_title = clean_spaces(foreign_title or local_title or "")
    if not foreign_title:
        return None
    shown = clean_spaces(label or local_title or foreign_title)
    # Only the foreign page is known to exist: the local title of {{le}} is usually a red link.
    titles = [(foreign_lang, foreign_title)]
    extra = ((foreign_title, language_tag(foreign_lang)),) if shown != foreign_title else ()
    return EntityRef(foreign_lang, normalise_title(foreign_title, foreign_lang), shown,
                     label_language(shown, site_lang), extra_labels=extra,
                     wiki_titles=tuple(titles), origin="interlanguage")


def from_state(state, site_lang: str) -> EntityRef:
    """A state named by a flag template (see graph.extract.flags.State)."""
    titles = [("en", state.en_title)]
    if state.zh_title:
        titles.append(("zh", state.zh_title))
    if site_lang == "zh" and state.zh_title:
        key_lang, key, label, lang = "zh", state.zh_title, state.zh_title, "zh-Hans"
    else:
        key_lang, key, label, lang = "en", state.en_title, state.en_title, "en"
    return EntityRef(key_lang, normalise_title(key, key_lang), label, lang,
                     extra_labels=tuple(state.labels), wiki_titles=tuple(titles), origin="flag")


WORD_CHARACTER = regex(r"\w")


def from_text(text: str, site_lang: str) -> EntityRef | None:
    """A name the article gives without a link."""
    name = clean_spaces(text).strip(" ,;:，；：、.。'\"")
    if not name or not WORD_CHARACTER.search(name):
        return None
    return EntityRef(site_lang, normalise_title(name, site_lang), name, label_language(name, site_lang),
                     linked=False, origin="text")


def dedupe(refs: list[EntityRef]) -> list[EntityRef]:
    """Each entity once (by key), in the order first named."""
    seen, out = set(), []
    for ref in refs:
        key = (ref.key_lang, ref.key_title)
        if key not in seen:
            seen.add(key)
            out.append(ref)
    return out


def redirect_target(page: Page, site_lang: str) -> EntityRef | None:
    """The entity a redirect page points to."""
    title = redirect_title(page)
    return from_wikilink(title, None, site_lang) if title is not None else None


def page_links(page: Page, site_lang: str) -> list[EntityRef]:
    found: dict[tuple[str, str], EntityRef] = {}
    seen: set[str] = set()
    for link, _ in page.nodes.wikilinks:
        title = text_of(link.title)
        if title in seen:  # the same title reads as the same entity, already found (or already left out)
            continue
        seen.add(title)
        if "\n" in title or "{" in title or is_decoration_link(title):
            continue
        ref = from_wikilink(title, None, site_lang)
        if ref is not None:
            found.setdefault((ref.key_lang, ref.key_title), ref)
    return list(found.values())


def conflict_entity(article: Article, infobox, page: Page, first: bool) -> EntityRef:
    name = article.title if first else (infobox_name(page, [infobox]) or f"{article.title} ({infobox.offset})")
    key = normalise_title(name, article.lang)
    return EntityRef(article.lang, key, name, label_language(name, article.lang), linked=first,
                     wiki_titles=((article.lang, name),) if first else (), origin="article")
