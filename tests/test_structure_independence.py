"""Conditional independence (B11): the product formula against the categorical definition, the
intersection property with and without full support, and errors."""

from __future__ import annotations

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import I, Kernel, Wire
from catkit.structure import StructureError, independence_equation, independent
from catkit.testing import full_support_kernels, objects, stochastic_kernels


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_product_formula_agrees_with_displaying_the_conditional_product(backend, data):
    A = data.draw(objects(0, 1, 1, 2))
    C = data.draw(objects(3, 3, 1, 2))
    f = data.draw(stochastic_kernels(A, C)).to(backend)
    lhs, rhs = independence_equation(f, [0], [1], [2])
    assert independent(f, [0], [1], [2]) == (lhs == rhs)


def test_copied_fair_bit_breaks_intersection():
    psi = Kernel.uniform(Wire(2)) >> Kernel.copy(Wire(2), 3)  # X = Y = Z
    assert independent(psi, [0], [1], [2]) and independent(psi, [0], [2], [1])
    assert not independent(psi, [0], [1, 2])


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_intersection_holds_with_full_support(backend, data):
    W, Y, Z, X = (data.draw(objects(1, 1, 1, 2)) for _ in range(4))
    pwyz = data.draw(full_support_kernels(I, W @ Y @ Z)).to(backend)
    c = data.draw(full_support_kernels(W, X)).to(backend)
    psi = pwyz >> (Kernel.copy(W) @ Kernel.id(Y @ Z)) >> (c @ Kernel.id(W @ Y @ Z))  # X, W, Y, Z
    assert independent(psi, [0], [2], [3, 1]) and independent(psi, [0], [3], [2, 1])
    assert independent(psi, [0], [2, 3], [1])


def test_independence_with_inputs_is_checked_for_every_input():
    f = Kernel([["1/4", "1/4", "1/4", "1/4"], ["1/2", 0, 0, "1/2"]], cod=Wire(2) @ Wire(2))
    assert not independent(f, 0, 1)
    assert independent(Kernel.uniform(Wire(2) @ Wire(2), Wire(2)), 0, 1)


def test_float_independence_within_tolerance():
    rng = np.random.default_rng(0)
    a, b = rng.dirichlet(np.ones(3)), rng.dirichlet(np.ones(2))
    psi = Kernel.state(np.outer(a, b).reshape(-1), Wire(3) @ Wire(2))
    assert independent(psi, 0, 1)
    assert not independent(Kernel.state(np.array([0.5, 0.0, 0.0, 0.5]), Wire(2) @ Wire(2)), 0, 1)


def test_groups_must_be_disjoint_and_exist():
    psi = Kernel.uniform(Wire(2) @ Wire(2) @ Wire(2))
    with pytest.raises(StructureError, match="disjoint"):
        independent(psi, [0], [0, 1])
    with pytest.raises(StructureError, match="given=5: wire position 5 is not one of"):
        independent(psi, [0], [1], 5)
