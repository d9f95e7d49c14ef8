"""ISBN checksums and ISBN-10 ↔ ISBN-13, on real ISBNs of the seed and with hypothesis."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph.extract.isbn import isbn10_valid, isbn13_check_digit, to_isbn10, to_isbn13


@pytest.mark.parametrize("written, isbn13", [
    ("0-8147-1945-7", "9780814719459"),      # de Waal, Black Garden (the seed)
    ("9781107027244", "9781107027244"),      # Benson 2012
    ("0-226-30859-6", "9780226308593"),      # Griffin 2004
    ("1-85649-288-5", "9781856492881"),      # Chorbajian 1994
    ("0-8044-2960-X", "9780804429603"),      # an ISBN-10 with an X check digit
    ("ISBN 978-0-8147-1945-9", "9780814719459"),
    ("1-5666-3646-8", None),                 # the last digit wrong: the checksum fails
    ("0-8147-1945-8", None),                 # one digit off
    ("12345", None),
    ("", None),
])
def test_real_isbns(written, isbn13):
    assert to_isbn13(written) == isbn13


@st.composite
def isbn10s(draw) -> str:
    body = "".join(str(d) for d in draw(st.lists(st.integers(0, 9), min_size=9, max_size=9)))
    check = (11 - sum((10 - i) * int(ch) for i, ch in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


@settings(max_examples=300, deadline=None)
@given(isbn10s())
def test_isbn10_to_isbn13_and_back(code):
    assert isbn10_valid(code)
    isbn13 = to_isbn13(code)
    assert isbn13 is not None and isbn13.startswith("978") and len(isbn13) == 13
    assert to_isbn10(isbn13) == code


@settings(max_examples=300, deadline=None)
@given(isbn10s(), st.integers(0, 9), st.integers(1, 9))
def test_a_changed_digit_fails_the_checksum(code, position, delta):
    digit = code[position]
    if digit == "X":
        return
    changed = code[:position] + str((int(digit) + delta) % 10) + code[position + 1:]
    assert to_isbn13(changed) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=12, max_size=12).map(lambda s: "978" + s[3:]))
def test_isbn13_check_digit_round_trip(first12):
    code = first12 + isbn13_check_digit(first12)
    assert to_isbn13(code) == code
    assert to_isbn13(code[:12] + str((int(code[12]) + 1) % 10)) is None
