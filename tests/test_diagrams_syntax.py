"""Free syntax: construction, typing errors, immutability, repr round trips."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

import catkit.diagrams as cd
from catkit.diagrams import Atom, Box, Copy, Diagram, DiagramTypeError, DiagramValueError, Discard, Id, Permutation, Swap, Ty
from catkit.errors import CatkitError

X, Y, Z = Ty("X"), Ty("Y"), Ty("Z")
f, g = Box("f", X, Y), Box("g", Y, Z)


def test_composition_and_tensor_types():
    assert (f >> g).dom == X and (f >> g).cod == Z
    assert (f @ g).dom == X @ Y and (f @ g).cod == Y @ Z
    assert (X @ f).dom == X @ X and (f @ Y).cod == Y @ Y
    assert Id(X) >> f == f >> Id(Y) == Id() @ f


def test_operators_are_associative_syntactically():
    h = Box("h", Z, X)
    assert (f >> g) >> h == f >> (g >> h)
    assert (f @ g) @ h == f @ (g @ h)
    assert (X @ Y) @ Z == X @ (Y @ Z) == Ty("X", "Y", "Z")


def test_mismatched_composition_names_both_sides():
    with pytest.raises(DiagramTypeError) as e:
        f >> Box("k", X, Z)
    msg = str(e.value)
    assert "f >> k" in msg and "Ty('Y')" in msg and "Ty('X')" in msg
    assert isinstance(e.value, CatkitError) and isinstance(e.value, TypeError)


def test_bad_values_are_named():
    with pytest.raises(DiagramValueError, match=r"\[0, 0\] is not a permutation"):
        Permutation(X @ Y, [0, 0])
    with pytest.raises(DiagramValueError, match="copy needs n >= 0"):
        Copy(X, -1)
    with pytest.raises(DiagramValueError, match="size of wire type 'X'"):
        Atom("X", -2)
    with pytest.raises(DiagramTypeError, match="layer 0: g expects"):
        Diagram(X, Z, [(0, g)])
    with pytest.raises(DiagramTypeError, match="not on the codomain"):
        Diagram(X, Z, [(0, f)])
    with pytest.raises(DiagramValueError, match="offset 1"):
        Diagram(X, Y, [(1, f)])
    with pytest.raises(DiagramTypeError, match="cannot compose a diagram with 3"):
        f.then(3)  # type: ignore[arg-type]


def test_immutable_and_hashable():
    with pytest.raises(AttributeError):
        f.name = "g"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        (f >> g).layers = ()  # type: ignore[misc]
    assert len({f, Box("f", X, Y), Id() @ f, f >> g}) == 2


def test_structural_boxes():
    assert Copy(X @ Y).cod == Ty("X", "Y", "X", "Y") and Copy(X @ Y).wiring == (0, 1, 0, 1)
    assert Copy(X, 0).cod == Ty() and Copy(X, 1).is_permutation
    assert Swap(X, Y) == Permutation(X @ Y, [1, 0])
    assert Discard(X @ Y).cod == Ty() and Discard(X).is_structural and not f.is_structural
    assert (f >> Copy(Y)).wires() == [X, Y, Y @ Y]


@given(st.integers(0, 10**6), st.integers(0, 12))
def test_repr_round_trips(seed, n):
    d = cd.random_diagram(n, seed=seed)
    namespace = {name: getattr(cd, name) for name in cd.__all__}
    assert eval(repr(d), namespace) == d
    assert eval(repr(d.dom), namespace) == d.dom


def test_repr_of_sized_types_round_trips():
    t = Ty("X", size=2) @ Ty("Y")
    assert eval(repr(t), {"Ty": Ty}) == t and t.sizes == (2, None)


def test_str_is_readable():
    assert str(f >> Copy(Y) >> (Y @ Discard(Y))) == "f >> copy(Y) >> id(Y) @ discard(Y)"
