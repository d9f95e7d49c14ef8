"""N-Quads written page by page, as the pages are made: one file, or a folder of shards with a manifest.

Nothing is held for the whole run: each page's triples arrive as N-Triples bytes (graph.run.page), are named
with the page's graph, checked by a strict parse and written. Pages come in input order whatever ran them, so
the bytes are the same for one process, a pool or a cluster; the shards of a folder, decompressed and joined
in order, are the bytes of the single file.

A folder is resumable: a shard is written whole (temporary file, then rename) and the manifest records it
with its checksum as the last thing, so after a crash or Ctrl-C every shard the manifest names is complete,
and ``--resume`` goes on after the last one.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
from dataclasses import astuple
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyoxigraph as ox

from graph.errors import OutputError
from graph.rdf.serialize import atomic_path, write_atomically

if TYPE_CHECKING:
    from graph.rdf.provenance import InputRecord

MANIFEST = "manifest.json"
# zlib level 6 (gzip's own default on the command line): a third of level 9's time for shards ~3% larger
GZIP_LEVEL = 6


def named(ntriples: bytes, graph: str) -> bytes:
    """N-Triples lines → N-Quads lines in ``graph`` (each line ends ' .\\n'; literals escape their newlines)."""
    tail = f" <{graph}> .\n".encode()
    return b"".join(line[:-3] + tail for line in ntriples.splitlines(keepends=True))


def checked(quads: bytes) -> bytes:
    list(ox.parse(quads, format=ox.RdfFormat.N_QUADS))  # strict: a broken line is never written
    return quads


class NQuadsFile:
    """One .nq file (or stdout), written atomically: the old file stays until the run succeeds."""

    def __init__(self, path: str | None) -> None:
        self.path = path
        self._block = atomic_path(path) if path else None
        self._out: IO[bytes] = open(self._block.__enter__(), "wb") if self._block else os.fdopen(  # noqa: SIM115
            os.dup(1), "wb")
        self._file = self._out
        if path and path.endswith(".gz"):  # compressed as it comes; no time or name in the header: same bytes
            self._out = gzip.GzipFile(fileobj=self._file, mode="wb", mtime=0, filename="")

    def add(self, ntriples: bytes, graph: str, parsed: list | None = None) -> None:
        self._out.write(named(ntriples, graph))

    def end_unit(self, unit: int, pages: int, records: list, triples: int = 0) -> None:
        pass

    def finish(self, provenance: bytes, summary: dict) -> None:
        self._out.write(provenance)
        if self._out is not self._file:
            self._out.close()  # the gzip trailer
        self._file.flush()
        if self._block:
            os.fsync(self._file.fileno())
        self._file.close()
        if self._block:
            self._block.__exit__(None, None, None)

    def abort(self, summary: dict) -> None:
        self._file.close()
        if self._block:
            with contextlib.suppress(BaseException):
                self._block.__exit__(KeyboardInterrupt, KeyboardInterrupt(), None)


class ShardFolder:
    """``out/part-00000.nq.gz`` …, a shard closed at a unit boundary once it holds ``shard_pages`` pages, and
    ``out/manifest.json``; with ``resume``, the shards an earlier run recorded are kept."""

    def __init__(self, folder: str, shard_pages: int, header: dict, resume: bool) -> None:
        self.folder, self.shard_pages = Path(folder), shard_pages
        self.folder.mkdir(parents=True, exist_ok=True)
        self.manifest = {**header, "complete": False, "shards": []}
        if resume:
            self.manifest["shards"] = resumable_shards(self.folder, header)
        self._new_shard()

    def _new_shard(self) -> None:
        # compressed as it comes: a shard of a thousand pages is held as ~10 MB, not ~100 MB
        self.buffer = io.BytesIO()
        self.gz = new_gzip(self.buffer)
        self.pages, self.units, self.records, self.triples = 0, [], [], 0

    @property
    def done_units(self) -> int:
        """Units already in complete shards: a resumed run starts after them."""
        shards = self.manifest["shards"]
        return shards[-1]["units"][1] + 1 if shards else 0

    def add(self, ntriples: bytes, graph: str, parsed: list | None = None) -> None:
        self.gz.write(named(ntriples, graph))

    def end_unit(self, unit: int, pages: int, records: list, triples: int = 0) -> None:
        """``records``: what the run's provenance says of each page built (graph.rdf.provenance.InputRecord)."""
        self.units.append(unit)
        self.pages += pages
        self.triples += triples
        self.records += records
        if self.pages >= self.shard_pages:
            self._close_shard()

    def earlier_records(self) -> list[InputRecord]:
        """The provenance records of the shards a resumed run keeps: its provenance names every page."""
        from graph.rdf.provenance import InputRecord

        records = []
        for shard in self.manifest["shards"]:
            data = gzip.decompress((self.folder / records_file(shard["file"])).read_bytes())
            records += [InputRecord(*fields) for fields in json.loads(data)]
        return records

    def _close_shard(self, name: str | None = None) -> None:
        import hashlib  # OpenSSL's, for megabytes of shard; a one-article run writes none and skips its import

        if not self.units:
            return
        name = name or f"part-{len(self.manifest['shards']):05d}.nq.gz"
        self.gz.close()
        data = self.buffer.getvalue()
        records = compressed(json.dumps([list(astuple(r)) for r in self.records], ensure_ascii=False).encode())
        write_atomically(self.folder / records_file(name), records)
        write_atomically(self.folder / name, data)
        self.manifest["shards"].append({"file": name, "units": [self.units[0], self.units[-1]],
                                        "pages": self.pages, "graphs": len(self.records), "triples": self.triples,
                                        "sha256": hashlib.sha256(data).hexdigest(),
                                        "records_sha256": hashlib.sha256(records).hexdigest()})
        self._write_manifest()
        self._new_shard()

    def _write_manifest(self) -> None:
        text = json.dumps(self.manifest, ensure_ascii=False, indent=2) + "\n"
        write_atomically(self.folder / MANIFEST, text.encode("utf-8"))

    def finish(self, provenance: bytes, summary: dict) -> None:
        self._close_shard()
        write_atomically(self.folder / "provenance.nq.gz", compressed(provenance))
        self.manifest.update(summary, complete=True, provenance="provenance.nq.gz")
        self._write_manifest()

    def abort(self, summary: dict) -> None:
        """Stopped: the pages of the unfinished shard are dropped; the manifest says where the run stopped."""
        self.manifest.update(summary, complete=False)
        self._write_manifest()


