"""OpenCC's conversions (s2t, t2s…) without OpenCC's start: its exact output, from tables kept between runs.

What enters is an OpenCC config name (``s2t``) and then text; what leaves is the text OpenCC 1.4 would make of
it, character for character. Why: ``opencc.OpenCC("s2t")`` loads its marisa dictionaries and builds a trie of
every entry when it is made, about 0.04 s of CPU, half a bare parser's process, for the few labels a page
converts. Here the installed config is read and its dictionaries are dumped once with OpenCC's own tool
(``opencc_dict``, in the wheel); the tables are stored in the cache folder of ``graph.data.cache`` (marshal of
plain strings, integers, bytes, tuples and dicts: data, never code; the file written whole or not at all). Its
index (checked whole by its checksum, read at the start) holds the characters whose only key is themselves with
their values and, for each first character of longer keys, its own value and the characters that can follow it in
them; the longer keys themselves are grouped by their first two characters, each group with its checksum, and a
group is read from the open file (and unmarshalled) only when the text holds its two characters.
Per character this is slower than OpenCC's C++ (a Python loop); a build converts few, cached, labels.

The semantics are those of OpenCC 1.4.2 (src/Config.cpp, Conversion.cpp, PrefixMatch.cpp, DictGroup.cpp,
MaxMatchSegmentation.cpp, UTF8Util.hpp), checked against the installed library in tests/test_script_conversion.py:

* ``normalization``: its conversions run first, over the whole text (a pipeline stage);
* a conversion walks the text: at each place the dictionaries' keys that start there are looked up, and the
  one of the earliest dictionary wins, the longest within it. The dictionaries of a ``short_circuit`` group come
  one after the other in that order; those of a ``union`` group count as one (the longest key of any of them
  wins, the first dictionary on a tie). The winner's first value replaces the key. Where no key starts, an
  ideographic description sequence (⿰钅只: an operator U+2FF0–U+2FFF and its operands, at most 16 deep and 64
  characters) is copied whole, else the one character;
* ``segmentation`` ``mmseg``: the text is cut where its dictionary matches (each match a segment, the runs
  between them one), and each segment goes through the chain alone; without it, a chain of one conversion
  converts the whole text (segmenting would change nothing there).

Anything else (another dictionary type, a config key, a chain of several conversions without segmentation, a
missing or failing ``opencc_dict``, no cache folder) is OpenCC's own converter: this can cost time, never a
different output.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import marshal
import os
import sys
import zlib
from array import array
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from graph.data.regex_cache import regex

FORMAT = 5  # of the stored tables: a change is a new file name
_MAGIC = b"wikikg-opencc\n"
# arity of the ideographic description operators OpenCC reads (UTF8Util::IdeographicDescriptionOperatorArity)
_ARITY = {chr(cp): 2 for cp in range(0x2FF0, 0x2FFE)} | {"\u2ff2": 3, "\u2ff3": 3, "\u2ffe": 1, "\u2fff": 1}
_IDS_OPERATORS = tuple(_ARITY)
_IDS_DEPTH, _IDS_CHARACTERS = 16, 64
_DICT_KEYS = {"type", "file", "dicts", "match_policy", "may_output_tofu"}
# at most this many characters start a longer key: the text between them goes through str.translate
_SPARSE = 1000
_FEW = 2000  # at most this many characters a sparse stage looks for: their ranges may make a regex
# a first character of longer keys: what it becomes when none of them continues (its own value, else itself), the
# second characters of its longer keys, the number of the first of their pairs, the order + 1 of its own value (0:
# none) and the earliest order of its keys
First = tuple[str, str, int, int, int]
# the keys of two first characters: key → value, key → dictionary order (or the order of all), their lengths (longest
# first)
Pair = tuple[dict[str, str], dict[str, int] | int, tuple[int, ...]]


class Converter(Protocol):
    def convert(self, text: str) -> str: ...


class Unsupported(Exception):
    """The config asks for something this module does not do as OpenCC does: use OpenCC."""


class Damaged(Exception):
    """The stored tables are not what was written: rebuilt at the next run, OpenCC's converter for this one."""


