"""The network as one self-contained HTML page: vis-network (inlined, see graph.network.vendor) lays it out
with forces that settle and fit the window; search, filters by conflict, side, relation and node kind; a
click shows a node's facts, their sources and its Wikidata link.

The page's data is built here (``page_data``, plain JSON); the page itself is templates/network.html.
"""

from __future__ import annotations

import html
import math
from collections import defaultdict
from collections.abc import Collection
from pathlib import Path

import networkx as nx

from graph.network import layout as look
from graph.network import vendor
from graph.network.export import write_text_atomically
from graph.network.language import search_key
from graph.network.membership import node_conflicts, side_membership, side_memberships

# relation (a filter of the page) → the edge kinds it shows; side-of is the frame, always shown
RELATIONS = {"belligerent": ("fought-on-side",), "supported": ("supported",), "commanded": ("commanded", "affiliated"),
             "cited-by": ("cited-by",), "place": ("occurred-at",), "part-of": ("part-of",), "mentions": ("mentions",)}
RELATION_OF = {kind: relation for relation, kinds in RELATIONS.items() for kind in kinds}
KIND_LOOK = {  # node kind → (vis-network shape, size)
    "conflict": ("diamond", 26), "side": ("square", 18), "party": ("dot", 16), "person": ("dot", 8),
    "place": ("triangle", 12), "citation": ("star", 9), "article": ("hexagon", 14),
}
# how a node's own edges read in its panel: kind → words before the other end
FACT_WORDS = {"fought-on-side": "fought on", "supported": "supported", "commanded": "commanded",
              "affiliated": "affiliated with", "occurred-at": "took place at", "part-of": "part of",
              "side-of": "a side of", "cited-by": "backs a fact about", "mentions": "mentions"}
# and the edges that reach it: kind → the heading of the list of their other ends
INCOMING_WORDS = {"fought-on-side": "belligerents", "supported": "supporters", "commanded": "commanders",
                  "affiliated": "commanders affiliated", "occurred-at": "conflicts here", "part-of": "parts",
                  "side-of": "sides", "mentions": "mentioned by"}
FONTS = {"zh-Hant": '"Noto Sans CJK TC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "PingFang TC", '
                    '"Microsoft JhengHei", sans-serif',
         "default": '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Noto Sans CJK TC", "PingFang SC", '
                    '"Microsoft YaHei", sans-serif'}


def draw_html(G: nx.MultiDiGraph, path: Path, lang: str | None = None, sources: dict | None = None,
              title: str | None = None, switched_off: Collection[str] = ()) -> Path:
    """Write the page to ``path``; ``sources`` (graph.network.sources.sources_of) fills the panels' source
    lists; the relations in ``switched_off`` (of ``RELATIONS``) are in the page but unticked when it opens
    (the citations: a reader asks for them). The page needs no network access: the library and the data are
    inside it."""
    lang = G.graph.get("script") or lang or "en"
    data = page_data(G, lang, sources or {})
    data["relationsOff"] = [r for r in switched_off if r in data["relations"]]
    title = title or look.default_title(G) or "wikikg network"
    page = vendor.fill(vendor.template("network.html"), lang=html.escape(lang), title=html.escape(title),
                       font=html.escape(FONTS.get(lang, FONTS["default"]), quote=False),
                       font_json=vendor.json_for_script(FONTS.get(lang, FONTS["default"])),
                       data=vendor.json_for_script(data), vis_network=vendor.script(vendor.VIS_NETWORK))
    return write_text_atomically(Path(path), page)


def page_data(G: nx.MultiDiGraph, lang: str, sources: dict[str, list[dict]]) -> dict:
    """Nodes, edges, conflicts, relations, kinds and colours as the page's script reads them."""
    index = {n: i for i, n in enumerate(G.nodes)}
    conflicts = sorted((n for n, k in G.nodes(data="kind") if k == "conflict"), key=lambda c: look.node_label(G, c))
    conflict_id = {c: f"c{i}" for i, c in enumerate(conflicts)}
    conflicts_of = node_conflicts(G)
    pos = look.layout(G)
    scale = 140 * math.sqrt(max(1, G.number_of_nodes()))  # where the forces start, in the page's pixels
    start = {n: ((x - 0.5) * scale, (0.5 - y) * scale) for n, (x, y) in pos.items()}
    nodes = [_node_record(G, n, index[n], lang, sources, start.get(n, (0.0, 0.0)), conflict_id,
                          conflicts_of.get(n, set())) for n in G.nodes]
    colours = look.support_colours(G)
    edges = [_edge_record(i, index[u], index[v], d, colours) for i, (u, v, d) in enumerate(G.edges(data=True))]
    present = {e["relation"] for e in edges}
    return {
        "lang": lang, "nodes": nodes, "edges": edges,
        "conflicts": [{"id": conflict_id[c], "label": look.node_label(G, c)} for c in conflicts],
        "relations": [r for r in RELATIONS if r in present],
        "kinds": [k for k in KIND_LOOK if any(n["kind"] == k for n in nodes)],
        "sideColours": look.SIDE_COLOURS, "sideLegend": look.SIDE_LEGEND,
        "supportColours": {k or "?": c for k, c in colours.items()},
    }


