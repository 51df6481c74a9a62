"""Exact and float scalars of information theory: certified comparison, zero tests, canonical logarithms.

Values computed by :mod:`catkit.info` are :class:`~fractions.Fraction` (rational
quantities on exact kernels), sympy expressions (logarithmic quantities on exact
or symbolic kernels; ``sympy.oo`` for +∞), Python floats or numpy/torch arrays.
This module compares exact values *soundly*: :func:`sign` never guesses.

* Rationals are compared exactly.
* A real expression is evaluated in certified interval arithmetic (python-flint's
  ``arb`` balls, which are guaranteed to contain the true value) at 64 bits, then at
  twice the precision, and so on: as soon as the ball excludes 0 the sign is certain.
* A ball that keeps containing 0 needs a proof.  A linear combination of logarithms of
  rationals is put in a canonical form over the logarithms of primes (:func:`canonical`);
  logarithms of distinct primes are linearly independent over ℚ and a nonzero rational is
  never the logarithm of an algebraic number (Lindemann), so the value is 0 exactly when its
  canonical form is, and otherwise *known* to be nonzero, so raising the precision must
  eventually separate it from 0.  Other expressions are 0 when sympy proves it by sound
  rewriting (``expand_log`` without ``force``, ``simplify``).  When neither happens up to
  :data:`MAX_PREC` bits, :class:`UndecidedError` says so: two different reals are never
  called equal.
* Floats are compared with a relative tolerance (``tol``, default :data:`FLOAT_TOL`).

How a sign was decided can be recorded with :func:`decisions` (``"exact"`` or
``"interval (N bits)"``), so that a verdict built on it can say so.

>>> import sympy as sp
>>> canonical(sp.log(12) - sp.log(3))
2*log(2)
>>> leq(sp.log(3) / 2, sp.log(2)), equal(sp.log(8), 3 * sp.log(2)), equal(0.1 + 0.2, 0.3)
(True, True, True)
>>> with decisions() as how:
...     _ = sign(sp.log(3) - sp.Rational(11, 10)), sign(sp.log(8) - 3 * sp.log(2))
>>> how.decided_by
'interval (64 bits)'
"""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Real
from typing import Any

import numpy as np
import sympy as sp

from catkit.errors import CatkitError

__all__ = [
    "FLOAT_TOL",
    "START_PREC",
    "MAX_PREC",
    "IncomparableError",
    "UndecidedError",
    "Certified",
    "Decisions",
    "decisions",
    "canonical",
    "is_exact",
    "is_infinite",
    "to_sympy",
    "to_float",
    "to_arb",
    "sign",
    "compare",
    "leq",
    "equal",
    "exact_max",
    "fmt",
]

#: default relative tolerance for comparing floats
FLOAT_TOL = 1e-9
#: the first precision (bits) of a certified evaluation; it doubles until the sign is certain
START_PREC = 64
#: the highest precision tried for a value known to be nonzero before :class:`UndecidedError`
MAX_PREC = 1 << 14
#: the highest precision tried for a value that may be 0 but has no proof
UNKNOWN_PREC = 1 << 10


class IncomparableError(CatkitError, TypeError):
    """Two values cannot be ordered (a free symbol or a NaN).

    >>> issubclass(IncomparableError, TypeError)
    True
    """


class UndecidedError(IncomparableError):
    """The sign of a real could not be certified: its interval kept containing 0 up to :data:`MAX_PREC`
    bits and no exact proof that it is 0 was found.  catkit never rounds such a value to 0.

    >>> issubclass(UndecidedError, IncomparableError)
    True
    """


@dataclass
class Decisions:
    """What the signs decided inside a :func:`decisions` block needed: exact arithmetic only, or
    interval arithmetic up to ``bits``.

    >>> d = Decisions(); d.note(None); d.decided_by
    'exact'
    >>> d.note(128); d.note(64); d.decided_by
    'interval (128 bits)'
    """

    bits: int = 0
    count: int = 0
    _seen: list[int] = field(default_factory=list, repr=False)

    def note(self, bits: int | None) -> None:
        """Record one decision (``None``: exact)."""
        self.count += 1
        if bits:
            self.bits = max(self.bits, bits)

    @property
    def decided_by(self) -> str:
        """``"exact"`` or ``"interval (N bits)"`` (the highest precision any decision needed)."""
        return f"interval ({self.bits} bits)" if self.bits else "exact"


