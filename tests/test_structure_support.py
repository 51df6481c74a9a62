"""Supports, absolute continuity and almost-sure equality (B7, B8), including the pitfall."""

from __future__ import annotations

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.structure import StructureError, absolutely_continuous, almost_surely_equal, as_equation, support
from catkit.testing import objects, states, stochastic_kernels


def test_the_pitfall_equal_pushforwards_are_not_almost_sure_equality():
    p = Kernel.uniform(Wire(2))
    f, g = Kernel.id(Wire(2)), Kernel([[0, 1], [1, 0]])
    assert p >> f == p >> g
    assert not almost_surely_equal(f, g, p)
    lhs, rhs = as_equation(f, g, p)
    assert lhs != rhs


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_definition_agrees_with_the_support_inclusion(backend, data):
    X, Y = data.draw(objects(1, 2, 1, 3)), data.draw(objects(1, 1, 1, 3))
    p = data.draw(states(X)).to(backend)
    f, other = data.draw(stochastic_kernels(X, Y)).to(backend), data.draw(stochastic_kernels(X, Y))
    S = support(p)
    near = data.draw(st.booleans())
    rows = [f.matrix[i].tolist() if (near and i in S.indices) else other.matrix[i].tolist() for i in range(X.size)]
    g = Kernel(rows, X, Y, backend=backend)
    lhs, rhs = as_equation(f, g, p)
    assert (lhs == rhs) == almost_surely_equal(f, g, p) == (S.inclusion >> f == S.inclusion >> g)
    if near:
        assert almost_surely_equal(f, g, p)


def test_supports_of_states_and_kernels():
    p = Kernel.state(["1/2", 0, "1/2"], Wire(["a", "b", "c"]))
    s = support(p)
    assert s.elements() == ["a", "c"] and "a" in s and "b" not in s
    assert s.inclusion.as_function() == {"a": "a", "c": "c"}
    k = Kernel([[1, 0, 0], [0, 0, 1]])
    assert support(k).indices == (0, 2)
    assert support(Kernel.state([0.5, 1e-15, 0.5 - 1e-15]), tol=1e-12).indices == (0, 2)


def test_absolute_continuity():
    p, q = Kernel.state([1, 0, 0]), Kernel.state(["1/2", "1/2", 0])
    assert absolutely_continuous(p, q) and not absolutely_continuous(q, p)
    with pytest.raises(StructureError, match="one object"):
        absolutely_continuous(p, Kernel.state([1, 0]))


def test_float_almost_sure_equality_uses_a_tolerance():
    p = Kernel.state(np.array([0.5, 0.5, 0.0]))
    f = Kernel(np.array([[0.3, 0.7], [1.0, 0.0], [0.5, 0.5]]))
    g = Kernel(np.array([[0.3 + 1e-12, 0.7 - 1e-12], [1.0, 0.0], [0.0, 1.0]]))
    assert almost_surely_equal(f, g, p) and not almost_surely_equal(f, g, p, tol=1e-14)


def test_mismatched_objects_are_named():
    with pytest.raises(StructureError, match="the law p lives on"):
        almost_surely_equal(Kernel.id(Wire(2)), Kernel.id(Wire(2)), Kernel.uniform(Wire(3)))
    with pytest.raises(StructureError, match="parallel kernels"):
        almost_surely_equal(Kernel.id(Wire(2)), Kernel.copy(Wire(2)), Kernel.uniform(Wire(2)))
