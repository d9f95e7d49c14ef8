"""Project the knowledge graph onto the entities people think about: RDF → a networkx MultiDiGraph.

The RDF keeps every fact as a statement node (``wkg:Belligerence``, ``wkg:Support``, …); network analysis
wants the actors themselves joined by typed edges. ``to_networkx`` reads the RDF with SPARQL (pyoxigraph,
the engine ``wikikg query`` uses) and builds a ``networkx.MultiDiGraph`` whose nodes are conflicts, sides,
parties, persons, places, citations and articles (node id = IRI) and whose edges carry a ``kind``
(``fought-on-side``, ``supported``, ``commanded``, …).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from graph.errors import InputError

WKG = "https://w3id.org/wikikg/ontology#"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/Q"

ALL_LAYERS = ("sides", "support", "command", "places", "part-of", "citations", "mentions")
DEFAULT_LAYERS = frozenset({"sides", "support", "command", "places", "part-of"})

# rdf:type → node kind; a node with several types takes the first kind in this order
# (Armenia is a wkg:Party and a wkg:Place: as an actor it matters more than as a location).
KIND_OF_TYPE = {"Conflict": "conflict", "Side": "side", "Citation": "citation", "Article": "article",
                "Person": "person", "Party": "party", "Actor": "party", "Place": "place"}
KIND_ORDER = ("conflict", "side", "citation", "article", "person", "party", "place")
ACTOR_KINDS = ("party", "person")

PREFIXES = f"""PREFIX wkg: <{WKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

# --- loading ---------------------------------------------------------------------------------------------------


def load_graph(paths: Iterable[str]) -> ox.Store:
    """Turtle, N-Triples or N-Quads files into one store, every triple once in its default graph."""
    store = ox.Store()
    for path in paths:
        _load_rdf(store, str(path))
    return store


def _load_rdf(store: ox.Store, path: str) -> None:
    from graph.query.engine import load_file

    p = Path(path)
    suffix = Path(path.removesuffix(".gz")).suffix.lstrip(".").lower()  # a build's all.nq.gz: read as it comes
    fmt = ox.RdfFormat.from_extension(suffix) if suffix else None
    if fmt is None:
        raise InputError(f"{path}: not an RDF file (.ttl, .nt, .nq) nor wikitext (.wiki)")
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give the files in it")
    try:
        load_file(store, str(p), fmt)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    except (SyntaxError, ValueError) as e:
        raise InputError(f"{path}: does not parse as {fmt.name}: {e}") from None


def build_graph(paths_or_wiki: Iterable[str], lang: str | None = None) -> ox.Store:
    """A store from .wiki files (built here, ``lang`` = their site language, default detected), folders of
    .wiki files, MediaWiki XML dumps, or RDF files (.ttl, .nt, .nq) — mixed freely."""
    from graph.wikitext.dump import is_dump

    store = ox.Store()
    for name in (str(p) for p in paths_or_wiki):
        path = Path(name)
        if path.is_dir():
            wiki = sorted(str(p) for p in path.rglob("*.wiki"))
            if not wiki:
                raise InputError(f"{name}: folder has no .wiki files")
            for w in wiki:
                _add_wiki(store, w, lang)
        elif name == "-" or path.suffix.lower() in (".wiki", ".txt", ".mediawiki"):
            _add_wiki(store, name, lang)
        elif path.exists() and is_dump(name):
            _add_dump(store, name, lang)
        else:
            _load_rdf(store, name)
    return store


def _add_wiki(store: ox.Store, name: str, lang: str | None) -> None:
    from graph.pipeline import build
    from graph.wikitext.read import read_source

    source = read_source(name)
    _add_triples(store, build(source, lang=lang, title=source.title).sink.sorted())


def _add_dump(store: ox.Store, name: str, lang: str | None) -> None:
    from graph.pipeline import build
    from graph.wikitext.dump import read_dump
    from graph.wikitext.read import source_from_text

    info, pages = read_dump(name)
    for page in pages:
        if page.text.strip():
            source = source_from_text(page.offset_hint, page.text, title=page.title)
            _add_triples(store, build(source, lang=lang or info.lang, title=page.title).sink.sorted())


def _add_triples(store: ox.Store, triples: Iterable[ox.Triple]) -> None:
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)


