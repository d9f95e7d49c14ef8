"""An offline index of a Wikidata JSON dump in SQLite: the ground the reconciler stands on without network.

The dump (``latest-all.json``, plain, .gz, .bz2 or .xz) is a JSON array with one entity per line, so it is
read a line at a time and written in batches: memory stays bounded whatever the dump size. The index keeps
what reconciliation asks: labels and aliases (folded for lookup), sitelinks, P31/P279, a few identifiers,
years and coordinates. Which properties these are is data: ``graph/data/wikidata_properties.yaml``.

Years: Wikidata's JSON time strings are signed years as written (``-0031-00-00T00:00:00Z`` is 31 BCE).
They are stored as that signed number (``-0031`` → ``-31``), not shifted to astronomical numbering
(where 31 BCE would be ``-30``); a consumer comparing with astronomical years must add one to negative ones.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
import unicodedata
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.data.vocab import load
from graph.errors import InputError
from graph.rdf.serialize import atomic_path
from graph.wikidata.json_dump import dump_entities
from graph.wikitext.text import has_cjk, to_simplified

# Label languages always kept; build_index(languages=...) adds more.
DEFAULT_LANGUAGES: tuple[str, ...] = tuple(load("wikidata_properties")["label_languages"])
BATCH_ROWS = 20_000  # rows buffered before an executemany: bounded memory, few round trips

_TIME = re.compile(r"^([+-]?)(\d+)-")
_SPACES = re.compile(r"[\s_]+")

SCHEMA = """
CREATE TABLE entities (qid TEXT PRIMARY KEY, type TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE labels (qid TEXT NOT NULL, lang TEXT NOT NULL, text TEXT NOT NULL, folded TEXT NOT NULL,
                     is_alias INTEGER NOT NULL);
CREATE TABLE sitelinks (qid TEXT NOT NULL, site TEXT NOT NULL, title TEXT NOT NULL, folded TEXT NOT NULL);
CREATE TABLE claims (qid TEXT NOT NULL, prop TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE dates (qid TEXT NOT NULL, prop TEXT NOT NULL, year INTEGER NOT NULL, precision INTEGER);
CREATE TABLE coords (qid TEXT NOT NULL, prop TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL, globe TEXT);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE statements (qid TEXT NOT NULL, prop TEXT NOT NULL, rank TEXT NOT NULL, value TEXT NOT NULL,
                         qualifiers TEXT NOT NULL);
"""
# Built after the load: one sort per index is much faster than keeping them up to date row by row.
INDEXES = """
CREATE INDEX labels_folded ON labels (folded, lang);
CREATE INDEX labels_qid ON labels (qid);
CREATE INDEX sitelinks_site_folded ON sitelinks (site, folded);
CREATE INDEX sitelinks_qid ON sitelinks (qid);
CREATE INDEX claims_prop_value ON claims (prop, value);
CREATE INDEX claims_qid ON claims (qid, prop);
CREATE INDEX dates_qid ON dates (qid, prop);
CREATE INDEX coords_qid ON coords (qid);
CREATE INDEX statements_qid ON statements (qid, prop);
"""


@dataclass(frozen=True)
class PropertyConfig:
    class_props: tuple[str, ...]            # item-valued, kept in claims (P31, P279)
    date_props: dict[str, str]              # name → pid
    coord_props: tuple[str, ...]
    identifiers: dict[str, str]             # pid → normalisation ("isbn", "upper")
    statement_props: tuple[str, ...] = ()   # kept whole with qualifiers (wikikg wikidata-diff)

    @property
    def instance_of(self) -> str:
        return self.class_props[0]

    @property
    def subclass_of(self) -> str:
        return self.class_props[1]


def properties() -> PropertyConfig:
    data = load("wikidata_properties")
    return PropertyConfig(
        class_props=(data["classes"]["instance_of"]["pid"], data["classes"]["subclass_of"]["pid"]),
        date_props={name: v["pid"] for name, v in data["dates"].items()},
        coord_props=tuple(v["pid"] for v in data["coordinates"].values()),
        identifiers={v["pid"]: v.get("normalise", "strip") for v in data["identifiers"].values()},
        statement_props=tuple(v["pid"] for v in data.get("statements", {}).values()))


@dataclass
class IndexStats:
    entities: int = 0
    items: int = 0
    properties: int = 0
    labels: int = 0          # labels and aliases kept
    sitelinks: int = 0
    claims: int = 0
    dates: int = 0
    coords: int = 0
    statements: int = 0      # whole statements with qualifiers (the properties wikidata-diff compares)
    broken_lines: int = 0    # lines that are not a JSON entity (skipped)
    skipped: int = 0         # entities left out by the --types / --linked-only filters
    truncated: bool = False  # the compressed stream ended early
    seconds: float = 0.0

    @property
    def entities_per_second(self) -> float:
        return self.entities / self.seconds if self.seconds > 0 else 0.0


@dataclass
class EntityRecord:
    qid: str
    type: str
    labels: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, list[str]] = field(default_factory=dict)
    sitelinks: dict[str, str] = field(default_factory=dict)
    instance_of: list[str] = field(default_factory=list)
    subclass_of: list[str] = field(default_factory=list)
    inception: int | None = None   # years as Wikidata writes them: see the module docstring
    dissolved: int | None = None
    birth: int | None = None
    death: int | None = None
    coordinates: tuple[float, float] | None = None  # (latitude, longitude), the first on Earth


# ---------------------------------------------------------------- folding

def fold_label(text: str) -> str:
    """How labels are compared: NFKC, casefolded, spaces collapsed; Chinese in simplified characters."""
    text = unicodedata.normalize("NFKC", text)
    if has_cjk(text):  # 蘇聯 and 苏联 are one name; the query's language is not known, so fold by script
        text = to_simplified(text)
    return " ".join(text.casefold().split())


def fold_title(title: str) -> str:
    """How MediaWiki compares titles: ``_`` is a space, the first letter is case-insensitive."""
    title = _SPACES.sub(" ", unicodedata.normalize("NFC", title)).strip()
    return title[:1].upper() + title[1:]


def normalise_identifier(kind: str, value: str) -> str:
    value = value.strip()
    if kind == "isbn":  # 978-0-19-861186-8 and 9780198611868 are one ISBN; the check digit X is uppercase
        return "".join(c for c in value.upper() if c.isdigit() or c == "X")
    if kind == "upper":  # DOIs are case-insensitive; Wikidata stores them uppercased
        return value.upper()
    return value


def parse_year(time_value: str) -> int | None:
    """``+1991-09-21T00:00:00Z`` → 1991, ``-0031-00-00T00:00:00Z`` → -31 (as written, not astronomical)."""
    m = _TIME.match(time_value)
    if not m:
        return None
    year = int(m.group(2))
    return -year if m.group(1) == "-" else year


# ---------------------------------------------------------------- building

class _Writer:
    """Buffers rows per table and flushes them in batches."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.rows: dict[str, list[tuple]] = {t: [] for t in ("entities", "labels", "sitelinks", "claims",
                                                             "dates", "coords", "statements")}
        self.pending = 0

    def add(self, table: str, row: tuple) -> None:
        self.rows[table].append(row)
        self.pending += 1
        if self.pending >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        for table, rows in self.rows.items():
            if rows:
                marks = ",".join("?" * len(rows[0]))
                verb = "INSERT OR IGNORE" if table == "entities" else "INSERT"  # a repeated entity: keep one
                self.conn.executemany(f"{verb} INTO {table} VALUES ({marks})", rows)
                rows.clear()
        self.pending = 0


