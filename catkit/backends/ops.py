"""The array vocabulary of a backend: what higher layers compute with on its *compute arrays*.

A backend stores a kernel's matrix in its own storage type; ``backend.compute(M)`` gives a
compute array (a numpy object array of ``Fraction`` or sympy expressions, a float64 ndarray, a
torch tensor) and ``backend.ops`` the :class:`Ops` that compute with it.  Information theory
(:mod:`catkit.info`) and the structure layer (:mod:`catkit.structure`) are written once in these
terms, so they never ask which backend they run on:

* **row primitives** — a batch of distributions is a 2-D array, one distribution per row, and a
  primitive returns one value per row (``rowsum``, ``rel_entr``, ``entr``, power sums, ...);
* **vector helpers** — logs, roots, ``where``, weighted sums of one value per row;
* **array helpers** — sums over axes, exact zero masks, guarded division, transposition,
  building arrays from Python rows, matrix inverses.

Conventions (every family): ``0 log 0 = 0``, ``0 log(0/q) = 0``, ``p log(p/0) = +∞``
for ``p > 0``; power sums ``Σ p^a q^(1−a)`` run over the support of ``p``, with
``q^(1−a) = +∞`` at ``q = 0`` when ``a > 1``.  Exact families keep rationals exact (``Fraction``)
and turn logarithms and roots into sympy expressions; float families use their own arrays and device.

>>> from catkit.backends import get_backend
>>> ops = get_backend("numpy").ops
>>> ops.rel_entr(np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])).round(6).tolist()
[0.693147]
>>> get_backend("exact").ops.rel_entr(fraction_array([[1, 0]]), fraction_array([[0, 1]]))
array([oo], dtype=object)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import Any

import numpy as np

__all__ = ["Ops", "fraction_array"]


class Ops:
    """The primitives (see the module docstring); matrices are ``rows × outcomes``, vectors one value per row.

    Each method is documented here once; each backend module implements it for its compute arrays
    (:class:`~catkit.backends.object_arrays.ObjectOps` for exact and symbolic entries,
    :class:`~catkit.backends.numpy_float.NumpyOps`, :class:`~catkit.backends.torch_backend.TorchOps`).
    A user :class:`~catkit.info.Divergence` writes its :meth:`~catkit.info.Divergence.rows` with these.

    >>> from catkit.backends import get_backend
    >>> [get_backend(b).ops.name for b in ("exact", "sympy", "numpy", "torch")]
    ['object', 'object', 'numpy', 'torch']
    """

    name = "?"
    #: values are exact (rationals, or symbolic expressions): results are compared with ``==``
    exact = False
    inf: Any = math.inf

    def __repr__(self) -> str:
        return f"<{self.name} ops>"

    def combines(self, other: Ops) -> bool:
        """Whether arrays of this family and of ``other`` may meet in one computation (the same family).

        >>> from catkit.backends import get_backend
        >>> e, s, n = (get_backend(b).ops for b in ("exact", "sympy", "numpy"))
        >>> e.combines(s), e.combines(n)
        (True, False)
        """
        return other is self

    def compatible(self, A: Any, B: Any) -> str | None:
        """``None`` if two arrays of this family can be combined, else why not (e.g. devices or dtypes differ).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.compatible(np.zeros(2), np.zeros(3)) is None
        True
        """
        return None

    # --- matrices -> vectors ------------------------------------------------
    def rowsum(self, A: Any) -> Any:
        """``Σ_j A[i, j]``.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.rowsum(np.array([[0.25, 0.75], [1.0, 0.0]])).tolist()
        [1.0, 1.0]
        """
        raise NotImplementedError

    def rel_entr(self, P: Any, Q: Any) -> Any:
        """``Σ p log(p/q)`` with the conventions above.

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.rel_entr(fraction_array([[1, 0]]), fraction_array([["1/2", "1/2"]]))
        array([log(2)], dtype=object)
        """
        raise NotImplementedError

    def entr(self, P: Any) -> Any:
        """``−Σ p log p``.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.entr(np.array([[0.5, 0.5, 0.0]])).round(6).tolist()
        [0.693147]
        """
        raise NotImplementedError

    def power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        """``Σ_{p>0} p^a q^(1−a)`` (``q = 1`` when ``Q`` is None).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.power_sum(fraction_array([["1/2", "1/2"]]), fraction_array([["1/4", "3/4"]]), 2)
        array([4/3], dtype=object)
        """
        raise NotImplementedError

    def log_power_sum(self, P: Any, Q: Any | None, a: Any) -> Any:
        """``log power_sum(P, Q, a)`` (floats: a log-sum-exp, so that large or small powers do not overflow).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.log_power_sum(np.array([[0.5, 0.5]]), None, -2000.0).round(3).tolist()
        [1386.988]
        """
        return self.log(self.power_sum(P, Q, a))

    def root_gap(self, P: Any, Q: Any) -> Any:
        """``Σ (√p − √q)² = 2(1 − BC)`` (floats: the difference form, accurate and ≥ 0 near p = q).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.root_gap(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).tolist()
        [2.0]
        """
        raise NotImplementedError

    def support_mass(self, P: Any, Q: Any | None) -> Any:
        """``Σ_{p>0} q`` (the size of the support when ``Q`` is None).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.support_mass(np.array([[0.5, 0.5, 0.0]]), np.array([[0.25, 0.25, 0.5]])).tolist()
        [0.5]
        """
        raise NotImplementedError

    def max_ratio(self, P: Any, Q: Any | None) -> Any:
        """``max_{p>0} p/q`` (``+∞`` if some ``q = 0 < p``; ``max p`` when ``Q`` is None).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.max_ratio(fraction_array([["1/2", "1/2"]]), fraction_array([["1/4", "3/4"]]))
        array([2], dtype=object)
        """
        raise NotImplementedError

    def min_support(self, P: Any) -> Any:
        """``min_{p>0} p``.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.min_support(np.array([[0.0, 0.25, 0.75]])).tolist()
        [0.25]
        """
        raise NotImplementedError

    def f_sum(self, P: Any, Q: Any, f: Callable[[Any], Any], f0: Any, slope: Any) -> Any:
        """``Σ_{q>0} q f(p/q) + slope · Σ_{q=0} p`` (``f0`` used for ``p = 0``).

        >>> from catkit.backends import get_backend
        >>> ops = get_backend("numpy").ops
        >>> ops.f_sum(np.array([[0.5, 0.5]]), np.array([[0.25, 0.75]]), lambda t: (t - 1) ** 2, 1.0, math.inf).round(6).tolist()
        [0.333333]
        """
        raise NotImplementedError

    # --- vectors ---------------------------------------------------------------
    def log(self, v: Any) -> Any:
        """Elementwise natural log (``log 0 = −∞``, ``log ∞ = ∞``).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.log(fraction_array([[0, "1/2"]])[0])
        array([-oo, -log(2)], dtype=object)
        """
        raise NotImplementedError

    def sqrt(self, v: Any) -> Any:
        """Elementwise square root.

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.sqrt(fraction_array([["1/2"]])[0])
        array([sqrt(2)/2], dtype=object)
        """
        raise NotImplementedError

    def exp(self, v: Any) -> Any:
        """Elementwise exponential (``exp(−∞) = 0``).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.exp(np.array([-np.inf, 0.0])).tolist()
        [0.0, 1.0]
        """
        raise NotImplementedError

    def nonneg(self, v: Any) -> Any:
        """Clamp float round-off below 0 to 0 (exact values are returned as they are).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.nonneg(np.array([-1e-17, 0.5])).tolist()
        [0.0, 0.5]
        """
        return v

    def where(self, cond: Any, a: Any, b: Any) -> Any:
        """Elementwise ``a if cond else b`` (``a``, ``b`` arrays or scalars; broadcasting).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.where(np.array([True, False]), np.array([1.0, 2.0]), np.inf).tolist()
        [1.0, inf]
        """
        raise NotImplementedError

    def is_one(self, v: Any) -> Any:
        """Elementwise ``v == 1`` (exactly; floats bitwise).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.is_one(fraction_array([[1, "1/2"]])[0]).tolist()
        [True, False]
        """
        raise NotImplementedError

    def weighted(self, w: Any, v: Any) -> Any:
        """``Σ_i w_i v_i`` over ``w_i > 0`` (so ``0 · ∞ = 0``), a scalar.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.weighted(np.array([0.0, 1.0]), np.array([np.inf, 2.0]))
        2.0
        """
        raise NotImplementedError

    def masked_max(self, w: Any, v: Any) -> Any:
        """``max_{w_i > 0} v_i``, a scalar.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.masked_max(np.array([0.0, 1.0]), np.array([5.0, 2.0]))
        2.0
        """
        raise NotImplementedError

    def max(self, v: Any) -> Any:
        """The largest entry of a vector (``0`` when empty).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.max(fraction_array([["1/3", "1/2"]])[0]), get_backend("numpy").ops.max(np.zeros(0))
        (Fraction(1, 2), 0.0)
        """
        raise NotImplementedError

    def param(self, a: Any) -> Any:
        """A parameter (an order α, a weight) in this family's number type (exact families: sympy).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.param(Fraction(1, 2)), get_backend("numpy").ops.param(Fraction(1, 2))
        (1/2, 0.5)
        """
        return float(a)

    def scalar(self, v: Any) -> Any:
        """The single value of a one-row result, as the user sees it.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.scalar(np.array([0.5]))
        0.5
        """
        return float(v[0])

    def one(self, x: Any) -> Any:
        """A scalar of this family as a one-entry vector (the inverse of :meth:`scalar`).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.one(0.5).tolist(), get_backend("exact").ops.one(Fraction(1, 2)).tolist()
        ([0.5], [Fraction(1, 2)])
        """
        return np.array([x], dtype=np.float64)

    def take_rows(self, A: Any, idx: np.ndarray) -> Any:
        """The rows ``A[idx[0]], A[idx[1]], ...`` (repeats allowed).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.take_rows(np.array([[1.0], [2.0]]), np.array([1, 1, 0])).tolist()
        [[2.0], [2.0], [1.0]]
        """
        return A[idx]

    def numeric_function(self, expr: Any, symbol: Any) -> Callable[[Any], Any] | None:
        """A function of this family's arrays computing the sympy expression ``expr`` of ``symbol``, or ``None``
        when the family has no faster way than evaluating ``expr`` per value.

        >>> import sympy as sp
        >>> from catkit.backends import get_backend
        >>> t = sp.Symbol("t")
        >>> get_backend("numpy").ops.numeric_function(sp.log(t), t) is None
        True
        """
        return None

    # --- arrays of any rank (the structure layer) ----------------------------------
    def asum(self, a: Any, axes: Sequence[int], keepdims: bool = False) -> Any:
        """Sum over the given axes (none: a copy), as an array of the family.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.asum(np.ones((2, 3)), (1,)).tolist()
        [3.0, 3.0]
        """
        axes = tuple(int(x) for x in axes)
        if not axes:
            return np.array(a)
        out = a.sum(axis=axes, keepdims=keepdims)
        if a.dtype == object and not isinstance(out, np.ndarray):  # a full reduction of an object array
            out = np.array(out, dtype=object)
        return out

    def zero_mask(self, a: Any, tol: float = 0.0) -> Any:
        """Boolean mask of the entries that are zero: exactly for exact families (symbolic entries simplified),
        within ``tol`` for floats.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.zero_mask(np.array([0.0, 1e-12, 0.5]), tol=1e-9).tolist()
        [True, True, False]
        """
        raise NotImplementedError

    def safe_divide(self, num: Any, den: Any, den_zero: Any) -> Any:
        """``num / den`` where ``den`` is non-zero, and ``0`` where ``den_zero`` (the caller fills those).

        Exact and symbolic arrays divide exactly; no float enters.

        >>> from catkit.backends import get_backend
        >>> n = np.array([Fraction(1), Fraction(2)], dtype=object); d = np.array([Fraction(2), Fraction(0)], dtype=object)
        >>> get_backend("exact").ops.safe_divide(n, d, d == 0).tolist()
        [Fraction(1, 2), 0]
        """
        raise NotImplementedError

    def transpose(self, a: Any, order: Sequence[int]) -> Any:
        """Permute axes.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.transpose(np.zeros((2, 3)), [1, 0]).shape
        (3, 2)
        """
        return np.transpose(a, [int(i) for i in order])

    def broadcast_to(self, a: Any, shape: tuple[int, ...]) -> Any:
        """``a`` repeated along its axes of length 1 to ``shape`` (a read-only view where possible).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.broadcast_to(np.array([[1.0, 2.0]]), (2, 2)).tolist()
        [[1.0, 2.0], [1.0, 2.0]]
        """
        return np.broadcast_to(a, shape)

    def contiguous(self, a: Any) -> Any:
        """``a`` laid out as its backend's storage wants it (a matrix about to become a kernel).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.contiguous(np.zeros((2, 3)).T).flags.c_contiguous
        True
        """
        return a

    def host(self, a: Any) -> np.ndarray:
        """``a`` as a numpy array in host memory (masks and indices for Python code; floats as they are).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.host(np.array([True, False])).tolist()
        [True, False]
        """
        return np.asarray(a)

    def number(self, x: Fraction | int) -> Any:
        """The exact number ``x`` as a value of this family (rounded once by float families).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.number(Fraction(1, 3)), get_backend("numpy").ops.number(Fraction(1, 4))
        (Fraction(1, 3), 0.25)
        """
        return float(x)

    def array(self, rows: Sequence[Sequence[Any]], like: Any = None) -> Any:
        """A 2-D array of the family from rows of its scalars (``like``: an array whose device and dtype to match).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").ops.array([[0.5, 0.5], [1, 0]]).tolist()
        [[0.5, 0.5], [1.0, 0.0]]
        """
        return np.array(rows, dtype=np.float64).reshape(len(rows), -1)

    def bayes_inverse(self, F: Any, P: Any, tol: float, signed: bool = False) -> tuple[Any, Any]:
        """Bayesian inversion of a matrix ``F`` (``x × y``) for a prior vector ``P``: ``D[y, x] = P[x] F[x, y] / q[y]``
        with ``q = P F``, and the mask of the ``y`` with ``q(y) = 0`` (within ``tol``), whose rows of ``D``
        are 0 for the caller to fill.  ``signed``: entries may be negative.

        >>> from catkit.backends import get_backend
        >>> D, zero = get_backend("exact").ops.bayes_inverse(fraction_array([[1, 0], ["1/2", "1/2"]]), fraction_array([["1/2", "1/2"]])[0], 0)
        >>> D.tolist(), zero.tolist()
        ([[Fraction(2, 3), Fraction(1, 3)], [Fraction(0, 1), Fraction(1, 1)]], [False, False])
        """
        J = P[:, None] * F  # p(x) f(y|x)
        q = self.asum(J, (0,))
        zero = self.zero_mask(q, tol)
        return self.safe_divide(J.T, q[:, None], zero[:, None]), zero

    def inverse(self, M: Any) -> Any | None:
        """The inverse of a square matrix, or ``None`` when it is singular (exactly decided on exact families).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").ops.inverse(fraction_array([[1, 0], [1, 1]])).tolist()
        [[Fraction(1, 1), Fraction(0, 1)], [Fraction(-1, 1), Fraction(1, 1)]]
        >>> get_backend("numpy").ops.inverse(np.ones((2, 2))) is None
        True
        """
        raise NotImplementedError


def fraction_array(rows: list[list[Any]]) -> np.ndarray:
    """An object array of Fractions from nested rows of numbers or "p/q" text: what the exact row primitives take.

    >>> fraction_array([["1/2", 1]]).tolist()
    [[Fraction(1, 2), Fraction(1, 1)]]
    """
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    out[...] = [[Fraction(x) for x in r] for r in rows]
    return out
