"""The progress record of ``wikikg load``: which article graphs reached the store, so a load that stopped halfway
(the store died, an HTTP error, a timeout, Ctrl-C) can be finished with ``--resume`` without sending them again.

The record is JSON Lines: a header (the store, the mode, and each input file's path, size and modification time),
then one line per graph the store took, and one line per input file whose graphs are all done. The header and what a
resumed load skips are written atomically (a temporary file renamed onto the record); each graph then appends one line,
so even a ``kill -9`` of wikikg leaves a record of what was done (a line cut short by the kill is ignored: that graph is
sent again). A finished load removes its record.

Reading a record keeps the graphs of the files a load had begun, and only a count for the files it finished: a stopped
load of a whole Wikipedia has millions of graphs behind it, and its shards' graphs need not be held to skip the shards.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

from graph.errors import OutputError, UsageError
from graph.rdf.serialize import write_atomically

FORMAT = 1  # the header's "wikikg_load" value; a file without it is not a record and is never overwritten

Key = tuple[str, str]  # (the input's absolute path, the graph's IRI): a graph named in two inputs is two requests
LIST_AT_MOST = 10  # files named in a message; more are counted


def default_record(store_url: str, paths: Sequence[str]) -> Path:
    """``.wikikg-load-HASH.jsonl`` in the current folder, HASH of the store and the inputs: the same command run
    again finds it, and a load of other files or into another store does not."""
    identity = json.dumps([store_url, [os.path.abspath(p) for p in paths]])
    return Path(f".wikikg-load-{hashlib.sha256(identity.encode()).hexdigest()[:12]}.jsonl")


def input_identity(paths: Sequence[str]) -> list[dict]:
    """Each input file's absolute path, size and modification time: what tells that it is unchanged since a stop."""
    identity = []
    for p in paths:
        st = os.stat(p)
        identity.append({"path": os.path.abspath(p), "size": st.st_size, "mtime_ns": st.st_mtime_ns})
    return identity


class Done:
    """What a stopped load sent: the files it finished (a count of graphs each) and the graphs of the others."""

    def __init__(self) -> None:
        self.files: dict[str, int] = {}
        self.graphs: dict[str, set[str]] = {}

    def __contains__(self, key: Key) -> bool:
        path, graph = key
        return path in self.files or graph in self.graphs.get(path, ())

    def __len__(self) -> int:
        return sum(self.files.values()) + sum(len(graphs) for graphs in self.graphs.values())

    def whole(self, path: str) -> bool:
        return path in self.files

    def count(self, path: str) -> int:
        return self.files[path] if path in self.files else len(self.graphs.get(path, ()))

    def add(self, key: Key) -> None:
        if key[0] not in self.files:
            self.graphs.setdefault(key[0], set()).add(key[1])

    def add_file(self, path: str, graphs: int) -> None:
        self.files[path] = graphs
        self.graphs.pop(path, None)  # its graphs are no longer needed one by one

    def lines(self) -> Iterator[str]:
        for path, graphs in sorted(self.files.items()):
            yield _file_line(path, graphs)
        for path, names in sorted(self.graphs.items()):
            yield from (_line((path, graph)) for graph in sorted(names))


