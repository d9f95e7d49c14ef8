"""The progress record of ``wikikg load``: which article graphs reached the store, so a load that stopped halfway
(the store died, an HTTP error, a timeout, Ctrl-C) can be finished with ``--resume`` without sending them again.

The record is JSON Lines: a header (the store, the mode, and each input's path, size and modification time), then one
line per graph the store took. The header and the lines known so far are written atomically (a temporary file renamed
onto the record); each graph then appends one line, so even a ``kill -9`` of wikikg leaves a record of what was done
(a line cut short by the kill is ignored: that graph is sent again). A finished load removes its record.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO

from graph.errors import OutputError, UsageError
from graph.rdf.serialize import write_atomically

FORMAT = 1  # the header's "wikikg_load" value; a file without it is not a record and is never overwritten

Key = tuple[str, str]  # (the input's absolute path, the graph's IRI): a graph named in two inputs is two requests


def default_record(store_url: str, paths: Sequence[str]) -> Path:
    """``.wikikg-load-HASH.jsonl`` in the current folder, HASH of the store and the inputs: the same command run
    again finds it, and a load of other files or into another store does not."""
    identity = json.dumps([store_url, [os.path.abspath(p) for p in paths]])
    return Path(f".wikikg-load-{hashlib.sha256(identity.encode()).hexdigest()[:12]}.jsonl")


def input_identity(paths: Sequence[str]) -> list[dict]:
    """Each input's absolute path, size and modification time: what tells that it is unchanged since a stop."""
    identity = []
    for p in paths:
        st = os.stat(p)
        identity.append({"path": os.path.abspath(p), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
    return identity


class ProgressRecord:
    """The record of one load: read it (``previous``), start it (``start``), add a graph (``add``), finish."""

    def __init__(self, path: Path, store_url: str, mode: str, inputs: list[dict]) -> None:
        self.path = path
        self.header = {"wikikg_load": FORMAT, "store": store_url, "mode": mode, "inputs": inputs}
        self._journal: IO[str] | None = None

    def previous(self, resume: bool, note: Callable[[str], None]) -> set[Key]:
        """The graphs a stopped load recorded as done, when resuming it. A record of another store, mode or of
        inputs that changed since is a usage error: which graphs the store holds would be a guess."""
        found = self._read()
        if found is None:
            if resume:
                note(f"nothing to resume: no progress record {self.path}; loading every graph")
            return set()
        header, done = found
        if not resume:
            if done:
                note(f"starting over: {self.path} recorded {len(done):,} graph(s) of a stopped load "
                     "(--resume would skip them)")
            return set()
        self._check_same_load(header)
        return done

    def start(self, done: Iterable[Key]) -> None:
        """Write the header and ``done`` (atomically), then keep the record open to add each graph as it loads."""
        self.save(done)
        try:
            self._journal = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - open until close() or remove()
        except OSError as e:
            raise OutputError(f"{self.path}: cannot write the load's progress record: {e.strerror}") from None

    def add(self, key: Key) -> None:
        if self._journal is None:
            return
        try:
            self._journal.write(_line(key))
            self._journal.flush()  # in the OS's hands: a killed wikikg still leaves it
        except OSError:  # a full disk: the load goes on; save() rewrites the record whole if it stops
            pass

    def save(self, done: Iterable[Key]) -> None:
        """The record, whole: the header and every graph done."""
        self.close()
        text = json.dumps(self.header, ensure_ascii=False) + "\n" + "".join(_line(k) for k in sorted(done))
        try:
            write_atomically(self.path, text.encode("utf-8"))
        except OutputError as e:
            raise OutputError(f"{e} (the load's progress record; choose another place with --progress FILE)") from None

    def remove(self) -> None:
        self.close()
        self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None

    def _read(self) -> tuple[dict, set[Key]] | None:
        """The header and the graphs done, or None when there is no record. A file that is not a record is a usage
        error: it is never overwritten (a mistyped --progress must not eat someone's file)."""
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"{self.path}: cannot read it as a wikikg load progress record: {e}") from None
        header = _json(lines[0]) if lines else None
        if not _is_header(header):
            raise UsageError(f"{self.path} is not a wikikg load progress record; give another --progress FILE")
        done = set()
        for line in lines[1:]:
            entry = _json(line)
            if isinstance(entry, dict) and isinstance(entry.get("path"), str) and isinstance(entry.get("graph"), str):
                done.add((entry["path"], entry["graph"]))  # a line cut short by a kill is skipped: sent again
        return header, done

    def _check_same_load(self, header: dict) -> None:
        ours = self.header
        if header.get("store") != ours["store"]:
            raise UsageError(f"{self.path} records a load into {header.get('store')}, not {ours['store']}; "
                             "--resume needs the same --store (or run without --resume to load every graph)")
        if header.get("mode") != ours["mode"]:
            raise UsageError(f"{self.path} records a --{header.get('mode')} load: finish it with "
                             f"--{header.get('mode')} --resume, or run without --resume to load every graph")
        theirs = header["inputs"]
        if [i.get("path") for i in theirs] != [i["path"] for i in ours["inputs"]]:
            raise UsageError(f"{self.path} records a load of other files "
                             f"({', '.join(str(i.get('path')) for i in theirs) or 'none'}); "
                             "run without --resume to load every graph")
        changed = [i["path"] for i, then in zip(ours["inputs"], theirs, strict=True) if i != then]
        if changed:
            raise UsageError(f"{', '.join(changed)} changed since the stopped load (size or modification time), so "
                             "which of its graphs the store holds is not known: run without --resume to load every "
                             f"graph (or delete {self.path})")


def _is_header(header: object) -> bool:
    return (isinstance(header, dict) and header.get("wikikg_load") == FORMAT and isinstance(header.get("inputs"), list)
            and all(isinstance(i, dict) for i in header["inputs"]))


def _line(key: Key) -> str:
    return json.dumps({"path": key[0], "graph": key[1]}, ensure_ascii=False) + "\n"


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None
