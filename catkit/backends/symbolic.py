"""Symbolic backend: sympy expressions in numpy object arrays.

Entries such as ``p`` and ``1 - p`` make a kernel whose laws can be *proved*
for all parameter values at once.  Equality simplifies ``a - b`` before
comparing; row sums must simplify to exactly 1; an entry is rejected as
negative only when sympy can decide that it is (declare symbols
``nonnegative=True`` to help it).

>>> import sympy as sp
>>> from catkit.backends import get_backend
>>> p = sp.Symbol("p")
>>> b = get_backend("sympy")
>>> M = b.from_entries([[p, 1 - p]])
>>> b.tolist(b.matmul(M, b.from_entries([[0, 1], [1, 0]])))
[[1 - p, p]]
"""

from __future__ import annotations

from fractions import Fraction
from numbers import Rational
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.exact import to_fraction
from catkit.backends.object_arrays import ObjectOps
from catkit.errors import KernelValueError
from catkit.parse import EntryParseError, parse_rational, safe_str, short

__all__ = ["SympyBackend", "SympyOps", "is_zero"]


def _sympy() -> Any:
    import sympy

    return sympy


def is_zero(e: Any) -> bool:
    """Whether an expression is identically 0 (after expanding, then simplifying).

    >>> import sympy as sp
    >>> p = sp.Symbol("p")
    >>> is_zero(p * (1 - p) - p + p**2), is_zero(p - 1)
    (True, False)
    """
    sp = _sympy()
    if e == 0:
        return True
    z = sp.expand(e)
    if z == 0:
        return True
    return bool(sp.simplify(z) == 0)


def _entry(sp: Any, x: Any, idx: tuple[int, ...]) -> Any:
    """One entry as a sympy expression, without ever evaluating text."""
    if isinstance(x, sp.Basic):
        if not isinstance(x, sp.Expr):
            raise KernelValueError(f"the sympy backend needs expressions; {safe_str(x)} at {idx} is a {type(x).__name__}")
        return x
    if isinstance(x, (bool, np.bool_, int, np.integer)):
        return sp.Integer(int(x))
    if isinstance(x, (float, np.floating, complex, np.complexfloating)):
        raise KernelValueError(f"the sympy backend refuses the float {x!r} at {idx}: use sympy.Rational or a string like '1/3'")
    if isinstance(x, str):
        try:
            fr = parse_rational(x)
        except EntryParseError as e:
            if e.kind == "syntax":
                raise KernelValueError(
                    f"cannot read {short(x)} at {idx} as a number; symbolic entries must be sympy expressions "
                    "(e.g. p = sympy.Symbol('p'); [[p, 1 - p]]): text is never evaluated"
                ) from None
            raise KernelValueError(f"entry {idx}: {e}") from None
        return sp.Rational(fr.numerator, fr.denominator)
    if isinstance(x, Rational) or type(x).__module__.startswith("flint"):
        fr = to_fraction(x)
        return sp.Rational(fr.numerator, fr.denominator)
    raise KernelValueError(f"the sympy backend cannot use {short(x)} ({type(x).__name__}) at {idx} as an entry")


class SympyOps(ObjectOps):
    """Object arrays of sympy expressions: :class:`~catkit.backends.object_arrays.ObjectOps` whose zero tests
    simplify (an entry is 0 when it is identically 0) and whose numbers are sympy's.

    >>> import sympy as sp
    >>> p = sp.Symbol("p")
    >>> SympyOps().zero_mask(np.array([p * (1 - p) - p + p**2, p], dtype=object)).tolist()
    [True, False]
    """

    def zero_mask(self, a: Any, tol: float = 0.0) -> Any:
        return np.vectorize(is_zero, otypes=[bool])(a) if a.size else np.zeros(a.shape, dtype=bool)

    def number(self, x: Fraction | int) -> Any:
        fx = Fraction(x)
        return _sympy().Rational(fx.numerator, fx.denominator)

    def inverse(self, M: np.ndarray) -> np.ndarray | None:
        sp = _sympy()
        A = sp.Matrix(M.tolist())
        if sp.simplify(A.det()) == 0:
            return None
        return np.array(A.inv().applyfunc(sp.simplify).tolist(), dtype=object).reshape(M.shape)


