"""Nothing lost under bad luck: the reproducers of the faults issue, one row each, through the real command line.

Each row is input files (name → text), the arguments after ``wikikg``, the exit status and what must hold of the
output and the messages. A row is added with the fix of its fault, and failed before it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.cli.main import main

KOSOVO_1389 = ("{{Infobox military conflict\n|conflict=Battle of Kosovo\n|date=15 June 1389\n"
               "|commander1=[[Lazar of Serbia]]\n|commander2=[[Murad I]]\n}}\n"
               "The '''Battle of Kosovo''' took place on 15 June 1389.")
KOSOVO_1448 = ("{{Infobox military conflict\n|conflict=Battle of Kosovo\n|date=17–20 October 1448\n"
               "|commander1=[[John Hunyadi]]\n|commander2=[[Murad II]]\n}}\n"
               "The '''Battle of Kosovo''' took place from 17 to 20 October 1448.")
EMPTY_DUMP = ("<mediawiki xmlns=\"http://www.mediawiki.org/xml/export-0.10/\"><siteinfo><dbname>enwiki</dbname>"
              "</siteinfo><page><title>Empty</title><ns>0</ns><id>1</id><revision><text xml:space=\"preserve\">"
              "</text></revision></page><page><title>Blank</title><ns>0</ns><id>2</id><revision>"
              "<text xml:space=\"preserve\">   </text></revision></page></mediawiki>")
# A section: read by a full build, not by --infobox-only (nor of a page cut to its infobox)
KOSOVO_BODY = ("\n== Battle ==\nOn 15 June 1389 the armies of [[Lazar of Serbia]] and [[Murad I]] met at "
               "[[Kosovo Polje]].\n")
WAKEFIELD = ("{{Infobox military conflict\n|conflict=Battle of Wakefield\n|date=30 December 1460\n"
             "|commander1=[[Richard of York]]\n|commander2=[[Henry Beaufort]]\n}}\n"
             "The '''Battle of Wakefield''' took place on 30 December 1460.\n== Battle ==\nThe armies met at "
             "[[Sandal Castle]].\n")
BIG_KOSOVO = KOSOVO_1389 + KOSOVO_BODY + "The armies met at dawn and fought until dusk.\n" * 200  # ~9 kB
# Unclosed external links in links: mwparserfromhell's C tokenizer is quadratic on them (6,000: ~10 s here, more
# on a slower machine), so a page timeout of half a second always stops this page and never a small one
SLOW = KOSOVO_1389.replace("The '''", "[[a|[http://b c" * 6000 + "\nThe '''")
# Links and spans nested 10,000 deep in two infobox fields: ~10,000 diagnostics of each kind
DEEP = KOSOVO_1389.replace("|date=", "|result=" + "[[a|" * 10_000 + "x" + "]]" * 10_000 + "\n|place="
                           + "<span>" * 10_000 + "x" + "</span>" * 10_000 + "\n|date=")
KOSOVO_IRI = "https://en.wikipedia.org/wiki/Battle_of_Kosovo"


def quads(path: Path) -> list[ox.Quad]:
    return list(ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS))


def commanders_by_graph(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for q in quads(path):
        if q.predicate.value.endswith("#commanded"):
            found.setdefault(q.graph_name.value, set()).add(q.subject.value.rsplit("/", 1)[1])
    return found


def predicates_by_graph(path: Path) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for q in quads(path):
        found.setdefault(q.graph_name.value, set()).add(q.predicate.value.rsplit("#", 1)[-1])
    return found


def read_whole(path: Path, title: str) -> bool:
    """The article's graph is there with its infobox (commanders) and its body (a section)."""
    return {"commanded", "hasSection"} <= predicates_by_graph(path).get(f"https://en.wikipedia.org/wiki/{title}", set())


def files_with(err: str, code: str) -> list[str]:
    """The file of each line of stderr that has the diagnostic ``code``."""
    return [line.split(":")[0] for line in err.splitlines() if f"[{code}]" in line]


@dataclass(frozen=True)
class Fault:
    id: str
    files: dict[str, str]
    args: list[str]  # {tmp} stands for the test's folder
    status: int
    holds: Callable[[Path, str], bool]  # (the test's folder, stderr) → what must be true


