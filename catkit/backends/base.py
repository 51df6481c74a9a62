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
        """Storage matrix from nested Python data (a 2-D list or array)."""

    @abstractmethod
    def native(self, data: Any) -> bool:
        """Whether ``data`` is already this backend's storage or compute type."""

    @abstractmethod
    def eye(self, n: int, like: Any = None) -> Any:
        """Identity matrix of size ``n`` (``like``: a storage matrix to match device/dtype)."""

    @abstractmethod
    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None) -> Any:
        """0/1 matrix with a single 1 per row at ``idx[row]`` (a deterministic kernel)."""

    @abstractmethod
    def from_compute(self, arr: Any) -> Any:
        """Storage from a 2-D compute array."""

    # arithmetic -----------------------------------------------------------
    @abstractmethod
    def shape(self, M: Any) -> tuple[int, int]:
        """(rows, columns) of a storage matrix."""

    @abstractmethod
    def matmul(self, A: Any, B: Any) -> Any:
        """Matrix product: composition ``>>``."""

    @abstractmethod
    def kron(self, A: Any, B: Any) -> Any:
        """Kronecker product: the tensor ``@`` in row-major flattening."""

    @abstractmethod
    def take(self, M: Any, rows: np.ndarray | None, cols: np.ndarray | None) -> Any:
        """Select/reorder rows and columns by integer index arrays."""

    def pushforward(self, M: Any, idx: np.ndarray, ncols: int) -> Any:
        """Compose with the deterministic kernel ``j ↦ idx[j]``: column ``j`` is added into ``idx[j]``.

        The default multiplies by the 0/1 matrix; backends override it with a gather/scatter.
        """
        return self.matmul(M, self.onehot(idx, ncols, M))

    @abstractmethod
    def compute(self, M: Any) -> Any:
        """A 2-D compute array (see the module docstring)."""

    # comparison, conversion, display ---------------------------------------
    @abstractmethod
    def equal(self, A: Any, B: Any) -> bool:
        """Exact equality of entries (simplified first on symbolic backends)."""

    @abstractmethod
    def allclose(self, A: Any, B: Any, tol: float) -> bool:
        """Entrywise ``|a - b| <= tol``."""

    @abstractmethod
    def tolist(self, M: Any) -> list[list[Any]]:
        """Entries as nested Python lists (Fractions, sympy expressions or floats)."""

    @abstractmethod
    def to_numpy(self, M: Any) -> np.ndarray:
        """Entries as a float64 numpy array (a lossy conversion for exact backends)."""

    def fmt(self, x: Any) -> str:
        """Short text for one entry."""
        return str(x)

    @abstractmethod
    def violation(
        self, M: Any, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None
    ) -> Violation | None:
        """First row breaking: entries >= 0 (``nonneg``), finite, 0/1 (``zero_one``),
        row sums ``== 1`` (``rowsum="eq"``) or ``<= 1`` (``rowsum="le"``)."""

    def default_tol(self, M: Any) -> float:
        """Tolerance used for float row sums when the user gives none."""
        return 0.0

    def describe(self, M: Any) -> str:
        """Backend name with dtype/device where relevant (for reprs and errors)."""
        return self.name

    def compatible(self, A: Any, B: Any) -> str | None:
        """``None`` if A and B may be combined, else a reason (device/dtype mismatch)."""
        return None

    def readonly(self, M: Any) -> Any:
        """Make storage immutable where the array library allows it."""
        return M
