"""The exact backend's integer kernels against plain Python integers (all code paths)."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catkit.backends import exact as E
from catkit.backends.exact import RatMatrix


def ref(a, b, scale):
    k = len(b)
    return [[sum(a[i][t] * b[t][j] * (scale[t] if scale else 1) for t in range(k)) for j in range(len(b[0]))] for i in range(len(a))]


ints = st.integers(-(2**9), 2**9)
big = st.one_of(st.integers(1, 2**20), st.integers(1, 2**200))


@st.composite
def problems(draw):
    n, k, m = draw(st.integers(1, 5)), draw(st.integers(1, 6)), draw(st.integers(1, 5))
    a = draw(st.lists(st.lists(ints, min_size=k, max_size=k), min_size=n, max_size=n))
    b = draw(st.lists(st.lists(ints, min_size=m, max_size=m), min_size=k, max_size=k))
    scale = draw(st.none() | st.lists(big, min_size=k, max_size=k))
    return a, b, scale


@pytest.mark.parametrize("use_flint", [True, False])
@given(problems())
def test_scaled_matmul_is_exact_on_every_path(use_flint, problem):
    a, b, scale = problem
    saved = E._flint
    if not use_flint:
        E._flint = None
    try:
        got = E._scaled_matmul(np.array(a, dtype=np.int64), np.array(b, dtype=np.int64), scale)
        assert [[int(x) for x in r] for r in got.tolist()] == ref(a, b, scale)
        # and with Python-int (object) inputs
        ao = np.array(a, dtype=object)
        got = E._scaled_matmul(ao, np.array(b, dtype=np.int64), scale)
        assert [[int(x) for x in r] for r in got.tolist()] == ref(a, b, scale)
    finally:
        E._flint = saved


@given(st.lists(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=10**12), min_size=3, max_size=3), min_size=1, max_size=4),
       st.lists(st.lists(st.fractions(min_value=-3, max_value=3, max_denominator=10**12), min_size=2, max_size=2), min_size=3, max_size=3))
def test_ratmatrix_product_and_kron_match_fractions(a, b):
    A, B = RatMatrix.from_rows(a), RatMatrix.from_rows(b)
    prod = [[sum((x * y for x, y in zip(row, col)), Fraction(0)) for col in zip(*b)] for row in a]
    assert (A @ B).tolist() == prod
    assert A.kron(B).tolist() == [[x * y for x in ra for y in rb] for ra in a for rb in b]
    # canonical form: equal matrices have equal storage, so == is exact
    assert RatMatrix.from_rows(prod) == A @ B


def test_normal_form_reduces_rows_and_returns_to_int64():
    M = RatMatrix(np.array([[2, 4], [3, 3]], dtype=object), np.array([6, 6], dtype=object))
    assert M.num.dtype == np.int64 and M.den.tolist() == [3, 2] and M.num.tolist() == [[1, 2], [1, 1]]
    with pytest.raises(ValueError, match="positive"):
        RatMatrix(np.array([[1]]), np.array([-1]))


def test_validation_sums_rows_without_int64_overflow():
    """Entries near 2**60 each fit int64; 243 of them do not: the reported sum must still be right."""
    from catkit import Kernel

    den = 2**61 - 1  # prime: nothing cancels
    bad = [Fraction(2**60, den)] * 243
    with pytest.raises(ValueError) as e:
        Kernel([bad])
    assert f"sums to {Fraction(243 * 2**60, den)}, not 1" in str(e.value)
    base, rem = divmod(den, 243)
    good = Kernel([[Fraction(base + (1 if i < rem else 0), den) for i in range(243)]])
    assert good.storage.num.dtype == np.int64 and sum(good.matrix[0]) == 1
