"""Divergences: values against independent formulas, conventions, backends, kernel forms, errors."""

import math
from fractions import Fraction as F

import numpy as np
import pytest
import scipy.special as sps
import sympy as sp
import torch
from extra_backends import EXTRA_NAMES
from hypothesis import given
from hypothesis import strategies as st

from catkit import BackendMismatchError, Kernel, ObjectMismatchError, Wire
from catkit.info import (
    KL,
    Bhattacharyya,
    ChiSquared,
    DistributionError,
    FDivergence,
    Hellinger,
    Jeffreys,
    JensenShannon,
    ParameterError,
    Renyi,
    TotalVariation,
    bhattacharyya_coefficient,
    f_divergence,
    hellinger,
    jensen_shannon,
    kl_divergence,
    renyi_divergence,
    total_variation,
)
from catkit.info.reals import equal, to_float
from catkit.testing import full_support_kernels, stochastic_kernels

ALL = [KL(), TotalVariation(), Hellinger(), Hellinger(2), Hellinger(squared=False), Bhattacharyya(), Renyi(0), Renyi("1/2"),
       Renyi(2), Renyi(3), Renyi("inf"), JensenShannon(), Jeffreys(), ChiSquared()]
P, Q = Kernel.state(["1/2", "1/3", "1/6"]), Kernel.state(["1/4", "1/4", "1/2"])


def _sym(k):
    return [sp.Rational(x.numerator, x.denominator) for x in k.matrix[0]]


def test_kl_is_exact_and_matches_the_formula():
    p, q = _sym(P), _sym(Q)
    v = kl_divergence(P, Q)
    assert isinstance(v, sp.Expr) and not v.has(sp.Float)
    assert sp.simplify(v - sum(a * sp.log(a / b) for a, b in zip(p, q))) == 0
    assert math.isclose(float(v), sps.rel_entr(np.array(p, float), np.array(q, float)).sum(), rel_tol=1e-12)


def test_log2_over_2_example_from_the_issue():
    # KL((1, 0) || (1/2, 1/2)) + ... : H_KL of a fair coin is log 2; TV of a point and a coin is 1/2
    assert kl_divergence(Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])) == sp.log(2)
    assert bhattacharyya_coefficient(Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])) == sp.sqrt(2) / 2
    assert Bhattacharyya()(Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])) == sp.log(2) / 2


def test_rational_divergences_are_fractions_on_exact_kernels():
    assert total_variation(P, Q) == F(1, 3) and type(total_variation(P, Q)) is F
    chi = ChiSquared()(P, Q)
    assert type(chi) is F and chi == sum((a - b) ** 2 / b for a, b in zip(P.matrix[0], Q.matrix[0]))
    assert all(type(v) is F for v in TotalVariation()(Kernel([[1, 0], ["1/2", "1/2"]]), Kernel.uniform(Wire(2), Wire(2))))


def test_conventions_for_zeros_and_infinities():
    point, coin = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])
    assert kl_divergence(point, coin) == sp.log(2)  # 0 log(0/q) = 0
    assert kl_divergence(coin, point) == sp.oo  # p log(p/0) = oo
    assert kl_divergence(point.to("numpy"), coin.to("numpy")) == pytest.approx(math.log(2))
    assert kl_divergence(coin.to("numpy"), point.to("numpy")) == math.inf
    assert renyi_divergence(coin, point, 2) == sp.oo and renyi_divergence(coin, point, "1/2") == sp.log(2)
    assert renyi_divergence(point, coin, 0) == sp.log(2) and renyi_divergence(coin, point, 0) == 0  # -log q(supp p)
    assert Jeffreys()(coin, point) == sp.oo and ChiSquared()(coin, point) == sp.oo
    assert jensen_shannon(Kernel.state([1, 0]), Kernel.state([0, 1])) == sp.log(2)  # always finite
    t = kl_divergence(coin.to("torch"), point.to("torch"))
    assert torch.isinf(t) and t > 0


