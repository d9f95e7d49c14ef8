"""Deciding: evidence about one subject → a Decision (matched, ambiguous or unmatched), strongest first.

1. a sitelink (the Wikipedia page the article links to) decides;
2. else an identifier (ISBN, DOI) decides, if it names one item;
3. else labels score the candidates, with the role's type constraint and the conflict's period;
   the best needs ``threshold`` and a ``margin`` over the runner-up. Nothing is guessed.

Pure functions over plain data: the weights and class lists are ``graph/data/reconcile.yaml``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from graph.data.vocab import load
from graph.wikidata.index import fold_title
from graph.wikidata.reconcile.model import (
    AMBIGUOUS,
    MATCHED,
    NOT_CHECKED,
    UNMATCHED,
    Candidate,
    Decision,
    ItemFacts,
    LabelHit,
    Subject,
)
from graph.wikitext.text import has_cjk, to_simplified


@dataclass(frozen=True)
class RoleRule:
    accept: frozenset[str] = frozenset()
    reject: frozenset[str] = frozenset()
    require: bool = False
    period: str | None = None   # "state" (P571/P576) or "life" (P569/P570)
    labels: bool = False


@dataclass(frozen=True)
class Settings:
    rules: dict[str, RoleRule]
    reject_always: frozenset[str]
    class_labels: dict[str, str]
    scores: dict[str, float]
    threshold: float
    margin: float
    same_as_threshold: float
    near_km: float
    chinese_languages: tuple[str, ...]
    latin_languages: tuple[str, ...]
    same_as: bool = True

    @classmethod
    def from_data(cls, **overrides) -> Settings:
        data = load("reconcile")
        rules = {name: RoleRule(accept=frozenset(r.get("accept", ())), reject=frozenset(r.get("reject", ())),
                                require=bool(r.get("require")), period=r.get("period"),
                                labels=bool(r.get("labels")))
                 for name, r in data["roles"].items()}
        settings = cls(rules=rules, reject_always=frozenset(data["reject_always"]),
                       class_labels={q: c["label"] for q, c in data["classes"].items()},
                       scores={k: float(v) for k, v in data["scores"].items()},
                       threshold=float(data["threshold"]), margin=float(data["margin"]),
                       same_as_threshold=float(data["same_as_threshold"]), near_km=float(data["near_km"]),
                       chinese_languages=tuple(data["chinese_languages"]),
                       latin_languages=tuple(data["latin_languages"]))
        return _replace(settings, overrides)

    @property
    def all_classes(self) -> frozenset[str]:
        """Every class a decision may ask about: what describe() is asked to check membership of."""
        out = set(self.reject_always)
        for rule in self.rules.values():
            out |= rule.accept | rule.reject
        return frozenset(out)

    def rule_for(self, roles: Iterable[str]) -> RoleRule:
        """Several roles (Armenia is a party and a place): any of their classes fits; a class rejects only
        if every role rejects it; a period applies if any role has one."""
        rules = [self.rules.get(r, self.rules["other"]) for r in roles] or [self.rules["other"]]
        reject = frozenset.intersection(*(r.reject for r in rules)) | self.reject_always
        return RoleRule(accept=frozenset().union(*(r.accept for r in rules)), reject=reject,
                        require=all(r.require for r in rules), period=next((r.period for r in rules if r.period),
                                                                           None),
                        labels=any(r.labels for r in rules))


def _replace(settings: Settings, overrides: dict) -> Settings:
    known = {k: v for k, v in overrides.items() if v is not None}
    return replace(settings, **known) if known else settings


@dataclass
class Evidence:
    """What the backends said about one subject."""

    sitelinks: dict[str, str] = field(default_factory=dict)          # "zhwiki:苏联" → QID
    variant_sitelinks: dict[str, str] = field(default_factory=dict)  # same, found through the other script
    identifiers: dict[str, list[str]] = field(default_factory=dict)  # "P212:9780814719459" → QIDs
    label_hits: list[LabelHit] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)                  # backend failures on the way


def decide(subject: Subject, evidence: Evidence, facts: dict[str, ItemFacts], settings: Settings) -> Decision:
    for decide_by in (_by_sitelink, _by_identifier, _by_labels):
        decision = decide_by(subject, evidence, facts, settings)
        if decision is not None:
            return decision
    if settings.rule_for(subject.roles).labels:
        reason = "no Wikidata item has its Wikipedia page as sitelink, its identifier, or its name"
    else:
        reason = "no Wikidata item has its Wikipedia page as sitelink or its identifier (names are not used for " \
                 "this kind of entity)"
    if evidence.errors:  # not "unmatched": no one looked, so nothing is decided and earlier links stay
        return Decision(subject, NOT_CHECKED, reason="not checked: the backend failed: " + "; ".join(evidence.errors))
    return Decision(subject, UNMATCHED, reason=reason)


def _by_sitelink(subject, evidence, facts, settings) -> Decision | None:
    for found, score_name, method in ((evidence.sitelinks, "sitelink", "sitelink"),
                                      (evidence.variant_sitelinks, "sitelink_variant", "sitelink (script variant)")):
        if not found:
            continue
        qids = sorted(set(found.values()))
        features = [f"{key.replace(':', ' sitelink ', 1)} → {qid}" for key, qid in sorted(found.items())]
        score = settings.scores[score_name]
        if len(qids) > 1:
            candidates = [Candidate(q, score, [f for f in features if f.endswith(q)], label=_label(facts, q))
                          for q in qids]
            return Decision(subject, AMBIGUOUS, score=score, method=method, features=features,
                            candidates=candidates, reason="its Wikipedia pages belong to different items")
        qid = qids[0]
        features += _type_features(subject, facts.get(qid), settings)
        return Decision(subject, MATCHED, qid=qid, score=score, method=method, features=features,
                        candidates=[Candidate(qid, score, features, label=_label(facts, qid))])
    return None


def _by_identifier(subject, evidence, facts, settings) -> Decision | None:
    qids = sorted({q for found in evidence.identifiers.values() for q in found})
    if not qids:
        return None
    features = [f"{key.split(':', 1)[0]} {key.split(':', 1)[1]} → {', '.join(found)}"
                for key, found in sorted(evidence.identifiers.items())]
    score = settings.scores["identifier"]
    candidates = [Candidate(q, score, features, label=_label(facts, q)) for q in qids]
    if len(qids) > 1:  # an ISBN on a work and on its edition, say: a reviewer chooses
        return Decision(subject, AMBIGUOUS, score=score, method="identifier", features=features,
                        candidates=candidates, reason="the identifier is on several items")
    return Decision(subject, MATCHED, qid=qids[0], score=score, method="identifier", features=features,
                    candidates=candidates)


def _by_labels(subject, evidence, facts, settings) -> Decision | None:
    rule = settings.rule_for(subject.roles)
    if not rule.labels or not evidence.label_hits:
        return None
    candidates = score_candidates(subject, evidence.label_hits, facts, rule, settings)
    if not candidates:
        return None
    standing = [c for c in candidates if c.excluded is None]
    if not standing:
        return Decision(subject, UNMATCHED, candidates=candidates,
                        reason="every item with its name is excluded: "
                               + "; ".join(f"{c.qid} ({c.excluded})" for c in candidates[:5]))
    best = standing[0]
    runner_up = standing[1].score if len(standing) > 1 else 0.0
    lead = round(best.score - runner_up, 4)  # 0.85 - 0.75 is 0.0999… in binary floating point
    if best.score >= settings.threshold and lead >= settings.margin:
        return Decision(subject, MATCHED, qid=best.qid, score=round(best.score, 2), method="label",
                        features=best.features, candidates=candidates)
    if best.score < settings.threshold:  # candidates a reviewer may look at, none of them plausible enough
        reason = f"best candidate {best.qid} scores {best.score:.2f}, below the threshold {settings.threshold:.2f}"
        status = UNMATCHED
    else:
        reason = (f"{best.qid} ({best.score:.2f}) and {standing[1].qid} ({runner_up:.2f}) are closer than the "
                  f"margin {settings.margin:.2f}")
        status = AMBIGUOUS
    return Decision(subject, status, score=round(best.score, 2), method="label", candidates=candidates,
                    reason=reason)


def score_candidates(subject: Subject, hits: list[LabelHit], facts: dict[str, ItemFacts], rule: RoleRule,
                     settings: Settings) -> list[Candidate]:
    """One candidate per item named by a hit, best first; excluded ones last, with the reason."""
    by_qid: dict[str, list[LabelHit]] = {}
    for hit in hits:
        by_qid.setdefault(hit.qid, []).append(hit)
    candidates = [_score(subject, qid, item_hits, facts.get(qid), rule, settings)
                  for qid, item_hits in by_qid.items()]
    candidates.sort(key=lambda c: (c.excluded is not None, -c.score, _qid_number(c.qid)))
    return candidates


def _score(subject, qid, hits, item, rule, settings) -> Candidate:
    s = settings.scores
    as_label = [h for h in hits if not h.alias]
    best = as_label or hits
    score = s["label"] if as_label else s["alias"]
    features = [f"{'label' if as_label else 'alias'} \"{best[0].text}\"@{best[0].lang}"]
    families = {_family(h.lang) for h in hits}
    if len(families) > 1:
        score += s["more_languages"]
        features.append("names agree in " + " and ".join(sorted(families)))
    candidate = Candidate(qid, score, features, label=item.label if item else "")
    if item is None:
        candidate.excluded = "nothing known about the item"
        return candidate
    _apply_type(candidate, item, rule, settings)
    if candidate.excluded is None:
        _apply_pages(candidate, subject, item)
    if candidate.excluded is None:
        _apply_period(candidate, subject, item, rule, settings)
        _apply_coordinates(candidate, subject, item, settings)
    candidate.score = round(min(candidate.score, 1.0), 4)
    return candidate


def _apply_pages(candidate: Candidate, subject: Subject, item: ItemFacts) -> None:
    """One Wikipedia page, one item: an item whose page on the wiki the article links to is another page
    is another entity, whatever its name (the Patriots of 1775 are not the United States, though a piped
    link may show that name). The subject's own page has no item here, or is a redirect: the live
    backend resolves redirects."""
    for site, titles in subject.titles.items():
        theirs = item.sitelinks.get(site)
        if theirs and page_key(theirs) not in {page_key(t) for t in titles}:
            ours = " / ".join(titles)
            candidate.excluded = f"its {site} page is {theirs}, not {ours} (a redirect? live Wikidata resolves them)"
            return


def page_key(title: str) -> str:
    """Titles that name the same page: MediaWiki's normalisation, and one Chinese script."""
    return to_simplified(fold_title(title)) if has_cjk(title) else fold_title(title)


