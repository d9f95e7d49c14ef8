"""See the knowledge graph as a network: project the RDF onto the entities people think about, analyse, draw.

The RDF keeps every fact as a statement node (``wkg:Belligerence``, ``wkg:Support``, …); network analysis
wants the actors themselves joined by typed edges. ``to_networkx`` reads the RDF with SPARQL (pyoxigraph,
the engine ``wikikg query`` uses) and builds a ``networkx.MultiDiGraph`` whose nodes are conflicts, sides,
parties, persons, places, citations and articles (node id = IRI) and whose edges carry a ``kind``
(``fought-on-side``, ``supported``, ``commanded``, …). ``analyze`` turns it into a JSON-serialisable report
(centrality, support network, commanders by side, citations, components, shared entities); ``export``,
``draw_png`` and ``draw_html`` write it for Gephi, D3, a report or a browser.

Notebook use::

    from graph.network.projection import build_graph, to_networkx, analyze
    G = to_networkx(build_graph(["seeds/zh_first_nagorno_karabakh_war.wiki"]), lang="zh")
    analyze(G)["centrality"][:5]
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable
from pathlib import Path

import networkx as nx
import pyoxigraph as ox

from graph.errors import InputError
from graph.rdf.serialize import atomic_path

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

CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP",
             "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans",
             "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS")
FONT_HINT = "no CJK font found for the picture's labels; install one, e.g. `apt-get install fonts-wqy-microhei`"

SIDE_COLOURS = {"side 1": "#2b6cb0", "side 2": "#c53030", "both": "#805ad5", "neither": "#a0aec0"}
SUPPORT_COLOURS = ("#dd6b20", "#2f855a", "#d53f8c", "#319795", "#975a16", "#553c9a")
EDGE_STYLES = {  # kind → (colour, width, style, alpha)
    "side-of": ("#4a5568", 2.2, "solid", 0.8),
    "fought-on-side": ("#2d3748", 1.6, "solid", 0.8),
    "commanded": ("#718096", 0.8, "solid", 0.6),
    "affiliated": ("#a0aec0", 0.7, "dotted", 0.6),
    "occurred-at": ("#38a169", 1.0, "dotted", 0.7),
    "part-of": ("#1a202c", 2.0, "solid", 0.8),
    "cited-by": ("#cbd5e0", 0.5, "solid", 0.5),
    "mentions": ("#e2e8f0", 0.5, "solid", 0.4),
}


# --- loading ---------------------------------------------------------------------------------------------------


def load_graph(paths: Iterable[str]) -> ox.Store:
    """Turtle, N-Triples or N-Quads files into one store (query it with the default graph as the union)."""
    store = ox.Store()
    for path in paths:
        _load_rdf(store, str(path))
    return store


def _load_rdf(store: ox.Store, path: str) -> None:
    p = Path(path)
    suffix = p.suffix.lstrip(".").lower()
    fmt = ox.RdfFormat.from_extension(suffix) if suffix else None
    if fmt is None:
        raise InputError(f"{path}: not an RDF file (.ttl, .nt, .nq) nor wikitext (.wiki)")
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give the files in it")
    try:
        with open(p, "rb") as fh:
            store.bulk_load(fh, format=fmt)
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
    from graph.wikitext.dump import read_dump
    from graph.pipeline import build
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
    result = store.query(PREFIXES + query, use_default_graph_as_union=True)
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
        data["label"] = choose_label(labels.get(node, []), lang) or _local_name(node)
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


def _local_name(iri: str) -> str:
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
        if data["label"] == _local_name(node):  # citations have no rdfs:label: a readable one
            data["label"] = citation_label(data)


def citation_label(data: dict) -> str:
    """'de Waal 2003: Black Garden…, p. 285': a marker's label names its page, since one work has many markers."""
    who = " ".join(x for x in (data.get("author", ""), data.get("year", "")) if x)
    title = data.get("title")
    text = (f"{who}: {title}" if who else title) if title else who or data.get("ref_key") or \
        _local_name(data.get("iri", ""))
    return f"{text}, p. {data['page']}" if data.get("page") else text


