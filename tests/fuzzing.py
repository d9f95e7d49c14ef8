"""Mutations of real articles and the properties every build must keep, for the fuzz tests and bench/fuzz.py.

A mutation is a function ``mutate(text, chooser) -> text``. The chooser makes every random decision
and logs it, so the same mutations run under hypothesis (``HypothesisChooser``: each decision is a
draw, so failures shrink) and under a plain ``random.Random`` (``RandomChooser``: bench/fuzz.py).

Properties of one case (``check_case``): ``build`` raises nothing but ``InputError``, and that only for
empty / whitespace-only text (or a NUL byte: binary input); the Turtle parses strictly with
pyoxigraph; the build does not hang (``hang_bound``: minutes, not a speed verdict: the test suite must
pass on a busy machine; bench/fuzz.py adds a speed bound). SHACL conformance is checked on batches of
cases (``ShaclBatcher``): each case is built with its own title, so its conflict, sides and
statements have their own IRIs, and one pySHACL run checks the union; a failing batch is split
until the failing case(s) are found.
"""

from __future__ import annotations

import functools
import random
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from graph.errors import InputError
from graph.pipeline import build
from graph.rdf.serialize import to_bytes
from graph.wikitext.read import decode_source

GIANT_TEST_BUDGET = 40_000  # characters a giant case of the test suite adds at most (bench/fuzz.py: no limit)
# A case still running after HANG_SECONDS (plus HANG_SECONDS_PER_MB for its size) hangs: it is interrupted
# (POSIX, main thread only) and fails. Cases take well under a second (a 2.5 MB page: ~20 s on a quiet
# machine), so only a hang or a blow-up reaches this, however busy the machine.
HANG_SECONDS = 120.0
HANG_SECONDS_PER_MB = 60.0
BINARY_SNIFF_BYTES = 65536  # graph.wikitext.read.decode_source looks for NUL bytes in this many leading bytes

# --------------------------------------------------------------------------------------------------
#  Articles
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Article:
    name: str
    text: str


def load_articles(seed: Path, fixtures: Path | None) -> list[Article]:
    """The seed and every ``*.wiki`` of the shared fixtures (when there), decoded like the CLI does."""
    paths = [seed] + (sorted(fixtures.glob("*.wiki")) if fixtures is not None and fixtures.is_dir() else [])
    return [Article(p.stem, decode_source(str(p), p.read_bytes()).text) for p in paths]


# --------------------------------------------------------------------------------------------------
#  Choosers: where the randomness comes from
# --------------------------------------------------------------------------------------------------


class Chooser:
    """Every random decision of a mutation; ``log`` records what was done (a readable reproducer)."""

    def __init__(self) -> None:
        self.log: list[str] = []

    def integer(self, lo: int, hi: int) -> int:
        raise NotImplementedError

    def choice(self, options: Sequence):
        raise NotImplementedError

    def any_char(self) -> str:
        """Any code point but a surrogate (impossible in UTF-8) and NUL (makes the input binary)."""
        raise NotImplementedError

    def note(self, message: str) -> None:
        self.log.append(message)


