"""The methods ``@dataclass`` writes, compiled once and kept between runs, as Python keeps compiled modules in
``.pyc`` files.

At every import, ``dataclasses`` writes each class's ``__init__``, ``__repr__``, ``__eq__`` (and ``__hash__``,
``__setattr__``… for frozen or ordered ones) as source text and compiles it with ``exec``: for the ~55 record
classes a build imports, about 15 ms of a one-article run, more than most libraries' imports. The text depends
only on the class's fields and options, so its compiled code is the same in every run. While the command line
runs (``install`` is called by ``graph.cli``, never by a library import), the ``exec`` that ``dataclasses`` calls
takes the code compiled for the same text by an earlier run from a file in the cache folder of
``graph.data.cache``, named for the Python version and its bytecode's magic number; a text never seen is compiled
as before, and kept at exit. The code is the very object ``compile`` makes of that text (``marshal``, the format
of ``.pyc`` files), so every class is the one ``@dataclass`` makes without the cache.

The file holds code, as a ``.pyc`` does: it is read only when this user owns it and nobody else may write to it.
Anything unexpected (a damaged file, another Python) costs the time saved, never a different class.
"""

from __future__ import annotations

import atexit
import dataclasses
import marshal
import os
import stat
import sys
import types

from graph.data.saving_process import is_saving_process

MAX_ENTRIES = 2000  # method texts kept (a build uses about 250): beyond, this run's only

_stored: dict[str, types.CodeType] = {}
_used: dict[str, types.CodeType] = {}
_new = False


def install() -> None:
    """Route the ``exec`` calls of ``dataclasses`` through the cache (once; a no-op where ``dataclasses`` already
    has an ``exec`` of its own, which is not the built-in this module knows)."""
    global _stored
    if hasattr(dataclasses, "exec"):  # installed already, or a dataclasses that is not the one this module knows
        return
    _stored = _load()
    dataclasses.exec = _cached_exec


def _cached_exec(source, globals=None, locals=None, /):  # noqa: A002 - exec's own parameter names
    """``exec(source, globals, locals)``; a source text compiled by an earlier run is not compiled again. Only
    the classes of this package are kept (``globals`` is the defining module's namespace): the file holds what a
    run of ours makes, not the classes of whatever else runs in the process (a test runner's)."""
    if type(source) is str and isinstance(globals, dict) and str(globals.get("__name__", "")).startswith("graph."):
        source = _code_for(source)
    return exec(source, globals, locals)


def _code_for(text: str) -> types.CodeType:
    global _new
    code = _stored.get(text)
    if code is None:
        code = compile(text, "<string>", "exec")  # what exec(text) compiles: the same code object
        if not _new:
            _new = True
            atexit.register(_save)
    _used[text] = code
    return code


def _cache_path() -> str | None:
    from graph.data.cache import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    import importlib.util

    version = f"{sys.implementation.cache_tag}-{'.'.join(map(str, sys.version_info[:3]))}"
    return os.path.join(folder, f"dataclass-code-{version}-{importlib.util.MAGIC_NUMBER.hex()}.marshal")


def _load() -> dict[str, types.CodeType]:
    path = _cache_path()
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return {}
            stored = marshal.loads(fh.read())
    except (OSError, ValueError, EOFError, TypeError):
        return {}
    if not isinstance(stored, dict):
        return {}
    return {text: code for text, code in stored.items()
            if type(text) is str and type(code) is types.CodeType and code.co_filename == "<string>"}


def _trusted(st: os.stat_result) -> bool:
    """A regular file of this user's that no one else may write: code is read from nobody else's file."""
    mine = not hasattr(os, "getuid") or st.st_uid == os.getuid()
    return stat.S_ISREG(st.st_mode) and mine and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _save() -> None:
    """This run's new method texts added to the file (whole or not at all: another process may read it now)."""
    path = _cache_path()
    if path is None or not is_saving_process():
        return
    merged = {**_stored, **_used}
    if len(merged) > MAX_ENTRIES:
        merged = dict(_used)
    import tempfile

    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), suffix=".tmp", delete=False) as fh:
            fh.write(marshal.dumps(merged))  # mkstemp's file: this user's alone (0600)
        os.replace(fh.name, path)
    except (OSError, ValueError):
        pass
