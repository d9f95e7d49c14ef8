"""The network as a PNG (matplotlib, with a CJK font for Chinese labels)."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import networkx as nx

from graph.network.export import atomic_write
from graph.network.labels import place_labels
from graph.network.layout import (
    EDGE_STYLES,
    SIDE_COLOURS,
    SIDE_LEGEND,
    default_title,
    display_label,
    layout,
    support_colours,
)
from graph.network.membership import side_membership

CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Sans CJK JP",
             "Noto Sans SC", "Noto Serif CJK SC", "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans",
             "Droid Sans Fallback", "AR PL UMing CN", "AR PL UKai CN", "SimHei", "Microsoft YaHei", "PingFang SC",
             "Heiti SC", "Hiragino Sans GB", "Arial Unicode MS")
FONT_HINT = "no CJK font found for the picture's labels; install one, e.g. `apt-get install fonts-wqy-microhei`"



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


NODE_LOOK = {  # kind → (marker, size in points², font size)
    "conflict": ("D", 1400, 13), "side": ("s", 900, 12), "party": ("o", 600, 10.5), "person": ("o", 170, 8),
    "place": ("^", 450, 10), "citation": ("p", 160, 7), "article": ("h", 500, 9),
}
LABEL_ORDER = ("conflict", "side", "party", "place", "article", "person", "citation")  # who gets room first
DPI = 110
LEGEND_BAND = 1.3  # inches at the foot of the picture for the legend: inside the picture, never over a node
TITLE_BAND = 0.7


def draw_png(G: nx.MultiDiGraph, path: Path, lang: str | None = None, title: str | None = None,
             stats: dict | None = None) -> Path:
    """A picture of the network: nodes coloured by side membership (within each conflict: see
    graph.network.membership), supporters' edges dashed and coloured by kind of support, labels in one script
    placed where they overlap nothing (graph.network.labels; a label with no room is left out, counted in the
    foot note and in ``stats``), the legend in a band inside the picture. Needs a CJK font (RuntimeError)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    lang = G.graph.get("script") or lang or "en"
    font = cjk_font()
    pos = layout(G)
    n = max(1, G.number_of_nodes())
    width = max(12.0, min(40.0, 2.6 * math.sqrt(n)))
    ys = [p[1] for p in pos.values()] or [0.0]
    aspect = max(0.45, (max(ys) - min(ys)) + 0.12)  # the layout's height for a width of 1, with the margins
    height = width * aspect + LEGEND_BAND + TITLE_BAND
    with plt.rc_context({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False}):
        fig = plt.figure(figsize=(width, height), dpi=DPI)
        ax = fig.add_axes((0.01, LEGEND_BAND / height, 0.98, 1 - (LEGEND_BAND + TITLE_BAND) / height))
        ax.set_xlim(-0.06, 1.06)
        ax.set_ylim(min(ys) - 0.06, max(ys) + 0.06)
        ax.set_axis_off()
        D = nx.DiGraph()
        D.add_nodes_from(G.nodes)
        _draw_edges(G, D, pos, ax)
        _draw_nodes(G, D, pos, ax)
        placed, dropped = _draw_labels(G, pos, fig, ax, lang, font)
        handles = _legend_handles(G)
        if handles:  # an empty graph (no conflict in the input) has nothing to explain
            fig.legend(handles=handles, loc="lower center", ncol=min(len(handles), 6), fontsize=11, frameon=True,
                       bbox_to_anchor=(0.5, 0.12 / height), framealpha=1.0, edgecolor="#e2e8f0")
        if dropped:
            fig.text(0.995, 0.05 / height, f"{dropped} labels left out where they would overlap "
                     "(the HTML page shows them all)", ha="right", va="bottom", fontsize=9, color="#4a5568")
        fig.suptitle(title or default_title(G), fontsize=16, y=1 - 0.2 / height, va="top")
        if stats is not None:
            stats.update({"labels": placed, "dropped": dropped, "font": font,
                          "legend": fig.legends[0].get_window_extent(fig.canvas.get_renderer()).bounds
                          if fig.legends else None,
                          "axes": ax.get_window_extent().bounds, "size": (fig.get_figwidth() * DPI,
                                                                          fig.get_figheight() * DPI)})
        path = Path(path)
        atomic_write(path, lambda p: fig.savefig(p, dpi=DPI, format="png"))
        plt.close(fig)
    return path


def _legend_handles(G: nx.MultiDiGraph) -> list:
    from matplotlib.lines import Line2D

    present = {side_membership(G, n) for n in G}
    handles = [Line2D([], [], marker="o", ls="", color=c, markersize=10, label=SIDE_LEGEND[name])
               for name, c in SIDE_COLOURS.items() if name in present]
    handles += [Line2D([], [], ls="--", color=c, lw=2, label=f"supported: {k or '?'}")
                for k, c in support_colours(G).items()]
    kinds = {k for _, _, k in G.edges(data="kind")}
    handles += [Line2D([], [], ls=s, color=c, lw=w, label=k) for k, (c, w, s, _) in EDGE_STYLES.items()
                if k in kinds]
    return handles


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


def _draw_nodes(G: nx.MultiDiGraph, D: nx.DiGraph, pos: dict, ax) -> None:
    for kind, (marker, size, _) in NODE_LOOK.items():
        nodes = sorted(n for n, k in G.nodes(data="kind") if k == kind)
        if nodes:
            nx.draw_networkx_nodes(D, pos, nodelist=nodes, node_shape=marker, node_size=size, ax=ax,
                                   node_color=[SIDE_COLOURS[side_membership(G, n)] for n in nodes],
                                   edgecolors="white", linewidths=1.2)


def _draw_labels(G: nx.MultiDiGraph, pos: dict, fig, ax, lang: str, font: str) -> tuple[list[dict], int]:
    """Measure every label, place those that fit (graph.network.labels) and draw them; (placed, left out)."""
    renderer = fig.canvas.get_renderer()
    nodes = [n for n in G.nodes if n in pos]
    rank = {k: i for i, k in enumerate(LABEL_ORDER)}
    texts, centres, radii, sizes = [], [], [], []
    for n in nodes:
        kind = G.nodes[n].get("kind")
        _, size, font_size = NODE_LOOK.get(kind, ("o", 100, 8))
        text = display_label(G, n, lang)
        probe = ax.text(0, 0, text, fontsize=font_size, fontfamily=font)
        box = probe.get_window_extent(renderer)
        probe.remove()
        texts.append((text, font_size))
        centres.append(tuple(ax.transData.transform(pos[n])))
        radii.append(math.sqrt(size) / 2 * DPI / 72)
        sizes.append((box.width + 4, box.height + 2))  # the white box around the text
    order = sorted(range(len(nodes)), key=lambda i: (rank.get(G.nodes[nodes[i]].get("kind"), 9),
                                                      -G.degree(nodes[i]), texts[i][0]))
    frame = ax.get_window_extent()
    placed = place_labels(centres, radii, sizes, order, bounds=(0, 0, fig.bbox.width, frame.y1 + 40))
    to_data = ax.transData.inverted()
    for p in placed:
        text, font_size = texts[p.index]
        if p.far:  # a label away from its node says whose it is
            ax.plot(*zip(pos[nodes[p.index]], to_data.transform(p.anchor), strict=True), color="#a0aec0",
                    linewidth=0.6, zorder=4)
        ax.text(*to_data.transform(p.anchor), text, ha="center", va="center", fontsize=font_size, fontfamily=font,
                zorder=5, bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.8})
    shown = [{"node": nodes[p.index], "label": texts[p.index][0], "box": p.box} for p in placed]
    return shown, len(nodes) - len(placed)
