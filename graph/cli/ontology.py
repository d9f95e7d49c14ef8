"""``wikikg ontology``: the OWL ontology, the SHACL shapes and the alignments that wikikg ships, printed or written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.errors import EXIT_STATUS_HELP

ONTOLOGY_EXAMPLES = """examples:
  wikikg ontology                         # the OWL ontology (Turtle, with its comments) on stdout
  wikikg ontology --shapes > shapes.ttl   # the SHACL shapes the output is checked against
  wikikg ontology -o wikikg.owl           # RDF/XML, for Protégé (.ttl, .nt, .jsonld, .rdf/.owl/.xml, + .gz)
  wikikg ontology -o vocab/               # all three files: wikikg.ttl, shapes.ttl, alignments.ttl
  wikikg ontology --html docs/ontology.html   # the ontology's documentation: one page, an entry per term

Validate a build with the shapes: pyshacl -s shapes.ttl -e wikikg.ttl out.ttl
"""


def add_parser(sub) -> None:
    o = sub.add_parser("ontology", help="print or write the ontology (OWL) and the SHACL shapes",
                       description="Print or write the ontology wikikg's graphs follow (OWL), the SHACL shapes they "
                       "are checked against, and the alignments to schema.org, Wikidata and others.",
                       epilog=ONTOLOGY_EXAMPLES + "\n" + EXIT_STATUS_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    o.add_argument("--shapes", action="store_true", help="the SHACL shapes instead of the ontology")
    o.add_argument("--html", metavar="FILE", help="write the ontology's documentation page (HTML, an anchor per "
                   "term: where the namespace's w3id.org redirect sends a browser)")
    o.add_argument("-o", "--output", metavar="FILE", help="write here (its extension says the format) instead of "
                   "stdout; a folder (DIR/) gets the three Turtle files")
    o.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graph.rdf.serialize import check_writable, format_for, make_folder, write_output
    from graph.rdf.vocabulary import FILES, vocabulary_bytes

    if args.html:
        from graph.rdf.ontology_docs import write_ontology_html

        check_writable(args.html)
        write_ontology_html(args.html)
        print(f"wikikg: wrote {args.html}", file=sys.stderr)
        if args.output is None:
            return 0
    part = "shapes" if args.shapes else "ontology"
    if args.output is None:
        sys.stdout.buffer.write(vocabulary_bytes(part))
        sys.stdout.flush()
        return 0
    if args.output.endswith(("/", "\\")) or Path(args.output).is_dir():
        folder = make_folder(args.output)
        for name, file_name in FILES.items():
            write_output(folder / file_name, vocabulary_bytes(name))
        print(f"wikikg: wrote {', '.join(FILES.values())} to {args.output}", file=sys.stderr)
        return 0
    fmt = format_for(None, args.output, option="")
    check_writable(args.output)
    write_output(args.output, vocabulary_bytes(part, fmt))
    print(f"wikikg: wrote {args.output}", file=sys.stderr)
    return 0
