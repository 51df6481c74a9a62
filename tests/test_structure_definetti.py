"""Finite de Finetti, zero-one checks and Kolmogorov truncations (B10, B15, B16)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Obj, Wire
from catkit.structure import (
    KolmogorovProduct,
    StructureError,
    iid_mixture,
    independent,
    independent_of_sample,
    is_exchangeable,
    is_iid_mixture,
    is_permutation_invariant,
    moments,
    symmetrize,
    urn,
)
from catkit.testing import states, stochastic_kernels

BIT = Wire(2)


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_iid_mixtures_are_exchangeable_mixtures_independent_given_the_parameter(backend, data):
    Th = Wire(data.draw(st.integers(1, 3)))
    n = data.draw(st.integers(2, 4))
    prior, k = data.draw(states(Th)).to(backend), data.draw(stochastic_kernels(Th, BIT)).to(backend)
    psi = iid_mixture(prior, k, n)
    assert psi.backend.name == backend and symmetrize(psi) == psi
    assert is_exchangeable(psi) and is_iid_mixture(psi)
    with_theta = iid_mixture(prior, k, n, keep_parameter=True)
    assert independent(with_theta, [1], list(range(2, n + 1)), [0])


@given(states(Obj(BIT, BIT)))
def test_two_draws_match_the_closed_form(s):
    psi = symmetrize(s)
    a, b = psi[(1, 1)], psi[(1, 0)]
    assert is_exchangeable(psi)
    assert is_iid_mixture(psi) == (a >= (a + b) ** 2)  # E[θ²] >= E[θ]²


def test_urns_are_exchangeable_but_not_mixtures():
    u = urn(1, 1, 2)
    assert u[("R", "B")] == u[("B", "R")] == F(1, 2)
    assert is_exchangeable(u) and not is_iid_mixture(u)
    assert not is_iid_mixture(urn(2, 3, 4))
    assert is_iid_mixture(urn(3, 0, 2))  # a single colour: a point mass is iid
    assert moments(urn(1, 1, 2)) == [1, F(1, 2), 0]


def test_symmetrize_and_exchangeability_errors():
    assert not is_exchangeable(Kernel.point(Obj(BIT, BIT), (0, 1)))
    with pytest.raises(StructureError, match="same wire"):
        is_exchangeable(Kernel.uniform(Wire(2) @ Wire(3)))
    with pytest.raises(StructureError, match="binary"):
        moments(Kernel.uniform(Wire(3) @ Wire(3)))


def test_zero_one_statistics():
    p = Kernel.state(["1/3", "2/3", 0])
    constant_on_support = Kernel.from_function(lambda x: int(x == 2), Wire(3), BIT)
    assert independent_of_sample(p, constant_on_support) and (p >> constant_on_support).is_deterministic()
    varying = Kernel.from_function(lambda x: int(x == 1), Wire(3), BIT)
    assert not independent_of_sample(p, varying) and not (p >> varying).is_deterministic()


def test_finite_hewitt_savage_fails_with_parity():
    coin = Kernel.uniform(BIT)
    K = KolmogorovProduct(lambda i: coin)
    for n in (2, 3, 4):
        parity = Kernel.from_function(lambda *b: sum(b) % 2, Obj(*([BIT] * n)), BIT)
        assert is_permutation_invariant(parity)
        assert K.truncation(range(n)) >> parity == Kernel.uniform(BIT)  # probability 1/2, not 0 or 1


@given(st.data())
def test_kolmogorov_truncations_are_consistent(data):
    A = Wire(data.draw(st.integers(1, 2)))
    fs = [data.draw(stochastic_kernels(A, Wire(data.draw(st.integers(1, 3))))) for _ in range(4)]
    K = KolmogorovProduct(fs)
    J = data.draw(st.permutations(range(4)))
    Ks = data.draw(st.lists(st.sampled_from(J), unique=True))
    assert K.truncation(J) >> K.projection(J, Ks) == K.truncation(Ks)
    assert K.projection(J, Ks).is_deterministic()


def test_kolmogorov_errors():
    K = KolmogorovProduct([Kernel.uniform(BIT)])
    with pytest.raises(StructureError, match="past the 1 factors"):
        K.truncation([0, 1])
    with pytest.raises(StructureError, match="not in"):
        KolmogorovProduct(lambda i: Kernel.uniform(BIT)).projection([0], [1])
    mixed = KolmogorovProduct([Kernel.uniform(BIT), Kernel.uniform(BIT, BIT)])
    with pytest.raises(StructureError, match="same domain"):
        mixed.truncation([0, 1])