def test_renyi_limits_are_the_limit_values():
    pf, qf = P.to("numpy"), Q.to("numpy")
    assert renyi_divergence(pf, qf, 1 + 1e-6) == pytest.approx(kl_divergence(pf, qf), rel=1e-5)
    assert renyi_divergence(pf, qf, 1e-7) == pytest.approx(renyi_divergence(pf, qf, 0), abs=1e-6)
    assert renyi_divergence(pf, qf, 400.0) == pytest.approx(renyi_divergence(pf, qf, math.inf), rel=1e-2)
    # and exactly: D_inf = log max p/q = log 2, D_0 = -log q(supp p) = 0, D_1 = KL
    assert renyi_divergence(P, Q, "inf") == sp.log(2) and renyi_divergence(P, Q, 0) == 0
    assert renyi_divergence(P, Q, 1) == kl_divergence(P, Q)
    assert equal(renyi_divergence(P, Q, "1/2"), 2 * Bhattacharyya()(P, Q))


@given(st.data())
def test_renyi_is_non_decreasing_in_alpha(data):
    p = data.draw(stochastic_kernels((), Wire(3)))
    q = data.draw(full_support_kernels((), Wire(3)))
    vals = [renyi_divergence(p, q, a) for a in (0, F(1, 2), 1, 2, 3, "inf")]
    assert all(to_float(a) <= to_float(b) + 1e-12 for a, b in zip(vals, vals[1:]))


def test_hellinger_normalisations():
    a, b = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"])
    bc = bhattacharyya_coefficient(a, b)
    assert hellinger(a, b) == 1 - bc and hellinger(a, b, scale=2) == 2 * (1 - bc)
    assert hellinger(a, b, squared=False) == sp.sqrt(1 - bc)
    # scale 2 is Σ(√p − √q)² and scale 1 half of it, on floats too
    pf, qf = P.to("numpy"), Q.to("numpy")
    gap = ((np.sqrt(pf.matrix) - np.sqrt(qf.matrix)) ** 2).sum()
    assert hellinger(pf, qf, scale=2) == pytest.approx(gap) and hellinger(pf, qf) == pytest.approx(gap / 2)
    assert hellinger(pf, pf, squared=False) == 0.0  # no round-off amplified by the square root
    with pytest.raises(ParameterError, match="scale must be 1"):
        Hellinger(scale=3)


@pytest.mark.parametrize("D", ALL, ids=lambda d: d.name)
def test_backends_agree(D):
    f = Kernel([["1/2", "1/4", "1/4"], [1, 0, 0], [0, "1/3", "2/3"]])
    g = Kernel([["1/3", "1/3", "1/3"], ["1/2", "1/2", 0], [0, 0, 1]])
    exact = [to_float(v) for v in D(f, g)]
    flt = D(f.to("numpy"), g.to("numpy"))
    tch = D(f.to("torch"), g.to("torch")).numpy()
    raw = D(f.to("numpy").matrix.copy(), g.to("numpy").matrix.copy())
    np.testing.assert_allclose(flt, exact, rtol=1e-12)
    np.testing.assert_allclose(tch, exact, rtol=1e-12)
    np.testing.assert_allclose(raw, exact, rtol=1e-12)
    for name in EXTRA_NAMES:  # the test backend's exact rationals give the exact values themselves
        assert list(D(f.to(name), g.to(name))) == list(D(f, g))


def test_float_kl_and_js_match_scipy_with_zeros():
    rng = np.random.default_rng(0)
    A, B = rng.random((50, 7)), rng.random((50, 7))
    A[A < 0.3] = 0
    A[:, 0] += 0.1
    A /= A.sum(1, keepdims=True)
    B /= B.sum(1, keepdims=True)
    np.testing.assert_allclose(kl_divergence(A, B), sps.rel_entr(A, B).sum(1), rtol=1e-12)
    assert np.isinf(kl_divergence(B, A)).any() and np.array_equal(np.isinf(kl_divergence(B, A)), np.isinf(sps.rel_entr(B, A).sum(1)))
    from scipy.spatial.distance import jensenshannon

    np.testing.assert_allclose(np.sqrt(jensen_shannon(A, B)), [jensenshannon(a, b) for a, b in zip(A, B)], rtol=1e-10)


