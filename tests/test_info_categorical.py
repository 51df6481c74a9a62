"""Categorical entropy and mutual information: closed forms against the definition, on every backend."""

import math
import tracemalloc
from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
import torch
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.info import (
    KL,
    Bhattacharyya,
    ChiSquared,
    DistributionError,
    Divergence,
    FDivergence,
    Hellinger,
    Jeffreys,
    JensenShannon,
    ParameterError,
    Renyi,
    TotalVariation,
    categorical_entropy,
    categorical_mutual_information,
    gini_simpson,
    mutual_information,
    renyi_entropy,
    shannon_entropy,
)
from catkit.info.reals import equal, to_float
from catkit.testing import stochastic_kernels

ALL = [KL(), TotalVariation(), Hellinger(), Hellinger(2), Hellinger(squared=False), Bhattacharyya(), Renyi(0), Renyi("1/2"),
       Renyi(2), Renyi(3), Renyi("inf"), JensenShannon(), Jeffreys(), ChiSquared(),
       FDivergence(lambda t: -sp.log(t), "reverse KL"), FDivergence(lambda t: (t - 1) ** 4, "quartic")]


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@pytest.mark.parametrize("D", ALL, ids=lambda d: d.name)
@given(f=stochastic_kernels(Wire(2), Wire(3)))
def test_closed_form_is_the_definition_exactly(D, f, backend):
    f = f.to(backend)
    closed, definition = categorical_entropy(f, D), categorical_entropy(f, D, method="definition")
    assert all(equal(a, b) for a, b in zip(closed, definition))


@pytest.mark.parametrize("D", ALL, ids=lambda d: d.name)
def test_closed_form_is_the_definition_on_floats_and_torch(D):
    rng = np.random.default_rng(3)
    A = rng.random((6, 4))
    A[A < 0.25] = 0
    A[:, 0] += 0.05
    A[5] = [0, 1, 0, 0]  # a deterministic row
    A /= A.sum(1, keepdims=True)
    f = Kernel(A)
    closed, definition = categorical_entropy(f, D), categorical_entropy(f, D, method="definition")
    np.testing.assert_allclose(closed, definition, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(categorical_entropy(f.to("torch"), D).numpy(), closed, rtol=1e-10, atol=1e-14)
    assert closed[5] == 0  # zero on the deterministic row


def test_named_closed_forms():
    p = Kernel.state(["1/2", "1/4", "1/4"])
    assert categorical_entropy(p, KL()) == shannon_entropy(p) == 3 * sp.log(2) / 2
    assert categorical_entropy(p, TotalVariation()) == gini_simpson(p) == F(5, 8)
    assert type(categorical_entropy(p, TotalVariation())) is F
    for a in [0, F(1, 2), 2, 3]:
        assert equal(categorical_entropy(p, Renyi(a)), renyi_entropy(p, 2 - a)), a
    assert equal(categorical_entropy(p, Renyi("inf")), renyi_entropy(p, "-inf"))
    assert categorical_entropy(p, ChiSquared()) == 2  # |supp p| − 1
    assert categorical_entropy(p, Jeffreys()) == sp.oo and categorical_entropy(Kernel.state([0, 1, 0]), Jeffreys()) == 0
    assert equal(categorical_entropy(p, Hellinger()), 1 - sum(x ** sp.Rational(3, 2) for x in [sp.Rational(1, 2), sp.Rational(1, 4), sp.Rational(1, 4)]))


def test_prior_and_sup_forms():
    f = Kernel([["1/2", "1/2"], [1, 0], ["1/4", "3/4"]])
    prior = Kernel.state(["1/2", "1/4", "1/4"])
    rows = categorical_entropy(f, TotalVariation())
    assert rows.tolist() == [F(1, 2), 0, F(3, 8)]
    assert categorical_entropy(f, TotalVariation(), prior=prior) == F(1, 2) / 2 + F(3, 8) / 4
    assert categorical_entropy(f, TotalVariation(), sup=True) == F(1, 2)
    # Rényi averages through log E exp, which is the divergence of the joint laws (the definition)
    for D in [Renyi(2), Renyi("1/2"), Bhattacharyya(), Hellinger(squared=False), Renyi("inf")]:
        assert equal(categorical_entropy(f, D, prior=prior), categorical_entropy(f, D, prior=prior, method="definition")), D
    with pytest.raises(ParameterError, match="not both"):
        categorical_entropy(f, prior=prior, sup=True)


def test_large_kernel_without_the_square_sized_copy():
    rng = np.random.default_rng(0)
    A = rng.random((400, 3000))
    A /= A.sum(1, keepdims=True)
    f = Kernel(A)
    tracemalloc.start()
    h = categorical_entropy(f, KL())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    np.testing.assert_allclose(h, shannon_entropy(A), rtol=1e-13)
    # the definition would need 400 × 3000² floats (29 GB); the closed form a few copies of the input (9.6 MB)
    assert peak < 4 * A.nbytes
    for D in [TotalVariation(), Renyi(2), JensenShannon(), Hellinger()]:
        tracemalloc.start()
        categorical_entropy(f, D)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert peak < 8 * A.nbytes, D


def test_entropy_is_distance_from_determinism():
    for D in ALL:
        assert categorical_entropy(Kernel.id(Wire(3)), D).tolist() == [0, 0, 0], D
        assert to_float(categorical_entropy(Kernel.uniform(Wire(2)), D)) > 0, D


class Halved(Divergence):
    """A user divergence without a closed form: half the total variation."""

    name = "TV/2"
    rational = True

    def rows(self, ops, P, Q):
        return ops.rowsum(abs(P - Q)) / 4


def test_user_divergences_fall_back_to_the_definition():
    f = Kernel([["1/2", "1/2"], ["1/3", "2/3"]])
    assert categorical_entropy(f, Halved()).tolist() == [v / 2 for v in gini_simpson(f)]
    assert Halved().sup(f, Kernel.uniform(Wire(2), Wire(2))) == F(1, 12)


@given(st.data())
def test_categorical_mi_with_kl_is_shannon_mi(data):
    psi = data.draw(stochastic_kernels(Wire(2), Wire(2) @ Wire(3)))
    assert all(equal(a, b) for a, b in zip(categorical_mutual_information(psi, KL()), mutual_information(psi, 0, 1)))


def test_categorical_mi_examples_and_errors():
    bit = Wire(2)
    copied = Kernel.uniform(bit) >> Kernel.copy(bit)
    assert categorical_mutual_information(copied, TotalVariation()) == F(1, 2)
    assert categorical_mutual_information(Kernel.uniform(bit @ bit), Renyi(2)) == 0
    assert categorical_mutual_information(copied.to("numpy")) == pytest.approx(math.log(2))
    t = categorical_mutual_information(copied.to("torch"))
    assert isinstance(t, torch.Tensor) and float(t) == pytest.approx(math.log(2))
    with pytest.raises(DistributionError, match="non-empty and disjoint"):
        categorical_mutual_information(copied, KL(), [0], [0])
    with pytest.raises(ParameterError, match="not a Divergence"):
        categorical_entropy(copied, "KL")