def build_index(dump: str, db_path: str, sites: Collection[str] | None = None, progress: bool = False,
                languages: Iterable[str] = (), types: Collection[str] | None = None,
                linked_only: bool = False) -> IndexStats:
    """Index ``dump`` into the SQLite file ``db_path``, written to a temporary file then renamed, so a
    failed or interrupted build leaves any previous index whole. ``sites`` keeps only those sitelinks.

    Filters, to make an index of a full dump small: ``types`` keeps only items whose direct P31 is one of
    them; ``linked_only`` keeps only items with a sitelink on one of ``sites``. Classes (items with a P279)
    and properties are always kept: type constraints climb the class hierarchy."""
    start = time.monotonic()
    langs = frozenset(DEFAULT_LANGUAGES) | frozenset(languages)
    site_set = frozenset(sites) if sites else None
    config = properties()
    stats = IndexStats()
    counts: Counter[str] = Counter()
    entities = dump_entities(dump, counts, progress)  # opened here: a missing file fails before any temp file
    with atomic_path(db_path) as tmp:
        conn = sqlite3.connect(tmp)
        try:
            # The temp file is thrown away on failure, so durability inside the build buys nothing.
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(SCHEMA)
            writer = _Writer(conn)
            keep = _entity_filter(frozenset(types or ()), site_set if linked_only else None, config)
            for entity in entities:
                if keep(entity):
                    _index_entity(entity, writer, stats, langs, site_set, config)
                else:
                    stats.skipped += 1
            writer.flush()
            conn.executescript(INDEXES)
            stats.broken_lines = counts["broken"]
            stats.truncated = bool(counts["truncated"])
            stats.seconds = time.monotonic() - start
            _write_meta(conn, dump, stats, site_set, langs)
            conn.commit()
        finally:
            conn.close()
    return stats


