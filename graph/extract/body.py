"""Extract stage for the article body: sections, sub-events ({{Main}}), mentions and the timeline.

The body is read with the same item splitter as infobox values (links, flags, refs, text), a
paragraph at a time; paragraphs are cut into sentences, and every sentence with a date becomes a
timeline event. A date without a year (``5月8日``, ``8 May``) takes the year of the latest full date
(with its month) before it in reading order, and says so (``inferred``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

from mwparserfromhell.nodes import Heading, Template

from graph.data.vocab import load, normalise_template_name
from graph.extract import entities
from graph.extract.dates import month_numbers
from graph.extract.model import DateRange, EntityRef, PartialDate, RefMarker, Section, TimelineEvent
from graph.extract.values import Item, split_items
from graph.wikitext.page import Page, mapping_for
from graph.wikitext.text import clean_spaces

SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[\"'“(\[]?[A-Z0-9])")
ZH_DATE = re.compile(
    r"(?<!\d)(?:(?:(?P<y0>\d{3,4})\s*[-–—－至到]\s*)?(?P<y>\d{3,4})年(?!代))?"
    r"(?:(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})(?:日)?(?:\s*[-–—－~至到]\s*(?P<d2>\d{1,2})(?![\d年月])日?)?)?)?")
PARENTHESES = re.compile(r"（[^（）]*）|\([^()]*\)")
CLAUSE_END = re.compile(r"[，,；;：:]")
MAX_LABEL = 200


@dataclass
class FoundDate:
    start: int
    end: int
    dates: DateRange
    has_year: bool
    aside: bool = False  # in a parenthesis, a subordinate clause or a noun's attribute: another event's date


@dataclass
class RawDate:
    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    day2: int | None = None
    first_year: int | None = None  # "1993-1994年": a span of years
    year_offset: int | None = None  # "第二年": the narrative's year plus this
    month2: int | None = None  # "三四月": the last month of a span of months
    inferred: bool = False  # the year was taken from the other end of a span


@lru_cache(maxsize=1)
def en_date_pattern() -> re.Pattern:
    months = "|".join(sorted((m for m in month_numbers() if re.fullmatch(r"[A-Za-z.]+", m)), key=len, reverse=True))
    return re.compile(
        rf"\b(?:(?P<d>\d{{1,2}})(?:\s*[-–]\s*(?P<d2>\d{{1,2}}))?\s+(?P<m1>{months})(?:,?\s+(?P<y1>\d{{3,4}}))?"
        rf"|(?P<m2>{months})\s+(?:(?P<d3>\d{{1,2}})(?:\s*[-–]\s*(?P<d4>\d{{1,2}}))?,?\s+)?(?P<y2>\d{{3,4}})"
        rf"|(?P<m3>{months})\s+(?P<d5>\d{{1,2}})(?!\d))\b", re.IGNORECASE)


def timeline_words() -> dict:
    return load("date_words")["timeline"]


def alternation_of(words: list[str]) -> str:
    return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def year_alone_pattern() -> re.Pattern:
    """A year with no month, after a word that makes it the sentence's time ("In 1452, …"); not a decade."""
    words = alternation_of(timeline_words()["year_before"])
    return re.compile(rf"\b(?:{words})\s+(?P<y>\d{{3,4}})(?!{not_a_year()})", re.IGNORECASE)


@lru_cache(maxsize=1)
def second_year() -> re.Pattern:
    return re.compile(rf"\s*(?:and|to|until|till|through|[-–—])\s*(?P<y>\d{{3,4}})(?!{not_a_year()})", re.IGNORECASE)


@lru_cache(maxsize=1)
def counted_span() -> re.Pattern:
    """"between 3000 and 4000 men": the first number counts too."""
    counts = alternation_of(timeline_words()["count_nouns"])
    return re.compile(rf"\s*(?:and|to|until|till|through|[-–—])\s*\d[\d,]*\s+(?:{counts})\b", re.IGNORECASE)


