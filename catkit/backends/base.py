"""The backend protocol: how a kernel's matrix is stored and computed with.

A kernel keeps its *flattened* matrix (rows: the domain in row-major order,
columns: the codomain) in a backend-native storage type.  Everything a kernel
does goes through the handful of methods below, so a backend is one small
module.  ``compute(M)`` gives a *compute array* (numpy object array of
``Fraction`` for exact, of sympy expressions for sympy, float64 ndarray,
torch tensor) on which higher layers (structure, information) do arithmetic;
``from_compute`` brings such an array back without changing its kind.

>>> from catkit.backends import get_backend
>>> b = get_backend("exact")
>>> M = b.from_entries([[1, 0], ["1/3", "2/3"]])
>>> b.tolist(b.matmul(M, M))
[[Fraction(1, 1), Fraction(0, 1)], [Fraction(5, 9), Fraction(4, 9)]]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any

import numpy as np

__all__ = ["Backend", "Violation"]


class Violation:
    """The first row of a matrix that breaks a model's rule, with a reason.

    >>> Violation(2, "sums to 3/2, not 1")
    Violation(row=2, reason='sums to 3/2, not 1')
    """

    __slots__ = ("row", "reason")

    def __init__(self, row: int, reason: str) -> None:
        self.row, self.reason = row, reason

    def __repr__(self) -> str:
        return f"Violation(row={self.row}, reason={self.reason!r})"


class Backend(ABC):
    """One storage and arithmetic for kernel matrices (see the module docstring).

    >>> from catkit.backends import get_backend
    >>> get_backend("numpy").name, get_backend("numpy").exact
    ('numpy', False)
    """

    name: str = "?"
    #: entries are exact (rationals or symbolic): results are compared with ``==``
    exact: bool = False
    #: entries may be symbolic expressions
    symbolic: bool = False

    def __repr__(self) -> str:
        return f"<backend {self.name}>"

    # construction -------------------------------------------------------
    @abstractmethod
    def from_entries(self, rows: Any, **options: Any) -> Any:
        """Storage matrix from nested Python data (a 2-D list or array).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").from_entries([[1, 0], [0.25, 0.75]]).tolist()
        [[1.0, 0.0], [0.25, 0.75]]
        """

    @abstractmethod
    def native(self, data: Any) -> bool:
        """Whether ``data`` is already this backend's storage or compute type.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.native(np.eye(2)), b.native([[1.0, 0.0]]), b.native(np.eye(2, dtype=int))
        (True, False, False)
        """

    @abstractmethod
    def eye(self, n: int, like: Any = None) -> Any:
        """Identity matrix of size ``n`` (``like``: a storage matrix to match device/dtype).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.tolist(b.eye(2))
        [[1.0, 0.0], [0.0, 1.0]]
        """

    @abstractmethod
    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None) -> Any:
        """0/1 matrix with a single 1 per row at ``idx[row]`` (a deterministic kernel).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").onehot(np.array([2, 0]), 3).tolist()
        [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
        """

    @abstractmethod
    def from_compute(self, arr: Any) -> Any:
        """Storage from a 2-D compute array (the inverse of :meth:`compute`).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.from_compute(b.compute(b.from_entries([["1/2", "1/2"]])) * 2)
        RatMatrix([['1', '1']])
        """

    # arithmetic -----------------------------------------------------------
    @abstractmethod
    def shape(self, M: Any) -> tuple[int, int]:
        """(rows, columns) of a storage matrix.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.shape(b.from_entries([[1, 0, 0], [0, 1, 0]]))
        (2, 3)
        """

    @abstractmethod
    def matmul(self, A: Any, B: Any) -> Any:
        """Matrix product: composition ``>>``.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.matmul(b.from_entries([[0.25, 0.75]]), b.from_entries([[0, 1], [1, 0]])).tolist()
        [[0.75, 0.25]]
        """

    @abstractmethod
    def kron(self, A: Any, B: Any) -> Any:
        """Kronecker product: the tensor ``@`` in row-major flattening.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.kron(b.from_entries([[0.5, 0.5]]), b.from_entries([[0.0, 1.0]])).tolist()
        [[0.0, 0.5, 0.0, 0.5]]
        """

    @abstractmethod
    def take(self, M: Any, rows: np.ndarray | None, cols: np.ndarray | None) -> Any:
        """Select/reorder rows and columns by integer index arrays (``None``: keep all).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> M = b.from_entries([[1, 2], [3, 4]])
        >>> b.take(M, np.array([1, 0]), None).tolist(), b.take(M, None, np.array([1])).tolist()
        ([[3.0, 4.0], [1.0, 2.0]], [[2.0], [4.0]])
        """

    def pushforward(self, M: Any, idx: np.ndarray, ncols: int) -> Any:
        """Compose with the deterministic kernel ``j ↦ idx[j]``: column ``j`` is added into ``idx[j]``.

        The default multiplies by the 0/1 matrix; backends override it with a gather/scatter.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.pushforward(b.from_entries([[0.25, 0.25, 0.5]]), np.array([0, 1, 0]), 2).tolist()
        [[0.75, 0.25]]
        """
        return self.matmul(M, self.onehot(idx, ncols, M))

    def marginal(self, M: Any, sizes: tuple[int, ...], keep: list[int]) -> Any:
        """Keep the column wires ``keep`` (distinct positions, in that order) of a matrix whose columns are
        the wires of sizes ``sizes`` (row-major), summing out the others: a reshape and a sum over axes.

        The default pushes forward along the projection; the backends override it.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.marginal(b.from_entries([[0.1, 0.2, 0.3, 0.4]]), (2, 2), [1]).tolist()
        [[0.4, 0.6000000000000001]]
        """
        grid = np.indices(sizes).reshape(len(sizes), -1) if sizes else np.zeros((0, 1), dtype=np.int64)
        idx = np.zeros(grid.shape[1], dtype=np.int64)
        for j in keep:
            idx = idx * sizes[j] + grid[j]
        return self.pushforward(M, idx, int(np.prod([sizes[j] for j in keep])))

    @abstractmethod
    def compute(self, M: Any) -> Any:
        """A 2-D compute array (see the module docstring).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.compute(b.from_entries([["1/2", "1/2"]]))
        array([[Fraction(1, 2), Fraction(1, 2)]], dtype=object)
        """

    # comparison, conversion, display ---------------------------------------
    @abstractmethod
    def equal(self, A: Any, B: Any) -> bool:
        """Exact equality of entries (simplified first on symbolic backends).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> half = b.from_entries([["1/2"]])
        >>> b.equal(b.from_entries([["2/4"]]), half), b.equal(b.from_entries([["1/3"]]), half)
        (True, False)
        """

    @abstractmethod
    def allclose(self, A: Any, B: Any, tol: float) -> bool:
        """Entrywise ``|a - b| <= tol`` (``False`` when the shapes differ).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> A, B = b.from_entries([[0.5, 0.5]]), b.from_entries([[0.5001, 0.4999]])
        >>> b.allclose(A, B, 1e-3), b.allclose(A, B, 1e-6)
        (True, False)
        """

    @abstractmethod
    def tolist(self, M: Any) -> list[list[Any]]:
        """Entries as nested Python lists (Fractions, sympy expressions or floats).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.tolist(b.from_entries([[1, 0], ["1/3", "2/3"]]))
        [[Fraction(1, 1), Fraction(0, 1)], [Fraction(1, 3), Fraction(2, 3)]]
        """

    @abstractmethod
    def to_numpy(self, M: Any) -> np.ndarray:
        """Entries as a float64 numpy array (a lossy conversion for exact backends).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.to_numpy(b.from_entries([["1/4", "3/4"]]))
        array([[0.25, 0.75]])
        """

    def fmt(self, x: Any) -> str:
        """Short text for one entry (float backends: 6 significant digits).

        >>> from catkit.backends import get_backend
        >>> from fractions import Fraction
        >>> get_backend("exact").fmt(Fraction(1, 3)), get_backend("numpy").fmt(1 / 3)
        ('1/3', '0.333333')
        >>> get_backend("exact").fmt(Fraction(10**5000))  # never Python's 4300-digit error
        '<an integer of about 5001 digits>'
        """
        from catkit.parse import safe_str

        return safe_str(x)

    @abstractmethod
    def violation(
        self, M: Any, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None
    ) -> Violation | None:
        """First row breaking: entries >= 0 (``nonneg``), finite, 0/1 (``zero_one``),
        row sums ``== 1`` (``rowsum="eq"``) or ``<= 1`` (``rowsum="le"``); ``None`` if every row passes.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> M = b.from_entries([[1, 0], ["1/2", "3/5"]])
        >>> b.violation(M, nonneg=True, rowsum="eq", zero_one=False, tol=None)
        Violation(row=1, reason='sums to 11/10, not 1')
        >>> b.violation(M, nonneg=True, rowsum="none", zero_one=False, tol=None) is None
        True
        """

    def default_tol(self, M: Any) -> float:
        """Tolerance used for float row sums when the user gives none (0 on exact backends).

        >>> from catkit.backends import get_backend
        >>> get_backend("exact").default_tol(None), get_backend("numpy").default_tol(np.ones((2, 4)))
        (0.0, 1e-09)
        """
        return 0.0

    def describe(self, M: Any) -> str:
        """Backend name with dtype/device where relevant (for reprs and errors).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.describe(b.eye(2))
        'exact'
        """
        return self.name

    def compatible(self, A: Any, B: Any) -> str | None:
        """``None`` if A and B may be combined, else a reason (device/dtype mismatch).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.compatible(b.eye(1), b.eye(2)) is None  # exact matrices always combine
        True
        """
        return None

    # --- resource and ownership hooks (catkit.limits) ---------------------------
    def entry_bytes(self, M: Any = None) -> int:
        """Bytes one entry costs, storage and working copies together (for the memory budget).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").entry_bytes(), get_backend("exact").entry_bytes()
        (10, 16)
        """
        return 16

    def full(self, rows: int, cols: int, value: Any, **options: Any) -> Any:
        """A ``rows × cols`` matrix with every entry ``value`` (an exact rational; float backends round it once),
        built without a Python list per entry.

        >>> from fractions import Fraction
        >>> from catkit.backends import get_backend
        >>> get_backend("exact").full(1, 2, Fraction(1, 2))
        RatMatrix([['1/2', '1/2']])
        """
        return self.from_entries([[value] * cols for _ in range(rows)], **options)

    def adopt(self, M: Any) -> Any:
        """Storage for a kernel from a native matrix the caller passed in: a copy unless ``M`` cannot change
        (so that mutating the caller's array afterwards does not change the kernel).

        >>> from catkit.backends import get_backend
        >>> a = np.array([[0.5, 0.5]])
        >>> m = get_backend("numpy").adopt(a); a[0, 0] = 9.0
        >>> m.tolist()
        [[0.5, 0.5]]
        """
        return M

    def readonly(self, M: Any) -> Any:
        """Make storage immutable where the array library allows it (returns it).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").readonly(np.zeros(2)).flags.writeable
        False
        """
        return M
