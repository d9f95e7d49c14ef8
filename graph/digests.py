"""SHA-256 and SHA-1 of bytes, from CPython's own implementations where it has them (else ``hashlib``'s).

``hashlib`` loads OpenSSL's libcrypto when it is imported: about 4 ms, a sixtieth of a one-article run, to hash a
page of some 100 kB and the data files' 55 kB, which take a quarter of a millisecond either way. The built-in
modules are the ones ``hashlib`` itself falls back on without OpenSSL: the digests are the same bytes.
"""

from __future__ import annotations

try:
    from _sha256 import sha256  # CPython 3.11
except ImportError:  # pragma: no cover - another Python
    try:
        from _sha2 import sha256  # CPython 3.12 and later
    except ImportError:
        from hashlib import sha256
try:
    from _sha1 import sha1
except ImportError:  # pragma: no cover - another Python
    from hashlib import sha1

__all__ = ["sha1", "sha256"]
