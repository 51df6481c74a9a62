"""Parameters of divergences and entropies (orders α, scales), validated and kept exact.

An order is normalised to a :class:`~fractions.Fraction` when it is exact (an int,
a Fraction, a ``"p/q"`` string, a sympy rational), to ``±math.inf`` for the limits
(``math.inf``, ``sympy.oo``, ``"inf"``), and to a float otherwise.  A non-integral
float order cannot be used with exact kernels: exact results never depend on a
rounded parameter.

>>> order("1/2", "alpha"), order(2.0, "alpha"), order(float("inf"), "alpha")
(Fraction(1, 2), Fraction(2, 1), inf)
>>> order(-1, "alpha", lo=0)
Traceback (most recent call last):
...
catkit.info.rows.ParameterError: alpha = -1 is outside its range [0, ∞]
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.info.ops import Ops
from catkit.info.rows import ParameterError

__all__ = ["Order", "order", "for_ops"]

Order = Fraction | float


def _show(x: float) -> str:
    return "∞" if x == math.inf else "−∞" if x == -math.inf else f"{x:g}"


def order(a: Any, name: str, lo: float = -math.inf, hi: float = math.inf) -> Order:
    """Validate and normalise an order parameter in ``[lo, hi]`` (limits included).

    >>> order(sp.oo, "beta"), order(Fraction(3, 2), "beta", lo=0)
    (inf, Fraction(3, 2))
    """
    v: Order
    if isinstance(a, bool):
        raise ParameterError(f"{name} must be a number, got {a!r}")
    if isinstance(a, str):
        s = a.strip().lower()
        if s in ("inf", "+inf", "oo", "∞"):
            v = math.inf
        elif s in ("-inf", "-oo", "-∞"):
            v = -math.inf
        else:
            from catkit.parse import EntryParseError, parse_rational

            try:  # the one strict reader: bounded length and exponent ("1e999999999" is refused at once)
                v = parse_rational(s)
            except EntryParseError as e:
                raise ParameterError(f"cannot read {name}: {e}") from None
    elif isinstance(a, sp.Basic):
        if a == sp.oo or a == -sp.oo:
            v = math.inf if a == sp.oo else -math.inf
        elif a.is_Rational:
            v = Fraction(int(a.p), int(a.q))
        else:
            raise ParameterError(f"{name} = {a} must be a rational number or ±oo")
    elif isinstance(a, (int, np.integer, Fraction)):
        v = Fraction(a) if isinstance(a, Fraction) else Fraction(int(a))
    elif isinstance(a, (float, np.floating)):
        f = float(a)
        if math.isnan(f):
            raise ParameterError(f"{name} is NaN")
        v = f if math.isinf(f) or not f.is_integer() else Fraction(int(f))
    else:
        raise ParameterError(f"{name} must be a number, got {a!r} ({type(a).__name__})")
    if not lo <= v <= hi:
        raise ParameterError(f"{name} = {a} is outside its range [{_show(lo)}, {_show(hi)}]")
    return v


def for_ops(v: Order, ops: Ops, name: str) -> Any:
    """The order in a family's number type (exact families refuse non-integral floats).

    >>> from catkit.info.ops import OBJECT
    >>> for_ops(0.3, OBJECT, "alpha")
    Traceback (most recent call last):
    ...
    catkit.info.rows.ParameterError: alpha = 0.3 is a float, but the kernels are exact: give it exactly, e.g. Fraction(3, 10) or '3/10'
    """
    if ops.exact and isinstance(v, float):
        hint = Fraction(v).limit_denominator(1000)
        raise ParameterError(
            f"{name} = {v} is a float, but the kernels are exact: give it exactly, e.g. "
            f"Fraction({hint.numerator}, {hint.denominator}) or '{hint}'"
        )
    return ops.param(v)