class RandomChooser(Chooser):
    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def integer(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def choice(self, options: Sequence):
        return options[self.rng.randrange(len(options))]

    def any_char(self) -> str:
        top = 0xFFFF if self.rng.random() < 0.7 else 0x10FFFF  # mostly the BMP, where assigned characters are
        while True:
            cp = self.rng.randint(1, top)
            if not 0xD800 <= cp <= 0xDFFF:
                return chr(cp)


class HypothesisChooser(Chooser):
    """Decisions drawn from hypothesis strategies (``draw`` of ``st.composite`` or ``st.data()``)."""

    def __init__(self, draw) -> None:
        super().__init__()
        from hypothesis import strategies as st

        self.draw = draw
        self.st = st

    def integer(self, lo: int, hi: int) -> int:
        return self.draw(self.st.integers(lo, hi))

    def choice(self, options: Sequence):
        return self.draw(self.st.sampled_from(options))

    def any_char(self) -> str:
        return self.draw(self.st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


# --------------------------------------------------------------------------------------------------
#  Where to mutate: the infobox (where the facts are) or anywhere
# --------------------------------------------------------------------------------------------------

INFOBOX_START = re.compile(r"\{\{\s*(?:infobox|信息框|資訊框)", re.IGNORECASE)
BRACES = re.compile(r"\{\{|\}\}")
PARAM_LINE = re.compile(r"^[ \t]*\|[^=\n]*=[^\n]*$", re.MULTILINE)


def infobox_span(text: str) -> tuple[int, int] | None:
    """(start, end) of the first infobox: its ``{{`` to just after its ``}}`` (or the text end if unclosed)."""
    m = INFOBOX_START.search(text)
    if not m:
        return None
    depth = 0
    for b in BRACES.finditer(text, m.start()):
        depth += 1 if b.group() == "{{" else -1
        if depth == 0:
            return m.start(), b.end()
    return m.start(), len(text)


def param_lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each ``|name = value`` line of the infobox (of the whole text if it has none)."""
    span = infobox_span(text)
    lo, hi = span if span else (0, len(text))
    return [(m.start(), m.end()) for m in PARAM_LINE.finditer(text, lo, hi)]


def position(text: str, c: Chooser) -> int:
    """An insertion point: half the time inside the infobox."""
    span = infobox_span(text)
    if span and c.integer(0, 1):
        return c.integer(*span)
    return c.integer(0, len(text))


def pick_param(text: str, c: Chooser) -> tuple[int, int, int] | None:
    """A parameter line: (line start, value start, line end), or None if there is none."""
    lines = param_lines(text)
    if not lines:
        return None
    start, end = lines[c.integer(0, len(lines) - 1)]
    return start, text.index("=", start) + 1, end


def pick_line(text: str, c: Chooser) -> tuple[int, int]:
    """A parameter line, or any line when there is no parameter."""
    lines = param_lines(text)
    if lines:
        return lines[c.integer(0, len(lines) - 1)]
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    start = starts[c.integer(0, len(starts) - 1)]
    end = text.find("\n", start)
    return start, len(text) if end < 0 else end


# --------------------------------------------------------------------------------------------------
#  Mutations
# --------------------------------------------------------------------------------------------------


def cut(text: str, c: Chooser) -> str:
    """Keep the head, the tail or a middle slice."""
    mode = c.choice(["head", "tail", "middle"])
    if mode == "head":
        at = c.integer(0, len(text))
        c.note(f"cut: head text[:{at}]")
        return text[:at]
    if mode == "tail":
        at = c.integer(0, len(text))
        c.note(f"cut: tail text[{at}:]")
        return text[at:]
    a = c.integer(0, len(text))
    b = c.integer(a, len(text))
    c.note(f"cut: middle text[{a}:{b}]")
    return text[a:b]


MARKUP = {
    "{{": r"\{\{",
    "}}": r"\}\}",
    "[[": r"\[\[",
    "]]": r"\]\]",
    "{|": r"\{\|",
    "|}": r"\|\}",
    "<ref>": r"<ref(?:\s[^<>/]*)?>",
    "</ref>": r"</ref\s*>",
    '<ref name="x"/>': r"<ref[^<>]*/>",
    "|": r"\|",
    "=": r"=",
    "'''": r"'''",
}


def markup(text: str, c: Chooser) -> str:
    """Delete, duplicate or copy elsewhere 1–6 occurrences of wiki markup."""
    for _ in range(c.integer(1, 6)):
        token = c.choice(list(MARKUP))
        found = [(m.start(), m.end()) for m in re.finditer(MARKUP[token], text)]
        if not found:
            at = position(text, c)
            c.note(f"markup: insert {token!r} at {at}")
            text = text[:at] + token + text[at:]
            continue
        start, end = found[c.integer(0, len(found) - 1)]
        snippet = text[start:end]
        op = c.choice(["delete", "duplicate", "copy"])
        if op == "delete":
            text = text[:start] + text[end:]
        elif op == "duplicate":
            text = text[:end] + snippet + text[end:]
        else:
            at = position(text, c)
            text = text[:at] + snippet + text[at:]
            op = f"copy to {at}"
        c.note(f"markup: {op} {snippet!r} at {start}")
    return text


CONTROL = [chr(i) for i in range(1, 32)] + [chr(i) for i in range(0x7F, 0xA0)] + ["\u2028", "\u2029"]
EMOJI = ["😀", "👨\u200d👩\u200d👧", "🇦🇲", "🏳️\u200d🌈", "❤️", "👍🏽", "🧑🏿\u200d🚀", "🀄"]
RTL = ["שלום", "مرحبا", "\u202e", "\u200f", "\u202b", "\u2067", "عربي [[رابط]] ", "\u202eabc\u202c", "ש|ל=ום"]
SPECIAL = list('<>{}|^`\\"') + ["&amp;", "&nbsp;", "&#0;", "&#xD800;", "&#55296;", "&#x10FFFF;", "&#1114112;",
                                 "&#x1F600;", "&bogus;", "]]]", "{{{", "}}}", "{{{1}}}", "~~~~", "__NOTOC__",
                                 "-{", "}-", "-{zh-hans:甲;zh-hant:乙}-", "<!--", "-->", "<nowiki>", "</nowiki>",
                                 "<br>", "<br/>", "</br>", "<pre>", "<math>", "''", "'''''", "\n|", "\n}}",
                                 "\n{|", "\n|-", "\n==", "\n*", "\n#", "\n:"]
INVISIBLE = ["\u200d", "\u200c", "\u200b", "\ufeff", "\u2060", "\u00ad", "\u034f", "\u0301", "\u3000", "\xa0"]
REPLACEMENT = ["\ufffd", "\ufffd\ufffd", "\uffff", "\ufffe", "\U0010ffff"]
POOLS = {"control": CONTROL, "emoji": EMOJI, "rtl": RTL, "special": SPECIAL, "invisible": INVISIBLE,
         "replacement": REPLACEMENT}


def unicode_noise(c: Chooser) -> str:
    kind = c.choice(["any", *POOLS])
    if kind == "any":
        return "".join(c.any_char() for _ in range(c.integer(1, 6)))
    return "".join(c.choice(POOLS[kind]) for _ in range(c.integer(1, 3)))


def insert_unicode(text: str, c: Chooser) -> str:
    """Insert 1–8 snippets of odd Unicode (no surrogates, no NUL) at random points."""
    for _ in range(c.integer(1, 8)):
        noise = unicode_noise(c)
        at = position(text, c)
        c.note(f"unicode: insert {noise!r} at {at}")
        text = text[:at] + noise + text[at:]
    return text


@functools.cache
def converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def swap_script(text: str, c: Chooser) -> str:
    """Run OpenCC simplified↔traditional over a random slice."""
    config = c.choice(["s2t", "t2s"])
    a = c.integer(0, len(text))
    b = c.integer(a, len(text))
    c.note(f"script: {config} over text[{a}:{b}]")
    return text[:a] + converter(config).convert(text[a:b]) + text[b:]


def nest(text: str, c: Chooser) -> str:
    """Wrap a parameter value (or a random point) in 50–300 levels of ``{{x|…}}`` or ``[[…]]``."""
    depth = c.integer(50, 300)
    kind = c.choice(["template", "link", "mixed"])
    balanced = c.choice([True, True, False])
    opener, closer = {"template": ("{{x|", "}}"), "link": ("[[", "]]"), "mixed": ("{{x|[[", "]]}}")}[kind]
    picked = pick_param(text, c)
    if picked is None:
        a = b = position(text, c)
    else:
        _, a, b = picked
    c.note(f"nest: {depth} x {opener!r}{'' if balanced else ' (unclosed)'} around text[{a}:{b}]")
    return text[:a] + opener * depth + text[a:b] + (closer * depth if balanced else "") + text[b:]


def giant(text: str, c: Chooser, max_added: int | None = None) -> str:
    """Repeat an infobox line 1,000–20,000 times: as lines (duplicate parameters) or in one value.

    ``max_added`` (characters) keeps the test suite fast: fewer repeats, then a shorter line."""
    n = c.integer(1000, 20000)
    start, end = pick_line(text, c)
    line = text[start:end]
    if max_added and n * (len(line) + 1) > max_added:
        n = max(1000, min(n, max_added // (len(line) + 1)))
        line = line[:max(max_added // n - 1, 1)]
        end = start + len(line)
        c.note(f"giant: capped at {n} x {len(line)} characters")
    if c.choice(["lines", "value"]) == "lines":
        c.note(f"giant: line text[{start}:{end}] x {n} as lines")
        return text[:end] + ("\n" + line) * n + text[end:]
    eq = line.find("=")
    value = line[eq + 1:] if eq >= 0 else line
    sep = c.choice(["<br />", "<br>", "\n", "\n* ", ", ", ""])
    c.note(f"giant: value of text[{start}:{end}] x {n} joined by {sep!r}")
    return text[:end] + (sep + value) * n + text[end:]


def giant_capped(text: str, c: Chooser) -> str:
    return giant(text, c, max_added=GIANT_TEST_BUDGET)


REDIRECT_WORDS = ["#REDIRECT", "#redirect", "#Redirect", "#重定向", "#重新導向", "# REDIRECT", "#REDIRECT:", "#転送"]
REDIRECT_TARGETS = ["X", "第一次纳戈尔诺-卡拉巴赫战争", "Battle of Wakefield#Battle", "X|y", " ", "]]", "[[X]]",
                    "{{X}}", "X\u200d", "<ref>X</ref>", "Talk:X", ":zh:X", "X_Y  Z", "\ufffd"]


def params(text: str, c: Chooser) -> str:
    """Duplicate an infobox parameter, empty one, or make the page a redirect."""
    op = c.choice(["duplicate", "duplicate", "empty", "empty-name", "redirect"])
    picked = pick_param(text, c)
    if op == "redirect" or picked is None:
        word = c.choice(REDIRECT_WORDS)
        target = c.choice(REDIRECT_TARGETS)
        keep = c.choice(["nothing", "the article", "the infobox"])
        rest = {"nothing": "", "the article": text}.get(keep)
        if rest is None:
            span = infobox_span(text)
            rest = text[span[0]:span[1]] if span else text
        c.note(f"params: redirect {word} [[{target}]] followed by {keep}")
        return f"{word} [[{target}]]\n{rest}"
    start, value_start, end = picked
    line = text[start:end]
    if op == "duplicate":
        where = c.choice(["after", "before", "infobox end"])
        value = c.choice(["same", "empty", "other"])
        copy = {"same": line, "empty": text[start:value_start]}.get(value)
        if copy is None:
            other = pick_param(text, c)
            copy = text[start:value_start] + (text[other[1]:other[2]] if other else " X")
        span = infobox_span(text)
        if where == "after" or span is None:
            at = end
        elif where == "before":
            at = max(start - 1, 0)
        else:
            close = text.rfind("}}", span[0], span[1])
            at = close if close >= 0 else end
        c.note(f"params: duplicate text[{start}:{end}] ({value} value) at {at}")
        return text[:at] + "\n" + copy + text[at:]
    if op == "empty":
        c.note(f"params: empty the value text[{value_start}:{end}]")
        return text[:value_start] + text[end:]
    c.note(f"params: empty the name text[{start}:{value_start}]")
    return text[:start] + "|=" + text[value_start:]


def insert_nul(text: str, c: Chooser) -> str:
    """NUL bytes: binary input, rejected by decode_source when one is in the first 64 KiB."""
    for _ in range(c.integer(1, 3)):
        at = c.integer(0, len(text))
        c.note(f"nul: insert NUL at {at}")
        text = text[:at] + "\x00" + text[at:]
    return text


Mutation = Callable[[str, Chooser], str]
CHAOS_PARTS: list[Mutation] = [cut, markup, insert_unicode, swap_script, params]


def chaos(text: str, c: Chooser) -> str:
    """2–4 of the cheap mutations in a row."""
    for _ in range(c.integer(2, 4)):
        text = c.choice(CHAOS_PARTS)(text, c)
    return text


FAMILIES: dict[str, Mutation] = {
    "cut": cut,
    "markup": markup,
    "unicode": insert_unicode,
    "script": swap_script,
    "nest": nest,
    "giant": giant,
    "params": params,
    "chaos": chaos,
    "nul": insert_nul,
}
# how often bench/fuzz.py picks each family (the slow ones rarely)
WEIGHTS = {"cut": 16, "markup": 20, "unicode": 16, "script": 8, "nest": 3, "giant": 1, "params": 14, "chaos": 18,
           "nul": 4}


@dataclass
class Case:
    case_id: str
    family: str
    article: str
    text: str
    log: list[str] = field(default_factory=list)

    def describe(self) -> str:
        return (f"{self.case_id} [{self.family}] of {self.article}, {len(self.text):,} chars / "
                f"{len(self.text.encode('utf-8')):,} bytes: " + "; ".join(self.log))


def make_case(case_id: str, family: str, articles: Sequence[Article], c: Chooser,
              mutation: Mutation | None = None) -> Case:
    article = c.choice(list(articles))
    text = (mutation or FAMILIES[family])(article.text, c)
    return Case(case_id, family, article.name, text, c.log)


def random_case(seed: int, index: int, articles: Sequence[Article]) -> Case:
    """Case ``index`` of run ``seed``: reproducible on its own, whatever the number of jobs."""
    rng = random.Random(f"{seed}:{index}")
    family = rng.choices(list(WEIGHTS), weights=list(WEIGHTS.values()))[0]
    return make_case(f"case {index}", family, articles, RandomChooser(rng))


# --------------------------------------------------------------------------------------------------
#  Properties
# --------------------------------------------------------------------------------------------------


class CaseTimeout(BaseException):  # not an Exception: graph code that catches those must not swallow it
    pass


@dataclass
class Outcome:
    case: Case
    seconds: float = 0.0
    triples: list = field(default_factory=list)  # parsed back from the Turtle
    input_error: str | None = None
    failure: str | None = None  # what went wrong, with the traceback's last lines

    def report(self) -> str:
        return f"{self.case.describe()}\n  {self.seconds:.2f} s\n  {self.failure}"


# Failures already reported (see the regression table of tests/test_fuzz.py): (id, what, applies to outcome)
# Failures reported and not yet fixed: (id, what, applies to outcome). The fuzzer counts them instead of
# failing; all that it found so far are fixed (see the regression table of tests/test_fuzz.py).
KNOWN_ISSUES: list[tuple[str, str, Callable[[Outcome], bool]]] = []


def known_issue(outcome: Outcome) -> str | None:
    """The id of the reported issue this failure is an instance of, if any."""
    for issue, _, applies in KNOWN_ISSUES:
        if outcome.failure and applies(outcome):
            return issue
    return None


def expected_input_error(text: str) -> bool:
    data = text.encode("utf-8")
    return not text.lstrip("\ufeff").strip() or b"\x00" in data[:BINARY_SNIFF_BYTES]


def last_lines(exc: BaseException, n: int = 6) -> str:
    lines = "".join(traceback.format_exception(exc)).rstrip().splitlines()
    return "\n    ".join(lines[-n:])


def check_case(case: Case, title: str | None = None, hang_seconds: float | None = None,
               speed_limit: Callable[[str], float] | None = None) -> Outcome:
    """Build one case and check the per-case properties; never raises (but KeyboardInterrupt).

    A build still running after ``hang_seconds`` (default ``hang_bound`` of the text) is interrupted (POSIX,
    main thread only) and fails. ``speed_limit(text)``, for benchmarks only, fails a case that took longer."""
    out = Outcome(case)
    if hang_seconds is None:
        hang_seconds = hang_bound(case.text)

    def alarm(signum, frame):
        raise CaseTimeout(f"still running after {hang_seconds:.1f} s")

    guard = threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")
    if guard:
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.setitimer(signal.ITIMER_REAL, hang_seconds)
    started = time.perf_counter()
    try:
        source = decode_source(f"{case.case_id}.wiki", case.text.encode("utf-8"))
        result = build(source, title=title or f"fuzz {case.case_id}")
        data = to_bytes(result.sink.sorted())
        out.seconds = time.perf_counter() - started
    except InputError as e:
        out.seconds = time.perf_counter() - started
        out.input_error = str(e)
        if not expected_input_error(case.text):
            out.failure = f"InputError on non-empty text: {e}"
        return out
    except CaseTimeout as e:
        out.seconds = time.perf_counter() - started
        out.failure = f"hangs: {e}, for {len(case.text):,} characters ({len(case.text.encode('utf-8')):,} bytes)"
        return out
    except Exception as e:  # noqa: BLE001 - any other exception is the finding
        out.seconds = time.perf_counter() - started
        out.failure = f"{type(e).__name__}: {e}\n    {last_lines(e)}"
        return out
    finally:
        if guard:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    if expected_input_error(case.text):
        out.failure = "no InputError for empty or binary input"
    try:
        out.triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except Exception as e:  # noqa: BLE001
        out.failure = f"Turtle does not parse: {type(e).__name__}: {e}"
    size = f"{len(case.text):,} characters ({len(case.text.encode('utf-8')):,} bytes)"
    if out.failure is None and out.seconds > hang_seconds:  # no alarm off the main thread: judged afterwards
        out.failure = f"hangs: {out.seconds:.1f} s > {hang_seconds:.0f} s for {size}"
    limit = speed_limit(case.text) if speed_limit is not None else None
    if out.failure is None and limit is not None and out.seconds > limit:
        out.failure = f"too slow: {out.seconds:.1f} s > {limit:.0f} s for {size}"
    return out


def hang_bound(text: str) -> float:
    """When a build of ``text`` hangs: minutes, linear in the input; not a speed figure (see bench/fuzz.py)."""
    return HANG_SECONDS + HANG_SECONDS_PER_MB * len(text.encode("utf-8")) / 1_000_000


# --------------------------------------------------------------------------------------------------
#  SHACL, in batches
# --------------------------------------------------------------------------------------------------

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class ShaclBatcher:
    """Collect cases' triples; validate their union with one pySHACL run every ``size`` cases.

    Only the triples the shapes can look at are kept: those whose predicate is an ``sh:path`` of the
    shapes, plus ``rdf:type`` and ``rdfs:subClassOf`` (targets and ``sh:class``). With inference
    "none" this gives the same result as the whole graph, at a third of the cost. (If a shape ever
    uses a complex path, everything is kept.)
    """

    def __init__(self, shapes_path: Path, size: int = 150) -> None:
        import rdflib

        self.rdflib = rdflib
        self.shapes = rdflib.Graph().parse(shapes_path)
        paths = list(self.shapes.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#path")))
        self.predicates: set[str] | None = None
        if all(isinstance(p, rdflib.URIRef) for p in paths):
            self.predicates = {str(p) for p in paths} | {RDF_TYPE, SUBCLASS_OF}
        self.size = size
        self.pending: list[tuple[str, list]] = []
        self.validated = 0

    def keep(self, triples: list) -> list:
        if self.predicates is None:
            return triples
        return [t for t in triples if t.predicate.value in self.predicates]

    def add(self, description: str, triples: list) -> list[str]:
        """Add a case; returns SHACL failures when this completed a batch."""
        self.pending.append((description, self.keep(triples)))
        return self.flush() if len(self.pending) >= self.size else []

    def flush(self) -> list[str]:
        batch, self.pending = self.pending, []
        self.validated += len(batch)
        return self._failures(batch) if batch else []

    def _report(self, batch: list[tuple[str, list]]) -> str | None:
        import pyshacl

        graph = self.rdflib.Graph()
        for _, triples in batch:
            for t in triples:
                graph.add((self.term(t.subject), self.term(t.predicate), self.term(t.object)))
        conforms, _, text = pyshacl.validate(graph, shacl_graph=self.shapes, inference="none")
        return None if conforms else text

    def term(self, term):
        """pyoxigraph term → rdflib term, directly: rdflib's N-Triples parser rejects IRIs with non-ASCII
        white space (U+00A0, U+3000, U+2028 are ucschar, allowed by RFC 3987 and RDF 1.1)."""
        rdflib = self.rdflib
        if isinstance(term, ox.NamedNode):
            return rdflib.URIRef(term.value)
        if isinstance(term, ox.BlankNode):
            return rdflib.BNode(term.value)
        if term.language:
            return rdflib.Literal(term.value, lang=term.language)
        return rdflib.Literal(term.value, datatype=rdflib.URIRef(term.datatype.value))

    def _failures(self, batch: list[tuple[str, list]]) -> list[str]:
        report = self._report(batch)
        if report is None:
            return []
        if len(batch) == 1:
            return [f"{batch[0][0]}\n  SHACL: {shorten(report)}"]
        mid = len(batch) // 2
        found = self._failures(batch[:mid]) + self._failures(batch[mid:])
        if not found:  # only the union fails: two cases share a node
            names = "\n  ".join(d for d, _ in batch)
            found = [f"the union of these cases (each conforms alone):\n  {names}\n  SHACL: {shorten(report)}"]
        return found


def shorten(report: str, lines: int = 24) -> str:
    kept = report.strip().splitlines()
    more = f"\n    … {len(kept) - lines} more lines" if len(kept) > lines else ""
    return "\n    ".join(kept[:lines]) + more