_LOG: contextvars.ContextVar[tuple[Decisions, ...]] = contextvars.ContextVar("catkit_reals_decisions", default=())


@contextlib.contextmanager
def decisions() -> Iterator[Decisions]:
    """Record how every sign computed inside the block was decided (blocks nest: outer ones see inner decisions).

    >>> from fractions import Fraction
    >>> with decisions() as how:
    ...     _ = leq(Fraction(1, 3), Fraction(1, 2))
    >>> how.decided_by, how.count
    ('exact', 1)
    """
    d = Decisions()
    token = _LOG.set(_LOG.get() + (d,))
    try:
        yield d
    finally:
        _LOG.reset(token)


def _note(bits: int | None) -> None:
    for d in _LOG.get():
        d.note(bits)


@dataclass(frozen=True)
class Certified:
    """A real number given by a certified evaluator: ``at(prec)`` returns an ``arb`` ball that contains it.

    ``zero`` is an optional exact test (``True`` iff the number is exactly 0) used when the ball
    keeps containing 0; without it such a number is undecided.  :func:`sign` accepts it.

    >>> from flint import arb
    >>> third = Certified(lambda prec: arb(1) / 3, "1/3")
    >>> sign(third), sign(Certified(lambda prec: arb(0) * arb(1) / 3, "0", zero=lambda: True))
    (1, 0)
    """

    at: Callable[[int], Any]
    label: str = "a certified real"
    zero: Callable[[], bool | None] | None = None

    def __float__(self) -> float:
        return float(_with_prec(START_PREC, self.at).mid())


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


def _with_prec(prec: int, fn: Callable[..., Any], *args: Any) -> Any:
    from flint import ctx

    old = ctx.prec
    ctx.prec = prec
    try:
        return fn(*args) if args else fn(prec)
    finally:
        ctx.prec = old


def to_arb(x: Any, prec: int = START_PREC) -> Any:
    """A certified enclosure (python-flint ``arb`` ball) of an exact real at ``prec`` bits.

    Rationals, ``log``, ``exp``, rational powers and roots, ``acos``, ``Abs``, ``Max``/``Min``, ``pi`` and ``E``
    are evaluated; anything else raises :class:`UndecidedError` (it could not be certified).

    >>> ball = to_arb(sp.log(3) - sp.sqrt(2))
    >>> ball.overlaps(to_arb(sp.log(3), 200) - to_arb(sp.sqrt(2), 200)), float(ball.rad()) < 1e-17
    (True, True)
    """
    if isinstance(x, Certified):
        return _with_prec(prec, x.at)
    return _with_prec(prec, lambda _p: _arb(to_sympy(x) if not isinstance(x, sp.Basic) else x))


def _arb(e: sp.Basic) -> Any:
    from flint import arb, fmpq

    if e.is_Rational:
        return arb(fmpq(int(e.p), int(e.q)))  # type: ignore[attr-defined]
    if e.is_Float:
        r = sp.Rational(e)
        return arb(fmpq(int(r.p), int(r.q)))
    if e is sp.pi:
        return arb.pi()
    if e is sp.E:
        return arb(1).exp()
    if e.is_Add:
        out = arb(0)
        for a in e.args:
            out += _arb(a)
        return out
    if e.is_Mul:
        out = arb(1)
        for a in e.args:
            out *= _arb(a)
        return out
    if e.is_Pow:
        b, k = e.args
        if k.is_Integer:
            return _arb(b) ** int(k)
        if k.is_Rational and int(k.q) == 2:
            return _arb(b).sqrt() ** int(k.p)
        return _arb(b) ** _arb(k)
    f = e.func
    if f is sp.log:
        return _arb(e.args[0]).log()
    if f is sp.exp:
        return _arb(e.args[0]).exp()
    if f is sp.acos:
        return _arb(e.args[0]).acos()
    if f is sp.Abs:
        return abs(_arb(e.args[0]))
    if f in (sp.Max, sp.Min):
        vals = [_arb(a) for a in e.args]
        out = vals[0]
        for v in vals[1:]:
            out = out.max(v) if f is sp.Max else out.min(v)
        return out
    raise UndecidedError(f"no certified evaluation of {f.__name__} in {e}")


