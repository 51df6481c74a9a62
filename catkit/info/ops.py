"""Row-wise primitives of information theory, one implementation per array family.

Every divergence and entropy in :mod:`catkit.info` is written once in terms of the
primitives below, applied to a batch of distributions (a 2-D array, one
distribution per row) and returning one value per row.  Three families implement
them:

* :class:`ObjectOps` — numpy object arrays of ``Fraction`` (exact kernels) or sympy
  expressions (symbolic kernels).  Rational quantities stay ``Fraction``;
  logarithms, roots and powers become sympy expressions; +∞ is ``sympy.oo``.
  Symbolic entries count as nonzero unless they are identically 0.
* :class:`NumpyOps` — float64, vectorised; the sums of ``p log(p/q)`` use the
  plain formula (with ``log 0`` clamped to the most negative float, so that ``0 · log 0 = 0``)
  and recompute only the rows whose value is not finite (``q = 0``, or ``p/q`` overflowing).
* :class:`TorchOps` — torch tensors on their own device (``xlogy`` and friends).

Conventions (all families): ``0 log 0 = 0``, ``0 log(0/q) = 0``, ``p log(p/0) = +∞``
for ``p > 0``; power sums ``Σ p^a q^(1−a)`` run over the support of ``p``, with
``q^(1−a) = +∞`` at ``q = 0`` when ``a > 1``.

>>> import numpy as np
>>> NUMPY.rel_entr(np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])).round(6).tolist()
[0.693147]
>>> OBJECT.rel_entr(np.array([[Fraction(1), Fraction(0)]], dtype=object), np.array([[Fraction(0), Fraction(1)]], dtype=object))
array([oo], dtype=object)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.info.reals import compare, exact_max, to_sympy

__all__ = ["Ops", "ObjectOps", "NumpyOps", "TorchOps", "OBJECT", "NUMPY", "TORCH", "ops_for"]


class Ops:
    """The primitives (see the module docstring); matrices are ``rows × outcomes``, vectors one value per row.

    Each method is documented here once; :class:`ObjectOps`, :class:`NumpyOps` and :class:`TorchOps`
    implement it for their array type.  A user :class:`~catkit.info.Divergence` writes its
    ``_rows(ops, P, Q)`` with these.

    >>> [o.name for o in (OBJECT, NUMPY, TORCH)]
    ['object', 'numpy', 'torch']
    """

    name = "?"
    exact = False
    inf: Any = math.inf

    # --- matrices -> vectors ------------------------------------------------
    def rowsum(self, A: Any) -> Any:
        """``Σ_j A[i, j]``.

        >>> NUMPY.rowsum(np.array([[0.25, 0.75], [1.0, 0.0]])).tolist()
        [1.0, 1.0]
        """
        raise NotImplementedError

    def rel_entr(self, P: Any, Q: Any) -> Any:
        """``Σ p log(p/q)`` with the conventions above.

        >>> OBJECT.rel_entr(_m([[1, 0]]), _m([["1/2", "1/2"]]))
        array([log(2)], dtype=object)
        """
        raise NotImplementedError

    def entr(self, P: Any) -> Any:
        """``−Σ p log p``.

        >>> NUMPY.entr(np.array([[0.5, 0.5, 0.0]])).round(6).tolist()
        [0.693147]
        """
        raise NotImplementedError

    def power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        """``Σ_{p>0} p^a q^(1−a)`` (``q = 1`` when ``Q`` is None).

        >>> OBJECT.power_sum(_m([["1/2", "1/2"]]), _m([["1/4", "3/4"]]), 2)
        array([4/3], dtype=object)
        """
        raise NotImplementedError

    def log_power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        """``log power_sum(P, Q, a)`` (floats: a log-sum-exp, so that large or small powers do not overflow).

        >>> NUMPY.log_power_sum(np.array([[0.5, 0.5]]), None, -2000.0).round(3).tolist()
        [1386.988]
        """
        return self.log(self.power_sum(P, Q, a))

    def root_gap(self, P: Any, Q: Any) -> Any:
        """``Σ (√p − √q)² = 2(1 − BC)`` (floats: the difference form, accurate and ≥ 0 near p = q).

        >>> NUMPY.root_gap(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).tolist()
        [2.0]
        """
        raise NotImplementedError

    def support_mass(self, P: Any, Q: Any | None) -> Any:
        """``Σ_{p>0} q`` (the size of the support when ``Q`` is None).

        >>> NUMPY.support_mass(np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])).tolist()
        [0.5]
        """
        raise NotImplementedError

    def max_ratio(self, P: Any, Q: Any | None) -> Any:
        """``max_{p>0} p/q`` (``+∞`` if some ``q = 0 < p``; ``max p`` when ``Q`` is None).

        >>> OBJECT.max_ratio(_m([["1/2", "1/2"]]), _m([["1/4", "3/4"]]))
        array([2], dtype=object)
        """
        raise NotImplementedError

    def min_support(self, P: Any) -> Any:
        """``min_{p>0} p``.

        >>> NUMPY.min_support(np.array([[0.0, 0.25, 0.75]])).tolist()
        [0.25]
        """
        raise NotImplementedError

    def f_sum(self, P: Any, Q: Any, f: Callable[[Any], Any], f0: Any, slope: Any) -> Any:
        """``Σ_{q>0} q f(p/q) + slope · Σ_{q=0} p`` (``f0`` used for ``p = 0``).

        >>> NUMPY.f_sum(np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]]), lambda t: (t - 1) ** 2, 1.0, math.inf).round(6).tolist()
        [0.333333]
        """
        raise NotImplementedError

    # --- vectors ---------------------------------------------------------------
    def log(self, v: Any) -> Any:
        """Elementwise natural log (``log 0 = −∞``, ``log ∞ = ∞``).

        >>> OBJECT.log(_m([[0, "1/2"]])[0])
        array([-oo, -log(2)], dtype=object)
        """
        raise NotImplementedError

    def sqrt(self, v: Any) -> Any:
        """Elementwise square root.

        >>> OBJECT.sqrt(_m([["1/2"]])[0])
        array([sqrt(2)/2], dtype=object)
        """
        raise NotImplementedError

    def exp(self, v: Any) -> Any:
        """Elementwise exponential (``exp(−∞) = 0``).

        >>> NUMPY.exp(np.array([-np.inf, 0.0])).tolist()
        [0.0, 1.0]
        """
        raise NotImplementedError

    def nonneg(self, v: Any) -> Any:
        """Clamp float round-off below 0 to 0 (exact values are returned as they are).

        >>> NUMPY.nonneg(np.array([-1e-17, 0.5])).tolist()
        [0.0, 0.5]
        """
        return v

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """Elementwise ``a if cond else b`` (``a``, ``b`` vectors or scalars).

        >>> NUMPY.where(np.array([True, False]), np.array([1.0, 2.0]), np.inf).tolist()
        [1.0, inf]
        """
        raise NotImplementedError

    def is_one(self, v: Any) -> Any:
        """Elementwise ``v == 1`` (exactly; floats bitwise).

        >>> OBJECT.is_one(_m([[1, "1/2"]])[0]).tolist()
        [True, False]
        """
        raise NotImplementedError

    def weighted(self, w: Any, v: Any) -> Any:
        """``Σ_i w_i v_i`` over ``w_i > 0`` (so ``0 · ∞ = 0``), a scalar.

        >>> NUMPY.weighted(np.array([0.0, 1.0]), np.array([np.inf, 2.0]))
        2.0
        """
        raise NotImplementedError

    def masked_max(self, w: Any, v: Any) -> Any:
        """``max_{w_i > 0} v_i``, a scalar.

        >>> NUMPY.masked_max(np.array([0.0, 1.0]), np.array([5.0, 2.0]))
        2.0
        """
        raise NotImplementedError

    def max(self, v: Any) -> Any:
        """The largest entry of a vector (``0`` when empty).

        >>> OBJECT.max(_m([["1/3", "1/2"]])[0]), NUMPY.max(np.zeros(0))
        (Fraction(1, 2), 0.0)
        """
        raise NotImplementedError

    def param(self, a: Any) -> Any:
        """A parameter (an order α, a weight) in this family's number type.

        >>> OBJECT.param(Fraction(1, 2)), NUMPY.param(Fraction(1, 2))
        (1/2, 0.5)
        """
        return float(a)

    def scalar(self, v: Any) -> Any:
        """The single value of a one-row result, as the user sees it.

        >>> NUMPY.scalar(np.array([0.5]))
        0.5
        """
        return float(v[0])


# ---------------------------------------------------------------------- exact / symbolic
#: largest exact power (in bits of numerator or denominator) an exact Rényi or power sum computes
MAX_EXACT_POWER_BITS = 2**18


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


def _vec(values: list[Any]) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


class ObjectOps(Ops):
    """Exact (Fraction) and symbolic (sympy) entries in numpy object arrays.

    >>> OBJECT.entr(_m([["1/2", "1/2"]]))
    array([log(2)], dtype=object)
    """

    name = "object"
    exact = True
    inf = sp.oo

    def rowsum(self, A: np.ndarray) -> np.ndarray:
        return _vec([sum(row, Fraction(0)) if all(isinstance(x, (Fraction, int)) for x in row) else sp.Add(*row) for row in A])

    def rel_entr(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
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
        return _vec(out)

    def entr(self, P: np.ndarray) -> np.ndarray:
        return _vec([-sp.Add(*[to_sympy(p) * sp.log(to_sympy(p)) for p in row if _nz(p)]) for row in P])

    def power_sum(self, P: np.ndarray, Q: np.ndarray | None, a: Any) -> np.ndarray:
        _check_power_size(P, Q, a)  # exact p^a has about |a|·bits(p) bits: refuse the astronomically large
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
        return _vec(out)

    def root_gap(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        return 2 - 2 * self.power_sum(P, Q, sp.Rational(1, 2))

    def support_mass(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        if Q is None:
            return _vec([sp.Integer(sum(1 for p in row if _nz(p))) for row in P])
        return _vec([sp.Add(*[to_sympy(q) for p, q in zip(prow, qrow) if _nz(p)]) for prow, qrow in zip(P, Q)])

    def max_ratio(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
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
                    ratios.append(to_sympy(p) / to_sympy(Q[i, j]))
            out.append(exact_max(ratios))
        return _vec(out)

    def min_support(self, P: np.ndarray) -> np.ndarray:
        out = []
        for row in P:
            vals = [p for p in row if _nz(p)]
            best = vals[0]
            for v in vals[1:]:
                if compare(v, best) < 0:
                    best = v
            out.append(best)
        return _vec(out)

    def f_sum(self, P: np.ndarray, Q: np.ndarray, f: Callable[[Any], Any], f0: Any, slope: Any) -> np.ndarray:
        out = []
        for prow, qrow in zip(P, Q):
            terms: list[Any] = []
            for p, q in zip(prow, qrow):
                if _nz(q):
                    terms.append(q * (f(p / q) if _nz(p) else f0))
                elif _nz(p):
                    terms.append(p * slope)
            out.append(sum(terms, Fraction(0)) if all(isinstance(t, (Fraction, int)) for t in terms) else sp.Add(*terms))
        return _vec(out)

    def log(self, v: np.ndarray) -> np.ndarray:
        return _vec([-sp.oo if not _nz(x) else sp.log(to_sympy(x)) for x in v])

    def sqrt(self, v: np.ndarray) -> np.ndarray:
        return _vec([sp.sqrt(to_sympy(x)) for x in v])

    def exp(self, v: np.ndarray) -> np.ndarray:
        return _vec([sp.exp(to_sympy(x)) for x in v])

    def where(self, cond: Any, a: Any, b: Any) -> np.ndarray:
        n = len(cond)
        av = a if isinstance(a, np.ndarray) else [a] * n
        bv = b if isinstance(b, np.ndarray) else [b] * n
        return _vec([x if c else y for c, x, y in zip(cond, av, bv)])

    def is_one(self, v: np.ndarray) -> np.ndarray:
        return np.array([bool(x == 1) for x in v], dtype=bool)

    def weighted(self, w: np.ndarray, v: np.ndarray) -> Any:
        terms = [wi * vi for wi, vi in zip(w, v) if _nz(wi)]
        if all(isinstance(t, (Fraction, int)) for t in terms):
            return sum(terms, Fraction(0))
        return sp.Add(*[to_sympy(t) for t in terms])

    def masked_max(self, w: np.ndarray, v: np.ndarray) -> Any:
        return exact_max([vi for wi, vi in zip(w, v) if _nz(wi)])

    def max(self, v: np.ndarray) -> Any:
        return exact_max(list(v))

    def param(self, a: Any) -> Any:
        return to_sympy(a)

    def scalar(self, v: np.ndarray) -> Any:
        return v[0]


# ---------------------------------------------------------------------- numpy float64
_MIN = np.finfo(np.float64).min

class NumpyOps(Ops):
    """float64 numpy arrays.

    >>> NUMPY.rel_entr(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).tolist()
    [inf]
    """

    name = "numpy"

    def rowsum(self, A: np.ndarray) -> np.ndarray:
        return A.sum(axis=1)

    def rel_entr(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        # fast path: the plain formula.  Only rows where it is not finite are recomputed
        # carefully: a zero p gives 0·(−inf) or 0/0 = NaN, and p/q can overflow for tiny q.
        with np.errstate(all="ignore"):
            R = np.divide(P, Q)
            np.log(R, out=R)
            np.maximum(R, _MIN, out=R)  # p = 0 < q: 0 · (most negative float) = 0, no NaN to repair
            out = np.einsum("ij,ij->i", P, R)
        bad = ~np.isfinite(out)
        if bad.any():
            p, q = P[bad], Q[bad]
            with np.errstate(all="ignore"):
                t = p * (np.log(p) - np.log(q))  # q = 0 < p gives +inf, as it should
            out[bad] = np.where(p > 0, t, 0.0).sum(axis=1)
        return out

    def entr(self, P: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            L = np.log(P)
            np.maximum(L, _MIN, out=L)  # log 0 = -inf becomes the most negative float: 0 log 0 = 0
            return -np.einsum("ij,ij->i", P, L)

    def power_sum(self, P: np.ndarray, Q: np.ndarray | None, a: Any) -> np.ndarray:
        a = float(a)
        with np.errstate(all="ignore"):
            if Q is None:
                T = np.power(P, a)
            else:
                # in the log domain: p^a and q^(1-a) may overflow or underflow while their product does not
                T = np.exp(a * np.log(P) + (1.0 - a) * np.log(Q))
                # q = 0 < p: the term is 0 for a < 1 and +inf for a > 1
                T = np.where(Q > 0, T, np.inf if a > 1 else 0.0)
            return np.where(P > 0, T, 0.0).sum(axis=1)

    def log_power_sum(self, P: np.ndarray, Q: np.ndarray | None, a: Any) -> np.ndarray:
        a = float(a)
        with np.errstate(all="ignore"):
            Z = a * np.log(P) if Q is None else a * np.log(P) + (1.0 - a) * np.log(Q)
            Z = np.where(P > 0, Z, -np.inf)  # q = 0 < p gives +inf (a > 1) or -inf (a < 1) by itself
            m = Z.max(axis=1, initial=-np.inf)
            fin = np.isfinite(m)
            ms = np.where(fin, m, 0.0)
            out = np.log(np.exp(Z - ms[:, None]).sum(axis=1)) + ms
        return np.where(fin, out, m)

    def root_gap(self, P: np.ndarray, Q: np.ndarray) -> np.ndarray:
        D = np.sqrt(P) - np.sqrt(Q)
        return np.einsum("ij,ij->i", D, D)

    def support_mass(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        if Q is None:
            return (P > 0).sum(axis=1).astype(np.float64)
        return np.where(P > 0, Q, 0.0).sum(axis=1)

    def max_ratio(self, P: np.ndarray, Q: np.ndarray | None) -> np.ndarray:
        if Q is None:
            return P.max(axis=1, initial=0.0)
        with np.errstate(all="ignore"):
            return np.where(P > 0, P / Q, 0.0).max(axis=1, initial=0.0)

    def min_support(self, P: np.ndarray) -> np.ndarray:
        return np.where(P > 0, P, np.inf).min(axis=1)

    def f_sum(self, P: np.ndarray, Q: np.ndarray, f: Callable[[Any], Any], f0: Any, slope: Any) -> np.ndarray:
        pos = Q > 0
        with np.errstate(all="ignore"):
            T = np.zeros_like(P)
            pq = (P > 0) & pos
            T[pq] = Q[pq] * np.asarray(f(P[pq] / Q[pq]), dtype=np.float64)
            T[pos & ~pq] = Q[pos & ~pq] * float(f0)
            lost = (P > 0) & ~pos
            if lost.any():
                T[lost] = P[lost] * float(slope)
        return T.sum(axis=1)

    def log(self, v: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore"):
            return np.log(v)

    def sqrt(self, v: np.ndarray) -> np.ndarray:
        return np.sqrt(v)

    def exp(self, v: np.ndarray) -> np.ndarray:
        return np.exp(v)

    def nonneg(self, v: np.ndarray) -> np.ndarray:
        return np.maximum(v, 0.0)

    def where(self, cond: Any, a: Any, b: Any) -> np.ndarray:
        return np.where(cond, a, b)

    def is_one(self, v: np.ndarray) -> np.ndarray:
        return np.asarray(v) == 1.0

    def weighted(self, w: np.ndarray, v: np.ndarray) -> float:
        return float(np.where(w > 0, w * np.where(w > 0, v, 0.0), 0.0).sum())

    def masked_max(self, w: np.ndarray, v: np.ndarray) -> float:
        return float(np.where(w > 0, v, -np.inf).max(initial=-np.inf))

    def max(self, v: np.ndarray) -> float:
        return float(v.max(initial=0.0))


# ---------------------------------------------------------------------- torch
class TorchOps(Ops):
    """torch tensors on any device (results stay on the kernel's device).

    >>> import torch
    >>> TORCH.entr(torch.tensor([[0.5, 0.5]])).device.type
    'cpu'
    """

    name = "torch"

    @staticmethod
    def _t() -> Any:
        import torch

        return torch

    def rowsum(self, A: Any) -> Any:
        return A.sum(dim=1)

    def rel_entr(self, P: Any, Q: Any) -> Any:
        t = self._t()
        return (t.special.xlogy(P, P) - t.special.xlogy(P, Q)).sum(dim=1)

    def entr(self, P: Any) -> Any:
        return -self._t().special.xlogy(P, P).sum(dim=1)

    def power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        t = self._t()
        a = float(a)
        if Q is None:
            T = P.pow(a)
        else:
            T = (a * P.log() + (1.0 - a) * Q.log()).exp()
            T = t.where(Q > 0, T, t.full_like(T, math.inf if a > 1 else 0.0))
        return t.where(P > 0, T, t.zeros_like(T)).sum(dim=1)

    def log_power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        t = self._t()
        a = float(a)
        Z = a * P.log() if Q is None else a * P.log() + (1.0 - a) * Q.log()
        Z = t.where(P > 0, Z, t.full_like(Z, -math.inf))
        m = Z.amax(dim=1)
        fin = t.isfinite(m)
        ms = t.where(fin, m, t.zeros_like(m))
        out = (Z - ms[:, None]).exp().sum(dim=1).log() + ms
        return t.where(fin, out, m)

    def root_gap(self, P: Any, Q: Any) -> Any:
        return (P.sqrt() - Q.sqrt()).square().sum(dim=1)

    def support_mass(self, P: Any, Q: Any | None) -> Any:
        t = self._t()
        if Q is None:
            return (P > 0).sum(dim=1).to(P.dtype)
        return t.where(P > 0, Q, t.zeros_like(Q)).sum(dim=1)

    def max_ratio(self, P: Any, Q: Any | None) -> Any:
        t = self._t()
        if Q is None:
            return P.amax(dim=1)
        return t.where(P > 0, P / Q, t.zeros_like(P)).amax(dim=1)

    def min_support(self, P: Any) -> Any:
        t = self._t()
        return t.where(P > 0, P, t.full_like(P, math.inf)).amin(dim=1)

    def f_sum(self, P: Any, Q: Any, f: Callable[[Any], Any], f0: Any, slope: Any) -> Any:
        t = self._t()
        pos, ppos = Q > 0, P > 0
        safe = t.where(pos & ppos, P / t.where(pos, Q, t.ones_like(Q)), t.ones_like(P))
        body = t.where(ppos, Q * f(safe), Q * float(f0))
        T = t.where(pos, body, t.zeros_like(P))
        lost = ppos & ~pos
        if bool(lost.any()):
            T = t.where(lost, P * float(slope), T)
        return T.sum(dim=1)

    def log(self, v: Any) -> Any:
        return v.log()

    def sqrt(self, v: Any) -> Any:
        return v.sqrt()

    def exp(self, v: Any) -> Any:
        return v.exp()

    def nonneg(self, v: Any) -> Any:
        return v.clamp_min(0.0)

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        t = self._t()
        ref = a if isinstance(a, t.Tensor) else b
        a = a if isinstance(a, t.Tensor) else t.full_like(ref, float(a))
        b = b if isinstance(b, t.Tensor) else t.full_like(ref, float(b))
        return t.where(t.as_tensor(cond, device=ref.device), a, b)

    def is_one(self, v: Any) -> Any:
        return v == 1.0

    def weighted(self, w: Any, v: Any) -> Any:
        t = self._t()
        return t.where(w > 0, w * t.where(w > 0, v, t.zeros_like(v)), t.zeros_like(v)).sum()

    def masked_max(self, w: Any, v: Any) -> Any:
        t = self._t()
        return t.where(w > 0, v, t.full_like(v, -math.inf)).amax()

    def max(self, v: Any) -> Any:
        return v.amax() if v.numel() else v.new_zeros(())

    def scalar(self, v: Any) -> Any:
        return v[0]


OBJECT, NUMPY, TORCH = ObjectOps(), NumpyOps(), TorchOps()


def _m(rows: list[list[Any]]) -> np.ndarray:
    """An object array of Fractions (for the examples).

    >>> _m([["1/2", 1]]).tolist()
    [[Fraction(1, 2), Fraction(1, 1)]]
    """
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    out[...] = [[Fraction(x) for x in r] for r in rows]
    return out


def ops_for(backend_name: str) -> Ops:
    """The family for a kernel backend name (``exact``/``sympy`` → object).

    >>> ops_for("exact").name, ops_for("numpy").name
    ('object', 'numpy')
    """
    return {"exact": OBJECT, "sympy": OBJECT, "numpy": NUMPY, "torch": TORCH}[backend_name]