@lru_cache(maxsize=1)
def not_a_year() -> str:
    """After a number: a decimal, a decade (1770s), a percentage or a count ("4000 men")."""
    counts = alternation_of(timeline_words()["count_nouns"])
    return rf"\d|[.,]\d|s\b|\s*(?:%|percent\b|per\s+cent\b)|\s+(?:{counts})\b"


@lru_cache(maxsize=1)
def span_separator() -> re.Pattern:
    words = timeline_words()
    return re.compile(rf"\s*(?:{alternation_of(words['span_separators'])})\s*", re.IGNORECASE)


@lru_cache(maxsize=1)
def span_and() -> tuple[re.Pattern, re.Pattern]:
    words = timeline_words()["span_and"]
    return (re.compile(rf"\b(?:{alternation_of(words['before'])})\s*$", re.IGNORECASE),
            re.compile(rf"\s*(?:{alternation_of(words['separator'])})\s*", re.IGNORECASE))


@lru_cache(maxsize=1)
def ends_pattern() -> re.Pattern:
    words = timeline_words()["ends"]
    return re.compile(rf"(?:{alternation_of(words['subjects'])}).*(?:{alternation_of(words['verbs'])})",
                      re.IGNORECASE)


@lru_cache(maxsize=1)
def until_before() -> re.Pattern:
    return re.compile(rf"(?:{alternation_of(timeline_words()['until'])})\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def subordinate_opener() -> re.Pattern:
    openers = alternation_of(timeline_words()["subordinate_openers"])
    return re.compile(rf"(?:^|(?<=[，,；;]))\s*(?:{openers})(?![A-Za-z])", re.IGNORECASE)


@lru_cache(maxsize=1)
def attributive_before() -> re.Pattern:
    return re.compile(rf"(?:{alternation_of(timeline_words()['attributive_before'])})$")


def raw_dates(text: str) -> list[RawDate]:
    found: list[RawDate] = []
    for m in ZH_DATE.finditer(text):
        if not m.group(0) or (m.group("y") is None and m.group("d") is None):
            continue  # "5月" alone is too often not a date; "1992年" alone is a year
        found.append(RawDate(m.start(), m.end(), as_int(m.group("y")), as_int(m.group("m")), as_int(m.group("d")),
                             as_int(m.group("d2")), as_int(m.group("y0"))))
    for m in en_date_pattern().finditer(text):
        month_word = (m.group("m1") or m.group("m2") or m.group("m3")).lower()
        month = month_numbers().get(month_word) or month_numbers().get(month_word.rstrip("."))
        if month is None:
            continue
        found.append(RawDate(m.start(), m.end(), as_int(m.group("y1") or m.group("y2")), month,
                             as_int(m.group("d") or m.group("d3") or m.group("d5")),
                             as_int(m.group("d2") or m.group("d4"))))
    for m in year_alone_pattern().finditer(text):
        if not any(f.start <= m.start("y") < f.end for f in found) and not counted_span().match(text, m.end()):
            found.append(RawDate(m.start("y"), m.end(), int(m.group("y")), None, None))
            second = second_year().match(text, m.end())  # "between 1450 and 1455", "from 1450 to 1455"
            if second and not any(f.start <= second.start("y") < f.end for f in found):
                found.append(RawDate(second.start("y"), second.end(), int(second.group("y")), None, None))
    for m in relative_year_pattern().finditer(text):
        if not any(f.start <= m.start() < f.end for f in found):
            month, month2 = zh_month(m.group("m1")) or as_int(m.group("am")), zh_month(m.group("m2"))
            found.append(RawDate(m.start(), m.end(), None, month, as_int(m.group("ad")) if month else None,
                                 year_offset=relative_years()[m.group("rel").lower()], month2=month2))
    return sorted(found, key=lambda f: f.start)


ZH_MONTH = r"十[一二]?|[一二三四五六七八九]"


@lru_cache(maxsize=1)
def relative_years() -> dict[str, int]:
    return {str(w).lower(): int(n) for n, words in timeline_words()["relative_years"].items() for w in words}


@lru_cache(maxsize=1)
def relative_year_pattern() -> re.Pattern:
    """"第二年的三四月间", "次年5月", "the following year"."""
    return re.compile(rf"(?P<rel>{alternation_of(list(relative_years()))})(?:的)?"
                      rf"(?:(?P<m1>{ZH_MONTH})(?P<m2>{ZH_MONTH})?月|(?P<am>\d{{1,2}})月(?:(?P<ad>\d{{1,2}})日)?)?",
                      re.IGNORECASE)


def zh_month(numeral: str | None) -> int | None:
    """一 … 十二 as a month number."""
    if not numeral:
        return None
    digits = load("number_words")["chinese_digits"]
    if numeral.startswith("十"):
        return 10 + (digits[numeral[1]] if len(numeral) > 1 else 0)
    return digits.get(numeral)


def as_int(value: str | None) -> int | None:
    return int(value) if value else None


def year_of(month: int | None, last_year: int | None, last_month: int | None) -> int | None:
    """A yearless date is the nearest one to the narrative's date, forward over a year's end (December 1460 …
    "until 6 January" is 1461), backward within the year ("一个月之前的11月21日" after December 31)."""
    if last_year is None:
        return None
    if month is None or last_month is None or month >= last_month:
        return last_year
    return last_year + 1 if month + 12 - last_month < last_month - month else last_year


def find_dates(text: str, last_year: int | None, last_month: int | None = None) -> list[FoundDate]:
    """Dates of a sentence, in order, spans joined; yearless ones take the year of the narrative (and say so)."""
    found: list[FoundDate] = []
    raws = raw_dates(text)
    for r, following in zip(raws, raws[1:], strict=False):
        if (r.year is None and r.year_offset is None and following.year is not None and r.month is not None
                and span_separator().fullmatch(text[r.end:following.start])):
            # "8 May – 9 June 1992": the start's year is the end's (the year before, when its month comes later)
            r.year = following.year - (1 if following.month is not None and r.month > following.month else 0)
            r.inferred = True
    for r in raws:
        if r.year_offset is not None:
            if last_year is None:
                continue
            year = last_year + r.year_offset
            first = PartialDate(year, r.month, r.day)
            last = PartialDate(year, r.month2) if r.month2 and r.month and r.month < r.month2 else first
            found.append(FoundDate(r.start, r.end, DateRange(first, last, inferred=True), False))
            if r.month is not None:
                last_year, last_month = year, last.month
            continue
        if r.year is None:
            year = year_of(r.month, last_year, last_month)
            if year is None:
                continue
        else:
            year = r.year
        if r.first_year is not None and r.month is None:  # "1993-1994年": a span of years
            first, last = PartialDate(r.first_year), PartialDate(year)
            if first <= last:
                found.append(FoundDate(r.start, r.end, DateRange(first, last), True))
            continue
        f = make_found(r.start, r.end, year, r.month, r.day, r.day2, r.year is not None and not r.inferred)
        if f is None:
            continue
        found.append(f)
        if f.dates.end.month is not None:
            last_year, last_month = f.dates.end.year, f.dates.end.month
    found = join_spans(text, found)
    mark_asides(text, found)
    return found


def join_spans(text: str, found: list[FoundDate]) -> list[FoundDate]:
    """"1988年2月至1994年5月", "from 8 May to 9 May", "between 1450 and 1455": one date, from the first to the last."""
    out: list[FoundDate] = []
    between_before, and_separator = span_and()
    for f in found:
        prev = out[-1] if out else None
        if prev is not None and sort_key(prev.dates.end) <= sort_key(f.dates.start):
            gap = text[prev.end:f.start]
            joined = span_separator().fullmatch(gap) or (
                and_separator.fullmatch(gap) and between_before.search(text[:prev.start]))
            if joined and prev.dates.start == prev.dates.end:
                out[-1] = FoundDate(prev.start, f.end, DateRange(prev.dates.start, f.dates.end,
                                                                 inferred=prev.dates.inferred or f.dates.inferred),
                                    prev.has_year or f.has_year)
                continue
        out.append(f)
    return out


GLOSS_REST = re.compile(r"[\s()（）,，、.约約公元西元前]*|(?:circa|c\.|ca\.|AD|CE)?[\s()]*", re.IGNORECASE)


def only_dates(paren: re.Match, found: list[FoundDate]) -> bool:
    """"在加里恩努斯在位期间（公元267年）": a parenthesis that holds only a date glosses the sentence's time."""
    rest = list(paren.group())
    for f in found:
        if paren.start() <= f.start < paren.end():
            for i in range(f.start - paren.start(), min(f.end, paren.end()) - paren.start()):
                rest[i] = " "
    inside = [f for f in found if paren.start() <= f.start < paren.end()]
    return bool(inside) and GLOSS_REST.fullmatch("".join(rest)) is not None


def sort_key(d: PartialDate) -> tuple[int, int, int]:
    return d.year, d.month or 0, d.day or 0


def mark_asides(text: str, found: list[FoundDate]) -> None:
    """A date inside a parenthesis, a subordinate clause (随着…，/After …,) or a noun's attribute
    (将1921年…的决定) is another event's date, not the sentence's."""
    parens = [(m.start(), m.end()) for m in PARENTHESES.finditer(text) if not only_dates(m, found)]
    clauses = []
    for m in subordinate_opener().finditer(text):
        end = CLAUSE_END.search(text, m.end())
        clauses.append((m.start(), end.start() if end else len(text)))
    for f in found:
        f.aside = (any(a <= f.start < b for a, b in parens + clauses)
                   or bool(attributive_before().search(text[:f.start].rstrip())))


def make_found(start: int, end: int, year: int, month: int | None, day: int | None, day2: int | None,
               has_year: bool) -> FoundDate | None:
    m = month
    d = day if day and m else None
    if (m is not None and not 1 <= m <= 12) or (d is not None and not 1 <= d <= 31):
        return None
    first = PartialDate(year, m, d)
    last = PartialDate(year, m, day2) if day2 and d and 1 <= day2 <= 31 else first
    return FoundDate(start, end, DateRange(first, last, inferred=not has_year), has_year)


def sentences(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


class BodyReader:
    def __init__(self, page: Page, lang: str, people: frozenset[str] = frozenset()) -> None:
        self.page, self.lang, self.people = page, lang, people
        self.sections: list[Section] = []
        self.events: list[TimelineEvent] = []
        self.lead_labels: list[tuple[str, str]] = []
        self.last_year: int | None = None
        self.last_month: int | None = None
        self.paragraph_start = 0  # the first event of the paragraph being read
        self.main_names = {normalise_template_name(n) for n in load("templates")["main_article"]}
        self.place_names = {n: e for n, e in link_names(page, lang).items() if self.may_be_place(e)}
        self.place_pattern = names_pattern(self.place_names)

    def read(self) -> None:
        nodes: list[tuple[object, int]] = []
        pos = 0
        self.sections.append(Section(title="", level=1, line=1))
        for node in self.page.code.nodes:
            length = len(str(node))
            if isinstance(node, Heading):
                self.read_section(nodes)
                nodes = []
                self.open_section(node, pos)
            else:
                nodes.append((node, pos))
            pos += length
        self.read_section(nodes)

    def open_section(self, heading: Heading, offset: int) -> None:
        level = heading.level
        parent = next((i for i in range(len(self.sections) - 1, -1, -1) if self.sections[i].level < level), None)
        title = clean_spaces(heading.title.strip_code())
        self.sections.append(Section(title, level, self.page.lines.position(offset)[0], parent))

    def read_section(self, nodes: list[tuple[object, int]]) -> None:
        section_index = len(self.sections) - 1
        section = self.sections[section_index]
        kept = []
        for node, offset in nodes:
            if isinstance(node, Template):
                if normalise_template_name(str(node.name)) in self.main_names:
                    section.describes.extend(self.main_targets(node))
                    continue
                if mapping_for(str(node.name)):
                    continue  # the infobox is read by the extract stage
            kept.append((node, offset))
        if not kept:
            return
        apparatus = is_apparatus(self.sections, section_index)
        items = [item for run in contiguous_runs(kept)
                 for item in split_items(self.page, SimpleNamespace(nodes=[n for n, _ in run]), run[0][1], self.lang,
                                         quiet=True)]
        for item in items:
            self.read_paragraph(item, section_index, dated=not apparatus)
        if section.level == 1 and items:
            self.lead_labels = [label for item in items[:3] for label in item.labels if label[0]]

    def main_targets(self, tpl: Template) -> list[EntityRef]:
        targets = []
        for param in tpl.params:
            if not param.showkey:
                ref = entities.from_wikilink(str(param.value).strip(), None, self.lang)
                if ref is not None:
                    targets.append(ref)
        return targets

    def read_paragraph(self, item: Item, section_index: int, dated: bool = True) -> None:
        section = self.sections[section_index]
        for mention in item.mentions:
            if mention.named and mention.entity not in section.mentions:
                section.mentions.append(mention.entity)
        if not dated:
            return
        spans = sentences(item.text)
        self.paragraph_start = len(self.events)
        for i, (start, end) in enumerate(spans):
            next_start = spans[i + 1][0] if i + 1 < len(spans) else len(item.text) + 1
            introduces = i + 1 == len(spans) and item.text[start:end].rstrip().endswith((":", "："))
            self.read_sentence(item, start, end, next_start, section_index, introduces)

    def read_sentence(self, item: Item, start: int, end: int, next_start: int, section_index: int,
                      introduces: bool = False) -> None:
        """The sentence's own date (not one in a parenthesis or a subordinate clause) makes it an event; a
        paragraph's last sentence ending with a colon introduces a table or a list: it is no event."""
        text = item.text[start:end]
        found = find_dates(text, self.last_year, self.last_month)
        context = (self.last_year, self.last_month)
        for f in found:
            if (f.has_year or f.dates.inferred) and f.dates.end.month is not None:  # it anchors the yearless
                self.last_year, self.last_month = f.dates.end.year, f.dates.end.month
        dated = [f for f in found if f.dates.start.year is not None and not f.aside]
        if not dated or introduces:
            return
        first = dated[0]
        dates = first.dates
        if first.has_year and dates.start == dates.end and all(f.dates.end.month is None for f in found):
            self.last_year, self.last_month = dates.start.year, None  # "In 1485, …": the narrative's year
        self.close_previous(text, dates)
        if (first is found[0] and dates.start == dates.end and context[1] is not None
                and until_before().search(text[:first.start])):  # "until 6 January": from the narrative's date
            since = PartialDate(context[0], context[1])
            if sort_key(since) < sort_key(dates.start):
                dates = DateRange(since, dates.end, inferred=True)
        mentions = [m for m in item.mentions if m.named and start <= m.start < end]
        refs = [r for r, at in zip(item.refs, item.ref_at, strict=False) if start < at <= next_start or
                (at == start == 0)]
        self.events.append(TimelineEvent(
            dates=dates, text=clean_label(text), section=section_index,
            line=self.page.lines.position(item.offset)[0], inferred=dates.inferred,
            involves=entities.dedupe([m.entity for m in mentions if not common_noun(item.text[m.start:m.end])]),
            place=place_of(item, [m for m in mentions if self.may_be_place(m.entity)],
                           self.place_names, start, end, self.place_pattern),
            refs=refs))

    def close_previous(self, text: str, dates: DateRange) -> None:
        """"战斗于5月9日结束" after "5月8日，…向舒沙城发起攻击": the paragraph's last event ends then."""
        previous = self.events[-1] if len(self.events) > self.paragraph_start else None
        if previous is None or not ends_pattern().search(text):
            return
        start, end = previous.dates.start, previous.dates.end
        if start == end and sort_key(start) < sort_key(dates.end):
            previous.dates = DateRange(start, dates.end, inferred=previous.dates.inferred or dates.inferred)

    def may_be_place(self, entity: EntityRef) -> bool:
        """Not a commander of the infobox, nor a page whose title says it is an event ([[第一次世界大战|一战]])."""
        return entity.key_title not in self.people and not has_event_word(entity.key_title)


def names_pattern(names: dict[str, EntityRef] | None) -> re.Pattern | None:
    """One alternation of the names, longest first, so that each place in the text is matched once."""
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))