def _log_linear(c: sp.Expr) -> bool:
    """Whether a canonical expression is rational + Σ rational · log(prime) (then its zero test is exact)."""
    for t in sp.Add.make_args(c):
        if t.is_Rational:
            continue
        coeff, rest = t.as_coeff_Mul()
        if not (coeff.is_Rational and isinstance(rest, sp.log) and rest.args[0].is_Integer and rest.args[0] > 1):
            return False
    return True


def _proved_zero(d: sp.Expr) -> bool:
    """A sound proof that ``d`` is 0: sympy rewriting that only uses valid identities (no ``force``)."""
    try:
        z = sp.expand_log(d, deep=True)
        return bool(z == 0 or sp.simplify(z) == 0)
    except Exception:  # sympy gives up: no proof
        return False


_X = sp.Symbol("x")


def _is_one(a: sp.Expr) -> bool:
    """Whether an algebraic number is exactly 1 (its minimal polynomial is x − 1)."""
    return bool(sp.minimal_polynomial(a, _X) == _X - 1)


def _zero_test(d: sp.Expr) -> bool | None:
    """Is ``d`` exactly 0?  True / False when it can be decided exactly, None when unknown.

    Decided: a canonical combination of logarithms of rationals (0 iff its canonical form is); an algebraic
    number (0 iff its minimal polynomial is x); ``r + Σ c_i log a_i`` with rational ``r, c_i`` and algebraic
    ``a_i > 0`` (if r ≠ 0 it is nonzero, since e^r is transcendental; if r = 0 it is 0 iff ``Π a_i^(N c_i) = 1``).
    """
    c = canonical(d)
    if c == 0:
        return True
    if _log_linear(c):
        return False  # a nonzero canonical log-linear form is a nonzero real (Lindemann)
    try:
        if not c.has(sp.log) and c.is_algebraic:
            return bool(sp.minimal_polynomial(c, _X) == _X)
        r, logs = sp.Integer(0), []
        for t in sp.Add.make_args(sp.expand(c)):
            coeff, rest = t.as_coeff_Mul()
            if t.is_Rational:
                r += t
            elif coeff.is_Rational and isinstance(rest, sp.log) and rest.args[0].is_algebraic and rest.args[0].is_positive:
                logs.append((coeff, rest.args[0]))
            else:
                return True if _proved_zero(d) else None
        if r != 0:
            return False
        n = sp.ilcm(*[int(k.q) for k, _ in logs]) if logs else 1
        return _is_one(sp.Mul(*[a ** int(k * n) for k, a in logs]))
    except Exception:  # sympy could not finish: no decision
        return True if _proved_zero(d) else None


def _certified_sign(at: Callable[[int], Any], what: Any, zero: Callable[[], bool | None]) -> int:
    """Raise the precision until the ball excludes 0.  When it contains 0, ask ``zero`` once (True: it is 0;
    False: it is known nonzero, so keep going up to :data:`MAX_PREC`; None: unknown, up to :data:`UNKNOWN_PREC`)."""
    known_nonzero, asked = False, False
    prec = START_PREC
    while prec <= (MAX_PREC if known_nonzero or not asked else UNKNOWN_PREC):
        ball = _with_prec(prec, at)
        if ball.is_finite():
            if ball > 0:
                _note(prec)
                return 1
            if ball < 0:
                _note(prec)
                return -1
        if not asked:
            asked, z = True, zero()
            if z:
                _note(None)
                return 0
            known_nonzero = z is False
        prec *= 4 if known_nonzero else 2
    raise UndecidedError(f"cannot decide the sign of {what}: its interval contains 0 at {prec // 2} bits and it is not "
                         "provably 0")


