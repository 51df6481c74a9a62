"""catkit.interop ⇄ DisCoPy 1.2, against the real library: round trips, DisCoPy's own tensor semantics, Markov equality."""

from __future__ import annotations

import random
import sys

import numpy as np
import pytest

discopy = pytest.importorskip("discopy", minversion="1.2")
from discopy import markov, symmetric, tensor  # noqa: E402

from catkit.diagrams import Box, Copy, Discard, Permutation, Swap, Ty, random_diagram, random_signature  # noqa: E402
from catkit.interop import InteropError, InteropTypeError, MissingDependencyError, from_discopy, to_discopy  # noqa: E402
from catkit.semantics import random_functor  # noqa: E402

SIZES = {"X": 2, "Y": 3}


def _random(seed: int, n: int = 12) -> tuple:
    sig = random_signature(random.Random(seed), ("X", "Y"))
    return random_diagram(n, seed=seed, signature=sig, max_width=4), sig


@pytest.mark.parametrize("seed", range(12))
def test_round_trips_both_ways_layer_for_layer(seed: int) -> None:
    d, _ = _random(seed)
    dd = to_discopy(d)
    assert isinstance(dd, markov.Diagram) and len(dd.inside) == len(d.layers)
    assert from_discopy(dd) == d                  # catkit → DisCoPy → catkit: the same layers
    assert to_discopy(from_discopy(dd)) == dd     # DisCoPy → catkit → DisCoPy: DisCoPy's own equality


def _discopy_eval(dd: object, F: object, boxes: list) -> np.ndarray:
    """Evaluate with DisCoPy's tensor functor (an independent implementation of the semantics)."""
    ar = {}
    for b in boxes:
        k = F(b)  # type: ignore[operator]
        ar[markov.Box(b.name, markov.Ty(*(a.name for a in b.dom)), markov.Ty(*(a.name for a in b.cod)))] = \
            np.asarray(k, dtype=float).reshape(k.dom.sizes + k.cod.sizes)
    DF = tensor.Functor(ob={markov.Ty(n): s for n, s in SIZES.items()}, ar=ar, dom=markov.Category(), dtype=float)
    return np.asarray(DF(dd).array)


@pytest.mark.parametrize("seed", range(6))
def test_discopy_tensor_semantics_agrees_with_catkit(seed: int) -> None:
    d, sig = _random(seed, 8)
    d = from_discopy(to_discopy(d))
    F = random_functor(sig, SIZES, seed)
    K = F(d)
    got = _discopy_eval(to_discopy(d), F, [b for b in sig if b in set(d.boxes)])
    assert np.allclose(got.reshape(K.dom.size, K.cod.size), np.asarray(K, dtype=float), atol=1e-12)


def test_wirings_on_several_wires_are_decomposed_into_the_same_morphism() -> None:
    X, Y = Ty("X", size=2), Ty("Y", size=3)
    f = Box("f", X, Y @ X)
    d = (Copy(X @ Y) >> f @ Y @ X @ Y >> Permutation(Y @ X @ Y @ X @ Y, [4, 0, 2, 1, 3])
         >> Discard(Y @ Y) @ Y @ X @ X >> Copy(Y, 3) @ Copy(X, 0) @ X)
    dd = to_discopy(d)
    assert len(dd.inside) > len(d.layers)                       # no single DisCoPy box for these wirings
    back = from_discopy(dd, sizes=SIZES)
    assert back != d and back.equals(d, "cd")                   # another syntax, the same morphism
    F = random_functor([f], SIZES, 3)
    assert F(back) == F(d)
    assert np.allclose(_discopy_eval(dd, F, [f]).reshape(F(d).dom.size, -1), np.asarray(F(d), dtype=float))
    # a permutation alone is a symmetric diagram
    p = Permutation(Ty("X", "Y", "X"), [2, 0, 1])
    sd = to_discopy(p, "symmetric")
    assert isinstance(sd, symmetric.Diagram) and from_discopy(sd).equals(p, "smc")


def test_sizes_and_symmetric_diagrams_round_trip() -> None:
    X, Y = symmetric.Ty("X"), symmetric.Ty("Y")
    sd = symmetric.Box("g", X, Y) @ X >> symmetric.Swap(Y, X)
    d = from_discopy(sd, sizes=SIZES)
    assert d.dom == Ty("X", "X", size=2) and d.cod == Ty("X", size=2) @ Ty("Y", size=3)
    assert to_discopy(d, "symmetric") == sd
    assert isinstance(from_discopy(markov.Copy(markov.Ty("X"), 1)).boxes[0], Copy)


def test_a_discopy_user_decides_markov_equality_with_catkit() -> None:
    X, Y = markov.Ty("X"), markov.Ty("Y")
    f = markov.Box("f", X, Y)
    lhs, rhs = f >> markov.Discard(Y), markov.Discard(X)
    old = markov.Diagram.use_hypergraph_equality
    try:
        markov.Diagram.use_hypergraph_equality = True
        discopy_says = lhs == rhs
        discopy_control = (f >> markov.Copy(Y)) == (markov.Copy(X) >> f @ f)
    finally:
        markov.Diagram.use_hypergraph_equality = old
    assert discopy_says is False and discopy_control is False   # DisCoPy keeps the discarded box
    assert from_discopy(lhs).equals(from_discopy(rhs), "markov")     # discarding f is discarding: Markov
    assert not from_discopy(lhs).equals(from_discopy(rhs), "cd")     # control: not in copy-discard categories
    assert not from_discopy(f >> markov.Copy(Y)).equals(from_discopy(markov.Copy(X) >> f @ f), "markov")
    # independent evidence: every (random exact) Markov kernel makes them equal; the control differs
    F = random_functor([Box("f", Ty("X"), Ty("Y"))], SIZES, 0)
    assert F(from_discopy(lhs)) == F(from_discopy(rhs))
    assert F(from_discopy(f >> markov.Copy(Y))) != F(from_discopy(markov.Copy(X) >> f @ f))


def test_what_catkit_has_no_counterpart_for_is_refused_by_name() -> None:
    X, Y = markov.Ty("X"), markov.Ty("Y")
    with pytest.raises(InteropError, match="Merge"):
        from_discopy(markov.Merge(X, 2))
    with pytest.raises(InteropError, match="dagger"):
        from_discopy(markov.Box("f", X, Y)[::-1])
    with pytest.raises(InteropError, match="data"):
        from_discopy(markov.Box("f", X, Y, data=[1, 2]))
    with pytest.raises(InteropError, match="symmetric has no copy"):
        to_discopy(Copy(Ty("X")), "symmetric")
    with pytest.raises(InteropError, match="sizes 2 and 3"):
        to_discopy(Box("f", Ty("X", size=2), Ty("X", size=3)))
    with pytest.raises(InteropError, match="category"):
        to_discopy(Swap(Ty("X"), Ty("Y")), "frobenius")
    with pytest.raises(InteropTypeError, match="DisCoPy diagram"):
        from_discopy(Box("f", "X", "Y"))
    with pytest.raises(InteropTypeError, match="catkit Diagram"):
        to_discopy(markov.Box("f", X, Y))  # type: ignore[arg-type]


def test_missing_discopy_names_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [m for m in sys.modules if m == "discopy" or m.startswith("discopy.")]:
        monkeypatch.setitem(sys.modules, name, None)  # an import of discopy now fails as if it were absent
    with pytest.raises(MissingDependencyError, match=r"pip install 'discopy>=1.2,<1.3'"):
        to_discopy(Box("f", "X", "Y"))
    assert issubclass(MissingDependencyError, ImportError)
