"""Citation markers: ``<ref>`` tags and short-citation templates → RefMarker (raw keys)."""

from __future__ import annotations

import hashlib
import re

import mwparserfromhell
from mwparserfromhell.nodes import Tag, Template

from graph.data.vocab import normalise_template_name
from graph.extract.bibliography import first_record, short_citation_parts
from graph.extract.model import RefMarker
from graph.wikitext.text import clean_spaces


def ref_name(tag: Tag) -> str | None:
    for attr in tag.attributes:
        if str(attr.name).strip().lower() == "name":
            value = str(attr.value).strip().strip("\"'").strip()
            return value or None
    return None


def marker_from_ref(tag: Tag) -> RefMarker:
    name = ref_name(tag)
    content = str(tag.contents) if tag.contents is not None else ""
    if not content.strip():
        return RefMarker(key=name or "anon:empty", kind="named-ref-use", name=name, wikitext=str(tag))
    key = name or "anon:" + hashlib.sha1(content.strip().encode("utf-8")).hexdigest()[:12]
    record = first_record(tag.contents)
    return RefMarker(key=key, kind="ref", name=name, wikitext=str(tag), title=record.title if record else None,
                     record=record)


def marker_from_short_citation(tpl: Template) -> RefMarker:
    """``{{sfn|de Waal|2003|p=285}}`` → key ``sfn:de Waal|2003|p=285``."""
    parts = [clean_spaces(str(p.value)) for p in tpl.params if not p.showkey]
    for locator in ("p", "pp", "page", "pages", "loc", "at"):
        if tpl.has(locator):
            parts.append(f"{locator}={clean_spaces(str(tpl.get(locator).value))}")
    kind = "sfn" if normalise_template_name(str(tpl.name)).startswith("sfn") else "harv"
    authors, year = short_citation_parts(tpl)
    page = next((clean_spaces(tpl.get(k).value.strip_code()) for k in ("p", "pp", "page", "pages", "loc", "at")
                 if tpl.has(k)), None)
    quote = next((clean_spaces(tpl.get(k).value.strip_code()) for k in ("ps", "quote") if tpl.has(k)), None)
    if quote:
        quote = quote.lstrip(":").strip().strip('"“”').strip() or None
    return RefMarker(key=f"{kind}:" + "|".join(parts), kind=kind, wikitext=str(tpl), authors=authors, year=year,
                     page=page, quote=quote)


UNPARSED_REF = re.compile(r"<ref(?P<attrs>(?:\s[^<>]*?)?)(?:/>|>(?P<content>.*?)</ref\s*>)", re.IGNORECASE | re.DOTALL)
NAME_ATTR = re.compile(r"""name\s*=\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'/>]+))""", re.IGNORECASE)


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
            key = name or "anon:" + hashlib.sha1(content.strip().encode("utf-8")).hexdigest()[:12]
            record = first_record(mwparserfromhell.parse(content)) if with_records else None
            marker = RefMarker(key=key, kind="ref", name=name, wikitext=m.group(),
                               title=record.title if record else None, record=record)
        found.append((m.span(), marker))
    return found