def _entity_filter(types: frozenset[str], sites: frozenset[str] | None, config: PropertyConfig):
    if not types and sites is None:
        return lambda entity: True

    def keep(entity: dict) -> bool:
        claims = entity.get("claims") or {}
        if entity.get("type") == "property" or claims.get(config.subclass_of):
            return True
        if types and not types & {_item_id(s) for s in _values(claims.get(config.instance_of))}:
            return False
        return sites is None or bool(sites & set(entity.get("sitelinks") or {}))

    return keep


def _item_id(value: Any) -> str | None:
    return value.get("id") if isinstance(value, dict) else None


def _write_meta(conn: sqlite3.Connection, dump: str, stats: IndexStats, sites: frozenset[str] | None,
                langs: frozenset[str]) -> None:
    meta = {"dump": os.path.abspath(dump), "built": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "sites": ",".join(sorted(sites)) if sites else "*", "languages": ",".join(sorted(langs)),
            "entities": str(stats.entities), "broken_lines": str(stats.broken_lines),
            "truncated": str(int(stats.truncated)), "year_numbering": "as in Wikidata JSON (-31 = 31 BCE)"}
    conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))


def _index_entity(entity: dict, w: _Writer, stats: IndexStats, langs: frozenset[str],
                  sites: frozenset[str] | None, config: PropertyConfig) -> None:
    qid = entity["id"]
    kind = entity.get("type") or ("property" if qid.startswith("P") else "item")
    w.add("entities", (qid, kind))
    stats.entities += 1
    if kind == "property":
        stats.properties += 1
    else:
        stats.items += 1
    _index_labels(qid, entity, w, stats, langs)
    _index_sitelinks(qid, entity, w, stats, sites)
    _index_claims(qid, entity.get("claims") or {}, w, stats, config)


def _index_labels(qid: str, entity: dict, w: _Writer, stats: IndexStats, langs: frozenset[str]) -> None:
    for lang, label in _as_dict(entity.get("labels")).items():
        if lang in langs and isinstance(label, dict) and isinstance(label.get("value"), str):
            w.add("labels", (qid, lang, label["value"], fold_label(label["value"]), 0))
            stats.labels += 1
    for lang, aliases in _as_dict(entity.get("aliases")).items():
        if lang not in langs or not isinstance(aliases, list):
            continue
        for alias in aliases:
            if isinstance(alias, dict) and isinstance(alias.get("value"), str):
                w.add("labels", (qid, lang, alias["value"], fold_label(alias["value"]), 1))
                stats.labels += 1


def _index_sitelinks(qid: str, entity: dict, w: _Writer, stats: IndexStats, sites: frozenset[str] | None) -> None:
    for site, link in _as_dict(entity.get("sitelinks")).items():
        if (sites is None or site in sites) and isinstance(link, dict) and isinstance(link.get("title"), str):
            w.add("sitelinks", (qid, site, link["title"], fold_title(link["title"])))
            stats.sitelinks += 1


def _index_claims(qid: str, claims: dict, w: _Writer, stats: IndexStats, config: PropertyConfig) -> None:
    if not isinstance(claims, dict):
        return
    for prop in config.class_props:
        for value in _values(claims.get(prop)):
            if isinstance(value, dict) and isinstance(value.get("id"), str):
                w.add("claims", (qid, prop, value["id"]))
                stats.claims += 1
    for prop, kind in config.identifiers.items():
        for value in _values(claims.get(prop)):
            if isinstance(value, str) and value.strip():
                w.add("claims", (qid, prop, normalise_identifier(kind, value)))
                stats.claims += 1
    for prop in config.date_props.values():
        for value in _values(claims.get(prop), best_only=True):
            year = parse_year(value.get("time", "")) if isinstance(value, dict) else None
            if year is not None:
                w.add("dates", (qid, prop, year, value.get("precision")))
                stats.dates += 1
    for prop in config.coord_props:
        for value in _values(claims.get(prop), best_only=True):
            if isinstance(value, dict) and _is_number(value.get("latitude")) and _is_number(value.get("longitude")):
                w.add("coords", (qid, prop, float(value["latitude"]), float(value["longitude"]), value.get("globe")))
                stats.coords += 1
    for prop in config.statement_props:
        for rank, value, qualifiers in _statements_with_qualifiers(claims.get(prop)):
            w.add("statements", (qid, prop, rank, json.dumps(value, ensure_ascii=False, sort_keys=True),
                                 json.dumps(qualifiers, ensure_ascii=False, sort_keys=True)))
            stats.statements += 1


