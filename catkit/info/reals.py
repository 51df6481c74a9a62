"""Exact and float scalars of information theory: comparison, zero tests, canonical logarithms.

Values computed by :mod:`catkit.info` are :class:`~fractions.Fraction` (rational
quantities on exact kernels), sympy expressions (logarithmic quantities on exact
or symbolic kernels; ``sympy.oo`` for +∞), Python floats or numpy/torch arrays.
This module compares them *exactly* where they are exact:

* a linear combination of logarithms of rationals is put in a canonical form
  (every ``log(r)`` expanded over primes, :func:`canonical`); logarithms of
  distinct primes are linearly independent over ℚ, so two such values are equal
  iff their canonical forms are;
* other real numbers (square roots, logs of algebraic numbers) are ordered by
  evaluating with increasing precision (30, then 120 digits); a difference below
  ``1e-100`` that sympy cannot prove to be zero counts as zero (:data:`ZERO_BELOW`);
* floats are compared with a relative tolerance (``tol``, default :data:`FLOAT_TOL`).

>>> import sympy as sp
>>> canonical(sp.log(12) - sp.log(3))
2*log(2)
>>> leq(sp.log(3) / 2, sp.log(2)), equal(sp.log(8), 3 * sp.log(2)), equal(0.1 + 0.2, 0.3)
(True, True, True)
"""

from __future__ import annotations

import math
from fractions import Fraction
from numbers import Real
from typing import Any

import numpy as np
import sympy as sp

from catkit.errors import CatkitError

__all__ = [
    "FLOAT_TOL",
    "ZERO_BELOW",
    "IncomparableError",
    "canonical",
    "is_exact",
    "is_infinite",
    "to_sympy",
    "to_float",
    "sign",
    "compare",
    "leq",
    "equal",
    "exact_max",
    "fmt",
]

#: default relative tolerance for comparing floats
FLOAT_TOL = 1e-9
#: an exact difference whose value is below this (at 120 digits) but that sympy cannot prove zero counts as zero
ZERO_BELOW = sp.Float("1e-100", 120)


class IncomparableError(CatkitError, TypeError):
    """Two values cannot be ordered (a free symbol or a NaN).

    >>> issubclass(IncomparableError, TypeError)
    True
    """


def is_exact(x: Any) -> bool:
    """Whether ``x`` is an exact scalar (int, Fraction, sympy expression), not a float.

    >>> is_exact(Fraction(1, 2)), is_exact(sp.log(2)), is_exact(0.5)
    (True, True, False)
    """
    if isinstance(x, bool):
        return False
    return isinstance(x, (int, Fraction, np.integer)) or isinstance(x, sp.Basic)


def to_sympy(x: Any) -> sp.Expr:
    """An exact scalar as a sympy expression (floats are refused: exact never turns float).

    >>> to_sympy(Fraction(2, 4)), to_sympy(3)
    (1/2, 3)
    """
    if isinstance(x, sp.Basic):
        return x  # type: ignore[return-value]
    if isinstance(x, Fraction):
        return sp.Rational(x.numerator, x.denominator)
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        return sp.Integer(int(x))
    raise IncomparableError(f"{x!r} ({type(x).__name__}) is not an exact value")


def is_infinite(x: Any) -> bool:
    """Whether ``x`` is +∞ or −∞ (sympy ``oo``, float ``inf``).

    >>> is_infinite(sp.oo), is_infinite(math.inf), is_infinite(Fraction(1))
    (True, True, False)
    """
    if isinstance(x, sp.Basic):
        return x in (sp.oo, -sp.oo)
    if isinstance(x, float):
        return math.isinf(x)
    if hasattr(x, "item") and getattr(x, "ndim", 1) == 0:  # numpy / torch 0-d
        return math.isinf(float(x.item()))
    return False


_SMALL_PRIMES = tuple(int(p) for p in sp.primerange(2, 2**12))
_FULL_FACTOR_BELOW = 2**48  # sympy factors such integers in milliseconds
_PRIMALITY_BELOW = 2**1024  # a cofactor below this is tested for primality (BPSW), above it is kept whole


def _split(n: int) -> tuple[dict[int, int], int]:
    """Primes of ``n`` found cheaply, and the cofactor left (1, a prime, or a large number never factored)."""
    found: dict[int, int] = {}
    if n < _FULL_FACTOR_BELOW:
        return {int(p): int(e) for p, e in sp.factorint(n).items()}, 1
    for p in _SMALL_PRIMES:
        if n % p == 0:
            n, found[p] = _divide_out(n, p)
        if p * p > n:
            break
    if n > 1 and n < _FULL_FACTOR_BELOW:
        for p, e in sp.factorint(n).items():
            found[int(p)] = found.get(int(p), 0) + int(e)
        n = 1
    return found, n


