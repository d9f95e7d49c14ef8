"""Shared fixtures: where the acceptance material (../shared) and the project files are."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("WIKIKG_SHARED", ROOT.parent / "shared"))
# Under CI the acceptance material must be there: a missing file fails instead of skipping.
REQUIRE_SHARED = os.environ.get("CI", "").lower() in ("true", "1", "yes")
SEED = ROOT / "seeds" / "zh_first_nagorno_karabakh_war.wiki"
QUERIES = ROOT / "queries"
ONTOLOGY = ROOT / "ontology"


def shared_path(*parts: str) -> Path:
    """A file of the shared acceptance material; without it the test skips, or fails under CI."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"acceptance material not found: {path} (set WIKIKG_SHARED)"
        if REQUIRE_SHARED:
            pytest.fail(message + "; CI needs it", pytrace=False)
        pytest.skip(message)
    return path


def seed_builds_sharing_a_cache(folder: Path, runs: int = 2) -> list[bytes]:
    """The seed built ``runs`` times by fresh `wikikg build` processes sharing the cache folder ``folder`` (the
    first writes the caches, the later ones read them): each run's Turtle."""
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(ROOT), "WIKIKG_CACHE": str(folder)}
    outputs = []
    for run in range(runs):
        out = folder / f"seed{run}.ttl"
        done = subprocess.run([sys.executable, "-m", "graph.cli", "build", str(SEED), "-o", str(out), "-q"],
                              capture_output=True, text=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
        outputs.append(out.read_bytes())
    return outputs


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory):
    """The seed built once through the CLI entry point: (turtle path, BuildResult)."""
    from graph.pipeline import build
    from graph.rdf.serialize import to_bytes
    from graph.wikitext.read import read_source

    result = build(read_source(str(SEED)))
    out = tmp_path_factory.mktemp("seed") / "seed.ttl"
    out.write_bytes(to_bytes(result.sink.sorted()))
    return out, result


# The local Wikidata SPARQL endpoint (a real `oxigraph serve`), for any test file that asks for it.
from .wikidata_endpoint import wikidata_endpoint, wikidata_ntriples  # noqa: E402, F401, I001


def pytest_terminal_summary(terminalreporter):
    """The gold ratchet's distance to the target (tests/test_gold.py) after every run that scored gold."""
    import sys

    module = sys.modules.get("tests.test_gold")
    if module is not None:
        module.terminal_summary(terminalreporter)