def test_tiny_entries_do_not_overflow():
    p, q = np.array([1.0, 0.0]), np.array([1 - 5e-324, 5e-324])
    assert kl_divergence(q, p) == math.inf and kl_divergence(p, q) == pytest.approx(0.0, abs=1e-300)
    v = kl_divergence(np.array([0.5, 0.5]), np.array([1.0, 5e-324]))
    assert math.isfinite(v) and v == pytest.approx(0.5 * (math.log(0.5) - math.log(5e-324)) + 0.5 * math.log(0.5))


@pytest.mark.parametrize("D", ALL, ids=lambda d: d.name)
@given(data=st.data())
def test_symmetry_flag_is_true(D, data):
    p, q = data.draw(stochastic_kernels((), Wire(3))), data.draw(stochastic_kernels((), Wire(3)))
    if D.symmetric:
        assert equal(D(p, q), D(q, p))


def test_asymmetric_divergences_are_asymmetric():
    for D in [KL(), Renyi(2), ChiSquared()]:
        assert not D.symmetric and not equal(D(P, Q), D(Q, P))


@pytest.mark.parametrize("D", ALL, ids=lambda d: d.name)
def test_kernel_forms_are_the_definitions(D):
    f = Kernel([["1/2", "1/4", "1/4"], [1, 0, 0], [0, "1/3", "2/3"]])
    g = Kernel([["1/3", "1/3", "1/3"], ["1/2", "1/2", 0], [0, "1/2", "1/2"]])
    A = f.dom
    for prior in [Kernel.state(["1/4", "1/4", "1/2"]), Kernel.state([0, "1/2", "1/2"])]:
        joint_f = prior >> Kernel.copy(A) >> (Kernel.id(A) @ f)
        joint_g = prior >> Kernel.copy(A) >> (Kernel.id(A) @ g)
        assert equal(D.averaged(f, g, prior), D(joint_f, joint_g)), prior
        assert D.averaged(f.to("numpy"), g.to("numpy"), prior.to("numpy")) == pytest.approx(to_float(D(joint_f, joint_g)), rel=1e-12)
    rows = D(f, g)
    assert equal(D.sup(f, g), max(rows, key=to_float))
    tf, tg, tp = f.to("torch"), g.to("torch"), Kernel.state(["1/4", "1/4", "1/2"]).to("torch")
    assert float(D.averaged(tf, tg, tp)) == pytest.approx(to_float(D.averaged(f, g, Kernel.state(["1/4", "1/4", "1/2"]))), rel=1e-12)
    assert float(D.sup(tf, tg)) == pytest.approx(to_float(D.sup(f, g)), rel=1e-12)
    with pytest.raises(BackendMismatchError, match="prior"):
        D.averaged(tf, tg, Kernel.state([0.25, 0.25, 0.5]).to("torch", dtype=torch.float32))


def test_sup_and_average_of_kl_by_hand():
    f = Kernel([["1/2", "1/2"], [1, 0]])
    g = Kernel.uniform(Wire(2), Wire(2))
    assert KL().sup(f, g) == sp.log(2)
    assert KL().averaged(f, g, Kernel.state(["1/3", "2/3"])) == 2 * sp.log(2) / 3
    assert KL().averaged(f, g, Kernel.state([1, 0])) == 0


def test_f_divergence_reproduces_the_named_ones():
    gens = {
        "KL": (lambda t: t * sp.log(t), KL()),
        "TV": (lambda t: sp.Abs(t - 1) / 2, TotalVariation()),
        "H2": (lambda t: (sp.sqrt(t) - 1) ** 2 / 2, Hellinger()),
        "JS": (lambda t: (t * sp.log(2 * t / (1 + t)) + sp.log(2 / (1 + t))) / 2, JensenShannon()),
        "Jeffreys": (lambda t: (t - 1) * sp.log(t), Jeffreys()),
    }
    f = Kernel([["1/2", "1/4", "1/4"], [1, 0, 0], [0, "1/3", "2/3"]])
    g = Kernel([["1/3", "1/3", "1/3"], ["1/2", "1/2", 0], [0, 0, 1]])
    for name, (gen, D) in gens.items():
        fd = FDivergence(gen, name=name)
        for a, b in zip(fd(f, g), D(f, g)):
            assert equal(a, b), name
        np.testing.assert_allclose(fd(f.to("numpy"), g.to("numpy")), D(f.to("numpy"), g.to("numpy")), rtol=1e-12)
        np.testing.assert_allclose(fd(f.to("torch"), g.to("torch")).numpy(), D(f.to("numpy"), g.to("numpy")), rtol=1e-12)


