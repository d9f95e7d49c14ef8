"""The network as a PNG (matplotlib, with a CJK font for Chinese labels)."""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path

import networkx as nx

from graph.network.export import atomic_write
from graph.network.layout import (
    EDGE_STYLES,
    SIDE_COLOURS,
    default_title,
    display_label,
    layout,
    side_membership,
    support_colours,
)

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
        ax.set_title(title or default_title(G), fontsize=16)
        ax.set_axis_off()
        ax.margins(0.06)
        fig.tight_layout()
        path = Path(path)
        atomic_write(path, lambda p: fig.savefig(p, dpi=110, format="png"))
        plt.close(fig)
    return path


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
