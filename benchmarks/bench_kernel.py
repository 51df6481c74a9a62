"""Core kernel speed: float and exact composition, exact tensor product (issue 2's targets)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from benchmarks.common import best, print_rows, ratio_row
from catkit import Kernel


def random_exact_rows(rng: np.random.Generator, n: int, m: int, max_weight: int = 9) -> list[list[Fraction]]:
    w = rng.integers(0, max_weight + 1, size=(n, m))
    w[:, 0] += 1
    return [[Fraction(int(x), int(r.sum())) for x in r] for r in w]


def main() -> bool:
    rng = np.random.default_rng(0)
    rows = []
    for n, target in [(4, 3.0), (512, 1.2)]:
        A = rng.random((n, n))
        A /= A.sum(1, keepdims=True)
        B = rng.random((n, n))
        B /= B.sum(1, keepdims=True)
        ka, kb = Kernel(A), Kernel(B)
        rows.append(ratio_row(f"float >> at n={n}", best(lambda: ka >> kb), "numpy A @ B", best(lambda: A @ B), target))

    n = 32
    ra, rb = random_exact_rows(rng, n, n), random_exact_rows(rng, n, n)
    ka, kb = Kernel(ra), Kernel(rb)
    fa, fb = np.array(ra, dtype=object), np.array(rb, dtype=object)
    ours = best(lambda: ka >> kb)
    rows.append(ratio_row(f"exact >> at n={n}", ours, "Fraction object-array matmul", best(lambda: fa @ fb, 0.5, 3), 50, faster=True))
    try:
        import flint

        qa = flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for r in ra for x in r])
        qb = flint.fmpq_mat(n, n, [flint.fmpq(x.numerator, x.denominator) for r in rb for x in r])
        rows.append(ratio_row(f"exact >> at n={n}", ours, "python-flint fmpq_mat product", best(lambda: qa * qb), 2.0))
    except ImportError:
        print("python-flint not installed: skipping the fmpq_mat comparison")

    n = 16
    ra, rb = random_exact_rows(rng, n, n), random_exact_rows(rng, n, n)
    ka, kb = Kernel(ra), Kernel(rb)
    fa, fb = np.array(ra, dtype=object), np.array(rb, dtype=object)
    rows.append(ratio_row(f"exact @ of two {n}x{n}", best(lambda: ka @ kb), "np.kron on Fraction arrays", best(lambda: np.kron(fa, fb), 0.5, 3), 50,
                          faster=True))
    return print_rows("Kernel composition and tensor (bench_kernel)", rows)


if __name__ == "__main__":
    main()
