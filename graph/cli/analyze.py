"""``wikikg analyze``: the knowledge graph as a network — a thin layer over graph.network."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graph.errors import UsageError
from graph.rdf.serialize import make_folder

ANALYZE_EXAMPLES = """examples:
  wikikg analyze out.ttl                                   # tables: centrality, supporters, commanders, …
  wikikg analyze seeds/zh_first_nagorno_karabakh_war.wiki  # .wiki files are built on the fly
  wikikg analyze a.ttl b.ttl --layers sides,support,command,places,citations --format json > report.json
  wikikg analyze all.nq --out net/                         # also report.json, graph.graphml (yEd, Cytoscape),
                                                           # graph.gexf (Gephi), graph.json (D3 node-link),
                                                           # graph.png and graph.html (open in a browser)

Layers (edge kinds): sides (fought-on-side, side-of), support (supported), command (commanded,
affiliated), places (occurred-at), part-of; opt-in: citations (cited-by), mentions.
The picture needs matplotlib (pip install 'wikikg[network]') and a CJK font for Chinese labels
(apt-get install fonts-wqy-microhei); without them graph.png is skipped, with a note saying so, and
the other files are written. --no-picture skips graph.png quietly.
"""

SECTIONS = (  # report key → heading
    ("summary", "nodes and edges"),
    ("centrality", "most central actors (betweenness, then degree)"),
    ("support_network", "who supported which side, how (both_sides: supported more than one side)"),
    ("commanders_by_side", "commanders by side"),
    ("works", "works backing the most facts (markers of one work grouped by title/ISBN)"),
    ("citations", "citation markers backing the most facts"),
    ("single_citation_facts", "facts resting on a single citation"),
    ("components", "connected components"),
    ("shared_entities", "entities tied to more than one conflict"),
)
TABLE_LIMIT = 15  # rows per section in the table view; --format json has them all


def add_parser(subparsers) -> None:
    a = subparsers.add_parser(
        "analyze", help="the graph as a network: centrality, supporters, commanders, sources; GraphML/GEXF/PNG",
        description="Project the knowledge graph onto conflicts, sides, parties, persons, places (and citations) "
                    "and analyse it as a network.",
        epilog=ANALYZE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("data", nargs="+", metavar="DATA",
                   help="RDF files (.ttl, .nt, .nq) or wikitext (.wiki files, folders of them, XML dumps)")
    a.add_argument("--out", metavar="DIR", help="also write report.json, graph.graphml, graph.gexf, graph.json, "
                   "graph.png and graph.html into DIR")
    a.add_argument("--lang", help="language of the labels (zh, en, …); default: the articles' language")
    # the layers are named in the epilog, not from graph.network: `wikikg --help` must not import networkx
    a.add_argument("--layers", metavar="LAYERS", help="comma-separated edge layers (listed below; default: all but "
                   "the opt-in ones)")
    a.add_argument("--format", choices=("table", "json"), default="table", help="how to print the report")
    a.add_argument("--no-picture", action="store_true", help="with --out, do not draw graph.png")
    a.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graph import network

    layers = parse_layers(args.layers)
    if args.out:
        make_folder(args.out)  # a file in the way is said before the work, and before the report is printed
    store = network.build_graph(args.data)
    lang = args.lang or network.article_language(store) or "en"
    G = network.to_networkx(store, layers=layers, lang=lang)
    report = network.analyze(G)
    if args.format == "json":
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    else:
        sys.stdout.write(format_report(report))
    if args.out:
        written = write_outputs(G, report, Path(args.out), lang, picture=not args.no_picture)
        print(f"wikikg: wrote {', '.join(p.name for p in written)} to {args.out}", file=sys.stderr)
    return 0


def parse_layers(text: str | None) -> set[str]:
    from graph.network.projection import ALL_LAYERS, DEFAULT_LAYERS

    if text is None:
        return set(DEFAULT_LAYERS)
    layers = {x.strip() for x in text.split(",") if x.strip()}
    unknown = layers - set(ALL_LAYERS)
    if unknown or not layers:
        raise UsageError(f"--layers: unknown layer(s) {', '.join(sorted(unknown)) or '(none given)'}; "
                         f"choose from {', '.join(ALL_LAYERS)}")
    return layers


def write_outputs(G, report: dict, out: Path, lang: str, picture: bool = True) -> list[Path]:
    """Every file of ``--out``; the picture, which alone needs matplotlib and a CJK font, is skipped (and said, with
    how to get it) when it cannot be drawn: the tables, GraphML, GEXF, JSON and HTML do not need it."""
    from graph import network

    make_folder(out)
    text = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    report_path = network.write_text_atomically(out / "report.json", text)
    written = [report_path, *network.export(G, out)]
    if picture:
        drawn = draw_picture(G, out / "graph.png", lang)
        if drawn is not None:
            written.append(drawn)
    written.append(network.draw_html(G, out / "graph.html", lang=lang))
    return written


def draw_picture(G, path: Path, lang: str) -> Path | None:
    """graph.png, or None after saying on stderr why it was skipped and how to have it."""
    from graph import network

    try:
        return network.draw_png(G, path, lang=lang)
    except ImportError as e:
        if (e.name or "").split(".")[0] != "matplotlib":
            raise
        why = "it needs matplotlib: pip install 'wikikg[network]'"
    except RuntimeError as e:  # no CJK font: the message says what to install
        why = str(e)
    print(f"wikikg: skipped {path.name}: {why}; the other files are written (--no-picture skips it quietly)",
          file=sys.stderr)
    return None


def format_report(report: dict) -> str:
    parts = []
    for key, heading in SECTIONS:
        if key not in report:
            continue
        rows = report[key]
        parts.append(f"== {heading} ==\n")
        if not rows:
            parts.append("(none)\n\n")
            continue
        shown = rows[:TABLE_LIMIT]
        parts.append(table(shown))
        if len(rows) > len(shown):
            parts.append(f"… {len(rows) - len(shown)} more (--format json shows all)\n")
        parts.append("\n")
    return "".join(parts)


def cell(value, max_width: int = 48) -> str:
    from graph.query.results import cut

    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    elif isinstance(value, bool):
        value = "yes" if value else ""
    elif isinstance(value, float):
        value = f"{value:.4f}"
    text = " ".join(str(value).split())
    return cut(text, max_width)


def table(rows: list[dict]) -> str:
    """Rows as an aligned text table (IRIs left to --format json: they would drown the labels)."""
    from graph.query.results import display_width, pad

    names = [n for n in rows[0] if n != "iri" and n != "fact"]
    cells = [[cell(r.get(n, "")) for n in names] for r in rows]
    widths = [max([display_width(n)] + [display_width(c[i]) for c in cells]) for i, n in enumerate(names)]
    lines = [" | ".join(pad(n, w) for n, w in zip(names, widths, strict=True)),
             "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(pad(c, w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(line.rstrip() for line in lines) + "\n"
