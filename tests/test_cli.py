"""The wikikg command as a user runs it: inputs, formats, exit codes, atomic and deterministic output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest

from graph.cli.main import main

from .conftest import QUERIES, ROOT, SEED, shared_path


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], input=stdin, capture_output=True, timeout=120)


def test_build_is_byte_identical_run_to_run(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    assert main(["build", str(SEED), "-o", str(a), "-q"]) == 0
    assert main(["build", str(SEED), "-o", str(b), "-q"]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes().startswith(b"@prefix ")


def test_stdin_with_bom_and_crlf_gives_the_same_graph(tmp_path):
    plain = tmp_path / "plain.ttl"
    main(["build", str(SEED), "-o", str(plain), "-q", "--title", "纳戈尔诺-卡拉巴赫战争"])
    data = b"\xef\xbb\xbf" + SEED.read_bytes().replace(b"\n", b"\r\n")
    run = run_cli("build", "-", "--title", "纳戈尔诺-卡拉巴赫战争", "-q", stdin=data)
    assert run.returncode == 0, run.stderr
    # the same graph; only the description of the run differs (input name and digest)
    assert article_part(run.stdout) == article_part(plain.read_bytes())


RUN_PARTS = tuple(f"https://w3id.org/wikikg/{p}/" for p in ("dataset", "run", "input", "software"))


def article_part(turtle: bytes) -> set:
    """The triples of the article: not the run's, nor the input's (whose digest differs)."""
    return {q.triple for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)
            if not q.subject.value.startswith(RUN_PARTS) and not q.object.value.startswith(RUN_PARTS[2])}


@pytest.mark.parametrize("fmt, rdf_format", [("nt", ox.RdfFormat.N_TRIPLES), ("nquads", ox.RdfFormat.N_QUADS),
                                             ("jsonld", ox.RdfFormat.JSON_LD), ("turtle", ox.RdfFormat.TURTLE)])
def test_formats_parse_strictly(tmp_path, fmt, rdf_format):
    out = tmp_path / "out.data"
    assert main(["build", str(SEED), "-o", str(out), "--format", fmt, "-q"]) == 0
    quads = list(ox.parse(out.read_bytes(), format=rdf_format))
    assert len(quads) > 500
    if fmt == "nquads":
        graphs = {q.graph_name.value for q in quads if not q.graph_name.value.startswith(RUN_PARTS)}
        assert graphs == {"https://w3id.org/wikikg/graph/zh/纳戈尔诺-卡拉巴赫战争"}


def test_nquads_has_one_named_graph_per_article(tmp_path):
    bosworth = shared_path("fixtures", "en_battle_of_bosworth_field.wiki")
    out = tmp_path / "two.nq"
    assert main(["build", str(SEED), str(bosworth), "-o", str(out), "-q"]) == 0
    graphs = {q.graph_name.value for q in ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS)
              if not q.graph_name.value.startswith(RUN_PARTS)}
    assert graphs == {"https://w3id.org/wikikg/graph/zh/纳戈尔诺-卡拉巴赫战争",
                      "https://w3id.org/wikikg/graph/en/Battle_of_Bosworth_Field"}


@pytest.mark.parametrize("content, message", [
    (b"", "empty input"),
    (b"\xff\xfe\x00\x00binary", "binary data"),
    (b"{{Infobox military conflict|conflict=\xe9t\xe9}}", "not UTF-8"),
])
def test_bad_input_is_a_one_line_error_and_nothing_is_written(tmp_path, content, message):
    source, out = tmp_path / "bad.wiki", tmp_path / "out.ttl"
    source.write_bytes(content)
    out.write_text("previous")
    run = run_cli("build", str(source), "-o", str(out))
    assert run.returncode == 1
    err = run.stderr.decode()
    assert message in err and str(source) in err and len(err.strip().splitlines()) == 1
    assert out.read_text() == "previous"


def test_missing_file_and_usage_errors(tmp_path):
    run = run_cli("build", str(tmp_path / "nope.wiki"))
    assert run.returncode == 1 and b"no such file" in run.stderr
    assert run_cli("build").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_help_teaches_examples_and_exit_codes():
    run = run_cli("build", "--help")
    text = run.stdout.decode()
    assert run.returncode == 0
    assert "wikikg build seeds/zh_first_nagorno_karabakh_war.wiki -o out.ttl" in text
    assert "exit status" in text and "usage error" in text


def test_diagnostics_jsonl_and_strict(tmp_path):
    source = tmp_path / "dup.wiki"
    source.write_text("{{Infobox military conflict\n|strength1=100\n|strength1=200\n}}", encoding="utf-8")
    diags = tmp_path / "d.jsonl"
    run = run_cli("build", str(source), "-o", str(tmp_path / "o.ttl"), "--diagnostics", str(diags), "--strict")
    assert run.returncode == 1
    assert f"{source}:3:" in run.stderr.decode() and "warning" in run.stderr.decode()
    record = json.loads(diags.read_text().splitlines()[0])
    assert record["code"] == "duplicate-parameter" and record["line"] == 3 and record["severity"] == "warning"


def test_query_formats(tmp_path):
    out = tmp_path / "seed.ttl"
    main(["build", str(SEED), "-o", str(out), "-q"])
    table = run_cli("query", str(QUERIES / "commanders.rq"), str(out))
    assert table.returncode == 0 and b"(23 rows)" in table.stdout
    csv_run = run_cli("query", str(QUERIES / "commanders.rq"), str(out), "--format", "csv")
    header = csv_run.stdout.decode().splitlines()[0]
    assert header == "conflict,side,commander,commanderLabel,killedInAction,affiliation,affiliationLabel"
    js = json.loads(run_cli("query", str(QUERIES / "supporters.rq"), str(out), "--format", "json").stdout)
    kinds = {b["kind"]["value"] for b in js["results"]["bindings"]}
    assert {"equipment", "mercenaries", "direct military and political support"} <= kinds


def test_query_errors_are_clear(tmp_path):
    bad = tmp_path / "bad.rq"
    bad.write_text("SELECT WHERE {")
    out = tmp_path / "x.ttl"
    out.write_text("")
    run = run_cli("query", str(bad), str(out))
    assert run.returncode == 1 and b"SPARQL syntax error" in run.stderr
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .")
    run = run_cli("query", str(QUERIES / "conflicts.rq"), str(broken))
    assert run.returncode == 1 and b"does not parse" in run.stderr


@pytest.mark.parametrize("article, lang", [("seed", "zh"), ("en_battle_of_bosworth_field", "en")])
def test_site_language_is_detected(article, lang):
    from graph.pipeline import extract_article
    from graph.wikitext.read import read_source

    path = SEED if article == "seed" else shared_path("fixtures", f"{article}.wiki")
    assert extract_article(read_source(str(path))).lang == lang


def test_a_folder_stands_for_its_wiki_files(tmp_path):
    folder = tmp_path / "articles" / "sub"
    folder.mkdir(parents=True)
    (folder / "a.wiki").write_bytes(SEED.read_bytes())
    (folder / "b.wiki").write_bytes(shared_path("fixtures", "en_battle_of_wakefield.wiki").read_bytes())
    (folder / "notes.txt").write_text("not wikitext")
    out = tmp_path / "all.ttl"
    assert main(["build", str(tmp_path / "articles"), "-o", str(out), "-q"]) == 0
    store = ox.Store()
    store.load(out.read_bytes(), format=ox.RdfFormat.TURTLE)
    conflicts = [r["conflictLabel"].value for r in store.query((QUERIES / "conflicts.rq").read_text())]
    assert sorted(conflicts) == ["Battle of Wakefield", "纳戈尔诺-卡拉巴赫战争"]


def test_a_page_that_breaks_the_extractor_is_reported_and_the_others_are_kept(tmp_path, monkeypatch, capsys):
    import graph.pipeline as pipeline

    real_build = pipeline.build

    def flaky_build(source, **kwargs):
        if source.name.endswith("bad.wiki"):
            raise RuntimeError("boom")
        return real_build(source, **kwargs)

    monkeypatch.setattr(pipeline, "build", flaky_build)
    bad = tmp_path / "bad.wiki"
    bad.write_text("{{Infobox military conflict|conflict=X}}", encoding="utf-8")
    out = tmp_path / "out.ttl"
    # --jobs 1: the page worker is forked from this process, so it sees the patched extractor
    assert main(["build", str(bad), str(SEED), "-o", str(out), "--jobs", "1"]) == 1
    assert "bad.wiki:1:1: error: page skipped" in capsys.readouterr().err
    assert "纳戈尔诺-卡拉巴赫战争" in out.read_text(encoding="utf-8")


def test_every_page_of_an_xml_dump_builds_into_valid_nquads(tmp_path):
    import pyshacl
    import rdflib

    from .conftest import ONTOLOGY

    dump = shared_path("fixtures", "enwiki_gensim_p10p30302_shortened_dump.xml.bz2")
    out, diags = tmp_path / "dump.nq", tmp_path / "d.jsonl"
    run = run_cli("build", str(dump), "-o", str(out), "--diagnostics", str(diags), "--all-pages")
    assert run.returncode == 0, run.stderr[-2000:]
    quads = list(ox.parse(out.read_bytes(), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if not q.graph_name.value.startswith(RUN_PARTS)}
    assert len(graphs) == 205  # --all-pages: every main-namespace page of the dump, redirects included
    assert "https://w3id.org/wikikg/graph/en/American_Revolutionary_War" in graphs
    codes = [json.loads(line)["code"] for line in diags.read_text().splitlines()]
    assert codes.count("redirect") == 99 and "internal-error" not in codes
    # the shapes on the article with an infobox, the run's provenance and every fifth other page (rdflib's SHACL
    # engine takes seconds per 10,000 triples; the shapes are the same for every page of the kind)
    sample = sorted(graphs)[::5] + ["https://w3id.org/wikikg/graph/en/American_Revolutionary_War"]
    merged = rdflib.Graph()
    for q in (q for q in quads if q.graph_name.value in sample or q.graph_name.value.startswith(RUN_PARTS)):
        merged.add(tuple(rdflib.URIRef(t.value) if isinstance(t, ox.NamedNode) else
                         rdflib.Literal(t.value, lang=t.language, datatype=None if t.language else t.datatype.value)
                         for t in (q.subject, q.predicate, q.object)))
    conforms, _, report = pyshacl.validate(merged, shacl_graph=rdflib.Graph().parse(ONTOLOGY / "shapes.ttl"),
                                           inference="none")
    assert conforms, report[:3000]


def test_analyze_is_a_wikikg_command_and_the_notebook_api_works(tmp_path, capsys):
    out = tmp_path / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    capsys.readouterr()
    assert main(["analyze", str(out), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["centrality"][0]["actor"] == "俄罗斯"

    from graph import build_graph, sparql, to_networkx

    store = build_graph([str(SEED)])
    rows = sparql(store, QUERIES / "commanders.rq", side=2)
    assert len(rows) == 9 and all(r["side"] == 2 and r["killedInAction"] is False for r in list(rows.to_dict("records")
                                                                                                   if hasattr(rows, "to_dict") else rows))
    assert to_networkx(store).number_of_nodes() > 40


def test_the_output_says_where_it_comes_from(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q"]) == 0
    store = ox.Store()
    store.load(out.read_bytes(), format=ox.RdfFormat.TURTLE)
    [row] = store.query("""
        PREFIX prov: <http://www.w3.org/ns/prov#> PREFIX void: <http://rdfs.org/ns/void#>
        PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX wkg: <https://w3id.org/wikikg/ontology#>
        PREFIX schema: <https://schema.org/>
        SELECT ?triples ?licence ?date ?sha ?name ?article ?version WHERE {
          ?d a void:Dataset ; void:triples ?triples ; dcterms:license ?licence ; prov:wasGeneratedBy ?run ;
             void:subset ?graph .
          ?graph prov:wasDerivedFrom ?input ; dcterms:license ?licence .
          ?run dcterms:date ?date ; prov:used ?input ; prov:wasAssociatedWith ?tool .
          ?tool schema:softwareVersion ?version .
          ?input wkg:sha256 ?sha ; wkg:fileName ?name ; prov:wasDerivedFrom ?article }""")
    import hashlib

    from graph import __version__
    from graph.rdf.iri import wikipedia_iri

    assert row["sha"].value == hashlib.sha256(SEED.read_bytes()).hexdigest()
    assert row["name"].value == SEED.name and row["version"].value == __version__  # no folder of the machine
    assert row["licence"].value == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert row["date"].value == "2023-11-14"
    assert row["article"].value == wikipedia_iri("zh", "纳戈尔诺-卡拉巴赫战争")
    assert 0 < len(store) - int(row["triples"].value) < 60  # the graph without its own description


def test_infobox_only_skips_the_body_and_keeps_the_infobox(tmp_path):
    full, lean = tmp_path / "full.ttl", tmp_path / "lean.ttl"
    assert main(["build", str(SEED), "-o", str(full), "-q"]) == 0
    assert main(["build", str(SEED), "-o", str(lean), "-q", "--infobox-only"]) == 0
    events = "PREFIX wkg: <https://w3id.org/wikikg/ontology#> SELECT ?e WHERE { ?e wkg:inSection ?s }"
    for path, has_events in ((full, True), (lean, False)):
        store = ox.Store()
        store.load(path.read_bytes(), format=ox.RdfFormat.TURTLE)
        assert bool(list(store.query(events))) == has_events
        assert len(list(store.query((QUERIES / "commanders.rq").read_text(encoding="utf-8")))) == 23


HEAVY_AT_START = ["asyncio", "xml.sax.saxutils", "urllib.request", "http.client", "networkx", "matplotlib",
                  "pycountry", "uvicorn", "rdflib", "dask", "pyshacl", "SPARQLWrapper", "tqdm", "yaml"]


def test_a_build_imports_only_what_a_build_needs(tmp_path):
    """A one-article build's start (the parser of every command, then the data files and converters a page
    needs) imports no server, network, plotting or validation library, nor pycountry once its table is cached."""
    script = ("import sys\nfrom graph.cli.main import make_parser\nmake_parser()\n"
              "from graph.run.page_worker import warm_up\nwarm_up()\n"
              f"print(' '.join(m for m in {HEAVY_AT_START!r} if m in sys.modules))")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIKIKG_CACHE": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert first.returncode == 0, first.stderr
    second = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert second.returncode == 0 and second.stdout.split() == [], second.stdout + second.stderr


PARSED_ALONE = [
    ["build", "a.wiki", "b.wiki", "-o", "out/", "--jobs", "2", "--page-timeout", "30", "--lang", "zh"],
    ["build", "a.wiki", "--format", "nt", "--reconcile", "--offline", "w.sqlite"],
    ["query", "commanders", "a.ttl", "--param", "kind=equipment", "--format", "csv", "--excel"],
    ["serve", "a.ttl", "--port", "8080"],
    ["analyze", "a.ttl", "--out", "out/", "--format", "json"],
    ["reconcile", "a.ttl", "-o", "b.ttl"],
    ["ontology", "--shapes"],
    ["wikidata-index", "build", "dump.json.gz", "-o", "w.sqlite"],
    ["wikidata-diff", "a.ttl", "-o", "out/"],
    ["compare", "a.ttl", "b.ttl"],
]


@pytest.mark.parametrize("argv", PARSED_ALONE, ids=lambda argv: argv[0])
def test_a_parser_made_for_one_command_reads_it_as_the_whole_parser_does(argv):
    """A run builds its own command's parser only: the same options, defaults and help as in the whole one."""
    from graph.cli.main import make_parser

    whole, alone = make_parser(), make_parser(argv)
    expected = comparable(whole.parse_args(argv))
    assert comparable(alone.parse_args(argv)) == expected
    commands = whole._subparsers._group_actions[0].choices
    assert list(alone._subparsers._group_actions[0].choices) == [argv[0]]
    assert alone._subparsers._group_actions[0].choices[argv[0]].format_help() == commands[argv[0]].format_help()