def converter(config: str) -> Converter:
    """A converter for the installed OpenCC config ``config`` (``s2t``, ``t2s``…): ours when its tables can be
    had, else ``opencc.OpenCC(config)``."""
    try:
        return _TableConverter(config)
    except Exception:  # noqa: BLE001 - anything unexpected: OpenCC itself gives the same output
        import opencc

        return opencc.OpenCC(config)


# --- the converter -----------------------------------------------------------------------------------------------

class _Stage:
    """One conversion (one dictionary, or a group of them): the text it makes of a text."""

    def __init__(self, stored: list, blob: Callable[[int, int], bytes]) -> None:
        single_keys, single_values, keys, owns, numbers, seconds, places = stored
        # characters whose only key is the character itself: the value, no search
        values = single_values.split("\0") if single_keys else []
        self.single = dict(zip(single_keys, values, strict=False))
        # a first character of longer keys → its number: where its second characters start in ``seconds`` (they end
        # where the next one's start), the order + 1 of its own value (0: none) and the earliest order of its keys
        self.index = dict(zip(keys, range(len(keys)), strict=True))
        self.owns = owns.split("\0") if keys else []
        self.numbers = array("I")
        self.numbers.frombytes(numbers)
        self.seconds = seconds
        self.places = array("I")  # each pair's start and checksum in the blob (it ends where the next starts), then
        # the blob's end
        self.places.frombytes(places)
        self.blob = blob  # the file's tables (start, size → bytes): a pair's phrases are read when the text has it
        # two first characters → their keys (key → value, key → order or the order of all) and the keys' lengths,
        # longest first
        self.pairs: dict[str, Pair] = {}
        # the index was checked whole (its checksum); this is what a wrong one would break
        if len(values) != len(single_keys) or len(self.owns) != len(keys) or len(self.numbers) != 3 * len(
                keys) + 1 or self.numbers[-1] != len(seconds) or len(self.places) != 2 * len(seconds) + 1:
            raise Damaged("tables")
        # the characters that start a longer key, or a description sequence: elsewhere str.translate does it
        self.dense = len(keys) > _SPARSE
        self.table = str.maketrans(self.single)
        self.starts = None if self.dense else regex("[" + "".join(map(_escaped, keys)) + "\u2ff0-\u2fff]")
        # the loops' fast path, for the characters met so far (filled by _learn): what a character without longer
        # keys becomes (strings only: no tuple, no work for the garbage collector), and for a first character of
        # longer keys what it becomes when none of them continues, their second characters (a following character
        # not among them: no need to look further) and its number
        self.alone = dict(self.single)
        self.firsts: dict[str, First] = {}
        # a text with none of the characters a sparse stage changes or looks at is its own conversion
        self.untouched = None if self.dense else _absent(
            [*keys, *_IDS_OPERATORS, *(char for char, value in self.single.items() if value != char)])

    def _first(self, char: str, position: int) -> First:
        """firsts' entry for the first character ``char`` of longer keys, number ``position``: from the index,
        nothing unmarshalled."""
        base, own, earliest, end = self.numbers[3 * position:3 * position + 4]
        found = self.firsts[char] = (self.owns[position] if own else char, self.seconds[base:end], base, own, earliest)
        return found

    def match(self, text: str, start: int, end: int) -> tuple[int, str] | None:
        """The winning key at ``start`` (not past ``end``): its length and value."""
        char = text[start]
        value = self.single.get(char)
        if value is not None:
            return 1, value
        found = self.firsts.get(char)
        if found is None:
            position = self.index.get(char)
            if position is None:
                return None
            found = self._first(char, position)
        return self.longer(text, start, end, found)

    def longer(self, text: str, start: int, end: int, first: First) -> tuple[int, str] | None:
        """match's answer where ``first`` is firsts' entry of the character at ``start`` (it has no single value)."""
        alone, seconds, base, own, earliest = first
        best: str | None = None
        best_length = best_order = 0
        following = seconds.find(text[start + 1]) if start + 1 < end else -1
        if following >= 0:
            pair = text[start:start + 2]
            found = self.pairs.get(pair)
            if found is None:
                found = self.pairs[pair] = self._pair(pair, 2 * (base + following))
            values, orders, lengths = found
            room = end - start
            for length in lengths:  # longest first: a shorter key wins only from an earlier dictionary
                if length > room:
                    continue
                key = text[start:start + length]
                value = values.get(key)
                if value is not None:
                    order = orders if type(orders) is int else orders[key]
                    if best is None or order < best_order:
                        best, best_length, best_order = value, length, order
                        if order == earliest:
                            break
        if own and (best is None or own - 1 < best_order):  # its own value (alone: what it becomes)
            return 1, alone
        return None if best is None else (best_length, best)

    def _pair(self, pair: str, at: int) -> Pair:
        """The keys of a pair of first characters, from the blob: checked (their checksum, their shape)."""
        places = self.places
        start, size = places[at], places[at + 2] - places[at]
        chunk = self.blob(start, size) if size > 0 else b""
        if len(chunk) != size or zlib.crc32(chunk) != places[at + 1]:
            raise Damaged(pair)
        # the bytes written (their checksum): the shape is _stage's, only its outline is checked
        found = marshal.loads(chunk)
        if not (type(found) is tuple and len(found) == 3 and type(found[0]) is dict
                and (type(found[1]) is int or type(found[1]) is dict) and type(found[2]) is tuple):
            raise Damaged(pair)
        return found

    def convert(self, text: str) -> str:
        if self.dense:
            return self.convert_dense(text)
        if self.untouched(text):
            return text
        out: list[str] = []
        append = out.append
        position, end = 0, len(text)
        search, table, alone, firsts = self.starts.search, self.table, self.alone.get, self.firsts.get
        while True:
            found = search(text, position)
            if found is None:
                append(text[position:].translate(table))
                return "".join(out)
            start = found.start()
            if start > position:
                append(text[position:start].translate(table))
            char = text[start]
            step = firsts(char)
            if step is None:
                value = alone(char)
                if value is None and self._learn(char):
                    value, step = alone(char), firsts(char)
                if value is not None:  # no longer key starts with it: match's answer
                    append(value)
                    position = start + 1
                    continue
            if step is not None:
                following = start + 1
                if following == end or text[following] not in step[1]:  # the character alone: match's answer
                    append(step[0])
                    position = following
                    continue
                matched = self.longer(text, start, end, step)
            else:
                matched = self.match(text, start, end)
            if matched is not None:
                append(matched[1])
                position = start + matched[0]
                continue
            length = (_ids_length(text, start) if char in _ARITY else 0) or 1
            append(text[start:start + length])
            position = start + length

    def convert_dense(self, text: str) -> str:
        """The same, a character at a time: faster where most characters start a longer key (s2t's phrases)."""
        out: list[str] = []
        append = out.append
        position, end = 0, len(text)
        alone, firsts, longer = self.alone.get, self.firsts.get, self.longer
        while position < end:
            char = text[position]
            step = firsts(char)
            if step is not None:
                following = position + 1
                if following == end or text[following] not in step[1]:  # the character alone: match's answer
                    append(step[0])
                    position = following
                    continue
                found = longer(text, position, end, step)  # a longer key of it may follow
            elif (value := alone(char)) is not None:  # no longer key starts with it: match's answer
                append(value)
                position += 1
                continue
            elif self._learn(char):
                continue  # again, from what was learned
            else:
                found = self.match(text, position, end)
            if found is not None:
                append(found[1])
                position += found[0]
                continue
            length = (_ids_length(text, position) if char in _ARITY else 0) or 1
            append(text[position:position + length])
            position += length
        return "".join(out)

    def keeps(self, text: str) -> bool:
        """``convert_dense(text) == text``, read only up to the first piece that differs (a Simplified sentence
        differs from its Traditional form within a few characters). Each piece the conversion would write is
        compared with the text where it would land: the two texts are equal exactly when every piece is."""
        at, position, end = 0, 0, len(text)
        alone, firsts, longer, startswith = self.alone.get, self.firsts.get, self.longer, text.startswith
        while position < end:
            char = text[position]
            step = firsts(char)
            if step is not None:
                following = position + 1
                if following == end or text[following] not in step[1]:
                    piece, position = step[0], following
                else:
                    found = longer(text, position, end, step)
                    if found is None:
                        length = (_ids_length(text, position) if char in _ARITY else 0) or 1
                        piece, position = text[position:position + length], position + length
                    else:
                        piece, position = found[1], position + found[0]
            elif (value := alone(char)) is not None:
                piece, position = value, position + 1
            elif self._learn(char):
                continue  # again, from what was learned
            else:
                found = self.match(text, position, end)
                if found is None:
                    length = (_ids_length(text, position) if char in _ARITY else 0) or 1
                    piece, position = text[position:position + length], position + length
                else:
                    piece, position = found[1], position + found[0]
            if not startswith(piece, at):
                return False
            at += len(piece)
        return at == end

    def _learn(self, char: str) -> bool:
        """Put ``char`` in ``alone`` or ``firsts`` (what match gives for it when no longer key of it follows); False
        for a description operator without a value of its own (a sequence may start there: match decides)."""
        if char in self.single:  # alone has it from the start
            return True
        position = self.index.get(char)
        if position is not None and (char not in _ARITY or self.numbers[3 * position + 1]):
            self._first(char, position)
            return True
        if char in _ARITY:
            return False
        self.alone[char] = char  # no key: copied
        return True

    def segments(self, text: str) -> list[str]:
        """MaxMatchSegmentation: each match a segment, the text between matches one."""
        pieces: list[str] = []
        position, end, run = 0, len(text), 0
        while position < end:
            found = self.match(text, position, end)
            if found is None:
                length = (_ids_length(text, position) if text[position] in _ARITY else 0) or 1
                position += length
                continue
            if run < position:
                pieces.append(text[run:position])
            pieces.append(text[position:position + found[0]])
            position += found[0]
            run = position
        if run < end:
            pieces.append(text[run:end])
        return pieces