def article_language(store: ox.Store) -> str | None:
    """The language most of the store's articles are written in (schema:inLanguage), to label nodes in."""
    rows = _select(store, "SELECT ?l (COUNT(?a) AS ?n) WHERE { ?a a wkg:Article ; <https://schema.org/inLanguage> ?l }"
                          " GROUP BY ?l")
    counts = sorted(((int(r["n"].value), r["l"].value) for r in rows), key=lambda x: (-x[0], x[1]))
    return counts[0][1] if counts else None


# --- projection ------------------------------------------------------------------------------------------------


def _select(store: ox.Store, query: str) -> list[dict[str, object]]:
    """Rows of a SELECT as {variable: term or None}, in a stable order (the store's order is not one)."""
    result = store.query(PREFIXES + query)  # the default graph: every triple once (see query.engine.load_file)
    names = [v.value for v in result.variables]
    rows = [{n: s[n] for n in names} for s in result]
    rows.sort(key=lambda r: tuple("" if r[n] is None else str(r[n]) for n in names))
    return rows


def _iri(term) -> str | None:
    return term.value if isinstance(term, ox.NamedNode) else None


def _value(term):
    """A literal as a Python value (booleans and integers typed), anything else as its string."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value.rsplit("#", 1)[-1]
        if dt == "boolean":
            return term.value in ("true", "1")
        if dt in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
    return term.value


def to_networkx(store_or_paths, layers: Collection[str] = DEFAULT_LAYERS, lang: str | None = None) -> nx.MultiDiGraph:
    """The RDF graph projected to a MultiDiGraph of entities with typed edges (see the module docstring).

    ``store_or_paths``: a pyoxigraph Store, or paths for ``build_graph``. ``layers``: which edge kinds
    (``ALL_LAYERS``; citations and mentions are opt-in). ``lang``: the language labels are chosen in.
    """
    unknown = set(layers) - set(ALL_LAYERS)
    if unknown:
        raise ValueError(f"unknown layer(s) {', '.join(sorted(unknown))}; choose from {', '.join(ALL_LAYERS)}")
    if isinstance(store_or_paths, str | Path):
        store_or_paths = [store_or_paths]
    store = store_or_paths if isinstance(store_or_paths, ox.Store) else build_graph(store_or_paths)
    G = nx.MultiDiGraph(lang=lang or "", layers=",".join(sorted(layers)))
    for layer in ALL_LAYERS:  # a fixed order keeps node and edge order deterministic
        if layer in layers:
            LAYER_EDGES[layer](store, G)
    _decorate_nodes(store, G, lang)
    return G


def _edge(G: nx.MultiDiGraph, u: str, v: str, kind: str, roles: tuple[str, str], **attrs) -> None:
    # a node is first given the kind its role implies; its rdf:type (if any) corrects that afterwards
    for node, role in zip((u, v), roles, strict=True):
        if node not in G:
            G.add_node(node, kind=role, iri=node)
    G.add_edge(u, v, kind=kind, **{k: val for k, val in attrs.items() if val is not None})


def _sides_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    for r in _select(store, """SELECT DISTINCT ?side ?conflict ?n WHERE {
        { ?side wkg:sideOf ?conflict } UNION { ?conflict wkg:hasSide ?side }
        OPTIONAL { ?side wkg:sideNumber ?n } }"""):
        _edge(G, _iri(r["side"]), _iri(r["conflict"]), "side-of", ("side", "conflict"))
    for fact, agent, side, attrs in _facts(store, "Belligerence", "foughtOnSide"):
        _edge(G, agent, side, "fought-on-side", ("party", "side"), fact=fact, **attrs)


def _facts(store: ox.Store, cls: str, shortcut: str, extra: str = "", extra_vars: str = ""):
    """(fact, agent, side, attrs) of the qualified facts of a class, plus the one-hop shortcut triples that
    have no statement behind them (data from elsewhere may carry only those)."""
    rows = _select(store, f"""SELECT DISTINCT ?fact ?agent ?side ?start ?end {extra_vars} WHERE {{
        {{ ?fact a wkg:{cls} ; wkg:agent ?agent ; wkg:onSide ?side .
           OPTIONAL {{ ?fact wkg:periodStart ?start }} OPTIONAL {{ ?fact wkg:periodEnd ?end }} {extra} }}
        UNION
        {{ ?agent wkg:{shortcut} ?side
           FILTER NOT EXISTS {{ ?f a wkg:{cls} ; wkg:agent ?agent ; wkg:onSide ?side }} }} }}""")
    for r in rows:
        attrs = {"start": _value(r["start"]), "end": _value(r["end"])}
        attrs.update({k: r[k] for k in r if k not in ("fact", "agent", "side", "start", "end")})
        yield _iri(r["fact"]), _iri(r["agent"]), _iri(r["side"]), attrs


def _support_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    extra = """OPTIONAL { ?fact wkg:supportKind ?k .
                          OPTIONAL { ?k rdfs:label ?kl FILTER (lang(?kl) = "en") } }"""
    for fact, agent, side, attrs in _facts(store, "Support", "supported", extra, "?k ?kl"):
        k, kl = attrs.pop("k"), attrs.pop("kl")
        kind = kl.value if kl is not None else (_iri(k) or "").rsplit("#", 1)[-1] or None
        _edge(G, agent, side, "supported", ("party", "side"), fact=fact, support_kind=kind, **attrs)


def _command_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    extra = "OPTIONAL { ?fact wkg:killedInAction ?kia } OPTIONAL { ?fact wkg:affiliation ?aff }"
    for fact, person, side, attrs in _facts(store, "Command", "commanded", extra, "?kia ?aff"):
        kia, aff = _value(attrs.pop("kia")), _iri(attrs.pop("aff"))
        _edge(G, person, side, "commanded", ("person", "side"), fact=fact, killed_in_action=bool(kia), **attrs)
        if aff:
            _edge(G, person, aff, "affiliated", ("person", "party"), fact=fact)


def _places_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    for r in _select(store, "SELECT DISTINCT ?c ?p WHERE { ?c a wkg:Conflict ; wkg:occurredAt ?p }"):
        _edge(G, _iri(r["c"]), _iri(r["p"]), "occurred-at", ("conflict", "place"))


def _part_of_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    for r in _select(store, "SELECT DISTINCT ?c ?w WHERE { ?c a wkg:Conflict ; wkg:partOf ?w }"):
        _edge(G, _iri(r["c"]), _iri(r["w"]), "part-of", ("conflict", "conflict"))


def _citations_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    rows = _select(store, """SELECT DISTINCT ?cit ?fact ?type ?agent ?side ?conflict WHERE {
        { ?cit wkg:citedBy ?fact } UNION { ?fact wkg:basedOn ?cit }
        OPTIONAL { ?fact a ?type FILTER (?type IN (wkg:Belligerence, wkg:Support, wkg:Command,
                                                    wkg:Strength, wkg:Casualties, wkg:Figure, wkg:Conflict)) }
        OPTIONAL { ?fact wkg:agent ?agent } OPTIONAL { ?fact wkg:onSide ?side }
        OPTIONAL { ?fact wkg:inConflict ?conflict } }""")
    seen = set()
    for r in rows:
        fact, kind = _iri(r["fact"]), (_iri(r["type"]) or "").rsplit("#", 1)[-1]
        target, role = _citation_target(fact, kind, r)
        if target is None or (r["cit"], fact, target) in seen:
            continue
        seen.add((r["cit"], fact, target))
        _edge(G, _iri(r["cit"]), target, "cited-by", ("citation", role), fact=fact, fact_kind=kind or None)


def _citation_target(fact: str, kind: str, r: dict) -> tuple[str | None, str]:
    """Where a citation attaches in the network: the actor a fact is about, the side a figure counts,
    else the conflict (a fact of unknown shape still says which conflict it backs)."""
    if kind == "Conflict":
        return fact, "conflict"
    if kind in ("Belligerence", "Support", "Command") and r["agent"] is not None:
        return _iri(r["agent"]), "person" if kind == "Command" else "party"
    if r["side"] is not None:
        return _iri(r["side"]), "side"
    if r["conflict"] is not None:
        return _iri(r["conflict"]), "conflict"
    return None, ""


def _mentions_layer(store: ox.Store, G: nx.MultiDiGraph) -> None:
    for r in _select(store, "SELECT DISTINCT ?a ?e WHERE { ?a wkg:mentions ?e }"):
        _edge(G, _iri(r["a"]), _iri(r["e"]), "mentions", ("article", "party"))


LAYER_EDGES: dict[str, Callable[[ox.Store, nx.MultiDiGraph], None]] = {
    "sides": _sides_layer, "support": _support_layer, "command": _command_layer, "places": _places_layer,
    "part-of": _part_of_layer, "citations": _citations_layer, "mentions": _mentions_layer,
}


def _decorate_nodes(store: ox.Store, G: nx.MultiDiGraph, lang: str | None) -> None:
    """Kind (from rdf:type), label, Wikidata QID, side number, citation details: one query each, for all nodes."""
    for node, kind in _types(store).items():
        if node in G:
            G.nodes[node]["kind"] = kind
    labels = _labels(store)
    for node, data in G.nodes(data=True):
        data["label"] = choose_label(labels.get(node, []), lang) or local_name(node)
    for r in _select(store, f"""SELECT ?s ?q WHERE {{ ?s skos:exactMatch ?q
                                 FILTER (STRSTARTS(STR(?q), "{WIKIDATA_ENTITY}")) }}"""):
        s = _iri(r["s"])
        if s in G and "qid" not in G.nodes[s]:
            G.nodes[s]["qid"] = _iri(r["q"]).rsplit("/", 1)[-1]
    for r in _select(store, "SELECT ?s ?n ?c WHERE { ?s wkg:sideNumber ?n OPTIONAL { ?s wkg:sideOf ?c } }"):
        s = _iri(r["s"])
        if s in G:
            G.nodes[s]["side_number"] = _value(r["n"])
            if r["c"] is not None:
                G.nodes[s]["conflict"] = _iri(r["c"])
    if any(k == "citation" for _, k in G.nodes(data="kind")):
        _citation_details(store, G)


def _types(store: ox.Store) -> dict[str, str]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for r in _select(store, "SELECT ?s ?t WHERE { ?s a ?t FILTER (STRSTARTS(STR(?t), STR(wkg:))) }"):
        kind = KIND_OF_TYPE.get(_iri(r["t"]).rsplit("#", 1)[-1])
        if kind and _iri(r["s"]):
            kinds[_iri(r["s"])].add(kind)
    return {s: next(k for k in KIND_ORDER if k in ks) for s, ks in kinds.items()}


def _labels(store: ox.Store) -> dict[str, list[tuple[bool, str, str]]]:
    """node → [(is prefLabel, language tag, text)]."""
    found: dict[str, list[tuple[bool, str, str]]] = defaultdict(list)
    for r in _select(store, "SELECT ?s ?p ?l WHERE { ?s skos:prefLabel|rdfs:label ?l . ?s ?p ?l "
                            "FILTER (?p IN (skos:prefLabel, rdfs:label)) }"):
        s, label = _iri(r["s"]), r["l"]
        if s and isinstance(label, ox.Literal):
            found[s].append((_iri(r["p"]).endswith("prefLabel"), (label.language or "").lower(), label.value))
    return found


def choose_label(labels: list[tuple[bool, str, str]], lang: str | None) -> str | None:
    """The skos:prefLabel (if in ``lang``), else an rdfs:label in ``lang`` (zh matches zh, zh-Hans, zh-Hant;
    an exact tag first), else the prefLabel, else any label — always the same one for the same data."""
    if not labels:
        return None
    ranked = sorted(labels, key=lambda x: (not x[0], x[1], x[2]))  # prefLabels first, then by tag and text
    if lang:
        want = lang.lower()
        primary = want.split("-")[0]

        def fit(tag: str) -> int:  # 0 exact, 1 same language, 2 other
            return 0 if tag == want else 1 if tag.split("-")[0] == primary else 2

        for pref in (True, False):
            matching = sorted((fit(t), t, text) for p, t, text in ranked if p == pref and fit(t) < 2)
            if matching:
                return matching[0][2]
    return ranked[0][2]


def local_name(iri: str) -> str:
    tail = iri.split("/resource/", 1)[-1] if "/resource/" in iri else iri.rstrip("/").rsplit("/", 1)[-1]
    return tail.rsplit("#", 1)[-1].replace("_", " ")


def _citation_details(store: ox.Store, G: nx.MultiDiGraph) -> None:
    fields = ("citationTitle", "isbn", "author", "year", "page", "refKey", "unresolved")
    details: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    wanted = ", ".join("wkg:" + f for f in fields)
    for r in _select(store, "SELECT ?c ?p ?v WHERE { ?c a wkg:Citation . { ?c ?p ?v } UNION "
                            f"{{ ?c wkg:work ?w . ?w ?p ?v }} FILTER (?p IN ({wanted})) }}"):
        details[_iri(r["c"])][_iri(r["p"]).rsplit("#", 1)[-1]].append(_value(r["v"]))
    uses_of_work = {_iri(r["w"]): int(_value(r["n"])) for r in _select(
        store, "SELECT ?w (SUM(?u) AS ?n) WHERE { ?c a wkg:Citation ; wkg:work ?w ; wkg:timesUsed ?u } GROUP BY ?w")}
    work_of = {_iri(r["c"]): _iri(r["w"]) for r in _select(store, "SELECT ?c ?w WHERE { ?c wkg:work ?w }")}
    for node, d in details.items():
        if node not in G:
            continue
        data = G.nodes[node]
        if node in work_of:  # the work it cites, and how often the article cites that work in all
            data["work_iri"] = work_of[node]
            data["work_uses"] = uses_of_work.get(work_of[node], 0)
        for f in ("citationTitle", "isbn", "year", "page", "refKey"):
            if d.get(f):
                data[{"citationTitle": "title", "refKey": "ref_key"}.get(f, f)] = str(sorted(d[f])[0])
        if d.get("author"):
            data["author"] = "; ".join(sorted(str(a) for a in d["author"]))
        data["unresolved"] = bool(d.get("unresolved") and d["unresolved"][0])
        if data["label"] == local_name(node):  # citations have no rdfs:label: a readable one
            data["label"] = citation_label(data)


def citation_label(data: dict) -> str:
    """'de Waal 2003: Black Garden…, p. 285': a marker's label names its page, since one work has many markers."""
    who = " ".join(x for x in (data.get("author", ""), data.get("year", "")) if x)
    title = data.get("title")
    text = (f"{who}: {title}" if who else title) if title else who or data.get("ref_key") or \
        local_name(data.get("iri", ""))
    return f"{text}, p. {data['page']}" if data.get("page") else text


def node_label(G: nx.MultiDiGraph, n: str) -> str:
    return G.nodes[n].get("label") or local_name(n)
