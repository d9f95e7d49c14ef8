"""Where the nodes go and how they look: a deterministic layout, side membership, colours, labels."""

from __future__ import annotations

import math

import networkx as nx

from graph.network.language import side_name
from graph.network.membership import side_membership  # noqa: F401  (where the pictures have always found it)
from graph.network.projection import local_name, node_label

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
SIDE_COLOURS = {"side 1": "#2b6cb0", "side 2": "#c53030", "both": "#805ad5", "varies": "#b7791f",
                "neither": "#a0aec0"}
# what the legends say of each membership (graph.network.membership)
SIDE_LEGEND = {"side 1": "side 1", "side 2": "side 2", "both": "both sides of one conflict",
               "varies": "side 1 of one conflict, side 2 of another", "neither": "neither side"}
SUPPORT_COLOURS = ("#dd6b20", "#2f855a", "#d53f8c", "#319795", "#975a16", "#553c9a")

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
    """Place component layouts left to right in rows, largest first. Each is turned to lie along its long axis
    and given a cell of area proportional to its node count, as wide as its shape (up to 3:1), so a long
    chain of conflicts does not leave a square of empty paper around it."""
    shaped = []
    for _, pos, size in cells:
        pos = _along_long_axis(pos)
        xs, ys = [p[0] for p in pos.values()], [p[1] for p in pos.values()]
        xspan, yspan = (max(xs) - min(xs)) or 1e-9, (max(ys) - min(ys)) or 1e-9
        ratio = min(3.0, max(1.0, xspan / yspan)) if len(pos) > 1 else 1.0
        shaped.append((pos, size * math.sqrt(ratio), size / math.sqrt(ratio), min(xs), min(ys), xspan, yspan))
    total = sum(w for _, w, *_ in shaped)
    row_width = max(total / max(1, round(math.sqrt(len(shaped)))), shaped[0][1])
    placed, x, y, row_h = {}, 0.0, 0.0, 0.0
    for pos, w, h, x0, y0, xspan, yspan in shaped:
        if x > 0 and x + w > row_width + 1e-9:
            x, y, row_h = 0.0, y + row_h, 0.0
        scale = min(w / xspan, h / yspan) if len(pos) > 1 else 0.0
        for n, (px, py) in pos.items():
            placed[n] = (x + 0.08 * w + 0.84 * ((px - x0) * scale if len(pos) > 1 else w / 2),
                         -(y + 0.08 * h + 0.84 * ((py - y0) * scale if len(pos) > 1 else h / 2)))
        x, row_h = x + w, max(row_h, h)
    xs, ys = [p[0] for p in placed.values()], [p[1] for p in placed.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1.0
    return {n: ((px - min(xs)) / span, (py - min(ys)) / span) for n, (px, py) in placed.items()}


def _along_long_axis(pos: dict) -> dict:
    """The positions turned so that their principal axis is horizontal (the same shape, deterministic)."""
    if len(pos) < 3:
        return pos
    import numpy as np

    names = list(pos)
    xy = np.array([pos[n] for n in names], dtype=float)
    xy -= xy.mean(axis=0)
    _, vectors = np.linalg.eigh(np.cov(xy.T))
    main = vectors[:, -1] * (1 if vectors[0, -1] >= 0 else -1)  # a fixed sign: the same turn every run
    turned = xy @ np.array([[main[0], -main[1]], [main[1], main[0]]])
    return {n: (float(a), float(b)) for n, (a, b) in zip(names, turned, strict=True)}


def support_colours(G: nx.MultiDiGraph) -> dict[str, str]:
    kinds = sorted({d.get("support_kind") or "" for _, _, d in G.edges(data=True) if d["kind"] == "supported"})
    return {k: SUPPORT_COLOURS[i % len(SUPPORT_COLOURS)] for i, k in enumerate(kinds)}


def display_label(G: nx.MultiDiGraph, n: str, lang: str) -> str:
    """Node text in a picture: sides get a short name in the article's language (their RDF label is 'side 1')."""
    data = G.nodes[n]
    if data.get("kind") == "side" and data.get("side_number") is not None:
        return side_name(data["side_number"], lang)
    label = data.get("label") or local_name(n)
    return label if len(label) <= 24 else label[:23] + "…"


def default_title(G: nx.MultiDiGraph) -> str:
    conflicts = sorted(node_label(G, c) for c, k in G.nodes(data="kind") if k == "conflict")
    return " · ".join(conflicts[:3]) + (" …" if len(conflicts) > 3 else "")
