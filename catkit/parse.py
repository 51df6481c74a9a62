"""The one strict reader of numbers written as text: kernel entries, source specs, command lines.

catkit reads a number given as a string with :func:`parse_rational` and nothing else: an optional
sign, then an integer, a fraction ``p/q`` or a decimal with an optional exponent (``0.25``, ``.5``,
``2.5e-3``).  Nothing in the text is ever evaluated (no ``eval``, no ``sympify``), and two bounds keep a
few bytes of input from costing minutes or gigabytes: at most :data:`MAX_ENTRY_CHARS` characters and an
exponent of at most :data:`MAX_EXPONENT` in absolute value (``"1e999999999"`` would otherwise build a
billion-digit integer).  Both bounds can be changed in :mod:`catkit.limits`.

>>> parse_rational("1/3"), parse_rational(" -2.5e-1 "), parse_rational("7")
(Fraction(1, 3), Fraction(-1, 4), Fraction(7, 1))
>>> parse_rational("__import__('os')")
Traceback (most recent call last):
...
catkit.parse.EntryParseError: cannot read "__import__('os')" as a rational number: write an integer, p/q or a decimal such as 0.25 or 1e-3
>>> parse_rational("1e999999999")
Traceback (most recent call last):
...
catkit.parse.EntryParseError: the exponent of '1e999999999' is 999999999, beyond the limit of ±1000 (catkit.limits.set_input_limits(max_exponent=...))
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

from catkit.errors import KernelValueError

__all__ = ["EntryParseError", "parse_rational", "short", "safe_str", "MAX_ENTRY_CHARS", "MAX_EXPONENT"]

#: default longest string read as a number (characters)
MAX_ENTRY_CHARS = 1000
#: default largest exponent (in absolute value) of a decimal such as ``1e-30``
MAX_EXPONENT = 1000

_NUMBER = re.compile(
    r"""\s*(?P<sign>[-+])?(?:
        (?P<num>\d+)\s*/\s*(?P<den>\d+)                                   # p/q
      | (?P<int>\d*)(?:\.(?P<frac>\d*))?(?:[eE](?P<exp>[-+]?\d+))?        # 12, 1.5, .5, 2e-3
    )\s*""",
    re.VERBOSE,
)


class EntryParseError(KernelValueError):
    """A string that is not a number catkit reads (or is beyond the input bounds).

    ``kind`` says what was wrong: ``"syntax"``, ``"length"``, ``"exponent"`` or ``"zero"`` (denominator).

    >>> issubclass(EntryParseError, ValueError), issubclass(EntryParseError, KernelValueError)
    (True, True)
    """

    def __init__(self, message: str, kind: str = "syntax") -> None:
        super().__init__(message)
        self.kind = kind


def short(text: Any, width: int = 40) -> str:
    """A repr of ``text`` cut to about ``width`` characters (for error messages about hostile input).

    >>> short("x" * 100, 10)
    "'xxxxxxxxxx'… (100 characters)"
    >>> short("ok")
    "'ok'"
    """
    s = text if isinstance(text, str) else safe_str(text)
    if len(s) <= width:
        return repr(s)
    return f"{s[:width]!r}… ({len(s)} characters)"


def _digits(n: int) -> int:
    return int(abs(n).bit_length() * math.log10(2)) + 1


def safe_str(x: Any, max_digits: int = 60) -> str:
    """``str(x)`` for numbers, abbreviating integers and rationals too long to print (never raises
    Python's 4300-digit ``int`` conversion error).

    >>> safe_str(Fraction(1, 3)), safe_str(10**100)
    ('1/3', '<an integer of about 101 digits>')
    >>> safe_str(Fraction(1, 10**80))
    '<a rational with a numerator of about 1 digits and a denominator of about 81 digits>'
    """
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, int):
        return str(x) if abs(x).bit_length() < max_digits * 3.3 else f"<an integer of about {_digits(x)} digits>"
    if isinstance(x, Fraction):
        n, d = x.numerator, x.denominator
        if d == 1:
            return safe_str(n, max_digits)
        if max(abs(n).bit_length(), d.bit_length()) < max_digits * 3.3:
            return str(x)
        return f"<a rational with a numerator of about {_digits(n)} digits and a denominator of about {_digits(d)} digits>"
    try:
        s = str(x)
    except ValueError:  # an object holding a huge integer
        return f"<a {type(x).__name__} too large to print>"
    return s if len(s) <= 4 * max_digits else s[: 4 * max_digits] + "…"


def parse_rational(text: str, *, what: str = "") -> Fraction:
    """The exact value of a number written as text (see the module docstring for the grammar and bounds).

    ``what`` names the thing being read, for the error message.

    >>> parse_rational("2/6"), parse_rational("1.25e2"), parse_rational("+.5")
    (Fraction(1, 3), Fraction(125, 1), Fraction(1, 2))
    >>> parse_rational("1/0")
    Traceback (most recent call last):
    ...
    catkit.parse.EntryParseError: '1/0' has a zero denominator
    >>> parse_rational("9" * 2000, what="entry (0, 1)")
    Traceback (most recent call last):
    ...
    catkit.parse.EntryParseError: entry (0, 1): '9999999999999999999999999999999999999999'… (2000 characters) is longer than the limit of 1000 characters ...
    """
    from catkit.limits import input_limits

    max_chars, max_exp = input_limits()
    pre = f"{what}: " if what else ""
    if not isinstance(text, str):
        raise EntryParseError(f"{pre}expected a string, got {type(text).__name__}")
    if len(text) > max_chars:
        raise EntryParseError(
            f"{pre}{short(text)} is longer than the limit of {max_chars} characters "
            "(catkit.limits.set_input_limits(max_chars=...))", "length"
        )
    m = _NUMBER.fullmatch(text)
    if m is None or (m["num"] is None and not (m["int"] or m["frac"])):
        raise EntryParseError(
            f"{pre}cannot read {short(text)} as a rational number: write an integer, p/q or a decimal such as 0.25 or 1e-3"
        )
    neg = m["sign"] == "-"
    if m["num"] is not None:
        den = int(m["den"])
        if den == 0:
            raise EntryParseError(f"{pre}{short(text.strip())} has a zero denominator", "zero")
        value = Fraction(int(m["num"]), den)
    else:
        exp = int(m["exp"]) if m["exp"] else 0
        if abs(exp) > max_exp:
            raise EntryParseError(
                f"{pre}the exponent of {short(text.strip())} is {exp}, beyond the limit of ±{max_exp} "
                "(catkit.limits.set_input_limits(max_exponent=...))", "exponent"
            )
        frac = m["frac"] or ""
        mant = int((m["int"] or "0") + frac)
        exp -= len(frac)
        value = Fraction(mant * 10**exp) if exp >= 0 else Fraction(mant, 10**-exp)
    return -value if neg else value