def _absent(chars: list[str]) -> Callable[[str], bool]:
    """Whether a text holds none of ``chars``: a search of their ranges in a regex when they are few (the
    normalization's compatibility ideographs: faster than a set's, and their ranges are quickly found at each start),
    else a set's isdisjoint (C, a character at a time)."""
    if len(chars) <= _FEW:
        points = sorted(set(map(ord, chars)))
        breaks = [at for at in range(1, len(points)) if points[at] != points[at - 1] + 1]
        if len(breaks) < 64:
            ranges = zip([0, *breaks], [*breaks, len(points)], strict=True)
            search = regex("[" + "".join(f"\\U{points[first]:08x}-\\U{points[last - 1]:08x}"
                                         for first, last in ranges) + "]").search
            return lambda text: search(text) is None
    return frozenset(chars).isdisjoint


def _escaped(char: str) -> str:
    return "\\" + char if char in "\\]^-[" else char


def _ids_length(text: str, start: int) -> int:
    """The length of the complete ideographic description sequence at ``start``, else 0."""
    end, counted = len(text), [0]

    def consume(position: int, depth_left: int) -> int:  # the end, or -1 incomplete/invalid
        if position >= end or depth_left == 0 or counted[0] >= _IDS_CHARACTERS:
            return -1
        counted[0] += 1
        arity = _ARITY.get(text[position], 0)
        position += 1
        for _ in range(arity):
            if position >= end:
                return -1
            position = consume(position, depth_left - 1)
            if position < 0:
                return -1
        return position

    if text[start] not in _ARITY:
        return 0
    stop = consume(start, _IDS_DEPTH)
    return stop - start if stop > 0 else 0