class SympyBackend(Backend):
    """sympy expressions (numpy object arrays).

    >>> from catkit.backends import get_backend
    >>> get_backend("sympy").symbolic
    True
    """

    name = "sympy"
    exact = True
    symbolic = True
    ops = SympyOps()

    def from_entries(self, rows: Any, **options: Any) -> np.ndarray:
        """An object array of sympy expressions; floats are refused.

        Entries are sympy expressions (build symbols with ``sympy.Symbol``), ints, Fractions, or strings
        holding a *number* (read by :func:`catkit.parse.parse_rational`).  A string is never parsed as an
        expression: ``sympify`` evaluates Python code, so ``"p"`` or ``"1 - p"`` are refused.

        >>> import sympy as sp
        >>> from catkit.backends import get_backend
        >>> p = sp.Symbol("p")
        >>> get_backend("sympy").from_entries([[p, 1 - p], ["1/3", "2/3"]]).tolist()
        [[p, 1 - p], [1/3, 2/3]]
        >>> get_backend("sympy").from_entries([["1 - p", "p"]])
        Traceback (most recent call last):
        ...
        catkit.errors.KernelValueError: cannot read '1 - p' at (0, 0) as a number; symbolic entries must be sympy expressions ...
        """
        sp = _sympy()
        arr = np.asarray(rows, dtype=object)
        if arr.ndim != 2:
            raise KernelValueError(f"expected a 2-D table of entries, got shape {arr.shape}")
        out = np.empty(arr.shape, dtype=object)
        for idx, x in np.ndenumerate(arr):
            out[idx] = _entry(sp, x, idx)
        return out

    def native(self, data: Any) -> bool:
        """Always ``False``: every input goes through :meth:`from_entries` (each entry checked).

        >>> from catkit.backends import get_backend
        >>> get_backend("sympy").native(np.array([[1]], dtype=object))
        False
        """
        return False

    def entry_bytes(self, M: Any = None) -> int:
        return 200  # a pointer to a sympy object of a few hundred bytes

    def eye(self, n: int, like: Any = None, **options: Any) -> np.ndarray:
        sp = _sympy()
        out = np.empty((n, n), dtype=object)
        out[...] = sp.Integer(0)
        for i in range(n):
            out[i, i] = sp.Integer(1)
        return out

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, **options: Any) -> np.ndarray:
        sp = _sympy()
        out = np.empty((len(idx), ncols), dtype=object)
        out[...] = sp.Integer(0)
        for r, c in enumerate(idx):
            out[r, c] = sp.Integer(1)
        return out

    def from_compute(self, arr: Any) -> np.ndarray:
        return self.from_entries(arr)

    def shape(self, M: np.ndarray) -> tuple[int, int]:
        return M.shape  # type: ignore[return-value]

    def matmul(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        """Matrix product with every entry expanded.

        >>> from catkit.backends import get_backend
        >>> import sympy as sp
        >>> b, p = get_backend("sympy"), sp.Symbol("p")
        >>> b.matmul(b.from_entries([[p, 1 - p]]), b.from_entries([[p, 1 - p], [0, 1]])).tolist()
        [[p**2, 1 - p**2]]
        """
        sp = _sympy()
        if A.shape[1] == 0:
            out = np.empty((A.shape[0], B.shape[1]), dtype=object)
            out[...] = sp.Integer(0)
            return out
        return np.vectorize(sp.expand, otypes=[object])(A @ B)

    def kron(self, A: np.ndarray, B: np.ndarray) -> np.ndarray:
        return (A[:, None, :, None] * B[None, :, None, :]).reshape(A.shape[0] * B.shape[0], A.shape[1] * B.shape[1])

    def take(self, M: np.ndarray, rows: np.ndarray | None, cols: np.ndarray | None) -> np.ndarray:
        out = M if rows is None else M[rows]
        return np.array(out if cols is None else out[:, cols])

    def pushforward(self, M: np.ndarray, idx: np.ndarray, ncols: int) -> np.ndarray:
        from catkit.backends.numpy_float import group_columns

        return group_columns(M, idx, ncols)

    def marginal(self, M: np.ndarray, sizes: tuple[int, ...], keep: list[int]) -> np.ndarray:
        from catkit.backends.numpy_float import keep_axes

        return keep_axes(M, sizes, keep)

    def compute(self, M: np.ndarray) -> np.ndarray:
        view = M.view()  # the storage itself, read-only: kernel.matrix must not change the kernel
        view.setflags(write=False)
        return view

    def equal(self, A: np.ndarray, B: np.ndarray) -> bool:
        """Entrywise ``a == b`` or ``a - b`` simplifies to 0 (equal for every value of the symbols).

        >>> from catkit.backends import get_backend
        >>> import sympy as sp
        >>> b, p = get_backend("sympy"), sp.Symbol("p")
        >>> A = b.from_entries([[p * (1 - p)]])
        >>> b.equal(A, b.from_entries([[p - p**2]])), b.equal(A, b.from_entries([[p]]))
        (True, False)
        """
        return A.shape == B.shape and all(a == b or is_zero(a - b) for a, b in zip(A.flat, B.flat))

    def allclose(self, A: np.ndarray, B: np.ndarray, tol: float) -> bool:
        """Entrywise ``|a - b| <= tol``; ``False`` where a difference still has free symbols.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("sympy")
        >>> b.allclose(b.from_entries([["1/3"]]), b.from_entries([["333/1000"]]), 1e-3)
        True
        >>> p = __import__("sympy").Symbol("p")
        >>> b.allclose(b.from_entries([[p]]), b.from_entries([[2 * p]]), 1.0)  # p is unknown
        False
        """
        sp = _sympy()
        if A.shape != B.shape:
            return False
        for a, b in zip(A.flat, B.flat):
            d = sp.simplify(a - b)
            if not d.is_number:
                return False
            if abs(complex(d)) > tol:
                return False
        return True

    def tolist(self, M: np.ndarray) -> list[list[Any]]:
        return M.tolist()

    def to_numpy(self, M: np.ndarray) -> np.ndarray:
        """Entries as float64; an error names the symbols still free.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("sympy")
        >>> b.to_numpy(b.from_entries([["1/4", "3/4"]]))
        array([[0.25, 0.75]])
        >>> p = __import__("sympy").Symbol("p")
        >>> b.to_numpy(b.from_entries([[p, 1 - p]]))
        Traceback (most recent call last):
        ...
        catkit.errors.KernelValueError: cannot turn a symbolic kernel into floats: substitute ['p'] first
        """
        try:
            return M.astype(np.float64)
        except TypeError:
            free = sorted({str(s) for e in M.flat for s in getattr(e, "free_symbols", ())})
            raise KernelValueError(f"cannot turn a symbolic kernel into floats: substitute {free} first") from None

    def embed(self, M: Any, src: Backend) -> np.ndarray | None:
        """Exact rationals embed losslessly into sympy expressions: an exact kernel meets a symbolic one as it is.

        >>> from catkit.backends import get_backend
        >>> e = get_backend("exact")
        >>> get_backend("sympy").embed(e.from_entries([["1/3", "2/3"]]), e).tolist()
        [[1/3, 2/3]]
        """
        return self.from_entries(src.tolist(M)) if src.exact and not src.symbolic else None

    def literal(self, x: Any) -> Any:
        """An entry as it reads back in ``Kernel(...)``: a rational as its string (``'1/3'``, parsed exactly), any
        other expression as Python source whose rational constants cannot turn into floats (``S(1)/2``); it
        evaluates back where sympy's names and the kernel's symbols are defined.

        >>> import sympy as sp
        >>> p = sp.Symbol("p")
        >>> b = SympyBackend()
        >>> b.literal(sp.Rational(1, 3)), b.literal(sp.Integer(2)), b.literal(1 - p), b.literal(p + sp.Rational(1, 2))
        ('1/3', 2, 1 - p, p + S(1)/2)
        >>> eval(repr(b.literal(p + sp.Rational(1, 2))), {"S": sp.S, "p": p}) == p + sp.Rational(1, 2)
        True
        """
        sp = _sympy()
        if isinstance(x, sp.Rational):
            return int(x) if x.q == 1 else str(x)
        return _Source(_printer(sp).doprint(x))

    def latex(self, x: Any) -> str:
        return str(_sympy().latex(x))

    def subs(self, M: np.ndarray, mapping: dict[Any, Any]) -> np.ndarray:
        """Substitute values for symbols (exact values stay exact).

        >>> import sympy as sp
        >>> from catkit.backends import get_backend
        >>> b, p = get_backend("sympy"), sp.Symbol("p")
        >>> b.subs(b.from_entries([[p, 1 - p]]), {p: sp.Rational(1, 3)}).tolist()
        [[1/3, 2/3]]
        """
        return np.vectorize(lambda e: e.subs(mapping), otypes=[object])(M) if M.size else M

    def simplify(self, M: np.ndarray) -> np.ndarray:
        """Entrywise ``sympy.simplify``.

        >>> from catkit.backends import get_backend
        >>> import sympy as sp
        >>> b, p = get_backend("sympy"), sp.Symbol("p")
        >>> b.simplify(b.from_entries([[sp.sin(p)**2 + sp.cos(p)**2, (p**2 - 1) / (p + 1)]])).tolist()
        [[1, p - 1]]
        """
        sp = _sympy()
        return np.vectorize(sp.simplify, otypes=[object])(M) if M.size else M

    def violation(self, M: np.ndarray, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None) -> Violation | None:
        """As :meth:`Backend.violation`, symbolically: a row sum must simplify to 1 (``tol`` is ignored).

        >>> from catkit.backends import get_backend
        >>> import sympy as sp
        >>> b, p = get_backend("sympy"), sp.Symbol("p")
        >>> b.violation(b.from_entries([[p, 1 - p], [p, p]]), nonneg=True, rowsum="eq", zero_one=False, tol=None)
        Violation(row=1, reason='sums to 2*p, not 1')
        """
        sp = _sympy()
        for i, row in enumerate(M):
            for x in row:
                if x.has(sp.nan, sp.oo, -sp.oo, sp.zoo):
                    return Violation(i, "has a NaN or infinite entry")
                if nonneg and x.is_negative:
                    return Violation(i, "has a negative entry")
                if zero_one and not (is_zero(x) or is_zero(x - 1)):
                    return Violation(i, "is not 0/1 (FinSet kernels are functions)")
            s = sp.Add(*row)
            if rowsum == "eq" and not is_zero(s - 1):
                return Violation(i, f"sums to {sp.simplify(s)}, not 1")
            if rowsum == "le":
                d = sp.simplify(s - 1)
                if d.is_positive:
                    return Violation(i, f"sums to {sp.simplify(s)} > 1")
        return None


class _Source:
    """Python source shown as itself in a ``repr`` (a symbolic entry of a kernel's ``repr``)."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


_PRINTER: Any = None


def _printer(sp: Any) -> Any:
    """sympy's str printer, except that a non-integer rational constant prints as ``S(p)/q``: ``p + 1/2`` would
    read back as ``p + 0.5``, a float."""
    global _PRINTER
    if _PRINTER is None:
        class ExactSource(sp.printing.str.StrPrinter):  # type: ignore[misc, name-defined]
            def _print_Rational(self, expr: Any) -> str:
                return str(expr.p) if expr.q == 1 else f"S({expr.p})/{expr.q}"

        _PRINTER = ExactSource()
    return _PRINTER
