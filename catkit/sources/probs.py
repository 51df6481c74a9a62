"""Probability arrays for sources: exact (numpy object arrays of Fractions) or float64.

A source is *exact* when every parameter it was given is an exact rational
(ints, Fractions, ``"p/q"`` strings, exact catkit kernels); its laws are then
computed over the rationals.  Any float parameter makes the whole source float
(never a silent rationalisation).  This module also holds the small exact linear
algebra the sources need (stationary laws, bases of observable subspaces).

>>> arr, exact = as_prob_array([["1/2", "1/2"], [0, 1]], "transition")
>>> exact, arr[0, 0]
(True, Fraction(1, 2))
>>> stationary(arr)
array([Fraction(0, 1), Fraction(1, 1)], dtype=object)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from catkit.backends import get_backend, native_backend
from catkit.backends.exact import to_fraction
from catkit.errors import CatkitError

__all__ = ["SourceError", "as_prob_array", "to_float", "stationary", "row_basis", "check_rows"]


class SourceError(CatkitError, ValueError):
    """A source was given bad parameters or asked an impossible question (the message names the thing).

    >>> issubclass(SourceError, ValueError)
    True
    """


def _is_exact_scalar(x: Any) -> bool:
    return not isinstance(x, (float, np.floating, complex))


def as_prob_array(data: Any, what: str, exact: bool | None = None) -> tuple[np.ndarray, bool]:
    """An array of probabilities and whether it is exact.

    ``data`` may be nested lists, a numpy array, or a catkit :class:`~catkit.Kernel`
    (its flattened matrix; a state gives a 1-row matrix).  ``exact=None`` infers
    exactness from the entries; ``exact=True`` refuses floats; ``exact=False`` converts to float64.

    >>> as_prob_array([0.25, 0.75], "initial")[1]
    False
    >>> as_prob_array([0.25, 0.75], "initial", exact=True)
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: initial: the exact backend refuses the float 0.25: write Fraction(1, 4) or '1/4' ...
    """
    from catkit.kernel import Kernel

    if isinstance(data, Kernel):
        m = data.matrix
        data = m if data.backend.exact else data.backend.to_numpy(data.storage)
        if data.dtype == object and not all(isinstance(x, Fraction) for x in data.flat):
            raise SourceError(f"{what}: a symbolic kernel cannot parametrise a source; substitute numbers first")
    owner = native_backend(data)
    if owner is not None and not owner.exact:  # a tensor (any device, any float dtype): its float64 values
        data = owner.to_numpy(data)
    arr = np.asarray(data, dtype=object) if not (isinstance(data, np.ndarray) and data.dtype.kind in "fiub") else data
    if arr.dtype.kind == "f":
        inferred = False
    elif arr.dtype.kind in "iub":
        inferred = True
    else:
        inferred = all(_is_exact_scalar(x) for x in arr.flat)
    want = inferred if exact is None else exact
    if want:
        if not inferred and exact:
            bad = next(x for x in np.asarray(arr, dtype=object).flat if not _is_exact_scalar(x))
            try:
                to_fraction(bad)
            except CatkitError as e:
                raise SourceError(f"{what}: {e}") from None
        try:
            out = np.empty(arr.shape, dtype=object)
            flat = [to_fraction(x) for x in np.asarray(arr, dtype=object).flat]
            out.reshape(-1)[:] = flat if flat else []
        except CatkitError as e:
            raise SourceError(f"{what}: {e}") from None
        return out, True
    if arr.dtype != object:
        return arr.astype(np.float64), False
    try:  # exact entries among floats (e.g. "1/2") are read exactly, then rounded once
        vals = [float(x) if not _is_exact_scalar(x) else float(to_fraction(x)) for x in arr.flat]
    except (CatkitError, TypeError, ValueError) as e:
        raise SourceError(f"{what}: entries must be real numbers ({e})") from None
    return np.array(vals, dtype=np.float64).reshape(arr.shape), False


def to_float(arr: np.ndarray) -> np.ndarray:
    """A float64 copy of an exact or float array.

    >>> to_float(np.array([Fraction(1, 3)], dtype=object)).round(4).tolist()
    [0.3333]
    """
    return np.asarray(arr, dtype=object).astype(np.float64) if arr.dtype == object else np.array(arr, dtype=np.float64)


def check_rows(rows: np.ndarray, exact: bool, what: str, labels: Any = None, tol: float = 1e-9) -> None:
    """Raise :class:`SourceError` naming the first row of a 2-D array that is not a distribution: the kernels'
    own validation (:meth:`~catkit.backends.base.Backend.violation`; float rows: the exact sum of the floats
    within ``tol`` of 1, however long the row).

    >>> check_rows(np.array([[0.5, 0.5], [0.5, 0.6]]), False, "emission", ["s0", "s1"])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: emission: row 's1' sums to 1.1, not 1 (tolerance 1e-09)
    >>> check_rows(np.array([[Fraction(1, 2), Fraction(-1, 2)]], dtype=object), True, "transition")
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: transition: row 0 has a negative entry
    """
    b = get_backend("exact" if exact else "numpy")
    v = b.violation(b.from_compute(rows), nonneg=True, rowsum="eq", zero_one=False, tol=tol)
    if v is not None:
        name = repr(labels[v.row]) if labels is not None else str(v.row)
        raise SourceError(f"{what}: row {name} {v.reason}")


def _rref(M: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Reduced row echelon form over the rationals (object array of Fractions) and the pivot columns."""
    A = np.array(M, dtype=object)
    rows, cols = A.shape
    piv: list[int] = []
    r = 0
    for c in range(cols):
        p = next((i for i in range(r, rows) if A[i, c] != 0), None)
        if p is None:
            continue
        A[[r, p]] = A[[p, r]]
        A[r] = A[r] / A[r, c]
        for i in range(rows):
            if i != r and A[i, c] != 0:
                A[i] = A[i] - A[i, c] * A[r]
        piv.append(c)
        r += 1
        if r == rows:
            break
    return A[:r], piv


