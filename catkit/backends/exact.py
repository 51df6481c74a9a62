"""Exact rational backend: row-normalised integer matrices.

A :class:`RatMatrix` stores row ``i`` as integers ``num[i, :]`` over one
positive denominator ``den[i]``, reduced so that ``gcd(num[i, :], den[i]) == 1``.
This is the natural form of a stochastic matrix (each row is a distribution)
and keeps numbers small: the Kronecker product of two such matrices is again
in this form, and a product only needs the lcm of the right factor's row
denominators.  Integers are numpy int64 while they provably fit (bounds are
checked before every operation) and Python ints (object arrays, multiplied
with python-flint's ``fmpz_mat`` when installed) beyond: arbitrary precision,
never a float.

>>> M = RatMatrix.from_rows([[Fraction(1, 2), Fraction(1, 2)], [0, 1]])
>>> M
RatMatrix([['1/2', '1/2'], ['0', '1']])
>>> (M @ M).tolist()
[[Fraction(1, 4), Fraction(3, 4)], [Fraction(0, 1), Fraction(1, 1)]]
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction
from functools import reduce
from numbers import Rational
from typing import Any

import numpy as np

from catkit.backends.base import Backend, Violation
from catkit.backends.object_arrays import ObjectOps
from catkit.errors import KernelValueError
from catkit.parse import parse_rational, safe_str

_flint: Any
try:  # optional acceleration of big-integer products
    import flint as _flint
except ImportError:  # pragma: no cover - the [exact] extra
    _flint = None

__all__ = ["RatMatrix", "ExactBackend", "to_fraction", "exact_violation", "integer_tensor", "integer_dtype", "reduced_rows"]

_LIMIT_BITS = 62  # int64 headroom: |x| < 2**62 keeps sums of two values safe
_new = object.__new__
_FLINT_MAX = 36**3  # products of at most this many scalar multiplications use python-flint's fmpq_mat when installed (measured crossover)


def to_fraction(x: Any) -> Fraction:
    """Convert an exact scalar (int, Fraction, ``"p/q"`` string, numpy int, flint or
    sympy rational) to a :class:`~fractions.Fraction`; refuse floats.

    >>> to_fraction("2/6"), to_fraction(3)
    (Fraction(1, 3), Fraction(3, 1))
    >>> to_fraction(0.5)
    Traceback (most recent call last):
    ...
    catkit.errors.KernelValueError: the exact backend refuses the float 0.5: write Fraction(1, 2) or '1/2' ...
    """
    if isinstance(x, Fraction):
        return x
    if isinstance(x, (bool, np.bool_)):
        return Fraction(int(x))
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x))
    if isinstance(x, str):  # the one strict reader: no eval, bounded length and exponent
        return parse_rational(x)
    if isinstance(x, Rational):
        return Fraction(int(x.numerator), int(x.denominator))
    if _flint is not None and isinstance(x, _flint.fmpq):
        return Fraction(int(x.p), int(x.q))
    if isinstance(x, (float, np.floating)):
        hint = Fraction(float(x)).limit_denominator(10**6)
        raise KernelValueError(
            f"the exact backend refuses the float {x!r}: write Fraction({hint.numerator}, {hint.denominator}) "
            f"or '{hint}' (exact never turns float, and a float never silently turns exact)"
        )
    try:  # sympy Rational / Integer without importing sympy eagerly
        import sympy

        if isinstance(x, sympy.Basic) and x.is_Rational:
            return Fraction(int(x.p), int(x.q))
    except ImportError:  # pragma: no cover
        pass
    raise KernelValueError(f"the exact backend cannot use {x!r} ({type(x).__name__}) as an exact rational")


def _maxabs(a: np.ndarray) -> int:
    if a.size == 0:
        return 0
    if a.dtype == object:
        return max(abs(int(x)) for x in a.flat)
    return int(np.abs(a).max())


def _fits(*bits: int) -> bool:
    return sum(bits) < _LIMIT_BITS


def _shrink(a: np.ndarray) -> np.ndarray:
    """object -> int64 when every value fits."""
    if a.dtype == object and _maxabs(a).bit_length() < _LIMIT_BITS:
        return a.astype(np.int64)
    return a


def _big(a: np.ndarray) -> np.ndarray:
    return a if a.dtype == object else a.astype(object)


def _int_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact integer matrix product (int64 when provably safe, else Python ints)."""
    return _scaled_matmul(a, b, None)


