"""Resolve Wikipedia flag templates (``{{flag|…}}``, ``{{flagicon|…}}``, ``{{ISR}}``, flag images) to states.

Modern countries come from pycountry (ISO 3166-1 codes and names, plus its zh_CN / zh_TW
gettext catalogues) so that we do not maintain a hand list of ~250 countries.  Two small
CSV files patch what ISO does not give us:

* ``data/country_titles.csv`` – where the ISO name is not the Wikipedia article title
  ("Russian Federation" → "Russia", "俄罗斯联邦" → "俄罗斯") plus extra aliases that flag
  templates accept (IOC codes such as ``GER``, common names such as "Burma").
* ``data/historical_states.csv`` – states and entities outside ISO 3166-1 (Soviet Union,
  Armenian SSR, Republic of Artsakh, Nazi Germany, England, Kosovo …), with an optional
  ``variants`` column mapping a modern key + template variant (``DEU:1935``) to the row.
"""

from __future__ import annotations

import csv
import gettext
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from graph.data.cache import cached_json, installed
from graph.data.regex_cache import regex
from graph.data.vocab import DATA_DIR
from graph.wikitext.text import to_traditional

__all__ = ["State", "state_for_code_template", "state_for_flag", "state_for_flag_image"]


@dataclass(frozen=True)
class State:
    """A state a flag template names, with its Wikipedia titles and multilingual labels."""

    key: str  # ISO alpha-3 ("ARM") or the historical table's key ("SUHH")
    en_title: str  # English Wikipedia title
    zh_title: str | None  # Chinese Wikipedia title, simplified ("亚美尼亚")
    labels: tuple[tuple[str, str], ...]  # ((text, lang), …) with lang in "en", "zh-Hans", "zh-Hant"
    historical: bool = False


