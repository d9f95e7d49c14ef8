"""Make a multistream test dump (and its index) from the fixture dumps, optionally many copies of them.

    .venv/bin/python bench/make_multistream.py OUT-multistream.xml.bz2 [DUMP ...] [--copies N]
        [--pages-per-stream 100] [--fixtures ../shared/fixtures] [--time]

(WIKIKG_SHARED names the shared folder, as for the tests.)

Without DUMPs, every dump in the fixtures folder is read (every namespace): the shortened enwiki dump
(206 pages), the American Revolutionary War excerpt and the bare zhwiki page. A title read twice keeps its
first page. ``--copies 10`` writes the pages 10 times: copy 1 as they are, copy K with " (copy K)" after
each title and new page ids, so the copies are distinct articles (their text, redirect targets included,
is unchanged). The ``<siteinfo>`` is the first dump's that has one: every page is read as that site's
(the zh page too). OUT must be named ``…-multistream.xml.bz2``; the index is written next to it as
``…-multistream-index.txt.bz2``, Wikimedia's names. ``--time`` then reads the result both ways (stream
by stream, and ``read_dump`` from start to end) and prints the times.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # tests.multistream (the writer) lives beside graph/, not in the installed package

from graph.wikitext.dump import DumpPage, _open_binary, is_dump, read_dump  # noqa: E402
from graph.wikitext.multistream import read_index, read_site_info, read_stream  # noqa: E402
from tests.multistream import siteinfo_of, write_multistream  # noqa: E402


def fixture_dumps(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and is_dump(str(p)))


def pages_of(dumps: list[Path]) -> list[DumpPage]:
    seen: set[str] = set()
    pages = []
    for dump in dumps:
        for page in read_dump(str(dump), namespaces=None)[1]:
            if page.title not in seen and page.page_id is not None:
                seen.add(page.title)
                pages.append(page)
    return pages


def copies(pages: list[DumpPage], n: int) -> list[DumpPage]:
    stride = max(p.page_id or 0 for p in pages) + 1  # copy K's ids follow copy K-1's
    out = list(pages)
    for k in range(2, n + 1):
        out += [dataclasses.replace(p, title=f"{p.title} (copy {k})", page_id=(p.page_id or 0) + (k - 1) * stride)
                for p in pages]
    return out


def head_siteinfo(dumps: list[Path]) -> str | None:
    for dump in dumps:
        with _open_binary(str(dump)) as f:  # decompressed by content, as read_dump opens it
            found = siteinfo_of(f.read(1 << 20))  # <siteinfo> comes first: the head is enough
        if found:
            return found
    return None


def timings(path: str, index: str) -> None:
    started = time.perf_counter()
    streams = read_index(index)
    info = read_site_info(path)
    by_stream = sum(1 for s in streams for _ in read_stream(path, s, info, None))
    middle = time.perf_counter() - started
    count = sum(1 for _ in read_dump(path, namespaces=None)[1])
    sequential = time.perf_counter() - started - middle
    print(f"{len(streams)} streams; by stream: {by_stream} pages in {middle:.3f} s; "
          f"read_dump: {count} pages in {sequential:.3f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", help="the dump to write, named …-multistream.xml.bz2")
    ap.add_argument("dumps", nargs="*", help="dumps to read (default: every dump in --fixtures)")
    shared = Path(os.environ.get("WIKIKG_SHARED", ROOT.parent / "shared"))  # as tests/conftest.py finds it
    ap.add_argument("--fixtures", default=str(shared / "fixtures"))
    ap.add_argument("--copies", type=int, default=1)
    ap.add_argument("--pages-per-stream", type=int, default=100)
    ap.add_argument("--time", action="store_true", help="read the result stream by stream and whole, timed")
    args = ap.parse_args(argv)
    if not args.out.endswith("-multistream.xml.bz2"):
        ap.error("OUT must end in -multistream.xml.bz2 (its index is named after it)")
    if args.copies < 1 or args.pages_per_stream < 1:
        ap.error("--copies and --pages-per-stream must be at least 1")
    dumps = [Path(d) for d in args.dumps] or fixture_dumps(Path(args.fixtures))
    if not dumps:
        ap.error(f"no dumps in {args.fixtures}")
    pages = copies(pages_of(dumps), args.copies)
    written = write_multistream(pages, args.out, args.pages_per_stream, head_siteinfo(dumps))
    print(f"{written.dump}: {len(pages)} pages in {len(written.offsets) - 2} page streams, {written.size} bytes; "
          f"index {written.index}")
    if args.time:
        timings(str(written.dump), str(written.index))
    return 0


if __name__ == "__main__":
    sys.exit(main())
