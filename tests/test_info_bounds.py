"""Pinsker-type constants: valid, sharp, and the seed paper's Hellinger constant refuted."""

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.info import KL, Bhattacharyya, ChiSquared, Hellinger, Jeffreys, JensenShannon, ParameterError, Renyi, TotalVariation
from catkit.info.bounds import find_kl_bound_violation, kl_bound, kl_ratio
from catkit.info.reals import leq
from catkit.testing import stochastic_kernels

WITH = [(TotalVariation(), 2), (Hellinger(1), 1), (Hellinger(2), 1), (Hellinger(1, squared=False), 2),
        (Hellinger(2, squared=False), 2), (Bhattacharyya(), 1), (Renyi(0), 1), (Renyi("1/2"), 1), (KL(), 1),
        (JensenShannon(), 1)]


@pytest.mark.parametrize("D,k", WITH, ids=lambda x: getattr(x, "name", str(x)))
@given(data=st.data())
def test_constant_is_valid_exactly(D, k, data):
    p, q = data.draw(stochastic_kernels((), Wire(3))), data.draw(stochastic_kernels((), Wire(3)))
    C = kl_bound(D, k).constant
    assert leq(D(p, q) ** k, C * KL()(p, q))


@pytest.mark.parametrize("D,k", WITH, ids=lambda x: getattr(x, "name", str(x)))
def test_constant_is_sharp(D, k):
    ratio, _, _ = kl_ratio(D, k)
    C = float(kl_bound(D, k).constant)
    assert ratio <= C * (1 + 1e-9) and ratio >= C * 0.99
    assert find_kl_bound_violation(D, k, C) is None
    smaller = F(kl_bound(D, k).constant) * F(9, 10) if not isinstance(kl_bound(D, k).constant, sp.Expr) else 0.9 * C
    v = find_kl_bound_violation(D, k, smaller)
    assert v is not None and not v.holds


def test_the_seed_papers_hellinger_constant_is_refuted():
    d = Hellinger(scale=2, squared=False)  # d_H² = 2(1 − BC), as in the paper
    assert kl_bound(d, 2).constant == 1
    v = find_kl_bound_violation(d, 2, F(1, 2))
    assert v is not None and not v.holds
    # the family p = (1, 0), q = (1 − ε, ε) of MATH/PAPER.md violates C = 1/2 for every ε
    for eps in [F(1, 2), F(1, 10), F(1, 1000)]:
        p, q = Kernel.state([1, 0]), Kernel.state([1 - eps, eps])
        assert not leq(d(p, q) ** 2, F(1, 2) * KL()(p, q))
        assert leq(d(p, q) ** 2, KL()(p, q))
    # with the other normalisation 1/2 is right
    assert find_kl_bound_violation(Hellinger(scale=1, squared=False), 2, F(1, 2)) is None


@pytest.mark.parametrize("D,k", [(Renyi(2), 1), (Jeffreys(), 1), (ChiSquared(), 1)])
def test_no_constant_where_none_exists(D, k):
    assert kl_bound(D, k) is None
    ratio, _, _ = kl_ratio(D, k)
    assert ratio > 100  # large already on the grid (q down to 1e-6); unbounded as q → 0


def test_tv_has_no_linear_constant():
    assert kl_bound(TotalVariation(), 1) is None
    # TV ~ δ while KL ~ 2δ² near the uniform coin: the ratio TV/KL grows like 1/(4δ)
    for k in [4, 8, 12]:
        d = F(1, 2**k)
        p, q = Kernel.state(["1/2", "1/2"]), Kernel.state([F(1, 2) + d, F(1, 2) - d])
        assert not leq(TotalVariation()(p, q), 2**k / 8 * KL()(p, q))


def test_bad_power():
    with pytest.raises(ParameterError, match="positive integer"):
        kl_bound(KL(), 0)
    assert "Pinsker" in str(kl_bound(TotalVariation(), 2))
    assert np.isfinite(kl_ratio(KL(), 1)[0])


@given(data=st.data())
def test_hellinger_and_total_variation_sandwich(data):
    p, q = data.draw(stochastic_kernels((), Wire(3))), data.draw(stochastic_kernels((), Wire(3)))
    tv = TotalVariation()(p, q)
    h1, h2 = Hellinger(1)(p, q), Hellinger(2)(p, q)
    assert leq(h1, tv) and leq(tv, sp.sqrt(2 * h1))  # 1 − BC ≤ TV ≤ √2 d_H  (scale 1)
    assert leq(h2, 2 * tv) and leq(tv, sp.sqrt(h2))  # d_H² ≤ 2 TV, TV ≤ d_H      (scale 2)


def test_with_scale_2_hellinger_squared_exceeds_tv():
    p, q = Kernel.state([1, 0]), Kernel.state([0, 1])
    assert Hellinger(2)(p, q) == 2 and TotalVariation()(p, q) == 1
