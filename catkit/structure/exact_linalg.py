"""Small exact linear algebra over the rationals (Fractions): inverse, determinant, semidefiniteness.

Used where a float would silently break exactness: inverses of exact kernels
(:func:`catkit.structure.inverse`) and the Hausdorff moment conditions of the
finite de Finetti check.  Gaussian elimination with exact pivots; sizes here
are small (tens), so plain Python Fractions are fast enough.

>>> from fractions import Fraction as F
>>> inverse_matrix([[F(2), F(-1)], [F(-1), F(2)]])
[[Fraction(2, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(2, 3)]]
>>> det([[F(1), F(2)], [F(3), F(4)]])
Fraction(-2, 1)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from fractions import Fraction

__all__ = ["inverse_matrix", "det", "is_psd"]

Matrix = Sequence[Sequence[Fraction]]


def inverse_matrix(M: Matrix) -> list[list[Fraction]] | None:
    """The exact inverse of a square rational matrix, or ``None`` when it is singular.

    >>> from fractions import Fraction as F
    >>> inverse_matrix([[F(1), F(1)], [F(1), F(1)]]) is None
    True
    """
    n = len(M)
    A = [[Fraction(x) for x in row] + [Fraction(int(i == j)) for j in range(n)] for i, row in enumerate(M)]
    for c in range(n):
        piv = next((r for r in range(c, n) if A[r][c] != 0), None)
        if piv is None:
            return None
        A[c], A[piv] = A[piv], A[c]
        inv = 1 / A[c][c]
        A[c] = [x * inv for x in A[c]]
        for r in range(n):
            if r != c and A[r][c] != 0:
                fac = A[r][c]
                A[r] = [x - fac * y for x, y in zip(A[r], A[c])]
    return [row[n:] for row in A]


def det(M: Matrix) -> Fraction:
    """Exact determinant by Gaussian elimination (the empty matrix has determinant 1).

    >>> det([])
    Fraction(1, 1)
    """
    A = [[Fraction(x) for x in row] for row in M]
    n, d = len(A), Fraction(1)
    for c in range(n):
        piv = next((r for r in range(c, n) if A[r][c] != 0), None)
        if piv is None:
            return Fraction(0)
        if piv != c:
            A[c], A[piv] = A[piv], A[c]
            d = -d
        d *= A[c][c]
        for r in range(c + 1, n):
            if A[r][c] != 0:
                fac = A[r][c] / A[c][c]
                A[r] = [x - fac * y for x, y in zip(A[r], A[c])]
    return d


def is_psd(M: Matrix) -> bool:
    """Whether a symmetric rational matrix is positive *semi*definite, exactly: every
    principal minor is >= 0 (leading minors alone do not suffice for semidefiniteness).

    >>> from fractions import Fraction as F
    >>> is_psd([[F(0), F(0)], [F(0), F(-1)]]), is_psd([[F(1), F(1)], [F(1), F(1)]])
    (False, True)
    """
    n = len(M)
    for k in range(1, n + 1):
        for idx in itertools.combinations(range(n), k):
            if det([[M[i][j] for j in idx] for i in idx]) < 0:
                return False
    return True
