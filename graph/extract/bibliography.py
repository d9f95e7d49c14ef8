"""Citation templates → bibliographic records, and short citations ({{sfn}}) → their full record.

Parameter names vary by wiki and by age (``accessdate``/``access-date``, ``ISBN``/``isbn``,
``last1``/``last``); they are folded here once. Resolution of ``{{sfn|de Waal|2003|p=285}}``
follows the harvard-citation rule: the same family names, in order, and the same year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from mwparserfromhell.nodes import Template
from mwparserfromhell.wikicode import Wikicode

from graph.data.vocab import load, normalise_template_name
from graph.extract.isbn import to_isbn13
from graph.extract.model import Record, RefMarker
from graph.wikitext.text import clean_spaces, fold

CITATION_PREFIXES = ("cite", "citation", "vcite", "引用")
YEAR = re.compile(r"(?<!\d)(\d{3,4})(?!\d)")
FIELDS = {
    "title": ("title", "script-title", "trans-title", "chapter", "contribution"),
    "isbn": ("isbn", "isbn13"),
    "doi": ("doi",),
    "url": ("url", "chapter-url", "contribution-url"),
    "archive_url": ("archive-url", "archiveurl"),
    "publisher": ("publisher", "work", "website", "newspaper", "journal", "magazine"),
    "page": ("page", "pages", "at", "p", "pp"),
    "quote": ("quote",),
    "language": ("language", "lang"),
}
LANGUAGE_ICON = re.compile(r"^(?:in lang|(?P<code>[a-z]{2,3}) icon)$")
AUTHOR_PARAM = re.compile(r"^(?:last|surname|author|editor-last|editor|author-last)(\d*)$|^editor(\d+)-last$")


def is_citation_template(tpl: Template) -> bool:
    return normalise_template_name(str(tpl.name)).startswith(CITATION_PREFIXES)


def params_of(tpl: Template) -> dict[str, str]:
    """Named parameters, names folded (``trans_title`` → ``trans-title``, ``ISBN`` → ``isbn``)."""
    out = {}
    for param in tpl.params:
        if param.showkey:
            name = str(param.name).strip().lower().replace("_", "-")
            value = clean_spaces(param.value.strip_code())
            if value:
                out[name] = value
    return out




def record_from_template(tpl: Template) -> Record:
    params = params_of(tpl)
    values = {key: next((params[n] for n in names if n in params), None) for key, names in FIELDS.items()}
    year_text = params.get("year") or params.get("date") or ""
    year = YEAR.search(year_text)
    return Record(authors=authors_of(params), year=year.group(1) if year else None,
                  kind=kind_of(normalise_template_name(str(tpl.name)), values), **values)


def kind_of(name: str, values: dict) -> str:
    for kind, names in load("templates")["citation_kinds"].items():
        if name in names:
            return "web" if kind == "book" and name == "citation" and not values.get("isbn") and values.get("url") \
                else kind
    return "other"


def record_from_text(content: Wikicode) -> Record | None:
    """A ref written as plain text ("Yamskov, A. N. …, 659.") or a bare URL: its text is its title."""
    text = clean_spaces(content.strip_code())
    links = content.filter_external_links(recursive=True)
    url = str(links[0].url) if links else None
    if not text and not url:
        return None
    year = YEAR.search(text)
    return Record(title=(text or url)[:300], url=url, year=year.group(1) if year else None,
                  kind="web" if url else "text")


def authors_of(params: dict[str, str]) -> tuple[str, ...]:
    numbered = []
    for name, value in params.items():
        m = AUTHOR_PARAM.match(name)
        if m:
            index = int(m.group(1) or m.group(2) or 1)
            numbered.append((0 if name.startswith(("last", "surname", "author")) else 1, index, value))
    return tuple(v for _, _, v in sorted(numbered))


def first_record(code: Wikicode | None) -> Record | None:
    """The citation template of a ref's content, else the ref's plain text as a record; a {{webarchive}}
    or a {{ru icon}} beside it adds the archived copy and the language."""
    if code is None:
        return None
    templates = code.filter_templates(recursive=True)
    record = next((record_from_template(t) for t in templates if is_citation_template(t)), None)
    record = record or record_from_text(code)
    if record is None:
        return None
    extra = {}
    for tpl in templates:
        name = normalise_template_name(str(tpl.name))
        if name in ("webarchive", "wayback", "archive.today") and not record.archive_url and tpl.has("url"):
            extra["archive_url"] = clean_spaces(tpl.get("url").value.strip_code())
        icon = LANGUAGE_ICON.match(name)
        if icon and not record.language:
            extra["language"] = icon.group("code") or (clean_spaces(tpl.get(1).value.strip_code()) if tpl.has(1)
                                                       else None)
    return replace(record, **extra) if extra else record


def work_key(record: Record) -> str:
    """One work per distinct source: same ISBN, DOI, URL, or authors + year + title."""
    isbn13 = to_isbn13(record.isbn) if record.isbn else None
    if isbn13:
        return f"isbn:{isbn13}"
    if record.doi:
        return f"doi:{record.doi.lower()}"
    if record.url:
        return "url:" + re.sub(r"^https?://(www\.)?", "", record.url).rstrip("/").lower()
    return "aty:" + "|".join([*(fold(a) for a in record.authors), record.year or "", fold(record.title or "")])


def records_in(code: Wikicode) -> list[Record]:
    """Every citation template of a page: inside <ref>s and in bibliography sections alike."""
    return [record_from_template(t) for t in code.filter_templates(recursive=True) if is_citation_template(t)]


def short_citation_parts(tpl: Template) -> tuple[tuple[str, ...], str | None]:
    """``{{sfn|Jones|Underwood|1993|p=64}}`` → (("Jones", "Underwood"), "1993")."""
    unnamed = [clean_spaces(p.value.strip_code()) for p in tpl.params if not p.showkey]
    unnamed = [u for u in unnamed if u]
    if unnamed and re.fullmatch(r"\d{3,4}[a-z]?|n\.d\.|c\. ?\d{3,4}", unnamed[-1]):
        return tuple(unnamed[:-1]), unnamed[-1]
    return tuple(unnamed), None


def family_name(author: str) -> str:
    """The part a short citation repeats: "de Waal" of last=de Waal, "Waal" of author=Thomas de Waal."""
    return fold(author.split(",")[0])


def resolve(marker: RefMarker, records: Iterable[Record]) -> Record | None:
    if not marker.authors or not marker.year:
        return None
    wanted = tuple(fold(a) for a in marker.authors)
    year = marker.year[:4]
    for record in records:
        if record.year != year or len(record.authors) < len(wanted):
            continue
        names = tuple(family_name(a) for a in record.authors[: len(wanted)])
        if names == wanted or all(n.endswith(" " + w) or n == w for n, w in zip(names, wanted, strict=True)):
            return record
    return None