def _statements_with_qualifiers(statements: Any) -> list[tuple[str, Any, dict[str, list[Any]]]]:
    """(rank, datavalue, {qualifier pid: [datavalues]}) of each statement with a value, deprecated ones left out:
    what a comparison with an article needs (a figure's bounds and whose it is, a date's precision)."""
    found = []
    for statement in statements if isinstance(statements, list) else []:
        snak = statement.get("mainsnak") if isinstance(statement, dict) else None
        rank = statement.get("rank", "normal") if isinstance(statement, dict) else "deprecated"
        if rank == "deprecated" or not isinstance(snak, dict) or not isinstance(snak.get("datavalue"), dict):
            continue
        qualifiers = {}
        for pid, snaks in _as_dict(statement.get("qualifiers")).items():
            values = [q["datavalue"].get("value") for q in snaks if isinstance(q, dict)
                      and q.get("snaktype", "value") == "value" and isinstance(q.get("datavalue"), dict)]
            if values:
                qualifiers[pid] = values
        found.append((rank, snak["datavalue"].get("value"), qualifiers))
    return found


def _values(statements: Any, best_only: bool = False) -> list[Any]:
    """The datavalues of a property's statements, deprecated ones left out; ``best_only`` keeps only the
    preferred ones when there are any (Wikidata's "best rank": which of several inception dates counts)."""
    if not isinstance(statements, list):
        return []
    ranked = [(s.get("rank", "normal"), s.get("mainsnak") or {}) for s in statements if isinstance(s, dict)]
    ranked = [(rank, snak) for rank, snak in ranked if rank != "deprecated" and isinstance(snak, dict)]
    if best_only and any(rank == "preferred" for rank, _ in ranked):
        ranked = [(rank, snak) for rank, snak in ranked if rank == "preferred"]
    return [snak["datavalue"].get("value") for _, snak in ranked
            if snak.get("snaktype", "value") == "value" and isinstance(snak.get("datavalue"), dict)]


def _as_dict(value: Any) -> dict:
    # Wikidata writes an empty map as [] in some dumps
    return value if isinstance(value, dict) else {}


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ---------------------------------------------------------------- reading the index

