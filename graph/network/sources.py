"""The sources behind facts and events, for the pages' panels and tooltips: each citation marker a subject is
``wkg:basedOn`` (or that is ``wkg:citedBy`` it), with the work it cites."""

from __future__ import annotations

from collections import defaultdict

import pyoxigraph as ox

from graph.network.projection import _iri, _select, _value, citation_label

CITATION_FIELDS = {"citationTitle": "title", "author": "author", "year": "year", "url": "url", "isbn": "isbn"}


def sources_of(store: ox.Store) -> dict[str, list[dict]]:
    """subject IRI (a fact, an event, a conflict) → its sources, each {"label", "url"?, "quote"?}, sorted by
    label: 'de Waal 2003: Black Garden…, p. 285'."""
    fields = ", ".join("wkg:" + f for f in CITATION_FIELDS)
    markers = _select(store, """SELECT DISTINCT ?s ?cit WHERE {
        { ?s wkg:basedOn ?cit } UNION { ?cit a wkg:Citation ; wkg:citedBy ?s } }""")
    details: dict[str, dict] = defaultdict(dict)
    for r in _select(store, """SELECT ?cit ?p ?v WHERE { ?cit a wkg:Citation .
            { ?cit ?p ?v FILTER (?p IN (wkg:page, wkg:quote, wkg:refKey)) }
            UNION { ?cit wkg:work ?w . ?w ?p ?v FILTER (?p IN (""" + fields + ")) } }"):
        key = _iri(r["p"]).rsplit("#", 1)[-1]
        name = {"refKey": "ref_key", **CITATION_FIELDS}.get(key, key)
        found = details[_iri(r["cit"])]
        value = str(_value(r["v"]))
        # several authors are joined; of anything else one value is kept (the first, for a stable page)
        found[name] = "; ".join(sorted({*found[name].split("; "), value})) if name == "author" and name in found \
            else min(found.get(name, value), value)
    found_by: dict[str, list[dict]] = defaultdict(list)
    for r in markers:
        subject, cit = _iri(r["s"]), _iri(r["cit"])
        if subject is None or cit is None:
            continue
        d = details.get(cit, {})
        source = {"label": citation_label({**d, "iri": cit})}
        source.update({k: d[k] for k in ("url", "quote") if d.get(k)})
        found_by[subject].append(source)
    return {s: sorted(v, key=lambda x: x["label"]) for s, v in found_by.items()}