def records_file(shard: str) -> str:
    return shard.replace(".nq.gz", ".pages.json.gz")


def new_gzip(out: IO[bytes]) -> gzip.GzipFile:
    return gzip.GzipFile(fileobj=out, mode="wb", mtime=0, filename="", compresslevel=GZIP_LEVEL)  # no time or name


def compressed(data: bytes) -> bytes:
    out = io.BytesIO()
    with new_gzip(out) as fh:
        fh.write(data)
    return out.getvalue()


def sha256_of(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def resumable_shards(folder: Path, header: dict) -> list[dict]:
    """The shards of an earlier run of the same inputs and options that are on disk, whole."""
    try:
        earlier = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, ValueError) as e:
        raise OutputError(f"{folder / MANIFEST}: cannot resume from it: {e}") from None
    if {k: earlier.get(k) for k in header} != header:
        raise OutputError(f"{folder}: holds the output of other inputs or options; resume with the same command, "
                          "or write to another folder")
    kept = []
    for shard in earlier.get("shards", []):
        path = folder / shard["file"]
        records = folder / records_file(shard["file"])
        if not (path.is_file() and records.is_file() and sha256_of(path) == shard["sha256"]
                and sha256_of(records) == shard.get("records_sha256")):
            break  # this shard and every later one are built again
        kept.append(shard)
    return kept
