"""Many pages at once: one output whatever runs the pages (one process, a pool, a Dask cluster), folders of shards
that survive a kill and resume, damaged dumps that keep what came before the damage. Real processes throughout:
`wikikg build` as users run it, a real LocalCluster."""

from __future__ import annotations

import bz2
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import shared_path
from .multistream import SITEINFO, raw_pages, siteinfo_of, write_multistream

ROOT = Path(__file__).resolve().parent.parent
HANG = 300  # seconds: only to catch a hang, never a speed requirement
PAGES = 40  # of the shortened enwiki dump: enough for several units and shards, small enough to be quick


def wikikg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "graph.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=HANG)


@pytest.fixture(scope="module")
def dumps(tmp_path_factory) -> dict[str, Path]:
    """The first PAGES pages as a plain .xml.bz2 dump and as a multistream dump of 10 pages a stream."""
    folder = tmp_path_factory.mktemp("dumps")
    xml = bz2.decompress(shared_path("fixtures", "enwiki_gensim_p10p30302_shortened_dump.xml.bz2").read_bytes())
    pages = raw_pages(xml)[:PAGES]
    written = write_multistream(pages, folder / "enwiki-test-pages-articles-multistream.xml.bz2", 10,
                                siteinfo_of(xml) or SITEINFO)
    plain = folder / "enwiki-test-pages-articles.xml.bz2"
    # the same XML in one stream, of 100 KB blocks: a truncated file still holds whole blocks of pages
    plain.write_bytes(bz2.compress(bz2.decompress(written.dump.read_bytes()), compresslevel=1))
    return {"plain": plain, "multistream": written.dump}


@pytest.fixture(scope="module")
def one_process(dumps, tmp_path_factory) -> bytes:
    out = tmp_path_factory.mktemp("one") / "one.nq"
    run = wikikg("build", str(dumps["plain"]), "-o", str(out), "-q", "--jobs", "1", "--all-pages", cwd=out.parent)
    assert run.returncode == 0, run.stderr
    return out.read_bytes()


def graph_names(data: bytes) -> list[str]:
    return sorted({q.graph_name.value for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)})


@pytest.mark.parametrize("kind, runner", [("plain", ["--jobs", "2"]), ("multistream", ["--jobs", "1"]),
                                          ("multistream", ["--jobs", "2"]), ("multistream", ["--cluster", "local:2"])],
                         ids=["plain-jobs-2", "multistream-jobs-1", "multistream-jobs-2", "multistream-dask-2"])
