"""wikikg installed like a library: the wheel built from this checkout, installed in a fresh virtual environment,
run from another folder — every subcommand, the named queries and the ontology from the installed package.

Offline and fast: the wheel is built without build isolation when the setuptools it needs is here (the test
extra installs it; else pip fetches it), and the fresh environment reuses this one's installed dependencies
through a .pth line, not a download. Only this checkout's ``graph`` is installed, and the runs check that the
package they use is the installed copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT
from .oxigraph_server import free_port, oxigraph_serve

SOURCES = ("pyproject.toml", "README.md", "graph", "queries", "ontology")
SMALL = """{{Infobox military conflict
| conflict   = Battle of Testford
| date       = 3 May 1460
| place      = [[Testford]], [[England]]
| combatant1 = [[House of York]]
| combatant2 = [[House of Lancaster]]
| commander1 = [[Richard of York]]
| commander2 = [[Henry Percy]]
}}
The '''Battle of Testford''' was fought on 3 May 1460.<ref>{{cite book |last=Smith |title=Wars |year=1999}}</ref>
"""


def setuptools_can_build() -> bool:
    """Whether this environment has the build backend pyproject.toml asks for (setuptools>=77)."""
    try:
        from importlib.metadata import version

        return int(version("setuptools").split(".")[0]) >= 77
    except Exception:  # noqa: BLE001 - no setuptools, or an unreadable version: let pip fetch one
        return False


def build_wheel(workdir: Path) -> Path:
    """The wheel of a copy of this checkout (the build writes build/ and *.egg-info beside its sources)."""
    src = workdir / "src"
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, src / name, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            src.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, src / name)
    offline = ["--no-build-isolation"] if setuptools_can_build() else []
    run = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *offline,
                          "-w", str(workdir / "dist"), str(src)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    wheels = list((workdir / "dist").glob("wikikg-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def fresh_venv(workdir: Path, wheel: Path) -> Path:
    """A new environment holding the wheel; this environment's packages reachable for its dependencies."""
    venv = workdir / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    here = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    # a path line adds the folder only: this environment's .pth files (its editable wikikg) are not run there
    (site / "dependencies-from-the-test-environment.pth").write_text("\n".join(sorted(here)) + "\n")
    run = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
                          "--no-index", str(wheel)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    return venv


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    """(the installed `wikikg` command, a folder outside the checkout to run it in)."""
    workdir = tmp_path_factory.mktemp("wheel")
    venv = fresh_venv(workdir, build_wheel(workdir))
    command = venv / ("Scripts/wikikg.exe" if os.name == "nt" else "bin/wikikg")
    assert command.exists(), "the wheel installs no wikikg command"
    elsewhere = workdir / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "small.wiki").write_text(SMALL, encoding="utf-8")
    return command, elsewhere


def wikikg(installed: tuple[Path, Path], *args: str, status: int = 0) -> subprocess.CompletedProcess:
    command, folder = installed
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME") and
           not k.lower().endswith("_proxy")}
    env.update(PYTHONIOENCODING="utf-8", XDG_CACHE_HOME=str(folder / "cache"), no_proxy="127.0.0.1,localhost")
    run = subprocess.run([str(command), *args], capture_output=True, text=True, cwd=folder, env=env, timeout=120)
    assert run.returncode == status, f"wikikg {' '.join(args)}: exit {run.returncode}\n{run.stderr[-3000:]}"
    assert "Traceback" not in run.stderr, run.stderr
    return run


def test_the_wheel_holds_the_named_queries_and_the_ontology(installed):
    command, _ = installed
    python = command.parent / command.name.replace("wikikg", "python")
    where = subprocess.run([str(python), "-c", "import graph, graph.query.named as n, graph.rdf.vocabulary as v; "
                            "print(graph.__file__); print(len(n.named_queries())); print(v.vocabulary_file('shapes'))"],
                           capture_output=True, text=True, cwd=installed[1], env={"PATH": os.environ["PATH"]})
    package, queries, shapes = where.stdout.split("\n")[:3]
    assert Path(package).is_relative_to(command.parent.parent), "the installed wikikg is not the one running"
    assert int(queries) == len(list((ROOT / "queries").glob("*.rq")))
    assert Path(shapes).is_file() and Path(shapes).is_relative_to(command.parent.parent)


