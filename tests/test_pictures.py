"""The pictures and the timeline (graph.network: membership, language, labels, timeline, picture,
timeline_picture; `wikikg timeline`, `wikikg analyze --html`), without a browser."""

from __future__ import annotations

import itertools
import json
import re

import networkx as nx
import pyoxigraph as ox
import pytest

from graph import network
from graph.cli.main import main
from graph.network.labels import overlaps, place_labels
from graph.network.language import in_script, normalise_lang, script_of
from graph.network.membership import node_conflicts, side_membership, side_memberships
from graph.network.timeline import When, filter_timeline, parse_when, read_timeline
from graph.network.vendor import version
from graph.wikitext.text import has_cjk, zh_script_tag

from .conftest import SEED, shared_path

VIS_VERSION = f"@version {version('vis-network')}"  # the vendored library is inlined

SIX = [("seeds", "zh_first_nagorno_karabakh_war.wiki"), ("fixtures", "en_american_revolutionary_war_2020.wiki"),
       ("fixtures", "en_battle_of_bosworth_field.wiki"), ("fixtures", "en_battle_of_wakefield.wiki"),
       ("fixtures", "zh_naissus_battle.wiki"), ("fixtures", "zh_shucheng_battle_1938.wiki")]
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="session")
def six_store():
    """The six real articles of the acceptance material, built into one store."""
    return network.build_graph([str(shared_path(*p)) for p in SIX])


@pytest.fixture(scope="session")
def seed_store(seed_build):
    ttl, _ = seed_build
    return network.load_graph([str(ttl)])


def two_wars() -> nx.MultiDiGraph:
    """X fights on side 1 of war A and side 2 of war B; Y supports both sides of A."""
    G = nx.MultiDiGraph()
    for war in "AB":
        G.add_node(war, kind="conflict")
        for n in (1, 2):
            G.add_node(f"{war}{n}", kind="side", side_number=n, conflict=war)
            G.add_edge(f"{war}{n}", war, kind="side-of")
    G.add_node("X", kind="party")
    G.add_node("Y", kind="party")
    G.add_edge("X", "A1", kind="fought-on-side")
    G.add_edge("X", "B2", kind="fought-on-side")
    G.add_edge("Y", "A1", kind="supported")
    G.add_edge("Y", "A2", kind="supported")
    return G


def test_sides_are_decided_per_conflict():
    G = two_wars()
    assert side_memberships(G, "X") == {"A": "side 1", "B": "side 2"}
    assert side_membership(G, "X") == "varies"  # not "both": side 1 of A and side 2 of B are unrelated
    assert side_membership(G, "X", "B") == "side 2" and side_membership(G, "X", "Z") == "neither"
    assert side_membership(G, "Y") == "both" and side_membership(G, "A2") == "side 2"
    assert node_conflicts(G)["X"] == {"A", "B"} and node_conflicts(G)["Y"] == {"A"}


def test_six_articles_colour_sides_per_conflict(six_store):
    G = network.to_networkx(six_store, lang="en")
    york = next(n for n, d in G.nodes(data=True) if d["label"] == "House of York")
    assert set(side_memberships(G, york).values()) == {"side 1", "side 2"}  # Wakefield and Bosworth
    assert side_membership(G, york) == "varies"
    russia = network.to_networkx(six_store, lang="zh").nodes["https://w3id.org/wikikg/resource/zh/俄罗斯"]
    assert russia["label"] == "俄罗斯"


def test_language_choice():
    assert normalise_lang("zh-hant") == "zh-Hant" and normalise_lang("zh-CN") == "zh-Hans"
    assert normalise_lang("EN") == "en" and normalise_lang(None) is None
    assert in_script("亞塞拜然", "zh-Hans") == "阿塞拜疆" and in_script("阿塞拜疆", "zh-Hant") == "亞塞拜然"
    assert in_script("Battle of Wakefield", "zh-Hant") == "Battle of Wakefield"
    assert script_of("zh", ["亞美尼亞", "蘇聯", "阿塞拜疆"]) == "zh-Hant" and script_of("en") is None


@pytest.mark.parametrize("lang, other", [("zh-Hans", "zh-Hant"), ("zh-Hant", "zh-Hans")])
def test_one_script_per_picture(six_store, lang, other):
    G = network.to_networkx(six_store, lang=lang)
    chinese = [d["label"] for _, d in G.nodes(data=True) if has_cjk(d["label"])]
    assert len(chinese) > 30
    assert [t for t in chinese if zh_script_tag(t) == other] == []
    assert G.graph["script"] == lang


def test_labels_never_overlap_and_give_way():
    # twelve nodes in a row, 3 units apart, whose 40×10 labels cannot all fit in the room given
    centres = [(i * 3.0, 0.0) for i in range(12)]
    radii, sizes = [2.0] * 12, [(40.0, 10.0)] * 12
    bounds = (-40, -30, 80, 30)
    placed = place_labels(centres, radii, sizes, order=range(12), bounds=bounds)
    assert 0 < len(placed) < 12
    for a, b in itertools.combinations(placed, 2):
        assert not overlaps(a.box, b.box)
    for p in placed:
        assert all(not overlaps(p.box, (x - 2, y - 2, x + 2, y + 2)) for x, y in centres)
        assert p.box[0] >= bounds[0] and p.box[2] <= bounds[2] and p.box[1] >= bounds[1] and p.box[3] <= bounds[3]
    # a sparse grid: every label fits
    grid = [(x * 20.0, y * 20.0) for x, y in itertools.product(range(8), range(8))]
    assert len(place_labels(grid, [3.0] * 64, [(16.0, 6.0)] * 64, order=range(64))) == 64
    # with room, every label is placed, the first right below its node
    roomy = place_labels([(0, 0), (500, 0)], [5, 5], [(40, 10), (40, 10)], order=[0, 1])
    assert len(roomy) == 2 and roomy[0].box[3] < 0 < roomy[0].box[2]


