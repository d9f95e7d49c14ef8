"""An item's statements with their qualifiers, as wikidata-diff compares them: from the offline index, any
Wikidata-shaped SPARQL endpoint (a local store, or the Wikidata Query Service itself).

One value model for both: an item (QID), a time (year, month, day, precision as Wikidata numbers it: 9 year,
10 month, 11 day), a quantity (amount with its lower and upper bounds) or a string. Years are as historians
write them (no year 0), as Wikidata's JSON does; the SPARQL layout's astronomical years are turned back.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from graph.data.vocab import load
from graph.errors import InputError
from graph.wikidata.reconcile.backend import BackendError, batches

PRECISION_YEAR, PRECISION_MONTH, PRECISION_DAY = 9, 10, 11
_QID = re.compile(r"^Q[1-9][0-9]*$")
_PID = re.compile(r"^P[1-9][0-9]*$")
_JSON_TIME = re.compile(r"^([+-]?)(\d+)-(\d\d)-(\d\d)T")
_XSD_TIME = re.compile(r"^(-?)(\d+)-(\d\d)-(\d\d)")
WD = "http://www.wikidata.org/entity/"
JULIAN_QID = "Q1985786"  # proleptic Julian calendar, as Wikidata's calendarmodel names it


@dataclass(frozen=True)
class Time:
    year: int
    month: int = 0
    day: int = 0
    precision: int = PRECISION_DAY

    def at(self, precision: int) -> tuple[int, ...]:
        """The date cut to ``precision``: what two dates of different precision can be compared on."""
        parts = (self.year, self.month, self.day)
        return parts[:{PRECISION_YEAR: 1, PRECISION_MONTH: 2}.get(precision, 3)] if precision >= PRECISION_YEAR \
            else (self.year // 10 ** (PRECISION_YEAR - precision),)

    def __str__(self) -> str:
        sign = "-" if self.year < 0 else ""
        text = f"{sign}{abs(self.year):04d}"
        if self.precision >= PRECISION_MONTH:
            text += f"-{self.month:02d}"
        if self.precision >= PRECISION_DAY:
            text += f"-{self.day:02d}"
        return text


@dataclass(frozen=True)
class Value:
    """One value of a statement or qualifier; exactly one of the fields is set."""
    item: str | None = None
    time: Time | None = None
    low: float | None = None   # a quantity: its lower bound (the amount when it has none)
    high: float | None = None  # its upper bound
    text: str | None = None

    def __str__(self) -> str:
        if self.item:
            return self.item
        if self.time:
            return str(self.time)
        if self.low is not None:
            return figure_text(self.low, self.high)
        return self.text or ""


@dataclass(frozen=True)
class Statement:
    prop: str
    value: Value
    qualifiers: dict[str, tuple[Value, ...]] = field(default_factory=dict, hash=False)
    rank: str = "normal"

    def qualifier_items(self, pid: str) -> frozenset[str]:
        return frozenset(v.item for v in self.qualifiers.get(pid, ()) if v.item)


def figure_text(low: float, high: float | None) -> str:
    def number(x: float) -> str:
        return str(int(x)) if float(x).is_integer() else repr(x)

    return number(low) if high is None or high == low else f"{number(low)}–{number(high)}"


class StatementSource(Protocol):
    name: str

    def statements(self, qids: Sequence[str], props: Collection[str]) -> dict[str, list[Statement]]:
        """QID → its statements of ``props`` (deprecated ones left out); an unknown QID is absent."""


def compared_properties() -> dict[str, str]:
    """name → PID of the statements wikidata-diff compares (graph/data/wikidata_properties.yaml)."""
    return {name: spec["pid"] for name, spec in load("wikidata_properties")["statements"].items()}


# ---------------------------------------------------------------- JSON-dump values (the offline index)

def value_from_json(value: Any) -> Value | None:
    """A JSON-dump datavalue's value → Value; a shape this does not know gives None."""
    if isinstance(value, str):
        return Value(text=value)
    if not isinstance(value, dict):
        return None
    if isinstance(value.get("id"), str):
        return Value(item=value["id"])
    if isinstance(value.get("time"), str):
        m = _JSON_TIME.match(value["time"])
        if not m:
            return None
        year = int(m.group(2)) * (-1 if m.group(1) == "-" else 1)
        precision = value.get("precision") if isinstance(value.get("precision"), int) else PRECISION_DAY
        return Value(time=Time(year, int(m.group(3)), int(m.group(4)), precision))
    if isinstance(value.get("amount"), str):
        amount = _number(value["amount"])
        if amount is None:
            return None
        return Value(low=_number(value.get("lowerBound")) or amount, high=_number(value.get("upperBound")) or amount)
    return None


def _number(text: Any) -> float | None:
    try:
        return float(text) if isinstance(text, str | int | float) else None
    except ValueError:
        return None