class _TableConverter:
    def __init__(self, config: str) -> None:
        self.config = config
        self.path, plan, blob = _load(config)  # blob: start, size → the bytes of the file's tables
        self.normalization = [_Stage(stage, blob) for stage in plan[0]]
        self.segmentation = None if plan[1] is None else _Stage(plan[1], blob)
        self.chain = [_Stage(stage, blob) for stage in plan[2]]
        # without segmentation: the stages' conversions one after the other, over the whole text
        self.stages = None if self.segmentation else (*self.normalization, *self.chain)
        self.passes = None if self.stages is None else [stage.convert_dense if stage.dense else stage.convert
                                                        for stage in self.stages]
        self.opencc: Converter | None = None  # OpenCC's own, once the tables turned out damaged

    def convert(self, text: str) -> str:
        text.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, as OpenCC's convert raises
        if self.opencc is None:
            try:
                return self._convert(text)
            except Damaged:
                with contextlib.suppress(OSError):
                    os.unlink(self.path)  # the next run writes it again
                import opencc

                self.opencc = opencc.OpenCC(self.config)
        return self.opencc.convert(text)

    def keeps(self, text: str) -> bool:
        """``convert(text) == text``; where the last stage reads a character at a time (s2t), it stops at the first
        piece that differs instead of converting the whole text."""
        if self.opencc is None and self.stages is not None and self.stages[-1].dense:
            text.encode("utf-8")  # a lone surrogate: UnicodeEncodeError, as convert raises
            try:
                if all(convert(text) == text for convert in self.passes[:-1]):
                    return self.stages[-1].keeps(text)
            except Damaged:
                pass  # convert switches to OpenCC's own
        return self.convert(text) == text

    def _convert(self, text: str) -> str:
        if self.passes is not None:
            for convert in self.passes:
                text = convert(text)
            return text
        for stage in self.normalization:
            text = stage.convert(text)
        out = []
        for segment in self.segmentation.segments(text):
            for stage in self.chain:
                segment = stage.convert(segment)
            out.append(segment)
        return "".join(out)


