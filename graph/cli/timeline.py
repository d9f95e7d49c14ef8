"""``wikikg timeline``: the dated events of the graph on a time axis, as a page or a picture."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.errors import UsageError, WikikgError
from graph.rdf.serialize import make_folder

TIMELINE_EXAMPLES = """examples:
  wikikg timeline seeds/zh_first_nagorno_karabakh_war.wiki -o timeline.html   # .wiki is built on the fly
  wikikg timeline out.ttl -o timeline.png --lang zh-Hant                         # a picture, traditional script
  wikikg timeline all.nq -o shusha.html --conflict 纳戈尔诺 --search 舒沙          # filters apply to both
  wikikg timeline a.ttl b.ttl -o t.png --precision day,month --side "side 1"

Each dated sentence of an article (a wkg:Event with wkg:startDate) is one event, in a group per conflict and a
lane per parent: the conflict itself, each sub-event ({{Main}} of a section, e.g. 舒沙战役), and the background
(told before or after the war). An event is as long as its date is precise: a year is a span of the whole year,
a month of the whole month, a day a point; an inferred year is dashed. The page (one file, no network access
needed) shows the sentence and its sources on hover, and filters by conflict, precision, side of the actors
involved and what the event involves; the picture needs matplotlib and, for Chinese, a CJK font.
--lang zh-Hans, zh-Hant or en: every label in that script (sentences of a zh article stay Chinese in en).
"""

SIDES = ("side 1", "side 2", "both", "varies", "neither")
PRECISIONS = ("day", "month", "year")


def add_parser(subparsers) -> None:
    t = subparsers.add_parser(
        "timeline", help="the graph's dated events on a time axis: an HTML page or a PNG",
        description="Draw the dated events of the knowledge graph by conflict, with parents as lanes and the "
                    "precision of each date shown.",
        epilog=TIMELINE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    t.add_argument("data", nargs="+", metavar="GRAPH",
                   help="RDF files (.ttl, .nt, .nq) or wikitext (.wiki files, folders of them, XML dumps)")
    t.add_argument("-o", "--output", required=True, metavar="FILE",
                   help="the page (.html) or the picture (.png) to write")
    t.add_argument("--lang", help="language and script of the labels: zh-Hans, zh-Hant, en (or zh); "
                   "default: the articles' language")
    t.add_argument("--conflict", action="append", metavar="TEXT",
                   help="only conflicts whose name (any script) or IRI contains TEXT; repeat for several")
    t.add_argument("--side", action="append", choices=SIDES, metavar="SIDE",
                   help="only events involving an actor of SIDE within the event's conflict: "
                        f"{', '.join(repr(s) for s in SIDES)}; repeatable")
    t.add_argument("--precision", metavar="LIST", help="only events whose date is known to these, comma-separated "
                   "(day, month, year)")
    t.add_argument("--search", metavar="TEXT", help="only events whose sentence or names contain TEXT (any script)")
    t.add_argument("--title", help="the title (default: the conflicts' names)")
    t.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from graph import network
    from graph.network.timeline import filter_timeline, read_timeline

    out = Path(args.output)
    kind = out.suffix.lower().lstrip(".")
    if kind not in ("html", "htm", "png"):
        raise UsageError(f"-o {args.output}: the output must end in .html or .png")
    precisions = parse_precisions(args.precision)
    make_folder(out.parent, output=out)  # a file in the way is said before the work
    store = network.build_graph(args.data)
    lang = args.lang or network.article_language(store) or "en"
    G = network.to_networkx(store, lang=lang)
    timeline = filter_timeline(read_timeline(store, lang, G), conflicts=args.conflict, sides=args.side,
                               precisions=precisions, query=args.search)
    if not timeline.events:
        raise WikikgError("no dated events to draw (none in the graph, or none pass the filters)")
    if kind == "png":
        from graph.network.timeline_picture import draw_timeline_png

        try:
            path = draw_timeline_png(timeline, out, title=args.title)
        except ImportError:
            raise WikikgError("a PNG needs matplotlib: pip install 'wikikg[network]' (or write .html)") from None
        except RuntimeError as e:  # no CJK font: the message says what to install
            raise WikikgError(f"{out}: {e}") from None
    else:
        from graph.network.timeline_page import draw_timeline_html

        path = draw_timeline_html(timeline, out, title=args.title)
    print(f"wikikg: wrote {path} ({len(timeline.events)} events)", file=sys.stderr)
    return 0


def parse_precisions(text: str | None) -> list[str] | None:
    if text is None:
        return None
    found = [p.strip() for p in text.split(",") if p.strip()]
    unknown = set(found) - set(PRECISIONS)
    if unknown or not found:
        raise UsageError(f"--precision: unknown precision(s) {', '.join(sorted(unknown)) or '(none given)'}; "
                         f"choose from {', '.join(PRECISIONS)}")
    return found
