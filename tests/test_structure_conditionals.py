"""Conditionals and disintegration (B5): the defining equation for every split of the outputs,
whatever the off-support rows; exact, symbolic, float and torch."""

from __future__ import annotations

import numpy as np
import pytest
from extra_backends import EXACT_BACKENDS
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Obj, Wire
from catkit.structure import NoConditionalError, StructureError, conditional, disintegrate, recombine
from catkit.testing import objects, stochastic_kernels, symbolic_kernel


@st.composite
def split_kernels(draw):  # type: ignore[no-untyped-def]
    A = draw(objects(0, 1, 1, 2))
    C = draw(objects(1, 3, 1, 3))
    f = draw(stochastic_kernels(A, C))
    on = draw(st.lists(st.integers(0, len(C) - 1), unique=True))
    return f, on


@pytest.mark.parametrize("backend", EXACT_BACKENDS)
@given(split_kernels(), st.data())
def test_defining_equation_for_any_split_and_any_off_support_rows(backend, fo, data):
    f, on = fo
    f = f.to(backend)
    X = Obj(*(f.cod[j] for j in on))
    Y = Obj(*(w for j, w in enumerate(f.cod) if j not in on))
    c = conditional(f, on)
    assert c.dom == X @ f.dom and c.cod == Y and c.backend.name == backend
    assert recombine(f.marginal(on), c, on) == f
    fill = data.draw(stochastic_kernels(X @ f.dom, Y)).to(backend)
    c2 = conditional(f, on, fill=fill)
    assert recombine(f.marginal(on), c2, on) == f
    # the fill really is used where the marginal vanishes (so the test randomises something)
    m = f.marginal(on).matrix
    for a in range(f.dom.size):
        for x in range(X.size):
            row = x * f.dom.size + a
            if m[a, x] == 0:
                assert c2.matrix[row].tolist() == fill.matrix[row].tolist()
            else:
                assert c2.matrix[row].tolist() == c.matrix[row].tolist()


def test_conditionals_are_unique_only_almost_surely():
    psi = Kernel.state([["1/2", "1/2"], [0, 0]], Wire(2) @ Wire(2))
    fill = Kernel([[1, 0], [0, 1]])
    a, b = conditional(psi, 0), conditional(psi, 0, fill=fill)
    assert a != b and recombine(psi.marginal(0), a, [0]) == recombine(psi.marginal(0), b, [0]) == psi


def test_symbolic_conditional_is_exact():
    f = symbolic_kernel(Wire(2), Wire(2) @ Wire(2), "f")
    c = conditional(f, [1])
    assert recombine(f.marginal(1), c, [1]) == f


def test_float_and_torch_conditionals():
    rng = np.random.default_rng(1)
    f = Kernel(rng.dirichlet(np.ones(6), size=2), Wire(2), Wire(2) @ Wire(3))
    for k in (f, f.to("torch")):
        c = conditional(k, [1])
        assert c.backend.name == k.backend.name
        assert recombine(k.marginal(1), c, [1]).allclose(k, 1e-12)


def test_disintegration_of_a_state():
    psi = Kernel.state([["1/8", "3/8"], ["1/4", "1/4"]], Wire(["a", "b"]) @ Wire(["u", "v"]))
    m, c = disintegrate(psi, 1)
    assert m == psi.marginal(1)
    assert c["u", "a"] == psi["a", "u"] / m["u"]
    with pytest.raises(StructureError, match="state"):
        disintegrate(Kernel.copy(Wire(2)), 0)


def test_bad_wires_are_named():
    f = Kernel.uniform(Wire(2) @ Wire(2))
    with pytest.raises(StructureError, match=r"on=\[2\]: wire position 2 is not one of"):
        conditional(f, [2])
    with pytest.raises(StructureError, match=r"on=\[0, 0\]: the wire at position 0 is named twice"):
        conditional(f, [0, 0])
    with pytest.raises(StructureError, match="fill must be a kernel"):
        conditional(f, [0], fill=Kernel.uniform(Wire(3), Wire(2)))


def test_signed_kernels_may_have_no_conditional():
    f = Kernel.state([1, -1, "1/2", "1/2"], Wire(2) @ Wire(2), model="signed")
    with pytest.raises(NoConditionalError, match="no conditional"):
        conditional(f, [0])
    c = conditional(f, [0], strict=False)
    assert recombine(f.marginal(0), c, [0]) != f
