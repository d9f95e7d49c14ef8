"""Read stage: bytes from a file or stdin → wikitext, with a one-line error for bad input."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from graph.digests import sha256
from graph.errors import InputError

if TYPE_CHECKING:
    from graph.wikitext.dump import Revision


@dataclass(frozen=True)
class Source:
    """A page's text as read, with the name diagnostics give it, its hash and (from a dump) title and revision."""

    name: str  # the path as given, or "<stdin>", or "dump.xml.bz2#page=12"
    text: str  # wikitext, BOM removed, line ends normalised to "\n"
    sha256: str  # of the bytes as read
    title: str | None = None  # known from the container (an XML dump), else found in the text
    revision: Revision | None = None  # known from an XML dump: page id, revision id, timestamp


def read_source(path: str) -> Source:
    """Read one input: a path, or ``-`` for standard input."""
    if path == "-":
        return decode_source("<stdin>", sys.stdin.buffer.read())
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{path}: is a folder; give the .wiki files in it (e.g. {path}/*.wiki)")
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read: {e.strerror or e}") from None
    return decode_source(path, data)


def source_from_text(name: str, text: str, title: str | None = None, revision: Revision | None = None) -> Source:
    """A page that arrives as text already (from an XML dump)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(name=name, text=text, sha256=sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
                  title=title, revision=revision)


def decode_source(name: str, data: bytes) -> Source:
    if not data.strip():
        raise InputError(f"{name}: empty input, no wikitext to read")
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: binary data (NUL bytes), not wikitext")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise InputError(f"{name}: not UTF-8 (invalid byte 0x{data[e.start]:02x} at line {line}, "
                         f"byte {e.start}); convert it with e.g. `iconv -t UTF-8`") from None
    if not text.strip():
        raise InputError(f"{name}: empty input, no wikitext to read (only a byte-order mark or spaces)")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return Source(name=name, text=text, sha256=sha256(data).hexdigest())
