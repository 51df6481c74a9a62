"""Marginals by reshape-and-sum agree with composing with the projection (every backend, every model);
wires can be named wherever positions are taken; mutual information reads one joint marginal."""

from __future__ import annotations

import numpy as np
import pytest
from extra_backends import EXTRA_NAMES
from hypothesis import given, settings
from hypothesis import strategies as st

from catkit import Kernel, KernelValueError, Obj, Wire
from catkit.info import DistributionError, conditional_entropy, mutual_information
from catkit.structure import StructureError, conditional, independent
from catkit.testing import kernels, objects


@st.composite
def marginal_cases(draw):  # type: ignore[no-untyped-def]
    dom = draw(objects(0, 2, 1, 3))
    cod = draw(objects(1, 4, 1, 3))
    kind = draw(st.sampled_from(["finstoch", "signed", "substoch", "deterministic"]))
    f = draw(kernels(dom, cod, kind))
    keep = draw(st.lists(st.integers(0, len(cod) - 1), unique=True, max_size=len(cod)))
    return f, keep


@settings(max_examples=80, deadline=None)
@given(marginal_cases())
def test_the_fast_marginal_is_the_projection(case):
    f, keep = case
    slow = f >> Kernel.projection(f.cod, keep)
    fast = f.marginal(keep)
    assert fast == slow and fast.model is slow.model and fast.cod == slow.cod
    for backend in ("sympy", "numpy", "torch", *EXTRA_NAMES):
        g = f.to(backend)
        gf, gs = g.marginal(keep), g >> Kernel.projection(g.cod, keep)
        assert gf.backend.name == backend and gf.cod == gs.cod
        assert gf == gs if g.backend.exact else gf.allclose(gs, 1e-12)


def test_marginals_of_structural_kernels_and_repeated_wires_still_compose():
    X = Wire(2) @ Wire(3)
    sw = Kernel.swap(Wire(2), Wire(3))
    assert sw.marginal(1).as_function() == {(0, 0): 0, (0, 1): 0, (0, 2): 0, (1, 0): 1, (1, 1): 1, (1, 2): 1}
    p = Kernel.uniform(X)
    assert p.marginal([0, 0]) == p >> Kernel.projection(X, [0, 0])  # a copy, not a marginal
    assert p.marginal([0, 1]) is p  # the identity marginal is the kernel itself (values are immutable)


def test_wires_by_name():
    X = Wire(["sun", "rain"], name="weather") @ Wire(2, name="umbrella")
    psi = Kernel.state([["3/5", "1/10"], ["1/10", "1/5"]], X)
    assert psi.marginal("umbrella") == psi.marginal(1)
    assert psi.marginal(["umbrella", "weather"]) == psi.marginal(1, 0) == psi.marginal("umbrella", 0)
    assert conditional(psi, on="weather") == conditional(psi, on=[0])
    assert conditional(psi, on="weather")[("rain",), 1] == psi["rain", 1] / (psi["rain", 0] + psi["rain", 1])
    assert independent(psi, ["weather"], ["umbrella"]) is False
    assert mutual_information(psi, "weather", "umbrella") == mutual_information(psi, 0, 1)
    assert conditional_entropy(psi, "umbrella", given="weather") == conditional_entropy(psi, 1, given=0)
    with pytest.raises(KernelValueError, match="no wire of .* is named 'snow' \\(names: \\['weather', 'umbrella'\\]\\)"):
        psi.marginal("snow")
    with pytest.raises(StructureError, match="on='snow': no wire"):
        conditional(psi, on="snow")
    with pytest.raises(DistributionError, match="left: no wire"):
        mutual_information(psi, "snow")
    twins = Kernel.uniform(Wire(2, name="x") @ Wire(2, name="x"))
    with pytest.raises(KernelValueError, match="2 wires of .* are named 'x'"):
        twins.marginal("x")


@settings(max_examples=30, deadline=None)
@given(marginal_cases())
def test_mutual_information_is_the_sum_of_three_entropies(case):
    f, keep = case
    if f.model.key not in ("finstoch", "finset") or f.generic or not keep:
        return
    rest = [j for j in range(len(f.cod)) if j not in keep][:1]
    if not rest:
        return
    from catkit.info import shannon_entropy

    h = [shannon_entropy(f >> Kernel.projection(f.cod, pos)) for pos in (keep, rest, keep + rest)]
    mi = mutual_information(f, keep, rest)
    expected = h[0] + h[1] - h[2]
    if f.dom:
        assert all((a - b).simplify() == 0 for a, b in zip(mi, expected))
    else:
        assert (mi - expected).simplify() == 0


def test_mutual_information_of_a_large_float_joint_matches_numpy():
    rng = np.random.default_rng(0)
    J = rng.random((300, 200))
    J /= J.sum()
    psi = Kernel.state(J.reshape(-1), Wire(300) @ Wire(200))
    px, py = J.sum(axis=1), J.sum(axis=0)
    assert mutual_information(psi) == pytest.approx(float((J * np.log(J / np.outer(px, py))).sum()), rel=1e-10)
    assert mutual_information(psi, 1, 0) == pytest.approx(mutual_information(psi), rel=1e-12)
    assert psi.marginal(1).cod == Obj(Wire(200))
