"""The backend protocol: how a kernel's matrix is stored and computed with.

A kernel keeps its *flattened* matrix (rows: the domain in row-major order,
columns: the codomain) in a backend-native storage type.  Everything a kernel
does goes through the methods below, so a backend is one module plus its
registration (:func:`catkit.backends.register_backend`; docs/backends.md walks
through one).  ``compute(M)`` gives a *compute array* (numpy object array of
``Fraction`` for exact, of sympy expressions for sympy, float64 ndarray,
torch tensor) on which higher layers (structure, information) compute with the
backend's :attr:`Backend.ops` (:class:`~catkit.backends.ops.Ops`);
``from_compute`` brings such an array back without changing its kind.

>>> from catkit.backends import get_backend
>>> b = get_backend("exact")
>>> M = b.from_entries([[1, 0], ["1/3", "2/3"]])
>>> b.tolist(b.matmul(M, M))
[[Fraction(1, 1), Fraction(0, 1)], [Fraction(5, 9), Fraction(4, 9)]]
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from catkit.backends.ops import Ops
from catkit.errors import BackendMismatchError, ConversionError

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
    #: any two matrices of this backend combine (no device or dtype to agree on): :meth:`compatible` is
    #: always ``None``, so the hot path of ``>>`` skips calling it.  Set for each subclass from whether it
    #: overrides :meth:`compatible`.
    always_compatible: bool = True
    #: :meth:`integer_tensor` gives integers over a common denominator (set from whether it is overridden)
    integer_tensors: bool = False

    def __reduce__(self) -> tuple[Any, ...]:
        # by name when registered under it (one instance per backend: kernels combine only on the same object);
        # anything else by class and state
        from catkit.backends import BACKENDS

        if BACKENDS.get(self.name) is self:
            return (_registered, (self.name,))
        return (_instance_of, (type(self),), vars(self) or None)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.always_compatible = cls.compatible is Backend.compatible
        if "integer_tensors" not in cls.__dict__:  # unless the class says so itself
            cls.integer_tensors = cls.integer_tensor is not Backend.integer_tensor
    #: the vocabulary of the compute arrays (row primitives, array helpers)
    ops: Ops = Ops()

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
    def eye(self, n: int, like: Any = None, **options: Any) -> Any:
        """Identity matrix of size ``n`` (``like``: a storage matrix to match device/dtype; ``options``: as
        :meth:`from_entries` takes them, when there is no ``like``).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.tolist(b.eye(2))
        [[1.0, 0.0], [0.0, 1.0]]
        """

    @abstractmethod
    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, **options: Any) -> Any:
        """0/1 matrix with a single 1 per row at ``idx[row]`` (a deterministic kernel; ``like``, ``options``:
        as for :meth:`eye`).

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

    def violation(
        self, M: Any, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None
    ) -> Violation | None:
        """First row breaking: entries >= 0 (``nonneg``), finite, 0/1 (``zero_one``),
        row sums ``== 1`` (``rowsum="eq"``) or ``<= 1`` (``rowsum="le"``); ``None`` if every row passes.

        The one row validator of catkit (kernels, sources' parameters, information inputs).  By default an
        exact backend's rows are checked as exact rationals (by the exact backend) and a float backend's as
        float64 (within ``tol``, default :meth:`default_tol`); backends override it to check in place.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> M = b.from_entries([[1, 0], ["1/2", "3/5"]])
        >>> b.violation(M, nonneg=True, rowsum="eq", zero_one=False, tol=None)
        Violation(row=1, reason='sums to 11/10, not 1')
        >>> b.violation(M, nonneg=True, rowsum="none", zero_one=False, tol=None) is None
        True
        """
        if self.exact:
            from catkit.backends.exact import RatMatrix, exact_violation

            return exact_violation(RatMatrix.from_rows(self.tolist(M)), nonneg=nonneg, rowsum=rowsum, zero_one=zero_one)
        from catkit.backends.numpy_float import float_violation

        return float_violation(self.to_numpy(M), nonneg=nonneg, rowsum=rowsum, zero_one=zero_one,
                               tol=self.default_tol(M) if tol is None else tol)

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

    # --- conversion between backends (Kernel.to asks the target backend) ---------
    def convert(self, M: Any, src: Backend, **options: Any) -> Any:
        """This backend's storage for the matrix ``M`` stored by ``src`` (``options``: as :meth:`from_entries`
        takes them).  Exact targets take exact entries only: floats are never rationalised silently; a float
        target rounds exact entries once (that conversion is what was asked for).

        >>> from catkit.backends import get_backend
        >>> e, n = get_backend("exact"), get_backend("numpy")
        >>> n.convert(e.from_entries([["1/4", "3/4"]]), e).tolist()
        [[0.25, 0.75]]
        >>> e.convert(n.from_entries([[0.25, 0.75]]), n)
        Traceback (most recent call last):
        ...
        catkit.errors.BackendMismatchError: cannot convert a numpy kernel to exact: floats are never rationalised silently; ...
        """
        if src is self:
            return M
        if self.exact:
            if not src.exact:
                raise BackendMismatchError(
                    f"cannot convert a {src.name} kernel to {self.name}: floats are never rationalised silently; "
                    "build the exact kernel from Fractions"
                )
            return self.from_entries(src.tolist(M), **options)  # raises for entries that do not fit (e.g. symbols)
        return self.from_entries(src.to_numpy(M), **options)

    def embed(self, M: Any, src: Backend) -> Any | None:
        """This backend's storage for ``src``'s matrix ``M`` when ``src``'s values embed here losslessly, so that
        kernels of both backends combine without a conversion being asked for (exact rationals into sympy
        expressions); ``None`` otherwise (the default).

        >>> from catkit.backends import get_backend
        >>> e, s = get_backend("exact"), get_backend("sympy")
        >>> s.embed(e.from_entries([["1/2", "1/2"]]), e).tolist(), e.embed(s.from_entries([[1]]), s)
        ([[1/2, 1/2]], None)
        """
        return None

    def placement(self, M: Any) -> dict[str, Any]:
        """The :meth:`from_entries` options that put a new matrix where ``M`` is (device and dtype for torch),
        so that ``kernel.to(backend, **backend.placement(M))`` combines with ``M``; ``{}`` by default.

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").placement(np.eye(2))
        {}
        """
        return {}

    def as_table(self, data: Any, rows: int, cols: int) -> Any:
        """Input data of this backend's native type (:meth:`native`) as a ``rows × cols`` table for
        :meth:`from_entries` (checked before any value is read).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").as_table(np.zeros((2, 2, 1)), 1, 4).shape
        (1, 4)
        """
        return data.reshape(rows, cols)

    def host(self, M: Any, copy: bool | None = None) -> np.ndarray:
        """The entries as a float numpy array in host memory for ``np.asarray(kernel, dtype=float)``: the storage
        itself where it is one (float backends), else a conversion; ``copy=False`` raises ``ValueError``
        where the array must be copied across devices.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.host(b.from_entries([["1/4", "3/4"]]))
        array([[0.25, 0.75]])
        """
        return self.to_numpy(M)

    def as_numpy(self, M: Any, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        """``np.asarray(kernel, dtype, copy=copy)`` of the matrix ``M``, never rounded unasked: exact entries as an
        object array unless a ``dtype`` is asked for; float storage shared read-only where it can be (see
        :meth:`host`).  ``copy=False`` raises ``ValueError`` where a conversion is needed.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.as_numpy(b.from_entries([["1/4", "3/4"]])), b.as_numpy(b.from_entries([["1/4", "3/4"]]), float)
        (array([[Fraction(1, 4), Fraction(3, 4)]], dtype=object), array([[0.25, 0.75]]))
        >>> b.as_numpy(b.eye(1), copy=False)
        Traceback (most recent call last):
        ...
        catkit.errors.ConversionError: np.asarray(copy=False) of exact entries: they are converted, not shared
        """
        if self.exact and copy is False:  # as Fractions or as floats, exact entries are converted, never shared
            raise ConversionError(f"np.asarray(copy=False) of {self.name} entries: they are converted, not shared")
        if self.exact and (dtype is None or np.dtype(dtype) == object):
            return np.array(self.compute(M), dtype=object)
        out = self.host(M, copy)
        if dtype is not None and out.dtype != np.dtype(dtype):
            if copy is False:
                raise ConversionError(f"np.asarray(copy=False, dtype={np.dtype(dtype)}) of a {out.dtype} kernel needs a conversion")
            out = out.astype(dtype)
        if copy:
            return np.array(out)
        if out.flags.writeable and out.base is not None:  # a view of the storage: keep the kernel immutable
            out = out.view()
            out.flags.writeable = False
        return out

    def dlpack(self, M: Any, **kwargs: Any) -> Any:
        """The DLPack capsule of ``M`` (``torch.as_tensor(kernel)``); exact backends refuse: a tensor would round.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.dlpack(b.eye(1))
        Traceback (most recent call last):
        ...
        catkit.errors.BackendMismatchError: an exact kernel has no tensor without rounding; ...
        """
        article = "an" if self.name[:1] in "aeiou" else "a"
        raise BackendMismatchError(
            f"{article} {self.name} kernel has no tensor without rounding; convert explicitly: "
            "torch.as_tensor(np.asarray(kernel, dtype=float)), or kernel.to('torch')"
        )

    def dlpack_device(self, M: Any) -> tuple[int, int]:
        """The DLPack device of :meth:`dlpack` (``(1, 0)``: the CPU, unless the storage lives elsewhere).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").dlpack_device(np.eye(1))
        (1, 0)
        """
        return (1, 0)

    # --- display -------------------------------------------------------------------
    def literal(self, x: Any) -> Any:
        """A value whose ``repr`` reads back as the entry ``x`` in ``Kernel(...)`` (floats: themselves).

        >>> from fractions import Fraction
        >>> from catkit.backends import get_backend
        >>> get_backend("exact").literal(Fraction(1, 3)), get_backend("exact").literal(Fraction(2)), get_backend("numpy").literal(0.5)
        ('1/3', 2, 0.5)
        """
        return x

    def repr_options(self, M: Any) -> list[str]:
        """Keyword arguments that ``repr(kernel)`` adds so that it reads back as the same storage (torch: dtype, device).

        >>> from catkit.backends import get_backend
        >>> get_backend("numpy").repr_options(np.eye(1))
        []
        """
        return []

    def latex(self, x: Any) -> str:
        r"""One entry in LaTeX (exact: ``\frac``; symbolic: sympy's LaTeX; floats: :meth:`fmt`).

        >>> from fractions import Fraction
        >>> from catkit.backends import get_backend
        >>> print(get_backend("exact").latex(Fraction(-1, 3)), get_backend("numpy").latex(0.25))
        -\frac{1}{3} 0.25
        """
        return self.fmt(x)

    # --- structure -------------------------------------------------------------------
    def deterministic_rows(self, M: Any, tol: float) -> np.ndarray:
        """Whether each row is a point mass (entries 0 or 1, one 1; floats within ``tol``): a boolean vector.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.deterministic_rows(b.from_entries([[1.0, 0.0], [0.5, 0.5], [1e-12, 1.0]]), 1e-9).tolist()
        [True, False, True]
        """
        A, ops = self.compute(M), self.ops
        n = self.shape(M)[0]
        if not self.shape(M)[1]:
            return np.ones(n, dtype=bool)
        z, o = ops.host(ops.zero_mask(A, tol)), ops.host(ops.zero_mask(A - 1, tol))
        return np.asarray((z | o).all(axis=1) & (o.sum(axis=1) == 1), dtype=bool)

    # --- exact elimination over the integers ---------------------------------------
    def integer_tensor(self, M: Any, shape: tuple[int, ...]) -> tuple[np.ndarray, int, int]:
        """``M`` as integers over one common denominator, reshaped to ``shape``: ``(numerators, denominator,
        bits bound)``, for contracting exact tables as integers (Bayesian networks).  Only backends that set
        :attr:`integer_tensors` (by overriding this) have it.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.integer_tensors, get_backend("numpy").integer_tensors
        (True, False)
        >>> num, L, bits = b.integer_tensor(b.from_entries([["1/2", "1/2"], ["1/3", "2/3"]]), (2, 2))
        >>> num.tolist(), L, bits
        ([[3, 3], [2, 4]], 6, 3)
        """
        raise NotImplementedError(f"the {self.name} backend has no integer form (integer_tensors is False)")

    # --- tensor contraction (the semantics functor) ------------------------------
    def contraction_operand(self, M: Any, shape: tuple[int, ...]) -> Any:
        """A kernel's matrix as an operand of a tensor contraction (one axis per wire).

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.contraction_operand(b.eye(4), (2, 2, 2, 2)).shape
        (2, 2, 2, 2)
        """
        return self.compute(M).reshape(shape)

    def contraction_inputs(self, operands: list[Any], deltas: Sequence[int], ones: Sequence[int],
                           sizes: Sequence[int], like: Any = None) -> Any:
        """Everything one evaluation of a contraction needs besides its plan, prepared once per diagram: the
        operands (:meth:`contraction_operand`), an identity matrix of each size in ``deltas`` and a vector of
        ones of each size in ``ones``, in that order (``sizes``: every index size; ``like``: a storage matrix
        whose device and dtype to match).

        >>> from catkit.backends import get_backend
        >>> [a.shape for a in get_backend("numpy").contraction_inputs([], [2], [3], [2, 2, 3])]
        [(2, 2), (3,)]
        """
        arrays = list(operands)
        arrays += [self.compute(self.eye(n, like=like)) for n in deltas]
        arrays += [self.compute(self.onehot(np.zeros(n, dtype=np.int64), 1, like=like)).reshape(n) for n in ones]
        return arrays if arrays else [self.compute(self.eye(1, like=like))]  # no operand at all: the identity on I

    def contract(self, run: Callable[..., Any] | None, inputs: Any, rows: int, cols: int) -> Any:
        """Run a contraction (``run``: the compiled plan, ``None`` when there is nothing to contract) on
        :meth:`contraction_inputs`, as a ``rows × cols`` storage matrix.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("numpy")
        >>> b.contract(None, b.contraction_inputs([], [], [], []), 1, 1).tolist()
        [[1.0]]
        """
        res = run(*inputs) if run is not None else inputs[0]
        return self.from_compute(res.reshape(rows, cols))

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


def _registered(name: str) -> Backend:
    """The registered backend of that name (what an unpickled kernel's backend is)."""
    from catkit.backends import UnknownBackendError, get_backend

    try:
        return get_backend(name)
    except UnknownBackendError:
        raise UnknownBackendError(f"the pickled kernel is on the backend {name!r}, which is not registered here: "
                                  "register_backend(...) it before unpickling") from None


def _instance_of(cls: type[Backend]) -> Backend:
    """A bare instance of a backend class that is not registered by its name (its state is set after)."""
    return cls.__new__(cls)
