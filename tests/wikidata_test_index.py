"""An offline Wikidata index of the real sample, the seed's test states and the test item of its conflict
(tests/data/wikidata): the offline counterpart of the ``diff_endpoint`` of tests/test_wikidata_diff.py."""

from __future__ import annotations

import gzip
from pathlib import Path

from .conftest import shared_path
from .wikidata_endpoint import TEST_ITEMS

DIFF_ITEMS = Path(__file__).parent / "data" / "wikidata" / "diff_test_items.json"


def build_test_index(folder: Path) -> str:
    from graph.wikidata.index import build_index

    dump = folder / "all.json"
    lines = []
    for path in (shared_path("wikidata", "wikidata-sample-all.json.gz"), TEST_ITEMS, DIFF_ITEMS):
        opener = gzip.open if str(path).endswith(".gz") else open
        with opener(path, "rt", encoding="utf-8") as fh:
            lines += [line.strip().rstrip(",") for line in fh if line.strip().startswith("{")]
    dump.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")
    index = folder / "wd.db"
    build_index(str(dump), str(index))
    return str(index)
