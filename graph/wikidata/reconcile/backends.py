"""Choosing a backend: the offline index, any Wikidata-shaped SPARQL endpoint, a W3C reconciliation service
that reconciles to Wikidata, or live Wikidata — the remote ones behind the SQLite cache, so a second run asks
nothing and links the same way."""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from pathlib import Path

from graph.wikidata.reconcile.backend import Backend
from graph.wikidata.reconcile.cache import CachedBackend, default_cache_path
from graph.wikidata.reconcile.model import ItemFacts, LabelHit


class LiveWikidata:
    """Wikidata itself: sitelinks through the MediaWiki API (which resolves redirects), the rest through
    the Wikidata Query Service. One polite client (User-Agent, retries, one request at a time) for both."""

    def __init__(self, client, sparql_url: str | None = None, api_url: str | None = None) -> None:
        from graph.wikidata.reconcile.live import API_URL, WDQS_URL, WikidataApi
        from graph.wikidata.reconcile.sparql import SparqlBackend

        self.sparql_url = sparql_url or WDQS_URL
        self.api_url = api_url or API_URL
        self.api = WikidataApi(client, self.api_url)
        self.query = SparqlBackend(self.sparql_url, transport=client.sparql, name=f"SPARQL {self.sparql_url}")
        self.name = f"Wikidata ({self.sparql_url})"

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        return self.api.sitelinks(site, titles)

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        return self.query.identifiers(prop, values)

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        return self.query.labels(texts, languages)

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        return self.query.describe(qids, classes, sites)


def open_backend(offline: str | None = None, endpoint: str | None = None, contact: str | None = None,
                 cache: str | None = None, use_cache: bool = True, refresh: bool = False,
                 timeout: float | None = None, api_url: str | None = None, retries: int | None = None,
                 service: str | None = None) -> Backend:
    """``offline`` (an index file) wins; else ``endpoint`` (any SPARQL endpoint); else ``service`` (a W3C
    reconciliation service); else live Wikidata."""
    if offline:
        from graph.wikidata.reconcile.offline import IndexBackend

        return IndexBackend(offline)
    from graph.wikidata.reconcile.http import HttpClient, RetryPolicy, user_agent

    policy = RetryPolicy(**{k: v for k, v in (("timeout", timeout), ("max_attempts", retries)) if v is not None})
    client = HttpClient(user_agent(contact), policy)
    if endpoint:
        from graph.wikidata.reconcile.sparql import SparqlBackend

        backend: Backend = SparqlBackend(endpoint, transport=client.sparql, name=f"SPARQL {endpoint}")
    elif service:
        from graph.wikidata.reconcile.w3c import ReconciliationServiceBackend

        backend = ReconciliationServiceBackend(service, client)
    else:
        backend = LiveWikidata(client, api_url=api_url)
    if not use_cache:
        return backend
    return CachedBackend(backend, Path(cache) if cache else default_cache_path(), refresh=refresh)


def has_contact(contact: str | None) -> bool:
    return bool(contact or os.environ.get("WIKIKG_CONTACT"))
