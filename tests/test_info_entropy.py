"""Entropies: Shannon, Rényi, Gini–Simpson, conditional, mutual information, block entropies."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
import scipy.stats
import sympy as sp
import torch
from extra_backends import EXACT_BACKENDS
from hypothesis import given

from catkit import Kernel, Wire
from catkit.info import (
    DistributionError,
    ParameterError,
    block_entropies,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    expected_entropy,
    gini_simpson,
    in_bits,
    kl_divergence,
    mutual_information,
    renyi_entropy,
    shannon_entropy,
)
from catkit.info.reals import canonical, equal, to_float
from catkit.testing import stochastic_kernels

bit = Wire(2)


def test_shannon_exact_and_float_agree_with_scipy():
    p = Kernel.state(["1/2", "1/3", "1/6", 0])
    h = shannon_entropy(p)
    assert isinstance(h, sp.Expr) and h == canonical(-sum(x * sp.log(x) for x in [sp.Rational(1, 2), sp.Rational(1, 3), sp.Rational(1, 6)]))
    assert float(h) == pytest.approx(scipy.stats.entropy([0.5, 1 / 3, 1 / 6, 0]))
    rng = np.random.default_rng(1)
    A = rng.random((20, 6))
    A[A < 0.2] = 0
    A[:, 1] += 0.01
    A /= A.sum(1, keepdims=True)
    np.testing.assert_allclose(shannon_entropy(A), scipy.stats.entropy(A, axis=1), rtol=1e-12)
    t = shannon_entropy(torch.tensor(A))
    np.testing.assert_allclose(t.numpy(), scipy.stats.entropy(A, axis=1), rtol=1e-12)


def test_point_masses_have_zero_entropy_of_every_order():
    p = Kernel.state([0, 1, 0])
    for a in [0, F(1, 2), 1, 2, "inf", "-inf", -1]:
        assert renyi_entropy(p, a) == 0, a
    assert shannon_entropy(p) == 0 and gini_simpson(p) == 0


def test_uniform_has_log_n_for_every_order():
    u = Kernel.uniform(Wire(6))
    for a in [0, F(1, 2), 1, 2, 3, "inf", -2, "-inf"]:
        assert equal(renyi_entropy(u, a), sp.log(6)), a


@given(stochastic_kernels((), Wire(4)))
def test_renyi_entropy_is_non_increasing_in_the_order(p):
    orders = ["-inf", -1, 0, F(1, 2), 1, 2, 3, "inf"]
    vals = [to_float(renyi_entropy(p, a)) for a in orders]
    assert all(a >= b - 1e-12 for a, b in zip(vals, vals[1:]))


def test_renyi_limits_numerically():
    p = np.array([0.5, 0.3, 0.2, 0.0])
    assert renyi_entropy(p, 1 + 1e-7) == pytest.approx(shannon_entropy(p), rel=1e-5)
    assert renyi_entropy(p, 500.0) == pytest.approx(-math.log(0.5), rel=1e-2)
    assert renyi_entropy(p, 1e-9) == pytest.approx(math.log(3), rel=1e-6)
    assert renyi_entropy(p, -500.0) == pytest.approx(-math.log(0.2), rel=1e-2)


def test_gini_simpson_is_a_fraction():
    v = gini_simpson(Kernel([["1/2", "1/2"], ["1/3", "2/3"]]))
    assert v.tolist() == [F(1, 2), F(4, 9)] and all(type(x) is F for x in v)
    assert gini_simpson(np.array([0.5, 0.5])) == 0.5


def test_cross_entropy_is_entropy_plus_kl():
    p, q = Kernel.state(["1/2", "1/4", "1/4"]), Kernel.state(["1/3", "1/3", "1/3"])
    assert equal(cross_entropy(p, q), shannon_entropy(p) + kl_divergence(p, q))
    assert equal(cross_entropy(p, q), sp.log(3))
    assert cross_entropy(q, Kernel.state([1, 0, 0])) == sp.oo


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
def test_conditional_entropy_chain_rule_and_definition(backend):
    psi = Kernel.state([["1/2", 0], ["1/8", "3/8"]], bit @ bit).to(backend)
    # H(Y|X) = Σ_x p(x) H(Y|X=x): X=0 is a point, X=1 is (1/4, 3/4) with weight 1/2
    by_hand = sp.Rational(1, 2) * shannon_entropy(Kernel.state(["1/4", "3/4"]))
    assert equal(conditional_entropy(psi, 1, given=0), by_hand)
    assert equal(conditional_entropy(psi, [0, 1]), conditional_entropy(psi, 0) + conditional_entropy(psi, 1, 0))
    f, prior = Kernel([[1, 0], ["1/4", "3/4"]]).to(backend), Kernel.state(["1/2", "1/2"]).to(backend)
    assert equal(expected_entropy(f, prior), by_hand)


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(stochastic_kernels((), bit @ Wire(3)))
def test_mutual_information_is_kl_from_the_product(backend, psi):
    psi = psi.to(backend)
    product = psi.marginal(0) @ psi.marginal(1)
    assert equal(mutual_information(psi, 0, 1), kl_divergence(psi, product))
    assert equal(mutual_information(psi, 0, 1), mutual_information(psi, 1, 0))
    assert to_float(mutual_information(psi, 0, 1)) >= -1e-12


def test_xor_is_pairwise_independent_but_conditionally_dependent():
    xor = Kernel.from_function(lambda a, b: (a, b, a ^ b), bit @ bit, bit @ bit @ bit)
    psi = Kernel.uniform(bit @ bit) >> xor
    assert mutual_information(psi, 0, 1) == 0 and mutual_information(psi, 0, 2) == 0
    assert conditional_mutual_information(psi, 0, 1, given=2) == sp.log(2)
    assert mutual_information(psi, [0, 1], 2) == sp.log(2)


def test_mutual_information_row_wise_on_kernels_and_floats():
    copy_or_not = Kernel([["1/2", 0, 0, "1/2"], ["1/4", "1/4", "1/4", "1/4"]], Wire(2), bit @ bit)
    assert mutual_information(copy_or_not).tolist() == [sp.log(2), 0]
    np.testing.assert_allclose(mutual_information(copy_or_not.to("numpy")), [math.log(2), 0.0], atol=1e-15)


def test_block_entropies_of_a_markov_chain():
    # a sticky binary chain: stationary (1/2, 1/2), stay with prob 3/4
    step = Kernel([["3/4", "1/4"], ["1/4", "3/4"]])
    law = Kernel.state(["1/2", "1/2"])
    for _ in range(3):
        law = law >> (Kernel.id(law.cod[:-1]) @ _last(step))
    hs = block_entropies(law)
    assert len(hs) == 4
    diffs = [hs[0]] + [b - a for a, b in zip(hs, hs[1:])]
    h_step = shannon_entropy(Kernel.state(["3/4", "1/4"]))
    assert equal(diffs[0], sp.log(2)) and all(equal(d, h_step) for d in diffs[1:])  # the entropy rate, from k = 2 on


def _last(step):
    """id on the last wire followed by one step, keeping it: x ↦ (x, y), y ~ step(x)."""
    X = step.dom
    return Kernel.copy(X) >> (Kernel.id(X) @ step)


def test_in_bits():
    assert in_bits(shannon_entropy(Kernel.uniform(Wire(4)))) == 2
    assert in_bits(math.log(8)) == pytest.approx(3.0)


def test_joint_quantities_need_wires():
    with pytest.raises(DistributionError, match="needs a Kernel"):
        mutual_information(np.array([[0.5, 0.0], [0.0, 0.5]]))
    psi = Kernel.uniform(bit @ bit)
    with pytest.raises(DistributionError, match="wire position 2"):
        conditional_entropy(psi, 2)
    with pytest.raises(DistributionError, match="overlap"):
        conditional_mutual_information(psi, 0, 0, 1)
    with pytest.raises(ParameterError, match="alpha"):
        renyi_entropy(psi, float("nan"))


# ---------------------------------------------------------------------- arrays of rows (sources, lm)
def test_row_functions_agree_with_scipy_on_numpy_torch_and_exact_rows():
    from catkit.info.entropy import cross_entropy_of_rows, entropy_of_rows, kl_of_rows

    rng = np.random.default_rng(7)
    P = rng.dirichlet(np.ones(5), size=(3, 4))
    Q = rng.dirichlet(np.ones(5), size=(3, 4))
    P[0, 0, :2] = 0.0
    P[0, 0] /= P[0, 0].sum()
    H, X, D = scipy.stats.entropy(P, axis=-1), scipy.stats.entropy(P, axis=-1) + scipy.stats.entropy(P, Q, axis=-1), scipy.stats.entropy(P, Q, axis=-1)
    assert entropy_of_rows(P).shape == (3, 4) and np.allclose(entropy_of_rows(P), H, rtol=1e-13, atol=0)
    assert np.allclose(cross_entropy_of_rows(P, Q), X, rtol=1e-13) and np.allclose(kl_of_rows(P, Q), D, rtol=1e-12, atol=1e-15)
    with np.errstate(divide="ignore"):
        LP, LQ = np.log(P), np.log(Q)
    assert np.allclose(entropy_of_rows(P, log_P=LP), H, rtol=1e-13) and np.allclose(cross_entropy_of_rows(P, log_Q=LQ), X, rtol=1e-13)
    assert np.allclose(kl_of_rows(P, log_P=LP, log_Q=LQ), D, rtol=1e-12, atol=1e-15)
    tP, tQ = torch.from_numpy(P), torch.from_numpy(Q)
    assert torch.allclose(entropy_of_rows(tP), torch.from_numpy(H), rtol=1e-13, atol=0)
    assert torch.allclose(kl_of_rows(tP, log_P=torch.log(tP), log_Q=torch.log(tQ)), torch.from_numpy(D), rtol=1e-12, atol=1e-15)
    assert torch.allclose(cross_entropy_of_rows(tP, tQ), torch.from_numpy(X), rtol=1e-13)
    assert not np.allclose(entropy_of_rows(Q), H)  # the control: other rows, other values
    E = np.array([[F(1, 2), F(1, 4), F(1, 4)], [F(1), F(0), F(0)]], dtype=object)
    assert entropy_of_rows(E).tolist() == shannon_entropy(Kernel(E.tolist())).tolist()
    assert kl_of_rows(E[:1], E[1:]).tolist() == [sp.oo] and cross_entropy_of_rows(E[1:], E[:1]).tolist() == [sp.log(2)]


def test_row_functions_conventions_and_errors():
    from catkit.info.entropy import cross_entropy_of_rows, entropy_of_rows, kl_of_rows

    Z = np.array([[0.0, 0.0], [1.0, 0.0]])
    assert entropy_of_rows(Z).tolist() == [0.0, 0.0]  # a row of mass 0 (a context of probability 0) has entropy 0
    assert kl_of_rows(np.array([[0.5, 0.5]]), np.array([[1.0, 0.0]])).tolist() == [math.inf]
    assert cross_entropy_of_rows(np.array([[0.0, 1.0]]), log_Q=np.array([[-np.inf, 0.0]])).tolist() == [0.0]  # 0 · log 0 = 0
    with pytest.raises(DistributionError, match="one of them"):
        cross_entropy_of_rows(Z, Z, log_Q=Z)
    with pytest.raises(DistributionError, match="log_P and log_Q"):
        kl_of_rows(Z, log_P=Z)
    with pytest.raises(DistributionError, match="different shapes"):
        kl_of_rows(Z, Z[:1])
    with pytest.raises(DistributionError, match="float arrays"):
        entropy_of_rows(np.array([[F(1)]], dtype=object), log_P=np.zeros((1, 1)))
    with pytest.raises(DistributionError, match="numpy array or a torch tensor"):
        entropy_of_rows([[0.5, 0.5]])
