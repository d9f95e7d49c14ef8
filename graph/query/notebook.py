"""Query results for notebooks: a pandas DataFrame when pandas is installed, else a list of dicts."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.query.engine import Row, run_query
from graph.query.params import bind


def sparql(store: ox.Store, query: str | Path, **params: object):
    """Run a query (text, a path such as ``queries/commanders.rq``, or a named query such as ``"commanders"``)
    with ``?name`` fixed to each param, as ``wikikg query --param`` does.

    >>> from graph import build_graph, sparql
    >>> store = build_graph(["seeds/zh_first_nagorno_karabakh_war.wiki"])
    >>> sparql(store, "commanders", side=2)   # doctest: +SKIP
    """
    text = _query_text(query)
    binding = bind(text, [f"{k}={v}" for k, v in params.items()])
    names, rows = run_query(store, binding.query)
    records = [{n: _python_value(row, n) for n in names} for row in binding.keep(rows)]
    try:
        import pandas as pd
    except ImportError:
        return records
    return pd.DataFrame.from_records(records, columns=names)


def _query_text(query: str | Path) -> str:
    from graph.query.named import NAME, named_query

    if _is_path(query):
        return Path(query).read_text(encoding="utf-8")
    if NAME.fullmatch(str(query)):
        return named_query(str(query)).text
    return str(query)


def _is_path(value: str | Path) -> bool:
    return isinstance(value, Path) or (len(str(value)) < 4096 and str(value).endswith(".rq") and Path(value).exists())


def _python_value(row: Row, name: str):
    term = row[name]
    if term is None:
        return None
    if term.datatype and term.datatype.endswith(("#integer", "#int", "#long")):
        return int(term.value)
    if term.datatype and term.datatype.endswith(("#decimal", "#double", "#float")):
        return float(term.value)
    if term.datatype and term.datatype.endswith("#boolean"):
        return term.value == "true"
    return term.value
