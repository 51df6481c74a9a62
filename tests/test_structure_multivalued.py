"""FinSetMulti (relations) and randomness pushback (B9)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Obj, Wire
from catkit.errors import KernelValueError
from catkit.structure import MultiKernel, powerset, randomness_pushback, sampling, sharp
from catkit.structure.multivalued import NotARelationError
from catkit.testing import objects, stochastic_kernels


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_support_is_a_functor_from_finstoch(backend, data):
    X, Y, Z = (data.draw(objects(1, 2, 1, 2)) for _ in range(3))
    f, g = data.draw(stochastic_kernels(X, Y)).to(backend), data.draw(stochastic_kernels(Y, Z)).to(backend)
    S = MultiKernel.from_kernel
    assert S(f >> g) == S(f) >> S(g)
    assert S(f @ g) == S(f) @ S(g)


@given(st.data())
def test_representability_with_unique_sharps(data):
    A, X = (data.draw(objects(0, 1, 1, 2)) for _ in range(2))
    rows = data.draw(st.lists(st.lists(st.booleans(), min_size=X.size, max_size=X.size).filter(any), min_size=A.size, max_size=A.size))
    f = MultiKernel(rows, A, X)
    assert sharp(f) >> sampling(X) == f and sharp(f).is_deterministic()
    PX = powerset(X)
    # uniqueness, by brute force over every function A → P X
    hits = [h for h in itertools.product(range(PX.size), repeat=A.size)
            if MultiKernel([[int(j == i) for j in range(PX.size)] for i in h], A, Obj(PX)) >> sampling(X) == f]
    assert len(hits) == 1


@given(st.data())
def test_randomness_pushback_on_kernels_and_relations(data):
    A, X = Wire(data.draw(st.integers(1, 3))), Wire(data.draw(st.integers(1, 3)))
    f = data.draw(stochastic_kernels(A, X))
    p, h = randomness_pushback(f)
    assert (Kernel.id(A) @ p) >> h == f and h.is_deterministic()
    m = MultiKernel.from_kernel(f)
    pm, hm = randomness_pushback(m)
    assert (MultiKernel.id(A) @ pm) >> hm == m


def test_pushback_of_floats():
    f = Kernel(np.random.default_rng(0).dirichlet(np.ones(3), 2), Wire(2), Wire(3))
    p, h = randomness_pushback(f)
    assert ((Kernel.id(f.dom) @ p) >> h).allclose(f, 1e-12)


def test_relations_reject_probability_questions():
    f = MultiKernel([[1, 1], [0, 1]])
    with pytest.raises(NotARelationError, match="no 'matrix'"):
        _ = f.matrix
    with pytest.raises(NotARelationError, match="entries other than 0 and 1"):
        _ = Kernel.uniform(Wire(2), Wire(2)) >> f
    with pytest.raises(KernelValueError, match="row 0 .* is empty"):
        MultiKernel([[0, 0]])
    assert f == MultiKernel.from_sets(lambda x: {x, 1}, Wire(2), Wire(2))
    assert "1 ↦ {1}" in f.table()
