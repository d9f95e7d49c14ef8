"""The one interface every source of Wikidata answers speaks: the offline index, any SPARQL endpoint
holding Wikidata-shaped RDF, live Wikidata, and the cache in front of them.

All methods take batches, so a remote backend can answer many entities in one request. A backend that
cannot answer raises BackendError; the reconciler then reports the affected entities as unmatched,
with the reason, and goes on.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import Protocol, TypeVar

from graph.errors import WikikgError
from graph.wikidata.reconcile.model import ItemFacts, LabelHit


class BackendError(WikikgError):
    """A backend could not answer (network, HTTP error after retries, a body that is not JSON)."""

    exit_status = 1


class Backend(Protocol):
    name: str  # how reports and provenance name it: "offline index wd.db", "SPARQL http://…"

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        """Title (as given) → QID of the item with that sitelink on ``site`` (zhwiki, enwiki)."""
        ...

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        """Value (as given, already normalised: ISBN digits, DOI uppercase) → QIDs carrying it under ``prop``."""
        ...

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        """Items whose label or alias in one of ``languages`` is exactly one of ``texts``."""
        ...

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        """Facts about each item; ``ItemFacts.classes`` = the members of ``classes`` it is an instance of;
        ``ItemFacts.sitelinks`` = its titles on ``sites`` (a backend that cannot tell leaves it empty)."""
        ...


T = TypeVar("T")


def batches(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """Consecutive slices of at most ``size``: one request each."""
    for start in range(0, len(items), size):
        yield items[start:start + size]