def test_numeric_f_serves_floats_only():
    fd = FDivergence(lambda t: np.where(t > 0, t * np.log(np.where(t > 0, t, 1)), 0.0), name="KL (numpy)", f0=0.0, slope=math.inf)
    assert fd(P.to("numpy"), Q.to("numpy")) == pytest.approx(to_float(kl_divergence(P, Q)))
    with pytest.raises(ParameterError, match="sympy functions"):
        fd(P, Q)


def test_f_divergence_errors():
    with pytest.raises(ParameterError, match="f\\(1\\) = 0"):
        FDivergence(lambda t: t**2)
    with pytest.raises(ParameterError, match="not convex"):
        FDivergence(lambda t: sp.sin(t - 1))
    with pytest.raises(ParameterError, match="not convex"):
        f_divergence(P, Q, lambda t: sp.log(t))  # concave


@pytest.mark.parametrize("bad", [-1, "-1/2", float("nan"), sp.Symbol("a")])
def test_alpha_out_of_range(bad):
    with pytest.raises(ParameterError, match="alpha"):
        Renyi(bad)


def test_float_alpha_with_exact_kernels_is_refused_not_rounded():
    with pytest.raises(ParameterError, match="give it exactly"):
        renyi_divergence(P, Q, 0.3)
    with pytest.raises(ParameterError, match="Fraction\\(1, 2\\)"):
        renyi_divergence(P, Q, 0.5)
    assert renyi_divergence(P, Q, 2.0) == renyi_divergence(P, Q, 2)  # an integral float is an exact integer
    assert renyi_divergence(P.to("numpy"), Q.to("numpy"), 0.3) > 0


def test_bad_inputs_are_named():
    with pytest.raises(ObjectMismatchError, match="different shapes"):
        kl_divergence(np.array([0.5, 0.5]), np.array([0.2, 0.3, 0.5]))
    with pytest.raises(ObjectMismatchError, match="distribution on Wire\\(2\\) but q on Wire\\(\\['a', 'b'\\]\\)"):
        kl_divergence(Kernel.uniform(Wire(2)), Kernel.uniform(Wire(["a", "b"])))
    with pytest.raises(ObjectMismatchError, match="indexed by"):
        kl_divergence(Kernel.uniform(2, Wire(2)), Kernel.uniform(2, Wire(["x", "y"])))
    with pytest.raises(DistributionError, match="p is not a batch.*negative"):
        kl_divergence(np.array([1.5, -0.5]), np.array([0.5, 0.5]))
    with pytest.raises(DistributionError, match="q is not a batch.*NaN"):
        kl_divergence(np.array([0.5, 0.5]), np.array([np.nan, 0.5]))
    with pytest.raises(DistributionError, match="row 1.*sums to"):
        total_variation(np.array([[0.5, 0.5], [0.5, 0.6]]), np.array([[0.5, 0.5], [0.5, 0.5]]))
    with pytest.raises(DistributionError, match="signed FinStoch"):
        kl_divergence(Kernel([[2, -1]], model="signed"), Kernel([["1/2", "1/2"]]))
    with pytest.raises(BackendMismatchError, match="p is exact but q is a float64 array"):
        kl_divergence(P, Q.to("numpy").matrix[0])


def test_structural_kernels_adapt_to_the_other_side():
    point = Kernel.point(Wire(2), 0)
    assert kl_divergence(point, np.array([0.25, 0.75])) == pytest.approx(math.log(4))
    t = kl_divergence(point, Kernel.state([0.25, 0.75]).to("torch", dtype=torch.float32))
    assert t.dtype == torch.float32 and float(t) == pytest.approx(math.log(4))
    assert kl_divergence(point, Kernel.state(["1/4", "3/4"])) == 2 * sp.log(2)


