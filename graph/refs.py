"""Citation markers: ``<ref>`` tags and short-citation templates → RefMarker (raw keys)."""

from __future__ import annotations

import hashlib

from mwparserfromhell.nodes import Tag, Template
from mwparserfromhell.wikicode import Wikicode

from .model import RefMarker
from .text import clean_spaces
from .vocab import normalise_template_name

CITATION_TEMPLATE_PREFIXES = ("cite", "citation", "引用", "cite_")


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
    return RefMarker(key=key, kind="ref", name=name, wikitext=str(tag), title=citation_title(tag.contents))


def citation_title(content: Wikicode) -> str | None:
    """The title of the first citation template in a ref's content (already parsed), if any."""
    for tpl in content.filter_templates(recursive=True):
        name = normalise_template_name(str(tpl.name))
        if name.startswith(CITATION_TEMPLATE_PREFIXES) and tpl.has("title"):
            title = clean_spaces(tpl.get("title").value.strip_code())
            if title:
                return title
    return None


def marker_from_short_citation(tpl: Template) -> RefMarker:
    """``{{sfn|de Waal|2003|p=285}}`` → key ``sfn:de Waal|2003|p=285``."""
    parts = [clean_spaces(str(p.value)) for p in tpl.params if not p.showkey]
    for locator in ("p", "pp", "page", "pages", "loc", "at"):
        if tpl.has(locator):
            parts.append(f"{locator}={clean_spaces(str(tpl.get(locator).value))}")
    kind = "sfn" if normalise_template_name(str(tpl.name)).startswith("sfn") else "harv"
    return RefMarker(key=f"{kind}:" + "|".join(parts), kind=kind, wikitext=str(tpl))
