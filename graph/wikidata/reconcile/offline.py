"""The offline backend: answers from an index built from a Wikidata JSON dump (``wikikg wikidata-index build``)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path
from typing import TypeVar

from graph.errors import InputError
from graph.wikidata.index import WikidataIndex, fold_label
from graph.wikidata.reconcile.model import ItemFacts, LabelHit

T = TypeVar("T")


class IndexBackend:
    def __init__(self, db_path: str) -> None:
        if not Path(db_path).is_file():
            raise InputError(f"{db_path}: no such index (build one with `wikikg wikidata-index build DUMP -o "
                             f"{db_path}`)")
        self.index = WikidataIndex(db_path)
        self.name = f"offline index {Path(db_path).name}"

    def close(self) -> None:
        self.index.close()

    def sitelinks(self, site: str, titles: Sequence[str]) -> dict[str, str]:
        return _answered({title: self.index.by_sitelink(site, title) for title in titles})

    def identifiers(self, prop: str, values: Sequence[str]) -> dict[str, list[str]]:
        return _answered({value: self.index.by_identifier(prop, value) for value in values})

    def labels(self, texts: Sequence[str], languages: Sequence[str]) -> list[LabelHit]:
        """Exact after folding (case, width, Chinese script): what the index stores. Each hit carries the
        text as asked, so the caller knows which of its names matched."""
        asked: dict[str, list[str]] = {}
        for text in texts:
            asked.setdefault(fold_label(text), []).append(text)
        hits = []
        for qid, folded, lang, _text, alias in self.index.label_rows(asked, languages):
            hits += [LabelHit(qid, text, lang, alias) for text in asked[folded]]
        return sorted(set(hits), key=lambda h: (h.qid, h.text, h.lang, h.alias))

    def describe(self, qids: Sequence[str], classes: Collection[str],
                 sites: Collection[str] = ()) -> dict[str, ItemFacts]:
        wanted = set(classes)
        out = {}
        for qid in qids:
            record = self.index.entity(qid)
            if record is None:
                continue
            out[qid] = ItemFacts(
                qid=qid, labels=dict(record.labels), types=list(dict.fromkeys(record.instance_of)),
                classes=self.index.instance_of_closure(qid) & wanted,
                inception=astronomical(record.inception), dissolved=astronomical(record.dissolved),
                birth=astronomical(record.birth), death=astronomical(record.death),
                coordinates=record.coordinates,
                sitelinks={site: title for site, title in record.sitelinks.items() if site in sites})
        return out


def _answered(found: dict[str, T]) -> dict[str, T]:
    """The keys the index has an answer for (a QID, or a non-empty list of them)."""
    return {key: answer for key, answer in found.items() if answer}


def astronomical(year: int | None) -> int | None:
    """The index keeps years as Wikidata's JSON writes them (-31 = 31 BCE); ours are astronomical (-30)."""
    if year is None:
        return None
    return year + 1 if year < 0 else year