def _apply_type(candidate: Candidate, item: ItemFacts, rule: RoleRule, settings: Settings) -> None:
    rejected = sorted(item.classes & rule.reject)
    if rejected:
        candidate.excluded = "is a " + ", ".join(settings.class_labels.get(q, q) for q in rejected)
        return
    accepted = sorted(item.classes & rule.accept)
    if accepted:
        candidate.score += settings.scores["type_match"]
        candidate.features.append("is a " + ", ".join(settings.class_labels.get(q, q) for q in accepted))
    elif rule.require:
        wanted = ", ".join(settings.class_labels.get(q, q) for q in sorted(rule.accept))
        candidate.excluded = f"not a {wanted}"
    else:
        candidate.features.append("type unknown")


def _apply_period(candidate: Candidate, subject: Subject, item: ItemFacts, rule: RoleRule,
                  settings: Settings) -> None:
    if rule.period is None or subject.period is None:
        return
    start, end = subject.period
    begin, finish, words = ((item.inception, item.dissolved, ("founded", "dissolved")) if rule.period == "state"
                            else (item.birth, item.death, ("born", "died")))
    if begin is not None and begin > end:
        candidate.excluded = f"{words[0]} {_year(begin)}, after the conflict ({_year(start)}–{_year(end)})"
    elif finish is not None and finish < start:
        candidate.excluded = f"{words[1]} {_year(finish)}, before the conflict ({_year(start)}–{_year(end)})"
    elif begin is not None or finish is not None:
        candidate.score += settings.scores["period_match"]
        candidate.features.append(f"{_year(begin) if begin is not None else '?'}–"
                                  f"{_year(finish) if finish is not None else ''} fits {_year(start)}–{_year(end)}")


