"""The semantics functor: soundness for the free Markov category, exactness, backends, errors."""

import random
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from extra_backends import EXTRA_NAMES
from hypothesis import given
from hypothesis import strategies as st

from catkit import Kernel, Wire
from catkit.diagrams import Box, Copy, Discard, Id, Swap, Ty, mutate, random_diagram, random_rewrite, random_signature
from catkit.errors import BackendMismatchError
from catkit.objects import Obj
from catkit.semantics import Functor, SemanticsError, evaluate, random_functor

SIZES = {"X": 2, "Y": 3}


@given(st.integers(0, 10**6), st.integers(1, 10))
def test_markov_equal_diagrams_evaluate_equal(seed, n):
    rng = random.Random(seed)
    sig = random_signature(seed % 5)
    d = random_diagram(n, seed=seed, signature=sig, max_width=4)
    e = random_rewrite(d, 15, "markov", seed=seed + 1, signature=sig)
    F = random_functor(sig, SIZES, rng)
    k = F(d)
    assert k.backend.name == "exact" and k == F(e)
    assert k == F.evaluate(d, "layers")  # the one contraction agrees with kernel >> and @


def test_unequal_diagrams_are_usually_told_apart():
    told, total = 0, 0
    for seed in range(40):
        rng = random.Random(seed)
        sig = random_signature(seed % 5)
        d = random_diagram(6, seed=seed, signature=sig, max_width=4)
        m = mutate(d, seed)
        if m is None:
            continue
        F = random_functor(sorted(set(sig) | set(m.boxes), key=repr), SIZES, rng)
        total += 1
        told += F(d) != F(m)
    assert total >= 30 and told / total >= 0.8  # measured: 39 of 40 with these seeds


def test_copy_discard_and_swap_are_the_structural_kernels():
    F = Functor({}, ob={"X": 2, "Y": 3})
    X, Y = Ty("X"), Ty("Y")
    assert F(Copy(X)) == Kernel.copy(Wire(2))
    assert F(Copy(X @ Y)) == Kernel.copy(Wire(2) @ Wire(3))
    assert F(Discard(X @ Y)) == Kernel.discard(Wire(2) @ Wire(3))
    assert F(Swap(X, Y)) == Kernel.swap(Wire(2), Wire(3))
    assert F(Id(X)) == Kernel.id(Wire(2)) and F(Id()) == Kernel.id(Obj())


def test_exact_stays_exact_and_floats_stay_floats():
    X = Ty("X")
    p, f = Box("p", Ty(), X), Box("f", X, X)
    d = p >> Copy(X) >> (f @ X)
    exact = {p: Kernel.state(["1/3", "2/3"]), f: Kernel([["1/7", "6/7"], [1, 0]])}
    k = evaluate(d, exact)
    assert k.backend.name == "exact" and k.matrix.tolist() == [[Fraction(1, 21), Fraction(2, 3), Fraction(2, 7), 0]]  # (f(x), x)
    kf = evaluate(d, exact, backend="numpy")
    assert kf.backend.name == "numpy" and kf.allclose(k.to("numpy"), 1e-12)
    q = sp.Symbol("q")
    sym = {p: Kernel.state([q, 1 - q]), f: Kernel([[q, 1 - q], [0, 1]])}
    ks = evaluate(d, sym)
    assert ks.backend.name == "sympy" and ks == Functor(sym).evaluate(d, "layers")
    for name in EXTRA_NAMES:  # the test backend contracts its own arrays (no integer fast path): the same kernel
        kx = evaluate(d, exact, backend=name)
        assert kx.backend.name == name and kx == k.to(name) == Functor(exact, backend=name).evaluate(d, "layers")


def test_torch_backend():
    torch = pytest.importorskip("torch")
    X = Ty("X")
    p, f = Box("p", Ty(), X), Box("f", X, X)
    t64 = torch.float64
    ar = {p: Kernel(torch.tensor([0.25, 0.75], dtype=t64)), f: Kernel(torch.tensor([[0.5, 0.5], [0.0, 1.0]], dtype=t64))}
    k = evaluate(p >> Copy(X) >> (X @ f), ar)
    assert k.backend.name == "torch"
    assert np.allclose(k.matrix.numpy(), [[0.125, 0.125, 0.0, 0.75]])


def test_big_exact_contractions_use_python_integers():
    X = Ty("X")
    boxes = [Box(f"f{i}", X, X) for i in range(30)]
    d = boxes[0]
    for b in boxes[1:]:
        d = d >> b
    ar = {b: Kernel([[Fraction(1, 97 + i), 1 - Fraction(1, 97 + i)], [Fraction(3, 101 + i), 1 - Fraction(3, 101 + i)]])
          for i, b in enumerate(boxes)}
    F = Functor(ar)
    assert F(d) == F.evaluate(d, "layers")


