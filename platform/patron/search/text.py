"""How text becomes searchable words, the same way for the index and for queries.

Words are runs of letters and digits; everything else separates them, as SQLite's unicode61
tokenizer and the PostgreSQL vector (see :mod:`patron.db.fulltext`) both do. So an e-mail
address is found by any of its parts (``doe@exam`` → ``doe``, ``exam``). Phone numbers are
written in too many ways for words alone: every run of five or more digits also yields digit
*keys* (the digits, and every suffix of at least three), so ``555-1234``, ``5551234`` and
``4567`` all find "+1 (555) 123-4567".
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+")
#: Digits written the way phone numbers are: with +, brackets, dots, dashes, slashes, spaces.
PHONE_RUN = re.compile(r"\+?\(?[0-9][0-9 ().\-/]*[0-9]")
PHONE_TERM = re.compile(r"[0-9+().\-/]+")
NOT_DIGIT = re.compile(r"[^0-9]")
MIN_PHONE_DIGITS = 5
MIN_KEY_DIGITS = 3
SNIPPET_WORDS = 12


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``."""
    return WORD.findall(text.lower())


def phone_keys(text: str) -> list[str]:
    """Digit keys that make the phone numbers in ``text`` findable by any fragment."""
    keys: list[str] = []
    for run in PHONE_RUN.findall(text):
        digits = NOT_DIGIT.sub("", run)
        if len(digits) >= MIN_PHONE_DIGITS:
            keys += [digits[start:] for start in range(len(digits) - MIN_KEY_DIGITS + 1)]
    return keys


def query_tokens(query: str) -> list[str]:
    """The word prefixes a query asks for, all of which a hit must have.

    A term written like a phone number (digits and separators, five digits or more) stands
    for its digits; any other term for its words. Punctuation alone asks for nothing.
    """
    tokens: list[str] = []
    for term in query.split():
        digits = NOT_DIGIT.sub("", term)
        if PHONE_TERM.fullmatch(term) and len(digits) >= MIN_PHONE_DIGITS:
            tokens.append(digits)
        else:
            tokens += words(term)
    return list(dict.fromkeys(tokens))


def snippet(content: str, tokens: list[str]) -> str | None:
    """A few words of ``content`` around its first word that starts with one of ``tokens``."""
    pieces = content.split()
    for index, piece in enumerate(pieces):
        if any(word.startswith(token) for word in words(piece) for token in tokens):
            start = max(0, index - SNIPPET_WORDS // 3)
            end = start + SNIPPET_WORDS
            return ("…" if start else "") + " ".join(pieces[start:end]) + (
                "…" if end < len(pieces) else "")
    return None