def _bits(a: np.ndarray) -> int:
    return _maxabs(a).bit_length()


def _scaled_matmul(a: np.ndarray, b: np.ndarray, scale: list[int] | None) -> np.ndarray:
    """``a @ (b * scale[:, None])`` over the integers, exactly.

    Small cases go through float64 BLAS (exact while every partial sum stays below 2**53);
    a big ``scale`` (the lcm of denominators) is split into 24-bit limbs so that the product
    is still a few BLAS calls, and the big integers are assembled once at the end; anything
    else uses python-flint (or Python ints).
    """
    n, k = a.shape
    m = b.shape[1]
    if n == 0 or m == 0 or k == 0:
        return np.zeros((n, m), dtype=np.int64)
    if a.dtype != object and b.dtype != object:
        ab = _bits(a) + _bits(b) + k.bit_length()
        sbits = max(x.bit_length() for x in scale) if scale else 1
        if ab + sbits <= 52:
            bs = b if scale is None else b * np.array(scale, dtype=np.int64)[:, None]
            return np.rint(a.astype(np.float64) @ bs.astype(np.float64)).astype(np.int64)
        if scale is not None and ab <= 52 - 24:
            return _limb_matmul(a, b, scale, sbits)
    bb = b if scale is None else _big(b) * np.array(scale, dtype=object)[:, None]
    if _flint is not None:
        r = _flint.fmpz_mat(n, k, _big(a).ravel().tolist()) * _flint.fmpz_mat(k, m, _big(bb).ravel().tolist())
        out = np.empty((n, m), dtype=object)
        out.flat[:] = [int(x) for x in r.entries()]
        return out
    return _big(a) @ _big(bb)


_W = 24  # limb width in bits (three bytes)


