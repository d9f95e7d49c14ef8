"""A SQLite cache in front of a remote backend: every answer is kept, so a second run is offline and gives
the same links. ``refresh=True`` asks the backend again (and stores the new answers).

Absence is an answer too ("no item has this sitelink") and is cached; failures are not.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Callable, Collection, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from graph.errors import OutputError
from graph.rdf.serialize import make_folder
from graph.wikidata.reconcile.backend import Backend
from graph.wikidata.reconcile.model import ItemFacts, LabelHit

SCHEMA = """CREATE TABLE IF NOT EXISTS answers (
  backend TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, stored REAL NOT NULL,
  PRIMARY KEY (backend, kind, key)) WITHOUT ROWID"""


def default_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "wikikg" / "wikidata-cache.sqlite"


class CachedBackend:
    def __init__(self, inner: Backend, path: str | os.PathLike, refresh: bool = False) -> None:
        self.inner = inner
        self.name = inner.name
        self.refresh = refresh
        make_folder(Path(path).parent, output=path)
        try:
            self.conn = sqlite3.connect(str(path))
            self.conn.execute(SCHEMA)
        except sqlite3.Error as e:  # a folder in its place, not a database, read-only
            raise OutputError(f"{path}: cannot use as the cache: {e}") from None
        self.hits = 0
        self.misses = 0

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()
        close = getattr(self.inner, "close", None)
        if close:
            close()

    # -- the Backend interface: look up each key, ask the backend only for the missing ones

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        answers = self._cached("sitelinks", [f"{site}\t{t}" for t in titles],
                               lambda keys: self._ask_sitelinks(site, keys))
        return {key.split("\t", 1)[1]: qid for key, qid in answers.items() if qid}

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        answers = self._cached("identifiers", [f"{prop}\t{v}" for v in values],
                               lambda keys: self._ask_identifiers(prop, keys))
        return {key.split("\t", 1)[1]: qids for key, qids in answers.items() if qids}

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        langs = sorted(set(languages))
        answers = self._cached("labels", [f"{'|'.join(langs)}\t{t}" for t in texts],
                               lambda keys: self._ask_labels(langs, keys))
        return [LabelHit(**hit) for hits in answers.values() for hit in hits]

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        wanted, on = sorted(set(classes)), sorted(set(sites))
        # the answer depends on the classes and sites asked
        tag = hashlib.sha1((" ".join(wanted) + "|" + " ".join(on)).encode()).hexdigest()[:12]
        answers = self._cached("describe", [f"{tag}\t{q}" for q in qids],
                               lambda keys: self._ask_describe(wanted, on, keys))
        return {key.split("\t", 1)[1]: _facts(value) for key, value in answers.items() if value}

    # -- asking the backend

    def _ask_sitelinks(self, site: str, keys: list[str]) -> dict[str, Any]:
        found = self.inner.sitelinks(site, [k.split("\t", 1)[1] for k in keys])
        return {k: found.get(k.split("\t", 1)[1]) for k in keys}

    def _ask_identifiers(self, prop: str, keys: list[str]) -> dict[str, Any]:
        found = self.inner.identifiers(prop, [k.split("\t", 1)[1] for k in keys])
        return {k: found.get(k.split("\t", 1)[1], []) for k in keys}

    def _ask_labels(self, langs: list[str], keys: list[str]) -> dict[str, Any]:
        hits = self.inner.labels([k.split("\t", 1)[1] for k in keys], langs)
        prefix = "|".join(langs)
        by_key: dict[str, list[dict]] = {k: [] for k in keys}
        for hit in hits:
            by_key.setdefault(f"{prefix}\t{hit.text}", []).append(asdict(hit))
        return by_key

    def _ask_describe(self, classes: list[str], sites: list[str], keys: list[str]) -> dict[str, Any]:
        found = self.inner.describe([k.split("\t", 1)[1] for k in keys], classes, sites)
        out: dict[str, Any] = {}
        for k in keys:
            item = found.get(k.split("\t", 1)[1])
            out[k] = {**asdict(item), "classes": sorted(item.classes)} if item else None
        return out

    def _cached(self, kind: str, keys: list[str], ask: Callable[[list[str]], dict[str, Any]]) -> dict[str, Any]:
        keys = list(dict.fromkeys(keys))
        answers: dict[str, Any] = {} if self.refresh else self._read(kind, keys)
        missing = [k for k in keys if k not in answers]
        self.hits += len(keys) - len(missing)
        self.misses += len(missing)
        if missing:
            fresh = ask(missing)  # a BackendError propagates: failures are not cached
            self._write(kind, fresh)
            answers.update(fresh)
        return answers

    def _read(self, kind: str, keys: list[str]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            rows = self.conn.execute(f"SELECT key, value FROM answers WHERE backend = ? AND kind = ? AND key IN "
                                     f"({','.join('?' * len(chunk))})", [self.name, kind, *chunk])
            found.update((key, json.loads(value)) for key, value in rows)
        return found

    def _write(self, kind: str, answers: dict[str, Any]) -> None:
        now = time.time()
        self.conn.executemany("INSERT OR REPLACE INTO answers VALUES (?, ?, ?, ?, ?)",
                              [(self.name, kind, k, json.dumps(v, ensure_ascii=False), now)
                               for k, v in answers.items()])
        self.conn.commit()


def _facts(value: dict) -> ItemFacts:
    coordinates = value.get("coordinates")
    return ItemFacts(**{**value, "classes": set(value.get("classes", ())), "sitelinks": value.get("sitelinks", {}),
                        "coordinates": tuple(coordinates) if coordinates else None})
