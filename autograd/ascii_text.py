"""Formulas and names are ASCII: what to say about a character that is not.

Python reads the name ｘ (full width) in a formula as x, but a binding's key ``"ｘ"``
stays as typed: refusing non-ASCII on both sides keeps them matching, and the message
gives the ASCII spelling.

>>> text = "ｘ * 2"
>>> print(non_ascii(text, first_non_ascii(text)))  # doctest: +NORMALIZE_WHITESPACE
non-ASCII character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X); write it in ASCII: 'x'
"""

from __future__ import annotations

import unicodedata


def first_non_ascii(text: str) -> int | None:
    """The index of the first non-ASCII character of ``text``, or None.

    >>> first_non_ascii("x*2"), first_non_ascii("x*α")
    (None, 2)
    """
    return next((i for i, character in enumerate(text) if not character.isascii()), None)


def non_ascii(text: str, at: int) -> str:
    """Why the non-ASCII character ``text[at]`` is refused, and an ASCII spelling if any.

    Names are ASCII on both sides (formula and bindings), so they always match: Python
    would turn the name ｘ in a formula into x, but not the key ``"ｘ"`` of a binding.

    >>> print(non_ascii("2*ｘ1", 2))              # doctest: +NORMALIZE_WHITESPACE
    non-ASCII character 'ｘ' (U+FF58 FULLWIDTH LATIN SMALL LETTER X) in 'ｘ1';
    write it in ASCII: 'x1'
    >>> print(non_ascii("2×α", 1))                # doctest: +NORMALIZE_WHITESPACE
    non-ASCII character '×' (U+00D7 MULTIPLICATION SIGN); write it in ASCII: '*'
    """
    start, end = at, at + 1
    while start > 0 and _in_a_name(text[start - 1]):
        start -= 1
    while end < len(text) and _in_a_name(text[end]):
        end += 1
    character = text[at]
    word = text[start:end] if _in_a_name(character) else character
    described = f"{character!r} (U+{ord(character):04X} {unicodedata.name(character, '?')})"
    where = f" in {word!r}" if word != character else ""
    spelling = _ascii_spelling(word)
    advice = (f"write it in ASCII: {spelling!r}" if spelling else
              "write formulas in ASCII: names of letters, digits and _, and + - * / **")
    return f"non-ASCII character {described}{where}; {advice}"


# pasted from typeset math
_LOOKALIKES = {"×": "*", "·": "*", "÷": "/", "−": "-", "–": "-", "²": "**2", "³": "**3"}


def _in_a_name(character: str) -> bool:
    return character.isalnum() or character == "_"


def _ascii_spelling(word: str) -> str | None:
    """ｘ1 -> x1 (compatibility forms), é -> e (accents dropped), α -> alpha (the letter's
    Unicode name), × -> *; None if unsure."""
    spelled = []
    for character in word:
        plain = _LOOKALIKES.get(character) or _without_accents(character)
        if not plain.isascii() and unicodedata.category(character).startswith("L"):
            plain = _letter_name(plain)
        if not (plain.isascii() and plain):
            return None
        spelled.append(plain)
    return "".join(spelled)


def _without_accents(character: str) -> str:
    """NFKD splits é into e and a combining accent (and ｘ into x): keep all but the accents."""
    return "".join(part for part in unicodedata.normalize("NFKD", character)
                   if not unicodedata.combining(part))


def _letter_name(letter: str) -> str:
    """GREEK SMALL LETTER ALPHA -> alpha, LATIN SMALL LETTER O WITH STROKE -> o; "" if none."""
    name = unicodedata.name(letter, "") if len(letter) == 1 else ""
    spelled = name.partition(" LETTER ")[2].partition(" WITH ")[0].lower()
    return spelled if spelled.isascii() and spelled.isidentifier() else ""