class IndexStatements:
    """Statements kept by ``wikikg wikidata-index build`` (table ``statements``)."""

    def __init__(self, path: str) -> None:
        from graph.wikidata.index import WikidataIndex

        self.index = WikidataIndex(path)
        if not self.index.has_statements():
            raise InputError(f"{path}: this index keeps no statements (built by an older wikikg); rebuild it "
                             "with: wikikg wikidata-index build DUMP -o INDEX")
        self.name = f"offline index {path}"

    def statements(self, qids: Sequence[str], props: Collection[str]) -> dict[str, list[Statement]]:
        found: dict[str, list[Statement]] = {}
        for qid in dict.fromkeys(qids):
            if self.index.entity(qid) is None:
                continue
            found[qid] = []
            for prop, rank, raw, raw_qualifiers in self.index.statements(qid, props):
                value = value_from_json(raw)
                if value is None:
                    continue
                qualifiers = {pid: tuple(v for v in map(value_from_json, values) if v is not None)
                              for pid, values in raw_qualifiers.items()}
                found[qid].append(Statement(prop, value, qualifiers, rank))
        return found


# ---------------------------------------------------------------- SPARQL (WDQS layout)

Transport = Callable[[str, str], dict]

_PROLOGUE = """PREFIX wd: <http://www.wikidata.org/entity/>
PREFIX p: <http://www.wikidata.org/prop/>
PREFIX ps: <http://www.wikidata.org/prop/statement/>
PREFIX psv: <http://www.wikidata.org/prop/statement/value/>
PREFIX pq: <http://www.wikidata.org/prop/qualifier/>
PREFIX wikibase: <http://wikiba.se/ontology#>
"""


class SparqlStatements:
    """Statements read from p:/ps:/psv:/pq: triples, as WDQS and ``wikikg wikidata-index rdf`` lay them out.
    QIDs and PIDs are checked against a strict pattern before they enter a query; nothing else does."""

    def __init__(self, endpoint: str, transport: Transport | None = None, batch_size: int = 20) -> None:
        from graph.wikidata.reconcile.sparql import sparqlwrapper_transport

        self.endpoint = endpoint
        self.transport: Transport = transport or sparqlwrapper_transport
        self.batch_size = batch_size
        self.name = f"SPARQL {endpoint}"

    def statements(self, qids: Sequence[str], props: Collection[str]) -> dict[str, list[Statement]]:
        qids = [q for q in dict.fromkeys(qids) if _QID.match(q)]
        props = sorted(p for p in props if _PID.match(p))
        found: dict[str, list[Statement]] = {}
        for batch in batches(qids, self.batch_size):
            values = {}
            qualifiers: dict[str, dict[str, list[Value]]] = {}
            for row in self._select(self._values_query(batch, props)):
                self._add_value(row, values)
            for row in self._select(self._qualifiers_query(batch, props)):
                value = _sparql_value(row.get("qv"))
                pid = _local(row.get("qp"), "http://www.wikidata.org/prop/qualifier/")
                if value is not None and pid:
                    qualifiers.setdefault(row["st"]["value"], {}).setdefault(pid, []).append(value)
            for qid in self._known(batch):
                found[qid] = []
            for st, (qid, prop, value, rank) in sorted(values.items()):
                quals = {pid: tuple(dict.fromkeys(vs)) for pid, vs in sorted(qualifiers.get(st, {}).items())}
                found.setdefault(qid, []).append(Statement(prop, value, quals, rank))
        return found

    def _values_query(self, qids: list[str], props: list[str]) -> str:
        triples = " ".join(f"(p:{p} ps:{p} psv:{p} \"{p}\")" for p in props)
        return (f"SELECT ?item ?prop ?st ?v ?rank ?prec ?cal ?lo ?hi WHERE {{\n"
                f"  VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }}\n"
                f"  VALUES (?p ?ps ?psv ?prop) {{ {triples} }}\n"
                f"  ?item ?p ?st . ?st ?ps ?v .\n"
                f"  OPTIONAL {{ ?st wikibase:rank ?rank }}\n"
                f"  OPTIONAL {{ ?st ?psv ?full . OPTIONAL {{ ?full wikibase:timePrecision ?prec }}\n"
                f"             OPTIONAL {{ ?full wikibase:timeCalendarModel ?cal }}\n"
                f"             OPTIONAL {{ ?full wikibase:quantityLowerBound ?lo }}\n"
                f"             OPTIONAL {{ ?full wikibase:quantityUpperBound ?hi }} }}\n}}")

    def _qualifiers_query(self, qids: list[str], props: list[str]) -> str:
        return (f"SELECT ?st ?qp ?qv WHERE {{\n"
                f"  VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }}\n"
                f"  VALUES ?p {{ {' '.join('p:' + p for p in props)} }}\n"
                f"  ?item ?p ?st . ?st ?qp ?qv .\n"
                f"  FILTER(STRSTARTS(STR(?qp), STR(pq:)))\n}}")

    def _known(self, qids: list[str]) -> list[str]:
        query = (f"SELECT DISTINCT ?item WHERE {{ VALUES ?item {{ {' '.join('wd:' + q for q in qids)} }} "
                 f"?item ?any ?o }}")
        return [q for q in (_local(r.get("item"), WD) for r in self._select(query)) if q]

    @staticmethod
    def _add_value(row: dict, values: dict) -> None:
        rank = _local(row.get("rank"), "http://wikiba.se/ontology#") or "NormalRank"
        if rank == "DeprecatedRank":
            return
        value = _sparql_value(row.get("v"), row.get("prec"), row.get("lo"), row.get("hi"),
                              julian=_local(row.get("cal"), WD) == JULIAN_QID)
        qid = _local(row.get("item"), WD)
        if value is not None and qid:
            values[row["st"]["value"]] = (qid, row["prop"]["value"], value,
                                          "preferred" if rank == "PreferredRank" else "normal")

    def _select(self, query: str) -> list[dict]:
        answer = self.transport(self.endpoint, _PROLOGUE + query)
        try:
            return [b for b in answer["results"]["bindings"] if isinstance(b, dict)]
        except (KeyError, TypeError):
            raise BackendError(f"{self.endpoint}: the answer is not SPARQL JSON results") from None