def _apply_coordinates(candidate: Candidate, subject: Subject, item: ItemFacts, settings: Settings) -> None:
    if subject.coordinates is None or item.coordinates is None:
        return
    km = distance_km(subject.coordinates, item.coordinates)
    if km <= settings.near_km:
        candidate.score += settings.scores["coordinates_match"]
        candidate.features.append(f"coordinates {km:.0f} km apart")


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine) between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _type_features(subject: Subject, item: ItemFacts | None, settings: Settings) -> list[str]:
    """For a reviewer of a sitelink match: does the item's type fit what the article says it is?"""
    if item is None:
        return []
    rule = settings.rule_for(subject.roles)
    accepted = sorted(item.classes & rule.accept)
    if accepted:
        return ["is a " + ", ".join(settings.class_labels.get(q, q) for q in accepted)]
    if rule.accept and item.classes & rule.reject:
        return ["type does not fit the role " + "/".join(subject.roles)]
    return []


def _label(facts: dict[str, ItemFacts], qid: str) -> str:
    item = facts.get(qid)
    return item.label if item else ""


def _family(lang: str) -> str:
    return lang.split("-")[0]


def _qid_number(qid: str) -> int:
    return int(qid[1:]) if qid[1:].isdigit() else 0


def _year(year: int) -> str:
    """Astronomical year → how a historian writes it (0 → 1 BC)."""
    return str(year) if year > 0 else f"{1 - year} BC"
