"""Structure speed (issue 3's targets): float Bayesian inversion and exact Bayesian-network compilation."""

from __future__ import annotations

import sys

import numpy as np

from benchmarks.bench_kernel import random_exact_rows
from benchmarks.common import best, finish, parser, ratio_row
from catkit import Kernel
from catkit.structure import bayes_invert, random_bayes_net


def main(argv: list[str] | None = None) -> int:
    parser(__doc__).parse_args(argv)
    rng = np.random.default_rng(0)
    rows = []

    n = 512
    A = rng.random((n, n))
    A /= A.sum(1, keepdims=True)
    B = rng.random((n, n))
    B /= B.sum(1, keepdims=True)
    p = rng.random(n)
    p /= p.sum()
    f, prior = Kernel(A), Kernel.state(p)
    rows.append(ratio_row(f"bayes_invert, float {n}x{n}", best(lambda: bayes_invert(f, prior)), f"one numpy {n}x{n} matmul",
                          best(lambda: A @ B), 2.0))

    bn = random_bayes_net(np.random.default_rng(1), 12, edge_prob=0.3)  # 12 binary nodes: 4096 exact entries
    assert bn.joint().cod.size == 4096
    ka, kb = Kernel(random_exact_rows(rng, 64, 64)), Kernel(random_exact_rows(rng, 64, 64))

    def fifty() -> None:
        for _ in range(50):
            ka >> kb

    rows.append(ratio_row("BayesNet.joint(), 12 binary nodes, exact", best(lambda: bn.joint()), "50 exact 64x64 compositions",
                          best(fifty, 0.5, 3), 1.0))
    return finish("Bayesian inversion and network compilation (bench_structure)", rows)


if __name__ == "__main__":
    sys.exit(main())