def test_errors_name_the_box():
    f = Box("f", "X", "Y")
    with pytest.raises(SemanticsError, match="no kernel for the box f: X → Y"):
        Functor({})(f)
    with pytest.raises(SemanticsError, match=r"kernel for f: X → Y has codomain Wire\(2\) but the functor sends Y to Wire\(3\)"):
        Functor({f: Kernel([[1, 0]])}, ob={"Y": 3})(f)
    with pytest.raises(SemanticsError, match="not a Kernel"):
        Functor({f: [[1]]})(f)  # type: ignore[dict-item]
    g = Box("g", "Y", "Y")
    with pytest.raises(BackendMismatchError, match="f .exact. and g .numpy."):
        Functor({f: Kernel([[1, 0]], dom=Wire(1)), g: Kernel([[0.5, 0.5], [0.5, 0.5]])}, ob={"X": 1, "Y": 2})(f >> g)
    with pytest.raises(SemanticsError, match="unknown method"):
        Functor({}).evaluate(Id(), "magic")


def test_models_join_and_substochastic_discard_is_not_deleted():
    X = Ty("X")
    e = Box("e", X, Ty())
    sub = Kernel([["1/2"], [1]], dom=Wire(2), cod=Obj(), model="substoch")
    k = evaluate(Copy(X) >> (X @ e), {e: sub})
    assert k.model.key == "substoch" and k.matrix.tolist() == [[Fraction(1, 2), 0], [0, 1]]


def test_exact_results_with_big_denominators_validate():
    """Regression: entries near 2**60 over a 64-bit denominator, 243 columns (row sums exceed int64)."""
    seed = 81
    rng = random.Random(seed)
    sizes = {"X": rng.randint(2, 3), "Y": rng.randint(2, 4)}
    sig = random_signature(seed % 13)
    d = random_diagram(rng.randint(4, 14), seed=seed, signature=sig, max_width=rng.randint(3, 5))
    from catkit.semantics import random_kernel

    F = Functor({b: random_kernel(b, sizes, rng, max_weight=rng.choice([5, 9, 30, 200])) for b in sig}, ob=sizes)
    k = F(d)
    assert max(int(x) for x in k.storage.den).bit_length() > 62
    assert k == F.evaluate(d, "layers")


def test_contraction_follows_the_layers_unless_an_intermediate_would_blow_up():
    from catkit.diagrams.contraction import Contraction, _sweep_path

    rng = np.random.default_rng(1)
    size = {i: 3 for i in range(12)}
    chain = [(i, i + 1) for i in range(6)]
    assert _sweep_path(chain, (0, 6), size) == [(0, 1), (0, 4), (0, 3), (0, 2), (0, 1)]
    mats = [rng.random((3, 3)) for _ in chain]
    assert np.allclose(Contraction(chain, (0, 6), size)(*mats), np.linalg.multi_dot(mats))
    # four states, a box on each, then one effect on all four outputs: taking the states
    # first builds a 3^4 tensor, larger than any operand, so the planner searches instead
    ops = [(i,) for i in range(4)] + [(i, 4 + i) for i in range(4)] + [(4, 5, 6, 7)]
    ops_sizes = {i: 3 for i in range(8)}
    ops_sizes.update({4: 2, 5: 2, 6: 2, 7: 2})
    assert _sweep_path(ops, (), ops_sizes) is None
    arrays = [rng.random(tuple(ops_sizes[x] for x in o)) for o in ops]
    want = np.einsum("a,b,c,d,ae,bf,cg,dh,efgh->", *arrays)
    assert np.isclose(Contraction(ops, (), ops_sizes)(*arrays), want)
    # a ring: the layer order carries index 9 through every step; cheap on small wires,
    # too many multiply-adds per step on 32-element wires, where the search does better
    ring = [(0, 9), (0, 1), (1, 2), (2, 3), (3, 4), (4, 9)]
    assert _sweep_path(ring, (), dict.fromkeys(range(10), 3)) is not None
    assert _sweep_path(ring, (), dict.fromkeys(range(10), 32)) is None
    arrays = [rng.random((32, 32)) for _ in ring]
    want = np.trace(np.linalg.multi_dot([arrays[0].T, *arrays[1:]]))
    assert np.isclose(Contraction(ring, (), dict.fromkeys(range(10), 32))(*arrays), want)