def is_apparatus(sections: list[Section], index: int | None) -> bool:
    """References, notes, further reading, see also… (graph/data/date_words.yaml), or a sub-section of one."""
    names = {re.sub(r"\s+", "", str(n)).casefold() for n in timeline_words()["apparatus_sections"]}
    while index is not None:
        if re.sub(r"\s+", "", sections[index].title).casefold() in names:
            return True
        index = sections[index].parent
    return False


def contiguous_runs(nodes: list[tuple[object, int]]) -> list[list[tuple[object, int]]]:
    """Split where a node was left out (the infobox), so that offsets stay true within each run."""
    runs: list[list[tuple[object, int]]] = []
    expected = None
    for node, offset in nodes:
        if offset != expected:
            runs.append([])
        runs[-1].append((node, offset))
        expected = offset + len(str(node))
    return runs


@dataclass(frozen=True)
class PlacePatterns:
    before: re.Pattern  # a place word at the end of the text before a link
    phrase: re.Pattern  # a place word, then a phrase ending in 的/——, at the end of the text before a link
    not_after: re.Pattern  # at the start of the text after the link: a circumstance (在[[X]]斡旋下)
    not_before: re.Pattern  # an agent ("mediation of")
    troops_after: re.Pattern  # after a link reached through a phrase: troops, not a place
    attacked_before: re.Pattern  # 向/对 right before the link…
    attacked_after: re.Pattern  # …and an attack right after it


