"""A Backend on a W3C Reconciliation Service API (v0.2) endpoint that reconciles to Wikidata: the protocol
OpenRefine speaks, served for Wikidata by e.g. https://wikidata.reconci.link/en/api.

The protocol offers two things we use: reconciliation queries (a name → scored candidates with their types)
and data extension (items × properties → values). It has no look-up by sitelink or by identifier value, so
those two methods answer nothing; a run on this backend links by names and types only.

Every request goes through the polite, retrying HttpClient (graph/reconcile/http.py). Property IDs come from
graph/data/wikidata_properties.yaml, never from here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from graph.errors import UsageError
from graph.wikidata.index import fold_label, properties
from graph.wikidata.reconcile.backend import BackendError, batches
from graph.wikidata.reconcile.http import HttpClient
from graph.wikidata.reconcile.model import WIKIDATA_ENTITY, ItemFacts, LabelHit

ITEM_ID = re.compile(r"^Q[1-9][0-9]*$")
# A service date (ISO, "1991-09-21T00:00:00+00:00", "-0031-01-01…") or a bare year string ("1991").
_YEAR = re.compile(r"^\s*([+-]?)(\d+)(?:$|[-T\s])")
_LAT_LON = re.compile(r"^\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*,\s*(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)\s*$")

CANDIDATES_PER_QUERY = 10   # the service ranks fuzzy matches too; exact names of real homonyms fit in ten
MAX_CLASS_DEPTH = 6         # P279 steps climbed above an item's P31 values, as the offline index does


class ReconciliationServiceBackend:
    """The Backend protocol (graph/reconcile/backend.py) answered by a W3C reconciliation service.

    ``languages``: the label languages the service's names are in (``("en",)`` for ``…/en/api``); when given,
    ``labels`` is not asked for texts in other languages, since the service could not name them. None: ask
    whatever is asked.
    """

    def __init__(self, service_url: str, client: HttpClient, batch_size: int = 10,
                 languages: Sequence[str] | None = None) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.service_url = service_url
        self.client = client
        self.batch_size = batch_size
        self.languages = tuple(languages) if languages else None
        self.name = f"reconciliation service {service_url}"
        self.config = properties()
        self._manifest: dict[str, Any] | None = None   # fetched on first use: a fully cached run asks nothing
        # The service names candidates only in reconciliation answers; describe() reuses what labels() saw.
        self._names: dict[str, dict[str, str]] = {}

    # ------------------------------------------------------------ Backend

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        """Always empty: the reconciliation protocol has no look-up by sitelink (use live Wikidata or a
        SPARQL endpoint for that evidence)."""
        return {}

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        """Always empty: the reconciliation protocol has no look-up by identifier value (ISBN, DOI)."""
        return {}

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        """Items the service names exactly as one of ``texts`` (compared after ``fold_label``: case, width,
        Chinese script), as label hits in the first of ``languages``.

        Dropped on purpose: fuzzy candidates (another name, whatever the service's score) and candidates
        found through an alias (the service then names them by their label, which differs from the text).
        The service's score is its own; the reconciler scores exact names itself (graph/reconcile/score.py),
        so only the exactness of a name is taken from here."""
        if not texts or not languages or not self._speaks_any(languages):
            return []
        self._check_manifest()
        lang = languages[0]
        hits: dict[tuple[str, str], LabelHit] = {}
        for batch in batches(list(dict.fromkeys(texts)), self.batch_size):
            answer = self._post("queries", reconciliation_queries(batch))
            for text, results in zip(batch, query_results(answer, len(batch)), strict=True):
                for qid, name in exact_names(text, results):
                    hits.setdefault((qid, text), LabelHit(qid, text, lang, alias=False))
                    self._names.setdefault(qid, {}).setdefault(lang, name)
        return sorted(hits.values(), key=lambda h: (h.text, _qid_number(h.qid)))

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        """Direct P31, years and coordinates by data extension; ``classes`` membership by climbing P279 from
        the P31 values, one extension request per level (batched), at most MAX_CLASS_DEPTH levels. Labels are
        those the service gave in ``labels`` answers (the protocol names items only there). Items the
        service returns no row for are left out. ``sites``: the protocol has no sitelinks; none are given."""
        wanted = [qid for qid in dict.fromkeys(qids) if ITEM_ID.match(qid)]
        if not wanted:
            return {}
        self._check_manifest()
        facts: dict[str, ItemFacts] = {}
        for qid, row in self._extend(wanted, self._fact_properties()).items():
            facts[qid] = self._facts_from_row(qid, row)
        class_ids = {c for c in classes if ITEM_ID.match(c)}
        if class_ids and facts:
            self._add_classes(facts, class_ids)
        return facts

    # ------------------------------------------------------------ the manifest

    def _check_manifest(self) -> None:
        """Refuse a service that reconciles to anything but Wikidata: its IDs would not be QIDs."""
        if self._manifest is not None:
            return
        manifest = self.client.get_json(self.service_url, {})
        space = manifest.get("identifierSpace")
        if space != WIKIDATA_ENTITY:
            raise UsageError(f"{self.service_url}: this reconciliation service does not reconcile to Wikidata "
                             f"(its identifierSpace is {space!r}, not {WIKIDATA_ENTITY!r})")
        self._manifest = manifest

    def _speaks_any(self, languages: Sequence[str]) -> bool:
        return self.languages is None or any(_family(lang) in map(_family, self.languages) for lang in languages)

    # ------------------------------------------------------------ data extension

    def _fact_properties(self) -> list[str]:
        return [self.config.instance_of, *self.config.date_props.values(), self.config.coord_props[0]]

    def _facts_from_row(self, qid: str, row: dict[str, Any]) -> ItemFacts:
        item = ItemFacts(qid=qid, labels=dict(self._names.get(qid, {})))
        item.types = list(dict.fromkeys(item_values(row.get(self.config.instance_of))))
        for name, pid in self.config.date_props.items():
            for year in year_values(row.get(pid)):
                item.widen_year(name, year)
        item.coordinates = next(iter(point_values(row.get(self.config.coord_props[0]))), None)
        return item

    def _add_classes(self, facts: dict[str, ItemFacts], wanted: set[str]) -> None:
        parents = self._climb({t for item in facts.values() for t in item.types})
        for item in facts.values():
            item.classes = ancestors(item.types, parents, MAX_CLASS_DEPTH) & wanted

    def _climb(self, start: set[str]) -> dict[str, list[str]]:
        """class → its P279 values, for every class within MAX_CLASS_DEPTH steps of ``start``. Breadth-first,
        and each class is asked once: P279 has cycles, and many items share their upper classes."""
        parents: dict[str, list[str]] = {}
        frontier, seen = set(start), set(start)
        for _ in range(MAX_CLASS_DEPTH):
            if not frontier:
                break
            rows = self._extend(sorted(frontier, key=_qid_number), [self.config.subclass_of])
            for cls in frontier:
                parents[cls] = list(dict.fromkeys(item_values((rows.get(cls) or {}).get(self.config.subclass_of))))
            frontier = {p for cls in frontier for p in parents[cls]} - seen
            seen |= frontier
        return parents

    def _extend(self, qids: list[str], props: list[str]) -> dict[str, dict[str, Any]]:
        """Rows of a data extension request, batched; only rows of the items asked are kept."""
        rows: dict[str, dict[str, Any]] = {}
        for batch in batches(qids, self.batch_size):
            answer = self._post("extend", {"ids": batch, "properties": [{"id": p} for p in props]})
            found = answer.get("rows")
            if not isinstance(found, dict):
                raise BackendError(f"{self.service_url}: the data extension answer has no rows "
                                   "(does the service offer data extension?)")
            rows.update((qid, row) for qid, row in found.items() if qid in batch and isinstance(row, dict))
        return rows

    def _post(self, field: str, payload: dict[str, Any]) -> dict[str, Any]:
        return self.client.post_json(self.service_url, {field: json.dumps(payload, ensure_ascii=False)})


# ---------------------------------------------------------------- reading the protocol

def reconciliation_queries(texts: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The ``queries`` batch: q0, q1… in the order of ``texts``."""
    return {f"q{i}": {"query": text, "limit": CANDIDATES_PER_QUERY} for i, text in enumerate(texts)}


def query_results(answer: dict[str, Any], count: int) -> list[list[dict[str, Any]]]:
    """The candidate lists of q0…q{count-1}; a query the service left out has none."""
    out = []
    for i in range(count):
        entry = answer.get(f"q{i}")
        results = entry.get("result") if isinstance(entry, dict) else None
        out.append([r for r in results if isinstance(r, dict)] if isinstance(results, list) else [])
    return out


def exact_names(text: str, results: Iterable[dict[str, Any]]) -> Iterable[tuple[str, str]]:
    """(qid, name) of the candidates named exactly ``text`` after folding, with a valid item ID."""
    folded = fold_label(text)
    for result in results:
        qid, name = result.get("id"), result.get("name")
        if isinstance(qid, str) and ITEM_ID.match(qid) and isinstance(name, str) and fold_label(name) == folded:
            yield qid, name


def item_values(values: Any) -> list[str]:
    """The item IDs among a property's extension values (``[{"id": "Q…", "name": …}]``)."""
    return [v["id"] for v in _as_list(values) if isinstance(v.get("id"), str) and ITEM_ID.match(v["id"])]


def year_values(values: Any) -> list[int]:
    """Astronomical years of a date property's values, from ``date`` (ISO) or ``str``. The service writes
    years as Wikidata's JSON does (-0031 is 31 BCE), so a negative year gains one (31 BCE = -30)."""
    years = []
    for value in _as_list(values):
        text = value.get("date") if isinstance(value.get("date"), str) else value.get("str")
        m = _YEAR.match(text) if isinstance(text, str) else None
        if m:
            year = int(m.group(2))
            years.append(1 - year if m.group(1) == "-" else year)
    return years


def point_values(values: Any) -> list[tuple[float, float]]:
    """(latitude, longitude) of coordinate values given as ``{"str": "lat,lon"}``."""
    points = []
    for value in _as_list(values):
        m = _LAT_LON.match(value.get("str", "")) if isinstance(value.get("str"), str) else None
        if m:
            points.append((float(m.group(1)), float(m.group(2))))
    return points


def ancestors(types: Iterable[str], parents: dict[str, list[str]], depth: int) -> set[str]:
    """``types`` and their P279 ancestors within ``depth`` steps, through ``parents``."""
    reached = set(types)
    frontier = set(reached)
    for _ in range(depth):
        frontier = {p for cls in frontier for p in parents.get(cls, ())} - reached
        if not frontier:
            break
        reached |= frontier
    return reached


def _as_list(values: Any) -> list[dict[str, Any]]:
    return [v for v in values if isinstance(v, dict)] if isinstance(values, list) else []


def _family(lang: str) -> str:
    return lang.split("-")[0].lower()


def _qid_number(qid: str) -> int:
    return int(qid[1:]) if ITEM_ID.match(qid) else 0
