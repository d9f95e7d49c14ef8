"""One graph across articles: a link to a redirect is a link to its target.

Wikipedia links to "Churchill" and to "Winston Churchill" are links to one person; the dump says so with its
redirect pages. A first, cheap pass over the dumps (no wikitext parse: a redirect is in the page's
``<redirect>`` element or its first line; a multistream dump's streams are read on every core) maps each
redirect's entity IRI to its target's; the driver then rewrites the entity IRIs of every page as it writes it.
Chains are followed (a few hops, as MediaWiki does not); a title that folds to itself (a zh script variant) is
already one node.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

from graph.errors import InputError
from graph.extract.entities import normalise_title
from graph.rdf.iri import RESOURCE, entity_iri
from graph.wikitext.dump import REDIRECT_IN_TEXT, DumpInfo, DumpPage, ReadPosition, is_dump, read_dump
from graph.wikitext.multistream import Stream, find_index, read_index, read_site_info, read_stream

# an IRI term of an N-Triples line (at its start or after a space, followed by a space), not text in a literal
RESOURCE_IRI = re.compile(rb"(?:(?<=^)|(?<= ))<(" + re.escape(RESOURCE.encode()) + rb"[^>]*)>(?= )", re.MULTILINE)
MAX_HOPS = 5


Advance = Callable[[int], None]  # told how many more bytes of a dump (as stored) were read


def collect_redirects(inputs: Iterable[str], lang: str | None = None, jobs: int = 1,
                      advance: Advance | None = None) -> dict[str, str]:
    """Entity IRI of each redirect of the dumps among ``inputs`` → the entity IRI of its final target.

    A multistream dump is scanned stream by stream on ``jobs`` processes (the pass decompresses and reads the
    whole dump: on one core it would take as long as the build on all of them); a plain dump in this process.
    ``advance`` follows the bytes read (a progress bar: on a whole Wikipedia the pass takes a while)."""
    pairs: dict[str, str] = {}
    advance = advance or (lambda n: None)
    for name in inputs:
        if name == "-" or not is_dump(name):
            continue
        index = find_index(name)
        site, found = multistream_redirects(name, index, jobs, advance) if index else plain_redirects(name, advance)
        site = lang or site
        if site is None:
            continue
        for title, target in found:
            source_iri = entity_iri(site, normalise_title(title, site))
            target_iri = entity_iri(site, normalise_title(target, site))
            if source_iri != target_iri:
                pairs[source_iri] = target_iri
    return {source: final_target(source, pairs) for source in pairs}


def plain_redirects(name: str, advance: Advance) -> tuple[str | None, list[tuple[str, str]]]:
    """The dump's language and its (redirect title, target title) pairs, read from the start."""
    position = ReadPosition()
    info, pages = read_dump(name, position=position)
    told = 0

    def tell() -> None:
        nonlocal told
        now = position.tell()
        advance(now - told)
        told = now

    found = redirects_of_pages(pages, every=1000, tell=tell)
    tell()
    return info.lang, found


def redirects_of_pages(pages: Iterable[DumpPage], every: int = 0, tell: Callable[[], None] | None = None
                       ) -> list[tuple[str, str]]:
    """The (title, target) of each redirect among ``pages``; ``tell()`` called every ``every`` pages."""
    found = []
    try:
        for n, page in enumerate(pages, start=1):
            target = page.redirect or redirect_in_text(page.text)
            if target:
                found.append((page.title, target))
            if tell is not None and n % every == 0:
                tell()
    except InputError:
        pass  # a damaged dump or stream: the redirects before the damage serve; the build reports the damage
    return found


STREAMS_PER_TASK = 50  # about 5,000 pages: a task long enough to pay for sending it


def multistream_redirects(name: str, index: str, jobs: int, advance: Advance
                          ) -> tuple[str | None, list[tuple[str, str]]]:
    """As ``plain_redirects``, each stream read from its offset; with ``jobs`` > 1 and more than one task's worth
    of streams, on a process pool."""
    info, size = read_site_info(name), os.path.getsize(name)
    streams = list(read_index(index))
    tasks = [streams[i:i + STREAMS_PER_TASK] for i in range(0, len(streams), STREAMS_PER_TASK)]
    sizes = [sum((s.end or size) - s.start for s in task) for task in tasks]
    advance(streams[0].start if streams else size)  # the head stream (<siteinfo>), read by read_site_info
    found: list[tuple[str, str]] = []
    if jobs <= 1 or len(tasks) <= 1:
        for task, task_size in zip(tasks, sizes, strict=True):
            found += streams_redirects(name, task, info)
            advance(task_size)
        return info.lang, found
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(min(jobs, len(tasks)), mp_context=multiprocessing.get_context("spawn")) as pool:
        done = pool.map(streams_redirects, [name] * len(tasks), tasks, [info] * len(tasks))
        for pairs, task_size in zip(done, sizes, strict=True):
            found += pairs
            advance(task_size)
    return info.lang, found


def streams_redirects(name: str, streams: list[Stream], info: DumpInfo) -> list[tuple[str, str]]:
    """The redirect pairs of some streams of a multistream dump (a worker's task)."""
    return [pair for stream in streams for pair in redirects_of_pages(read_stream(name, stream, info))]


def redirect_in_text(text: str) -> str | None:
    m = REDIRECT_IN_TEXT.match(text)
    return m.group(1).strip() if m else None


def final_target(source: str, pairs: dict[str, str]) -> str:
    target, seen = pairs[source], {source}
    for _ in range(MAX_HOPS):
        if target not in pairs or target in seen:
            break
        seen.add(target)
        target = pairs[target]
    return target


def resolve(ntriples: bytes, redirects: dict[str, str], merged: set[str]) -> bytes:
    """The page's triples with every redirect's entity IRI replaced by its target's; ``merged`` collects the
    redirects that were met."""
    if not redirects:
        return ntriples

    # the page's resource IRIs found in C; a Python call only for each place a redirect is met
    met = {iri for iri in set(RESOURCE_IRI.findall(ntriples)) if iri.decode("utf-8") in redirects}
    if not met:
        return ntriples
    merged.update(iri.decode("utf-8") for iri in met)
    targets = {iri: b"<" + redirects[iri.decode("utf-8")].encode("utf-8") + b">" for iri in met}
    these = re.compile(rb"(?:(?<=^)|(?<= ))<(" + b"|".join(map(re.escape, sorted(met))) + rb")>(?= )", re.MULTILINE)
    return these.sub(lambda m: targets[m.group(1)], ntriples)
