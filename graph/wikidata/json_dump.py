"""Wikidata's JSON dump read as a stream: one entity per line, decompressed by its magic bytes, damaged
lines and cut-off downloads counted instead of fatal. Memory stays bounded whatever the dump's size."""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import sys
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import IO

from graph.errors import InputError


def open_dump(path: str) -> IO[bytes]:
    """The dump as a binary stream, decompressed by its magic bytes (not its name, which may lie)."""
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, not a Wikidata JSON dump")
    try:
        with open(path, "rb") as fh:
            magic = fh.read(6)
        if magic.startswith(b"\x1f\x8b"):
            return gzip.open(path, "rb")
        if magic.startswith(b"BZh"):
            return bz2.open(path, "rb")
        if magic.startswith(b"\xfd7zXZ\x00"):
            return lzma.open(path, "rb")
        return open(path, "rb")
    except OSError as e:
        raise InputError(f"{path}: cannot read the Wikidata dump: {e.strerror or e}") from e


def iter_entities(path: str, counts: Counter[str] | None = None) -> Iterator[dict]:
    """The entities of a dump, one line at a time. ``counts`` receives ``broken`` (lines skipped) and
    ``truncated`` (1 when a compressed stream ends early): a damaged dump is read as far as it goes."""
    counts = counts if counts is not None else Counter()
    with open_dump(path) as fh:
        try:
            for raw in fh:
                entity = parse_line(raw)
                if entity is None:
                    if raw.strip() not in (b"[", b"]", b""):
                        counts["broken"] += 1
                    continue
                yield entity
        except (EOFError, OSError, zlib.error, lzma.LZMAError) as e:
            # A cut-off download: keep what was read, say so in the stats, do not crash.
            if isinstance(e, OSError) and not isinstance(e, gzip.BadGzipFile) and e.errno is not None:
                raise InputError(f"{path}: read error: {e}") from e
            counts["truncated"] = 1


def parse_line(raw: bytes) -> dict | None:
    line = raw.strip()
    if line.endswith(b","):
        line = line[:-1]
    if not line.startswith(b"{"):
        return None
    try:
        entity = json.loads(line)
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(entity, dict) or not isinstance(entity.get("id"), str):
        return None
    return entity


def dump_entities(dump: str, counts: Counter[str], progress: bool = False) -> Iterable[dict]:
    """The entities of a dump, opened now (a missing or empty dump raises InputError at once, before the
    caller creates any output), with a progress bar when asked."""
    entities = iter_entities(dump, counts)
    first = next(entities, None)
    if first is None:
        raise InputError(f"{dump}: holds no Wikidata entity (expected a JSON dump, one entity per line)")
    return _with_progress(_chain(first, entities), progress)


def _chain(first: dict, rest: Iterator[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def _with_progress(entities: Iterator[dict], progress: bool) -> Iterable[dict]:
    if not progress:
        return entities
    from tqdm import tqdm
    return tqdm(entities, unit=" entities", file=sys.stderr, mininterval=1.0)
