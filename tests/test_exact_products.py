"""Exact matrix products: python-flint for small products, the integer/BLAS path beyond, both equal to Fraction
arithmetic; a matrix held by python-flint reads back in the same row-normalised form."""

from __future__ import annotations

import math
from fractions import Fraction as F

import numpy as np
import pytest

from catkit import Kernel
from catkit.backends import exact as ex
from catkit.backends.exact import RatMatrix

flint = pytest.importorskip("flint")


def random_rows(rng, n, m, big=False):
    w = rng.integers(0, 9, size=(n, m)).astype(object)
    if big:  # numerators and denominators beyond int64
        w = w * (2**70 + 1) + rng.integers(0, 3, size=(n, m)).astype(object)
    w[:, 0] += 1
    return [[F(int(x), int(sum(r))) for x in r] for r in w]


def fraction_product(a, b):
    return (np.array(a, dtype=object) @ np.array(b, dtype=object)).tolist()


@pytest.mark.parametrize("n,k,m", [(1, 1, 1), (4, 4, 4), (3, 7, 2), (16, 16, 16), (36, 36, 36), (37, 36, 36), (40, 3, 5)])
@pytest.mark.parametrize("big", [False, True])
def test_flint_and_integer_products_equal_fraction_arithmetic(n, k, m, big, monkeypatch):
    rng = np.random.default_rng(n * 100 + k * 10 + m)
    a, b = random_rows(rng, n, k, big), random_rows(rng, k, m, big)
    A, B = RatMatrix.from_rows(a), RatMatrix.from_rows(b)
    want = fraction_product(a, b)
    small = A @ B
    monkeypatch.setattr(ex, "_FLINT_MAX", -1)  # force the integer / BLAS path
    large = RatMatrix.from_rows(a) @ RatMatrix.from_rows(b)
    assert small.tolist() == want == large.tolist()
    assert small == large and large == small
    assert np.array_equal(small.num, large.num) and np.array_equal(small.den, large.den)


def test_a_flint_result_reads_back_row_normalised_and_lazily():
    A = RatMatrix.from_rows([["1/2", "1/2"], ["1/3", "2/3"]])
    C = A @ A
    assert C._num is None and C.shape == (2, 2)  # nothing materialised yet
    assert C.tolist() == [[F(5, 12), F(7, 12)], [F(7, 18), F(11, 18)]]
    assert C._num is None
    assert C.num.tolist() == [[5, 7], [7, 11]] and C.den.tolist() == [12, 18]
    assert C.num.dtype == np.int64 and not C.num.flags.writeable
    for row, d in zip(C.num.tolist(), C.den.tolist()):
        assert math.gcd(d, *row) == 1


def test_a_flint_result_pickles_and_copies_as_integers():
    import copy
    import pickle

    C = RatMatrix.from_rows([["1/2", "1/2"], [0, 1]]) @ RatMatrix.from_rows([["1/3", "2/3"], [1, 0]])
    assert C._fq is not None
    assert pickle.loads(pickle.dumps(C)) == C and copy.deepcopy(C) == C


def test_products_of_flint_matrices_feed_the_other_operations():
    rng = np.random.default_rng(3)
    a, b = random_rows(rng, 3, 3), random_rows(rng, 3, 2)
    C = RatMatrix.from_rows(a) @ RatMatrix.from_rows(b)
    want = fraction_product(a, b)
    assert C.kron(RatMatrix.from_rows([[1]])).tolist() == want
    assert C.take(np.array([2, 0]), None).tolist() == [want[2], want[0]]
    assert C.pushforward(np.array([0, 0]), 1).tolist() == [[sum(r)] for r in want]
    assert (C @ RatMatrix.from_rows([[1], [1]])).tolist() == [[F(1)]] * 3


def test_kernels_compose_exactly_without_flint(monkeypatch):
    rng = np.random.default_rng(5)
    a, b = random_rows(rng, 4, 4), random_rows(rng, 4, 4)
    with_flint = Kernel(a) >> Kernel(b)
    monkeypatch.setattr(ex, "_flint", None)
    without = Kernel(a) >> Kernel(b)
    assert with_flint == without
    assert without.matrix.tolist() == fraction_product(a, b)