def _coprime_base(nums: list[int]) -> list[int]:
    """A set of pairwise coprime integers > 1 of which every number of ``nums`` is a product of powers
    (factor refinement by gcds only: no factoring)."""
    base: list[int] = []
    todo = [n for n in nums if n > 1]
    while todo:
        x = todo.pop()
        for i, b in enumerate(base):
            g = math.gcd(x, b)
            if g > 1:
                base.pop(i)
                todo.extend(v for v in (g, x // g, b // g) if v > 1)
                break
        else:
            base.append(x)
    return sorted(set(base))


def _divide_out(n: int, d: int) -> tuple[int, int]:
    """``(n / d^e, e)`` with ``e`` the multiplicity of ``d`` in ``n``."""
    e = 0
    while n % d == 0:
        n //= d
        e += 1
    return n, e


def _exponents(n: int, base: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for b in base:
        if n % b == 0:
            n, out[b] = _divide_out(n, b)
    return out


def _log_combination(r: sp.Rational, base: list[int]) -> sp.Expr:
    """log(r) for a positive rational as Σ e_b log(b) over primes and the coprime base of large cofactors."""
    out: sp.Expr = sp.Integer(0)
    for n, s in ((int(r.p), 1), (int(r.q), -1)):
        primes, rest = _split(n)
        for prime, e in primes.items():
            out += s * e * sp.log(sp.Integer(prime), evaluate=False)
        for b, e in _exponents(rest, base).items():
            out += s * e * sp.log(sp.Integer(b), evaluate=False)
    return out


def _large_cofactors(rs: list[sp.Rational]) -> list[int]:
    rest = []
    for r in rs:
        for n in (int(r.p), int(r.q)):
            c = _split(n)[1]
            if c > 1:
                if c < _PRIMALITY_BELOW and sp.isprime(c):
                    rest.append(c)
                    continue
                root, k = _perfect_power(c)
                rest.append(root if k > 1 else c)
    return _coprime_base(rest)


def _perfect_power(n: int) -> tuple[int, int]:
    pp = sp.perfect_power(n)
    return (int(pp[0]), int(pp[1])) if pp else (n, 1)


def canonical(expr: Any) -> Any:
    """Expand every ``log`` of a positive rational over primes and collect terms.

    Linear combinations of logarithms of rationals then have a unique form (logs of
    primes are ℚ-linearly independent), so equal values print equally.  Other values
    are returned unchanged.

    Integers are never factored beyond what is cheap (all primes below 2^12, any number below 2^48):
    a larger cofactor, such as a 60-digit semiprime, is kept whole as ``log(n)``, and the cofactors of one
    expression are refined into a pairwise coprime base by gcds, so the form stays unique (``Σ e_b log b = 0``
    with pairwise coprime ``b > 1`` forces every ``e_b = 0``).  No input can make this slow.

    >>> canonical(sp.Rational(1, 2) * sp.log(sp.Rational(4, 3)) + sp.log(6))
    log(3)/2 + 2*log(2)
    >>> canonical(-sp.log(sp.sqrt(2) / 2))
    log(2)/2
    >>> canonical(Fraction(1, 3))
    Fraction(1, 3)
    >>> p, q = 2**89 - 1, 2**107 - 1                  # two Mersenne primes: their product is never factored
    >>> canonical(sp.log(sp.Integer(4 * p * q)) - sp.log(sp.Integer(p)))
    2*log(2) + log(162259276829213363391578010288127)
    """
    if not isinstance(expr, sp.Basic) or not expr.has(sp.log):
        return expr
    atoms = list(expr.atoms(sp.log))
    rationals = []
    for a in atoms:
        x = a.args[0]
        if x.is_Rational and x > 0:
            rationals.append(x)
        elif x.is_number and (x.is_Mul or x.is_Pow) and x.is_positive:
            rationals += [b.args[0] for b in sp.expand_log(a, force=True).atoms(sp.log) if b.args[0].is_Rational and b.args[0] > 0]
    base = _large_cofactors(rationals)
    reps = {a: _canonical_log(a, base) for a in atoms}
    reps = {a: r for a, r in reps.items() if r is not None}
    if not reps:
        return expr
    return sp.expand(expr.xreplace(reps))


def _canonical_log(a: sp.Expr, base: list[int]) -> sp.Expr | None:
    x = a.args[0]
    if x.is_Rational:
        return _log_combination(x, base) if x > 0 else None
    if x.is_number and (x.is_Mul or x.is_Pow) and x.is_positive:
        # a product of rational powers, e.g. sqrt(2)/2 = 2^(-1/2): log is linear in the factors
        out = sp.expand_log(a, force=True)
        return out.xreplace({b: _log_combination(b.args[0], base) for b in out.atoms(sp.log)
                             if b.args[0].is_Rational and b.args[0] > 0})
    return None


def to_float(x: Any) -> float:
    """A real scalar as a Python float (``oo`` → ``inf``).

    >>> to_float(sp.log(2) / 2), to_float(sp.oo), to_float(Fraction(1, 4))
    (0.34657359027997264, inf, 0.25)
    """
    if isinstance(x, sp.Basic):
        if x.free_symbols:
            raise IncomparableError(f"{x} has free symbols {sorted(map(str, x.free_symbols))}: substitute values first")
        return float(x)
    return float(x)


def _sympy_sign(d: sp.Expr) -> int:
    if d == 0:
        return 0
    if d == sp.oo:
        return 1
    if d == -sp.oo:
        return -1
    if d.has(sp.nan, sp.zoo):
        raise IncomparableError(f"{d} is not a real number")
    if d.free_symbols:
        z = sp.simplify(sp.expand_log(d, force=True))
        if z == 0:
            return 0
        raise IncomparableError(f"cannot order {d}: it has free symbols {sorted(map(str, d.free_symbols))}")
    v = d.evalf(30)
    if v.is_comparable and abs(v) > sp.Float("1e-25"):
        return 1 if v > 0 else -1
    if canonical(d) == 0:
        return 0
    v = d.evalf(120)
    if v.is_comparable and abs(v) > ZERO_BELOW:
        return 1 if v > 0 else -1
    return 0


def sign(x: Any, tol: float = 0.0) -> int:
    """The sign of a real scalar (−1, 0, 1): exact for exact values, ``|x| <= tol`` is 0 for floats.

    >>> sign(sp.log(3) - sp.Rational(11, 10)), sign(sp.log(4) - 2 * sp.log(2)), sign(-1e-12, tol=1e-9)
    (-1, 0, 0)
    """
    if isinstance(x, sp.Basic):
        return _sympy_sign(x)
    if isinstance(x, (Fraction, int, np.integer)):
        return int(x > 0) - int(x < 0)
    v = float(x.item()) if hasattr(x, "item") else float(x)
    if math.isnan(v):
        raise IncomparableError("cannot order NaN")
    if abs(v) <= tol:
        return 0
    return 1 if v > 0 else -1


def compare(a: Any, b: Any, tol: float = FLOAT_TOL) -> int:
    """−1, 0 or 1 as ``a < b``, ``a == b``, ``a > b``.

    Exact values are compared exactly; if either value is a float, both are compared
    as floats within the relative tolerance ``tol`` (``|a − b| <= tol·(1 + max(|a|, |b|))``).
    Infinities compare equal to themselves.

    >>> compare(sp.log(2), Fraction(7, 10)), compare(sp.oo, sp.oo), compare(1.0, 1.0 + 1e-12)
    (-1, 0, 0)
    """
    if is_infinite(a) or is_infinite(b):
        fa, fb = to_float(a), to_float(b)
        return (fa > fb) - (fa < fb)
    if is_exact(a) and is_exact(b):
        if isinstance(a, (Fraction, int)) and isinstance(b, (Fraction, int)):
            return (a > b) - (a < b)
        return sign(to_sympy(a) - to_sympy(b))
    if not isinstance(a, (Real, sp.Basic)) and not hasattr(a, "item"):
        raise IncomparableError(f"cannot compare {a!r} with {b!r}")
    fa, fb = to_float(a), to_float(b)
    if math.isnan(fa) or math.isnan(fb):
        raise IncomparableError(f"cannot order {a!r} and {b!r}: NaN")
    return sign(fa - fb, tol * (1 + max(abs(fa), abs(fb))))


def leq(a: Any, b: Any, tol: float = FLOAT_TOL) -> bool:
    """``a <= b`` (see :func:`compare` for exactness and tolerance).

    >>> leq(Fraction(1, 3), Fraction(1, 3)), leq(sp.log(3), 1)
    (True, False)
    """
    return compare(a, b, tol) <= 0


def equal(a: Any, b: Any, tol: float = FLOAT_TOL) -> bool:
    """``a == b`` exactly for exact values (symbolic ones by simplification), within ``tol`` for floats.

    >>> p = sp.Symbol("p", positive=True)
    >>> equal(-p * sp.log(p), p * sp.log(1 / p)), equal(sp.log(6), sp.log(2) + sp.log(3))
    (True, True)
    """
    return compare(a, b, tol) == 0


def exact_max(values: Any) -> Any:
    """The largest of some exact or float values (``0`` for none: the sup of ∅ in [0, ∞]);
    symbolic values that cannot be ordered give ``sympy.Max``.

    >>> exact_max([sp.log(2), Fraction(7, 10), sp.Rational(1, 2)])
    Fraction(7, 10)
    """
    vals = list(values)
    if not vals:
        return 0
    best = vals[0]
    try:
        for v in vals[1:]:
            if compare(v, best) > 0:
                best = v
    except IncomparableError:
        return sp.Max(*[to_sympy(v) for v in vals])
    return to_sympy(best) if isinstance(best, sp.Basic) else best


def fmt(x: Any, digits: int = 6) -> str:
    """Short text for a value: exact ones with their decimal value.

    >>> fmt(sp.log(2) / 2), fmt(Fraction(1, 3)), fmt(0.125), fmt(sp.oo)
    ('log(2)/2 ≈ 0.346574', '1/3', '0.125', 'oo')
    """
    if isinstance(x, Fraction):
        return str(x)
    if isinstance(x, sp.Basic):
        if x.is_Rational or x in (sp.oo, -sp.oo) or x.free_symbols:
            return str(x)
        return f"{x} ≈ {float(x):.{digits}g}"
    try:
        return f"{to_float(x):.{digits}g}"
    except (TypeError, ValueError):
        return str(x)