# --- analysis --------------------------------------------------------------------------------------------------


def analyze(G: nx.MultiDiGraph) -> dict:
    """A JSON-serialisable report; every section is a list of rows (dicts) that prints as a table."""
    report = {
        "summary": _summary(G),
        "centrality": centrality(G),
        "support_network": support_network(G),
        "commanders_by_side": commanders_by_side(G),
        "components": components(G),
        "shared_entities": shared_entities(G),
    }
    if any(k == "cited-by" for _, _, k in G.edges(data="kind")):
        report.update(citations(G))
    return report


def _label(G: nx.MultiDiGraph, n: str) -> str:
    return G.nodes[n].get("label") or _local_name(n)


def _summary(G: nx.MultiDiGraph) -> list[dict]:
    nodes = Counter(k for _, k in G.nodes(data="kind"))
    edges = Counter(k for _, _, k in G.edges(data="kind"))
    rows = [{"what": "nodes", "kind": k, "count": n} for k, n in sorted(nodes.items())]
    rows += [{"what": "edges", "kind": k, "count": n} for k, n in sorted(edges.items())]
    return rows


def world_graph(G: nx.MultiDiGraph) -> nx.Graph:
    """The undirected simple projection of the conflicts' world: citations and articles left out, since they
    are evidence about the network, not part of it (the opt-in layers must not move who is central)."""
    H = nx.Graph()
    H.add_nodes_from(n for n, k in G.nodes(data="kind") if k not in ("citation", "article"))
    H.add_edges_from((u, v) for u, v in G.edges() if u in H and v in H and u != v)
    return H


def centrality(G: nx.MultiDiGraph) -> list[dict]:
    """Degree and betweenness centrality of the actors. Sides connect actors, so an actor tied to both sides
    (a supporter of both, a state with commanders on one side and soldiers on the other) is a broker."""
    H = world_graph(G)
    if H.number_of_nodes() == 0:
        return []
    degree = nx.degree_centrality(H)
    between = nx.betweenness_centrality(H, normalized=True)
    rows = [{"actor": _label(G, n), "kind": G.nodes[n]["kind"], "degree": H.degree(n),
             "degree_centrality": round(degree[n], 4), "betweenness": round(between[n], 4), "iri": n}
            for n in H if G.nodes[n].get("kind") in ACTOR_KINDS]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree_centrality"], r["actor"]))
    return rows


def _node_name(G: nx.MultiDiGraph, n: str) -> str:
    """A label that stays unambiguous across conflicts: a side is named with its conflict."""
    if G.nodes[n].get("kind") == "side":
        _, conflict_label, number = _side_ref(G, n)
        return f"{conflict_label} / side {number}"
    return _label(G, n)


def _side_ref(G: nx.MultiDiGraph, side: str) -> tuple[str, str, object]:
    """(conflict IRI, conflict label, side number) of a side node."""
    data = G.nodes[side]
    conflict = data.get("conflict") or next(
        (v for _, v, k in G.out_edges(side, data="kind") if k == "side-of"), "")
    label = _label(G, conflict) if conflict in G else _local_name(conflict) if conflict else ""
    return conflict, label, data.get("side_number", _label(G, side))


def support_network(G: nx.MultiDiGraph) -> list[dict]:
    """Who supported which side of which conflict, how; ``both_sides`` flags a supporter of more than one
    side of the same conflict (on the seed: Russia, equipment to Armenia's side and to Azerbaijan's)."""
    edges = sorted(((u, v, d.get("support_kind") or "") for u, v, d in G.edges(data=True)
                    if d["kind"] == "supported"), key=lambda e: (_label(G, e[0]), e[1], e[2]))
    sides_of: dict[tuple[str, str], set] = defaultdict(set)
    for u, v, _ in edges:
        conflict, _, number = _side_ref(G, v)
        sides_of[(u, conflict)].add(number)
    rows, seen = [], set()
    for u, v, kind in edges:
        conflict, conflict_label, number = _side_ref(G, v)
        if (u, v, kind) in seen:
            continue
        seen.add((u, v, kind))
        sides = sorted(sides_of[(u, conflict)], key=str)
        rows.append({"supporter": _label(G, u), "conflict": conflict_label, "side": number, "kind": kind,
                     "sides_supported": sides, "both_sides": len(sides) > 1, "iri": u})
    rows.sort(key=lambda r: (not r["both_sides"], r["conflict"], str(r["side"]), r["kind"], r["supporter"]))
    return rows


