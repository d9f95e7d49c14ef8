"""``wikikg reconcile`` and the ``--reconcile`` options of ``wikikg build``: a thin layer over
graph.wikidata.reconcile."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph.cli.arguments import fraction, positive_float, positive_int
from graph.errors import UsageError
from graph.rdf.serialize import FORMATS

RECONCILE_EXAMPLES = """examples:
  wikikg reconcile out.ttl -o linked.ttl                        # live Wikidata (cached), set a contact:
  wikikg reconcile out.ttl -o linked.ttl --user-agent "you@example.org"
  wikikg reconcile out.ttl -o linked.ttl --endpoint http://127.0.0.1:7878/query   # Wikidata-shaped RDF
  wikikg reconcile out.ttl -o linked.ttl --service https://wikidata.reconci.link/en/api   # names and types only
  wikikg reconcile out.ttl --offline wd-index.db                # in place, from a dump index
  wikikg build page.wiki -o out.ttl --reconcile --offline wd-index.db

How it decides, strongest evidence first: the Wikipedia page an entity links to is an item's sitelink
(score 1.0); an ISBN or DOI names one item (0.99); else exact labels and aliases in every Chinese
variant and English (scripts folded, never transliterated), where a type that does not fit the entity's
role (commander → human, belligerent → state/organisation, place → geographic entity, conflict → war,
battle...) excludes a candidate, and so do dates outside the conflict (a state dissolved before it, a
commander who died before it). A match needs --threshold and a --margin over the runner-up; the rest
is reported ambiguous (with candidates) or unmatched (with the reason), never guessed.

Writes skos:exactMatch links (and owl:sameAs from --same-as-threshold), one wkg:Reconciliation record
per entity (score, method, features, status, reason; queries/wikidata.rq reads them), and a review
report: REPORT.csv and REPORT.md (default: next to the output). Remote answers are cached in SQLite
(~/.cache/wikikg/wikidata-cache.sqlite): a second run asks nothing; --refresh asks again.
"""


def add_backend_options(p: argparse.ArgumentParser) -> list[argparse.Action]:
    """The backend and decision options (of ``reconcile`` and ``build --reconcile``); returns their actions."""
    before = len(p._actions)
    g = p.add_argument_group("Wikidata backend (default: live Wikidata, cached)")
    which = g.add_mutually_exclusive_group()
    which.add_argument("--offline", metavar="INDEX", help="an index built by `wikikg wikidata-index build`")
    which.add_argument("--endpoint", metavar="URL", help="any SPARQL endpoint holding Wikidata-shaped RDF "
                       "(wdt:, rdfs:label, skos:altLabel, schema:about sitelinks)")
    which.add_argument("--service", metavar="URL", help="a W3C Reconciliation Service API endpoint that reconciles "
                       "to Wikidata, e.g. https://wikidata.reconci.link/en/api; names and types only: sitelinks "
                       "and identifiers need live Wikidata or --endpoint")
    g.add_argument("--user-agent", metavar="CONTACT", dest="contact",
                   help="your contact (e-mail or URL) for the User-Agent Wikimedia asks of tools "
                        "(or set WIKIKG_CONTACT)")
    g.add_argument("--cache", metavar="FILE", help="SQLite cache of remote answers "
                   "(default ~/.cache/wikikg/wikidata-cache.sqlite)")
    g.add_argument("--no-cache", dest="use_cache", action="store_false", help="neither read nor write the cache")
    g.add_argument("--refresh", action="store_true", help="ask the backend again, ignoring cached answers")
    g.add_argument("--timeout", type=positive_float, metavar="S", help="seconds per remote request (default 90; "
                   "Wikidata's query service stops queries at 60)")
    g.add_argument("--retries", type=positive_int, metavar="N", help="attempts per remote request before giving up "
                   "(default 5, with exponential backoff; Retry-After is honoured)")
    g.add_argument("--api", metavar="URL", dest="api_url", help=argparse.SUPPRESS)  # tests: a local stand-in
    d = p.add_argument_group("decisions")
    d.add_argument("--threshold", type=fraction, metavar="X", help="lowest score of a match (default 0.80)")
    d.add_argument("--margin", type=fraction, metavar="X", help="lead a match needs over the runner-up (default 0.10)")
    d.add_argument("--same-as-threshold", type=fraction, metavar="X",
                   help="also write owl:sameAs at or above this score (default 0.95)")
    d.add_argument("--no-same-as", dest="same_as", action="store_false", default=None,
                   help="write skos:exactMatch only, never owl:sameAs")
    d.add_argument("--report", metavar="PREFIX", help="write PREFIX.csv and PREFIX.md (default: next to the output)")
    return p._actions[before:]


def add_parser(subparsers) -> None:
    r = subparsers.add_parser(
        "reconcile", help="link the entities of RDF files to Wikidata items (score, evidence, review report)",
        description="Link every entity of wikikg RDF files (conflicts, parties, commanders, places, works with "
                    "ISBN/DOI, linked pages) to Wikidata items.",
        epilog=RECONCILE_EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("data", nargs="+", metavar="DATA", help="RDF files written by wikikg build (.ttl, .nt, .nq)")
    r.add_argument("-o", "--output", metavar="FILE", help="where to write (default: the input, replaced "
                   "atomically; only with one input)")
    r.add_argument("--format", choices=sorted(set(FORMATS)), help="turtle, nt, nquads, trig, jsonld, rdfxml "
                   "(default: from the -o extension; .gz compresses)")
    r.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    add_backend_options(r)
    r.set_defaults(run=run)


def settings_from(args: argparse.Namespace):
    from graph.wikidata.reconcile.score import Settings

    return Settings.from_data(threshold=args.threshold, margin=args.margin,
                              same_as_threshold=args.same_as_threshold, same_as=args.same_as)


def backend_from(args: argparse.Namespace):
    from graph.wikidata.reconcile.backends import has_contact, open_backend

    if not args.offline and not has_contact(args.contact) and not getattr(args, "quiet", False):
        print("wikikg: note: no contact for the User-Agent; Wikimedia asks tools for one "
              "(--user-agent you@example.org or WIKIKG_CONTACT)", file=sys.stderr)
    return open_backend(offline=args.offline, endpoint=args.endpoint, contact=args.contact, cache=args.cache,
                        use_cache=args.use_cache, refresh=args.refresh, timeout=args.timeout, api_url=args.api_url,
                        retries=args.retries, service=getattr(args, "service", None))


def link(store, args: argparse.Namespace, output: str | None):
    """Reconcile ``store``; write the review report; return the triples to add."""
    from graph.wikidata.reconcile.link import link_store
    from graph.wikidata.reconcile.report import summary

    settings = settings_from(args)
    backend = backend_from(args)
    try:
        outcome, triples = link_store(store, backend, settings, progress=not args.quiet and sys.stderr.isatty())
    finally:
        close = getattr(backend, "close", None)
        if close:
            close()
    prefix = report_prefix(args.report, output)
    write_reports(outcome, prefix)
    if not args.quiet:
        print(f"wikikg: reconciled {summary(outcome)}", file=sys.stderr)
        if prefix:
            print(f"wikikg: review report: {prefix}.md and {prefix}.csv", file=sys.stderr)
        for error in sorted(set(outcome.errors))[:5]:
            print(f"wikikg: warning: {error}", file=sys.stderr)
    if not_checked(outcome):  # said even with -q: the run fails
        print(f"wikikg: error: {not_checked(outcome):,} entities not checked (the backend failed); their earlier "
              "links are kept; run again when it answers", file=sys.stderr)
    return outcome, triples


def not_checked(outcome) -> int:
    from graph.wikidata.reconcile.model import NOT_CHECKED

    return outcome.count(NOT_CHECKED)


def report_prefix(prefix: str | None, output: str | None) -> str | None:
    if prefix:
        return prefix
    if output:
        path = Path(output)
        return str(path.with_name(path.stem + ".reconciliation"))
    return None


def report_files(prefix: str | None, output: str | None) -> list[str]:
    """The review report's two files (none when there is neither --report nor an output file)."""
    prefix = report_prefix(prefix, output)
    return [prefix + ".csv", prefix + ".md"] if prefix else []


