"""Citation templates → bibliographic records, and short citations ({{sfn}}) → their full record.

Parameter names vary by wiki and by age (``accessdate``/``access-date``, ``ISBN``/``isbn``,
``last1``/``last``); they are folded here once. Resolution of ``{{sfn|de Waal|2003|p=285}}``
follows the harvard-citation rule: the same family names, in order, and the same year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from functools import cache

from mwparserfromhell.nodes import Template, Text
from mwparserfromhell.nodes.extras import Parameter
from mwparserfromhell.wikicode import Wikicode

from graph.data.regex_cache import regex
from graph.data.vocab import load, normalise_template_name
from graph.extract.isbn import to_isbn13
from graph.extract.model import Record, RefMarker
from graph.wikitext.text import clean_spaces, fold, strip_markup
from graph.wikitext.tokens import build, first_link_url, template_names, tokenize
from graph.wikitext.walk import text_of

CITATION_PREFIXES = ("cite", "citation", "vcite", "引用")
YEAR = regex(r"(?<!\d)(\d{3,4})(?!\d)")
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
LANGUAGE_ICON = regex(r"^(?:in lang|(?P<code>[a-z]{2,3}) icon)$")
AUTHOR_PARAM = regex(r"^(?:last|surname|author|editor-last|editor|author-last)(\d*)$|^editor(\d+)-last$")


def is_citation_template(tpl: Template) -> bool:
    return is_citation_name(str(tpl.name))


def is_citation_name(name: str) -> bool:
    """Whether a template of this name (as written) is a citation template: {{cite book}}, {{Citation}}, …"""
    return normalise_template_name(name).startswith(CITATION_PREFIXES)


def field_text(value: Wikicode) -> str:
    """A citation field as text: a template inside it reads as its first unnamed value
    (``publisher={{le|M. E. Sharpe}}`` → "M. E. Sharpe"), links as their text."""
    nodes = value.nodes
    if all(type(part) is Text for part in nodes):  # most fields: text alone strips to itself (spaces aside)
        return clean_spaces("".join(part.value for part in nodes))
    if not any(isinstance(part, Template) for part in nodes):
        return clean_spaces(value.strip_code())  # the field's own tree: no second parse
    parts = []
    for part in value.nodes:
        if isinstance(part, Template):
            first = next((p.value for p in part.params if not p.showkey), None)
            parts.append(field_text(first) if first is not None else "")
        else:
            parts.append(str(part))
    return clean_spaces(strip_markup("".join(parts)))


def params_of(tpl: Template) -> tuple[dict[str, str], Parameter | None]:
    """Named parameters, names folded (``trans_title`` → ``trans-title``, ``ISBN`` → ``isbn``); and the last
    parameter named ``ref`` as written (``tpl.get("ref")`` where ``tpl.has("ref")``), met on the way."""
    out = {}
    ref = None
    for param in tpl.params:
        if param.showkey:  # an unnamed parameter is named by its position: never "ref"
            written = text_of(param.name).strip()
            if written == "ref":
                ref = param
            value = field_text(param.value)
            if value:
                out[written.lower().replace("_", "-")] = value
    return out, ref


def publication_year(text: str) -> str | None:
    """The year of a date field; a year the build has not reached is no publication year."""
    m = YEAR.search(text or "")
    return m.group(1) if m and int(m.group(1)) <= date.today().year else None


def record_from_template(tpl: Template) -> Record:
    """The record of a citation template, read once: a page's footnotes and its list of works meet the same
    template node, and the node (which lives as long as its page's tree) keeps its record."""
    record = tpl.__dict__.get("_wikikg_record")
    if record is None:
        record = tpl.__dict__["_wikikg_record"] = read_template_record(tpl)
    return record


def read_template_record(tpl: Template) -> Record:
    params, ref = params_of(tpl)
    values = {key: next((params[n] for n in names if n in params), None) for key, names in FIELDS.items()}
    year = publication_year(params.get("year") or params.get("date") or "")
    return Record(authors=authors_of(params), year=year, years=(year,) if year else (), anchor=anchor_of(ref),
                  kind=kind_of(normalise_template_name(str(tpl.name)), values), **values)


def anchor_of(ref: Parameter | None) -> tuple[str, ...]:
    """``ref={{harvid|English Heritage|1995}}`` (the template's ``ref`` parameter): the names and year a short
    citation uses for this work."""
    if ref is None:
        return ()
    names = {normalise_template_name(n) for n in load("templates")["harvard_anchors"]}
    for inner in ref.value.filter_templates(recursive=False):
        if normalise_template_name(str(inner.name)) in names:
            return tuple(v for v in (clean_spaces(p.value.strip_code()) for p in inner.params if not p.showkey) if v)
    return ()


def kind_of(name: str, values: dict) -> str:
    for kind, names in load("templates")["citation_kinds"].items():
        if name in names:
            return "web" if kind == "book" and name == "citation" and not values.get("isbn") and values.get("url") \
                else kind
    return "other"


def record_from_text(content: Wikicode, text: str | None = None) -> Record | None:
    """A reference written by hand ("Yamskov, A. N. "''Ethnic Conflict…''". …, 1991, 659.") or a bare URL.
    ``text``: ``str(content)``, where the caller has it."""
    return written_record(str(content) if text is None else text)


# A written reference: the title is its first ''italic'', "quoted", 《book-titled》 or [link text] part.
TITLE_MARKS = regex(r"''(?P<i>.+?)''|\"\[(?:https?:)?//\S+\s+(?P<ql>[^\]]+)\]|\"(?P<q>[^\"]{3,}?)\""
                         r"|“(?P<c>[^”\u3400-\u9fff]{3,}?)”|《(?P<b>[^》]+)》|^\s*\[(?:https?:)?//\S+\s+(?P<l>[^\]]+)\]")
ISBN_WRITTEN = regex(r"\{\{\s*isbn\s*\|\s*([^}|]+)|isbn(?:-1[03])?[:：\s]\s*([0-9][0-9Xx\- ]{8,16}[0-9Xx])",
                          re.IGNORECASE)
EDITED = regex(r"\s*(?:编|編|主编|主編|著|等|\(eds?\.?\)|eds?\.)\s*$")


# A written reference that opens with its author: "Nadein-Raevski, V. …", "Calhoon, Robert M. The Loyalists …",
# "Lohuizen, Jan (1961). …", "Paul Kennedy, The Rise and Fall …", "Curtis P. Nettels, The Emergence …".
LEADING_AUTHOR = regex(r"^(?:([A-Z][\w'’]+(?:-[A-Z][\w'’]+)?),\s(?:(?:[A-Z]\.\s?)+|(?:[A-Z][\w'’]+\s?){1,2}"
                            r"(?:[A-Z]\.)?(?=[\s,.(]))|((?:[A-Z][\w'’]*\.?\s){1,3}[A-Z][\w'’-]+"
                            r"(?:\s(?:and|&)\s(?:[A-Z][\w'’]*\.?\s){1,3}[A-Z][\w'’-]+)?),\s)")


ISBN_TEMPLATE = regex(r"\{\{\s*isbn\s*\|[^}]*\}\}", re.IGNORECASE)
REF_OR_COMMENT = regex(r"<ref[^>]*/>|<ref[^>]*>.*?</ref>|<!--.*?-->", re.DOTALL | re.IGNORECASE)
WIKILINK = regex(r"\[\[(?:[^|\]]*\|)?([^\]]*)\]\]")  # group 1: the text shown
EXTERNAL_LINK = regex(r"\[(?:https?:)?//\S+\s+([^\]]*)\]")  # group 1: the text shown
YEAR_RANGE = regex(r"(?<!\d)\d{4}\s?[–\-]\s?\d{2,4}(?!\d)")
EXTERNAL_LINK_START = regex(r"\[(?:https?:)?//\S*")
PAGES = regex(r"\bpp?\.\s?([\dxvilc]+(?:\s?[–\-]\s?\d+)?)")
INNER_TEMPLATE = regex(r"\{\{[^{}]*\}\}")
LEADING_TEMPLATE = regex(r"^\{\{[^}]*\}\}\s*")
TRAILING_YEAR = regex(r"[\s,.]*\(?(?<!\d)\d{4}[a-z]?\)?[\s,.]*$")
NOT_IN_NAMES = regex(r"[\d。：:!?！？]")
NAME_SEPARATOR = regex(r"\s+(?:and|&)\s+|\s*[;；、]\s*|(?<=\.)\s*,\s*(?=[A-Z][a-z])")
COMMA = regex(r"[,，]")


@cache  # asked at each written reference: regex() alone would decode it at each call
def access_dates() -> re.Pattern:
    return regex("|".join(load("templates")["access_dates"]), re.IGNORECASE)


def written_record(wikitext: str) -> Record | None:
    """The record of a reference written as text, in a <ref> or a bibliography list: authors before the title,
    the title, the publication years outside the title (access and archive dates left out), ISBN and URL."""
    has_link = "//" in wikitext or "[" in wikitext  # a free URL or a bracketed one: else no tree to read
    url = first_link_url(wikitext) if has_link else None
    isbn = next((clean_spaces(a or b) for a, b in ISBN_WRITTEN.findall(wikitext)), None)
    marked = ISBN_TEMPLATE.sub(" ", wikitext)
    marked = REF_OR_COMMENT.sub(" ", marked)
    marked = WIKILINK.sub(r"\1", marked)  # [[Page|Black, Jeremy]] → Black, Jeremy
    marked = access_dates().sub(" ", marked)
    title_match = TITLE_MARKS.search(marked)
    if title_match and not (title_match.group("l") or title_match.group("ql")):  # [http://… ''Title''] → ''Title''
        marked = EXTERNAL_LINK.sub(r"\1", marked)
        title_match = TITLE_MARKS.search(marked)
    if title_match:
        title = clean_spaces(strip_markup(next(g for g in title_match.groups() if g)))
        if len(title) > 2 and title[0] in "\"“「" and title[-1] in "\"”」":  # ''"Title"'': without its quotes
            title = title[1:-1].strip()
        before, after = marked[: title_match.start()], marked[title_match.end():]
    else:
        title, before, after = None, "", marked
    # the reference ends at a full stop 。: what follows is the footnote's prose, its dates not the work's
    rest = clean_spaces(strip_markup(before + " " + after.split("。")[0]))
    spans = YEAR_RANGE.sub(" ", rest)  # "1760–1781": a period the work is about
    years = tuple(y for y in YEAR.findall(spans) if len(y) == 4 and 1450 <= int(y) <= date.today().year)
    before = EXTERNAL_LINK_START.sub(" ", before)  # the link the title is written in
    authors = written_authors(clean_spaces(strip_markup(before))) if title else ()
    text = clean_spaces(strip_markup(marked))
    leading = LEADING_AUTHOR.match(text)
    if not authors and leading and years:  # a name, then a publication year further on
        authors = (leading.group(1),) if leading.group(1) else written_authors(leading.group(2))
    if not text and not url:
        return None
    kind = "book" if isbn else "web" if url else "text"
    pages = PAGES.findall(rest)
    return Record(title=(title or text or url)[:300], url=url, isbn=isbn, authors=authors,
                  year=years[0] if years else None, years=years, kind=kind, page=pages[-1] if pages else None)


def has_signal(record: Record, wikitext: str) -> bool:
    """Whether a written footnote names a source: an ISBN, a URL, authors with a year, or a title marked as one
    (''italic'', "quoted", 《…》). An explanation is plain prose."""
    if record.isbn or record.url or record.authors and record.year:
        return True
    marked = TITLE_MARKS.search(access_dates().sub(" ", wikitext))
    if marked is None:
        return False
    before = INNER_TEMPLATE.sub(" ", wikitext[: marked.start()])
    before = clean_spaces(strip_markup(before)).strip(" .,;:，。：；")
    return not before or bool(written_authors(before))  # "The ''Historia Augusta'' mentions …": prose


def written_authors(text: str) -> tuple[str, ...]:
    """"Kulish, O. and Melikov, D." → ("Kulish", "Melikov"); "David Hackett Fischer" → ("David Hackett Fischer",);
    "中華民國國防大學編" → ("中華民國國防大學",). Text that is no list of names gives none."""
    text = EDITED.sub("", text.strip(" .,;:，。：；'\"()（）")).strip(" .,;:，。：；")
    text = LEADING_TEMPLATE.sub("", text)
    text = TRAILING_YEAR.sub("", text)  # "Glenn Foard & Anne Curry (2013)."
    if not text or len(text) > 80 or NOT_IN_NAMES.search(text):
        return ()
    names = []
    for part in NAME_SEPARATOR.split(text):
        part = part.strip(" .,，")
        if not part:
            continue
        part = part.rsplit("|", 1)[-1]  # a link left open: "Herwig Wolfram|Wolfram, Herwig"
        if "," in part or "，" in part:  # "Surname, Given": the family name, as a template's last=
            part = COMMA.split(part)[0]
        names.append(part.strip())  # "David Hackett Fischer": the name as written, as a template's author=
    stop = not_names()
    return tuple(n for n in names if n and len(n.split()) <= 4 and fold(n) not in stop and not n[0].islower())


@cache  # asked of every written reference and short citation: folded once, not at each
def not_names() -> frozenset[str]:
    """graph/data/templates.yaml's words that are no author's name ("Also", "Volume"), folded."""
    return frozenset(fold(w) for w in load("templates")["not_names"])


# A hand-written short citation: names, a year where given, a title where given (''marked'', or the short title
# of a shortened note), a volume, and the page or book.chapter: "Rowse, p. 143", "Clark (2016), pp.120-125",
# "Howarth 1991, p. 16", "Savas and Dameron (2006), p. xli", "de Waal. ''Black Garden'', p. 286", "John Bray, p.279",
# "Zosimus, 1.43", "Maier, American Scripture, 33–34", "Trevelyan (1912), vol. 1, pp. 4–5", "Edler 2001, 181–89".
_GIVEN = r"(?:(?:[A-Z]\.\s?|[A-Z][\w'’\-]+\s)){0,4}"  # bounded: a long capitalised text is read in linear time
_NAME = _GIVEN + r"(?:(?:de|van|von|der|du|la|le|da|di)\s)?[A-Z][\w'’\-]+"
_VOLUME = r"(?:[Vv]ol(?:ume)?\.?|[Bb]ook|[Pp]art)\s?[\dIVXLCivxlc]+\b"
POINTER = regex(
    rf"(?P<authors>{_NAME}(?:\s(?:and|&)\s{_NAME}){{0,3}})"
    r"(?:,?\s?\((?P<y1>\d{4})[a-z]?\)|,?\s(?P<y2>\d{4})[a-z]?)?\s?[,.]?\s?"
    r"(?:''(?P<title>[^']+?)'',?\s?|(?!" + _VOLUME + r")(?P<short>[A-Z][^,;:()'\d]{1,60}?(?:,\s\d{4}[–\-]\d{2,4})?),"
    r"\s)?(?:" + _VOLUME + r",?\s?)?"
    r"(?P<loc>pp?\.\s?(?:[\dxvilc]+(?:\s?[–\-]\s?\d+)?)(?:,\s?\d+(?:\s?[–\-]\s?\d+)?)*|\d+\.\d+(?:\.\d+)?"
    r"|\d{1,4}(?:\s?[–\-]\s?\d{1,4})?(?:,\s?\d{1,4}(?:\s?[–\-]\s?\d{1,4})?)*(?=\s?(?:[.;)]|$)))")
AND = regex(r"\s(?:and|&)\s")
# the given names before a family name
GIVEN_NAMES = regex("^" + _GIVEN + r"(?=(?:(?:de|van|von|der|du|la|le|da|di)\s)?[A-Z][\w'’\-]+$)")
ROMAN_NUMERAL = regex(r"[IVXLC]+")
PAGE_MARK = regex(r"^pp?\.\s?")
LOCATOR_END = regex(r"\s*(?:[.;,)]|$)")
FOUR_DIGITS = regex(r"\d{4}")
END_PUNCTUATION = regex(r"[.;。\s]*")
COLON_END = regex(r"[:：]\s*$")
LONE_YEAR = regex(r"(?<!\d)\d{4}(?!\d)")


def pointers(text: str) -> list[dict]:
    """Every short citation written in a footnote's text, in order, with its page ("p. 143" → "143")."""
    return [p for p in (pointer_at(m, text) for m in POINTER.finditer(text)) if p is not None]


def pointer_at(m: re.Match, text: str) -> dict | None:
    """The short citation ``m`` found in ``text``, unless it is not one."""
    names = AND.split(m.group("authors"))
    family = tuple(GIVEN_NAMES.sub("", n.strip()) for n in names)
    stop = not_names()
    if any(fold(f) in stop or ROMAN_NUMERAL.fullmatch(f) for f in family):
        return None  # "Also see …", "Volume IV, p. 158"
    page = PAGE_MARK.sub("", m.group("loc"))
    if page == m.group("loc") and not LOCATOR_END.match(text[m.end():]):
        return None  # a book.chapter locator ends its citation: "Zosimus, 1.43", not "Baku, 1.5 million"
    if page == m.group("loc") and FOUR_DIGITS.fullmatch(page) and 1450 <= int(page) <= date.today().year:
        return None  # "Boston, 1775." is a place and a year
    return {"authors": family, "year": m.group("y1") or m.group("y2"), "title": m.group("title") or m.group("short"),
            "page": page, "span": m.span()}


def pointer_of(text: str) -> dict | None:
    """The short citation a footnote is: one that opens it ("Mackesy (1964), pp. 6, 176 (British seamen).") or
    ends it after a colon (a note's "…： de Waal. ''Black Garden'', p. 286.")."""
    text = clean_spaces(text).lstrip(" ;,.")  # what a footnote's templates leave: "; Pugh (1992). p. 49."
    opening = POINTER.match(text)
    first = pointer_at(opening, text) if opening else None
    if first is not None:
        return first
    if ":" not in text and "：" not in text:
        return None  # only one that opens the footnote could be its pointer: searching all of it is not needed
    found = pointers(text)
    if not found:
        return None
    first, last = found[0], found[-1]
    if first["span"][0] == 0:
        return first
    before = text[: last["span"][0]]
    if END_PUNCTUATION.fullmatch(text[last["span"][1]:]) and COLON_END.search(before) \
            and not any(1450 <= int(y) <= date.today().year for y in LONE_YEAR.findall(before)):
        return last  # not "Ramaswami, N.S. (1984). Political History … New Delhi: Abhinav Publications. p. 225"
    return None


def authors_of(params: dict[str, str]) -> tuple[str, ...]:
    numbered = []
    for name, value in params.items():
        m = AUTHOR_PARAM.match(name)
        if m:
            index = int(m.group(1) or m.group(2) or 1)
            numbered.append((0 if name.startswith(("last", "surname", "author")) else 1, index, value))
    return tuple(v for _, _, v in sorted(numbered))


def first_record(code: Wikicode | None, templates: list[Template] | None = None,
                 text: str | None = None) -> Record | None:
    """The citation template of a ref's content, else the ref's plain text as a record; a {{webarchive}}
    or a {{ru icon}} beside it adds the archived copy and the language. ``templates`` and ``text``: those of
    ``code`` (recursively) and its text, where the caller has them."""
    if code is None:
        return None
    if templates is None:
        templates = code.filter_templates(recursive=True)
    record = next((record_from_template(t) for t in templates if is_citation_template(t)), None)
    record = record or record_from_text(code, text)
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


URL_START = regex(r"^https?://(www\.)?")


def work_key(record: Record) -> str:
    """One work per distinct source: same ISBN, DOI, URL, or authors + year + title."""
    isbn13 = to_isbn13(record.isbn) if record.isbn else None
    if isbn13:
        return f"isbn:{isbn13}"
    if record.doi:
        return f"doi:{record.doi.lower()}"
    if record.url:
        return "url:" + URL_START.sub("", record.url).rstrip("/").lower()
    return "aty:" + "|".join([*(fold(a) for a in record.authors), record.year or "", fold(record.title or "")])


def records_in(code: Wikicode) -> list[Record]:
    """Every citation template of a text: inside <ref>s and in bibliography sections alike."""
    return citation_records(code.filter_templates(recursive=True))


def citation_records(templates: Iterable[Template]) -> list[Record]:
    """The records of the citation templates among ``templates`` (a page's: ``page.nodes.templates``), in order."""
    return [record_from_template(t) for t in templates if is_citation_template(t)]


SHORT_CITATION_YEAR = regex(r"\d{3,4}[a-z]?|n\.d\.|c\. ?\d{3,4}")


def short_citation_parts(tpl: Template) -> tuple[tuple[str, ...], str | None]:
    """``{{sfn|Jones|Underwood|1993|p=64}}`` → (("Jones", "Underwood"), "1993")."""
    unnamed = [clean_spaces(p.value.strip_code()) for p in tpl.params if not p.showkey]
    unnamed = [u for u in unnamed if u]
    if unnamed and SHORT_CITATION_YEAR.fullmatch(unnamed[-1]):
        return tuple(unnamed[:-1]), unnamed[-1]
    return tuple(unnamed), None


def family_name(author: str) -> str:
    """The part a short citation repeats: "de Waal" of last=de Waal, "Waal" of author=Thomas de Waal."""
    return fold(author.split(",")[0])


LEADING_ARTICLE = regex(r"^(?:the|a|an)\s+")


def short_title(title: str) -> str:
    """A title as a shortened note repeats it: folded, without its article and final punctuation."""
    return LEADING_ARTICLE.sub("", fold(title).strip(" .,:;"))


class Works:
    """The records ``resolve`` compares, each with its folded anchor and family names, and where to find them: a
    page's short citations are resolved against the same works, hundreds of times on a long page, so the names are
    folded once, and each short citation looks only at the works its anchor or its first family name can match."""

    def __init__(self, records: Iterable[Record]) -> None:
        self.entries = [(r, tuple(fold(a) for a in r.anchor), tuple(family_name(a) for a in r.authors))
                        for r in records]
        self.by_anchor: dict[tuple[str, ...], list[int]] = {}
        self.by_last_word: dict[str, list[int]] = {}
        for i, (_, anchor, family) in enumerate(self.entries):
            if anchor:
                self.by_anchor.setdefault(anchor, []).append(i)
            if family:
                self.by_last_word.setdefault(last_word(family[0]), []).append(i)

    def matching(self, anchor: tuple[str, ...], first: str) -> list[tuple[Record, tuple[str, ...], tuple[str, ...]]]:
        """In order, the works whose anchor is ``anchor`` or whose first family name can be ``first`` (it is, or
        ends with it after a space: both end with the same word): no other work matches in ``resolve``."""
        found = {*self.by_anchor.get(anchor, ()), *self.by_last_word.get(last_word(first), ())}
        return [self.entries[i] for i in sorted(found)]


def last_word(name: str) -> str:
    """The last word of a folded name ("de waal" → "waal")."""
    return name.rsplit(" ", 1)[-1]


def resolve(marker: RefMarker, records: Iterable[Record] | Works) -> Record | None:
    """The full reference a short citation points to: the same family names, in order, and the same year. A
    hand-written pointer without a year ("Rowse, p. 143") takes the one work of those authors (of that title,
    where it names one); two works of theirs and no year to tell them apart: unresolved."""
    if not marker.authors or not (marker.year or marker.pointer):
        return None
    works = records if isinstance(records, Works) else Works(records)
    wanted = tuple(fold(a) for a in marker.authors)
    year = marker.year[:4] if marker.year else None
    anchor = (*wanted, *((fold(year),) if year else ()))
    found: dict[str, Record] = {}
    for record, record_anchor, family in works.matching(anchor, wanted[0]):
        if record_anchor and record_anchor == anchor:
            return record  # the anchor the work itself declares for its short citations
        if year and year != record.year and year not in record.years or len(family) < len(wanted):
            continue
        names = family[: len(wanted)]
        if names == wanted or all(n.endswith(" " + w) or n == w for n, w in zip(names, wanted, strict=True)):
            if year and not marker.pointer:
                return record
            if marker.title and short_title(marker.title) not in short_title(record.title or ""):
                continue
            found.setdefault(work_key(record), record)
    return next(iter(found.values())) if len(found) == 1 else None


HEADING = regex(r"^(=+)\s*(.*?)\s*\1\s*$")
REFS_AND_COMMENTS = regex(r"<ref[^>/]*/>|<ref[^>]*>.*?</ref\s*>|<!--.*?(?:-->|$)", re.DOTALL | re.IGNORECASE)
LIST_ITEM = regex(r"^[*#:]+\s*(.+)$")


def bibliography_lines(text: str) -> list[str]:
    """The lines of the page's reference and bibliography sections (with their sub-sections) and of its
    {{refbegin}}…{{refend}} blocks outside further reading, footnotes and comments blanked."""
    data = load("templates")
    heads = {fold(h) for h in data["bibliography_headings"]}
    elsewhere = {fold(h) for h in data["not_bibliography_headings"]}
    opens, closes = (regex(r"\{\{\s*(?:" + "|".join(map(re.escape, data["bibliography_blocks"][i::2]))
                                + r")\s*[|}]", re.IGNORECASE) for i in (0, 1))
    lines, level, block, aside = [], None, False, False
    for line in REFS_AND_COMMENTS.sub(" ", text).splitlines():
        m = HEADING.match(line)
        if m:
            depth, title = len(m.group(1)), fold(strip_markup(m.group(2)))
            if level is not None and depth <= level:
                level = None
            if level is None and title in heads:
                level = depth
            aside = title in elsewhere
            continue
        block = block or bool(opens.search(line)) and not aside
        if level is not None or block:
            lines.append(line)
        if closes.search(line):
            block = False
    return lines


def listed_records(text: str) -> list[Record]:
    """The works an article lists in its bibliography: its citation templates, and the items it writes by hand
    ("* Boatner, Mark Mayo, III. ''Encyclopedia of the American Revolution.'' 1966; revised 1974. {{ISBN|…}}")."""
    lines = bibliography_lines(text)
    joined = "\n".join(lines)
    found = []
    if "{{" in joined:  # no template: no citation one; no citation template among them: no tree to build
        tokens = tokenize(joined)
        if any(map(is_citation_name, template_names(tokens))):
            found = records_in(build(tokens))
    for line in lines:
        item = LIST_ITEM.match(line)
        if item is None or "{{" in line and any(map(is_citation_name, template_names(line))):
            continue
        record = written_record(item.group(1))
        if record is not None and has_signal(record, item.group(1)) and record.title:
            found.append(record)
    return found
