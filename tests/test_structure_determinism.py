"""Determinism, functions and isomorphisms (B1, B2) on every backend."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
import sympy as sp
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.structure import (
    NotInvertibleError,
    StructureError,
    copy_equation,
    function_indices,
    inverse,
    is_deterministic,
    is_isomorphism,
    is_permutation,
    to_function,
)
from catkit.testing import deterministic_kernels, objects, permutations, stochastic_kernels


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_point_mass_rows_iff_commutes_with_copy(backend, data):
    X, Y = data.draw(objects(1, 2, 1, 2)), data.draw(objects(1, 2, 1, 3))
    f = data.draw(st.one_of(stochastic_kernels(X, Y), deterministic_kernels(X, Y))).to(backend)
    lhs, rhs = copy_equation(f)
    assert is_deterministic(f) == (lhs == rhs) == is_deterministic(f, by_definition=True)


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_permutations_are_isomorphisms_with_exact_inverses(backend, data):
    X = data.draw(objects(1, 2, 1, 3))
    f = data.draw(permutations(X)).to(backend)
    g = inverse(f)
    assert g.backend.name == backend
    assert f >> g == Kernel.id(X) and g >> f == Kernel.id(X)
    assert is_permutation(f) and is_isomorphism(f)


@given(st.data())
def test_a_random_stochastic_kernel_is_an_isomorphism_only_if_a_permutation(data):
    X = data.draw(objects(1, 1, 2, 3))
    f = data.draw(stochastic_kernels(X, X))
    assert is_isomorphism(f) == is_permutation(f)


def test_non_permutation_inverse_names_the_reason():
    with pytest.raises(NotInvertibleError, match="in FinStoch only permutations are isomorphisms"):
        inverse(Kernel([["1/2", "1/2"], [0, 1]]))
    with pytest.raises(NotInvertibleError, match="singular"):
        inverse(Kernel([["1/2", "1/2"], ["1/2", "1/2"]]))
    with pytest.raises(NotInvertibleError, match="not square"):
        inverse(Kernel.copy(Wire(2)))


def test_signed_isomorphism_that_is_not_deterministic():
    f = Kernel([[2, -1], [-1, 2]], model="signed")
    g = inverse(f)
    assert g.matrix.tolist() == [[F(2, 3), F(1, 3)], [F(1, 3), F(2, 3)]]
    assert f >> g == Kernel.id(Wire(2)) and not is_deterministic(f)


def test_inverse_on_float_torch_and_sympy():
    swap = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert inverse(Kernel(swap)).allclose(Kernel(swap), 0.0)
    t = Kernel(swap).to("torch")
    assert inverse(t).backend.name == "torch"
    a = sp.Symbol("a")
    s = Kernel([[1 + a, -a], [-a, 1 + a]], backend="sympy", model="signed")
    assert (s >> inverse(s)).simplify() == Kernel.id(Wire(2)).to("sympy")


def test_functions_and_their_errors():
    f = Kernel.from_function(lambda x: (x + 1) % 3, Wire(3), Wire(3))
    assert to_function(f) == {0: 1, 1: 2, 2: 0}
    assert function_indices(f).tolist() == [1, 2, 0]
    with pytest.raises(StructureError, match=r"row 1 \(input 1\)"):
        function_indices(Kernel([[1, 0], ["1/3", "2/3"]]))
    big = Kernel([[F(10**30, 10**30 + 1), F(1, 10**30 + 1)]])  # rounds to 1.0 as a float: still not a function
    assert not is_deterministic(big)
    with pytest.raises(StructureError):
        function_indices(big)