def test_every_subcommand_runs_from_the_installed_package(installed):
    folder = installed[1]
    assert "wikikg 0.1.0" in wikikg(installed, "--version").stdout
    wikikg(installed, "build", "small.wiki", "-o", "out.ttl", "-q")
    wikikg(installed, "build", "small.wiki", "-o", "out.nq.gz", "-q")
    # every subpackage is in the wheel: --reconcile and reconcile import graph.wikidata.reconcile
    shutil.copy(ROOT / "tests" / "data" / "wikidata" / "seed_test_items.json", folder / "items.json")
    wikikg(installed, "wikidata-index", "build", "items.json", "-o", "index.db", "--quiet")
    wikikg(installed, "build", "small.wiki", "-o", "linked.ttl", "-q", "--reconcile", "--offline", "index.db")
    wikikg(installed, "reconcile", "out.ttl", "-o", "relinked.ttl", "-q", "--offline", "index.db")
    assert "commanders" in wikikg(installed, "query", "--list").stdout
    rows = wikikg(installed, "query", "commanders", "out.ttl").stdout  # by name, outside the checkout
    assert "Richard of York" in rows and "(2 rows)" in rows
    assert "Henry Percy" in wikikg(installed, "query", "queries/commanders.rq", "out.nq.gz").stdout
    assert "owl:Ontology" in wikikg(installed, "ontology").stdout
    assert "sh:NodeShape" in wikikg(installed, "ontology", "--shapes").stdout
    wikikg(installed, "ontology", "--html", "ontology.html")  # from the ontology inside the package
    assert 'id="Conflict"' in (folder / "ontology.html").read_text(encoding="utf-8")
    wikikg(installed, "wikidata-diff", "linked.ttl", "--offline", "index.db", "-o", "diff.qs")
    assert (folder / "diff.review.csv").exists()
    wikikg(installed, "compare", "out.ttl", "linked.ttl", "-o", "cmp")
    assert (folder / "cmp.csv").exists()
    assert '"summary"' in wikikg(installed, "analyze", "out.ttl", "--format", "json").stdout
    # the pages' templates and vendored JavaScript are in the wheel
    wikikg(installed, "analyze", "out.ttl", "--html", "net.html", "--format", "json")
    assert "vis-network" in (folder / "net.html").read_text(encoding="utf-8")
    wikikg(installed, "timeline", "out.ttl", "-o", "timeline.html")
    assert "vis-timeline" in (folder / "timeline.html").read_text(encoding="utf-8")
    with oxigraph_serve(folder / "store") as base:
        loaded = wikikg(installed, "load", "out.nq.gz", "--store", f"{base}/store")
    assert "replaced" in loaded.stderr
    served_answers(installed)


def served_answers(installed: tuple[Path, Path]) -> None:
    """`wikikg serve` starts, answers a query over HTTP and stops on Ctrl-C."""
    command, folder = installed
    port = free_port()
    process = subprocess.Popen([str(command), "serve", "out.ttl", "--port", str(port), "--workers", "1"],
                               cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    try:
        answer = wait_for_answer(process, f"http://127.0.0.1:{port}/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D")
        assert b"true" in answer
    finally:
        process.send_signal(2)
        process.communicate(timeout=30)


def wait_for_answer(process: subprocess.Popen, url: str) -> bytes:
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            return urllib.request.urlopen(url, timeout=5).read()
        except OSError:
            if process.poll() is not None:
                raise AssertionError(f"wikikg serve stopped: {process.communicate()[1][-2000:]!r}") from None
            time.sleep(0.2)
    raise AssertionError("wikikg serve did not answer within 60 s")


# ---- without the optional extras

def test_analyze_without_matplotlib_writes_the_rest_and_says_what_it_skipped(tmp_path, monkeypatch, capsys):
    from graph.cli.main import main

    from .conftest import SEED

    for name in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # `import matplotlib` now fails as if not installed
    out = tmp_path / "net"
    assert main(["analyze", str(SEED), "--out", str(out)]) == 0
    captured = capsys.readouterr()
    assert "most central actors" in captured.out
    assert {p.name for p in out.iterdir()} == {"report.json", "graph.graphml", "graph.gexf", "graph.json",
                                                "graph.html"}
    assert "skipped graph.png: it needs matplotlib: pip install 'wikikg[network]'" in captured.err
