import pytest

from catkit import CatkitError, I, Obj, Wire, as_obj


def test_wire_equality_uses_size_labels_and_name():
    assert Wire(2) == Wire(2)
    assert Wire(2) != Wire(3)
    assert Wire(["a", "b"]) != Wire(2)
    assert Wire(2, name="X") != Wire(2)
    assert len({Wire(2), Wire(2), Wire(2, name="X")}) == 2


@pytest.mark.parametrize("bad", [-1, "ab", 1.5, True])
def test_wire_rejects_bad_sizes(bad):
    with pytest.raises(CatkitError) as e:
        Wire(bad)
    assert repr(bad) in str(e.value) or str(bad) in str(e.value)


def test_wire_rejects_duplicate_labels_naming_the_label():
    with pytest.raises(ValueError, match="'a' appears twice"):
        Wire(["a", "b", "a"])


def test_tensor_of_objects_is_strict_concatenation():
    X, Y, Z = Wire(2), Wire(3), Wire(["u", "v"])
    assert (X @ Y) @ Z == X @ (Y @ Z) == Obj(X, Y, Z)
    assert X @ I == Obj(X) == I @ X
    assert (X @ Y).sizes == (2, 3) and (X @ Y).size == 6
    assert I.size == 1 and len(I) == 0


def test_elements_and_flat_indices_are_row_major():
    X = Wire(2) @ Wire(["a", "b", "c"])
    els = list(X.elements())
    assert els[0] == (0, "a") and els[3] == (1, "a")
    for i, x in enumerate(els):
        assert X.flat_index(x) == i and X.label(i) == x


def test_index_errors_name_the_element_and_wire():
    with pytest.raises(ValueError, match="'z' is not an element of Wire"):
        Wire(["a"]).index("z")
    with pytest.raises(ValueError, match="5 is not an element"):
        Wire(3).index(5)


def test_reprs_round_trip():
    for X in [I, Obj(Wire(2)), Wire(2) @ Wire(["a", "b"], name="Y")]:
        assert eval(repr(X)) == X


def test_as_obj_coercions():
    assert as_obj(3) == Obj(Wire(3))
    assert as_obj([2, Wire(4)]) == Wire(2) @ Wire(4)
    with pytest.raises(CatkitError):
        as_obj(2.5)


def test_positions_by_position_name_or_lists_naming_a_bad_key():
    import numpy as np

    from catkit.objects import ObjError

    X = Wire(2, name="x") @ Wire(3, name="y") @ Wire(2)
    assert X.positions("y", 0) == [1, 0] and X.positions([2, "x"], np.int64(1)) == [2, 0, 1]
    assert X.positions((1, 1)) == [1, 1]  # a marginal may copy a wire
    with pytest.raises(ObjError, match="the wire at position 1 is named twice"):
        X.positions([1, "y"], distinct=True)
    for bad in (1.5, None, b"y", True, 3, "z"):  # one bad key, named, never a TypeError from iterating it
        with pytest.raises(ObjError, match="wire position|no wire"):
            X.positions(bad)
    assert I.positions() == [] and X.positions(np.array(1), np.array([2, 0])) == [1, 2, 0]  # 0-d: one key
