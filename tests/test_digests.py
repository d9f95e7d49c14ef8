"""graph.digests: the digests of CPython's own SHA modules are hashlib's (OpenSSL's), byte for byte."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from graph.digests import sha1, sha256

from .conftest import SEED


@given(st.binary(max_size=5000))
def test_the_digests_are_hashlibs(data: bytes) -> None:
    assert sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
    assert sha1(data).hexdigest() == hashlib.sha1(data).hexdigest()


def test_a_page_hashed_in_pieces_and_whole() -> None:
    data = SEED.read_bytes()
    digest = sha256()
    for start in range(0, len(data), 4096):
        digest.update(data[start:start + 4096])
    assert digest.hexdigest() == sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()