def commanders_by_side(G: nx.MultiDiGraph) -> list[dict]:
    """Per side its commanders (those killed in action marked), from the commander–side bipartite graph;
    ``co_commanders`` counts the pairs of its commanders tied in the commanders' projection, and
    ``also_commanded`` names commanders of this side who commanded another side too (across articles)."""
    from networkx.algorithms import bipartite

    B = nx.Graph()
    kia: set[str] = set()
    for u, v, d in G.edges(data=True):
        if d["kind"] == "commanded":
            B.add_node(u, bipartite=0)
            B.add_node(v, bipartite=1)
            B.add_edge(u, v)
            if d.get("killed_in_action"):
                kia.add(u)
    persons = [n for n, b in B.nodes(data="bipartite") if b == 0]
    projection = bipartite.weighted_projected_graph(B, persons)
    rows = []
    for side in sorted((n for n, b in B.nodes(data="bipartite") if b == 1), key=lambda s: _side_ref(G, s)[1:]):
        _, conflict_label, number = _side_ref(G, side)
        members = sorted(B[side], key=lambda p: _label(G, p))
        rows.append({"conflict": conflict_label, "side": number, "count": len(members),
                     "commanders": [_label(G, p) for p in members],
                     "killed_in_action": [_label(G, p) for p in members if p in kia],
                     "co_commanders": projection.subgraph(members).number_of_edges(),
                     "also_commanded": [_label(G, p) for p in members if B.degree(p) > 1], "iri": side})
    return rows


def components(G: nx.MultiDiGraph, sample: int = 6) -> list[dict]:
    """Weakly connected components, largest first, with a sample of labels (conflicts and actors first)."""
    rank = {k: i for i, k in enumerate(("conflict", "party", "person", "place", "side", "citation", "article"))}
    rows = []
    for comp in nx.weakly_connected_components(G):
        nodes = sorted(comp, key=lambda n: (rank.get(G.nodes[n].get("kind"), 9), -G.degree(n), _label(G, n)))
        rows.append({"size": len(comp), "conflicts": sum(G.nodes[n].get("kind") == "conflict" for n in comp),
                     "sample": [_label(G, n) for n in nodes[:sample]]})
    rows.sort(key=lambda r: (-r["size"], r["sample"]))
    for i, row in enumerate(rows, 1):
        row["component"] = i
    return [{"component": r.pop("component"), **r} for r in rows]


def conflicts_of(G: nx.MultiDiGraph, node: str) -> set[str]:
    """The conflicts a node is directly tied to: through a side it is on, or an edge to the conflict itself."""
    found = set()
    for nb in set(G.successors(node)) | set(G.predecessors(node)):
        kind = G.nodes[nb].get("kind")
        if kind == "conflict":
            found.add(nb)
        elif kind == "side":
            conflict = _side_ref(G, nb)[0]
            if conflict:
                found.add(conflict)
    return found


def shared_entities(G: nx.MultiDiGraph) -> list[dict]:
    """Entities tied to more than one conflict (only possible when the graph holds several conflicts)."""
    rows = []
    for n, kind in G.nodes(data="kind"):
        if kind in ("conflict", "side", "citation", "article"):
            continue
        conflicts = conflicts_of(G, n)
        if len(conflicts) > 1:
            rows.append({"entity": _label(G, n), "kind": kind, "conflicts": sorted(_label(G, c) for c in conflicts),
                         "iri": n})
    rows.sort(key=lambda r: (-len(r["conflicts"]), r["entity"]))
    return rows


