"""Exact comparison of information values: canonical logarithms, ordering, tolerance for floats."""

import math
from fractions import Fraction as F

import mpmath
import numpy as np
import pytest
import sympy as sp
import torch
from flint import arb
from hypothesis import given
from hypothesis import strategies as st

from catkit.info.reals import (
    Certified,
    IncomparableError,
    UndecidedError,
    canonical,
    compare,
    decisions,
    equal,
    exact_max,
    fmt,
    is_infinite,
    leq,
    sign,
    to_arb,
    to_float,
)

rationals = st.fractions(F(1, 30), 30, max_denominator=30)


@given(rationals, rationals)
def test_canonical_logs_decide_equality(a, b):
    x = sp.log(sp.Rational(a.numerator, a.denominator)) + sp.log(sp.Rational(b.numerator, b.denominator))
    y = sp.log(sp.Rational((a * b).numerator, (a * b).denominator))
    assert canonical(x) == canonical(y) and equal(x, y)
    if a != 1:
        assert not equal(x, y + sp.log(sp.Rational(a.numerator, a.denominator)))


def test_ordering_is_exact_even_when_close():
    # log(3)/log(2) is irrational: the rational 1.5849625007211562 is just below, a fraction just above
    close = sp.log(3) - F(1584962500721156, 10**15) * sp.log(2)
    assert sign(close) == 1
    assert sign(sp.sqrt(2) - F(14142135623730951, 10**16)) == -1
    assert compare(sp.log(8), 3 * sp.log(2)) == 0 and compare(sp.oo, sp.log(2)) == 1


def test_floats_use_a_relative_tolerance():
    assert equal(0.1 + 0.2, 0.3) and not equal(1.0, 1.0 + 1e-6)
    assert leq(1.0 + 1e-12, 1.0) and not leq(1.0 + 1e-6, 1.0)
    assert compare(torch.tensor(2.0), 1.0) == 1 and compare(np.float64(1.0), F(1)) == 0
    with pytest.raises(IncomparableError, match="NaN"):
        compare(float("nan"), 0.0)


def test_symbols_need_a_proof():
    p = sp.Symbol("p", positive=True)
    assert equal(p * sp.log(p) - p * sp.log(2 * p), -p * sp.log(2))
    with pytest.raises(IncomparableError, match="free symbols"):
        compare(p, 1)
    assert isinstance(exact_max([p, F(1, 2)]), sp.Max)


def test_helpers():
    assert is_infinite(math.inf) and is_infinite(-sp.oo) and not is_infinite(F(1))
    assert to_float(sp.log(4)) == pytest.approx(math.log(4)) and to_float(sp.oo) == math.inf
    assert exact_max([]) == 0 and exact_max([F(1, 3), sp.log(2) / 2]) == sp.log(2) / 2
    assert fmt(sp.log(2)).startswith("log(2) ≈ 0.693")


# ---------------------------------------------------------------------- certified signs
def convergents(x: sp.Expr, n: int) -> list[tuple[int, int]]:
    """The first n continued-fraction convergents p/q of a positive real (from its 400-digit value)."""
    v = sp.Rational(str(sp.N(x, 400)))
    out, (h0, h1), (k0, k1) = [], (0, 1), (1, 0)
    for _ in range(n):
        a = v.p // v.q
        h0, h1 = h1, a * h1 + h0
        k0, k1 = k1, a * k1 + k0
        out.append((int(h1), int(k1)))
        v = 1 / (v - a)
    return out


def test_near_coincidences_of_logs_are_never_called_equal():
    """q·log 3 vs p·log 2 for the convergents p/q of log 3 / log 2: differences down to ~1e-100 and beyond."""
    cs = [(p, q) for p, q in convergents(sp.log(3) / sp.log(2), 250) if q < 10**150]
    assert cs[-1][1] > 10**100  # q·log 3 − p·log 2 ≈ 1/q < 1e-100: far below any float tolerance
    for p, q in cs:
        d = q * sp.log(3) - p * sp.log(2)
        with mpmath.workdps(600):  # an independent high-precision evaluation (sympy's own `<` gives up here)
            expected = 1 if q * mpmath.log(3) - p * mpmath.log(2) > 0 else -1
        assert sign(d) == expected
        assert not equal(q * sp.log(3), p * sp.log(2))
        assert leq(q * sp.log(3), p * sp.log(2)) != leq(p * sp.log(2), q * sp.log(3))


def test_true_identities_that_need_simplification_are_equal():
    with decisions() as how:
        assert equal(sp.log(8), 3 * sp.log(2))
        assert equal(sp.log(sp.Rational(9, 4)) / 2, sp.log(3) - sp.log(2))
        assert equal(sp.sqrt(8), 2 * sp.sqrt(2))
        assert equal((1 + sp.sqrt(2)) ** 2, 3 + 2 * sp.sqrt(2))
        assert equal(sp.log(sp.exp(sp.Rational(1, 3)) / (1 + sp.exp(2))), sp.Rational(1, 3) - sp.log(1 + sp.exp(2)))
    assert how.decided_by == "exact" and how.count == 5


def test_undecidable_signs_raise_instead_of_guessing(monkeypatch):
    import catkit.info.reals as R

    monkeypatch.setattr(R, "MAX_PREC", 256)
    # cos(1)² + sin(1)² − 1 is 0, but this module cannot evaluate sin/cos in interval arithmetic: no verdict
    with pytest.raises(UndecidedError, match="no certified evaluation"):
        sign(sp.cos(1) ** 2 + sp.sin(1) ** 2 - 1)
    # a ball that keeps containing 0 with no exact zero test
    tiny = Certified(lambda prec: arb(0) * arb(1) / 3, "0 by an evaluator")
    with pytest.raises(UndecidedError, match="cannot decide"):
        sign(tiny)
    assert sign(Certified(lambda prec: arb(1) / 3 - arb(2) ** -200, "1/3 − 2^-200")) == 1


def test_decided_by_records_the_precision():
    p, q = [(p, q) for p, q in convergents(sp.log(3) / sp.log(2), 250) if q < 10**150][-1]
    with decisions() as how:
        sign(q * sp.log(3) - p * sp.log(2))
    bits = int(how.decided_by.split("(")[1].split()[0])
    assert how.decided_by.startswith("interval") and bits >= 512  # ~1e-100 needs well over 64 bits
    with decisions() as how:
        equal(F(1, 3), F(2, 6))
    assert how.decided_by == "exact"
    assert to_arb(sp.log(2), 128).overlaps(arb(2).log())