# --------------------------------------------------------------------------- normalisation

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u02bc\u00b4`"), "'")
_SPACES = regex(r"\s+")


def _norm(text: str) -> str:
    """Key for case-, accent-, underscore- and dash-insensitive name matching.

    Wiki editors write "Cote d'Ivoire", "Côte d’Ivoire" and "Côte_d'Ivoire" for the same
    template argument, so all of those have to meet in one key.
    """
    text = unicodedata.normalize("NFKC", text).replace("_", " ").translate(_DASHES).translate(_QUOTES)
    decomposed = unicodedata.normalize("NFKD", text)
    # Dropping combining marks folds Latin accents; CJK characters have none, so they survive.
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    text = unicodedata.normalize("NFC", text)
    return _SPACES.sub(" ", text).strip().casefold()


_CODE = regex(r"[A-Z]{2,8}")


def _is_code(text: str) -> bool:
    # Codes are matched only in upper case: lower-case "can", "per", "no" are ordinary words
    # far more often than they are Canada, Peru or Norway.
    return bool(_CODE.fullmatch(text))


# --------------------------------------------------------------------------- data loading

def _read_csv(name: str) -> list[dict[str, str]]:
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(text.splitlines())]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _translator(domain: str, lang: str) -> gettext.NullTranslations:
    import pycountry

    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[lang])
    except OSError:  # a pycountry build without that catalogue: fall back to no translation
        return gettext.NullTranslations()


def _translate(tr: gettext.NullTranslations, msgid: str) -> str | None:
    out = tr.gettext(msgid)
    return out if out and out != msgid else None  # gettext echoes the msgid when untranslated


def _to_hant(text: str | None) -> str | None:
    """Traditional characters of a simplified label, to fill zh-Hant when the data gives none (the converter the
    rest of the build uses: built once per process)."""
    return to_traditional(text) if text else None


@dataclass
class _Index:
    """The table of states, looked up by code, by name and by variant, with the names of conflicts."""

    states: dict[str, State] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)  # exact upper-case code -> key
    names: dict[str, str] = field(default_factory=dict)  # _norm(name) -> key
    variants: dict[tuple[str, str], str] = field(default_factory=dict)  # (key, _norm(variant)) -> key
    conflicts: list[str] = field(default_factory=list)  # curated aliases that lost to another state
    regional: dict[str, str] = field(default_factory=dict)  # zh_regional_names: kept with the table it comes from

    def add_code(self, code: str, key: str, *, curated: bool) -> None:
        have = self.codes.setdefault(code, key)
        if have != key and curated:
            self.conflicts.append(f"code {code!r}: {have} vs {key}")

    def add_name(self, name: str | None, key: str, *, curated: bool) -> None:
        if not name:
            return
        if _is_code(name):
            self.add_code(name, key, curated=curated)
            return
        norm = _norm(name)
        if not norm:
            return
        have = self.names.setdefault(norm, key)
        if have != key and curated:
            self.conflicts.append(f"name {name!r}: {have} vs {key}")


def _labels(en: str, hans: str | None, hant: str | None) -> tuple[tuple[str, str], ...]:
    out = [(en, "en")]
    if hans:
        out.append((hans, "zh-Hans"))
    if hant:
        out.append((hant, "zh-Hant"))
    return tuple(out)


@lru_cache(maxsize=1)
def _index() -> _Index:
    """The table of states, built once and kept in the cache folder (graph.data.cache): building it reads every
    country of pycountry and its translations, about 70 ms of a one-article run."""
    inputs = [DATA_DIR / "country_titles.csv", DATA_DIR / "historical_states.csv", Path(__file__)]
    return _index_from_json(cached_json("flags", inputs, [installed("pycountry"), installed("opencc")],
                                        lambda: _index_to_json(_build_index())))


def _index_to_json(idx: _Index) -> dict:
    return {"states": [[s.key, s.en_title, s.zh_title, s.labels, s.historical] for s in idx.states.values()],
            "codes": idx.codes, "names": idx.names, "variants": [[*k, v] for k, v in idx.variants.items()],
            "conflicts": idx.conflicts, "regional": _regional_names(idx.states.values())}


def _index_from_json(data: dict) -> _Index:
    states = {key: State(key, en, zh, tuple(tuple(label) for label in labels), historical)
              for key, en, zh, labels, historical in data["states"]}
    return _Index(states, data["codes"], data["names"], {(k, v): key for k, v, key in data["variants"]},
                  data["conflicts"], data["regional"])


def _build_index() -> _Index:
    import pycountry

    idx = _Index()
    zh_cn = _translator("iso3166-1", "zh_CN")
    zh_tw = _translator("iso3166-1", "zh_TW")
    zh3_cn = _translator("iso3166-3", "zh_CN")
    overrides = {row["alpha3"]: row for row in _read_csv("country_titles.csv")}
    historical = _read_csv("historical_states.csv")

    # Names are added in tiers, most trusted first, and the first claim wins: ISO codes,
    # then curated titles/aliases from the CSVs, then pycountry's (often long official)
    # names, then Chinese forms.  That way "Congo" can never be stolen by a later alias.
    later: list[tuple[Iterable[str | None], str]] = []

    for country in pycountry.countries:
        key = country.alpha_3
        row = overrides.get(key, {})
        common = getattr(country, "common_name", None)
        official = getattr(country, "official_name", None)
        en = row.get("en_title") or common or country.name
        # Translate ``name``: it is the msgid the catalogues actually cover (common_name
        # entries are sparse and sometimes wrong, e.g. Bolivia → 波利维亚).
        hans_tr = _translate(zh_cn, country.name)
        hant_tr = _translate(zh_tw, country.name)
        hans = row.get("zh_hans") or hans_tr
        hant = row.get("zh_hant") or hant_tr or _to_hant(hans)
        idx.states[key] = State(key, en, hans, _labels(en, hans, hant))
        idx.add_code(key, key, curated=True)
        idx.add_code(country.alpha_2, key, curated=True)
        for name in [en, *_split(row.get("aliases", ""))]:
            idx.add_name(name, key, curated=True)
        later.append(([country.name, common, official], key))
        later.append(([hans, hant, hans_tr, hant_tr, _to_hant(hans)], key))

    for row in historical:
        key = row["key"]
        en = row["en_title"]
        hans = row.get("zh_hans") or None
        hant = row.get("zh_hant") or _to_hant(hans)
        idx.states[key] = State(key, en, hans, _labels(en, hans, hant), historical=bool(row.get("end_year")))
        idx.add_name(key, key, curated=True)
        for name in [en, *_split(row.get("aliases", ""))]:
            idx.add_name(name, key, curated=True)
        # A key that is an ISO 3166-3 code (SUHH) brings pycountry's alpha-3 and names along.
        iso3 = pycountry.historic_countries.get(alpha_4=key) if len(key) == 4 else None
        if iso3 is not None:
            idx.add_code(iso3.alpha_3, key, curated=False)
            later.append(([iso3.name, _translate(zh3_cn, iso3.name)], key))
        later.append(([hans, hant], key))
        for spec in _split(row.get("variants", "")):
            base, _, variant = spec.partition(":")
            idx.variants[(base.strip(), _norm(variant))] = key

    for names, key in later:
        for name in names:
            idx.add_name(name, key, curated=False)
    return idx


# --------------------------------------------------------------------------- public API


def state_for_flag(name_or_code: str, variant: str | None = None) -> State | None:
    """The state a ``{{flag|name_or_code|variant}}``-family template names, or None.

    Upper-case codes (ISO alpha-2/alpha-3, IOC codes, historical keys) match exactly;
    names match case-, accent- and underscore-insensitively.  A variant ("1935", "empire")
    only changes the answer when the historical table maps it to another state; plain
    flag-design years such as ``{{flag|Russia|1991}}`` keep the modern state.
    """
    if not isinstance(name_or_code, str):
        return None
    text = name_or_code.strip()
    if not text:
        return None
    idx = _index()
    key = idx.codes.get(text) if _is_code(text) else None
    if key is None:
        key = idx.names.get(_norm(text))
    if key is None:
        return None
    if isinstance(variant, str) and variant.strip():
        key = idx.variants.get((key, _norm(variant)), key)
    return idx.states[key]


_FILE_PREFIX = regex(r"^\s*(?:file|image|文件|檔案|图像|圖像)\s*:\s*", re.IGNORECASE)
_EXTENSION = regex(r"\.(?:svg|png|gif|jpe?g|webp|tiff?)\s*$", re.IGNORECASE)
_FLAG_OF = regex(r"^flag of\s+", re.IGNORECASE)
_PAREN = regex(r"\s*\(([^()]*)\)\s*$")
_YEAR = regex(r"\d{3,4}")


def state_for_flag_image(filename: str) -> State | None:
    """The state a flag file shows ("Flag of Armenian SSR.svg", "Flag_of_the_United_States.svg").

    Commons names national flags "Flag of <name>[ (<years or note>)].<ext>", so the name is
    what remains after stripping that frame; a leading year in the parentheses is passed on
    as the variant ("Flag of Germany (1935–1945).svg" → Nazi Germany).
    """
    if not isinstance(filename, str):
        return None
    text = _FILE_PREFIX.sub("", filename.replace("_", " "))
    text = _EXTENSION.sub("", text).strip()
    text = _FLAG_OF.sub("", text)
    variant = None
    paren = _PAREN.search(text)
    if paren:
        year = _YEAR.match(paren.group(1).strip())
        variant = year.group(0) if year else None
        text = text[: paren.start()]
    candidates = [text]
    if text.lower().startswith("the "):
        # "the" is part of some titles (The Gambia) but usually just English grammar.
        candidates.append(text[4:])
    for candidate in candidates:
        state = state_for_flag(candidate, variant)
        if state is not None:
            return state
    return None


_CODE_TEMPLATE = regex(r"[A-Z]{3}")


def state_for_code_template(name: str) -> State | None:
    """The state a bare country-code template (``{{ISR}}``, ``{{GBR}}``, ``{{URS}}``) names.

    Only exact three-letter upper-case codes qualify: other short templates ({{PD}}, {{Nbsp}},
    {{IPA}}…) share the namespace, so anything looser would misfire.
    """
    if not isinstance(name, str):
        return None
    text = name.strip()
    if not _CODE_TEMPLATE.fullmatch(text):
        return None
    key = _index().codes.get(text)
    return _index().states[key] if key is not None else None


def zh_regional_names() -> dict[str, str]:
    """Simplified form of a state's Taiwan/Hong Kong name → its zh Wikipedia title.

    What the Chinese Wikipedia's "Country" conversion group does: 亞塞拜然 (zh-tw) and 阿塞拜疆
    (zh-cn) are one article. Script conversion alone cannot see it (亞塞拜然 → 亚塞拜然). Made with the table of
    states and kept with it in the cache (its key holds OpenCC's version, whose tables convert the names).
    """
    return _index().regional


def _regional_names(states: Iterable[State]) -> dict[str, str]:
    from graph.wikitext.text import to_simplified

    table = {}
    for state in states:
        if not state.zh_title:
            continue
        for text, lang in state.labels:
            if lang == "zh-Hant":
                simplified = to_simplified(text)
                if simplified != state.zh_title:
                    table.setdefault(simplified, state.zh_title)
    return table