def write_reports(outcome, prefix: str | None) -> None:
    from graph.rdf.serialize import write_atomically
    from graph.wikidata.reconcile.report import to_csv, to_markdown

    if prefix is None:
        return
    write_atomically(prefix + ".csv", to_csv(outcome).encode("utf-8"))
    write_atomically(prefix + ".md", to_markdown(outcome).encode("utf-8"))


def run(args: argparse.Namespace) -> int:
    import pyoxigraph as ox

    from graph.query.engine import load_store
    from graph.rdf.serialize import check_parses, check_writable, format_for, is_dataset, to_bytes, write_output
    from graph.wikidata.reconcile.link import RECONCILIATION_GRAPH

    if args.output is None and len(args.data) != 1:
        raise UsageError("several inputs: say where to write with -o FILE")
    output = args.output or args.data[0]
    for path in (output, *report_files(args.report, output)):
        check_writable(path)
    fmt = format_for(args.format, output)
    store = load_store(args.data)
    outcome, triples = link(store, args, output)
    graphs = None
    if is_dataset(fmt):
        graphs = {}
        named = {q.triple for q in store if isinstance(q.graph_name, ox.NamedNode)}
        for quad in store:
            # N-Quads output names every graph; triples only in the default graph join the links' graph (the
            # default graph also holds a copy of every named graph's triples: see query.engine.load_file)
            if isinstance(quad.graph_name, ox.NamedNode):
                graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
            elif quad.triple not in named:
                graphs.setdefault(RECONCILIATION_GRAPH, []).append(quad.triple)
        graphs[RECONCILIATION_GRAPH] = graphs.get(RECONCILIATION_GRAPH, []) + triples
        graphs = {g: sorted(set(ts), key=_key) for g, ts in graphs.items()}
    base = {q.triple for q in store}
    data = to_bytes(sorted(base | set(triples), key=_key), fmt, graphs=graphs)
    check_parses(data, fmt)
    write_output(output, data)
    if not args.quiet:
        print(f"wikikg: wrote {output}", file=sys.stderr)
    return 1 if not_checked(outcome) else 0


def _key(t):
    return (str(t.subject), str(t.predicate), str(t.object))
