"""Loads the data files of graph/data/ once: template meanings, headings, mappings, vocabulary."""

from __future__ import annotations

import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from graph.data.cache import cached_json
from graph.data.regex_cache import data_regex, regex

DATA_DIR = Path(__file__).parent
SPACES = regex(r"\s+")


@cache
def load(name: str) -> Any:
    """A YAML file of graph/data/ (``name`` without extension, may contain a sub-folder), kept as JSON in the
    cache: reading the JSON takes a tenth of parsing the YAML, and a run whose data is cached never imports
    PyYAML (25 ms of a one-article run's start)."""
    path = DATA_DIR / f"{name}.yaml"
    return cached_json(f"data-{name.replace('/', '-')}", [path], [], lambda: to_json(read_yaml(path)),
                       object_hook=from_json)


def read_yaml(path: Path) -> Any:
    import yaml

    # libyaml's safe loader reads our data files to the same values, 7x faster than the pure-Python one;
    # PyYAML without libyaml falls back to the pure-Python loader
    with open(path, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


# What YAML reads and JSON cannot say (a mapping with number keys, a date), written as a tagged object
_ITEMS, _DATE = "\0items", "\0date"


def to_json(value: Any) -> Any:
    """A YAML value as JSON that ``from_json`` reads back to the same value."""
    if isinstance(value, dict):
        if all(isinstance(k, str) for k in value):
            return {k: to_json(v) for k, v in value.items()}
        return {_ITEMS: [[to_json(k), to_json(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return {_DATE: value.isoformat()}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a data file holds a {type(value).__name__}, which the cache cannot keep: {value!r}")


def from_json(obj: dict) -> Any:
    if _ITEMS in obj:
        return {_hashable(k): v for k, v in obj[_ITEMS]}
    if _DATE in obj:
        return datetime.date.fromisoformat(obj[_DATE])
    return obj


def _hashable(key: Any) -> Any:
    return tuple(key) if isinstance(key, list) else key


@lru_cache(maxsize=65536)  # asked of every template of every page, most names many times
def normalise_template_name(name: str) -> str:
    """``Infobox_Military  Conflict`` → ``infobox military conflict`` (how MediaWiki compares names)."""
    name = name.replace("_", " ").strip()
    if ":" in name:  # {{Template:Flag}} and {{模板:Flag}} are the same template
        prefix, rest = name.split(":", 1)
        if prefix.strip().lower() in {"template", "模板", "t"}:
            name = rest
    return SPACES.sub(" ", name).strip().lower()


@cache
def mappings() -> tuple[dict, ...]:
    files = sorted(p for p in (DATA_DIR / "mappings").iterdir() if p.name.endswith(".yaml"))  # glob compiles a pattern
    return tuple(load(f"mappings/{p.stem}") for p in files)


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
    if data_regex(t["lang_prefixed_pattern"]).match(norm):
        return "lang_prefixed"
    if any(data_regex(s["pattern"]).match(norm) for s in t["interlanguage"] if "pattern" in s):
        return "interlanguage"
    if data_regex(t["country_code_pattern"]).match(name.strip()):
        return "country_code"
    return None


def vocabulary_iri(scheme: str, key: str) -> str | None:
    v = load("vocabulary")
    entry = v[scheme].get(key)
    return v["prefix"] + entry["iri"] if entry else None


def vocabulary_labels(scheme: str, key: str) -> list[tuple[str, str]]:
    entry = load("vocabulary")[scheme].get(key) or {}
    return [(entry[lang], lang) for lang in ("en", "zh-Hans", "zh-Hant") if lang in entry]
