"""Exact comparison of information values: canonical logarithms, ordering, tolerance for floats."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
import torch
from hypothesis import given
from hypothesis import strategies as st

from catkit.info.reals import IncomparableError, canonical, compare, equal, exact_max, fmt, is_infinite, leq, sign, to_float

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
