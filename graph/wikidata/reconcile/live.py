"""Live Wikidata, the MediaWiki API part: which item has a given Wikipedia article (``wbgetentities``).

The API answers a batch of titles with the entities it found, keyed by QID, not by the titles we asked; this
module maps each entity back to the title as we gave it: through the ``normalized`` entries of the answer, the
entity's sitelink title, and, for a title that was a redirect (its entity carries the target's title), a second
request for that title alone, whose one entity can only be its answer.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any

from graph.wikidata.index import fold_title
from graph.wikidata.reconcile.backend import batches
from graph.wikidata.reconcile.http import HttpClient

WDQS_URL = "https://query.wikidata.org/sparql"
API_URL = "https://www.wikidata.org/w/api.php"
TITLES_PER_REQUEST = 50   # wbgetentities' limit for clients without the apihighlimits right
MAXLAG = "5"              # seconds; Wikimedia's recommended value for non-interactive clients
LONGEST_GET = 2000        # characters of query string; beyond, POST (fifty Chinese titles, percent-encoded, are more)


def normalized_pairs(answer: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(from, to) title pairs; the API gives them as an object keyed "n" or as a list, depending on version."""
    raw = answer.get("normalized") or []
    entries = raw.values() if isinstance(raw, dict) else raw
    return [(e["from"], e["to"]) for e in entries if isinstance(e, dict) and "from" in e and "to" in e]


class WikidataApi:
    """The MediaWiki API of Wikidata, through a polite HttpClient."""

    def __init__(self, client: HttpClient, api_url: str = API_URL):
        self.client = client
        self.api_url = api_url
        self.name = f"Wikidata API {api_url}"

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        """Title (as given) → QID of the item with that sitelink on ``site``; titles without an item are left out."""
        wanted = list(dict.fromkeys(t for t in titles if t and t.strip()))
        found: dict[str, str] = {}
        for batch in batches(wanted, TITLES_PER_REQUEST):
            mapped, missing = self._ask(site, batch)
            found.update(mapped)
            for title in batch:
                if title not in mapped and title not in missing:
                    # Most likely a redirect: its entity came back under the target's title. Alone in a
                    # request, whatever entity comes back is unambiguously its own.
                    found.update(self._ask(site, [title])[0])
        return found

    def _ask(self, site: str, titles: Sequence[str]) -> tuple[dict[str, str], set[str]]:
        """One wbgetentities request: (title → QID for the titles recognised, titles reported missing)."""
        params = {
            "action": "wbgetentities", "sites": site, "titles": "|".join(titles), "redirects": "yes",
            "props": "sitelinks", "sitefilter": site, "format": "json", "maxlag": MAXLAG,
        }
        # GET keeps reads cacheable; POST only when the URL would grow longer than servers and proxies accept.
        fits_in_url = len(urllib.parse.urlencode(params)) <= LONGEST_GET
        answer = (self.client.get_json if fits_in_url else self.client.post_json)(self.api_url, params)
        return map_entities(site, titles, answer)


def map_entities(site: str, titles: Sequence[str], answer: Mapping[str, Any]) -> tuple[dict[str, str], set[str]]:
    """Map the entities of a wbgetentities answer back to the titles asked (see the module's docstring)."""
    asked_as = asked_by_answer_title(titles, answer)
    mapped: dict[str, str] = {}
    missing: set[str] = set()
    entities = answer.get("entities") or {}
    for key, entity in entities.items():
        if not isinstance(entity, dict):
            continue
        if "missing" in entity:
            missing.update(asked_as.get(fold_title(str(entity.get("title", ""))), []))
            continue
        qid = str(entity.get("id") or key)
        title = ((entity.get("sitelinks") or {}).get(site) or {}).get("title")
        for asked in asked_as.get(fold_title(title), []) if title is not None else []:
            mapped[asked] = qid
    if len(titles) == 1 and not mapped and not missing:
        # A redirect asked alone: the entity carries the target's title (or none), and can only be the answer.
        qids = [str(e.get("id") or k) for k, e in entities.items() if isinstance(e, dict) and "missing" not in e]
        if len(qids) == 1:
            mapped[titles[0]] = qids[0]
    return mapped, missing


def asked_by_answer_title(titles: Sequence[str], answer: Mapping[str, Any]) -> dict[str, list[str]]:
    """Compared title (as the answer spells it) → the titles as we asked them."""
    renamed = {fold_title(source): target for source, target in normalized_pairs(answer)}
    asked_as: dict[str, list[str]] = {}
    for title in titles:
        spelled = renamed.get(fold_title(title), title)
        asked_as.setdefault(fold_title(spelled), []).append(title)
    return asked_as