def word_alt(words: list[str]) -> str:
    """Alternation of words; an ASCII word must not end another word ("in" is not the end of "within")."""
    return "|".join((r"(?<![A-Za-z])" if re.match(r"[A-Za-z]", w) else "") + re.escape(w).replace(r"\ ", r"\s+")
                    for w in sorted(map(str, words), key=len, reverse=True))


@lru_cache(maxsize=1)
def place_patterns() -> PlacePatterns:
    data = load("templates")
    words = word_alt(data["place_words"])
    ends = "|".join(re.escape(w) for w in data["place_phrase_ends"])
    return PlacePatterns(
        before=re.compile(rf"(?:{words})了?\s*$", re.IGNORECASE),
        phrase=re.compile(rf"(?:{words})了?[^，。；、,;:()（）\[\]]{{1,15}}?(?:{ends})\s*$", re.IGNORECASE),
        not_after=re.compile(rf"^(?:的)?[^，。；,;]{{0,12}}?(?:{'|'.join(map(re.escape, data['not_place_after']))})"),
        not_before=re.compile(rf"(?:{word_alt(data['not_place_before'])})\s*$", re.IGNORECASE),
        troops_after=re.compile(rf"^[^，。；,;]{{0,12}}?(?:{word_alt(data['not_place_after_phrase'])})"),
        attacked_before=re.compile(rf"(?:{word_alt(data['place_of_attack']['before'])})\s*$"),
        attacked_after=re.compile(rf"^[^，。；,;]{{0,4}}?(?:{word_alt(data['place_of_attack']['after'])})"))


