"""Bayesian networks against pgmpy's VariableElimination (the tool a user would pick), and float Bayesian inversion.

Every posterior is checked against pgmpy's in the same run (to 1e-9) before anything is timed.

* posteriors on random networks of 20 binary nodes (edges with probability 0.3) and of 24 sparse binary nodes
  (edges with probability 0.1): a batch of queries (one or two targets, two or three observed nodes),
  exact tables and float tables, against pgmpy on the same float tables.  "warm": the network object answers
  the batch again (catkit keeps its tables as tensors and its elimination plans; pgmpy keeps its factors);
  "first": a new ``BayesNet`` / ``VariableElimination`` from the same tables answers the batch once.
* memory: the largest tensor an elimination plan makes, against the largest table (the full joint would
  have 2^24 entries); the tracemalloc peak of the 24-node queries on a fresh network is reported with pgmpy's;
* the joint of 12 binary nodes (exact) against pgmpy's joint query over every variable;
* float Bayesian inversion of a 512x512 kernel against one numpy matmul of that size.

``python -m benchmarks structure [--quick]``; ``--quick`` measures fewer rounds.
"""

from __future__ import annotations

import gc
import math
import sys
import tracemalloc
import warnings
from collections.abc import Callable, Hashable
from typing import Any

import numpy as np

from benchmarks.common import Row, compare, finish, paired, parser, ratio_row, reported
from catkit import Kernel
from catkit.structure import BayesNet, NetworkError, bayes_invert, random_bayes_net

Query = tuple[list[Hashable], dict[Hashable, int]]