FAULTS = [
    Fault("two-inputs-one-title-both-kept", {"a.wiki": KOSOVO_1389, "b.wiki": KOSOVO_1448},
          ["build", "{tmp}/a.wiki", "{tmp}/b.wiki", "-o", "{tmp}/ab.nq"], 0,
          lambda tmp, err: sorted(map(sorted, commanders_by_graph(tmp / "ab.nq").values()))
          == [["John_Hunyadi", "Murad_II"], ["Lazar_of_Serbia", "Murad_I"]] and "[same-article]" in err),
    Fault("a-dump-of-empty-pages-is-an-error-not-an-empty-file", {"empty.xml": EMPTY_DUMP},
          ["build", "{tmp}/empty.xml", "-o", "{tmp}/empty.nq"], 1,
          lambda tmp, err: not (tmp / "empty.nq").exists() and "no page with text" in err),
    # --param with digits of another script is a string, not a broken query
    Fault("param-arabic-indic-digits", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param", "side=٢"],
          0, lambda tmp, err: "Traceback" not in err),
    Fault("param-repeated-name", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param", "side=1",
                                      "--param", "side=2"], 2, lambda tmp, err: "more than once" in err),
    Fault("param-not-utf-8", {}, ["query", "{queries}/commanders.rq", "{seed_ttl}", "--param",
                                  b"side=\xff".decode("utf-8", "surrogateescape")],
          2, lambda tmp, err: "not UTF-8" in err),
    # a page above --max-page-size: its infobox read from its first bytes, no section; the other page whole
    Fault("page-over-max-size-infobox-only-others-kept", {"big.wiki": BIG_KOSOVO, "small.wiki": WAKEFIELD},
          ["build", "{tmp}/big.wiki", "{tmp}/small.wiki", "-o", "{tmp}/out.nq", "--max-page-size", "4K"], 0,
          lambda tmp, err: read_whole(tmp / "out.nq", "Battle_of_Wakefield")
          and commanders_by_graph(tmp / "out.nq")[KOSOVO_IRI] == {"Lazar_of_Serbia", "Murad_I"}
          and "hasSection" not in predicates_by_graph(tmp / "out.nq")[KOSOVO_IRI]
          and files_with(err, "page-too-large") == [str(tmp / "big.wiki")]),
    # a page still being read at --page-timeout is abandoned; the pages before and after it are whole
    Fault("page-past-timeout-abandoned-others-kept",
          {"a.wiki": WAKEFIELD, "slow.wiki": SLOW, "c.wiki": KOSOVO_1389 + KOSOVO_BODY},
          ["build", "{tmp}/a.wiki", "{tmp}/slow.wiki", "{tmp}/c.wiki", "-o", "{tmp}/out.nq", "--page-timeout", "0.5"],
          1, lambda tmp, err: read_whole(tmp / "out.nq", "Battle_of_Wakefield")
          and read_whole(tmp / "out.nq", "Battle_of_Kosovo")
          and files_with(err, "page-timeout") == [str(tmp / "slow.wiki")] and "wrote" in err),
    # nesting 10,000 deep: one line per kind of diagnostic, with the count; only the deep fields are lost
    Fault("ten-thousand-deep-nesting-one-counted-warning", {"deep.wiki": DEEP},
          ["build", "{tmp}/deep.wiki", "-o", "{tmp}/deep.nq"], 0,
          lambda tmp, err: len(err.splitlines()) < 10
          and all(len(files_with(err, code)) == 1 for code in ("stray-markup", "orphan-tag"))
          and err.count("more like this") == 2
          and commanders_by_graph(tmp / "deep.nq")[KOSOVO_IRI] == {"Lazar_of_Serbia", "Murad_I"}),
]


@pytest.fixture(scope="module")
def seed_ttl(tmp_path_factory) -> Path:
    from .conftest import SEED

    out = tmp_path_factory.mktemp("faults") / "seed.ttl"
    assert main(["build", str(SEED), "-o", str(out), "-q", "--infobox-only"]) == 0
    return out


@pytest.mark.parametrize("fault", FAULTS, ids=[f.id for f in FAULTS])
def test_fault(fault: Fault, tmp_path: Path, capsys, seed_ttl: Path) -> None:
    from .conftest import QUERIES

    for name, text in fault.files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    places = {"{tmp}": str(tmp_path), "{queries}": str(QUERIES), "{seed_ttl}": str(seed_ttl)}
    status = main([fill(a, places) for a in fault.args])
    err = capsys.readouterr().err
    assert status == fault.status, err
    assert fault.holds(tmp_path, err), err


def fill(arg: str, places: dict[str, str]) -> str:
    for key, value in places.items():
        arg = arg.replace(key, value)
    return arg


def test_a_later_run_removes_the_temporaries_a_killed_run_left_and_no_others(tmp_path: Path) -> None:
    from .conftest import SEED

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    killed_run = tmp_path / f".out.ttl.{int(dead.stdout)}.k2j4x.tmp"  # its process is gone
    running = tmp_path / f".out.ttl.{os.getppid()}.a8b1c.tmp"  # a process that is still there
    for leftover in (killed_run, running):
        leftover.write_text("half a file", encoding="utf-8")
    assert main(["build", str(SEED), "-o", str(tmp_path / "out.ttl"), "-q", "--infobox-only"]) == 0
    assert not killed_run.exists() and running.exists()
    assert (tmp_path / "out.ttl").stat().st_size > 0