def comparable(args) -> dict:
    """The parsed values; the argparse actions some commands keep (each parser has its own) by what they are."""
    import argparse

    def plain(value):
        if isinstance(value, list) and value and all(isinstance(v, argparse.Action) for v in value):
            return [(tuple(v.option_strings), v.dest, v.default) for v in value]
        return value

    return {key: plain(value) for key, value in vars(args).items()}


def test_help_and_a_misspelt_command_list_every_command():
    from graph.cli.main import COMMANDS

    for argv in (["--help"], ["bulid", "a.wiki"], []):
        done = subprocess.run([sys.executable, "-m", "graph.cli", *argv], capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
        shown = done.stdout + done.stderr
        assert all(command in shown for command in COMMANDS), (argv, shown)


def test_a_build_loads_no_other_command(tmp_path):
    out = tmp_path / "seed.ttl"
    script = ("import sys\nfrom graph.cli.main import main\n"
              f"status = main(['build', {str(SEED)!r}, '-o', {str(out)!r}, '-q'])\n"
              "print(status, ' '.join(sorted(m for m in sys.modules if m.startswith('graph.cli.'))))")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT), "WIKIKG_CACHE": str(tmp_path)})
    status, *modules = done.stdout.split()
    assert status == "0", done.stderr
    assert set(modules) <= {"graph.cli.main", "graph.cli.build", "graph.cli.arguments", "graph.cli.reconcile"}
