"""The graph as a network (graph.network, `wikikg analyze`): projection, analysis, exports, pictures."""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter

import networkx as nx
import pytest

from graph import network
from graph.cli.analyze import add_parser
from graph.errors import InputError
from graph.network.vendor import version

from .conftest import SEED, shared_path

VIS_VERSION = f"@version {version('vis-network')}"  # the vendored library is inlined

ZH = "https://w3id.org/wikikg/resource/zh/"
RUSSIA, ARMENIA, AZERBAIJAN = ZH + "俄罗斯", ZH + "亚美尼亚", ZH + "阿塞拜疆"
SIDE = ZH + "纳戈尔诺-卡拉巴赫战争/side/"
# the seed's states and parties (belligerents and supporters), none of them a person
SEED_PARTIES = {"俄罗斯", "亚美尼亚", "阿塞拜疆", "纳戈尔诺-卡拉巴赫共和国", "苏联", "土耳其"}


@pytest.fixture(scope="session")
def seed_graph(seed_build):
    ttl, _ = seed_build
    return network.to_networkx(network.load_graph([str(ttl)]), lang="zh")


@pytest.fixture(scope="session")
def seed_cited(seed_build):
    ttl, _ = seed_build
    return network.to_networkx([str(ttl)], layers=network.DEFAULT_LAYERS | {"citations"}, lang="zh")


@pytest.fixture(scope="session")
def seed_report(seed_cited):
    return network.analyze(seed_cited)


def test_projection_has_typed_nodes_and_edges(seed_graph):
    G = seed_graph
    assert 40 <= G.number_of_nodes() <= 60 and 60 <= G.number_of_edges() <= 90
    kinds = Counter(k for _, k in G.nodes(data="kind"))
    assert kinds["conflict"] == 1 and kinds["side"] == 3 and kinds["person"] == 23
    assert kinds["party"] >= 15 and kinds["place"] >= 1
    assert all(d["iri"] == n and d["label"] for n, d in G.nodes(data=True))
    edges = Counter(k for _, _, k in G.edges(data="kind"))
    assert edges["commanded"] == 23 and edges["affiliated"] == 23 and edges["side-of"] == 3
    assert edges["fought-on-side"] == 9 and edges["supported"] == 9 and edges["occurred-at"] == 3
    assert "cited-by" not in edges and "mentions" not in edges  # opt-in layers


def test_labels_follow_the_language(seed_build):
    ttl, _ = seed_build
    store = network.load_graph([str(ttl)])
    assert network.to_networkx(store, lang="zh").nodes[RUSSIA]["label"] == "俄罗斯"
    assert network.to_networkx(store, lang="en").nodes[RUSSIA]["label"] == "Russia"
    # Armenia is both a party and a place: as an actor it matters more
    assert network.to_networkx(store).nodes[ARMENIA]["kind"] == "party"


def test_commanders_are_persons_on_side_1_or_2(seed_graph):
    G = seed_graph
    sides = Counter()
    for u, v, d in G.edges(data=True):
        if d["kind"] == "commanded":
            assert G.nodes[u]["kind"] == "person"
            assert isinstance(d["killed_in_action"], bool)
            sides[G.nodes[v]["side_number"]] += 1
    assert sides == {1: 14, 2: 9}
    killed = {G.nodes[u]["label"] for u, _, d in G.edges(data=True) if d.get("killed_in_action")}
    assert killed == {"Monte Melkonian", "Tatul Krpeyan"}


def test_russia_supported_both_sides(seed_graph, seed_report):
    supported = {(v, d["support_kind"]) for _, v, d in seed_graph.out_edges(RUSSIA, data=True)
                 if d["kind"] == "supported"}
    assert supported == {(SIDE + "1", "equipment"), (SIDE + "2", "equipment")}
    rows = [r for r in seed_report["support_network"] if r["iri"] == RUSSIA]
    assert len(rows) == 2 and all(r["both_sides"] and r["sides_supported"] == [1, 2] for r in rows)
    assert {r["supporter"] for r in seed_report["support_network"] if r["both_sides"]} == {"俄罗斯"}


def test_most_central_actors_are_states(seed_report):
    top = seed_report["centrality"][:3]
    assert all(r["kind"] == "party" for r in top)
    assert {r["actor"] for r in top} <= SEED_PARTIES
    assert top[0]["actor"] == "俄罗斯"  # the one actor tied to both sides: the broker
    persons = [r for r in seed_report["centrality"] if r["kind"] == "person"]
    assert max(p["betweenness"] for p in persons) < top[2]["betweenness"]


def test_commanders_by_side_from_the_bipartite_projection(seed_report):
    rows = {r["side"]: r for r in seed_report["commanders_by_side"]}
    assert rows[1]["count"] == 14 and rows[2]["count"] == 9
    assert rows[1]["co_commanders"] == 14 * 13 // 2 and rows[2]["co_commanders"] == 9 * 8 // 2
    assert "Heydar Aliyev" in rows[2]["commanders"]


