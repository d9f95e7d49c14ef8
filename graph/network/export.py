"""The network written for other tools: GraphML (yEd, Cytoscape), GEXF (Gephi), node-link JSON (D3)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

import networkx as nx

from graph.rdf.serialize import atomic_path


def atomic_write(path: Path, write: Callable[[str], None]) -> Path:
    """Write through graph.rdf.serialize.atomic_path: never half a file."""
    with atomic_path(path) as tmp:
        write(tmp)
    return path


def write_text_atomically(path: Path, text: str) -> Path:
    return atomic_write(Path(path), lambda p: Path(p).write_text(text, encoding="utf-8"))


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
            written.append(atomic_write(out_dir / "graph.graphml", lambda p: nx.write_graphml(flat, p)))
        elif fmt == "gexf":
            written.append(atomic_write(out_dir / "graph.gexf", lambda p: nx.write_gexf(flat, p)))
        elif fmt == "json":
            data = json.dumps(nx.node_link_data(flat, edges="links"), ensure_ascii=False, indent=1)
            written.append(write_text_atomically(out_dir / "graph.json", data))
        else:
            raise ValueError(f"unknown export format {fmt!r} (graphml, gexf, json)")
    return written
