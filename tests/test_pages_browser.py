"""The network page and the timeline page opened in a real headless browser (Chromium, via Playwright): they
load with no console error and no request off the machine, search and filters change what is shown, a click
opens a node's panel, a hover an event's sentence; screenshots are saved. Skipped, saying why, where no
browser is installed."""

from __future__ import annotations

import networkx as nx
import pyoxigraph as ox
import pytest

from graph import network
from graph.network.page import RELATION_OF
from graph.network.timeline import read_timeline
from graph.network.timeline_page import draw_timeline_html
from graph.wikitext.text import to_traditional

from .browser import PageWatch, chromium, why_no_browser

RUSSIA = "https://w3id.org/wikikg/resource/zh/俄罗斯"
SKOS_EXACT = "http://www.w3.org/2004/02/skos/core#exactMatch"
WIKIDATA = "http://www.wikidata.org/entity/"

pytestmark = pytest.mark.skipif(why_no_browser() is not None, reason=str(why_no_browser()))


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture(scope="module")
def seed_pages(seed_build, tmp_path_factory):
    """The seed's network page and timeline page, and the folder screenshots go to."""
    ttl, _ = seed_build
    store = network.load_graph([str(ttl)])
    # Russia reconciled to its Wikidata item, as `wikikg reconcile` links it
    store.add(ox.Quad(ox.NamedNode(RUSSIA), ox.NamedNode(SKOS_EXACT), ox.NamedNode(WIKIDATA + "Q159")))
    G = network.to_networkx(store, lang="zh-Hans")
    folder = tmp_path_factory.mktemp("pages")
    # as `wikikg analyze --html` writes it: with the citations, unticked at first
    cited = network.to_networkx(store, layers=network.DEFAULT_LAYERS | {"citations"}, lang="zh-Hans")
    net = network.draw_html(cited, folder / "network.html", sources=network.sources_of(store),
                            switched_off=("cited-by",))
    timeline = read_timeline(store, "zh-Hans", G)
    tl = draw_timeline_html(timeline, folder / "timeline.html")
    return {"network": net, "timeline": tl, "graph": G, "cited": cited, "timeline_data": timeline,
            "shots": folder}


@pytest.fixture
def network_page(browser, seed_pages):
    watch = PageWatch(browser, seed_pages["network"])
    yield watch
    watch.close()


@pytest.fixture
def timeline_page(browser, seed_pages):
    watch = PageWatch(browser, seed_pages["timeline"])
    yield watch
    watch.close()


def test_network_page_opens_settled_and_fitted(network_page, seed_pages):
    page, G = network_page.page, seed_pages["graph"]
    assert network_page.errors == [] and network_page.requests == []
    assert network_page.shown() == G.number_of_nodes()  # the citations are there, but not shown at first
    # every node is in the window once the forces have settled (fit), none left outside the canvas
    outside = page.evaluate("""() => { const net = window.wikikg.network, box = document.getElementById('net')
        .getBoundingClientRect(); const pos = net.getPositions();
        return Object.values(pos).map(p => net.canvasToDOM(p))
          .filter(p => p.x < 0 || p.y < 0 || p.x > box.width || p.y > box.height).length; }""")
    assert outside == 0
    shot = seed_pages["shots"] / "network.png"
    page.screenshot(path=str(shot))
    assert shot.stat().st_size > 20_000


def test_network_search_in_either_script(network_page):
    page, everything = network_page.page, network_page.shown()
    page.fill("#search", to_traditional("亚美尼亚"))  # the labels are simplified; the query is not
    found = page.evaluate("window.wikikg.shownLabels()")
    assert 0 < network_page.shown() < everything and "亚美尼亚" in found
    page.fill("#search", "")
    assert network_page.shown() == everything
    page.fill("#search", "no such name anywhere")
    assert network_page.shown() == 0
    assert network_page.errors == []


