"""One graph across articles: a link to a redirect is a link to its target.

Wikipedia links to "Churchill" and to "Winston Churchill" are links to one person; the dump says so with its
redirect pages. A first, cheap pass over the dumps (no parse: a redirect is in the page's ``<redirect>``
element or its first line) maps each redirect's entity IRI to its target's; the driver then rewrites the
entity IRIs of every page as it writes it. Chains are followed (a few hops, as MediaWiki does not); a
title that folds to itself (a zh script variant) is already one node.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from graph.errors import InputError
from graph.extract.entities import normalise_title
from graph.rdf.iri import RESOURCE, entity_iri
from graph.wikitext.dump import REDIRECT_IN_TEXT, is_dump, read_dump

# an IRI term of an N-Triples line (at its start or after a space, followed by a space), not text in a literal
RESOURCE_IRI = re.compile(rb"(?:(?<=^)|(?<= ))<(" + re.escape(RESOURCE.encode()) + rb"[^>]*)>(?= )", re.MULTILINE)
MAX_HOPS = 5


def collect_redirects(inputs: Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Entity IRI of each redirect of the dumps among ``inputs`` → the entity IRI of its final target."""
    pairs: dict[str, str] = {}
    for name in inputs:
        if name == "-" or not is_dump(name):
            continue
        info, pages = read_dump(name)
        site = lang or info.lang
        if site is None:
            continue
        try:
            for page in pages:
                target = page.redirect or redirect_in_text(page.text)
                if target:
                    source_iri = entity_iri(site, normalise_title(page.title, site))
                    target_iri = entity_iri(site, normalise_title(target, site))
                    if source_iri != target_iri:
                        pairs[source_iri] = target_iri
        except InputError:
            pass  # a damaged dump: the redirects before the damage serve; the build itself reports the damage
    return {source: final_target(source, pairs) for source in pairs}


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