def _sympy_sign(d: sp.Expr) -> int:
    if d == 0:
        _note(None)
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
            _note(None)
            return 0
        raise IncomparableError(f"cannot order {d}: it has free symbols {sorted(map(str, d.free_symbols))}")
    if d.is_Rational:
        _note(None)
        return 1 if d > 0 else -1

    return _certified_sign(lambda prec: _arb(d), d, lambda: _zero_test(d))


def sign(x: Any, tol: float = 0.0) -> int:
    """The sign of a real scalar (−1, 0, 1): certified for exact values (see the module docstring), ``|x| <= tol`` is 0
    for floats.  Raises :class:`UndecidedError` rather than guess.

    >>> sign(sp.log(3) - sp.Rational(11, 10)), sign(sp.log(4) - 2 * sp.log(2)), sign(-1e-12, tol=1e-9)
    (-1, 0, 0)
    >>> sign(665 * sp.log(3) - 1054 * sp.log(2))  # a convergent of log 3 / log 2: about 4e-4
    1
    """
    if isinstance(x, sp.Basic):
        return _sympy_sign(x)
    if isinstance(x, (Fraction, int, np.integer)) and not isinstance(x, bool):
        _note(None)
        return int(x > 0) - int(x < 0)
    if isinstance(x, Certified):
        z = x.zero
        return _certified_sign(x.at, x.label, (lambda: z()) if z is not None else (lambda: None))
    if type(x).__name__ == "arb":
        if x > 0:
            return 1
        if x < 0:
            return -1
        raise UndecidedError(f"the ball {x} contains 0: evaluate at a higher precision (use Certified)")
    v = float(x.item()) if hasattr(x, "item") else float(x)
    if math.isnan(v):
        raise IncomparableError("cannot order NaN")
    if abs(v) <= tol:
        return 0
    return 1 if v > 0 else -1


def _exactly_zero(x: Any) -> bool:
    if isinstance(x, Certified):
        return bool(x.zero and x.zero())
    return bool(x == 0)


def _certified_difference(a: Any, b: Any) -> Certified:
    """``a − b`` as a certified real; it is known to be 0 when both are (their own exact zero tests)."""
    return Certified(lambda prec: to_arb(a, prec) - to_arb(b, prec), f"{_label(a)} − {_label(b)}",
                     lambda: True if _exactly_zero(a) and _exactly_zero(b) else None)


def _label(x: Any) -> str:
    return x.label if isinstance(x, Certified) else str(x)


def compare(a: Any, b: Any, tol: float = FLOAT_TOL) -> int:
    """−1, 0 or 1 as ``a < b``, ``a == b``, ``a > b``.

    Exact values are compared exactly (:func:`sign`); if either value is a float, both are compared
    as floats within the relative tolerance ``tol`` (``|a − b| <= tol·(1 + max(|a|, |b|))``).
    Infinities compare equal to themselves.

    >>> compare(sp.log(2), Fraction(7, 10)), compare(sp.oo, sp.oo), compare(1.0, 1.0 + 1e-12)
    (-1, 0, 0)
    """
    if isinstance(a, Certified) or isinstance(b, Certified):
        if all(isinstance(x, Certified) or is_exact(x) for x in (a, b)):
            if isinstance(a, Certified) and not isinstance(b, Certified) and b == 0:
                return sign(a)  # keeps a's exact zero test
            if isinstance(b, Certified) and not isinstance(a, Certified) and a == 0:
                return -sign(b)
            return sign(_certified_difference(a, b))
        a, b = float(a), float(b)
    if is_infinite(a) or is_infinite(b):
        fa, fb = to_float(a), to_float(b)
        return (fa > fb) - (fa < fb)
    if is_exact(a) and is_exact(b):
        if isinstance(a, (Fraction, int)) and isinstance(b, (Fraction, int)):
            _note(None)
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
    """``a == b``: exact values exactly (certified: never True for two different reals), floats within ``tol``.

    >>> p = sp.Symbol("p", positive=True)
    >>> equal(-p * sp.log(p), p * sp.log(1 / p)), equal(sp.log(6), sp.log(2) + sp.log(3))
    (True, True)
    >>> equal(1054 * sp.log(2), 665 * sp.log(3))
    False
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
