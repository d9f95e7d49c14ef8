"""wikikg compare: the 2016 revision of the American Revolutionary War (inside the gensim dump excerpt) against the
2020 one, aligned by title; the zh seed against a test-made English article, aligned through a Wikidata-shaped
test index. Golden files under tests/expected/compare/ (regenerate with WIKIKG_UPDATE_GOLDEN=1, then read the
diff: every row was checked by hand against the two articles when the files were written)."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli.main import main

from .conftest import shared_path
from .wikidata_test_index import build_test_index

EXPECTED = Path(__file__).parent / "expected" / "compare"
SEED = Path(__file__).parent.parent / "seeds" / "zh_first_nagorno_karabakh_war.wiki"
EN_TEST = Path(__file__).parent / "data" / "compare" / "en_first_nagorno_karabakh_war_test.wiki"


def _check_golden(produced: Path, name: str) -> None:
    golden = EXPECTED / name
    if os.environ.get("WIKIKG_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced.read_bytes())
    assert produced.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8")


def _rows(path: Path) -> dict[tuple[str, str], dict]:
    return {(r["kind"], r["fact"]): r for r in csv.DictReader(path.open(encoding="utf-8"))}


# ---------------------------------------------------------------- two revisions of one article

@pytest.fixture(scope="module")
def revisions(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("revisions")
    dump = shared_path("fixtures", "enwiki_gensim_p10p30302_shortened_dump.xml.bz2")
    assert main(["build", str(dump), "-o", str(folder / "arw-2016.ttl"), "-q", "-j", "1"]) == 0
    assert main(["build", str(shared_path("fixtures", "en_american_revolutionary_war_2020.wiki")), "-o",
                 str(folder / "arw-2020.ttl"), "-q"]) == 0
    assert main(["compare", str(folder / "arw-2016.ttl"), str(folder / "arw-2020.ttl"), "--names", "2016,2020",
                 "-o", str(folder / "arw"), "-q"]) == 0
    return folder


def test_revisions_match_the_golden_file(revisions):
    _check_golden(revisions / "arw.csv", "arw_2016_2020.csv")


def test_revisions_same_differs_and_only_in_one(revisions):
    rows = _rows(revisions / "arw.csv")
    assert rows[("start", "start date")]["status"] == "same" and rows[("start", "start date")]["2016"] == "1775-04-19"
    assert rows[("commander", "George Washington")]["status"] == "same"
    assert rows[("commander", "Horatio Gates")]["status"] == "only in 2016"      # the 2016 infobox named generals
    assert rows[("commander", "George III of the United Kingdom")]["status"] == "only in 2020"  # 2020: heads of state
    # a party named otherwise (France, then French Empire) is one party: its side is what is compared
    france = rows[("belligerent", "Kingdom of France")]
    assert (france["2016"], france["2020"], france["status"]) == ("France (side 1)", "French Empire (side 1)", "same")


def test_revision_figures_are_compared_as_ranges(revisions):
    rows = _rows(revisions / "arw.csv")
    killed = rows[("casualties", "side 1: killed of United States")]
    assert killed["2020"] == "6800" and killed["status"] == "differs" and killed["ranges overlap"] == "no"
    total = rows[("casualties", "side 1: total casualties of United States")]
    assert (total["2016"], total["2020"], total["ranges overlap"]) == ("≤50000", "25000–70000", "yes")
    assert rows[("casualties", "side 2: died of disease of Great Britain")]["status"] == "same"


def test_every_output_is_written(revisions):
    html = (revisions / "arw.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<tr class="differs">' in html and "<script" not in html
    markdown = (revisions / "arw.md").read_text(encoding="utf-8").splitlines()
    assert markdown[0].startswith("| conflict | kind | fact | 2016 | 2016 source | 2020 |")
    assert len(markdown) == 2 + len(_rows(revisions / "arw.csv"))
    # revisions share their IRIs and nothing is reconciled: no link to write, and no link of an IRI to itself
    assert list(ox.parse(path=str(revisions / "arw.alignment.ttl"), format=ox.RdfFormat.TURTLE)) == []


# ---------------------------------------------------------------- a zh/en pair, through a test index

@pytest.fixture(scope="module")
def zh_en(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("zh-en")
    index = build_test_index(folder)
    for source, name in ((SEED, "zh"), (EN_TEST, "en")):
        assert main(["build", str(source), "-o", str(folder / f"{name}.ttl"), "-q", "--reconcile",
                     "--offline", index]) == 0
    assert main(["compare", str(folder / "zh.ttl"), str(folder / "en.ttl"), "--names", "zh,en", "--offline", index,
                 "-o", str(folder / "pair"), "-q"]) == 0
    return folder, index


def test_zh_en_matches_the_golden_file(zh_en):
    _check_golden(zh_en[0] / "pair.csv", "nagorno_karabakh_zh_en.csv")


def test_zh_en_parties_align_by_wikidata(zh_en):
    rows = _rows(zh_en[0] / "pair.csv")
    artsakh = rows[("belligerent", "Q244165")]
    assert (artsakh["zh"], artsakh["en"], artsakh["status"]) == \
        ("纳戈尔诺-卡拉巴赫共和国 (side 1)", "Republic of Artsakh (side 1)", "same")
    assert rows[("belligerent", "Q15180")]["status"] == "same"
    assert rows[("supporter", "Q159")]["status"] == "only in zh"
    killed = rows[("casualties", "side 2: killed")]
    assert (killed["zh"], killed["en"], killed["status"], killed["ranges overlap"]) == \
        ("20000–30000", "25000–30000", "differs", "yes")
    assert rows[("casualties", "side 1: killed")]["status"] == "same"


def test_zh_en_alignment_is_written_as_exact_matches(zh_en):
    graph = ox.Store()
    graph.load(path=str(zh_en[0] / "pair.alignment.ttl"), format=ox.RdfFormat.TURTLE)
    match = ox.NamedNode("http://www.w3.org/2004/02/skos/core#exactMatch")
    en = "https://w3id.org/wikikg/resource/en/"
    zh = "https://w3id.org/wikikg/resource/zh/"
    assert ox.Quad(ox.NamedNode(en + "First_Nagorno-Karabakh_War"), match,
                   ox.NamedNode(zh + "纳戈尔诺-卡拉巴赫战争"), ox.DefaultGraph()) in graph
    assert ox.Quad(ox.NamedNode(en + "Republic_of_Artsakh"), match,
                   ox.NamedNode("http://www.wikidata.org/entity/Q244165"), ox.DefaultGraph()) in graph


def test_unreconciled_editions_align_their_conflict_by_sitelinks(zh_en, tmp_path):
    folder, index = zh_en
    for source, name in ((SEED, "zh"), (EN_TEST, "en")):
        assert main(["build", str(source), "-o", str(tmp_path / f"{name}.ttl"), "-q"]) == 0
    assert main(["compare", str(tmp_path / "zh.ttl"), str(tmp_path / "en.ttl"), "--offline", index,
                 "-o", str(tmp_path / "plain"), "-q"]) == 0
    rows = list(csv.DictReader((tmp_path / "plain.csv").open(encoding="utf-8")))
    assert {r["conflict"] for r in rows} == {"纳戈尔诺-卡拉巴赫战争"}   # one conflict, both columns
    soviet = next(r for r in rows if r["fact"] == "Q15180")                # 苏联 and Soviet Union: their sitelinks
    assert soviet["status"] == "same"
    # without sitelinks of Armenia in the test data, the unreconciled 亚美尼亚 and Armenia stay apart
    assert any(r["fact"] == "亚美尼亚" and r["status"] == "only in zh" for r in rows)


def test_usage_errors_are_one_line(tmp_path, capsys):
    assert main(["compare", str(SEED)]) == 2
    assert main(["compare", "a.ttl", "b.ttl", "--names", "x"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all(line.startswith("wikikg: ") for line in err)


def test_the_terminal_table_lines_up_chinese_and_english(zh_en, capsys):
    from graph.query.results import display_width

    folder, index = zh_en
    assert main(["compare", str(folder / "zh.ttl"), str(folder / "en.ttl"), "--names", "zh,en",
                 "--offline", index]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [c.strip() for c in lines[0].split(" | ")] == ["kind", "fact", "zh", "en", "status", "overlap"]
    assert lines[2] == "== 纳戈尔诺-卡拉巴赫战争"
    rows = [line for line in lines[3:] if not line.startswith("==")]
    assert len({display_width(line.rstrip()) for line in rows if line.rstrip().endswith(("yes", "no"))}) == 1
    assert any(line.startswith("belligerent | Q244165") and "Republic of Artsakh (side 1)" in line for line in rows)


def test_a_reconciled_graph_against_the_same_article_unreconciled_differs_in_nothing(zh_en, tmp_path):
    """What one edition reconciled is that item in the other wherever it names it by the same IRI: the seed built
    with and without --reconcile is the same article, fact for fact (before, every reconciled party was 'only in')."""
    folder, _ = zh_en
    assert main(["build", str(SEED), "-o", str(tmp_path / "plain.ttl"), "-q"]) == 0
    assert main(["compare", str(tmp_path / "plain.ttl"), str(folder / "zh.ttl"), "--names", "plain,linked",
                 "-o", str(tmp_path / "same"), "-q"]) == 0
    rows = list(csv.DictReader((tmp_path / "same.csv").open(encoding="utf-8")))
    assert len(rows) > 40 and {r["status"] for r in rows} == {"same"}