def _limb_matmul(a: np.ndarray, b: np.ndarray, scale: list[int], sbits: int) -> np.ndarray:
    nl = -(-sbits // _W)
    mask = (1 << _W) - 1
    limbs = np.array([[(x >> (_W * i)) & mask for x in scale] for i in range(nl)], dtype=np.float64)  # (nl, k)
    bl = b.astype(np.float64)[None, :, :] * limbs[:, :, None]  # (nl, k, m)
    P = np.rint(a.astype(np.float64)[None] @ bl).astype(np.int64)  # (nl, n, m), exact
    digits = np.empty((nl + 3,) + P.shape[1:], dtype=np.int64)
    carry = np.zeros(P.shape[1:], dtype=np.int64)
    for i in range(nl):
        t = P[i] + carry
        digits[i], carry = t & mask, t >> _W
    for i in range(nl, nl + 3):  # the carry itself, in base 2**24 (it fits in 72 bits)
        digits[i], carry = carry & mask, carry >> _W
    top = carry  # 0 or -1: the sign
    raw = digits.astype("<u4").view(np.uint8).reshape(nl + 3, -1, 4)[:, :, :3]  # 3 little-endian bytes per digit
    buf = np.ascontiguousarray(raw.transpose(1, 0, 2)).reshape(raw.shape[1], -1)
    width = buf.shape[1]
    data = buf.tobytes()
    vals = [int.from_bytes(data[i * width:(i + 1) * width], "little") for i in range(buf.shape[0])]
    if bool((top != 0).any()):
        offset = 1 << (_W * (nl + 3))
        vals = [v - offset if t else v for v, t in zip(vals, top.ravel().tolist())]
    out = np.empty(P.shape[1:], dtype=object)
    out.flat[:] = vals
    return out


class RatMatrix:
    """An immutable 2-D matrix of rationals, row ``i`` being ``num[i] / den[i]``.

    >>> RatMatrix.from_rows([["1/3", "2/3"]]).den.tolist()
    [3]
    """

    __slots__ = ("_num", "_den", "_fq")

    def __init__(self, num: np.ndarray, den: np.ndarray, *, normalise: bool = True) -> None:
        if normalise:
            num, den = _normalise(num, den)
        num.flags.writeable = False
        den.flags.writeable = False
        self._num: np.ndarray | None = num
        self._den: np.ndarray | None = den
        self._fq: Any = None  # the same matrix as a python-flint fmpq_mat, once a small product needed it

    @classmethod
    def _of_flint(cls, fq: Any) -> RatMatrix:
        """A matrix held as a python-flint ``fmpq_mat``; the row-normalised integers are made when first read."""
        m = _new(cls)
        m._num = m._den = None
        m._fq = fq
        return m

    @property
    def num(self) -> np.ndarray:
        """Row numerators ``(rows, cols)``: int64, or Python ints (object) when they do not fit.

        >>> RatMatrix.from_rows([["1/2", "1/4"]]).num.tolist()
        [[2, 1]]
        """
        if self._num is None:
            self._materialise()
        assert self._num is not None
        return self._num

    @property
    def den(self) -> np.ndarray:
        """Row denominators ``(rows,)``, positive, with ``gcd(num[i, :], den[i]) == 1``.

        >>> RatMatrix.from_rows([["1/2", "1/4"]]).den.tolist()
        [4]
        """
        if self._den is None:
            self._materialise()
        assert self._den is not None
        return self._den

    def _materialise(self) -> None:
        nz, d = self._fq.numer_denom()  # one denominator for the whole matrix, then reduced row by row
        rows, cols = self._fq.nrows(), self._fq.ncols()
        num = np.empty((rows, cols), dtype=object)
        if num.size:
            num.reshape(-1)[:] = [int(x) for x in nz.entries()]
        den = np.empty(rows, dtype=object)
        den[:] = [int(d)] * rows
        num, den = _normalise(_shrink(num), _shrink(den))
        num.flags.writeable = False
        den.flags.writeable = False
        self._num, self._den = num, den

    def __reduce__(self) -> tuple[Any, ...]:  # the integers, never the python-flint matrix (it does not pickle)
        return (RatMatrix, (self.num, self.den))

    def _flint_matrix(self) -> Any:
        if self._fq is None:
            num, den = self.num, self.den
            d = den.tolist()
            self._fq = _flint.fmpq_mat(*num.shape, [_flint.fmpq(x, d[i]) for i, r in enumerate(num.tolist()) for x in r])
        return self._fq

    @classmethod
    def from_rows(cls, rows: Any) -> RatMatrix:
        """From a 2-D nested sequence of exact scalars (see :func:`to_fraction`).

        >>> RatMatrix.from_rows([[1, 0], ["1/2", "1/2"]]).tolist()[1]
        [Fraction(1, 2), Fraction(1, 2)]
        """
        fr = [[to_fraction(x) for x in row] for row in rows]
        ncols = len(fr[0]) if fr else 0
        if any(len(r) != ncols for r in fr):
            raise KernelValueError(f"ragged rows: lengths {[len(r) for r in fr]}")
        dens = [reduce(math.lcm, (x.denominator for x in r), 1) for r in fr]
        num = np.empty((len(fr), ncols), dtype=object)
        for i, (r, d) in enumerate(zip(fr, dens)):
            for j, x in enumerate(r):
                num[i, j] = x.numerator * (d // x.denominator)
        den = np.array(dens, dtype=object).reshape(len(fr))
        return cls(_shrink(num), _shrink(den))

    @classmethod
    def from_fractions(cls, arr: np.ndarray) -> RatMatrix:
        """From a 2-D numpy object array of exact scalars.

        >>> from fractions import Fraction as F
        >>> RatMatrix.from_fractions(np.array([[F(1, 2), F(1, 2)]], dtype=object)).den.tolist()
        [2]
        """
        return cls.from_rows(arr.tolist())

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, columns).

        >>> RatMatrix.from_rows([[1, 0, 0]]).shape
        (1, 3)
        """
        if self._num is None:
            return (self._fq.nrows(), self._fq.ncols())
        return self._num.shape  # type: ignore[return-value]

    def tolist(self) -> list[list[Fraction]]:
        """Entries as Fractions.

        >>> RatMatrix.from_rows([["2/4"]]).tolist()
        [[Fraction(1, 2)]]
        """
        if self._num is None:
            return [[Fraction(int(x.p), int(x.q)) for x in row] for row in self._fq.tolist()]
        return [[Fraction(int(n), int(d)) for n in row] for row, d in zip(self.num.tolist(), self.den.tolist())]

    def fractions(self) -> np.ndarray:
        """Entries as a numpy object array of Fractions (a compute array).

        >>> RatMatrix.from_rows([["1/2", "1/2"]]).fractions().shape
        (1, 2)
        """
        out = np.empty(self.shape, dtype=object)
        if out.size:
            out[...] = self.tolist()
        return out

    def __matmul__(self, other: RatMatrix) -> RatMatrix:
        fa, fb = self._fq, other._fq
        if fa is not None and fb is not None:  # both already held by python-flint (the common case in a chain)
            if fa.nrows() * fa.ncols() * fb.ncols() <= _FLINT_MAX:
                return RatMatrix._of_flint(fa * fb)
        elif _flint is not None:
            (n, k), m = self.shape, other.shape[1]
            if n * k * m <= _FLINT_MAX:  # small: python-flint's product has less overhead
                return RatMatrix._of_flint(self._flint_matrix() * other._flint_matrix())
        if other.den.size and (other.den.dtype != object and bool((other.den == 1).all())):
            num = _int_matmul(self.num, other.num)
            return RatMatrix(num, self.den.copy())
        dens = [int(x) for x in np.unique(other.den)] if other.den.size else [1]
        L = reduce(math.lcm, dens, 1)
        num = _scaled_matmul(self.num, other.num, [L // int(d) for d in other.den.tolist()])
        if self.den.dtype != object and _fits(_maxabs(self.den).bit_length(), L.bit_length()):
            den = self.den * L
        else:
            den = _big(self.den) * L
        return RatMatrix(num, den)

    def kron(self, other: RatMatrix) -> RatMatrix:
        """Kronecker product (exact).

        >>> RatMatrix.from_rows([["1/2", "1/2"]]).kron(RatMatrix.from_rows([[1, 0]])).tolist()[0]
        [Fraction(1, 2), Fraction(0, 1), Fraction(1, 2), Fraction(0, 1)]
        """
        a, b = self.num, other.num
        if a.dtype == object or b.dtype == object or not _fits(_maxabs(a).bit_length(), _maxabs(b).bit_length()):
            a, b = _big(a), _big(b)
        num = np.kron(a, b)
        da, db = self.den, other.den
        if da.dtype == object or db.dtype == object or not _fits(_maxabs(da).bit_length(), _maxabs(db).bit_length()):
            da, db = _big(da), _big(db)
        den = np.outer(da, db).reshape(-1)
        return RatMatrix(num, den)

    def take(self, rows: np.ndarray | None, cols: np.ndarray | None) -> RatMatrix:
        """Rows/columns selected (and reordered) by index arrays; ``None`` keeps all.

        >>> M = RatMatrix.from_rows([[1, 0], ["1/3", "2/3"]])
        >>> M.take(np.array([1]), np.array([1, 0]))
        RatMatrix([['2/3', '1/3']])
        """
        num, den = self.num, self.den
        if rows is not None:
            num, den = num[rows], den[rows]
        if cols is not None:
            num = num[:, cols]
        return RatMatrix(np.array(num), np.array(den))

    def pushforward(self, idx: np.ndarray, ncols: int) -> RatMatrix:
        """Columns added into groups: ``out[:, k] = Σ_{idx[j] = k} self[:, j]`` (exact).

        >>> RatMatrix.from_rows([["1/6", "1/3", "1/2"]]).pushforward(np.array([0, 1, 0]), 2)
        RatMatrix([['2/3', '1/3']])
        """
        from catkit.backends.numpy_float import group_columns

        num = self.num
        if num.dtype != object and not _fits(_maxabs(num).bit_length(), max(num.shape[1], 1).bit_length()):
            num = _big(num)
        return RatMatrix(group_columns(num, idx, ncols), np.array(self.den))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RatMatrix):
            return NotImplemented
        if self._fq is not None and other._fq is not None:
            return bool(self._fq == other._fq)  # both canonical: entrywise equality
        return (
            self.num.shape == other.num.shape
            and bool(np.array_equal(self.den, other.den))
            and bool(np.array_equal(self.num, other.num))
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"RatMatrix({[[str(x) for x in r] for r in self.tolist()]!r})"


def _normalise(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if num.ndim != 2 or den.shape != (num.shape[0],):
        raise KernelValueError(f"a RatMatrix needs a 2-D numerator and one denominator per row; got {num.shape}, {den.shape}")
    if num.shape[0] == 0:
        return num.astype(np.int64), den.astype(np.int64)
    if bool((den <= 0).any()):
        raise KernelValueError("a RatMatrix denominator must be positive")
    if num.dtype == object or den.dtype == object:
        return _normalise_big(num, den)
    if num.shape[1]:
        g = np.gcd(np.gcd.reduce(num, axis=1), den)
    else:
        g = den.copy()
    if not bool((g == 1).all()):
        num = num // g[:, None]
        den = den // g
    return num, den


def _normalise_big(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    rows = num.tolist()
    dens = [int(d) for d in den.tolist()]
    gs = [math.gcd(d, *r) for r, d in zip(rows, dens)]
    if any(g != 1 for g in gs):
        rows = [[x // g for x in r] if g != 1 else r for r, g in zip(rows, gs)]
        dens = [d // g for d, g in zip(dens, gs)]
    biggest = max(dens).bit_length() if dens else 0
    # a row of non-negative entries summing to at most its denominator fits when the denominator does
    if biggest < _LIMIT_BITS and max((abs(x) for r in rows for x in r), default=0).bit_length() < _LIMIT_BITS:
        return np.array(rows, dtype=np.int64).reshape(num.shape), np.array(dens, dtype=np.int64)
    out = np.empty(num.shape, dtype=object)
    if out.size:
        out[...] = rows
    d = np.empty(len(dens), dtype=object)
    d[:] = dens
    return out, d


class ExactBackend(Backend):
    """Exact rationals (arbitrary precision), stored as :class:`RatMatrix`.

    >>> from catkit.backends import get_backend
    >>> b = get_backend("exact")
    >>> b.tolist(b.kron(b.eye(1), b.from_entries([["1/2", "1/2"]])))
    [[Fraction(1, 2), Fraction(1, 2)]]
    """

    name = "exact"
    exact = True
    ops = ObjectOps()

    def from_entries(self, rows: Any, **options: Any) -> RatMatrix:
        """A :class:`RatMatrix` from ints, Fractions or ``"p/q"`` strings; floats are refused.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> b.from_entries([[1, 0], ["2/6", "2/3"]])
        RatMatrix([['1', '0'], ['1/3', '2/3']])
        >>> b.from_entries([[0.5, 0.5]])
        Traceback (most recent call last):
        ...
        catkit.errors.KernelValueError: the exact backend refuses the float 0.5: write Fraction(1, 2) or '1/2' ...
        """
        if isinstance(rows, RatMatrix):
            return rows
        if isinstance(rows, np.ndarray):
            if rows.dtype.kind == "f":
                bad = rows.flat[0] if rows.size else rows
                to_fraction(float(bad))  # raises with the hint
            if rows.dtype.kind in "iub":
                return RatMatrix(rows.astype(np.int64), np.ones(rows.shape[0], dtype=np.int64))
            rows = rows.tolist()
        return RatMatrix.from_rows(rows)

    def native(self, data: Any) -> bool:
        return isinstance(data, RatMatrix)

    def as_table(self, data: RatMatrix, rows: int, cols: int) -> RatMatrix:
        return data  # already a matrix (a RatMatrix has no other shape)

    def entry_bytes(self, M: Any = None) -> int:
        return 16 if M is None or M.num.dtype != object else 64  # int64 numerators and working copies

    def full(self, rows: int, cols: int, value: Any, **options: Any) -> RatMatrix:
        v = to_fraction(value)
        num = np.full((rows, cols), v.numerator, dtype=object if abs(v.numerator).bit_length() >= _LIMIT_BITS else np.int64)
        den = np.full(rows, v.denominator, dtype=object if v.denominator.bit_length() >= _LIMIT_BITS else np.int64)
        return RatMatrix(num, den, normalise=False)


    def eye(self, n: int, like: Any = None, **options: Any) -> RatMatrix:
        return RatMatrix(np.eye(n, dtype=np.int64), np.ones(n, dtype=np.int64), normalise=False)

    def onehot(self, idx: np.ndarray, ncols: int, like: Any = None, **options: Any) -> RatMatrix:
        num = np.zeros((len(idx), ncols), dtype=np.int64)
        num[np.arange(len(idx)), idx] = 1
        return RatMatrix(num, np.ones(len(idx), dtype=np.int64), normalise=False)

    def from_compute(self, arr: Any) -> RatMatrix:
        if isinstance(arr, RatMatrix):
            return arr
        return RatMatrix.from_rows(np.asarray(arr, dtype=object).tolist())

    def shape(self, M: RatMatrix) -> tuple[int, int]:
        return M.shape

    def matmul(self, A: RatMatrix, B: RatMatrix) -> RatMatrix:
        return A @ B

    def kron(self, A: RatMatrix, B: RatMatrix) -> RatMatrix:
        return A.kron(B)

    def take(self, M: RatMatrix, rows: np.ndarray | None, cols: np.ndarray | None) -> RatMatrix:
        return M.take(rows, cols)

    def pushforward(self, M: RatMatrix, idx: np.ndarray, ncols: int) -> RatMatrix:
        return M.pushforward(idx, ncols)

    def marginal(self, M: RatMatrix, sizes: tuple[int, ...], keep: list[int]) -> RatMatrix:
        from catkit.backends.numpy_float import keep_axes

        num = M.num
        if num.dtype != object and not _fits(_maxabs(num).bit_length(), max(num.shape[1], 1).bit_length()):
            num = _big(num)
        return RatMatrix(np.ascontiguousarray(keep_axes(num, sizes, keep)), np.array(M.den))

    def compute(self, M: RatMatrix) -> np.ndarray:
        return M.fractions()

    def equal(self, A: RatMatrix, B: RatMatrix) -> bool:
        return A == B

    def allclose(self, A: RatMatrix, B: RatMatrix, tol: float) -> bool:
        """Entrywise ``|a - b| <= tol``, computed exactly (``tol`` may be a Fraction).

        >>> from catkit.backends import get_backend
        >>> from fractions import Fraction
        >>> b = get_backend("exact")
        >>> A, B = b.from_entries([["1/3", "2/3"]]), b.from_entries([["33/100", "67/100"]])
        >>> b.allclose(A, B, Fraction(1, 300)), b.allclose(A, B, Fraction(1, 301))
        (True, False)
        """
        t = Fraction(tol) if not isinstance(tol, Fraction) else tol
        return all(abs(a - b) <= t for ra, rb in zip(A.tolist(), B.tolist()) for a, b in zip(ra, rb))

    def tolist(self, M: RatMatrix) -> list[list[Fraction]]:
        return M.tolist()

    def to_numpy(self, M: RatMatrix) -> np.ndarray:
        if M.num.dtype != object and M.den.dtype != object:
            return M.num / M.den[:, None].astype(np.float64)
        return np.array([[float(x) for x in r] for r in M.tolist()], dtype=np.float64).reshape(M.shape)

    def fmt(self, x: Any) -> str:
        return safe_str(x)

    def literal(self, x: Fraction) -> Any:
        return str(x) if x.denominator != 1 else int(x)

    def latex(self, x: Fraction) -> str:
        return str(x.numerator) if x.denominator == 1 else rf"{'-' * (x < 0)}\frac{{{abs(x.numerator)}}}{{{x.denominator}}}"

    def integer_tensor(self, M: RatMatrix, shape: tuple[int, ...]) -> tuple[np.ndarray, int, int]:
        return integer_tensor(M, shape)

    def violation(self, M: RatMatrix, *, nonneg: bool, rowsum: str, zero_one: bool, tol: float | None) -> Violation | None:
        return exact_violation(M, nonneg=nonneg, rowsum=rowsum, zero_one=zero_one)

    def deterministic_rows(self, M: RatMatrix, tol: float) -> np.ndarray:
        num, den = M.num, M.den
        return np.asarray(((num == 0) | (num == den[:, None])).all(axis=1) & ((num != 0).sum(axis=1) == 1), dtype=bool)

    # --- the semantics functor: integer tensors over one denominator each, divided once at the end ----------
    def contraction_operand(self, M: RatMatrix, shape: tuple[int, ...]) -> tuple[np.ndarray, int, int]:
        """``(integers, denominator, bit bound)``: see :func:`integer_tensor`.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> num, L, bits = b.contraction_operand(b.from_entries([["1/2", "1/2"], ["1/3", "2/3"]]), (2, 2))
        >>> num.tolist(), L, bits
        ([[3, 3], [2, 4]], 6, 3)
        """
        return integer_tensor(M, shape)

    def contraction_inputs(self, operands: list[Any], deltas: Sequence[int], ones: Sequence[int],
                           sizes: Sequence[int], like: Any = None) -> tuple[list[np.ndarray], int]:
        """The integer operands in one integer dtype (int64 when a bound proves every intermediate fits, Python
        ints otherwise), identities and vectors of ones, and the product of the denominators.

        >>> from catkit.backends import get_backend
        >>> b = get_backend("exact")
        >>> arrays, denom = b.contraction_inputs([b.contraction_operand(b.from_entries([["1/2", "1/2"]]), (2,))], [], [], [2])
        >>> [a.tolist() for a in arrays], denom
        ([[1, 1]], 2)
        """
        denom = math.prod(L for _, L, _ in operands)
        dtype = integer_dtype(sum(b for _, _, b in operands), sizes)
        arrays = [a.astype(dtype) for a, _, _ in operands]
        arrays += [np.eye(n, dtype=dtype) for n in deltas] + [np.ones(n, dtype=dtype) for n in ones]
        return (arrays if arrays else [np.ones((), dtype=dtype)]), denom

    def contract(self, run: Any, inputs: tuple[list[np.ndarray], int], rows: int, cols: int) -> RatMatrix:
        arrays, denom = inputs
        res = run(*arrays) if run is not None else arrays[0]
        return reduced_rows(np.asarray(res).reshape(rows, cols), denom)


def exact_violation(M: RatMatrix, *, nonneg: bool, rowsum: str, zero_one: bool) -> Violation | None:
    """The first row of ``M`` breaking a model's rules (see :meth:`~catkit.backends.base.Backend.violation`),
    decided on the row-normalised integers.

    >>> exact_violation(RatMatrix.from_rows([[1, 0], ["1/2", "1/3"]]), nonneg=True, rowsum="eq", zero_one=False)
    Violation(row=1, reason='sums to 5/6, not 1')
    """
    num, den = M.num, M.den
    n = num.shape[0]
    bad = np.zeros(n, dtype=bool)
    reason = {}
    if nonneg and num.size:
        neg = (num < 0).any(axis=1)
        for i in np.flatnonzero(neg & ~bad):
            reason[int(i)] = "has a negative entry"
        bad |= neg
    if zero_one and num.size:
        z = ~((num == 0) | (num == den[:, None])).all(axis=1)
        for i in np.flatnonzero(z & ~bad):
            reason[int(i)] = "is not 0/1 (FinSet kernels are functions)"
        bad |= z
    if rowsum != "none":
        safe = num if num.dtype == object or _fits(_bits(num), max(num.shape[1], 1).bit_length()) else _big(num)
        sums = safe.sum(axis=1) if num.shape[1] else np.zeros(n, dtype=np.int64)
        s = sums != den if rowsum == "eq" else sums > den
        s = np.asarray(s, dtype=bool)
        for i in np.flatnonzero(s & ~bad):
            total = Fraction(int(sums[i]), int(den[i]))
            reason[int(i)] = f"sums to {total}, not 1" if rowsum == "eq" else f"sums to {total} > 1"
        bad |= s
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        return Violation(first, reason[first])
    return None


def integer_tensor(M: RatMatrix, shape: tuple[int, ...]) -> tuple[np.ndarray, int, int]:
    """An exact matrix as integers over one denominator (the lcm of its rows'), reshaped to ``shape``, with a
    bound on the bits of its entries.

    >>> num, L, bits = integer_tensor(RatMatrix.from_rows([["1/2", "1/2"], ["1/3", "2/3"]]), (2, 2))
    >>> num.tolist(), L, bits
    ([[3, 3], [2, 4]], 6, 3)
    """
    den = [int(x) for x in M.den.tolist()]
    L = reduce(math.lcm, den, 1)
    if all(x == L for x in den):
        num = M.num
    else:
        num = M.num.astype(object) * np.array([L // x for x in den], dtype=object)[:, None]
    bits = max(1, int(np.abs(num).max()) if num.size else 1).bit_length()
    return num.reshape(shape), L, bits


def integer_dtype(bits: int, sizes: Iterable[int]) -> Any:
    """``np.int64`` when a contraction of integer tensors provably fits, else ``object`` (Python integers).

    ``bits``: the sum of the operands' bit bounds; ``sizes``: every index size.  Every entry of every
    intermediate is a sum of at most (product of the sizes) products of one entry per operand.

    >>> integer_dtype(20, [2, 3]), integer_dtype(60, [2, 3])
    (<class 'numpy.int64'>, <class 'object'>)
    """
    return np.int64 if bits + sum(max(1, n).bit_length() for n in sizes) < _LIMIT_BITS else object


def reduced_rows(num: np.ndarray, denom: int | Iterable[int]) -> RatMatrix:
    """Rows ``num[i] / denom`` (or ``/ denom[i]``) in lowest terms, as a RatMatrix whose integers stay Python
    ints unless every entry and denominator times the row length provably fits int64 (RatMatrix itself would
    shrink each entry that fits, and its row-sum checks could then overflow).

    >>> reduced_rows(np.array([[2, 4]]), 6)
    RatMatrix([['1/3', '2/3']])
    """
    n, ncols = num.shape[0], max(1, num.shape[1])
    dens = [int(denom)] * n if isinstance(denom, (int, np.integer)) else [int(d) for d in denom]
    if num.dtype == object:  # math.gcd over a row's Python ints is several times faster than np.gcd.reduce
        g = [math.gcd(d, *row) for d, row in zip(dens, num.tolist())]
    else:
        g = [math.gcd(d, int(x)) for d, x in zip(dens, np.gcd.reduce(num, axis=1).tolist() if num.shape[1] else [0] * n)]
    out: np.ndarray = num // np.array(g, dtype=num.dtype)[:, None] if any(x != 1 for x in g) else num
    dens = [d // x for d, x in zip(dens, g)]
    small = (max(dens, default=1) * ncols).bit_length() < _LIMIT_BITS
    if small and (int(np.abs(out).max() if out.size else 0) * ncols).bit_length() < _LIMIT_BITS:
        return RatMatrix(np.ascontiguousarray(out).astype(np.int64), np.array(dens, dtype=np.int64), normalise=False)
    den = np.empty(n, dtype=object)
    den[:] = dens
    return RatMatrix(np.ascontiguousarray(out).astype(object), den, normalise=False)