def test_png_of_six_articles_has_no_overlapping_labels(six_store, tmp_path):
    pytest.importorskip("matplotlib")
    try:
        network.cjk_font()
    except RuntimeError as e:
        pytest.skip(str(e))
    G = network.to_networkx(six_store, lang="zh-Hans")
    stats = {}
    path = network.draw_png(G, tmp_path / "six.png", stats=stats)
    assert path.read_bytes().startswith(b"\x89PNG")
    boxes = [p["box"] for p in stats["labels"]]
    assert all(not overlaps(a, b) for a, b in itertools.combinations(boxes, 2))
    labelled = {p["node"] for p in stats["labels"]}
    important = {n for n, k in G.nodes(data="kind") if k in ("conflict", "side", "party")}
    assert important <= labelled  # what gives way is a commander or a place, never a party
    assert stats["dropped"] <= 0.05 * G.number_of_nodes()
    # the legend is inside the picture, under the network, not over it and not cut at an edge
    lx, ly, lw, lh = stats["legend"]
    width, height = stats["size"]
    ax_x, ax_y, _, _ = stats["axes"]
    assert lx >= 0 and lx + lw <= width and ly >= 0 and ly + lh <= ax_y + 1


def test_png_of_an_empty_graph(tmp_path):
    pytest.importorskip("matplotlib")
    try:
        network.cjk_font()
    except RuntimeError as e:
        pytest.skip(str(e))
    stats = {}
    path = network.draw_png(nx.MultiDiGraph(lang="en"), tmp_path / "empty.png", stats=stats)
    assert path.read_bytes().startswith(b"\x89PNG") and stats["labels"] == [] and stats["legend"] is None


def test_timeline_reads_dates_with_their_precision(seed_store):
    G = network.to_networkx(seed_store, lang="zh-Hans")
    timeline = read_timeline(seed_store, "zh-Hans", G)
    dated = seed_store.query("PREFIX wkg: <https://w3id.org/wikikg/ontology#> "
                             "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e a wkg:Event ; wkg:startDate ?d "
                             "FILTER NOT EXISTS { ?e a wkg:Conflict } }")
    assert len(timeline.events) == int(next(iter(dated))["n"].value)
    assert {e.precision for e in timeline.events} == {"day", "month", "year"}
    year = next(e for e in timeline.events if e.precision == "year")
    assert year.start.last_day()[1:] == (12, 31)  # a year covers the whole year
    kinds = {lane["kind"] for lane in timeline.lanes.values()}
    assert kinds == {"conflict", "sub-event", "background"}
    conflict = next(iter(timeline.conflicts.values()))
    assert all(e.start.first_day() < conflict["start"].first_day() or e.start.year > conflict["end"].year
               for e in timeline.events if timeline.lanes[e.lane]["kind"] == "background")
    assert any(e.sources for e in timeline.events) and any(e.inferred for e in timeline.events)
    assert len(filter_timeline(timeline, precisions=["day"]).events) < len(timeline.events)
    assert len(filter_timeline(timeline, conflicts=["no such war"]).events) == 0
    assert len(filter_timeline(timeline, conflicts=["納戈爾諾"]).events) == len(timeline.events)  # any script


def test_dates_parse_to_their_precision():
    assert parse_when(ox.Literal("1992", datatype=ox.NamedNode(XSD + "gYear"))) == When(1992)
    assert parse_when(ox.Literal("1992-02", datatype=ox.NamedNode(XSD + "gYearMonth"))) == When(1992, 2)
    assert parse_when(ox.Literal("0268-07-01", datatype=ox.NamedNode(XSD + "date"))) == When(268, 7, 1)
    assert parse_when(ox.Literal("soon")) is None
    assert When(1992, 2).last_day() == (1992, 2, 29) and str(When(268, 7, 1)) == "0268-07-01"


def test_timeline_command_writes_page_and_picture(tmp_path, capsys):
    page = tmp_path / "t.html"
    assert main(["timeline", str(SEED), "-o", str(page), "--lang", "zh-Hant"]) == 0
    text = page.read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script id="wikikg-data" type="application/json">(.*?)</script>', text, re.S)[1])
    assert "納戈爾諾-卡拉巴赫戰爭" in {c["label"] for c in data["conflicts"]}
    assert {i["precision"] for i in data["items"] if not i.get("period")} == {"day", "month", "year"}
    assert main(["timeline", str(SEED), "-o", str(tmp_path / "few.html"), "--search", "舒沙"]) == 0
    assert "events)" in capsys.readouterr().err
    assert main(["timeline", str(SEED), "-o", str(tmp_path / "t.svg")]) == 2
    assert main(["timeline", str(SEED), "-o", str(tmp_path / "t.html"), "--precision", "week"]) == 2
    try:
        network.cjk_font()
    except (RuntimeError, ImportError):
        return
    picture = tmp_path / "t.png"
    assert main(["timeline", str(SEED), "-o", str(picture)]) == 0
    assert picture.read_bytes().startswith(b"\x89PNG") and picture.stat().st_size > 20_000


def test_analyze_html_writes_the_page(tmp_path):
    page = tmp_path / "net.html"
    assert main(["analyze", str(SEED), "--html", str(page), "--lang", "zh-Hant", "--format", "json"]) == 0
    text = page.read_text(encoding="utf-8")
    assert '<html lang="zh-Hant">' in text and "亞美尼亞" in text and VIS_VERSION in text