def used_as_place(p: PlacePatterns, before: str, after: str) -> bool:
    if p.not_before.search(before) or p.not_after.search(after):
        return False
    return bool(p.before.search(before) or p.phrase.search(before) and not p.troops_after.search(after)
                or p.attacked_before.search(before) and p.attacked_after.search(after))


def place_of(item: Item, mentions, names: dict[str, EntityRef] | None = None,
             start: int = 0, end: int | None = None, pattern: re.Pattern | None = None) -> EntityRef | None:
    """The place of a sentence: the first link the text uses as a place, right after 在/于/at/in/near/took… or
    after such a word and a phrase ending in 的/—— (graph/data/templates.yaml); not 在[[X]]斡旋下 (a
    circumstance). A name the article links elsewhere counts as a link where it is written unlinked. Of
    "在纳戈尔诺-卡拉巴赫的[[阿斯凯兰]]", the place within the other (阿斯凯兰)."""
    p = place_patterns()
    text = item.text
    end = len(text) if end is None else end
    found: list[tuple[int, int, EntityRef]] = []
    for m in mentions:
        if used_as_place(p, text[max(start, m.start - 24):m.start], text[m.end:m.end + 20]):
            found.append((m.start, m.end, m.entity))
    taken = [(m.start, m.end) for m in mentions]
    pattern = pattern or names_pattern(names)
    for hit in pattern.finditer(text, start, end) if pattern is not None else ():
        at, stop = hit.start(), hit.end()
        if any(a <= at < b for a, b in taken + [(f[0], f[1]) for f in found]) or not name_boundary(text, at, stop):
            continue
        if used_as_place(p, text[max(start, at - 24):at], text[stop:stop + 20]):
            found.append((at, stop, names[hit.group()]))
    found.sort(key=lambda f: f[0])
    for i, (_, stop, entity) in enumerate(found):
        inner = found[i + 1][0] if i + 1 < len(found) else None
        between = text[stop:inner] if inner is not None else ""
        if (inner is not None and len(between) <= 6 and ("的" in between or "'s" in between)
                and not CLAUSE_END.search(between) and p.phrase.search(text[max(0, inner - 24):inner])):
            continue  # 在[[X]]（中部）的[[Y]]: Y, which lies in X
        return entity
    return None