# --- the config and its tables -----------------------------------------------------------------------------------

def _opencc_folder() -> Path:
    spec = importlib.util.find_spec("opencc")  # not imported: that loads the C++ library
    if spec is None or spec.origin is None:
        raise Unsupported("opencc is not installed")
    return Path(spec.origin).parent


def _paths(config: str) -> tuple[Path, Path, Path]:
    """The config file, the dictionaries' folder and the dictionary tool."""
    folder = _opencc_folder()
    share = folder / "clib" / "share" / "opencc"
    path = share / (config if config.endswith(".json") else f"{config}.json")
    if os.sep in config or "/" in config or not path.is_file():
        raise Unsupported(f"not an installed config: {config}")
    return path, share, folder / "clib" / "bin" / "opencc_dict"


def _plan(spec: Any) -> tuple[list[Any], Any, list[Any]]:
    """The config's stages as dictionary trees, or Unsupported for what OpenCC 1.4.2 may do otherwise."""
    if not isinstance(spec, dict) or set(spec) - {"name", "normalization", "segmentation", "conversion_chain"}:
        raise Unsupported("config keys")

    def stages(items: Any) -> list[Any]:
        if not isinstance(items, list) or not all(isinstance(item, dict) and set(item) == {"dict"}
                                                  for item in items):
            raise Unsupported("stages")
        return [_tree(item["dict"]) for item in items]

    normalization = stages(spec.get("normalization", []))
    chain = stages(spec.get("conversion_chain"))
    segmentation = spec.get("segmentation")
    if segmentation is not None:
        if not isinstance(segmentation, dict) or segmentation.get("type") != "mmseg" or set(segmentation) != {
                "type", "dict"}:
            raise Unsupported("segmentation")
        segmentation = _tree(segmentation["dict"])
    elif len(chain) > 1:
        raise Unsupported("a chain of several conversions without segmentation")
    if not chain:
        raise Unsupported("no conversion")
    return normalization, segmentation, chain


def _tree(spec: Any) -> Any:
    """A dictionary as ``("file", name)`` or ``(policy, [children])``."""
    if not isinstance(spec, dict) or set(spec) - _DICT_KEYS:
        raise Unsupported("dictionary keys")
    if spec.get("type") == "group":
        policy = spec.get("match_policy")
        children = spec.get("dicts")
        if policy not in ("short_circuit", "union") or not isinstance(children, list) or not children:
            raise Unsupported("group")
        trees = [_tree(child) for child in children]
        if policy == "union" and any(tree[0] != "file" for tree in trees):
            raise Unsupported("a group in a union")
        return (policy, trees)
    if spec.get("type") != "ocd2" or not isinstance(spec.get("file"), str) or set(spec) - {
            "type", "file", "may_output_tofu"} or "/" in spec["file"] or os.sep in spec["file"]:
        raise Unsupported("dictionary")
    if spec.get("may_output_tofu", False) not in (True, False):
        raise Unsupported("may_output_tofu")
    return ("file", spec["file"])  # tofu-risk dictionaries are in: OpenCC("…") includes them by default


