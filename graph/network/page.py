"""The network as one self-contained HTML page (inline SVG, no script from elsewhere)."""

from __future__ import annotations

import html
from pathlib import Path

import networkx as nx

from graph.network import layout as look
from graph.network.export import write_text_atomically


def draw_html(G: nx.MultiDiGraph, path: Path, lang: str = "zh") -> Path:
    """A self-contained page (no network access needed): an SVG of the same layout, tooltips on hover,
    drag a node to move it, wheel to zoom, drag the background to pan."""
    pos = look.layout(G)
    W, H, pad = 1400, 1000, 60
    xy = {n: (pad + x * (W - 2 * pad), pad + (1 - y) * (H - 2 * pad)) for n, (x, y) in pos.items()}
    index = {n: i for i, n in enumerate(G.nodes)}
    colours = look.support_colours(G)
    lines = []
    for u, v, d in G.edges(data=True):
        if d["kind"] == "supported":
            colour, width, dash = colours[d.get("support_kind") or ""], 2, "6 4"
        else:
            colour, width, style, _ = look.EDGE_STYLES.get(d["kind"], ("#a0aec0", 0.6, "solid", 0.5))
            dash = {"dotted": "2 3", "dashed": "6 4"}.get(style, "")
        tip = d["kind"] + (f": {d['support_kind']}" if d.get("support_kind") else "")
        lines.append(f'<line data-u="{index[u]}" data-v="{index[v]}" x1="{xy[u][0]:.1f}" y1="{xy[u][1]:.1f}" '
                     f'x2="{xy[v][0]:.1f}" y2="{xy[v][1]:.1f}" stroke="{colour}" stroke-width="{width}" '
                     f'stroke-dasharray="{dash}"><title>{html.escape(tip)}</title></line>')
    nodes = [_svg_node(G, n, index[n], xy[n], lang) for n in G.nodes]
    title = html.escape(look.default_title(G) or "wikikg network")
    legend = "".join(f'<span style="color:{c}">●</span> {html.escape(k)} &nbsp; ' for k, c in look.SIDE_COLOURS.items())
    legend += "".join(f'<span style="color:{c}">╌</span> supported: {html.escape(k or "?")} &nbsp; '
                      for k, c in colours.items())
    page = HTML_PAGE.format(lang=html.escape(lang), title=title, legend=legend, w=W, h=H,
                            edges="\n".join(lines), nodes="\n".join(nodes))
    return write_text_atomically(Path(path), page)


def _svg_node(G: nx.MultiDiGraph, n: str, i: int, xy: tuple[float, float], lang: str) -> str:
    data = G.nodes[n]
    kind = data.get("kind", "")
    radius = {"conflict": 14, "side": 12, "party": 10, "place": 8, "person": 5, "article": 9}.get(kind, 4)
    tip = "\n".join(x for x in (data.get("label", ""), f"{kind} · {look.side_membership(G, n)}", data.get("qid", ""),
                                n) if x)
    colour = look.SIDE_COLOURS[look.side_membership(G, n)]
    shape = (f'<rect x="{-radius}" y="{-radius}" width="{2 * radius}" height="{2 * radius}" fill="{colour}"/>'
             if kind in ("side", "conflict") else f'<circle r="{radius}" fill="{colour}"/>')
    size = 13 if kind in ("conflict", "side", "party") else 10
    return (f'<g class="node" data-i="{i}" transform="translate({xy[0]:.1f},{xy[1]:.1f})">{shape}'
            f'<text x="{radius + 3}" y="4" font-size="{size}">{html.escape(look.display_label(G, n, lang))}</text>'
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
