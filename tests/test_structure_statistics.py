"""Sufficiency and Fisher–Neyman (B13), Blackwell–Sherman–Stein with the exact LP (B14)."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given, settings
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.structure import (
    DecisionProblem,
    StructureError,
    blackwell_certificate,
    decision_value,
    find_garbling,
    fisher_neyman,
    is_sufficient,
    optimal_rule,
    sufficiency_equation,
    sufficiency_witness,
)
from catkit.structure.exact_lp import feasible_point
from catkit.testing import objects, states, stochastic_kernels

COINS = Kernel([["9/16", "3/16", "3/16", "1/16"], ["1/16", "3/16", "3/16", "9/16"]], Wire(2), Wire(2) @ Wire(2))
HEADS = Kernel.from_function(lambda a, b: a + b, Wire(2) @ Wire(2), Wire(3))


def test_number_of_heads_is_sufficient_and_one_flip_is_not():
    alpha = sufficiency_witness(COINS, HEADS)
    lhs, rhs = sufficiency_equation(COINS, HEADS, alpha)
    assert lhs == rhs
    g, a = fisher_neyman(COINS, HEADS)
    assert g >> a == COINS and a == alpha
    assert not is_sufficient(COINS, Kernel.projection(Wire(2) @ Wire(2), [0]))
    assert is_sufficient(COINS, Kernel.id(COINS.cod))  # the identity always is


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_sufficiency_detection_matches_the_definition(backend, data):
    Th, X, V = (data.draw(objects(1, 1, 1, 3)) for _ in range(3))
    p = data.draw(stochastic_kernels(Th, X)).to(backend)
    idx = data.draw(st.lists(st.integers(0, V.size - 1), min_size=X.size, max_size=X.size))
    s = Kernel.from_function(lambda x: idx[x], X, V)
    alpha = sufficiency_witness(p, s)
    if alpha is not None:
        assert alpha.backend.name == backend
        lhs, rhs = sufficiency_equation(p, s, alpha)
        assert lhs == rhs
    else:  # no α works: in particular not the witness of any single θ's conditional
        for t in range(Th.size):
            row = Kernel.point(Th, t) >> p
            a_t = sufficiency_witness(row, s)
            assert a_t is not None  # one parameter: every statistic is sufficient
            assert sufficiency_equation(p, s, a_t)[0] != sufficiency_equation(p, s, a_t)[1]


def test_statistic_must_be_deterministic():
    with pytest.raises(StructureError, match="deterministic"):
        sufficiency_witness(COINS, Kernel.uniform(Wire(2), Wire(2) @ Wire(2)))


def test_exact_lp_on_feasible_and_infeasible_systems():
    rng = np.random.default_rng(0)
    for _ in range(20):
        A = [[F(int(x)) for x in row] for row in rng.integers(-3, 4, size=(3, 5))]
        z0 = [F(int(x), 2) for x in rng.integers(0, 4, size=5)]
        b = [sum((a * z for a, z in zip(row, z0)), F(0)) for row in A]
        z = feasible_point(A, b)
        assert z is not None and all(x >= 0 for x in z)
        assert [sum((a * x for a, x in zip(row, z)), F(0)) for row in A] == b
    assert feasible_point([[F(1), F(1)], [F(1), F(-1)]], [F(1), F(2)]) is None  # would need z2 = -1/2


@settings(max_examples=20)
@given(st.data())
def test_garblings_are_found_and_certificates_separate(data):
    Th, X, Y = (data.draw(objects(1, 1, 1, 3)) for _ in range(3))
    f = data.draw(stochastic_kernels(Th, X))
    g = data.draw(st.one_of(stochastic_kernels(X, Y).map(lambda c: f >> c), stochastic_kernels(Th, Y)))
    c = find_garbling(f, g)
    if c is not None:
        assert f >> c == g and blackwell_certificate(f, g) is None
    else:
        dp = blackwell_certificate(f, g)
        vf, vg = decision_value(f, dp), decision_value(g, dp)
        assert isinstance(vf, F) and vg > vf


@settings(max_examples=20)
@given(st.data())
def test_garbling_never_gains_value(data):
    Th, X, Y, A = (data.draw(objects(1, 1, 1, 3)) for _ in range(4))
    f, c = data.draw(stochastic_kernels(Th, X)), data.draw(stochastic_kernels(X, Y))
    u = data.draw(st.lists(st.lists(st.integers(-5, 5), min_size=A.size, max_size=A.size), min_size=Th.size, max_size=Th.size))
    dp = DecisionProblem(A[0], u, data.draw(states(Th)))
    assert decision_value(f, dp) >= decision_value(f >> c, dp)
    rule = optimal_rule(f, dp)  # the value is attained by a deterministic rule
    E = sum((dp.prior[t] * f[t, x] * rule[x, a] * F(u[t][a]) for t in range(Th.size) for x in range(X.size) for a in range(A.size)), F(0))
    assert E == decision_value(f, dp)


def test_float_garbling_uses_scipy():
    f = Kernel(np.array([[0.9, 0.1], [0.2, 0.8]]))
    c = Kernel(np.array([[0.7, 0.3], [0.4, 0.6]]))
    found = find_garbling(f, f >> c)
    assert found is not None and (f >> found).allclose(f >> c, 1e-7)
    assert find_garbling(f >> c, f) is None


def test_decision_problems_validate_their_shapes():
    with pytest.raises(StructureError, match="2 × 2 table"):
        DecisionProblem(Wire(2), [[1, 0]], Kernel.uniform(Wire(2)))
    with pytest.raises(StructureError, match="signed|probabilities"):
        find_garbling(Kernel([[2, -1]], model="signed"), Kernel([[1, 0]]))