def test_the_output_is_the_same_bytes_whatever_runs_the_pages(kind, runner, dumps, one_process, tmp_path):
    """The plain dump in one process is the reference: a pool, the multistream dump read stream by stream by the
    workers, and a real Dask LocalCluster of two workers give the same bytes — pages named alike too."""
    out = tmp_path / "out.nq"
    run = wikikg("build", str(dumps[kind]), "-o", str(out), "-q", "--all-pages", *runner, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = out.read_bytes().replace(dumps[kind].name.encode(), dumps["plain"].name.encode())
    assert data == one_process
    assert len(graph_names(data)) == PAGES + 1  # the articles and the run's provenance


def shards_joined(folder: Path) -> bytes:
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    parts = [folder / s["file"] for s in manifest["shards"]] + [folder / manifest["provenance"]]
    return b"".join(gzip.decompress(p.read_bytes()) for p in parts)


def test_shards_joined_are_the_single_file(dumps, one_process, tmp_path):
    run = wikikg("build", str(dumps["plain"]), "-o", f"{tmp_path}/out/", "-q", "--shard-pages", "10", "--all-pages",
                 cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["complete"] and manifest["pages"] == PAGES and len(manifest["shards"]) == 2  # 25-page units
    assert manifest["inputs"][0]["sha256"] and manifest["seconds"] >= 0
    assert shards_joined(tmp_path / "out") == one_process


def wait_for_first_shard(process: subprocess.Popen, folder: Path) -> None:
    deadline = time.monotonic() + HANG
    while time.monotonic() < deadline and process.poll() is None:
        manifest = folder / "manifest.json"
        if manifest.exists() and json.loads(manifest.read_text(encoding="utf-8"))["shards"]:
            return
        time.sleep(0.05)
    pytest.fail("no shard was written")


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGINT], ids=["kill-9", "ctrl-c"])
def test_a_stopped_run_keeps_whole_shards_and_resume_finishes_it_without_duplicates(signum, dumps, one_process,
                                                                                     tmp_path):
    folder = tmp_path / "out"
    command = [sys.executable, "-m", "graph.cli", "build", str(dumps["multistream"]), "-o", f"{folder}/", "-q",
               "--shard-pages", "10", "--all-pages", "--jobs", "1"]
    process = subprocess.Popen(command, cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_first_shard(process, folder)
        process.send_signal(signum)
        process.wait(HANG)
    finally:
        if process.poll() is None:
            process.kill()
    stopped = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert not stopped["complete"] and 1 <= len(stopped["shards"]) < PAGES // 10
    if signum == signal.SIGINT:
        assert process.returncode == 130 and stopped["last_page"]  # it says where it stopped
        said = process.stderr.read().decode()
        assert "whole shard(s) kept" in said and "--resume" in said
    resumed = wikikg("build", str(dumps["multistream"]), "-o", f"{folder}/", "-q", "--shard-pages", "10",
                     "--all-pages", "--resume", cwd=tmp_path)
    assert resumed.returncode == 0, resumed.stderr
    data = shards_joined(folder).replace(dumps["multistream"].name.encode(), dumps["plain"].name.encode())
    assert data == one_process  # every page once, in order
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_resume_refuses_a_folder_built_from_other_inputs(dumps, tmp_path):
    assert wikikg("build", str(dumps["plain"]), "-o", f"{tmp_path}/out/", "-q", cwd=tmp_path).returncode == 0
    run = wikikg("build", str(dumps["multistream"]), "-o", f"{tmp_path}/out/", "--resume", cwd=tmp_path)
    assert run.returncode != 0 and "other inputs or options" in run.stderr


def test_a_truncated_dump_keeps_every_page_before_the_damage(dumps, tmp_path):
    data = dumps["plain"].read_bytes()
    truncated = tmp_path / "truncated.xml.bz2"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    out = tmp_path / "out.nq"
    run = wikikg("build", str(truncated), "-o", str(out), "-q", "--jobs", "1", "--all-pages", cwd=tmp_path)
    assert run.returncode == 1
    kept = graph_names(out.read_bytes())
    assert 0 < len(kept) - 1 < PAGES  # the pages before the damage (whole bz2 blocks), and the provenance


def test_a_damaged_stream_costs_its_own_pages_only(dumps, tmp_path):
    damaged = tmp_path / dumps["multistream"].name
    data = bytearray(dumps["multistream"].read_bytes())
    index = dumps["multistream"].with_name(dumps["multistream"].name.replace(".xml.bz2", "-index.txt.bz2"))
    (tmp_path / index.name).write_bytes(index.read_bytes())
    offsets = sorted({int(line.split(":")[0]) for line in bz2.decompress(index.read_bytes()).decode().splitlines()})
    middle = offsets[1] + 20
    data[middle:middle + 40] = b"\0" * 40  # the second stream's compressed data is garbage
    damaged.write_bytes(bytes(data))
    out = tmp_path / "out.nq"
    run = wikikg("build", str(damaged), "-o", str(out), "-q", "--jobs", "2", "--all-pages", cwd=tmp_path)
    assert run.returncode == 1
    assert len(graph_names(out.read_bytes())) - 1 == PAGES - 10  # one stream of ten pages lost, no more


# --- only what is asked is parsed; a redirect and its target are one node ---

def page(title: str, page_id: int, text: str) -> str:
    from xml.sax.saxutils import escape

    return (f"  <page>\n    <title>{escape(title)}</title>\n    <ns>0</ns>\n    <id>{page_id}</id>\n    <revision>\n"
            f'      <text xml:space="preserve">{escape(text)}</text>\n    </revision>\n  </page>\n')


KOSOVO = ("{{Infobox military conflict\n|conflict=Battle of Kosovo\n|date=15 June 1389\n"
          "|commander1=[[Lazar]]\n|commander2=[[Murad I]]\n}}\nThe '''Battle of Kosovo''' took place in 1389.")


@pytest.fixture(scope="module")
def small_dump(tmp_path_factory) -> Path:
    """A battle whose commander is linked through a redirect, a redirect page, and a page without an infobox."""
    pages = [page("Battle of Kosovo", 1, KOSOVO), page("Lazar", 2, "#REDIRECT [[Lazar of Serbia]]"),
             page("Kosovo Field", 3, "'''Kosovo Field''' is a plain in [[Kosovo]]."),
             page("Prince Lazar", 4, "#redirect [[Lazar]]")]  # a chain: Prince Lazar → Lazar → Lazar of Serbia
    path = tmp_path_factory.mktemp("small") / "enwiki-small-pages-articles.xml.bz2"
    path.write_bytes(bz2.compress(f"<mediawiki>{SITEINFO}{''.join(pages)}</mediawiki>".encode()))
    return path


def commanders(data: bytes) -> set[str]:
    return {q.subject.value.rsplit("/", 1)[1] for q in ox.parse(data, format=ox.RdfFormat.N_QUADS)
            if q.predicate.value.endswith("#commanded")}


def test_only_pages_that_call_a_mapped_infobox_are_parsed_unless_all_are_asked(small_dump, tmp_path):
    out = tmp_path / "out.nq"
    run = wikikg("build", str(small_dump), "-o", str(out), cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert set(graph_names(out.read_bytes())) == {"https://w3id.org/wikikg/graph/en/Battle_of_Kosovo",
                                                  "https://w3id.org/wikikg/dataset/wikikg"}
    assert "3 without a mapped infobox skipped" in run.stderr
    every = wikikg("build", str(small_dump), "-o", str(tmp_path / "all.nq"), "-q", "--all-pages", cwd=tmp_path)
    assert every.returncode == 0 and len(graph_names((tmp_path / "all.nq").read_bytes())) == 4 + 1


def test_a_link_to_a_redirect_is_a_link_to_its_target(small_dump, tmp_path):
    run = wikikg("build", str(small_dump), "-o", f"{tmp_path}/out/", "-q", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    data = shards_joined(tmp_path / "out")
    assert commanders(data) == {"Lazar_of_Serbia", "Murad_I"}
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["merged_titles"] == 1
    apart = wikikg("build", str(small_dump), "-o", str(tmp_path / "apart.nq"), "-q", "--no-redirects", cwd=tmp_path)
    assert apart.returncode == 0 and commanders((tmp_path / "apart.nq").read_bytes()) == {"Lazar", "Murad_I"}


def test_the_scan_finds_the_infobox_however_it_is_written():
    from graph.wikitext.prescan import calls_mapped_infobox

    for text in ["{{Infobox military conflict\n|a=1}}", "{{ infobox_Military__conflict|a}}", "{{Template:Infobox war}}",
                 "{{军事冲突信息框\n|a=1}}", "{{Infobox battle<!-- x -->\n}}", "{{warbox}}"]:
        assert calls_mapped_infobox(text), text
    for text in ["{{Infobox person}}", "{{Infobox military conflictual}}", "Infobox military conflict"]:
        assert not calls_mapped_infobox(text), text


def on_a_terminal(*args: str, cwd: Path) -> tuple[int, str]:
    """``wikikg`` with its stderr on a pseudo-terminal (as a user sees it): exit status and what it drew."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 160, 0, 0))  # a new pty is 0×0: no bar fits
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, "-m", "graph.cli", *args], cwd=cwd, env=env,
                               stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    drawn = bytearray()
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=HANG), drawn.decode("utf-8", "replace")


@pytest.mark.parametrize("kind, counted", [("plain", "B"), ("multistream", "page")])
def test_a_terminal_shows_how_far_a_dump_is(kind, counted, dumps, tmp_path):
    """A plain dump's bar counts bytes of the compressed file (its size known, its pages not), with pages and
    pages/s beside; a multistream dump's counts pages, their number read from its index."""
    status, drawn = on_a_terminal("build", str(dumps[kind]), "-o", str(tmp_path / "out/"), "--all-pages",
                                  "--jobs", "1", cwd=tmp_path)
    assert status == 0, drawn
    size = dumps[kind].stat().st_size
    total = f"{size / 1024:.0f}k"  # tqdm's bytes, in KiB: the compressed file's size
    assert re.search(rf"redirects:\s+100%.*{total}/{total}", drawn), drawn  # the first pass has its own bar
    if counted == "B":
        assert re.search(rf"build:\s+100%.*{total}/{total} .*B/s.*, {PAGES} pages, [\d.]+ pages/s", drawn), drawn
    else:
        assert re.search(rf"build:\s+100%.*{PAGES}/{PAGES}", drawn), drawn


def test_a_multistream_dumps_redirects_are_read_on_every_core_as_one_process_reads_them(dumps, monkeypatch):
    """The redirect pass reads a multistream dump's streams on a process pool: the same redirects as a read of
    the same pages from the start of the plain dump."""
    from graph.run import redirects

    monkeypatch.setattr(redirects, "STREAMS_PER_TASK", 1)  # a task per stream: the pool is used on a small dump
    plain = redirects.collect_redirects([str(dumps["plain"])])
    assert len(plain) > 10  # the excerpt's first pages hold many redirects
    assert redirects.collect_redirects([str(dumps["multistream"])], jobs=2) == plain
    assert redirects.collect_redirects([str(dumps["multistream"])], jobs=1) == plain


def test_the_redirect_table_follows_chains_drops_loops_and_lives_on_disk():
    """The redirects of a whole Wikipedia do not fit a dict of the driver: they are a SQLite table of their own,
    looked up a page's IRIs at a time, deleted with the table."""
    import gc

    from graph.rdf.iri import entity_iri
    from graph.run.redirects import RedirectTable, resolve

    table = RedirectTable()
    table.add("en", [("Prince Lazar", "Lazar"), ("Lazar", "Lazar of Serbia"), ("A", "B"), ("B", "A"),
                     ("Old", "First"), ("Old", "Second")])  # a chain, a loop, and a later pair that wins
    table.add("en", [(f"Page {i}", f"Target {i}") for i in range(2_000)])
    table.follow_chains()
    iri = lambda title: entity_iri("en", title.replace(" ", "_"))  # noqa: E731
    assert table[iri("Prince Lazar")] == table[iri("Lazar")] == iri("Lazar of Serbia")
    assert iri("A") not in table and iri("B") not in table  # a loop leads nowhere: no redirect kept
    assert table[iri("Old")] == iri("Second") and len(table) == 2_003
    wanted = {iri(f"Page {i}") for i in range(0, 2_000, 2)} | {iri("Lazar of Serbia")}
    assert table.targets(wanted) == {iri(f"Page {i}"): iri(f"Target {i}") for i in range(0, 2_000, 2)}
    merged: set[str] = set()
    line = f"<{iri('Battle')}> <http://x.org/commander> <{iri('Lazar')}> .\n".encode()
    assert resolve(line, table, merged) == line.replace(b"/Lazar>", b"/Lazar_of_Serbia>")
    assert merged == {iri("Lazar")}
    folder = Path(table._folder.name)
    assert folder.is_dir()
    del table
    gc.collect()
    assert not folder.exists()


# --- the redirect rewrite finds the same IRI terms as the plain pattern (lookbehinds first) it replaced ---
_PLAIN_RESOURCE_TERM = re.compile(rb"(?:(?<=^)|(?<= ))<(https://w3id\.org/wikikg/resource/[^>]*)>(?= )", re.MULTILINE)
_TERM_PIECES = [b"<https://w3id.org/wikikg/resource/en/A>", b"<https://w3id.org/wikikg/resource/zh/%E4%B9%B1>",
                b"<https://w3id.org/wikikg/ontology#p>", b'"x <https://w3id.org/wikikg/resource/en/B> y"', b" ",
                b"\n", b" .\n", b"<", b">", b'"', b"_:b0", b"@en"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TERM_PIECES), max_size=30))
def test_the_redirect_rewrite_finds_the_iri_terms_the_plain_pattern_finds(pieces):
    from graph.run.redirects import RESOURCE_IRI

    text = b"".join(pieces)
    assert RESOURCE_IRI.findall(text) == _PLAIN_RESOURCE_TERM.findall(text)


def test_a_redirect_is_replaced_where_it_is_a_term_never_inside_text():
    from graph.run.redirects import resolve

    redirect, target = "https://w3id.org/wikikg/resource/en/Old", "https://w3id.org/wikikg/resource/en/New"
    lines = (b'<https://w3id.org/wikikg/resource/en/Old> <p> "see <https://w3id.org/wikikg/resource/en/Old>" .\n'
             b"<x> <p> <https://w3id.org/wikikg/resource/en/Old> .\n"
             b"<x> <p> <https://w3id.org/wikikg/resource/en/Older> .\n")
    merged: set[str] = set()
    out = resolve(lines, {redirect: target}, merged)
    assert out == lines.replace(b"<https://w3id.org/wikikg/resource/en/Old> <p>", b"<" + target.encode() + b"> <p>")\
        .replace(b"<x> <p> <https://w3id.org/wikikg/resource/en/Old> .", b"<x> <p> <" + target.encode() + b"> .")
    assert merged == {redirect}


def test_a_page_whose_triples_do_not_parse_is_reported_never_written(monkeypatch):
    """The strict check of a page's triples runs where they are made (on every core): a line that does not parse
    makes the page a failure with the reason, not a broken shard."""
    from graph.rdf.terms import TripleSink
    from graph.run.page_worker import Job, run
    from graph.wikitext.read import source_from_text

    job = Job(source_from_text("a.wiki", "'''Battle of Warmford''' took place in 1460."), "en", None, True)
    kind, built = run(job)
    assert kind == "built" and built.ntriples
    monkeypatch.setattr(TripleSink, "ntriples", lambda self: b"<https://example.org/a> <b> not a term .\n")
    kind, reason = run(job)
    assert kind == "failed" and "do not parse as N-Triples" in reason
