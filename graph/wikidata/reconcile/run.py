"""Reconcile a list of subjects with one backend: gather the evidence in batches, strongest kind first,
then decide each subject (graph/reconcile/score.py).

A backend failure never stops the run: the subjects it concerned keep whatever evidence was gathered
before, and are reported unmatched with the failure as the reason.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from graph.wikidata.reconcile.backend import Backend, BackendError
from graph.wikidata.reconcile.model import MATCHED, Decision, Subject
from graph.wikidata.reconcile.score import Evidence, Settings, decide
from graph.wikitext.text import has_cjk, to_simplified, to_traditional

LABEL_BATCH = 100   # texts per backend call: a progress bar step, and a bounded request
TITLE_BATCH = 500   # titles per backend call (a backend splits them further into its own requests)


@dataclass
class Outcome:
    decisions: list[Decision]
    backend: str
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for d in self.decisions if d.status == status)

    @property
    def matched(self) -> int:
        return self.count(MATCHED)


def reconcile(subjects: list[Subject], backend: Backend, settings: Settings | None = None,
              progress: bool = False) -> Outcome:
    settings = settings or Settings.from_data()
    started = time.perf_counter()
    evidence = {s.iri: Evidence() for s in subjects}
    errors: list[str] = []
    gather_sitelinks(subjects, backend, evidence, errors, progress)
    gather_identifiers(subjects, backend, evidence, errors)
    undecided = [s for s in subjects if not _decisive(evidence[s.iri]) and settings.rule_for(s.roles).labels]
    gather_labels(undecided, backend, evidence, settings, errors, progress)
    facts = {}
    qids = sorted({q for e in evidence.values() for q in _qids(e)})
    if qids:
        try:
            sites = sorted({site for s in subjects for site in s.titles})
            facts = backend.describe(qids, settings.all_classes, sites)
        except BackendError as e:
            _note(errors, evidence, [s.iri for s in undecided], f"describing candidates: {e}")
    decisions = [decide(s, evidence[s.iri], facts, settings) for s in subjects]
    return Outcome(decisions, backend.name, time.perf_counter() - started, errors)


def _decisive(e: Evidence) -> bool:
    return bool(e.sitelinks or e.variant_sitelinks or any(e.identifiers.values()))


def _qids(e: Evidence) -> Iterable[str]:
    yield from e.sitelinks.values()
    yield from e.variant_sitelinks.values()
    for found in e.identifiers.values():
        yield from found
    for hit in e.label_hits:
        yield hit.qid


def _note(errors: list[str], evidence: dict[str, Evidence], iris: Iterable[str], message: str) -> None:
    errors.append(message)
    for iri in iris:
        evidence[iri].errors.append(message)


# ---------------------------------------------------------------- sitelinks

def gather_sitelinks(subjects: list[Subject], backend: Backend, evidence: dict[str, Evidence],
                     errors: list[str], progress: bool = False) -> None:
    wanted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # site → title → iris
    for s in subjects:
        for site, titles in s.titles.items():
            for title in titles:
                wanted[site][title].append(s.iri)
    batches = [(site, sorted(by_title)[i:i + TITLE_BATCH]) for site, by_title in sorted(wanted.items())
               for i in range(0, len(by_title), TITLE_BATCH)]
    found_by_site: dict[str, dict[str, str]] = defaultdict(dict)
    for site, titles in _progress(batches, progress, "sitelinks"):
        asked = {t: wanted[site][t] for t in titles}
        found = _ask(backend.sitelinks, site, titles, errors, evidence, asked, "sitelinks")
        found_by_site[site].update(found)
        for title, qid in found.items():
            for iri in wanted[site].get(title, ()):
                evidence[iri].sitelinks[f"{site}:{title}"] = qid
    for site, by_title in sorted(wanted.items()):
        _gather_variant_sitelinks(site, by_title, found_by_site[site], backend, evidence, errors)


def _gather_variant_sitelinks(site, by_title, found, backend, evidence, errors) -> None:
    """A zhwiki title in the other script is a redirect there; an index or an endpoint does not know
    redirects, so ask the converted titles too (a weaker match than the title itself)."""
    variants: dict[str, list[str]] = defaultdict(list)  # variant → iris
    for title, iris in by_title.items():
        if title in found or not has_cjk(title):
            continue
        for variant in {to_simplified(title), to_traditional(title)} - {title}:
            variants[variant] += [i for i in iris if not evidence[i].sitelinks]
    if not variants:
        return
    answer = _ask(backend.sitelinks, site, sorted(variants), errors, evidence, variants, "sitelinks")
    for variant, qid in answer.items():
        for iri in variants.get(variant, ()):
            evidence[iri].variant_sitelinks[f"{site}:{variant}"] = qid


# ---------------------------------------------------------------- identifiers

def gather_identifiers(subjects: list[Subject], backend: Backend, evidence: dict[str, Evidence],
                       errors: list[str]) -> None:
    wanted: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # prop → value → iris
    for s in subjects:
        if evidence[s.iri].sitelinks:
            continue
        for prop, values in s.identifiers.items():
            for value in values:
                wanted[prop][value].append(s.iri)
    for prop, by_value in sorted(wanted.items()):
        found = _ask(backend.identifiers, prop, sorted(by_value), errors, evidence, by_value, "identifiers")
        for value, qids in found.items():
            for iri in by_value.get(value, ()):
                evidence[iri].identifiers[f"{prop}:{value}"] = sorted(set(qids))


# ---------------------------------------------------------------- labels

def label_queries(subject: Subject, settings: Settings) -> dict[tuple[str, ...], set[str]]:
    """The texts to ask, grouped by the languages to ask them in: Chinese in both scripts and every zh
    variant (Wikidata keeps 蘇聯 under zh-hant and 苏联 under zh); Latin names in English, as written and
    with a capital first letter; other languages as tagged."""
    asks: dict[tuple[str, ...], set[str]] = defaultdict(set)
    for lang, texts in subject.labels.items():
        for text in texts:
            text = text.strip()
            if not text:
                continue
            if lang.startswith("zh") or has_cjk(text):
                asks[settings.chinese_languages] |= {text, to_simplified(text), to_traditional(text)}
            elif lang in ("en", "") or lang.startswith("en-"):
                asks[settings.latin_languages] |= {text, text[:1].upper() + text[1:]}
            else:
                asks[(lang,)].add(text)
    return asks


def gather_labels(subjects: list[Subject], backend: Backend, evidence: dict[str, Evidence], settings: Settings,
                  errors: list[str], progress: bool = False) -> None:
    wanted: dict[tuple[str, ...], dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s in subjects:
        for langs, texts in label_queries(s, settings).items():
            for text in texts:
                wanted[langs][text].append(s.iri)
    batches = [(langs, sorted(by_text)[i:i + LABEL_BATCH]) for langs, by_text in sorted(wanted.items())
               for i in range(0, len(by_text), LABEL_BATCH)]
    for langs, texts in _progress(batches, progress, "labels"):
        by_text = wanted[langs]
        asked = {t: by_text[t] for t in texts}
        hits = _ask(backend.labels, texts, list(langs), errors, evidence, asked, "labels")
        for hit in hits or ():
            for iri in by_text.get(hit.text, ()):
                if hit not in evidence[iri].label_hits:
                    evidence[iri].label_hits.append(hit)


def _ask(method: Callable, first, second, errors, evidence, concerned: dict[str, list[str]], what: str):
    try:
        return method(first, second)
    except BackendError as e:
        iris = {i for group in concerned.values() for i in group}
        _note(errors, evidence, iris, f"{what}: {e}")
        return {} if what != "labels" else []


def _progress(items: list, enabled: bool, desc: str):
    if not enabled or len(items) < 2:
        return items
    from tqdm import tqdm
    return tqdm(items, desc=f"reconcile {desc}", unit="batch", leave=False)
