"""Compiled regular expressions kept between runs, as Python keeps compiled modules in ``.pyc`` files.

Our patterns are built from the vocabularies (every word of a language for "captured", "killed", a month…) and
Unicode classes: compiling the few hundred a page needs takes 60 ms of a one-article run, in the pure-Python half
of ``re`` (``re._parser``, ``re._compiler``). What the compiler makes — the engine's code, a list of integers, and
the group names — is stored in the cache folder of ``graph.data.cache``, under a name that holds Python's version
and the engine's magic number; a later run hands it to the engine (``_sre.compile``, what ``re.compile`` ends
with), which checks the code before it takes it. The file maps each pattern to its entry as JSON, and a run decodes
only the entries of the patterns it asks for: the file keeps what every command compiled, more than a build needs.
Anything unexpected (another Python, another engine, a damaged file) falls back to ``re.compile``: the cache can
cost time, never a wrong pattern.
"""

from __future__ import annotations

import atexit
import base64
import functools
import json
import marshal
import os
import re
import sys
import tempfile
from array import array

from graph.data.saving_process import is_saving_process

try:  # the engine and the compiler behind re.compile: CPython's, private, checked before use
    import _sre
    from re import _compiler, _parser
    _WORD = next(t for t in "HIL" if array(t).itemsize == _sre.CODESIZE)  # an array type of the code's words
except (ImportError, StopIteration):  # another Python: no cache
    _sre = None

MAX_ENTRIES = 1000  # patterns kept (a build uses about 100): a few versions of the code; beyond, this run's only

# [flags, code, groups, groupindex, indexgroup]: the arguments of _sre.compile after the pattern; the code as
# base64 of its 32-bit words (a list of integers in JSON takes 10 times longer to read)
Entry = list

_stored: dict[str, bytes] | None = None  # read at the first pattern: each pattern's key and its entry, not decoded
_used: dict[str, Entry] = {}  # this run's patterns
_new = False  # a pattern not in the file: write it at exit


def regex(pattern: str | bytes, flags: int = 0) -> re.Pattern:
    """``re.compile(pattern, flags)``, from the cache when an earlier run compiled the same pattern."""
    flags = int(flags)
    key = _key(pattern, flags)
    if key is None:
        return re.compile(pattern, flags)
    entry = _decoded(_load().get(key))
    if _well_formed(entry):
        try:
            compiled = _engine(pattern, entry)
            _used[key] = entry
            return compiled
        except Exception:  # noqa: BLE001 - a damaged entry: compile it again, below
            pass
    return _compile(key, pattern, flags)


def _key(pattern: str | bytes, flags: int) -> str | None:
    """The pattern's name in the file: ``flags:pattern``, and ``bFLAGS:pattern`` for a bytes pattern (its bytes
    as the characters U+0000–U+00FF), which a text pattern's key never is: that one starts with a digit."""
    if isinstance(pattern, str):
        return f"{flags}:{pattern}"
    if isinstance(pattern, bytes):
        return f"b{flags}:{pattern.decode('latin-1')}"
    return None


@functools.cache
def data_regex(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``regex(pattern, flags)``, kept in this process too: for a pattern that the data files make at call time
    (a mapping's field names, a vocabulary's words), the same at every call, compiled once. ``regex`` alone decodes
    its entry at each call. Not for a page's own patterns: every pattern asked for here is kept until exit."""
    return regex(pattern, flags)


def _decoded(line: bytes | None) -> object:
    if line is None:
        return None
    try:
        return json.loads(line)
    except ValueError:
        return None


def _well_formed(entry: object) -> bool:
    """An entry as _entry makes it (the engine checks the code itself; this checks what it would take on trust)."""
    return (isinstance(entry, list) and len(entry) == 5 and isinstance(entry[0], int) and isinstance(entry[1], str)
            and isinstance(entry[2], int) and isinstance(entry[3], dict) and isinstance(entry[4], list)
            and len(entry[4]) == entry[2] + 1
            and all(isinstance(k, str) and isinstance(v, int) and 0 < v < len(entry[4]) and entry[4][v] == k
                    for k, v in entry[3].items()))


def _compile(key: str, pattern: str | bytes, flags: int) -> re.Pattern:
    global _new
    if _sre is None or flags & re.DEBUG:
        return re.compile(pattern, flags)
    try:
        entry = _entry(pattern, flags)
        compiled = _engine(pattern, entry)
    except re.error:
        raise
    except Exception:  # noqa: BLE001 - the private compiler is not what this module knows: no cache
        return re.compile(pattern, flags)
    _used[key] = entry
    if not _new:
        _new = True
        atexit.register(_save)
    return compiled


def _entry(pattern: str | bytes, flags: int) -> Entry:
    """What re._compiler.compile hands to the engine (CPython 3.11–3.13)."""
    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    words = base64.b64encode(array(_WORD, code).tobytes()).decode("ascii")
    return [flags | parsed.state.flags, words, parsed.state.groups - 1, groupindex, indexgroup]


def _engine(pattern: str | bytes, entry: Entry) -> re.Pattern:
    code = array(_WORD, base64.b64decode(entry[1])).tolist()
    return _sre.compile(pattern, entry[0], code, entry[2], entry[3], tuple(entry[4]))


def _line(entry: Entry) -> bytes:
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _cache_path() -> str | None:
    from graph.data.cache import cache_folder

    folder = cache_folder()
    if folder is None or _sre is None:
        return None
    version = f"{sys.implementation.cache_tag}-{'.'.join(map(str, sys.version_info[:3]))}-{_sre.MAGIC}"
    return os.path.join(folder, f"regex-{version}.marshal")


def _load() -> dict[str, bytes]:
    """The file's patterns: each key and its entry as JSON, decoded when a pattern asks for it. The file is a
    ``marshal`` dump of that dictionary (plain strings and bytes: it is read in a tenth of a millisecond, where
    JSON took milliseconds to decode every pattern); anything else in it is no entry."""
    global _stored
    if _stored is None:
        _stored = {}
        path = _cache_path()
        if path is not None:
            try:
                with open(path, "rb") as fh:
                    stored = marshal.loads(fh.read())
            except (OSError, ValueError, EOFError, TypeError):
                stored = None
            if isinstance(stored, dict):
                _stored = {key: entry for key, entry in stored.items() if type(key) is str and type(entry) is bytes}
    return _stored


def _save() -> None:
    """This run's new patterns added to the file (whole or not at all: another process may read it now)."""
    path = _cache_path()
    if path is None or not is_saving_process():
        return
    kept: dict[str, bytes] = {**_load(), **{key: _line(entry) for key, entry in _used.items()}}
    if len(kept) > MAX_ENTRIES:
        kept = {key: _line(entry) for key, entry in _used.items()}
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), suffix=".tmp", delete=False) as fh:
            fh.write(marshal.dumps(kept))
        os.replace(fh.name, path)
    except (OSError, ValueError):
        pass


