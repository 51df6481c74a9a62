"""Float backend: numpy float64 arrays (read-only).

Row sums are checked within an absolute tolerance (default ``1e-9``, whatever the
row length: a row of a million entries each off by 1e-12 is still refused), summed
pairwise and recomputed exactly (``math.fsum``) near the bound; equality of float
kernels is bitwise, and :meth:`catkit.Kernel.allclose` takes an explicit tolerance.
Strings are read by the one strict parser (:func:`catkit.parse.parse_rational`),
then rounded once; complex entries are refused.

>>> from catkit.backends import get_backend
>>> b = get_backend("numpy")
>>> b.matmul(b.from_entries([[0.5, 0.5]]), b.eye(2)).tolist()
[[0.5, 0.5]]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.ops import Ops
from catkit.errors import KernelValueError

__all__ = ["NumpyBackend", "NumpyOps", "FLOAT64_TOL", "LOG_DOMAIN_BELOW"]

#: absolute tolerance on float64 row sums
FLOAT64_TOL = 1e-9

#: Bayesian inversion in float64: an observation of positive probability ``q(y)`` below this (it underflows, or is
#: subnormal, or ``p(x) f(y|x)`` underflows while ``q(y)`` does not) has its posterior computed in the log domain
#: (:meth:`NumpyOps.bayes_inverse`; the torch backend scales it to each dtype's smallest normal number)
LOG_DOMAIN_BELOW = 1e-280


# ---------------------------------------------------------------------- the compute-array vocabulary
_MIN = np.finfo(np.float64).min


class NumpyOps(Ops):
    """float64 numpy arrays, vectorised: the sums of ``p log(p/q)`` use the plain formula (with ``log 0``
    clamped to the most negative float, so that ``0 · log 0 = 0``) and recompute only the rows whose value is
    not finite (``q = 0``, or ``p/q`` overflowing).

    >>> NumpyOps().rel_entr(np.array([[1.0, 0.0]]), np.array([[0.0, 1.0]])).tolist()
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

    # --- arrays of any rank ------------------------------------------------------
    def zero_mask(self, a: Any, tol: float = 0.0) -> Any:
        return np.abs(a) <= tol

    def safe_divide(self, num: Any, den: Any, den_zero: Any) -> Any:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = num / den
        return np.where(den_zero, 0.0, out)

    def contiguous(self, a: Any) -> np.ndarray:
        out = np.ascontiguousarray(a, dtype=np.float64)
        out.setflags(write=False)
        return out

    def bayes_inverse(self, F: np.ndarray, P: np.ndarray, tol: float, signed: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """As :meth:`Ops.bayes_inverse`; a positive observation too improbable for float64 (``q`` underflows, or is
        subnormal and imprecise) is computed in the log domain rather than left for the fill.

        >>> F, P = np.array([[1e-200, 1.0], [0.0, 1.0]]), np.array([1e-200, 1.0])
        >>> float((P @ F)[0])  # the observation 0 has probability 1e-400, which float64 cannot hold
        0.0
        >>> D, zero = NumpyOps().bayes_inverse(F, P, 0.0)
        >>> D[0].tolist(), zero.tolist()
        ([1.0, 0.0], [False, False])
        """
        if signed:
            return super().bayes_inverse(F, P, tol, signed)
        # one matrix-vector product and two array passes: the 512 x 512 benchmark is a fraction of one matmul
        q = P @ F
        D = F.T * P
        zero = np.abs(q) <= tol
        # an observation of positive but tiny probability (q underflows, or is subnormal and imprecise) is not
        # "no evidence": those columns are recomputed in the log domain instead of falling back to the prior
        tiny = (q < LOG_DOMAIN_BELOW) & ((P[:, None] > 0) & (F > 0)).any(axis=0) & (tol == 0)
        zero &= ~tiny
        if zero.any() or tiny.any():
            D /= np.where(zero | tiny, 1.0, q)[:, None]
            D[zero] = 0.0
            if tiny.any():
                with np.errstate(divide="ignore"):
                    L = np.log(F[:, tiny]).T + np.log(P)[None, :]
                L -= L.max(axis=1, keepdims=True)
                E = np.exp(L)
                D[tiny] = E / E.sum(axis=1, keepdims=True)
        else:
            D /= q[:, None]
        return D, zero

    def inverse(self, M: np.ndarray) -> np.ndarray | None:
        if np.linalg.matrix_rank(M) < M.shape[0]:
            return None
        return np.linalg.inv(M)


class NumpyBackend(Backend):
    """numpy float64 matrices.

    >>> from catkit.backends import get_backend
    >>> get_backend("numpy").default_tol(np.ones((1, 10**6)) / 10**6)
    1e-09
    """

    name = "numpy"
    ops = NumpyOps()

    def from_entries(self, rows: Any, **options: Any) -> np.ndarray:
        if isinstance(rows, np.ndarray) and rows.dtype == object or not isinstance(rows, np.ndarray):
            out = real_entries(np.asarray(rows, dtype=object), "numpy")
        else:
            if rows.dtype.kind not in "fiub":
                raise KernelValueError(f"the numpy backend needs real numbers, got dtype {rows.dtype}")
            out = rows.astype(np.float64)  # always a copy: the caller's array stays theirs
        return self.readonly(out)

    def entry_bytes(self, M: Any = None) -> int:
        return 10  # float64 storage and the boolean masks of validation

    def full(self, rows: int, cols: int, value: Any, **options: Any) -> np.ndarray:
        return self.readonly(np.full((rows, cols), float(value)))

    def adopt(self, M: np.ndarray) -> np.ndarray:
        if not M.flags.writeable and M.base is None and M.flags.owndata:
            return M  # a read-only array that owns its memory: nobody can change it
        return self.readonly(np.array(M, dtype=np.float64))

    def native(self, data: Any) -> bool:
        return isinstance(data, np.ndarray) and data.dtype == np.float64

    def readonly(self, M: np.ndarray) -> np.ndarray:
        M.setflags(write=False)
        return M

    def eye(self, n: int, like: Any = None, **options: Any) -> np.ndarray:
        return self.readonly(np.eye(n))

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, **options: Any) -> np.ndarray:
        out = np.zeros((len(idx), ncols))
        out[np.arange(len(idx)), idx] = 1.0
        return self.readonly(out)

    def from_compute(self, arr: Any) -> np.ndarray:
        return self.readonly(np.array(arr, dtype=np.float64))

    def shape(self, M: np.ndarray) -> tuple[int, int]:
        return M.shape  # type: ignore[return-value]

    def matmul(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        out = A @ B
        out.setflags(write=False)
        return out

    def kron(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        out = (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])
        out.setflags(write=False)
        return out

    def take(self, M: np.ndarray, rows: np.ndarray | None, cols: np.ndarray | None) -> np.ndarray:
        out = M if rows is None else M[rows]
        out = out if cols is None else out[:, cols]
        return self.readonly(np.array(out))

    def pushforward(self, M: np.ndarray, idx: np.ndarray, ncols: int) -> np.ndarray:
        return self.readonly(group_columns(M, idx, ncols))

    def marginal(self, M: np.ndarray, sizes: tuple[int, ...], keep: list[int]) -> np.ndarray:
        return self.readonly(keep_axes(M, sizes, keep))

    def compute(self, M: np.ndarray) -> np.ndarray:
        return M

    def equal(self, A: np.ndarray, B: np.ndarray) -> bool:
        """Bitwise equality of the floats (use :meth:`allclose` for rounding).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.equal(b.from_entries([[0.1 + 0.2]]), b.from_entries([[0.3]]))
        False
        """
        return A.shape == B.shape and bool(np.array_equal(A, B))

    def allclose(self, A: np.ndarray, B: np.ndarray, tol: float) -> bool:
        return A.shape == B.shape and bool(np.all(np.abs(A - B) <= tol))

    def tolist(self, M: np.ndarray) -> list[list[float]]:
        return M.tolist()

    def to_numpy(self, M: np.ndarray) -> np.ndarray:
        return M

    def host(self, M: np.ndarray, copy: bool | None = None) -> np.ndarray:
        return M

    def dlpack(self, M: np.ndarray, **kwargs: Any) -> Any:
        """A copy's DLPack capsule (the storage is read-only; DLPack has no read-only flag).

        >>> import torch
        >>> torch.from_dlpack(NumpyBackend().dlpack(np.eye(2))).shape
        torch.Size([2, 2])
        """
        return np.array(M).__dlpack__(**kwargs)

    def fmt(self, x: Any) -> str:
        return f"{float(x):.6g}"

    def default_tol(self, M: Any) -> float:
        return FLOAT64_TOL

    def violation(self, M: np.ndarray, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None) -> Violation | None:
        """As :meth:`Backend.violation`; row sums within ``tol`` (default :meth:`default_tol`), NaN/inf refused.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.violation(b.from_entries([[0.5, 0.5], [0.5, 0.6]]), nonneg=True, rowsum="eq", zero_one=False, tol=None)
        Violation(row=1, reason='sums to 1.1, not 1 (tolerance 1e-09)')
        >>> b.violation(b.from_entries([[0.5, 0.5 + 1e-12]]), nonneg=True, rowsum="eq", zero_one=False, tol=None) is None
        True
        """
        return float_violation(M, nonneg=nonneg, rowsum=rowsum, zero_one=zero_one, tol=self.default_tol(M) if tol is None else tol)


def group_columns(M: np.ndarray, idx: np.ndarray, ncols: int) -> np.ndarray:
    """``out[:, k] = Σ_{j: idx[j] = k} M[:, j]`` for any numpy dtype (object included).

    >>> group_columns(np.array([[1, 2, 3]]), np.array([1, 0, 1]), 3).tolist()
    [[2, 4, 0]]
    """
    out = np.zeros((M.shape[0], ncols), dtype=M.dtype)
    if M.dtype == object:
        out[...] = 0
    if M.shape[1] == 0 or M.shape[0] == 0:
        return out
    order = np.argsort(idx, kind="stable")
    sidx = idx[order]
    starts = np.flatnonzero(np.r_[True, sidx[1:] != sidx[:-1]])
    if starts.size == sidx.size:  # injective: a plain column scatter
        out[:, sidx] = M[:, order]
    else:
        out[:, sidx[starts]] = np.add.reduceat(M[:, order], starts, axis=1)
    return out


def real_entries(arr: np.ndarray, who: str) -> np.ndarray:
    """A float64 array from an object array of real numbers: strings through the strict parser (then rounded
    once), complex values and other objects refused with the offending entry named.

    >>> real_entries(np.array([["1/4", 0.75]], dtype=object), "numpy").tolist()
    [[0.25, 0.75]]
    >>> real_entries(np.array([[1j]], dtype=object), "numpy")
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: the numpy backend needs real numbers: 1j at (0, 0) is complex
    """
    from catkit.parse import parse_rational, short

    if all(issubclass(t, (float, int, np.floating, np.integer)) for t in {type(x) for x in arr.flat}):
        return arr.astype(np.float64)  # plain real numbers: one vectorised conversion
    out = np.empty(arr.shape, dtype=np.float64)
    for idx, x in np.ndenumerate(arr):
        if isinstance(x, str):
            x = parse_rational(x, what=f"entry {idx}")
        elif isinstance(x, (complex, np.complexfloating)):
            raise KernelValueError(f"the {who} backend needs real numbers: {x!r} at {idx} is complex")
        try:
            out[idx] = float(x)
        except (TypeError, ValueError, OverflowError) as e:
            raise KernelValueError(f"the {who} backend needs real numbers: {short(x)} at {idx} ({type(e).__name__})") from None
    return out


def exact_row_sums(sums: np.ndarray, tol: float, rows_of: Any) -> np.ndarray:
    """Row sums with the rows whose (pairwise float64) sum lies near ``1 ± tol`` recomputed exactly with
    ``math.fsum``: the verdict of validation does not depend on summation order.

    ``rows_of(indices)`` returns those rows as a float64 numpy array.

    >>> M = np.full((1, 10), 0.1)
    >>> float(exact_row_sums(M.sum(axis=1), 1e-15, lambda r: M[r])[0])
    1.0
    """
    import math

    near = np.flatnonzero(np.abs(np.abs(sums - 1) - tol) <= max(tol, 1e-12) / 2 + 1e-13 * np.abs(sums))
    if near.size:
        sums = np.array(sums, dtype=np.float64)
        for i, row in zip(near, rows_of(near)):
            sums[i] = math.fsum(row)
    return sums


def keep_axes(M: Any, sizes: tuple[int, ...], keep: list[int]) -> Any:
    """Columns read as the wires ``sizes``: keep the wires ``keep`` (distinct, in that order), sum the others
    (any numpy dtype, object included; torch tensors too).

    >>> keep_axes(np.arange(6).reshape(1, 6), (2, 3), [1]).tolist(), keep_axes(np.arange(6).reshape(1, 6), (2, 3), [1, 0]).tolist()
    ([[3, 5, 7]], [[0, 3, 1, 4, 2, 5]])
    """
    n = M.shape[0]
    A = M.reshape(n, *sizes)
    drop = tuple(1 + j for j in range(len(sizes)) if j not in keep)
    if drop:
        A = A.sum(drop)
    rest = [j for j in range(len(sizes)) if j in keep]
    perm = [0, *(1 + rest.index(j) for j in keep)]
    if perm != list(range(len(perm))):
        A = A.permute(*perm) if type(A).__module__.startswith("torch") else A.transpose(perm)
    ncols = 1
    for j in keep:
        ncols *= sizes[j]
    return A.reshape(n, ncols)


def float_violation(M: Any, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float) -> Violation | None:
    """Shared float validation (numpy arrays; torch tensors are moved to numpy first)."""
    n = M.shape[0]
    if n == 0:
        return None
    checks: list[tuple[np.ndarray, Any]] = []
    fin = ~np.isfinite(M).all(axis=1)
    checks.append((fin, lambda i: "has a NaN or infinite entry"))
    if nonneg:
        checks.append(((M < 0).any(axis=1), lambda i: "has a negative entry"))
    if zero_one:
        checks.append((~((M == 0) | (M == 1)).all(axis=1), lambda i: "is not 0/1 (FinSet kernels are functions)"))
    sums: np.ndarray = exact_row_sums(M.sum(axis=1), tol, lambda rows: M[rows]) if rowsum != "none" else np.zeros(n)
    if rowsum == "eq":
        checks.append((np.abs(sums - 1) > tol, lambda i: f"sums to {sums[i]:.15g}, not 1 (tolerance {tol:g})"))
    elif rowsum == "le":
        checks.append((sums > 1 + tol, lambda i: f"sums to {sums[i]:.15g} > 1 (tolerance {tol:g})"))
    first = None
    for mask, why in checks:
        idx = np.flatnonzero(mask)
        if idx.size and (first is None or idx[0] < first[0]):
            first = (int(idx[0]), why)
    if first is None:
        return None
    return Violation(first[0], first[1](first[0]))
