"""Tables computed from data files, kept between runs: a one-article run should not pay for rebuilding them.

A table is stored as JSON in the user's cache folder (``$XDG_CACHE_HOME/wikikg``, else ``~/.cache/wikikg``; or
``$WIKIKG_CACHE``; ``WIKIKG_CACHE=off`` turns it off), under a name that holds a hash of everything it was computed
from (the data files' bytes, the versions of the code and of the libraries it read). A changed input is a new name,
so a stale table is never read; a folder that cannot be written costs only the time saved. JSON, not pickle: a
cache file is data, never code.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from graph.digests import sha256


def cache_folder() -> Path | None:
    chosen = os.environ.get("WIKIKG_CACHE")
    if chosen == "off":
        return None
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "wikikg"


def fingerprint(files: Iterable[Path], versions: Iterable[str]) -> str:
    digest = sha256()
    for path in files:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for version in versions:
        digest.update(version.encode() + b"\0")
    return digest.hexdigest()[:16]


def cached_json(name: str, files: Iterable[Path], versions: Iterable[str], compute: Callable[[], Any],
                object_hook: Callable[[dict], Any] | None = None) -> Any:
    """``compute()``'s JSON value, read from the cache when the same inputs made it before (``object_hook``
    decodes what ``compute`` encoded; the value is decoded the same way when it was just computed)."""
    folder = cache_folder()
    if folder is None:
        return _decoded(compute(), object_hook)
    path = folder / f"{name}-{fingerprint(files, versions)}.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"), object_hook=object_hook)
    except (OSError, ValueError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, suffix=".tmp", delete=False) as fh:
            json.dump(value, fh, ensure_ascii=False)
        os.replace(fh.name, path)  # whole or not at all: a reader in another process never sees half
    except OSError:
        pass
    return _decoded(value, object_hook)


def _decoded(value: Any, object_hook: Callable[[dict], Any] | None) -> Any:
    return value if object_hook is None else json.loads(json.dumps(value), object_hook=object_hook)


def installed(package: str) -> str:
    """Which copy of a package is installed, without importing it (pycountry's import alone takes 30 ms): its
    place and its files' sizes and times, which any upgrade changes."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        return f"{package} missing"
    folder = Path(spec.origin).parent
    return package + "".join(f" {p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
                             for p in sorted(folder.iterdir()) if p.is_file())
