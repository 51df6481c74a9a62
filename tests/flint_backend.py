"""A fifth backend, for the tests and the docs: exact rationals stored as python-flint ``fmpq_mat``.

It is the worked example of docs/backends.md ("Adding a backend"): one module (this one) and one call to
``register_backend``.  Its compute arrays are numpy object arrays of ``Fraction``, the exact backend's, so it
reuses the exact family of primitives (``ObjectOps``); everything else (storage, products, selection,
equality, conversion) is its own.  The kernel, structure and information suites run on it
(tests/conftest.py registers it while they run).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import flint
import numpy as np

from catkit.backends import Backend, get_backend
from catkit.backends.exact import to_fraction


def _mat(rows: int, cols: int, entries: list[Any]) -> Any:
    return flint.fmpq_mat(rows, cols, [flint.fmpq(x.numerator, x.denominator) for x in map(to_fraction, entries)])


class FlintBackend(Backend):
    """Exact rationals in python-flint's ``fmpq_mat`` (a fresh matrix for every result: kernels are values)."""

    name = "flint"
    exact = True
    ops = get_backend("exact").ops  # compute arrays: object arrays of Fractions

    # construction
    def from_entries(self, rows: Any, **options: Any) -> Any:
        if isinstance(rows, flint.fmpq_mat):
            return flint.fmpq_mat(rows)
        arr = np.asarray(rows, dtype=object)
        return _mat(arr.shape[0], arr.shape[1], list(arr.flat))

    def native(self, data: Any) -> bool:
        return isinstance(data, flint.fmpq_mat)

    def adopt(self, M: Any) -> Any:
        return flint.fmpq_mat(M)  # a copy: the caller may still change theirs

    def eye(self, n: int, like: Any = None, **options: Any) -> Any:
        return self.onehot(np.arange(n), n)

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, **options: Any) -> Any:
        M = flint.fmpq_mat(len(idx), ncols)
        for r, c in enumerate(idx):
            M[r, int(c)] = 1
        return M

    def from_compute(self, arr: Any) -> Any:
        return self.from_entries(arr)

    # arithmetic
    def shape(self, M: Any) -> tuple[int, int]:
        return (M.nrows(), M.ncols())

    def matmul(self, A: Any, B: Any) -> Any:
        return A * B

    def kron(self, A: Any, B: Any) -> Any:
        a, b = self.compute(A), self.compute(B)
        return self.from_compute(np.kron(a, b)) if a.size and b.size else flint.fmpq_mat(A.nrows() * B.nrows(), A.ncols() * B.ncols())

    def take(self, M: Any, rows: np.ndarray | None, cols: np.ndarray | None) -> Any:
        a = self.compute(M)
        a = a if rows is None else a[np.asarray(rows)]
        return self.from_compute(a if cols is None else a[:, np.asarray(cols)])

    def compute(self, M: Any) -> np.ndarray:
        out = np.empty(self.shape(M), dtype=object)
        out.flat[:] = [Fraction(int(x.p), int(x.q)) for x in M.entries()]
        return out

    # comparison, conversion, display
    def equal(self, A: Any, B: Any) -> bool:
        return self.shape(A) == self.shape(B) and bool(A == B)

    def allclose(self, A: Any, B: Any, tol: float) -> bool:
        t = Fraction(tol)
        return self.shape(A) == self.shape(B) and all(abs(a - b) <= t for a, b in zip(self.compute(A).flat, self.compute(B).flat))

    def tolist(self, M: Any) -> list[list[Fraction]]:
        return self.compute(M).tolist()  # type: ignore[no-any-return]

    def to_numpy(self, M: Any) -> np.ndarray:
        return self.compute(M).astype(np.float64)

    def literal(self, x: Fraction) -> Any:
        return str(x) if x.denominator != 1 else int(x)
