"""catkit.interop ⇄ dit, against the real library: exactness, names, alphabets, dit's own information measures."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

dit = pytest.importorskip("dit")
import sympy  # noqa: E402

from catkit import Kernel, Wire  # noqa: E402
from catkit.info import conditional_mutual_information, in_bits, mutual_information, shannon_entropy  # noqa: E402
from catkit.interop import InteropError, InteropTypeError, from_dit, to_dit  # noqa: E402
from catkit.objects import I  # noqa: E402


def _xor(exact: bool = True) -> object:
    q = sympy.Rational(1, 4) if exact else 0.25
    d = dit.Distribution(["000", "011", "101", "110"], [q] * 4)
    d.set_rv_names("XYZ")
    return d


def test_exact_dit_gives_an_exact_state_on_named_wires() -> None:
    k = from_dit(_xor())
    assert k.backend.name == "exact" and k.dom == I
    assert [w.name for w in k.cod] == ["X", "Y", "Z"] and all(w.labels == ("0", "1") for w in k.cod)
    assert k[("0", "1", "1")] == Fraction(1, 4) and k[("0", "0", "1")] == 0
    # dit's own measures agree with catkit's on the converted state, exactly where both are exact
    x = _xor()
    assert in_bits(shannon_entropy(k)) == dit.shannon.entropy(x) == 2
    assert mutual_information(k, 0, 1) == dit.shannon.mutual_information(x, "X", "Y") == 0
    assert in_bits(conditional_mutual_information(k, 0, 1, given=2)) == 1
    assert math.isclose(float(dit.multivariate.coinformation(x, ["X", "Y"], "Z")), 1.0)
    # control: a correlated pair has positive information on both sides
    same = dit.Distribution(["00", "11"], [sympy.Rational(1, 3), sympy.Rational(2, 3)])
    ours, theirs = float(in_bits(mutual_information(from_dit(same), 0, 1))), float(dit.shannon.mutual_information(same, [0], [1]))
    assert ours > 0.9 and math.isclose(ours, theirs)


def test_backends_follow_dit_pmf() -> None:
    assert from_dit(_xor(exact=False)).backend.name == "numpy"
    assert from_dit(_xor(exact=False), backend="exact") == from_dit(_xor())
    p = sympy.Symbol("p")
    sym = from_dit(dit.Distribution(["0", "1"], [p, 1 - p]))
    assert sym.backend.name == "sympy" and sym.subs({p: sympy.Rational(1, 3)}).to("exact") == Kernel.state(["1/3", "2/3"], Wire(["0", "1"]))
    log = dit.Distribution(["0", "1"], [-1.0, -1.0], base=2)
    assert from_dit(log).matrix.tolist() == [[0.5, 0.5]]
    with pytest.raises(InteropError, match="no fraction"):
        from_dit(dit.Distribution(["0", "1"], [0.1234567, 0.8765433]), backend="exact", max_denominator=100)


def test_round_trips() -> None:
    k = Kernel.state(["1/6", "0", "1/3", "1/2"], Wire(["a", "b"], name="A") @ Wire(2, name="B"))
    d = to_dit(k)
    assert d.is_symbolic() and d.get_rv_names() == ("A", "B")
    assert d.alphabet == (("a", "b"), (0, 1))               # the zero-probability outcome keeps its symbol
    assert from_dit(d) == k                                   # exact both ways
    x = _xor()
    back = to_dit(from_dit(x))
    assert back.outcomes == x.outcomes and list(back.pmf) == list(x.pmf) and back.get_rv_names() == x.get_rv_names()
    f = Kernel.state([0.25, 0.75], Wire(["h", "t"]))
    assert from_dit(to_dit(f)) == f and to_dit(f).get_rv_names() is None
    # dit sorts alphabets: unsorted labels come back sorted, the same law relabelled
    u = Kernel.state(["1/3", "2/3"], Wire(["t", "h"]))
    assert from_dit(to_dit(u)) == Kernel.state(["2/3", "1/3"], Wire(["h", "t"]))
    # scalar outcomes of one variable (whole words, not characters)
    words = dit.Distribution(["rain", "sun"], [0.25, 0.75])
    assert from_dit(words).cod == Wire(["rain", "sun"]) @ ()


def test_bad_input() -> None:
    with pytest.raises(InteropTypeError, match="needs a state"):
        to_dit(Kernel([[1, 0], [0, 1]]))
    with pytest.raises(InteropTypeError):
        from_dit(Kernel.state([1, 0]))
    with pytest.raises(InteropError, match="at least one"):
        to_dit(Kernel.state([1], ()))
