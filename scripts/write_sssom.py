"""Write ontology/wikikg.sssom.tsv: the mappings of ontology/alignments.ttl in SSSOM (https://w3id.org/sssom/).

SSSOM states a mapping with SKOS predicates without asserting them in RDF, which is what our wkg:*Match annotations
mean. Run after editing alignments.ttl: `python scripts/write_sssom.py` (tests/test_ontology.py checks it is in step).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.rdf.sssom import SSSOM_FILE, sssom_text  # noqa: E402

if __name__ == "__main__":
    SSSOM_FILE.write_text(sssom_text(), encoding="utf-8")
    print(f"wrote {SSSOM_FILE}")
