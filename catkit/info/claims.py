"""Inequalities and numeric identities as equations between kernels, for the statement registry.

A registry statement returns equations (:class:`~catkit.category.Equation`) between kernels.  An
inequality ``a ≤ b`` between numbers becomes the equation ``truth(a ≤ b) = truth(True)``
between two points of the two-element set :data:`TRUTH`; when it fails, the equation's
label carries both numbers (and the failing row), so a counterexample reads
``"KL(f >> h, g >> h) <= KL(f, g): row 0: 1/2 > log(2)/2 ≈ 0.346574"``.

Values are compared exactly when exact (:mod:`catkit.info.reals`) and within a relative
tolerance of ``1e-9`` when float.

>>> from fractions import Fraction
>>> label, lhs, rhs = inequality("H(p >> f) <= H(p)", Fraction(1, 2), Fraction(1, 3))
>>> label, lhs == rhs
('H(p >> f) <= H(p): 1/2 > 1/3', False)
>>> inequality("x <= y", [1, 2], [1, 3]).label
'x <= y'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from catkit.category import Equation
from catkit.info.reals import FLOAT_TOL, IncomparableError, compare, fmt, is_infinite
from catkit.kernel import Kernel
from catkit.objects import Wire

__all__ = ["TRUTH", "truth", "claim", "inequality", "equality", "rows_of", "infinite"]

#: the two-element set of truth values: the codomain of indicator kernels ("does the property hold?")
TRUTH = Wire(["holds", "fails"], name="truth")


def truth(holds: bool) -> Kernel:
    """The point of :data:`TRUTH` at ``"holds"`` or ``"fails"``.

    >>> truth(True).as_function()
    {(): 'holds'}
    """
    return Kernel.point(TRUTH, "holds" if holds else "fails")


def claim(description: str, holds: bool, detail: str = "") -> Equation[Kernel]:
    """The equation ``truth(holds) = truth(True)``: it holds iff ``holds``; ``detail`` is appended to the label on failure.

    >>> claim("f is deterministic", False, "row 1 is [1/2, 1/2]").label
    'f is deterministic: row 1 is [1/2, 1/2]'
    """
    return Equation(description if holds or not detail else f"{description}: {detail}", truth(holds), truth(True))


def rows_of(x: Any) -> list[Any]:
    """A value or a vector of row values as a list (torch tensors and numpy arrays included).

    >>> from fractions import Fraction
    >>> rows_of(Fraction(1, 2)), rows_of(np.array([1.0, 2.0]))
    ([Fraction(1, 2)], [1.0, 2.0])
    """
    if hasattr(x, "detach"):
        x = x.detach().cpu().numpy()
    if isinstance(x, np.ndarray):
        return list(x.reshape(-1)) if x.dtype == object else [float(v) for v in x.reshape(-1)]
    if isinstance(x, (list, tuple)):
        return list(x)
    return [x]


def _relation(description: str, a: Any, b: Any, ok: Callable[[int], bool], bad: str, tol: float) -> Equation[Kernel]:
    ra, rb = rows_of(a), rows_of(b)
    if len(ra) != len(rb):
        return claim(description, False, f"{len(ra)} values on the left, {len(rb)} on the right")
    for i, (x, y) in enumerate(zip(ra, rb)):
        where = f"row {i}: " if len(ra) > 1 else ""
        try:
            c = compare(x, y, tol)
        except IncomparableError as e:  # e.g. symbolic values not provably equal: not proved
            return claim(description, False, f"{where}undecided: {e}")
        if not ok(c):
            return claim(description, False, f"{where}{fmt(x)} {bad} {fmt(y)}")
    return claim(description, True)


def inequality(description: str, lhs: Any, rhs: Any, tol: float = FLOAT_TOL) -> Equation[Kernel]:
    """``lhs <= rhs`` (row by row for vectors) as an equation; the name shows the first failure.

    >>> import sympy as sp
    >>> inequality("d <= e", sp.log(2), sp.oo).holds()
    True
    """
    return _relation(description, lhs, rhs, lambda c: c <= 0, ">", tol)


def equality(description: str, lhs: Any, rhs: Any, tol: float = FLOAT_TOL) -> Equation[Kernel]:
    """``lhs == rhs`` (row by row; exact values exactly) as an equation.

    >>> import sympy as sp
    >>> equality("log 8 = 3 log 2", sp.log(8), 3 * sp.log(2)).holds()
    True
    """
    return _relation(description, lhs, rhs, lambda c: c == 0, "≠", tol)


def infinite(x: Any) -> list[bool]:
    """Row-wise: is the value infinite?

    >>> import sympy as sp
    >>> infinite([sp.oo, 1])
    [True, False]
    """
    return [is_infinite(v) for v in rows_of(x)]