def test_network_filters_change_what_is_shown(network_page, seed_pages):
    page, G = network_page.page, seed_pages["graph"]
    everything = network_page.shown()
    persons = {d["label"] for _, d in G.nodes(data=True) if d["kind"] == "person"}
    # without the command relation, the commanders go, and so does a party only their affiliation names
    only_command = [n for n in G if G.nodes[n]["kind"] not in ("conflict", "side")
                    and {RELATION_OF.get(k) for _, _, k in G.edges(n, data="kind")}
                    | {RELATION_OF.get(k) for _, _, k in G.in_edges(n, data="kind")} == {"commanded"}]
    page.uncheck("input[data-filter=relations][value=commanded]")
    assert network_page.shown() == everything - len(only_command) <= everything - len(persons)
    assert not persons & set(page.evaluate("window.wikikg.shownLabels()"))
    page.check("input[data-filter=relations][value=commanded]")
    page.uncheck("input[data-filter=sides][value='side 2']")
    side_2 = network_page.shown()
    assert side_2 < everything
    page.check("input[data-filter=sides][value='side 2']")
    page.uncheck("input[data-filter=kinds][value=party]")
    assert network_page.shown() < everything
    page.screenshot(path=str(seed_pages["shots"] / "network-filtered.png"))
    page.check("input[data-filter=kinds][value=party]")
    # the citations are in the page, unticked: ticking cited-by brings them in, and the forces settle them
    citations = sum(k == "citation" for _, k in seed_pages["cited"].nodes(data="kind"))
    assert citations > 10
    page.check("input[data-filter=relations][value=cited-by]")
    assert network_page.shown() == everything + citations
    page.wait_for_function("window.wikikg.network.physics.physicsEnabled === false", timeout=20_000)
    assert network_page.errors == []


def test_network_click_opens_facts_sources_and_wikidata(network_page):
    page = network_page.page
    page.fill("#search", "俄罗斯")
    # click where the node is drawn, as a reader would
    x, y = page.evaluate("""() => { const net = window.wikikg.network;
        const id = net.getSelectedNodes()[0]; const p = net.canvasToDOM(net.getPosition(id));
        const box = document.getElementById('net').getBoundingClientRect(); return [box.x + p.x, box.y + p.y]; }""")
    page.mouse.click(x, y)
    panel = page.locator("#panel.open")
    panel.wait_for(timeout=5_000)
    text = panel.inner_text()
    assert "俄罗斯" in text and "supported" in text and "both sides of one conflict" in text
    assert "sources" in text  # Russia's support rests on cited facts
    assert page.locator("#panel a[href='https://www.wikidata.org/wiki/Q159']").count() == 1
    assert page.locator("#panel a[href*='wikipedia.org/wiki/']").count() == 1
    assert network_page.errors == []


def test_timeline_page_search_filter_and_hover(timeline_page, seed_pages):
    page, timeline = timeline_page.page, seed_pages["timeline_data"]
    assert timeline_page.errors == [] and timeline_page.requests == []
    everything = timeline_page.shown()
    assert everything == len(timeline.events) > 10
    page.screenshot(path=str(seed_pages["shots"] / "timeline.png"))
    # a year is drawn as a span of a year: its bar is wider than a day's point
    year_width = page.evaluate("Math.max(...[...document.querySelectorAll('.vis-item.vis-range.p-year')]"
                               ".map(e => e.getBoundingClientRect().width))")
    assert year_width > 40
    page.uncheck("input[data-filter=precisions][value=year]")
    assert timeline_page.shown() == sum(e.precision != "year" for e in timeline.events)
    assert page.locator(".vis-item.p-year").count() == 0
    page.check("input[data-filter=precisions][value=year]")
    page.fill("#search", "舒沙")
    assert 0 < timeline_page.shown() < everything
    item = page.locator(".vis-item.vis-range").first
    item.hover()
    tip = page.locator(".vis-tooltip")
    tip.wait_for(state="visible", timeout=5_000)
    assert "舒沙" in tip.inner_text()
    page.screenshot(path=str(seed_pages["shots"] / "timeline-search.png"))
    assert timeline_page.errors == []


def test_an_empty_graph_gives_a_page_that_says_so(browser, tmp_path):
    path = network.draw_html(nx.MultiDiGraph(lang="en"), tmp_path / "empty.html")
    watch = PageWatch(browser, path)
    assert watch.errors == [] and watch.shown() == 0
    assert "no nodes" in watch.page.inner_text("#status")
    watch.close()
