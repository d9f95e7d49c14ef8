"""ISBNs: checksum validation and normalisation to ISBN-13 (the original is always kept as written)."""

from __future__ import annotations

from graph.data.regex_cache import regex

NOT_ISBN_DIGIT = regex(r"[^0-9Xx]")
ISBN10 = regex(r"\d{9}[\dX]")
ISBN13 = regex(r"97[89]\d{10}")


def digits_of(text: str) -> str:
    """``0-8147-1945-7`` → ``0814719457`` (an ISBN-10's check digit may be X)."""
    return NOT_ISBN_DIGIT.sub("", text).upper()


def isbn10_valid(code: str) -> bool:
    if not ISBN10.fullmatch(code):
        return False
    total = sum((10 - i) * (10 if ch == "X" else int(ch)) for i, ch in enumerate(code))
    return total % 11 == 0


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(ch) * (1 if i % 2 == 0 else 3) for i, ch in enumerate(first12))
    return str((10 - total % 10) % 10)


def isbn13_valid(code: str) -> bool:
    return bool(ISBN13.fullmatch(code)) and isbn13_check_digit(code[:12]) == code[12]


def to_isbn13(text: str) -> str | None:
    """The ISBN-13 of a valid ISBN-10 or ISBN-13 as written, else None (invalid or not an ISBN)."""
    code = digits_of(text)
    if len(code) == 13 and isbn13_valid(code):
        return code
    if len(code) == 10 and isbn10_valid(code):
        body = "978" + code[:9]
        return body + isbn13_check_digit(body)
    return None


def to_isbn10(isbn13: str) -> str | None:
    """The ISBN-10 of a 978- ISBN-13 (979- ISBNs have none)."""
    if not isbn13_valid(isbn13) or not isbn13.startswith("978"):
        return None
    body = isbn13[3:12]
    check = (11 - sum((10 - i) * int(ch) for i, ch in enumerate(body)) % 11) % 11
    return body + ("X" if check == 10 else str(check))
