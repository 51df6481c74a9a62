"""Information-theory speed (issue 4's targets): Shannon, KL and JS over a batch of 10⁴ distributions on
10³ outcomes (float64), against hand-written numpy and scipy.special; categorical entropy against Shannon."""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np

from benchmarks.common import Row, finish, paired, parser, ratio_row
from catkit import Kernel
from catkit.info import KL, categorical_entropy, jensen_shannon, kl_divergence, shannon_entropy

N, M = 10_000, 1_000


def _row(case: str, ours: Callable[[], object], name: str, base: Callable[[], object], target: float) -> Row:
    a, b = paired(ours, base, rounds=9, min_time=0)
    return ratio_row(case, a, name, b, target)


def _batch(rng: np.random.Generator) -> np.ndarray:
    A = rng.random((N, M))
    return A / A.sum(axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    parser(__doc__).parse_args(argv)
    rng = np.random.default_rng(0)
    P, Q = _batch(rng), _batch(rng)
    kp, kq = Kernel(P), Kernel(Q)
    try:
        from scipy.special import entr, rel_entr
    except ImportError:  # pragma: no cover - scipy is a dev dependency
        entr = rel_entr = None
        print("scipy not installed: skipping the scipy.special comparisons")

    def numpy_js() -> np.ndarray:
        Mx = (P + Q) / 2
        return 0.5 * (P * np.log(P / Mx)).sum(axis=1) + 0.5 * (Q * np.log(Q / Mx)).sum(axis=1)

    rows: list[Row] = []
    H, KLd, JS = (lambda: shannon_entropy(kp)), (lambda: kl_divergence(kp, kq)), (lambda: jensen_shannon(kp, kq))
    rows.append(_row("Shannon H, 10⁴×10³ kernel", H, "numpy -(P*log P).sum(1)", lambda: -(P * np.log(P)).sum(axis=1), 1.5))
    rows.append(_row("Shannon H, 10⁴×10³ plain array (validated)", lambda: shannon_entropy(P), "numpy -(P*log P).sum(1)",
                     lambda: -(P * np.log(P)).sum(axis=1), 1.5))
    if entr is not None:
        rows.append(_row("Shannon H, 10⁴×10³ kernel", H, "scipy.special.entr(P).sum(1)", lambda: entr(P).sum(axis=1), 2.0))
    rows.append(_row("KL, 10⁴×10³ kernels", KLd, "numpy (P*log(P/Q)).sum(1)", lambda: (P * np.log(P / Q)).sum(axis=1), 1.5))
    if rel_entr is not None:
        rows.append(_row("KL, 10⁴×10³ kernels", KLd, "scipy.special.rel_entr(P, Q).sum(1)", lambda: rel_entr(P, Q).sum(axis=1), 2.0))
    rows.append(_row("JS, 10⁴×10³ kernels", JS, "numpy ½Σ P log(P/M) + ½Σ Q log(Q/M)", numpy_js, 1.5))
    if rel_entr is not None:
        def scipy_js() -> np.ndarray:
            Mx = (P + Q) / 2
            return 0.5 * (rel_entr(P, Mx).sum(axis=1) + rel_entr(Q, Mx).sum(axis=1))

        rows.append(_row("JS, 10⁴×10³ kernels", JS, "scipy.special.rel_entr (twice) + sum", scipy_js, 2.0))
    rows.append(_row("categorical entropy H_KL, 10⁴×10³ kernel (closed form)", lambda: categorical_entropy(kp, KL()),
                     "catkit Shannon H of the same rows", H, 2.0))

    Z = P.copy()
    Z[rng.random(Z.shape) < 0.1] = 0.0  # zeros: 0 log 0 = 0
    Z /= Z.sum(axis=1, keepdims=True)
    kz = Kernel(Z)
    if entr is not None:
        rows.append(_row("Shannon H with 10% zeros", lambda: shannon_entropy(kz), "scipy.special.entr(P).sum(1)",
                         lambda: entr(Z).sum(axis=1), 2.0))
    return finish("Divergences and entropies (bench_info)", rows)


if __name__ == "__main__":
    sys.exit(main())
