"""Stage 4c, network: a graph store → networkx, with metrics, exports and pictures.

Enters: graph files, wikitext or an Oxigraph store. Leaves: a networkx MultiDiGraph (``projection``), the
analyses of ``wikikg analyze`` (``metrics``), GraphML/GEXF/JSON (``export``), a PNG (``picture``) and a
self-contained HTML page (``page``), both drawn on one layout (``layout``).

Notebook use::

    from graph import build_graph, to_networkx, analyze
    G = to_networkx(build_graph(["seeds/zh_first_nagorno_karabakh_war.wiki"]), lang="zh")
    analyze(G)["centrality"][:5]
"""

from graph.network.export import export, write_text_atomically
from graph.network.metrics import analyze
from graph.network.page import draw_html
from graph.network.picture import CJK_FONTS, cjk_font, draw_png
from graph.network.projection import ALL_LAYERS, DEFAULT_LAYERS, article_language, build_graph, load_graph, to_networkx
from graph.network.sources import sources_of

__all__ = ["ALL_LAYERS", "CJK_FONTS", "DEFAULT_LAYERS", "analyze", "article_language", "build_graph", "cjk_font",
           "draw_html", "draw_png", "export", "load_graph", "sources_of", "to_networkx", "write_text_atomically"]
