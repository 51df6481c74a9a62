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


#: per torch dtype, kernels ``f`` and priors ``p`` whose observation 0 is possible but so improbable that
#: ``p(x) f(0|x)`` or ``q(0)`` underflow (or are subnormal) in that dtype
TINY_OBSERVATIONS = {
    "float64": [
        ([[5e-324, 1 - 5e-324], [0.0, 1.0]], [0.5, 0.5]),
        ([[5e-324, 1 - 5e-324], [1e-323, 1 - 1e-323]], [0.25, 0.75]),
        ([[1e-200, 1.0], [0.0, 1.0]], [1e-200, 1.0]),
        ([[1e-200, 1.0], [1e-300, 1.0]], [1e-150, 1.0]),
    ],
    "float32": [
        ([[1e-45, 1.0], [0.0, 1.0]], [0.5, 0.5]),
        ([[1e-45, 1.0], [3e-45, 1.0]], [0.25, 0.75]),
        ([[1e-30, 1.0], [0.0, 1.0]], [1e-30, 1.0]),
        ([[1e-25, 1.0], [1e-25, 1.0]], [1e-20, 1.0]),
    ],
}


@pytest.mark.parametrize("dtype", sorted(TINY_OBSERVATIONS))
def test_torch_posterior_of_a_tiny_observation_is_bayes_formula(dtype):
    torch = pytest.importorskip("torch")
    dt = getattr(torch, dtype)
    for rows, prior in TINY_OBSERVATIONS[dtype]:
        f, p = Kernel(rows, backend="torch", dtype=dt), Kernel.state(prior, backend="torch", dtype=dt)
        got = posterior(f, p, 0)
        assert got.matrix.dtype == dt
        # Bayes' formula on the kernel's own entries (floats are exact rationals)
        Fx, Px = f.to("numpy").matrix, p.to("numpy").matrix[0]
        J = [F(float(Px[x])) * F(float(Fx[x, 0])) for x in range(2)]
        exact = [float(j / sum(J)) for j in J]
        assert got.to("numpy").matrix[0] == pytest.approx(exact, rel=4 * torch.finfo(dt).eps, abs=0.0), (rows, prior)
        # the numpy path (float64, log domain) gives the same posterior on the same entries
        assert got.to("numpy").allclose(posterior(f.to("numpy"), p.to("numpy"), 0), max(4 * torch.finfo(dt).eps, 1e-12))
    # controls: an impossible observation, or one within tol=, is still the prior, as on numpy
    zero = Kernel([[0.0, 1.0], [0.0, 1.0]], backend="torch", dtype=dt)
    p = Kernel.state([0.25, 0.75], backend="torch", dtype=dt)
    assert posterior(zero, p, 0).matrix.tolist() == [[0.25, 0.75]]
    f = Kernel(TINY_OBSERVATIONS[dtype][0][0], backend="torch", dtype=dt)
    assert bayes_invert(f, p, tol=1e-9)(0).matrix.tolist() == [[0.25, 0.75]]
    assert bayes_invert(f.to("numpy"), p.to("numpy"), tol=1e-9)(0).matrix.tolist() == [[0.25, 0.75]]


@pytest.mark.parametrize("dtype", ["float16", "bfloat16"])
def test_torch_half_precision_inversion_is_computed_wider_and_rounded_once(dtype):
    # a half-precision q = Σ_x p(x) f(y|x) over 200,000 inputs is off by percents, and the posterior's entries
    # (1/200,000 each) are subnormal in float16: computed in float32 and rounded once, every row is within the
    # dtype's row tolerance and each entry is the correctly rounded float64 answer
    torch = pytest.importorskip("torch")
    dt, n = getattr(torch, dtype), 200_000
    rows = torch.empty((n, 2), dtype=dt)
    rows[:, 0], rows[:, 1] = 0.3, 0.7
    f, prior = Kernel(rows, backend="torch"), Kernel.uniform(Wire(n), backend="torch", dtype=dt)
    inv = bayes_invert(f, prior)  # validated: a row off by more than the dtype's tolerance would raise
    got = inv.matrix
    assert got.dtype == dt
    # every input explains both observations equally: the posterior is uniform, 1/n rounded to the dtype
    assert torch.equal(got, torch.full((2, n), 1 / n, dtype=dt))
