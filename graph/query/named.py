"""The named queries (``queries/*.rq``): found by name wherever wikikg is installed, with the question each answers.

They ship inside the package (``graph/queries``, a link to the checkout's ``queries/`` folder that the wheel
copies), so ``wikikg query commanders out.ttl`` works from any folder, after ``pip install wikikg`` too. A
query's question is its leading comment: ``# Who commanded on which side? …``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError

QUERY_FOLDER = Path(__file__).resolve().parent.parent / "queries"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")  # a file name without .rq: commanders, strengths_by_party


@dataclass(frozen=True)
class NamedQuery:
    name: str
    path: Path

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def question(self) -> str:
        """The leading comment, joined: what the query answers, with its notes on columns."""
        lines = []
        for line in self.text.splitlines():
            if not line.startswith("#"):
                break
            lines.append(line.lstrip("#").strip())
        return " ".join(filter(None, lines))

    @property
    def short_question(self) -> str:
        """The question without its notes on columns (``(?fact: …)``)."""
        return self.question.split(" (?", 1)[0].strip()


def named_queries() -> list[NamedQuery]:
    """Every named query, by name."""
    return [NamedQuery(p.stem, p) for p in sorted(QUERY_FOLDER.glob("*.rq"))]


def named_query(name: str) -> NamedQuery:
    path = QUERY_FOLDER / f"{name}.rq"
    if NAME.fullmatch(name) and path.is_file():
        return NamedQuery(name, path)
    names = ", ".join(q.name for q in named_queries())
    raise InputError(f"{name}: no such query file nor named query (the named ones: {names}; "
                     "`wikikg query --list` says what each answers)")


def query_source(given: str) -> tuple[str, str]:
    """(text, name for messages) of ``given``: a .rq file when there is one by that path, else a named query."""
    path = Path(given)
    if path.is_file():
        try:
            return path.read_text(encoding="utf-8"), given
        except (OSError, UnicodeDecodeError) as e:
            raise InputError(f"{given}: cannot be read as a query: {e}") from None
    if path.suffix == ".rq" or "/" in given or "\\" in given:
        shipped = QUERY_FOLDER / path.name
        if path.parent.name != "queries" or path.suffix != ".rq" or not shipped.is_file():
            raise InputError(f"{given}: no such query file (the named queries: `wikikg query --list`)")
        return shipped.read_text(encoding="utf-8"), given  # queries/x.rq typed outside the checkout: the shipped one
    query = named_query(given)
    return query.text, query.name


def list_text() -> str:
    """What ``wikikg query --list`` prints: each name and its question."""
    queries = named_queries()
    if not queries:  # a broken install: said, not a traceback
        raise InputError(f"{QUERY_FOLDER}: no named queries there; reinstall wikikg (pip install --force-reinstall)")
    width = max(len(q.name) for q in queries)
    lines = [f"{q.name:<{width}}  {q.short_question}" for q in queries]
    return "\n".join(lines) + "\n\nrun one: wikikg query NAME DATA… (e.g. wikikg query commanders out.ttl)\n"