def _files(tree: Any) -> list[str]:
    return [tree[1]] if tree[0] == "file" else [name for child in tree[1] for name in _files(child)]


def _cache_path(config_path: Path, share: Path, tool: Path, names: list[str]) -> Path | None:
    from graph.data.cache import cache_folder

    folder = cache_folder()
    if folder is None:
        return None
    library = _opencc_folder() / "clib"
    identity = [config_path, tool, *(share / name for name in names),
                *sorted(p for p in library.iterdir() if p.suffix == ".so")]
    stamp = "\0".join(f"{p}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in identity)
    digest = zlib.crc32(stamp.encode()) ^ (zlib.adler32(stamp.encode()) << 32)
    version = f"{sys.implementation.cache_tag}-{marshal.version}-{sys.byteorder}-{FORMAT}"
    return folder / f"opencc-{config_path.stem}-{version}-{digest:016x}.marshal"


def _load(config: str) -> tuple[Path, list, Any]:
    """The cache file, its stages (as _build makes them) and its tables; built first if need be."""
    config_path, share, tool = _paths(config)
    plan = _plan(json.loads(config_path.read_text(encoding="utf-8")))
    normalization, segmentation, chain = plan
    names = sorted({name for tree in [*normalization, *chain, *([segmentation] if segmentation else [])]
                    for name in _files(tree)})
    path = _cache_path(config_path, share, tool, names)
    if path is None:  # no cache: dumping the dictionaries every run costs more than OpenCC's start
        raise Unsupported("no cache folder")
    with contextlib.suppress(OSError, ValueError, EOFError, TypeError, Damaged):
        return path, *_read(path)
    import tempfile

    index, blob = _build(plan, share, tool, names)
    payload = marshal.dumps(index)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, suffix=".tmp", delete=False) as fh:
            fh.write(_MAGIC + len(payload).to_bytes(4, "little") + zlib.crc32(payload).to_bytes(4, "little"))
            fh.write(payload + blob)
        os.replace(fh.name, path)  # whole or not at all: a reader in another process never sees half
    return path, index, lambda start, size: blob[start:start + size]


def _read(path: Path) -> tuple[list, Callable[[int, int], bytes]]:
    """The file's header checked (the index by its checksum, each pair's phrases by theirs when read) and a reader
    of its tables."""
    with open(path, "rb") as fh:
        head = fh.read(len(_MAGIC) + 8)
        if not head.startswith(_MAGIC) or len(head) != len(_MAGIC) + 8:
            raise Damaged("header")
        size = int.from_bytes(head[len(_MAGIC):len(_MAGIC) + 4], "little")
        payload = fh.read(size)
        if len(payload) != size or zlib.crc32(payload) != int.from_bytes(head[len(_MAGIC) + 4:], "little"):
            raise Damaged("index")
        index = marshal.loads(payload)
        if not _well_formed(index):
            raise Damaged("index")
        start = len(head) + size
        tables = os.fstat(fh.fileno()).st_size - start
        ends = [int.from_bytes(stage[6][-4:], sys.byteorder)
                for stage in [*index[0], *([index[1]] if index[1] else []), *index[2]]]
        if max(ends) != tables:
            raise Damaged("size")  # the last stage's phrases end where the file ends
        if hasattr(os, "pread"):  # the pairs a text has are read when met: a page needs a few per cent of them
            return index, _Tables(os.dup(fh.fileno()), start)
        blob = fh.read()
    if len(blob) != tables:
        raise Damaged("size")
    return index, lambda start, size: blob[start:start + size]


class _Tables:
    """The tables of an open cache file (kept open: a file written again is another file, this one stays whole)."""

    def __init__(self, fd: int, offset: int) -> None:
        self.fd, self.offset = fd, offset

    def __call__(self, start: int, size: int) -> bytes:
        return os.pread(self.fd, size, self.offset + start)

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)