def test_citations_rank_works(seed_cited, seed_report):
    edges = [d for _, _, d in seed_cited.edges(data=True) if d["kind"] == "cited-by"]
    assert edges and all(d["fact"].startswith("https://w3id.org/wikikg/statement/") for d in edges)
    works = seed_report["works"]
    # de Waal's Black Garden: the work the article cites most (16 <ref>s and {{sfn}}s, and the hand-written
    # pointer "de Waal. ''Black Garden'', p. 286"); in the infobox it backs 4 facts through two sfn markers
    # (pp. 200, 285)
    assert works[0]["work"].startswith("Black Garden") and works[0]["markers"] == 2 and works[0]["facts"] == 4
    assert works[0]["cited"] == 17 > works[1]["cited"]
    assert seed_report["citations"][0]["facts"] >= seed_report["citations"][-1]["facts"]
    single = seed_report["single_citation_facts"]
    assert any(r["kind"] == "Support" and r["about"] == "土耳其" for r in single)


def test_components_and_json_report(seed_report):
    assert seed_report["components"][0]["size"] > 40
    assert seed_report["shared_entities"] == []
    json.dumps(seed_report)  # serialisable as it is


def test_exports_read_back(seed_graph, tmp_path):
    written = network.export(seed_graph, tmp_path)
    assert [p.name for p in written] == ["graph.graphml", "graph.gexf", "graph.json"]
    n = seed_graph.number_of_nodes()
    assert nx.read_graphml(tmp_path / "graph.graphml").number_of_nodes() == n
    assert nx.read_gexf(tmp_path / "graph.gexf").number_of_nodes() == n
    data = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    back = nx.node_link_graph(data, edges="links")
    assert back.number_of_nodes() == n and back.number_of_edges() == seed_graph.number_of_edges()


def test_png_uses_a_cjk_font(seed_graph, tmp_path):
    pytest.importorskip("matplotlib")
    try:
        font = network.cjk_font()
    except RuntimeError as e:
        pytest.skip(str(e))
    assert font in network.CJK_FONTS
    path = network.draw_png(seed_graph, tmp_path / "seed.png", lang="zh")
    assert path.exists() and path.stat().st_size > 20_000
    assert path.read_bytes().startswith(b"\x89PNG")


def test_html_is_self_contained(seed_graph, tmp_path):
    path = network.draw_html(seed_graph, tmp_path / "seed.html", lang="zh")
    text = path.read_text(encoding="utf-8")
    assert "<script src" not in text and "<link" not in text and "@import" not in text  # nothing fetched
    assert VIS_VERSION in text  # vis-network, inlined from graph/network/vendor
    data = json.loads(re.search(r'<script id="wikikg-data" type="application/json">(.*?)</script>', text, re.S)[1])
    assert data["lang"] == "zh-Hans" and len(data["nodes"]) == seed_graph.number_of_nodes()
    assert "亚美尼亚" in {n["label"] for n in data["nodes"]}


def analyze_args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="wikikg")
    add_parser(parser.add_subparsers())
    return parser.parse_args(["analyze", *argv])


def test_analyze_command_table_and_json(seed_build, capsys):
    ttl, _ = seed_build
    args = analyze_args(str(ttl))
    assert args.run(args) == 0
    out = capsys.readouterr().out
    assert "most central actors" in out and "俄罗斯" in out and "Monte Melkonian" in out
    args = analyze_args(str(ttl), "--format", "json", "--layers", "sides,support,command,places,citations")
    assert args.run(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["works"][0]["work"].startswith("Black Garden")


def test_analyze_command_writes_six_files(tmp_path, capsys):
    out = tmp_path / "net"
    args = analyze_args(str(SEED), "--out", str(out), "--lang", "zh")  # a .wiki file is built on the fly
    try:
        network.cjk_font()
    except (RuntimeError, ImportError):
        args.no_picture = True
    assert args.run(args) == 0
    names = {p.name for p in out.iterdir()}
    expected = {"report.json", "graph.graphml", "graph.gexf", "graph.json", "graph.html", "graph.png"}
    assert names == (expected if not args.no_picture else expected - {"graph.png"})
    assert json.loads((out / "report.json").read_text(encoding="utf-8"))["centrality"]


def test_analyze_command_rejects_bad_input(tmp_path):
    args = analyze_args(str(tmp_path / "missing.ttl"))
    with pytest.raises(InputError, match="no such file"):  # the CLI prints it on one line, exit status 1
        args.run(args)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle <<<", encoding="utf-8")
    with pytest.raises(InputError, match="does not parse"):
        network.load_graph([str(bad)])


def test_two_articles(seed_build):
    ttl, _ = seed_build
    bosworth = shared_path("fixtures", "en_battle_of_bosworth_field.wiki")
    G = network.to_networkx(network.build_graph([str(ttl), str(bosworth)]), lang="en")
    conflicts = {d["label"] for _, d in G.nodes(data=True) if d["kind"] == "conflict"}
    assert {"Battle of Bosworth Field"} < conflicts and len(conflicts) >= 2
    report = network.analyze(G)
    assert len(report["components"]) >= 2
    assert sum(c["conflicts"] for c in report["components"]) == len(conflicts)
