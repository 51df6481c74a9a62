"""Core kernel speed: float and exact composition (against numpy and python-flint), exact tensor product.

* float ``>>`` against numpy ``A @ B`` at n = 4 and 512;
* exact ``>>`` against python-flint's ``fmpq_mat`` product (the exact library a user would pick) at
  n = 4, 8, 16, 32 (goal: at most 3x) and 64, 128 (goal: faster than flint), on random stochastic
  matrices whose rows have different denominators; the products are checked equal first.  Kernels are
  values: catkit keeps the flint form of a small matrix once made, as flint's own matrices are made once;
  "cold" rows time a product of kernels just built from their rows (conversion included), reported;
* exact ``>>`` and ``@`` against Fraction object arrays (numpy matmul and kron).

``python -m benchmarks kernel [--quick]``.
"""

from __future__ import annotations

import sys
from fractions import Fraction
from typing import Any

import numpy as np

from benchmarks.common import Row, best, compare, finish, parser, reported
from catkit import Kernel
from catkit.backends.exact import RatMatrix


def random_exact_rows(rng: np.random.Generator, n: int, m: int, max_weight: int = 9) -> list[list[Fraction]]:
    w = rng.integers(0, max_weight + 1, size=(n, m))
    w[:, 0] += 1
    return [[Fraction(int(x), int(r.sum())) for x in r] for r in w]


def flint_matrix(flint: Any, rows: list[list[Fraction]]) -> Any:
    return flint.fmpq_mat(len(rows), len(rows[0]), [flint.fmpq(x.numerator, x.denominator) for r in rows for x in r])


def exact_against_flint(rng: np.random.Generator, sizes: list[int], rounds: int) -> list[Row]:
    try:
        import flint
    except ImportError:
        print("python-flint is not installed (the exact extra): skipping the fmpq_mat comparisons")
        return []
    rows = []
    for n in sizes:
        ra, rb = random_exact_rows(rng, n, n), random_exact_rows(rng, n, n)
        ka, kb = Kernel(ra), Kernel(rb)
        qa, qb = flint_matrix(flint, ra), flint_matrix(flint, rb)
        q = qa * qb
        want = [[Fraction(int(x.p), int(x.q)) for x in r] for r in q.tolist()]
        if (ka >> kb).matrix.tolist() != want:
            raise AssertionError(f"catkit and python-flint disagree on an exact {n}x{n} product: nothing timed")
        goal = 3.0 if n < 64 else 1.0
        rows.append(compare(f"exact >> at n={n}", lambda: ka >> kb, "python-flint fmpq_mat product", lambda: qa * qb, goal, rounds=rounds))
        if n in (4, 16):
            A, B = RatMatrix.from_rows(ra), RatMatrix.from_rows(rb)

            def cold(A: RatMatrix = A, B: RatMatrix = B) -> object:  # fresh values: no flint form kept yet
                return RatMatrix(A.num.copy(), A.den.copy()) @ RatMatrix(B.num.copy(), B.den.copy())

            rows.append(reported(f"exact product at n={n}, cold (matrices just built: conversion included)", best(cold)))
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    rounds = 3 if args.quick else 7
    rng = np.random.default_rng(0)
    rows = []
    for n, goal in [(4, 3.0), (512, 1.2)]:
        A = rng.random((n, n))
        A /= A.sum(1, keepdims=True)
        B = rng.random((n, n))
        B /= B.sum(1, keepdims=True)
        ka, kb = Kernel(A), Kernel(B)
        rows.append(compare(f"float >> at n={n}", lambda: ka >> kb, "numpy A @ B", lambda: A @ B, goal, rounds=rounds))

    rows += exact_against_flint(rng, [4, 8, 16, 32] if args.quick else [4, 8, 16, 32, 64, 128], rounds)

    n = 32
    ra, rb = random_exact_rows(rng, n, n), random_exact_rows(rng, n, n)
    ka, kb = Kernel(ra), Kernel(rb)
    fa, fb = np.array(ra, dtype=object), np.array(rb, dtype=object)
    rows.append(compare(f"exact >> at n={n}", lambda: ka >> kb, "Fraction object-array matmul", lambda: fa @ fb, 50, faster=True, rounds=3))

    n = 16
    ra, rb = random_exact_rows(rng, n, n), random_exact_rows(rng, n, n)
    ka, kb = Kernel(ra), Kernel(rb)
    fa, fb = np.array(ra, dtype=object), np.array(rb, dtype=object)
    rows.append(compare(f"exact @ of two {n}x{n}", lambda: ka @ kb, "np.kron on Fraction arrays", lambda: np.kron(fa, fb), 50, faster=True,
                        rounds=3))
    return finish("Kernel composition and tensor (bench_kernel)", rows)


if __name__ == "__main__":
    sys.exit(main())
