"""Stage 4c, network: a graph store → networkx, with metrics, exports and pictures; and its timeline.

Enters: graph files, wikitext or an Oxigraph store. Leaves: a networkx MultiDiGraph (``projection``), the
analyses of ``wikikg analyze`` (``metrics``), GraphML/GEXF/JSON (``export``), a PNG (``picture``, its labels
placed by ``labels``) and a self-contained HTML page (``page``, on the vendored vis-network: ``vendor``), both
from one layout (``layout``), with sides decided per conflict (``membership``), labels in one script
(``language``) and sources from the RDF (``sources``). The dated events (``timeline``) as a page
(``timeline_page``, vis-timeline) and a PNG (``timeline_picture``) for ``wikikg timeline``.

Notebook use::

    from graph import build_graph, to_networkx, analyze
    from graph.network import draw_timeline_html, read_timeline
    store = build_graph(["seeds/zh_first_nagorno_karabakh_war.wiki"])
    G = to_networkx(store, lang="zh-Hans")
    analyze(G)["centrality"][:5]
    draw_timeline_html(read_timeline(store, "zh-Hans", G), "timeline.html")
"""

from graph.network.export import export, write_text_atomically
from graph.network.metrics import analyze
from graph.network.page import draw_html
from graph.network.picture import CJK_FONTS, cjk_font, draw_png
from graph.network.projection import ALL_LAYERS, DEFAULT_LAYERS, article_language, build_graph, load_graph, to_networkx
from graph.network.sources import sources_of
from graph.network.timeline import read_timeline
from graph.network.timeline_page import draw_timeline_html
from graph.network.timeline_picture import draw_timeline_png

__all__ = ["ALL_LAYERS", "CJK_FONTS", "DEFAULT_LAYERS", "analyze", "article_language", "build_graph", "cjk_font",
           "draw_html", "draw_png", "draw_timeline_html", "draw_timeline_png", "export", "load_graph",
           "read_timeline", "sources_of", "to_networkx", "write_text_atomically"]