def _local(binding: dict | None, base: str) -> str | None:
    value = binding.get("value") if isinstance(binding, dict) else None
    return value[len(base):] if isinstance(value, str) and value.startswith(base) else None


def _sparql_value(binding: dict | None, precision: dict | None = None, low: dict | None = None,
                  high: dict | None = None, julian: bool = False) -> Value | None:
    if not isinstance(binding, dict):
        return None
    text = binding.get("value", "")
    if binding.get("type") == "uri":
        qid = _local(binding, WD)
        return Value(item=qid) if qid else Value(text=text)
    datatype = binding.get("datatype", "")
    if datatype.endswith("#dateTime"):
        m = _XSD_TIME.match(text)
        if not m:
            return None
        year, month, day = int(m.group(2)) * (-1 if m.group(1) else 1), int(m.group(3)), int(m.group(4))
        prec = int(precision["value"]) if isinstance(precision, dict) else PRECISION_DAY
        if julian and prec >= PRECISION_DAY:
            # WDQS gives day-precision Julian dates in the Gregorian calendar; the item (and the article, and the
            # JSON dump) says them in the Julian one: turned back, so 1460-12-30 stays 1460-12-30
            year, month, day = gregorian_to_julian(year, month, day)
        year = year - 1 if year <= 0 else year  # astronomical (0 = 1 BCE) → as Wikidata's JSON writes it
        return Value(time=Time(year, month, day, prec))
    if datatype.endswith(("#decimal", "#integer", "#double")):
        amount = _number(text)
        if amount is None:
            return None
        lo = _number(low.get("value")) if isinstance(low, dict) else None
        hi = _number(high.get("value")) if isinstance(high, dict) else None
        return Value(low=amount if lo is None else lo, high=amount if hi is None else hi)
    return Value(text=text)


def gregorian_to_julian(year: int, month: int, day: int) -> tuple[int, int, int]:
    """Proleptic Gregorian → proleptic Julian date (astronomical years), through the Julian day number: the
    inverse of wikibase_rdf.julian_to_gregorian."""
    a = (14 - month) // 12
    y, m = year + 4800 - a, month + 12 * a - 3
    jdn = day + (153 * m + 2) // 5 + 365 * y + y // 4 - y // 100 + y // 400 - 32045
    c = jdn + 32082
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    n = (5 * e + 2) // 153
    return d - 4800 + n // 10, n + 3 - 12 * (n // 10), e - (153 * n + 2) // 5 + 1


def open_statements(offline: str | None = None, endpoint: str | None = None, contact: str | None = None,
                    timeout: float | None = None, retries: int | None = None) -> StatementSource:
    """The offline index if given, else a SPARQL endpoint, else the Wikidata Query Service (live, politely:
    the reconciler's client, with its User-Agent and retries)."""
    if offline:
        return IndexStatements(offline)
    from graph.wikidata.reconcile.http import HttpClient, RetryPolicy, user_agent
    from graph.wikidata.reconcile.live import WDQS_URL

    policy = RetryPolicy(**{k: v for k, v in (("timeout", timeout), ("max_attempts", retries)) if v is not None})
    client = HttpClient(user_agent(contact), policy)
    return SparqlStatements(endpoint or WDQS_URL, transport=client.sparql)