class ProgressRecord:
    """The record of one load: read it (``previous``), start it (``start``), add a graph (``add``) and a finished
    file (``add_file``), then remove it (a finished load) or close it (a stopped one)."""

    def __init__(self, path: Path, store_url: str, mode: str, inputs: list[dict]) -> None:
        self.path = path
        self.header = {"wikikg_load": FORMAT, "store": store_url, "mode": mode, "inputs": inputs}
        self._journal: IO[str] | None = None
        self.failed: str | None = None  # why a line could not be written: the record then misses graphs

    def previous(self, resume: bool, note: Callable[[str], None]) -> Done:
        """The graphs a stopped load recorded as done, when resuming it. A record of another store, mode or of
        inputs that changed since is a usage error: which graphs the store holds would be a guess."""
        found = self._read()
        if found is None:
            if resume:
                note(f"nothing to resume: no progress record {self.path}; loading every graph")
            return Done()
        header, done = found
        if not resume:
            if len(done):
                note(f"starting over: {self.path} recorded {len(done):,} graph(s) of a stopped load "
                     "(--resume would skip them)")
            return Done()
        self._check_same_load(header, done)
        return done

    def start(self, done: Done) -> None:
        """Write the header and ``done`` (atomically), then keep the record open to add each graph as it loads."""
        self.save(done)
        try:
            self._journal = open(self.path, "a", encoding="utf-8")  # noqa: SIM115 - open until close() or remove()
        except OSError as e:
            raise OutputError(f"{self.path}: cannot write the load's progress record: {e.strerror}") from None

    def add(self, key: Key) -> None:
        self._write(_line(key))

    def add_file(self, path: str, graphs: int) -> None:
        """Every graph of ``path`` is done: a resumed load skips the file without reading it."""
        self._write(_file_line(path, graphs))

    def _write(self, line: str) -> None:
        if self._journal is None:
            return
        try:
            self._journal.write(line)
            self._journal.flush()  # in the OS's hands: a killed wikikg still leaves it
        except OSError as e:  # a full disk: the load goes on; the record is then not to be trusted (see failed)
            self.failed = self.failed or str(e.strerror or e)

    def save(self, done: Done) -> None:
        """The record, whole: the header and every graph done."""
        self.close()
        text = json.dumps(self.header, ensure_ascii=False) + "\n" + "".join(done.lines())
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

    def _read(self) -> tuple[dict, Done] | None:
        """The header and the graphs done, or None when there is no record. A file that is not a record is a usage
        error: it is never overwritten (a mistyped --progress must not eat someone's file)."""
        try:
            with open(self.path, encoding="utf-8") as fh:
                header = _json(fh.readline())
                if not _is_header(header):
                    raise UsageError(f"{self.path} is not a wikikg load progress record; give another --progress FILE")
                return header, _done(fh)  # line by line: the record of a big load is never held whole
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as e:
            raise UsageError(f"{self.path}: cannot read it as a wikikg load progress record: {e}") from None

    def _check_same_load(self, header: dict, done: Done) -> None:
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
                             f"({_named([str(i.get('path')) for i in theirs]) or 'none'}); "
                             "run without --resume to load every graph")
        # A file none of whose graphs were sent may have changed (one that did not parse, mended): it is sent whole
        changed = [i["path"] for i, then in zip(ours["inputs"], theirs, strict=True)
                   if i != then and done.count(i["path"])]
        if changed:
            raise UsageError(f"{_named(changed)} changed since the stopped load (size or modification time), so "
                             "which of its graphs the store holds is not known: run without --resume to load every "
                             f"graph (or delete {self.path})")


def _done(lines: Iterable[str]) -> Done:
    done = Done()
    for line in lines:
        entry = _json(line)
        if not (isinstance(entry, dict) and isinstance(entry.get("path"), str)):
            continue  # a line cut short by a kill is skipped: its graph is sent again
        if isinstance(entry.get("graph"), str):
            done.add((entry["path"], entry["graph"]))
        elif entry.get("file") == "done" and isinstance(entry.get("graphs"), int):
            done.add_file(entry["path"], entry["graphs"])
    return done


def recorded(path: Path) -> Done:
    """What the record at ``path`` says was sent, whatever load it is of."""
    with open(path, encoding="utf-8") as fh:
        fh.readline()
        return _done(fh)


def _named(paths: list[str]) -> str:
    more = len(paths) - LIST_AT_MOST
    return ", ".join(paths[:LIST_AT_MOST]) + (f" and {more:,} more" if more > 0 else "")


def _file_line(path: str, graphs: int) -> str:
    return json.dumps({"path": path, "file": "done", "graphs": graphs}, ensure_ascii=False) + "\n"


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
