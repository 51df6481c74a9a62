"""Information theory and marginals against numpy and scipy: Shannon, KL, JS over a batch of 10⁴ distributions on
10³ outcomes; mutual information and marginals of a 1000×1000 joint; categorical entropy against Shannon.

Every catkit figure is checked against its baseline's value before it is timed.
``python -m benchmarks info [--quick]``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np

from benchmarks.common import Row, finish, paired, parser, ratio_row
from catkit import Kernel
from catkit.info import KL, categorical_entropy, jensen_shannon, kl_divergence, shannon_entropy

N, M = 10_000, 1_000


ROUNDS = 9


def _row(case: str, ours: Callable[[], object], name: str, base: Callable[[], object], target: float) -> Row:
    a, b = np.asarray(ours(), dtype=float), np.asarray(base(), dtype=float)
    if not np.allclose(a, b, rtol=1e-9, atol=1e-12):
        raise AssertionError(f"{case}: catkit and {name} disagree ({a.ravel()[:3]} vs {b.ravel()[:3]})")
    t_ours, t_base = paired(ours, base, rounds=ROUNDS, min_time=0)
    return ratio_row(case, t_ours, name, t_base, target)


def _marginal_rows(rng: np.random.Generator) -> list[Row]:
    """Mutual information and marginals of a 1000×1000 float joint (and of a 32⁴ one kept on two wires)."""
    from catkit import Wire
    from catkit.info import mutual_information

    J = rng.random((1000, 1000))
    J /= J.sum()
    psi = Kernel.state(J.reshape(-1), Wire(1000) @ Wire(1000))

    def numpy_mi() -> float:
        px, py = J.sum(axis=1), J.sum(axis=0)
        nz = J > 0
        return float((J[nz] * np.log(J[nz] / np.outer(px, py)[nz])).sum())

    rows = [_row("mutual information, 1000×1000 float joint", lambda: mutual_information(psi), "numpy by hand Σ p log(p / p_x p_y)",
                 numpy_mi, 1.5)]
    try:
        from scipy.stats import entropy

        rows.append(_row("mutual information, 1000×1000 float joint", lambda: mutual_information(psi),
                         "scipy.stats.entropy H(X) + H(Y) − H(X,Y)",
                         lambda: entropy(J.sum(axis=1)) + entropy(J.sum(axis=0)) - entropy(J.reshape(-1)), 1.5))
    except ImportError:  # pragma: no cover - scipy is a dev dependency
        pass
    rows.append(_row("Kernel.marginal(0), 1000×1000 float joint", lambda: psi.marginal(0).matrix, "numpy J.sum(axis=1)",
                     lambda: J.sum(axis=1)[None, :], 1.5))
    Q = rng.random(32**4)
    Q /= Q.sum()
    quad = Kernel.state(Q, Wire(32) @ Wire(32) @ Wire(32) @ Wire(32))
    rows.append(_row("Kernel.marginal([2, 0]), 32⁴ float joint", lambda: quad.marginal([2, 0]).matrix,
                     "numpy reshape, sum((1, 3)), transpose", lambda: Q.reshape(32, 32, 32, 32).sum(axis=(1, 3)).T.reshape(1, -1), 1.5))
    return rows


def _batch(rng: np.random.Generator) -> np.ndarray:
    A = rng.random((N, M))
    return A / A.sum(axis=1, keepdims=True)


def main(argv: list[str] | None = None) -> int:
    global ROUNDS
    ROUNDS = 3 if parser(__doc__).parse_args(argv).quick else 9
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
    rows += _marginal_rows(rng)
    return finish("Divergences, entropies, mutual information and marginals (bench_info)", rows)


if __name__ == "__main__":
    sys.exit(main())