def citations(G: nx.MultiDiGraph, top: int = 20) -> dict[str, list[dict]]:
    """Citation markers ranked by the distinct facts they back; the same work cited through several markers
    (sfn with different pages, a ref and an sfn) grouped by title or ISBN; facts resting on one citation."""
    facts_of: dict[str, set[str]] = defaultdict(set)
    cites_of: dict[str, set[str]] = defaultdict(set)
    target_of: dict[str, tuple[str, str]] = {}
    for u, v, d in G.edges(data=True):
        if d["kind"] == "cited-by" and d.get("fact"):
            facts_of[u].add(d["fact"])
            cites_of[d["fact"]].add(u)
            target_of[d["fact"]] = (v, d.get("fact_kind", ""))
    markers = [{"citation": _label(G, c), "facts": len(fs), "iri": c} for c, fs in facts_of.items()]
    markers.sort(key=lambda r: (-r["facts"], r["citation"]))
    works = _works(G, facts_of)
    single = [{"fact": f, "kind": target_of[f][1], "about": _node_name(G, target_of[f][0]),
               "citation": _label(G, next(iter(cs)))}
              for f, cs in cites_of.items() if len(cs) == 1]
    single.sort(key=lambda r: (r["kind"], r["about"], r["fact"]))
    return {"citations": markers[:top], "works": works[:top], "single_citation_facts": single}


def work_key(data: dict) -> list[str]:
    """The keys that identify a citation's work: title, ISBN (digits only); an unresolved {{sfn}} has only
    its author and year, which is what an sfn names a work by."""
    keys = []
    if data.get("title"):
        keys.append("title:" + " ".join(data["title"].casefold().split()))
    if data.get("isbn"):
        keys.append("isbn:" + "".join(ch for ch in data["isbn"] if ch.isdigit() or ch in "Xx").upper())
    if not keys and data.get("author") and data.get("year"):
        keys.append(f"sfn:{data['author'].casefold()}|{data['year']}")
    return keys


def _works(G: nx.MultiDiGraph, facts_of: dict[str, set[str]]) -> list[dict]:
    # union-find over shared keys: markers with the same title, or the same ISBN, are one work
    parent = {c: c for c in facts_of}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    owner: dict[str, str] = {}
    for c in sorted(facts_of):
        keys = [f"work:{G.nodes[c]['work_iri']}"] if G.nodes[c].get("work_iri") else work_key(G.nodes[c])
        for key in keys:
            if key in owner:
                parent[find(c)] = find(owner[key])
            else:
                owner[key] = c
    groups: dict[str, list[str]] = defaultdict(list)
    for c in sorted(facts_of):
        groups[find(c)].append(c)
    rows = []
    for members in groups.values():
        data = next((G.nodes[c] for c in members if G.nodes[c].get("title")), G.nodes[members[0]])
        facts = set().union(*(facts_of[c] for c in members))
        name = data.get("title") or citation_label({**data, "page": None})
        uses = max((G.nodes[c].get("work_uses", 0) for c in members), default=0)
        rows.append({"work": name, "author": data.get("author", ""),
                     "year": data.get("year", ""), "cited": uses, "facts": len(facts), "markers": len(members),
                     "iri": data.get("work_iri", members[0])})
    # how often the article cites the work first (its <ref>s and {{sfn}}s), then the infobox facts it backs
    rows.sort(key=lambda r: (-r["cited"], -r["facts"], -r["markers"], r["work"]))
    return rows


# --- export ----------------------------------------------------------------------------------------------------


def _atomic(path: Path, write: Callable[[str], None]) -> Path:
    """Write through graph.serialize.atomic_path: never half a file."""
    with atomic_path(path) as tmp:
        write(tmp)
    return path


def write_text_atomically(path: Path, text: str) -> Path:
    return _atomic(Path(path), lambda p: Path(p).write_text(text, encoding="utf-8"))


def _scalar(value):
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set | frozenset):
        return "; ".join(str(v) for v in value)
    return str(value)