def _well_formed(stored: object) -> bool:
    """The shape _build makes: plain lists, strings and bytes (marshal of anything else is refused)."""
    def stage(value: object) -> bool:
        return (isinstance(value, list) and len(value) == 7
                and all(isinstance(value[at], str) for at in (0, 1, 2, 3, 5))
                and isinstance(value[4], bytes) and isinstance(value[6], bytes) and len(value[6]) >= 4)

    return (isinstance(stored, list) and len(stored) == 3 and isinstance(stored[0], list)
            and all(stage(s) for s in stored[0]) and (stored[1] is None or stage(stored[1]))
            and isinstance(stored[2], list) and bool(stored[2]) and all(stage(s) for s in stored[2]))


def _build(plan: tuple[list[Any], Any, list[Any]], share: Path, tool: Path, names: list[str]) -> tuple[list, bytes]:
    """The stages' index and the tables they point into (phrases of each first character, one after the other)."""
    tables = _dump(share, tool, names)
    normalization, segmentation, chain = plan
    blob = bytearray()
    index = [[_stage(tree, tables, blob) for tree in normalization],
             None if segmentation is None else _stage(segmentation, tables, blob),
             [_stage(tree, tables, blob) for tree in chain]]
    return index, bytes(blob)


def _dump(share: Path, tool: Path, names: list[str]) -> dict[str, dict[str, str]]:
    """Each dictionary as key → its first value (what OpenCC puts for a match), read with OpenCC's own tool."""
    import subprocess
    import tempfile

    tables = {}
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            out = Path(folder) / "dict.txt"
            subprocess.run([str(tool), "-i", str(share / name), "-o", str(out), "-f", "ocd2", "-t", "text"],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
            table: dict[str, str] = {}
            for line in out.read_text(encoding="utf-8").split("\n"):
                if not line:
                    continue
                key, values = line.split("\t")
                if not key or key in table:
                    raise Unsupported(f"{name}: an empty or repeated key")
                table[key] = values.split(" ")[0]
            tables[name] = table
    return tables


def _stage(tree: Any, tables: dict[str, dict[str, str]], blob: bytearray) -> list:
    """One conversion's index: every key with its winning (order, value), grouped by first character; the groups
    of more than the character itself are added to ``blob``."""
    entries: dict[str, tuple[int, str]] = {}
    order = 0

    def add(node: Any) -> None:
        nonlocal order
        if node[0] == "file":
            for key, value in tables[node[1]].items():
                if key not in entries:  # an earlier dictionary (or the first of a union) keeps its key
                    entries[key] = (order, value)
            order += 1
        elif node[0] == "union":  # one order for all: the longest key of any of them wins
            for child in node[1]:
                for key, value in tables[child[1]].items():
                    if key not in entries:
                        entries[key] = (order, value)
            order += 1
        else:
            for child in node[1]:
                add(child)

    add(tree)
    by_first: dict[str, list[str]] = {}
    for key in entries:
        by_first.setdefault(key[0], []).append(key)
    single_keys, single_values, keys, owns, seconds = [], [], [], [], []
    numbers = array("I")  # for each first character of longer keys: where its seconds start, own order + 1, earliest
    places = array("I")  # for each pair of first characters: start and checksum of its keys in the blob
    for first, group in by_first.items():
        own = entries.get(first)
        if own is not None and "\0" in own[1]:
            raise Unsupported("a NUL in a value")
        if group == [first]:
            single_keys.append(first)
            single_values.append(own[1])
            continue
        by_second: dict[str, list[str]] = {}
        for key in group:
            if len(key) > 1:
                by_second.setdefault(key[1], []).append(key)
        keys.append(first)
        owns.append("" if own is None else own[1])
        numbers.extend((len(seconds), 0 if own is None else own[0] + 1, min(entries[key][0] for key in group)))
        for second, keys_of_two in by_second.items():  # the phrases of two first characters: read when met
            orders = {key: entries[key][0] for key in keys_of_two}
            same = set(orders.values())
            chunk = marshal.dumps(({key: entries[key][1] for key in keys_of_two},
                                   same.pop() if len(same) == 1 else orders,
                                   tuple(sorted({len(key) for key in keys_of_two}, reverse=True))))
            seconds.append(second)
            places.extend((len(blob), zlib.crc32(chunk)))
            blob += chunk
    numbers.append(len(seconds))
    places.append(len(blob))
    return ["".join(single_keys), "\0".join(single_values), "".join(keys), "\0".join(owns), numbers.tobytes(),
            "".join(seconds), places.tobytes()]
