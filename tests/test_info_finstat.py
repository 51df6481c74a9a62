"""Baez–Fritz: FinStat morphisms, the relative-entropy functor and its characterising properties."""

from fractions import Fraction as F

import pytest
import sympy as sp
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import BackendMismatchError, Kernel, ObjectMismatchError, Wire
from catkit.info import kl_divergence
from catkit.info.finstat import (
    FinStatError,
    FinStatMorphism,
    convex_combination,
    direct_sum,
    onto_image,
    relative_entropy,
)
from catkit.info.reals import equal
from catkit.testing import deterministic_kernels, stochastic_kernels

X3 = Wire(["a", "b", "c"])
p = Kernel.state(["1/2", "1/4", "1/4"], X3)
merge = Kernel.from_function(lambda x: "ab" if x in "ab" else "c", X3, Wire(["ab", "c"]))


def test_relative_entropy_is_kl_against_the_reconstruction():
    s = Kernel([["1/3", "2/3", 0], [0, 0, 1]], merge.cod, X3)
    m = FinStatMorphism(p, merge, s)
    assert m.target == Kernel.state(["3/4", "1/4"], merge.cod)
    reconstruction = Kernel.state(["1/4", "1/2", "1/4"], X3)
    assert relative_entropy(m) == kl_divergence(p, reconstruction)
    assert not m.is_optimal() and not m.loses_support()


def test_optimal_hypothesis_is_the_bayesian_inverse():
    m = FinStatMorphism.optimal(p, merge)
    assert m.s == Kernel([["2/3", "1/3", 0], [0, 0, 1]], merge.cod, X3)
    assert m.relative_entropy() == 0 and m.is_optimal()
    # where q(y) = 0 any section is optimal; the uniform one is chosen
    m0 = FinStatMorphism.optimal(Kernel.state([0, 0, 1], X3), merge)
    assert m0.s.matrix.tolist()[0][:2] == [F(1, 2), F(1, 2)] and m0.relative_entropy() == 0


def test_functoriality_by_hand():
    m = FinStatMorphism(p, merge, Kernel([["1/3", "2/3", 0], [0, 0, 1]], merge.cod, X3))
    n = FinStatMorphism(m.target, Kernel.discard(merge.cod), Kernel([["1/2", "1/2"]], (), merge.cod))
    assert equal((m >> n).relative_entropy(), m.relative_entropy() + n.relative_entropy())
    assert FinStatMorphism.identity(p).relative_entropy() == 0


def test_lost_support_gives_infinity():
    m = FinStatMorphism.from_weights(p, merge, Kernel([[1, 0, 0], [0, 0, 1]], merge.cod, X3))
    assert m.loses_support() and m.relative_entropy() == sp.oo


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(st.data())
def test_functor_convexity_and_support_on_random_morphisms(backend, data):
    X = Wire(3)
    src = data.draw(stochastic_kernels((), X)).to(backend)
    f = onto_image(data.draw(deterministic_kernels(X, Wire(3))).to(backend))
    m = FinStatMorphism.from_weights(src, f, data.draw(stochastic_kernels(f.cod, X)).to(backend))
    g = onto_image(data.draw(deterministic_kernels(f.cod, Wire(2))).to(backend))
    n = FinStatMorphism.from_weights(m.target, g, data.draw(stochastic_kernels(g.cod, f.cod)).to(backend))
    assert m.s.backend.name == n.s.backend.name == backend
    lhs, a, b = (m >> n).relative_entropy(), m.relative_entropy(), n.relative_entropy()
    assert equal(lhs, a + b)
    assert (a == sp.oo) == m.loses_support()
    lam = data.draw(st.fractions(F(1, 10), F(9, 10), max_denominator=10))
    assert equal(convex_combination(lam, m, n).relative_entropy(), lam * a + (1 - lam) * b)


def test_floats_work_too():
    m = FinStatMorphism.from_weights(p.to("numpy"), merge, Kernel([[0.25, 0.75, 0.0], [0.0, 0.0, 1.0]], merge.cod, X3))
    exact = FinStatMorphism.from_weights(p, merge, Kernel([["1/4", "3/4", 0], [0, 0, 1]], merge.cod, X3))
    assert m.relative_entropy() == pytest.approx(float(exact.relative_entropy()))
    half = convex_combination(0.5, m, m)
    assert half.relative_entropy() == pytest.approx(m.relative_entropy())
    with pytest.raises(BackendMismatchError, match="different backends"):
        convex_combination(0.5, m, exact)


def test_direct_sum_is_block_diagonal():
    d = direct_sum(Kernel([["1/2", "1/2"]]), Kernel.id(Wire(1)))
    assert d.cod.size == 3 and d.matrix.tolist() == [[F(1, 2), F(1, 2), 0], [0, 0, 1]]
    assert d.cod[0].labels == ((0, (0,)), (0, (1,)), (1, (0,)))


def test_bad_data_is_refused_with_the_reason():
    with pytest.raises(FinStatError, match="not a section"):
        FinStatMorphism(p, merge, Kernel([["1/3", 0, "2/3"], [0, 0, 1]], merge.cod, X3))
    with pytest.raises(FinStatError, match="deterministic"):
        FinStatMorphism(p, Kernel([["1/2", "1/2"]] * 3, X3, merge.cod), Kernel([[1, 0, 0], [0, 0, 1]], merge.cod, X3))
    with pytest.raises(FinStatError, match="not surjective"):
        FinStatMorphism.optimal(p, Kernel.from_function(lambda x: "c", X3, Wire(["ab", "c"])))
    with pytest.raises(ObjectMismatchError, match="does not start"):
        m = FinStatMorphism.optimal(p, merge)
        m >> FinStatMorphism.identity(Kernel.state(["1/2", "1/2"], merge.cod))
    with pytest.raises(FinStatError, match="state"):
        FinStatMorphism(Kernel.id(X3), merge, merge)
    with pytest.raises(Exception, match="in \\[0, 1\\]"):
        convex_combination(F(3, 2), FinStatMorphism.identity(p), FinStatMorphism.identity(p))
    with pytest.raises(Exception, match="float"):
        convex_combination(0.5, FinStatMorphism.identity(p), FinStatMorphism.identity(p))