def test_sympy_kernels_give_formulas():
    a = sp.Symbol("a", positive=True)
    p = Kernel.state([a, 1 - a])
    v = total_variation(p, Kernel.state(["1/2", "1/2"]))
    assert sp.simplify(v.subs(a, sp.Rational(1, 4)) - sp.Rational(1, 4)) == 0
    assert sp.simplify(kl_divergence(p, Kernel.state(["1/2", "1/2"])).subs(a, sp.Rational(1, 2))) == 0


@given(st.data())
def test_triangle_inequality_for_the_metrics(data):
    p, q, r = (data.draw(stochastic_kernels((), Wire(3))) for _ in range(3))
    for D in [TotalVariation(), Hellinger(squared=False), Hellinger(2, squared=False)]:
        assert to_float(D(p, r)) <= to_float(D(p, q)) + to_float(D(q, r)) + 1e-12
    js = JensenShannon()
    assert math.sqrt(to_float(js(p, r))) <= math.sqrt(to_float(js(p, q))) + math.sqrt(to_float(js(q, r))) + 1e-12


def test_triangle_inequality_fails_for_the_non_metrics():
    p, q, r = Kernel.state([1, 0]), Kernel.state(["1/2", "1/2"]), Kernel.state([0, 1])
    for D in [Hellinger(), JensenShannon()]:
        assert to_float(D(p, r)) > to_float(D(p, q)) + to_float(D(q, r))
    r2 = Kernel.state(["1/4", "3/4"])
    assert to_float(kl_divergence(p, r2)) > to_float(kl_divergence(p, q)) + to_float(kl_divergence(q, r2))


@pytest.mark.parametrize("D", [TotalVariation(), Hellinger(), JensenShannon(), Jeffreys(), KL()], ids=lambda d: d.name)
def test_pairwise_matrices(D):
    f = Kernel([["1/2", "1/4", "1/4"], [1, 0, 0], [0, "1/3", "2/3"]])
    g = Kernel([["1/3", "1/3", "1/3"], ["1/2", "1/2", 0]])
    M = D.pairwise(f, g)
    assert M.shape == (3, 2)
    for a in range(3):
        for b in range(2):
            assert equal(M[a, b], D(f(a), g(b))), (a, b)
    np.testing.assert_allclose(D.pairwise(f.to("numpy"), g.to("numpy")), [[to_float(x) for x in r] for r in M], rtol=1e-12)
    np.testing.assert_allclose(D.pairwise(f.to("torch"), g.to("torch")).numpy(), [[to_float(x) for x in r] for r in M], rtol=1e-12)
    S = D.pairwise(f)
    assert all(S[i, i] == 0 for i in range(3))
    if D.symmetric:
        assert all(equal(S[i, j], S[j, i]) for i in range(3) for j in range(3))


def test_bhattacharyya_kernel_is_a_gram_matrix():
    rng = np.random.default_rng(5)
    F_ = rng.dirichlet(np.ones(4) * 0.3, size=12)
    K_bc = 1 - Hellinger().pairwise(F_)
    assert np.linalg.eigvalsh(K_bc).min() > -1e-10  # K_BC(a, b) = Σ √(p_a q_b) is a Gram matrix
    np.testing.assert_allclose(K_bc, np.sqrt(F_) @ np.sqrt(F_).T, atol=1e-12)


def test_a_divergence_written_against_the_old_private_hooks_still_works_and_is_told_to_rename():
    from catkit.info.divergences import Divergence

    # rows/combine/categorical_rows were _rows/_combine/_categorical before they became public
    with pytest.warns(DeprecationWarning, match="OldTV._rows is now called rows"):
        class OldTV(Divergence):
            name = "old TV"

            def _rows(self, ops, P, Q):
                return ops.asum(abs(P - Q), (1,)) / 2

    p, q = Kernel.state(["1/2", "1/2"]), Kernel.state([1, 0])
    assert OldTV()(p, q) == TotalVariation()(p, q) == F(1, 2)

    class Nothing(Divergence):
        pass

    with pytest.raises(NotImplementedError, match="Nothing must implement rows"):
        Nothing()(p, q)
