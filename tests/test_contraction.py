"""Compiled contractions against numpy.einsum on random networks (batch, contracted, summed-out and repeated
indices), and the shape of the compiled program for a chain."""

from __future__ import annotations

import numpy as np
import pytest

from catkit.diagrams.contraction import Contraction

LETTERS = "abcdefghijklmnopqrstuvwxyz"


def random_network(rng):
    n_idx = int(rng.integers(2, 7))
    size = {i: int(rng.integers(1, 4)) for i in range(n_idx)}
    ops = []
    for _ in range(int(rng.integers(1, 6))):
        k = int(rng.integers(1, 4))
        ops.append(tuple(int(x) for x in rng.integers(0, n_idx, size=k)))  # repeats allowed: diagonals
    used = sorted({x for o in ops for x in o})
    out = tuple(int(x) for x in rng.permutation(used)[: int(rng.integers(0, len(used) + 1))])
    return ops, out, size


@pytest.mark.parametrize("seed", range(60))
def test_random_networks_equal_einsum(seed):
    rng = np.random.default_rng(seed)
    ops, out, size = random_network(rng)
    arrays = [rng.random([size[x] for x in o]) for o in ops]
    sub = ",".join("".join(LETTERS[x] for x in o) for o in ops) + "->" + "".join(LETTERS[x] for x in out)
    want = np.einsum(sub, *arrays)
    got = Contraction(ops, out, size)(*arrays)
    assert np.shape(got) == want.shape and np.allclose(got, want, rtol=1e-12, atol=1e-14)
    # the same plan on exact integers (object arrays) gives the exact integer answer
    ints = [rng.integers(0, 5, size=a.shape).astype(object) for a in arrays]
    exact = Contraction(ops, out, size)(*ints)
    assert np.array_equal(np.asarray(exact, dtype=np.int64), np.einsum(sub, *[a.astype(np.int64) for a in ints]))


def test_a_chain_of_matrices_runs_as_bare_products():
    n = 12
    size = dict.fromkeys(range(n + 1), 5)
    c = Contraction([(i, i + 1) for i in range(n)], (0, n), size)
    assert all(bare for _, _, bare, _ in c._program)  # no transpose, no reshape: one product per step
    rng = np.random.default_rng(0)
    mats = [rng.random((5, 5)) for _ in range(n)]
    assert np.allclose(c(*mats), np.linalg.multi_dot(mats))
    back = Contraction([(i, i + 1) for i in range(n)], (n, 0), size)  # transposed output: still correct
    assert np.allclose(back(*mats), np.linalg.multi_dot(mats).T)
