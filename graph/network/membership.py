"""Who stands where, conflict by conflict: side membership and the conflicts a node belongs to.

Sides are numbered per conflict (the infobox's columns), so side 1 of one war has nothing to do with side 1
of another: a party on side 1 of one war and side 2 of another has not fought on "both sides". Membership
is decided within each conflict; across conflicts a node whose sides differ is ``varies``.
"""

from __future__ import annotations

from collections import defaultdict

import networkx as nx

SIDE_EDGES = ("fought-on-side", "supported", "commanded")  # the edges that put an actor on a side
MEMBERSHIPS = ("side 1", "side 2", "both", "varies", "neither")


def conflict_of_side(G: nx.MultiDiGraph, side: str) -> str:
    """The conflict a side node belongs to ('' when the data does not say)."""
    conflict = G.nodes[side].get("conflict")
    if conflict:
        return conflict
    return next((v for _, v, k in G.out_edges(side, data="kind") if k == "side-of"), "")


def side_memberships(G: nx.MultiDiGraph, node: str) -> dict[str, str]:
    """conflict → 'side 1', 'side 2' or 'both' (sides 1 and 2 of that one conflict) for each conflict in which
    the node stands with one of the first two columns; a side node stands with itself."""
    data = G.nodes[node]
    numbers: dict[str, set] = defaultdict(set)
    if data.get("kind") == "side":
        numbers[conflict_of_side(G, node)].add(data.get("side_number"))
    else:
        for _, side, kind in G.out_edges(node, data="kind"):
            if kind in SIDE_EDGES and G.nodes[side].get("kind") == "side":
                numbers[conflict_of_side(G, side)].add(G.nodes[side].get("side_number"))
    found = {}
    for conflict, nums in numbers.items():
        nums &= {1, 2}
        if nums:
            found[conflict] = "both" if nums == {1, 2} else f"side {nums.pop()}"
    return found


def side_membership(G: nx.MultiDiGraph, node: str, conflict: str | None = None) -> str:
    """One of ``MEMBERSHIPS``: within ``conflict`` when given; else 'both' when the node stood with both sides
    of one conflict, the side when it stood with the same side everywhere, 'varies' when its sides differ
    from conflict to conflict, 'neither' when it stood with none."""
    found = side_memberships(G, node)
    if conflict is not None:
        return found.get(conflict, "neither")
    values = set(found.values())
    if "both" in values:
        return "both"
    if len(values) > 1:
        return "varies"
    return values.pop() if values else "neither"


def node_conflicts(G: nx.MultiDiGraph) -> dict[str, set[str]]:
    """node → the conflicts it belongs to: a conflict itself (and the wars it is part of), a side its
    conflict, an actor the conflicts of its sides, a place the conflicts that occurred at it; anything else
    (an affiliated party, a citation, an article) the conflicts of its neighbours."""
    conflicts = {n for n, k in G.nodes(data="kind") if k == "conflict"}
    found: dict[str, set[str]] = {n: set() for n in G}
    for n in conflicts:
        found[n].add(n)
    for u, v, kind in G.edges(data="kind"):
        if kind == "part-of" and v in conflicts:
            found[u].add(v)
            found[v].add(u)
        elif kind == "side-of":
            found[u].add(v)
        elif kind == "occurred-at" and u in conflicts:
            found[v].add(u)
    for n in G:
        if G.nodes[n].get("kind") == "side":
            found[n].add(conflict_of_side(G, n))
    for u, v, kind in G.edges(data="kind"):
        if kind in SIDE_EDGES and G.nodes[v].get("kind") == "side":
            found[u].add(conflict_of_side(G, v))
    for n in [n for n, c in found.items() if not c]:  # second hand: through the neighbours
        for m in nx.all_neighbors(G, n):
            found[n] |= found[m]
    return {n: {c for c in cs if c} for n, cs in found.items()}