class WikidataIndex:
    """Look-ups in an index built by :func:`build_index` (read-only)."""

    def __init__(self, db_path: str) -> None:
        if not os.path.isfile(db_path):
            raise InputError(f"{db_path}: no such Wikidata index (build one with: wikikg wikidata-index build)")
        self.conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        self.config = properties()

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> WikidataIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def by_sitelink(self, site: str, title: str) -> str | None:
        row = self.conn.execute("SELECT qid FROM sitelinks WHERE site = ? AND folded = ? ORDER BY title = ? DESC",
                                (site, fold_title(title), title)).fetchone()
        return row[0] if row else None

    def by_label(self, text: str, langs: Collection[str] | None = None) -> list[str]:
        """QIDs with this label or alias, labels before aliases, then by QID number (older items first).
        A language ``zh`` in ``langs`` also matches its variants (``zh-hant``, ``zh-tw``…)."""
        sql = "SELECT qid FROM labels WHERE folded = ?"
        params: list[Any] = [fold_label(text)]
        if langs:
            sql += " AND (" + " OR ".join("lang = ? OR lang LIKE ?" for _ in langs) + ")"
            for lang in langs:
                params += [lang, f"{lang}-%"]
        sql += " GROUP BY qid ORDER BY MIN(is_alias), CAST(substr(qid, 2) AS INTEGER)"
        return [row[0] for row in self.conn.execute(sql, params)]

    def label_rows(self, folded: Collection[str], langs: Collection[str]) -> list[tuple[str, str, str, str, bool]]:
        """(qid, folded, lang, text, is_alias) of every label or alias whose folded form is in ``folded``
        and whose language is one of ``langs`` exactly."""
        folded, langs = sorted(set(folded)), sorted(set(langs))
        if not folded or not langs:
            return []
        rows: list[tuple[str, str, str, str, bool]] = []
        for start in range(0, len(folded), 500):  # SQLite caps the number of bound parameters
            chunk = folded[start:start + 500]
            sql = (f"SELECT qid, folded, lang, text, is_alias FROM labels WHERE folded IN "
                   f"({','.join('?' * len(chunk))}) AND lang IN ({','.join('?' * len(langs))})")
            rows += [(q, f, lang, t, bool(a)) for q, f, lang, t, a in self.conn.execute(sql, [*chunk, *langs])]
        return rows

    def by_identifier(self, prop: str, value: str) -> list[str]:
        kind = self.config.identifiers.get(prop, "strip")
        rows = self.conn.execute("SELECT DISTINCT qid FROM claims WHERE prop = ? AND value = ? ORDER BY qid",
                                 (prop, normalise_identifier(kind, value)))
        return [row[0] for row in rows]

    def entity(self, qid: str) -> EntityRecord | None:
        row = self.conn.execute("SELECT type FROM entities WHERE qid = ?", (qid,)).fetchone()
        if row is None:
            return None
        record = EntityRecord(qid=qid, type=row[0])
        for lang, text, is_alias in self.conn.execute(
                "SELECT lang, text, is_alias FROM labels WHERE qid = ? ORDER BY rowid", (qid,)):
            if is_alias:
                record.aliases.setdefault(lang, []).append(text)
            else:
                record.labels[lang] = text
        record.sitelinks = dict(self.conn.execute("SELECT site, title FROM sitelinks WHERE qid = ?", (qid,)))
        record.instance_of = self._claims(qid, self.config.instance_of)
        record.subclass_of = self._claims(qid, self.config.subclass_of)
        for name, prop in self.config.date_props.items():
            year = self.conn.execute("SELECT year FROM dates WHERE qid = ? AND prop = ? ORDER BY rowid LIMIT 1",
                                     (qid, prop)).fetchone()
            if year is not None and hasattr(record, name):
                setattr(record, name, year[0])
        record.coordinates = self._coordinates(qid)
        return record

    def instance_of_closure(self, qid: str, max_depth: int = 6) -> set[str]:
        """The classes of ``qid``: its P31 values and their P279 ancestors, up to ``max_depth`` steps, as far
        as the index holds them (a class missing from the dump ends its branch)."""
        classes = set(self._claims(qid, self.config.instance_of))
        frontier = set(classes)
        for _ in range(max_depth):
            if not frontier:
                break
            marks = ",".join("?" * len(frontier))
            rows = self.conn.execute(f"SELECT value FROM claims WHERE prop = ? AND qid IN ({marks})",
                                     (self.config.subclass_of, *sorted(frontier)))
            frontier = {row[0] for row in rows} - classes  # cycles in P279 exist: never revisit
            classes |= frontier
        return classes

    def statements(self, qid: str, props: Collection[str]) -> list[tuple[str, str, Any, dict[str, list[Any]]]]:
        """(prop, rank, datavalue, qualifiers) of ``qid``'s statements of ``props`` (JSON-dump value shapes).
        An index built before statements were kept has no such table: it answers nothing, never wrongly."""
        if not props or not self._has_table("statements"):
            return []
        marks = ",".join("?" * len(props))
        rows = self.conn.execute(f"SELECT prop, rank, value, qualifiers FROM statements WHERE qid = ? AND prop IN "
                                 f"({marks}) ORDER BY rowid", (qid, *sorted(props)))
        return [(prop, rank, json.loads(value), json.loads(qualifiers)) for prop, rank, value, qualifiers in rows]

    def has_statements(self) -> bool:
        return self._has_table("statements")

    def _has_table(self, name: str) -> bool:
        return self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                                 (name,)).fetchone() is not None

    def _claims(self, qid: str, prop: str) -> list[str]:
        rows = self.conn.execute("SELECT value FROM claims WHERE qid = ? AND prop = ? ORDER BY rowid", (qid, prop))
        return [row[0] for row in rows]

    def _coordinates(self, qid: str) -> tuple[float, float] | None:
        # Earth (Q2) first: Wikidata also has coordinates on the Moon and Mars
        row = self.conn.execute(
            "SELECT lat, lon FROM coords WHERE qid = ? ORDER BY (globe IS NULL OR globe LIKE '%/Q2') DESC, rowid "
            "LIMIT 1", (qid,)).fetchone()
        return (row[0], row[1]) if row else None
