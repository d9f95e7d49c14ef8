"""The analyses of ``wikikg analyze``: centrality, the support network, commanders by side, components,
shared entities and citations, each a list of JSON-serialisable rows."""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

from graph.network.projection import ACTOR_KINDS, citation_label, local_name, node_label


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
    rows = [{"actor": node_label(G, n), "kind": G.nodes[n]["kind"], "degree": H.degree(n),
             "degree_centrality": round(degree[n], 4), "betweenness": round(between[n], 4), "iri": n}
            for n in H if G.nodes[n].get("kind") in ACTOR_KINDS]
    rows.sort(key=lambda r: (-r["betweenness"], -r["degree_centrality"], r["actor"]))
    return rows


def _node_name(G: nx.MultiDiGraph, n: str) -> str:
    """A label that stays unambiguous across conflicts: a side is named with its conflict."""
    if G.nodes[n].get("kind") == "side":
        _, conflict_label, number = _side_ref(G, n)
        return f"{conflict_label} / side {number}"
    return node_label(G, n)


def _side_ref(G: nx.MultiDiGraph, side: str) -> tuple[str, str, object]:
    """(conflict IRI, conflict label, side number) of a side node."""
    data = G.nodes[side]
    conflict = data.get("conflict") or next(
        (v for _, v, k in G.out_edges(side, data="kind") if k == "side-of"), "")
    label = node_label(G, conflict) if conflict in G else local_name(conflict) if conflict else ""
    return conflict, label, data.get("side_number", node_label(G, side))


def support_network(G: nx.MultiDiGraph) -> list[dict]:
    """Who supported which side of which conflict, how; ``both_sides`` flags a supporter of more than one
    side of the same conflict (on the seed: Russia, equipment to Armenia's side and to Azerbaijan's)."""
    edges = sorted(((u, v, d.get("support_kind") or "") for u, v, d in G.edges(data=True)
                    if d["kind"] == "supported"), key=lambda e: (node_label(G, e[0]), e[1], e[2]))
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
        rows.append({"supporter": node_label(G, u), "conflict": conflict_label, "side": number, "kind": kind,
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
    if not persons:  # no command layer (analyze --layers sides), or no commanders: networkx refuses the projection
        return []
    projection = bipartite.weighted_projected_graph(B, persons)
    rows = []
    for side in sorted((n for n, b in B.nodes(data="bipartite") if b == 1), key=lambda s: _side_ref(G, s)[1:]):
        _, conflict_label, number = _side_ref(G, side)
        members = sorted(B[side], key=lambda p: node_label(G, p))
        rows.append({"conflict": conflict_label, "side": number, "count": len(members),
                     "commanders": [node_label(G, p) for p in members],
                     "killed_in_action": [node_label(G, p) for p in members if p in kia],
                     "co_commanders": projection.subgraph(members).number_of_edges(),
                     "also_commanded": [node_label(G, p) for p in members if B.degree(p) > 1], "iri": side})
    return rows


def components(G: nx.MultiDiGraph, sample: int = 6) -> list[dict]:
    """Weakly connected components, largest first, with a sample of labels (conflicts and actors first)."""
    rank = {k: i for i, k in enumerate(("conflict", "party", "person", "place", "side", "citation", "article"))}
    rows = []
    for comp in nx.weakly_connected_components(G):
        nodes = sorted(comp, key=lambda n: (rank.get(G.nodes[n].get("kind"), 9), -G.degree(n), node_label(G, n)))
        rows.append({"size": len(comp), "conflicts": sum(G.nodes[n].get("kind") == "conflict" for n in comp),
                     "sample": [node_label(G, n) for n in nodes[:sample]]})
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
            rows.append({"entity": node_label(G, n), "kind": kind,
                         "conflicts": sorted(node_label(G, c) for c in conflicts), "iri": n})
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
    markers = [{"citation": node_label(G, c), "facts": len(fs), "iri": c} for c, fs in facts_of.items()]
    markers.sort(key=lambda r: (-r["facts"], r["citation"]))
    works = _works(G, facts_of)
    single = [{"fact": f, "kind": target_of[f][1], "about": _node_name(G, target_of[f][0]),
               "citation": node_label(G, next(iter(cs)))}
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
