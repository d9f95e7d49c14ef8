"""Editions and the keys that align them: a conflict, party or commander is the same across editions when it has
the same Wikidata item (its reconciled QID, or the item whose sitelink is its page, asked of an index or
endpoint), else the same page of the same wiki (revisions of one article share their IRIs)."""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from graph.facts.reader import ConflictFacts, Entity, read_conflicts
from graph.wikidata.index import fold_title

RESOURCE = "https://w3id.org/wikikg/resource/"


class Sitelinks(Protocol):
    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        """Title → QID of the item whose ``site`` sitelink it is."""


@dataclass
class Edition:
    name: str                       # how columns are headed: the file's stem unless named
    path: str
    conflicts: list[ConflictFacts]


def read_edition(path: str, name: str | None = None) -> Edition:
    from graph.query.engine import load_store

    return Edition(name or Path(path).stem, path, read_conflicts(load_store([path])))


def page_of(iri: str) -> tuple[str, str] | None:
    """(wiki language, title) of one of our entity IRIs (``…/resource/zh/亚美尼亚``), None for another IRI."""
    if not iri.startswith(RESOURCE):
        return None
    lang, _, local = iri[len(RESOURCE):].partition("/")
    return (lang, urllib.parse.unquote(local).replace("_", " ")) if lang and local and "/" not in local else None


class Aligner:
    """Keys for conflicts and entities; sitelink look-ups are asked once per wiki, for every title at once."""

    def __init__(self, editions: list[Edition], sitelinks: Sitelinks | None = None) -> None:
        self.qids: dict[tuple[str, str], str] = {}
        # an entity or a conflict reconciled in one edition is that item in every edition that names it by the
        # same IRI or page (a reconciled graph compared with one that was not)
        self.reconciled: dict[str, str] = {}
        for edition in editions:
            for c in edition.conflicts:
                if c.qid:
                    self.qids.setdefault((c.lang, fold_title(c.title)), c.qid)
                self.reconciled.update((e.iri, e.qid) for e in _entities(c) if e.qid)
        if sitelinks is not None:
            self._ask(editions, sitelinks)

    def _ask(self, editions: list[Edition], sitelinks: Sitelinks) -> None:
        wanted: dict[str, set[str]] = {}
        for edition in editions:
            for c in edition.conflicts:
                wanted.setdefault(c.lang, set()).add(c.title)
                for entity in _entities(c):
                    page = page_of(entity.iri)
                    if page:
                        wanted.setdefault(page[0], set()).add(page[1])
        for lang, titles in sorted(wanted.items()):
            for title, qid in sitelinks.sitelinks(f"{lang}wiki", sorted(titles)).items():
                self.qids[(lang, fold_title(title))] = qid

    def conflict_key(self, c: ConflictFacts) -> str:
        return c.qid or self.qids.get((c.lang, fold_title(c.title))) or f"{c.lang}:{fold_title(c.title)}"

    def entity_key(self, entity: Entity) -> str:
        if entity.qid or entity.iri in self.reconciled:
            return entity.qid or self.reconciled[entity.iri]
        page = page_of(entity.iri)
        if page:
            return self.qids.get((page[0], fold_title(page[1]))) or entity.iri
        return entity.iri


def _entities(c: ConflictFacts) -> list[Entity]:
    return [*c.places, *c.part_of, *(r.entity for r in c.roles), *(f.agent for f in c.figures if f.agent)]
