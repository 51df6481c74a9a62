"""Exact compute arrays: numpy object arrays of ``Fraction`` (exact kernels) or sympy expressions (symbolic ones).

:class:`ObjectOps` is the :class:`~catkit.backends.ops.Ops` of every backend whose compute arrays hold exact
scalars: rational quantities stay ``Fraction``; logarithms, roots and powers become sympy expressions; +∞ is
``sympy.oo``.  Symbolic entries count as nonzero unless they are identically 0.  The symbolic backend refines
it (:class:`~catkit.backends.symbolic.SympyOps`: zero tests simplify, numbers are sympy's).

>>> from catkit.backends import get_backend
>>> ops = get_backend("exact").ops
>>> ops.entr(fraction_array([["1/2", "1/2"]]))
array([log(2)], dtype=object)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.backends.ops import Ops, fraction_array  # noqa: F401  (the examples' object arrays)

__all__ = ["ObjectOps", "MAX_EXACT_POWER_BITS", "vector"]

#: largest exact power (in bits of numerator or denominator) an exact Rényi or power sum computes
MAX_EXACT_POWER_BITS = 2**18


def _reals() -> Any:
    """:mod:`catkit.info.reals` (exact comparison of real numbers), imported when first needed: it sits above the
    backends, and only the transcendental primitives need it."""
    from catkit.info import reals

    return reals


def _check_power_size(P: np.ndarray, Q: np.ndarray | None, a: Any) -> None:
    """Refuse an exact ``p^a`` (or ``q^(1-a)``) whose numerator or denominator would exceed
    :data:`MAX_EXACT_POWER_BITS` bits, before computing it (a large order on a rational is minutes of big-integer work)."""
    from catkit.limits import ResourceLimitError

    try:
        mag = abs(Fraction(a)) if not isinstance(a, sp.Basic) else abs(Fraction(int(a.p), int(a.q)))
    except (TypeError, ValueError, AttributeError):
        return  # a symbolic order: sympy keeps the power unevaluated
    mag = max(mag, abs(1 - mag))
    for M in (P, Q):
        if M is None:
            continue
        for x in M.flat:
            if isinstance(x, (Fraction, int)) and x:
                fx = Fraction(x)
                bits = max(abs(fx.numerator).bit_length(), fx.denominator.bit_length())
                if bits > 1 and bits * mag > MAX_EXACT_POWER_BITS:
                    raise ResourceLimitError(
                        f"the exact power of order {a} of the entry {fx if bits < 200 else '…'} would have about "
                        f"{int(bits * mag * 0.30103)} digits (limit {int(MAX_EXACT_POWER_BITS * 0.30103)}); "
                        "use a float kernel (kernel.to('numpy')) or a smaller order"
                    )


def _nz(x: Any) -> bool:
    return not (x == 0)


def vector(values: Sequence[Any]) -> np.ndarray:
    """A 1-D object array holding ``values`` as they are (numpy would unpack nested sequences).

    >>> vector([Fraction(1, 2), sp.log(2)])
    array([Fraction(1, 2), log(2)], dtype=object)
    """
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def _total(terms: list[Any]) -> Any:
    """A sum that stays a ``Fraction`` when every term is rational, and is a sympy sum otherwise."""
    if all(isinstance(t, (Fraction, int)) for t in terms):
        return sum(terms, Fraction(0))
    return sp.Add(*terms)


class ObjectOps(Ops):
    """Exact (Fraction) and symbolic (sympy) entries in numpy object arrays.

    >>> from catkit.backends import get_backend
    >>> get_backend("exact").ops.power_sum(fraction_array([["1/2", "1/2"]]), None, 2)
    array([1/2], dtype=object)
    """

    name = "object"
    exact = True
    inf = sp.oo

    def combines(self, other: Ops) -> bool:
        return isinstance(other, ObjectOps)

    def rowsum(self, A: np.ndarray) -> np.ndarray:
        return vector([_total(list(row)) for row in A])

    def rel_entr(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        to_sympy = _reals().to_sympy
        out = []
        for prow, qrow in zip(P, Q):
            terms: list[Any] = []
            for p, q in zip(prow, qrow):
                if not _nz(p):
                    continue
                if not _nz(q):
                    terms = [sp.oo]
                    break
                ps = to_sympy(p)
                terms.append(ps * sp.log(ps / to_sympy(q)))
            out.append(sp.Add(*terms))
        return vector(out)

    def entr(self, P: np.ndarray) -> np.ndarray:
        to_sympy = _reals().to_sympy
        return vector([-sp.Add(*[to_sympy(p) * sp.log(to_sympy(p)) for p in row if _nz(p)]) for row in P])

    def power_sum(self, P: np.ndarray, Q: np.ndarray | None, a: Any) -> np.ndarray:
        _check_power_size(P, Q, a)  # exact p^a has about |a|·bits(p) bits: refuse the astronomically large
        to_sympy = _reals().to_sympy
        a = to_sympy(a)
        out = []
        for i, prow in enumerate(P):
            terms: list[Any] = []
            for j, p in enumerate(prow):
                if not _nz(p):
                    continue
                pa = to_sympy(p) ** a
                if Q is None:
                    terms.append(pa)
                    continue
                q = Q[i, j]
                if not _nz(q):
                    if a > 1:
                        terms = [sp.oo]
                        break
                    continue
                terms.append(pa * to_sympy(q) ** (1 - a))
            out.append(sp.Add(*terms))
        return vector(out)

    def root_gap(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        return 2 - 2 * self.power_sum(P, Q, sp.Rational(1, 2))

    def support_mass(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        if Q is None:
            return vector([sp.Integer(sum(1 for p in row if _nz(p))) for row in P])
        to_sympy = _reals().to_sympy
        return vector([sp.Add(*[to_sympy(q) for p, q in zip(prow, qrow) if _nz(p)]) for prow, qrow in zip(P, Q)])

    def max_ratio(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        reals = _reals()
        out = []
        for i, prow in enumerate(P):
            ratios = []
            for j, p in enumerate(prow):
                if not _nz(p):
                    continue
                if Q is None:
                    ratios.append(p)
                elif not _nz(Q[i, j]):
                    ratios.append(sp.oo)
                else:
                    ratios.append(reals.to_sympy(p) / reals.to_sympy(Q[i, j]))
            out.append(reals.exact_max(ratios))
        return vector(out)

    def min_support(self, P: np.ndarray) -> np.ndarray:
        compare = _reals().compare
        out = []
        for row in P:
            vals = [p for p in row if _nz(p)]
            best = vals[0]
            for v in vals[1:]:
                if compare(v, best) < 0:
                    best = v
            out.append(best)
        return vector(out)

    def f_sum(self, P: np.ndarray, Q: np.ndarray, f: Callable[[Any], Any], f0: Any, slope: Any) -> np.ndarray:
        out = []
        for prow, qrow in zip(P, Q):
            terms: list[Any] = []
            for p, q in zip(prow, qrow):
                if _nz(q):
                    terms.append(q * (f(p / q) if _nz(p) else f0))
                elif _nz(p):
                    terms.append(p * slope)
            out.append(_total(terms))
        return vector(out)

    def log(self, v: np.ndarray) -> np.ndarray:
        to_sympy = _reals().to_sympy
        return vector([-sp.oo if not _nz(x) else sp.log(to_sympy(x)) for x in v])

    def sqrt(self, v: np.ndarray) -> np.ndarray:
        to_sympy = _reals().to_sympy
        return vector([sp.sqrt(to_sympy(x)) for x in v])

    def exp(self, v: np.ndarray) -> np.ndarray:
        to_sympy = _reals().to_sympy
        return vector([sp.exp(to_sympy(x)) for x in v])

    def where(self, cond: Any, a: Any, b: Any) -> np.ndarray:
        shape = np.shape(cond)
        if len(shape) != 1 or any(isinstance(x, np.ndarray) and x.shape != shape for x in (a, b)):
            return np.where(cond, a, b)  # broadcasting
        n = len(cond)  # a vector of values kept as they are (np.where would give an int array for int scalars)
        av = a if isinstance(a, np.ndarray) else [a] * n
        bv = b if isinstance(b, np.ndarray) else [b] * n
        return vector([x if c else y for c, x, y in zip(cond, av, bv)])

    def is_one(self, v: np.ndarray) -> np.ndarray:
        return np.array([bool(x == 1) for x in v], dtype=bool)

    def weighted(self, w: np.ndarray, v: np.ndarray) -> Any:
        terms = [wi * vi for wi, vi in zip(w, v) if _nz(wi)]
        if all(isinstance(t, (Fraction, int)) for t in terms):
            return sum(terms, Fraction(0))
        to_sympy = _reals().to_sympy
        return sp.Add(*[to_sympy(t) for t in terms])

    def masked_max(self, w: np.ndarray, v: np.ndarray) -> Any:
        return _reals().exact_max([vi for wi, vi in zip(w, v) if _nz(wi)])

    def max(self, v: np.ndarray) -> Any:
        return _reals().exact_max(list(v))

    def param(self, a: Any) -> Any:
        return _reals().to_sympy(a)

    def scalar(self, v: np.ndarray) -> Any:
        return v[0]

    def one(self, x: Any) -> np.ndarray:
        return vector([x])

    # --- arrays of any rank ------------------------------------------------------
    def zero_mask(self, a: Any, tol: float = 0.0) -> Any:
        return np.asarray(a == 0, dtype=bool)

    def safe_divide(self, num: Any, den: Any, den_zero: Any) -> Any:
        return np.where(den_zero, 0, num / np.where(den_zero, 1, den))

    def number(self, x: Fraction | int) -> Any:
        return Fraction(x)

    def array(self, rows: Sequence[Sequence[Any]], like: Any = None) -> np.ndarray:
        return np.array(rows, dtype=object).reshape(len(rows), -1)

    def inverse(self, M: np.ndarray) -> np.ndarray | None:
        from catkit.structure.exact_linalg import inverse_matrix

        n = M.shape[0]
        inv = inverse_matrix([[Fraction(x) for x in row] for row in M.tolist()])
        return None if inv is None else np.array(inv, dtype=object).reshape(n, n)

