"""Benchmarks for catkit.diagrams and catkit.semantics, as ratios against named baselines
measured in the same run.

    PYTHONPATH=. python benchmarks/bench_diagrams.py [--quick]

1. Equality of two random Markov diagrams (a diagram and a random Markov rewrite of it)
   with 50, 200, 800 boxes: catkit.diagrams.equal vs DisCoPy 1.2's markov ``Equation``
   (hypergraph equality).  Also counts DisCoPy's wrong verdicts (it does not delete
   discarded boxes, so it answers False on true Markov equalities).
2. Evaluating a chain of 50 and of 100 boxes on 16-element wires to a float kernel: catkit's
   functor, warm (the cached plan; goal: at most 1.5x) against the loop of numpy ``@`` matrix
   products a user would write (no planning at all: the floor); cold (a new functor, planning
   included), one opt_einsum.contract call and DisCoPy's tensor functor are reported.
3. Building a 12,800-box chain by repeated ``>>``: against ``Diagram(dom, cod, layers)`` from the
   layer list (goal: at most 1.5x), and its growth from 3,200 boxes (linear: x4; quadratic: x16; goal: at most
   x6, room for cache effects and the garbage collector on a shared machine).
4. Exact evaluation: one integer contraction vs layer-by-layer kernel >> and @.
5. How often a random exact interpretation tells apart two diagrams that are not equal.

Every row prints its ratio, goal and YES/NO (see ``benchmarks/common.py``); DisCoPy comparisons are
skipped when ``import discopy`` fails.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np
import opt_einsum as oe

from benchmarks.common import Row, finish, paired, parser, ratio_row, reported
from catkit import Kernel
from catkit.diagrams import (
    Box,
    Diagram,
    Ty,
    equal,
    mutate,
    random_diagram,
    random_rewrite,
    random_signature,
)
from catkit.interop import to_discopy
from catkit.semantics import Functor, random_functor

try:
    from discopy import markov as dmarkov
    from discopy import tensor as dtensor
    from discopy.drawing import Equation as DEquation
except ImportError:  # pragma: no cover - depends on the benchmark environment
    dmarkov = None


def timeit(fn: Callable[[], Any], repeat: int = 5, min_time: float = 0.05) -> float:
    """Median seconds per call (each sample loops until ``min_time``)."""
    fn()
    samples = []
    for _ in range(repeat):
        n, t0 = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            t = time.perf_counter() - t0
            if t >= min_time:
                break
        samples.append(t / n)
    return statistics.median(samples)


# ---------------------------------------------------------------------- 1. equality
def _pair(n: int) -> tuple[Diagram, Diagram]:
    sig = random_signature(1)
    d = random_diagram(n, seed=n, signature=sig)
    return d, random_rewrite(d, max(10, n // 4), "markov", seed=n + 1, signature=sig)


def bench_equality(sizes: list[int], discopy_budget: float = 5.0) -> None:
    """DisCoPy is run once per size while its previous run took under ``discopy_budget`` seconds."""
    print("1. equality of a random Markov diagram and a random Markov rewrite of it")
    print(f"   {'boxes':>6} {'catkit':>11} {'DisCoPy Equation':>17} {'ratio':>9}  verdicts (catkit / DisCoPy)")
    times = {}
    last_dc = 0.0
    for n in sizes:
        d, e = _pair(n)
        times[n] = t_cat = timeit(lambda d=d, e=e: equal(d, e, "markov"))
        ours = equal(d, e, "markov")
        if dmarkov is None:
            print(f"   {n:>6} {t_cat * 1e3:>9.3f}ms {'(no discopy)':>17}")
            continue
        if last_dc > discopy_budget:
            print(f"   {n:>6} {t_cat * 1e3:>9.3f}ms {'skipped':>17}  (DisCoPy took {last_dc:.0f}s at the previous size)")
            continue
        dmarkov.Diagram.use_hypergraph_equality = True
        dd, de = to_discopy(d), to_discopy(e)
        t0 = time.perf_counter()
        theirs = bool(DEquation(dd, de))
        last_dc = time.perf_counter() - t0
        print(f"   {n:>6} {t_cat * 1e3:>9.3f}ms {last_dc * 1e3:>15.1f}ms {last_dc / t_cat:>8.0f}x  {ours} / {theirs}")
    if dmarkov is not None:  # a pair both deciders call equal: a copy-discard rewrite, no deleted boxes
        n = sizes[0]
        sig = random_signature(1)
        d = random_diagram(n, seed=n, signature=sig)
        e = random_rewrite(d, max(10, n // 4), "cd", seed=n + 1, signature=sig)
        t_cat = timeit(lambda: equal(d, e, "markov"))
        dd, de = to_discopy(d), to_discopy(e)
        t0 = time.perf_counter()
        theirs = bool(DEquation(dd, de))
        t_dc = time.perf_counter() - t0
        print(f"   {n:>6} {t_cat * 1e3:>9.3f}ms {t_dc * 1e3:>15.1f}ms {t_dc / t_cat:>8.0f}x  "
              f"{equal(d, e, 'markov')} / {theirs}  (a copy-discard rewrite: both should say True)")
    n0, n1 = sizes[0], sizes[-1]
    print(f"   growth {n0} -> {n1} boxes: time x{times[n1] / times[n0]:.1f} for size x{n1 / n0:.0f}")
    d, e = _pair(n1)
    e_cd = random_rewrite(d, max(10, n1 // 4), "cd", seed=7)
    for t in ("cd", "smc"):
        other = e_cd if t == "cd" else d
        ms = timeit(lambda t=t, other=other: equal(d, other, t)) * 1e3
        print(f"   {t:>6}: {n1} boxes in {ms:.3f}ms (against a random {t} rewrite)" if t == "cd" else
              f"   {t:>6}: {n1} boxes in {ms:.3f}ms (against itself)")


# ---------------------------------------------------------------------- 2. float chain
def bench_chain(n_boxes: int = 100, dim: int = 16, rounds: int = 7) -> list[Row]:
    rng = np.random.default_rng(0)
    X = Ty("X", size=dim)
    boxes = [Box(f"f{i}", X, X) for i in range(n_boxes)]
    d = boxes[0]
    for b in boxes[1:]:
        d = d >> b
    mats = []
    for _ in boxes:
        m = rng.random((dim, dim))
        mats.append(m / m.sum(axis=1, keepdims=True))
    ar = {b: Kernel(m) for b, m in zip(boxes, mats)}
    F = Functor(ar)
    ref = F(d).matrix
    sym = oe.get_symbol
    eq = ",".join(sym(i) + sym(i + 1) for i in range(n_boxes)) + "->" + sym(0) + sym(n_boxes)

    def loop() -> np.ndarray:
        a = mats[0]
        for m in mats[1:]:
            a = a @ m
        return a

    if not (np.allclose(loop(), ref, rtol=1e-12, atol=0) and np.allclose(oe.contract(eq, *mats), ref)):
        raise AssertionError("the functor and the numpy loop disagree: nothing timed")
    t_warm, t_loop = paired(lambda: F(d), loop, rounds)
    what = f"{n_boxes}-box chain, {dim}-element wires"
    rows = [ratio_row(f"semantics functor (cached plan), {what}", t_warm, "numpy @ loop", t_loop, 1.5)]
    rows.append(reported(f"same, cold (a new functor: planning included), {what}", timeit(lambda: Functor(ar)(d), repeat=3)))
    rows.append(reported(f"opt_einsum.contract, one call, {what}", timeit(lambda: oe.contract(eq, *mats))))
    if dmarkov is not None:
        dx = dmarkov.Ty("X")
        dboxes = [dmarkov.Box(b.name, dx, dx) for b in boxes]
        dd = dmarkov.Id(dx)
        for b in dboxes:
            dd = dd >> b
        DF = dtensor.Functor(ob={dx: dim}, ar=dict(zip(dboxes, mats)), dom=dmarkov.Category(), dtype=float)
        assert np.allclose(np.asarray(DF(dd).array), ref)
        rows.append(reported(f"DisCoPy tensor functor, {what}", timeit(lambda: DF(dd), repeat=3)))
    return rows


def bench_build(n: int = 12_800, rounds: int = 5) -> list[Row]:
    X = Ty("X")
    boxes = [Box(f"f{i}", X, X) for i in range(n)]
    layers = [(0, b) for b in boxes]

    def chain(k: int) -> Diagram:
        d: Diagram = boxes[0]
        for b in boxes[1:k]:
            d = d >> b
        assert len(d.layers) == k  # the layers are read once, as any use of the diagram would
        return d

    if chain(n) != Diagram(X, X, layers):
        raise AssertionError("the chain built by >> is not the diagram of its layers: nothing timed")
    t_chain, t_layers = paired(lambda: chain(n), lambda: Diagram(X, X, layers), rounds)
    t_big, t_small = paired(lambda: chain(n), lambda: chain(n // 4), rounds)
    return [ratio_row(f"build a {n}-box chain by repeated >>", t_chain, "Diagram(dom, cod, layers)", t_layers, 1.5),
            ratio_row(f"repeated >>: {n} vs {n // 4} boxes (linear: x4, quadratic: x16)", t_big / t_small, "x4 boxes", 4.0, 1.5, unit="x")]


# ---------------------------------------------------------------------- 3. exact
def bench_exact(n_boxes: int = 40) -> None:
    print(f"\n4. exact evaluation of a random diagram with {n_boxes} boxes (wires of 2 and 3 elements)")
    rng = random.Random(0)
    sizes = {"X": 2, "Y": 3}
    sig = random_signature(2)
    d = random_diagram(n_boxes, seed=3, signature=sig, max_width=4)
    F = random_functor(sig, sizes, rng)
    assert F(d) == F.evaluate(d, "layers")
    t_e = timeit(lambda: F(d), repeat=3)
    t_l = timeit(lambda: F.evaluate(d, "layers"), repeat=3)
    print(f"   one integer contraction {t_e * 1e3:.2f}ms vs layer-by-layer Kernel >> and @ {t_l * 1e3:.2f}ms: x{t_l / t_e:.1f}")


# ---------------------------------------------------------------------- 5. completeness rate
def bench_distinguish(trials: int = 200) -> None:
    print("\n5. random exact interpretations telling unequal diagrams apart (one box renamed)")
    told = total = 0
    sizes = {"X": 2, "Y": 3}
    for seed in range(trials):
        rng = random.Random(seed)
        sig = random_signature(seed % 7)
        d = random_diagram(8, seed=seed, signature=sig, max_width=4)
        m = mutate(d, seed)
        if m is None:
            continue
        F = random_functor(sorted(set(sig) | set(m.boxes), key=repr), sizes, rng)
        total += 1
        told += F(d) != F(m)
    print(f"   {told} of {total} unequal pairs told apart by one random interpretation ({told / total:.1%})")


def main(argv: list[str] | None = None) -> int:
    ap = parser(__doc__)
    ap.add_argument("--discopy-budget", type=float, default=5.0, metavar="SECONDS",
                    help="run DisCoPy's Equation at the next size only while the previous one took less (default 5; "
                         "600 times 200 boxes, which took DisCoPy about 7 minutes)")
    args = ap.parse_args(argv)
    rounds = 3 if args.quick else 7
    print(f"DisCoPy: {'available' if dmarkov is not None else 'not importable, comparisons skipped'}")
    bench_equality([50, 200] if args.quick else [50, 200, 800], args.discopy_budget)
    rows = bench_chain(50, rounds=rounds) + bench_chain(100, rounds=rounds) + bench_build(rounds=3 if args.quick else 7)
    bench_exact()
    bench_distinguish(60 if args.quick else 200)
    return finish("Semantics functor and diagram building (bench_diagrams)", rows)


if __name__ == "__main__":
    raise SystemExit(main())