def to_pgmpy(bn: BayesNet) -> Any:
    """The same network in pgmpy (node names as strings, column-stochastic CPDs, parents in catkit's order)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.factors.discrete import TabularCPD
        from pgmpy.models import DiscreteBayesianNetwork
    m = DiscreteBayesianNetwork()
    m.add_nodes_from([str(v) for v in bn.nodes])
    m.add_edges_from([(str(a), str(b)) for a, b in bn.dag.edges])
    for v, t in bn.tables.items():
        ps = bn.parents[v]
        M = np.asarray(t.to("numpy").matrix, dtype=float)
        m.add_cpds(TabularCPD(str(v), bn.wires[v].size, M.T, evidence=[str(p) for p in ps] or None,
                              evidence_card=[bn.wires[p].size for p in ps] or None))
    m.check_model()
    return m


def queries(bn: BayesNet, rng: np.random.Generator, k: int) -> list[Query]:
    """``k`` random queries whose evidence has positive probability (one or two targets, two or three observed)."""
    out: list[Query] = []
    nodes = bn.nodes
    while len(out) < k:
        pick = [nodes[i] for i in rng.permutation(len(nodes))[: int(rng.integers(4, 6))]]
        targets, observed = pick[: int(rng.integers(1, 3))], pick[2:]
        ev = {v: int(rng.integers(0, 2)) for v in observed}
        try:
            bn.query(targets, ev)
        except NetworkError:  # evidence of probability 0: draw again
            continue
        out.append((targets, ev))
    return out


def pgmpy_answers(ve: Any, qs: list[Query]) -> list[np.ndarray]:
    return [ve.query([str(t) for t in ts], evidence={str(v): x for v, x in ev.items()}, show_progress=False).values
            for ts, ev in qs]


def check_agreement(bn: BayesNet, ve: Any, qs: list[Query]) -> float:
    """The largest difference between catkit's posteriors and pgmpy's; raises when over 1e-9."""
    worst = 0.0
    for (ts, ev), theirs in zip(qs, pgmpy_answers(ve, qs)):
        ours = np.asarray(bn.query(ts, ev).to("numpy").matrix, dtype=float).reshape(theirs.shape)
        worst = max(worst, float(np.abs(ours - theirs).max()))
    if worst > 1e-9:
        raise AssertionError(f"catkit and pgmpy disagree by {worst:g}")
    return worst


def largest_intermediate(bn: BayesNet, targets: list[Hashable], ev: dict[Hashable, int]) -> int:
    """Entries of the largest tensor the elimination plan of one query makes (its tables excluded)."""
    plan = bn._plan(tuple(targets), frozenset(ev))
    return max([step.entries for g in plan.groups if g.run is not None for step in g.run.steps] + [1])


def peak_bytes(fn: Callable[[], object]) -> int:
    """Peak bytes traced while ``fn`` runs (numpy arrays included)."""
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def bench_networks(rounds: int) -> list[Row]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.inference import VariableElimination
    rows: list[Row] = []
    for n, p, label, goals in [(20, 0.3, "20 binary nodes", {"exact": 2.0, "numpy": 1.0}),
                               (24, 0.1, "24 sparse binary nodes", {"exact": 1.0, "numpy": 1.0})]:
        base = random_bayes_net(np.random.default_rng(n), n, edge_prob=p)
        qs = queries(base, np.random.default_rng(100 + n), 8)
        model = to_pgmpy(base)
        ve = VariableElimination(model)
        for backend in ("exact", "numpy"):
            bn = base if backend == "exact" else BayesNet(base.dag, {v: t.to("numpy") for v, t in base.tables.items()})
            worst = check_agreement(bn, ve, qs)
            dag, tables = bn.dag, bn.tables

            def ours_first() -> None:
                fresh = BayesNet(dag, tables)
                for ts, ev in qs:
                    fresh.query(ts, ev)

            def theirs_first() -> None:
                pgmpy_answers(VariableElimination(model), qs)

            def ours_warm() -> None:
                for ts, ev in qs:
                    bn.query(ts, ev)

            what = f"{len(qs)} posteriors, {label}, {backend} (pgmpy float; agree to {worst:.0e})"
            a, b = paired(ours_warm, lambda: pgmpy_answers(ve, qs), rounds)
            rows.append(ratio_row(f"{what}, warm", a, "pgmpy VariableElimination.query", b, goals[backend]))
            a, b = paired(ours_first, theirs_first, rounds)
            rows.append(ratio_row(f"{what}, first", a, "pgmpy VariableElimination(model).query", b, goals[backend]))
            if n == 24:
                ours_mem, theirs_mem = peak_bytes(ours_first), peak_bytes(theirs_first)
                rows.append(reported(f"peak memory of the {len(qs)} first posteriors, {label}, {backend} (tracemalloc; pgmpy: "
                                     f"{theirs_mem / 2**10:.0f} KiB; the joint: {2**n * 8 / 2**20:.0f} MiB)", ours_mem, "B"))
        biggest = max(largest_intermediate(base, ts, ev) for ts, ev in qs)
        rows.append(ratio_row(f"largest intermediate tensor of the {len(qs)} posteriors, {label} (entries)", biggest,
                              "the largest table", max(math.prod(t.shape) for t in base.tables.values()), 1.0, unit="x"))
    return rows


def bench_joint(rounds: int) -> list[Row]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        from pgmpy.inference import VariableElimination
    bn = random_bayes_net(np.random.default_rng(1), 12, edge_prob=0.3)  # 12 binary nodes: 4096 exact entries
    ve = VariableElimination(to_pgmpy(bn))
    names = [str(v) for v in bn.nodes]
    theirs = ve.query(names, show_progress=False)
    ours = np.asarray(bn.joint().to("numpy").matrix, dtype=float).reshape(theirs.values.shape)
    if not np.allclose(ours, theirs.values, atol=1e-12):
        raise AssertionError("catkit's joint and pgmpy's differ")
    return [compare("joint of 12 binary nodes, exact", lambda: bn.joint(), "pgmpy joint query over all 12 (float)",
                    lambda: ve.query(names, show_progress=False), 2.0, rounds=rounds)]


def bench_invert(rounds: int) -> list[Row]:
    rng = np.random.default_rng(0)
    n = 512
    A = rng.random((n, n))
    A /= A.sum(1, keepdims=True)
    B = rng.random((n, n))
    B /= B.sum(1, keepdims=True)
    p = rng.random(n)
    p /= p.sum()
    f, prior = Kernel(A), Kernel.state(p)
    return [compare(f"bayes_invert, float {n}x{n}", lambda: bayes_invert(f, prior), f"one numpy {n}x{n} matmul", lambda: A @ B, 2.0,
                    rounds=rounds)]


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__).parse_args(argv)
    rounds = 3 if args.quick else 7
    try:
        import pgmpy  # noqa: F401
    except ImportError:
        print("pgmpy is not installed (pip install pgmpy, or the dev extra): the Bayesian-network rows need it")
        return 1
    rows = bench_networks(rounds) + bench_joint(rounds) + bench_invert(rounds)
    return finish("Bayesian networks and inversion (bench_structure)", rows)


if __name__ == "__main__":
    sys.exit(main())
