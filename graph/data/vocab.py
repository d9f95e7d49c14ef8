"""Loads the data files of graph/data/ once: template meanings, headings, mappings, vocabulary."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent
# libyaml's safe loader reads our data files to the same values, 7x faster than the pure-Python one (65 ms of a
# one-article run's start); PyYAML without libyaml falls back to the pure-Python loader
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load(name: str) -> Any:
    """A YAML file of graph/data/ (``name`` without extension, may contain a sub-folder)."""
    with open(DATA_DIR / f"{name}.yaml", encoding="utf-8") as fh:
        return yaml.load(fh, Loader=SAFE_LOADER)


@lru_cache(maxsize=65536)  # asked of every template of every page, most names many times
def normalise_template_name(name: str) -> str:
    """``Infobox_Military  Conflict`` → ``infobox military conflict`` (how MediaWiki compares names)."""
    name = name.replace("_", " ").strip()
    if ":" in name:  # {{Template:Flag}} and {{模板:Flag}} are the same template
        prefix, rest = name.split(":", 1)
        if prefix.strip().lower() in {"template", "模板", "t"}:
            name = rest
    return re.sub(r"\s+", " ", name).strip().lower()


@cache
def mappings() -> tuple[dict, ...]:
    return tuple(load(f"mappings/{p.stem}") for p in sorted((DATA_DIR / "mappings").glob("*.yaml")))


@cache
def template_meanings() -> dict[str, str]:
    """Normalised template name → meaning key (flag_named, flag_icon, notes, drop, ...)."""
    t = load("templates")
    meaning: dict[str, str] = {}
    for key in ("flag_named", "flag_icon", "flag_image", "list_wrappers"):
        for n in t[key]["names"]:
            meaning[normalise_template_name(n)] = key
    for key in ("text_wrappers", "lang_text", "notes", "short_citations", "dates", "old_style_dates", "drop", "coord",
                "convert"):
        for n in t[key]:
            meaning[normalise_template_name(str(n))] = key
    for n in t["symbols"]:
        meaning[normalise_template_name(str(n))] = "symbols"
    for n in t["fate"]:
        meaning[normalise_template_name(n)] = "fate"
    for spec in t["interlanguage"]:
        for n in spec.get("names", []):
            meaning[normalise_template_name(n)] = "interlanguage"
    return meaning


def meaning_of(name: str) -> str | None:
    norm = normalise_template_name(name)
    found = template_meanings().get(norm)
    if found:
        return found
    t = load("templates")
    if re.match(t["lang_prefixed_pattern"], norm):
        return "lang_prefixed"
    if any(re.match(s["pattern"], norm) for s in t["interlanguage"] if "pattern" in s):
        return "interlanguage"
    if re.match(t["country_code_pattern"], name.strip()):
        return "country_code"
    return None


def vocabulary_iri(scheme: str, key: str) -> str | None:
    v = load("vocabulary")
    entry = v[scheme].get(key)
    return v["prefix"] + entry["iri"] if entry else None


def vocabulary_labels(scheme: str, key: str) -> list[tuple[str, str]]:
    entry = load("vocabulary")[scheme].get(key) or {}
    return [(entry[lang], lang) for lang in ("en", "zh-Hans", "zh-Hant") if lang in entry]