def stationary(P: np.ndarray) -> np.ndarray:
    """The unique stationary law ``π P = π`` of a row-stochastic matrix (exact for exact input).

    Raises :class:`SourceError` when the stationary law is not unique (the chain has
    several closed classes): pass an explicit initial law then.

    >>> stationary(np.array([[0.9, 0.1], [0.5, 0.5]])).round(6).tolist()
    [0.833333, 0.166667]
    >>> stationary(np.eye(2, dtype=object))
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: the stationary law is not unique (the chain has 2 independent stationary laws); ...
    """
    n = P.shape[0]
    if P.dtype == object:
        A = (P.T - np.eye(n, dtype=object) * Fraction(1)).astype(object)
        R, piv = _rref(A)
        free = [c for c in range(n) if c not in piv]
        if len(free) != 1:
            raise SourceError(
                f"the stationary law is not unique (the chain has {len(free)} independent stationary laws); "
                "give the initial law explicitly"
            )
        f = free[0]
        v = np.array([Fraction(0)] * n, dtype=object)
        v[f] = Fraction(1)
        for i, c in enumerate(piv):
            v[c] = -R[i, f]
        return v / sum(v, Fraction(0))
    w, vecs = np.linalg.eig(P.T)
    close = np.flatnonzero(np.abs(w - 1) < 1e-10)
    if len(close) != 1:
        raise SourceError(
            f"the stationary law is not unique (the chain has {len(close)} independent stationary laws); "
            "give the initial law explicitly"
        )
    v = np.real(vecs[:, close[0]])
    v = v / v.sum()
    return np.clip(v, 0.0, None) / np.clip(v, 0.0, None).sum()


def row_basis(vectors: np.ndarray, exact: bool, tol: float = 1e-10) -> np.ndarray:
    """A basis (as rows) of the span of the given row vectors: exact RREF, or an orthonormal basis by SVD.

    >>> row_basis(np.array([[1, 1], [2, 2]], dtype=object), True).tolist()
    [[Fraction(1, 1), Fraction(1, 1)]]
    """
    if exact:
        R, _ = _rref(np.array([[Fraction(x) for x in r] for r in vectors], dtype=object).reshape(vectors.shape))
        return R
    if vectors.size == 0:
        return np.zeros((0, vectors.shape[1]))
    _, s, vt = np.linalg.svd(np.asarray(vectors, dtype=np.float64), full_matrices=False)
    return vt[s > tol * max(1.0, s[0])]