def common_noun(shown: str) -> bool:
    """A link shown in lower case ("[[silver mining#Americas|silver mining]]") names a kind of thing, not a
    participant; its section still mentions it."""
    return bool(re.match(r"[a-z]", shown.strip()))


def has_event_word(title: str) -> bool:
    folded = title.lower()
    return any(w in folded for w in load("templates")["sub_event_words"])


def link_names(page: Page, lang: str) -> dict[str, EntityRef]:
    """Names the page links plainly somewhere ([[巴库]], [[Gibraltar]]): the same words unlinked elsewhere name the
    same thing. Longest first; a Chinese name of 2 characters or more, an English one capitalised."""
    names: dict[str, EntityRef] = {}
    for link in page.code.filter_wikilinks():
        title = str(link.title).strip()
        shown = clean_spaces(link.text.strip_code()) if link.text is not None else title
        if ":" in title or "#" in title or shown != title.replace("_", " ") or shown in names:
            continue
        if len(shown) < 2 or (re.match(r"[A-Za-z]", shown) and (len(shown) < 4 or not shown[0].isupper())):
            continue
        ref = entities.from_wikilink(title, shown, lang)
        if ref is not None:
            names[shown] = ref
    return dict(sorted(names.items(), key=lambda kv: -len(kv[0])))


def name_boundary(text: str, a: int, b: int) -> bool:
    """An ASCII name must be a whole word; a Chinese one may touch anything."""
    if re.match(r"[A-Za-z]", text[a]):
        return not (a > 0 and text[a - 1].isalnum()) and not (b < len(text) and text[b].isalnum())
    return True


def clean_label(text: str) -> str:
    """The sentence; when longer than MAX_LABEL, without its parentheses first, then cut."""
    text = clean_spaces(text)
    if len(text) > MAX_LABEL:
        text = clean_spaces(PARENTHESES.sub("", text))
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"




def read_body(page: Page, lang: str, people: frozenset[str] = frozenset()) -> BodyReader:
    """``people``: titles the infobox names as commanders, never a place."""
    reader = BodyReader(page, lang, people)
    reader.read()
    return reader


__all__ = ["read_body", "find_dates", "sentences", "RefMarker"]
