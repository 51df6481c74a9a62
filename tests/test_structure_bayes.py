"""Bayesian inversion (B6): the laws on random exact kernels, agreement of the exact, float and torch
paths, the documented off-support choice, and the errors."""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.structure import (
    NoConditionalError,
    StructureError,
    almost_surely_equal,
    bayes_invert,
    conditional,
    joint,
    pair,
    posterior,
)
from catkit.testing import objects, states, stochastic_kernels


@st.composite
def prior_kernel(draw):  # type: ignore[no-untyped-def]
    X, Y = draw(objects(1, 2, 1, 3)), draw(objects(1, 2, 1, 3))
    return draw(states(X)), draw(stochastic_kernels(X, Y))


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(prior_kernel())
def test_bayes_equation_and_marginal(backend, pf):
    p, f = (k.to(backend) for k in pf)
    d, q = bayes_invert(f, p), p >> f
    assert d.backend.name == backend
    assert joint(p, f) == q >> pair(d, Kernel.id(f.cod))
    assert q >> d == p
    assert almost_surely_equal(bayes_invert(d, q), f, p)


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(prior_kernel())
def test_inverse_is_the_conditional_of_the_joint_on_the_output(backend, pf):
    p, f = (k.to(backend) for k in pf)
    n = len(f.dom)
    J = joint(p, f)
    c = conditional(J, range(n, n + len(f.cod)), fill=Kernel.discard(f.cod) >> p)
    assert bayes_invert(f, p) == c


@given(prior_kernel())
def test_float_and_torch_paths_agree_with_the_exact_one(pf):
    p, f = pf
    exact = bayes_invert(f, p).to("numpy")
    assert bayes_invert(f.to("numpy"), p.to("numpy")).allclose(exact, 1e-12)
    assert bayes_invert(f.to("torch"), p.to("torch")).to("numpy").allclose(exact, 1e-12)


def test_posterior_is_bayes_formula():
    D, T = Wire(["ill", "well"]), Wire(["+", "-"])
    prior = Kernel.state(["1/100", "99/100"], D)
    f = Kernel([["9/10", "1/10"], ["1/20", "19/20"]], D, T)
    by_hand = F(1, 100) * F(9, 10) / (F(1, 100) * F(9, 10) + F(99, 100) * F(1, 20))
    assert posterior(f, prior, "+")["ill"] == by_hand
    assert isinstance(posterior(f, prior, "+")["ill"], F)


def test_off_support_rows_are_the_prior_or_the_fill():
    f = Kernel([[1, 0, 0], [0, 1, 0]])  # outcome 2 never happens
    p = Kernel.state(["1/3", "2/3"])
    assert bayes_invert(f, p)(2) == p
    fill = Kernel([[1, 0], [1, 0], [0, 1]])
    assert bayes_invert(f, p, fill=fill)(2) == Kernel.point(Wire(2), 1)
    floats = bayes_invert(f.to("numpy"), p.to("numpy"), fill=fill.to("numpy"))
    assert floats(2).allclose(Kernel.point(Wire(2), 1).to("numpy"), 0.0)


def test_composition_of_inverses():
    rng = np.random.default_rng(3)
    p = Kernel.state(rng.dirichlet(np.ones(4)))
    f, g = Kernel(rng.dirichlet(np.ones(3), 4)), Kernel(rng.dirichlet(np.ones(5), 3))
    lhs = bayes_invert(f >> g, p)
    rhs = bayes_invert(g, p >> f) >> bayes_invert(f, p)
    assert lhs.allclose(rhs, 1e-12)


def test_bad_priors_are_named():
    f = Kernel([[1, 0], ["1/2", "1/2"]])
    with pytest.raises(StructureError, match="the prior is a state on Wire\\(3\\), but the kernel's domain is Wire\\(2\\)"):
        bayes_invert(f, Kernel.uniform(Wire(3)))
    with pytest.raises(StructureError, match="a prior is a state"):
        bayes_invert(f, f)
    with pytest.raises(StructureError, match="fill must be a kernel"):
        bayes_invert(f, Kernel.uniform(Wire(2)), fill=f @ f)


def test_signed_inverse_may_not_exist():
    p = Kernel.state([2, -1], model="signed")
    f = Kernel([[0, 1], [-1, 2]], model="signed")  # q = p >> f = (1, 0), but p(x) f(1|x) != 0
    with pytest.raises(NoConditionalError):
        bayes_invert(f, p)
    d = bayes_invert(f, p, strict=False)
    assert joint(p, f) != (p >> f) >> pair(d, Kernel.id(Wire(2)))
