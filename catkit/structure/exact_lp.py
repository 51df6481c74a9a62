"""An exact linear-programming feasibility solver over the rationals (dense simplex, Bland's rule).

``feasible_point(A, b)`` finds ``z >= 0`` with ``A z = b`` or proves there is
none.  Method: phase I of the simplex method (Dantzig) with one artificial
variable per row, on a dense tableau of :class:`~fractions.Fraction`; pivots by
Bland's rule (smallest eligible index), which cannot cycle, so the loop ends.
Every quantity is an exact rational, so "infeasible" is a proof, not a
tolerance call.  Sizes in catkit's uses (garblings of small experiments) are
tens of rows and columns; the cost is cubic in that, in Python.

For float data, :func:`feasible_point_float` calls ``scipy.optimize.linprog``
(HiGHS) when scipy is installed.

>>> from fractions import Fraction as F
>>> feasible_point([[F(1), F(1)]], [F(1)])
[Fraction(1, 1), Fraction(0, 1)]
>>> feasible_point([[F(1), F(1)]], [F(-1)]) is None
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from catkit.errors import MissingDependencyError
from catkit.structure.errors import StructureError

__all__ = ["feasible_point", "feasible_point_float"]


def feasible_point(A: Sequence[Sequence[Fraction | int]], b: Sequence[Fraction | int]) -> list[Fraction] | None:
    """A vertex ``z >= 0`` with ``A z = b``, or ``None`` if the system is infeasible (exact).

    >>> from fractions import Fraction as F
    >>> feasible_point([[F(1), F(-1)], [F(0), F(1)]], [F(0), F(1, 2)])
    [Fraction(1, 2), Fraction(1, 2)]
    """
    m = len(A)
    n = len(A[0]) if m else 0
    if len(b) != m or any(len(r) != n for r in A):
        raise StructureError(f"feasible_point needs an m × n matrix and m right-hand sides; got {m} rows, {len(b)} values")
    # rows with b_i < 0 are negated so that the artificial basis starts feasible
    T: list[list[Fraction]] = []
    for i in range(m):
        sign = -1 if b[i] < 0 else 1
        T.append([Fraction(sign * A[i][j]) for j in range(n)] + [Fraction(int(i == k)) for k in range(m)] + [Fraction(sign * b[i])])
    basis = [n + i for i in range(m)]
    # phase-I objective: minimise the sum of artificials; reduced costs = -(sum of rows) on the original columns
    cost = [-sum((T[i][j] for i in range(m)), Fraction(0)) if j < n else Fraction(0) for j in range(n + m)]
    obj = -sum((T[i][-1] for i in range(m)), Fraction(0))
    while True:
        enter = next((j for j in range(n + m) if cost[j] < 0), None)
        if enter is None:
            break
        best: tuple[Fraction, int, int] | None = None
        for i in range(m):
            a = T[i][enter]
            if a > 0:
                cand = (T[i][-1] / a, basis[i], i)
                if best is None or cand[:2] < best[:2]:
                    best = cand
        if best is None:  # cannot happen in phase I (bounded below by 0)
            break
        r = best[2]
        piv = T[r][enter]
        T[r] = [x / piv for x in T[r]]
        for i in range(m):
            if i != r and T[i][enter] != 0:
                fac = T[i][enter]
                T[i] = [x - fac * y for x, y in zip(T[i], T[r])]
        fac = cost[enter]
        cost = [c - fac * y for c, y in zip(cost, T[r][:-1])]
        obj -= fac * T[r][-1]
        basis[r] = enter
    if obj != 0:
        return None
    z = [Fraction(0)] * n
    for i, j in enumerate(basis):
        if j < n:
            z[j] = T[i][-1]
    return z


def feasible_point_float(A: Any, b: Any, tol: float = 1e-9) -> list[float] | None:
    """Float version through ``scipy.optimize.linprog`` (HiGHS): ``z >= 0`` with ``|A z - b| <= tol``, or ``None``.

    >>> feasible_point_float([[1.0, 1.0]], [1.0]) is not None
    True
    """
    try:
        from scipy.optimize import linprog
    except ImportError:  # pragma: no cover - scipy is a dev dependency
        raise MissingDependencyError("the float garbling search uses scipy.optimize.linprog: pip install scipy (or use exact kernels)") from None
    import numpy as np

    A, b = np.asarray(A, dtype=float), np.asarray(b, dtype=float)
    res = linprog(np.zeros(A.shape[1]), A_eq=A, b_eq=b, bounds=(0, None), method="highs")
    if res.status != 0 or np.abs(A @ res.x - b).max(initial=0.0) > tol:
        return None
    return [float(x) for x in res.x]