def flat_copy(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF take only str/int/float/bool attributes: others stringified, None dropped."""
    H = nx.MultiDiGraph()
    H.graph.update({k: _scalar(v) for k, v in G.graph.items() if v is not None})
    for n, d in G.nodes(data=True):
        H.add_node(n, **{k: _scalar(v) for k, v in d.items() if v is not None})
    for u, v, k, d in G.edges(keys=True, data=True):
        H.add_edge(u, v, key=k, **{a: _scalar(x) for a, x in d.items() if x is not None})
    return H


def export(G: nx.MultiDiGraph, out_dir: Path, formats: Iterable[str] = ("graphml", "gexf", "json")) -> list[Path]:
    """graph.graphml (yEd, Cytoscape), graph.gexf (Gephi), graph.json (node-link, for D3) in ``out_dir``."""
    out_dir = Path(out_dir)
    flat = flat_copy(G)
    written = []
    for fmt in formats:
        if fmt == "graphml":
            written.append(_atomic(out_dir / "graph.graphml", lambda p: nx.write_graphml(flat, p)))
        elif fmt == "gexf":
            written.append(_atomic(out_dir / "graph.gexf", lambda p: nx.write_gexf(flat, p)))
        elif fmt == "json":
            data = json.dumps(nx.node_link_data(flat, edges="links"), ensure_ascii=False, indent=1)
            written.append(write_text_atomically(out_dir / "graph.json", data))
        else:
            raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, json)")
    return written


# --- layout and pictures ---------------------------------------------------------------------------------------


def side_membership(G: nx.MultiDiGraph, node: str) -> str:
    """'side 1', 'side 2', 'both' or 'neither': which of the first two columns a node stands with."""
    data = G.nodes[node]
    if data.get("kind") == "side":
        numbers = {data.get("side_number")}
    else:
        numbers = {G.nodes[v].get("side_number") for _, v, k in G.out_edges(node, data="kind")
                   if k in ("fought-on-side", "supported", "commanded")}
    numbers &= {1, 2}
    return "both" if numbers == {1, 2} else f"side {numbers.pop()}" if numbers else "neither"


def layout(G: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]²: Kamada–Kawai per component (started from a seeded spring layout, so the same
    graph always looks the same), components tiled largest first, each in a cell sized by its node count."""
    H = nx.Graph(G.to_undirected(as_view=True))
    comps = sorted((sorted(c) for c in nx.connected_components(H)), key=lambda c: (-len(c), c[0]))
    if not comps:
        return {}
    cells = []
    for comp in comps:
        pos = {comp[0]: (0.0, 0.0)} if len(comp) == 1 else _component_layout(H.subgraph(comp), seed)
        cells.append((comp, pos, math.sqrt(len(comp))))
    return _tile(cells)


def _component_layout(sub: nx.Graph, seed: int) -> dict:
    # Kamada–Kawai reads hubs and spokes best, but needs scipy; the seeded spring layout needs only numpy
    # (up to 500 nodes: networkx's sparse solver for more needs scipy too, so sample the start instead).
    n = sub.number_of_nodes()
    k = 2.0 / math.sqrt(n)  # more room than the default 1/sqrt(n): labels need it
    try:
        import scipy  # noqa: F401
    except ImportError:
        if n >= 500:
            return nx.circular_layout(sub)
        return nx.spring_layout(sub, seed=seed, k=k, iterations=300)
    pos = nx.spring_layout(sub, seed=seed, k=k)
    return nx.kamada_kawai_layout(sub, pos=pos) if n <= 400 else pos


def _tile(cells: list) -> dict[str, tuple[float, float]]:
    """Place component layouts left to right in rows, each scaled to a square cell of its size."""
    total = sum(size for _, _, size in cells)
    row_width = max(total / max(1, round(math.sqrt(len(cells)))), cells[0][2])
    placed, x, y, row_h = {}, 0.0, 0.0, 0.0
    for _, pos, size in cells:
        if x > 0 and x + size > row_width + 1e-9:
            x, y, row_h = 0.0, y + row_h, 0.0
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
        for n, (px, py) in pos.items():
            placed[n] = (x + size * (0.08 + 0.84 * (px - min(xs)) / span),
                         -(y + size * (0.08 + 0.84 * (py - min(ys)) / span)))
        x, row_h = x + size, max(row_h, size)
    xs, ys = [p[0] for p in placed.values()], [p[1] for p in placed.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {n: ((px - min(xs)) / span, (py - min(ys)) / span) for n, (px, py) in placed.items()}


def cjk_font() -> str:
    """The family name of an installed CJK font matplotlib can use; RuntimeError naming the fix if none."""
    from matplotlib import font_manager

    def installed() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((f for f in CJK_FONTS if f in names), None)

    found = installed()
    if found is None:  # a font installed after matplotlib built its cache is not in it yet
        font_manager.fontManager = font_manager._load_fontmanager(try_read_cache=False)
        found = installed()
    if found is None:
        raise RuntimeError(FONT_HINT)
    return found


def support_colours(G: nx.MultiDiGraph) -> dict[str, str]:
    kinds = sorted({d.get("support_kind") or "" for _, _, d in G.edges(data=True) if d["kind"] == "supported"})
    return {k: SUPPORT_COLOURS[i % len(SUPPORT_COLOURS)] for i, k in enumerate(kinds)}


def display_label(G: nx.MultiDiGraph, n: str, lang: str) -> str:
    """Node text in a picture: sides get a short name in the article's language (their RDF label is 'side 1')."""
    data = G.nodes[n]
    if data.get("kind") == "side" and data.get("side_number") is not None:
        return f"交战方{data['side_number']}" if lang.startswith("zh") else f"side {data['side_number']}"
    label = data.get("label") or _local_name(n)
    return label if len(label) <= 24 else label[:23] + "…"


NODE_LOOK = {  # kind → (marker, size in points², font size)
    "conflict": ("D", 1400, 13), "side": ("s", 900, 12), "party": ("o", 600, 10.5), "person": ("o", 170, 8),
    "place": ("^", 450, 10), "citation": ("p", 160, 7), "article": ("h", 500, 9),
}


def draw_png(G: nx.MultiDiGraph, path: Path, lang: str = "zh", title: str | None = None) -> Path:
    """A picture of the network: nodes coloured by side membership, supporters' edges dashed and coloured by
    kind of support, labels in the article's language (with a CJK font: RuntimeError if none is installed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    font = cjk_font()
    pos = layout(G)
    n = max(1, G.number_of_nodes())
    side = max(12.0, min(36.0, 2.2 * math.sqrt(n)))
    with plt.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False}):
        fig, ax = plt.subplots(figsize=(side * 1.35, side))
        D = nx.DiGraph()
        D.add_nodes_from(G.nodes)
        _draw_edges(G, D, pos, ax)
        _draw_nodes(G, D, pos, ax, lang, font)
        handles = [Line2D([], [], marker="o", ls="", color=c, markersize=10, label=name)
                   for name, c in SIDE_COLOURS.items()]
        handles += [Line2D([], [], ls="--", color=c, lw=2, label=f"supported: {k or '?'}")
                    for k, c in support_colours(G).items()]
        kinds = {k for _, _, k in G.edges(data="kind")}
        handles += [Line2D([], [], ls=s, color=c, lw=w, label=k) for k, (c, w, s, _) in EDGE_STYLES.items()
                    if k in kinds]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=11, frameon=False)
        ax.set_title(title or _default_title(G), fontsize=16)
        ax.set_axis_off()
        ax.margins(0.06)
        fig.tight_layout()
        path = Path(path)
        _atomic(path, lambda p: fig.savefig(p, dpi=110, format="png"))
        plt.close(fig)
    return path


def _default_title(G: nx.MultiDiGraph) -> str:
    conflicts = sorted(_label(G, c) for c, k in G.nodes(data="kind") if k == "conflict")
    return " · ".join(conflicts[:3]) + (" …" if len(conflicts) > 3 else "")


def _draw_edges(G: nx.MultiDiGraph, D: nx.DiGraph, pos: dict, ax) -> None:
    groups: dict[tuple, set] = defaultdict(set)
    colours = support_colours(G)
    for u, v, d in G.edges(data=True):
        if d["kind"] == "supported":
            groups[(colours[d.get("support_kind") or ""], 1.8, "dashed", 0.9, True)].add((u, v))
        else:
            c, w, s, a = EDGE_STYLES.get(d["kind"], ("#a0aec0", 0.6, "solid", 0.5))
            groups[(c, w, s, a, False)].add((u, v))
    for (colour, width, style, alpha, arrows), edges in groups.items():
        nx.draw_networkx_edges(D, pos, edgelist=sorted(edges), edge_color=colour, width=width, style=style,
                               alpha=alpha, ax=ax, arrows=arrows, node_size=500,
                               **({"arrowsize": 14, "arrowstyle": "-|>"} if arrows else {}))


def _draw_nodes(G: nx.MultiDiGraph, D: nx.DiGraph, pos: dict, ax, lang: str, font: str) -> None:
    for kind, (marker, size, font_size) in NODE_LOOK.items():
        nodes = sorted(n for n, k in G.nodes(data="kind") if k == kind)
        if not nodes:
            continue
        colours = [SIDE_COLOURS[side_membership(G, n)] for n in nodes]
        nx.draw_networkx_nodes(D, pos, nodelist=nodes, node_shape=marker, node_size=size, node_color=colours,
                               edgecolors="white", linewidths=1.2, ax=ax)
        # the label hangs just below its node (offset in points, whatever the zoom), so the node's colour
        # (its side) stays visible
        below = math.sqrt(size) / 2 + 1
        for n in nodes:
            ax.annotate(display_label(G, n, lang), xy=pos[n], xytext=(0, -below), textcoords="offset points",
                        ha="center", va="top", fontsize=font_size, fontfamily=font, zorder=5,
                        bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": "none", "alpha": 0.75})


def draw_html(G: nx.MultiDiGraph, path: Path, lang: str = "zh") -> Path:
    """A self-contained page (no network access needed): an SVG of the same layout, tooltips on hover,
    drag a node to move it, wheel to zoom, drag the background to pan."""
    pos = layout(G)
    W, H, pad = 1400, 1000, 60
    xy = {n: (pad + x * (W - 2 * pad), pad + (1 - y) * (H - 2 * pad)) for n, (x, y) in pos.items()}
    index = {n: i for i, n in enumerate(G.nodes)}
    colours = support_colours(G)
    lines = []
    for u, v, d in G.edges(data=True):
        if d["kind"] == "supported":
            colour, width, dash = colours[d.get("support_kind") or ""], 2, "6 4"
        else:
            colour, width, style, _ = EDGE_STYLES.get(d["kind"], ("#a0aec0", 0.6, "solid", 0.5))
            dash = {"dotted": "2 3", "dashed": "6 4"}.get(style, "")
        tip = d["kind"] + (f": {d['support_kind']}" if d.get("support_kind") else "")
        lines.append(f'<line data-u="{index[u]}" data-v="{index[v]}" x1="{xy[u][0]:.1f}" y1="{xy[u][1]:.1f}" '
                     f'x2="{xy[v][0]:.1f}" y2="{xy[v][1]:.1f}" stroke="{colour}" stroke-width="{width}" '
                     f'stroke-dasharray="{dash}"><title>{html.escape(tip)}</title></line>')
    nodes = [_svg_node(G, n, index[n], xy[n], lang) for n in G.nodes]
    title = html.escape(_default_title(G) or "wikikg network")
    legend = "".join(f'<span style="color:{c}">●</span> {html.escape(k)} &nbsp; ' for k, c in SIDE_COLOURS.items())
    legend += "".join(f'<span style="color:{c}">╌</span> supported: {html.escape(k or "?")} &nbsp; '
                      for k, c in colours.items())
    page = HTML_PAGE.format(lang=html.escape(lang), title=title, legend=legend, w=W, h=H,
                            edges="\n".join(lines), nodes="\n".join(nodes))
    return write_text_atomically(Path(path), page)


def _svg_node(G: nx.MultiDiGraph, n: str, i: int, xy: tuple[float, float], lang: str) -> str:
    data = G.nodes[n]
    kind = data.get("kind", "")
    radius = {"conflict": 14, "side": 12, "party": 10, "place": 8, "person": 5, "article": 9}.get(kind, 4)
    tip = "\n".join(x for x in (data.get("label", ""), f"{kind} · {side_membership(G, n)}", data.get("qid", ""),
                                n) if x)
    colour = SIDE_COLOURS[side_membership(G, n)]
    shape = (f'<rect x="{-radius}" y="{-radius}" width="{2 * radius}" height="{2 * radius}" fill="{colour}"/>'
             if kind in ("side", "conflict") else f'<circle r="{radius}" fill="{colour}"/>')
    size = 13 if kind in ("conflict", "side", "party") else 10
    return (f'<g class="node" data-i="{i}" transform="translate({xy[0]:.1f},{xy[1]:.1f})">{shape}'
            f'<text x="{radius + 3}" y="4" font-size="{size}">{html.escape(display_label(G, n, lang))}</text>'
            f'<title>{html.escape(tip)}</title></g>')


HTML_PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
 body {{ margin: 0; font-family: "WenQuanYi Micro Hei", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei",
        sans-serif; }}
 header {{ padding: 6px 12px; background: #f7fafc; border-bottom: 1px solid #e2e8f0; font-size: 14px; }}
 svg {{ width: 100vw; height: calc(100vh - 60px); cursor: grab; background: #fff; }}
 .node {{ cursor: move; }} .node rect, .node circle {{ stroke: #fff; stroke-width: 1.5; }}
 .node text {{ fill: #1a202c; paint-order: stroke; stroke: #fff; stroke-width: 3px; }}
 line {{ opacity: 0.75; }}
</style></head><body>
<header><b>{title}</b> &nbsp; {legend}<br><small>drag a node to move it · wheel to zoom ·
drag the background to pan · hover for details</small></header>
<svg id="net" viewBox="0 0 {w} {h}" xmlns="http://www.w3.org/2000/svg">
<g id="edges">
{edges}
</g>
<g id="nodes">
{nodes}
</g>
</svg>
<script>
(function () {{
  const svg = document.getElementById("net");
  let vb = svg.viewBox.baseVal, drag = null, pan = null;
  const nodes = Array.from(document.querySelectorAll(".node"));
  const pos = nodes.map(g => {{ const m = /translate\\(([-\\d.]+),([-\\d.]+)\\)/.exec(g.getAttribute("transform"));
                                return [parseFloat(m[1]), parseFloat(m[2])]; }});
  const lines = Array.from(document.querySelectorAll("line"));
  function pt(e) {{ const p = svg.createSVGPoint(); p.x = e.clientX; p.y = e.clientY;
                    return p.matrixTransform(svg.getScreenCTM().inverse()); }}
  function place(i) {{
    nodes[i].setAttribute("transform", "translate(" + pos[i][0] + "," + pos[i][1] + ")");
    lines.forEach(l => {{
      if (+l.dataset.u === i) {{ l.setAttribute("x1", pos[i][0]); l.setAttribute("y1", pos[i][1]); }}
      if (+l.dataset.v === i) {{ l.setAttribute("x2", pos[i][0]); l.setAttribute("y2", pos[i][1]); }}
    }});
  }}
  nodes.forEach((g, i) => g.addEventListener("mousedown", e => {{ drag = i; e.stopPropagation(); }}));
  svg.addEventListener("mousedown", e => {{ pan = pt(e); }});
  window.addEventListener("mousemove", e => {{
    if (drag !== null) {{ const p = pt(e); pos[drag] = [p.x, p.y]; place(drag); }}
    else if (pan) {{ const p = pt(e); vb.x -= p.x - pan.x; vb.y -= p.y - pan.y; }}
  }});
  window.addEventListener("mouseup", () => {{ drag = null; pan = null; }});
  svg.addEventListener("wheel", e => {{
    e.preventDefault(); const p = pt(e), k = e.deltaY > 0 ? 1.15 : 1 / 1.15;
    vb.x = p.x - (p.x - vb.x) * k; vb.y = p.y - (p.y - vb.y) * k; vb.width *= k; vb.height *= k;
  }}, {{ passive: false }});
}})();
</script>
</body></html>
"""
