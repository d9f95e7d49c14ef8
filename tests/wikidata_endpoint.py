"""A real `oxigraph serve` on 127.0.0.1 holding Wikidata-shaped RDF: the real sample
(shared/wikidata) and the test items of tests/data/wikidata, converted by graph/wikidata/wikibase_rdf.py.
Registered in tests/conftest.py, so any test file can ask for the ``wikidata_endpoint`` fixture (the query
URL). Started once per session: converting and loading half a million triples takes a few seconds."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import shared_path
from .oxigraph_server import oxigraph_serve

TEST_ITEMS = Path(__file__).parent / "data" / "wikidata" / "seed_test_items.json"


@pytest.fixture(scope="session")
def wikidata_ntriples(tmp_path_factory) -> list[Path]:
    """The sample and the test items as N-Triples files."""
    from graph.wikidata.wikibase_rdf import convert_dump

    folder = tmp_path_factory.mktemp("wikidata-rdf")
    outputs = []
    for name, dump in (("sample", shared_path("wikidata", "wikidata-sample-all.json.gz")), ("test-items", TEST_ITEMS)):
        out = folder / f"{name}.nt"
        convert_dump(str(dump), str(out))
        outputs.append(out)
    return outputs


def _post_ntriples(base: str, path: Path) -> None:
    request = urllib.request.Request(f"{base}/store?default", data=path.read_bytes(), method="POST",
                                     headers={"Content-Type": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=120) as response:
        response.read()


@pytest.fixture(scope="session")
def wikidata_endpoint(tmp_path_factory, wikidata_ntriples) -> Iterator[str]:
    """The SPARQL query URL of a local Oxigraph loaded with the Wikidata test data."""
    with oxigraph_serve(tmp_path_factory.mktemp("wikidata-db")) as base:
        for path in wikidata_ntriples:
            _post_ntriples(base, path)
        yield f"{base}/query"