def _node_record(G: nx.MultiDiGraph, n: str, i: int, lang: str, sources: dict, xy: tuple[float, float],
                 conflict_id: dict[str, str], conflicts: set[str]) -> dict:
    d = G.nodes[n]
    shape, size = KIND_LOOK.get(d.get("kind"), ("dot", 8))
    kinds = {k for _, _, k in G.in_edges(n, data="kind")} | {k for _, _, k in G.out_edges(n, data="kind")}
    facts, node_sources = node_facts(G, n, lang, sources)
    return {
        "id": i, "iri": n, "label": look.display_label(G, n, lang), "kind": d.get("kind", ""),
        "shape": shape, "size": size, "x": round(xy[0], 1), "y": round(xy[1], 1),
        "membership": side_membership(G, n),  # across conflicts; "memberships" within each
        "memberships": {conflict_id[c]: m for c, m in side_memberships(G, n).items() if c in conflict_id},
        "conflicts": sorted(conflict_id[c] for c in conflicts if c in conflict_id),
        "relations": sorted({RELATION_OF[k] for k in kinds if k in RELATION_OF}),
        "search": search_key([d.get("label", ""), *d.get("names", ()), n]),
        "names": d.get("names", []), "qid": d.get("qid"), "wikipedia": d.get("wikipedia"),
        "facts": facts, "sources": node_sources,
    }


def _edge_record(i: int, u: int, v: int, d: dict, support_colours: dict[str, str]) -> dict:
    kind = d["kind"]
    colour, width, style, _ = look.EDGE_STYLES.get(kind, ("#a0aec0", 0.6, "solid", 0.5))
    if kind == "supported":  # coloured by the kind of support, as in the picture
        colour, width, style = support_colours[d.get("support_kind") or ""], 2.0, "dashed"
    return {"id": i, "from": u, "to": v, "kind": kind, "relation": RELATION_OF.get(kind, "frame"), "color": colour,
            "width": width, "dashes": style != "solid", "arrows": kind == "supported",
            "title": kind + (f": {d['support_kind']}" if d.get("support_kind") else "")}


def node_facts(G: nx.MultiDiGraph, n: str, lang: str, sources: dict[str, list[dict]]) -> tuple[list, list]:
    """A node's panel: the facts its own edges state (with their period and sources), the lists of what reaches
    it, and every source of them together (a conflict's own sources first)."""
    facts, found = [], list(sources.get(n, []))
    for _, v, d in sorted(G.out_edges(n, data=True), key=lambda e: (e[2]["kind"], look.node_label(G, e[1]))):
        text = f"{FACT_WORDS.get(d['kind'], d['kind'])} {_name(G, v, lang)}"
        if d.get("support_kind"):
            text += f" ({d['support_kind']})"
        if d.get("killed_in_action"):
            text += ", killed in action"
        if d.get("start") or d.get("end"):
            text += f" [{d.get('start') or '?'} – {d.get('end') or '?'}]"
        fact_sources = sources.get(d.get("fact") or "", [])
        found += fact_sources
        facts.append({"text": text, "sources": fact_sources})
    incoming: dict[str, set[str]] = defaultdict(set)
    for u, _, kind in G.in_edges(n, data="kind"):
        if kind != "cited-by":  # the markers' sources are listed in full below
            incoming[INCOMING_WORDS.get(kind, kind)].add(_name(G, u, lang))
    for heading, names in sorted(incoming.items()):
        facts.append({"text": f"{heading}: {', '.join(sorted(names))}", "sources": []})
    unique = {s["label"]: s for s in found}
    return facts, [unique[k] for k in sorted(unique)]


def _name(G: nx.MultiDiGraph, n: str, lang: str) -> str:
    """A node named in a sentence: a side with its conflict (side 1 of one war is not side 1 of another)."""
    if G.nodes[n].get("kind") == "side":
        conflict = G.nodes[n].get("conflict") or next(
            (v for _, v, k in G.out_edges(n, data="kind") if k == "side-of"), None)
        if conflict in G:
            return f"{look.display_label(G, n, lang)} · {look.node_label(G, conflict)}"
    return look.display_label(G, n, lang)
