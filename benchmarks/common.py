"""What every benchmark shares: pinned threads, paired timing, result rows with a goal, the exit status.

The contract of a benchmark module (``benchmarks/bench_NAME.py``; ``python -m benchmarks`` finds
every such module, see ``benchmarks/__main__.py``)::

    def main(argv: list[str] | None = None) -> int:
        args = parser(__doc__).parse_args(argv)        # --quick, plus the module's own options
        rows = [compare("case", ours, "baseline a user would pick", theirs, goal=1.5)]
        return finish("Title (bench_NAME)", rows)      # prints the table; 0 when every goal is met, else 1

    if __name__ == "__main__":
        sys.exit(main())

``main`` must take ``argv`` (the runner passes the options it did not consume, e.g. ``["--quick"]``;
``None`` means ``sys.argv[1:]``) and must return an int status that tells the truth.

The API (stable; add, don't change):

* :func:`pin_threads` — BLAS/OpenMP threads to 1 (environment variables before numpy is imported,
  threadpoolctl after); called on import of this module, and by ``benchmarks/__init__.py``.
* :func:`paired` ``(ours, theirs, rounds=7) -> (t_ours, t_theirs)`` — best seconds per call of two
  functions timed alternately, so that load from other processes hits both alike; each round loops
  a function until ``min_time`` so that microsecond calls are timed too.
* :func:`compare` ``(case, ours, baseline_name, theirs, goal, *, faster=False, rounds=7) -> Row`` —
  :func:`paired` and :func:`ratio_row` in one call.
* :func:`ratio_row` ``(case, ours, baseline_name, baseline, goal, *, faster=False, unit="s") -> Row`` —
  a row from figures measured elsewhere (``unit="B"`` for memory in bytes, ``"x"`` for plain numbers).
  The goal is met when ``ours / baseline <= goal`` (``faster=True``: when ``baseline / ours >= goal``).
* :func:`reported` ``(case, value, unit="s", note="") -> Row`` — a figure with no goal (always met;
  printed as "reported").
* :func:`print_rows` ``(title, rows) -> bool`` — prints a Markdown table: case, catkit, baseline,
  baseline figure, ratio, goal, met (YES/NO); returns whether every goal was met.
* :func:`finish` ``(title, rows) -> int`` — :func:`print_rows` then the exit status (0 or 1).
* :func:`status` ``(*oks) -> int`` — 0 when every argument is true, else 1 (to combine several tables).
* :func:`parser` ``(doc) -> argparse.ArgumentParser`` — with ``--quick`` (smaller sizes).
* :func:`best` ``(fn, min_time=0.2, repeat=5) -> float`` — best seconds per call of one function.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import timeit
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Row", "best", "compare", "finish", "fmt", "paired", "parser", "pin_threads", "print_rows", "ratio_row", "reported", "status"]

_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS", "VECLIB_MAXIMUM_THREADS",
                "NUMEXPR_NUM_THREADS")


def pin_threads(n: int = 1) -> str:
    """Pin BLAS and OpenMP pools to ``n`` threads (a variable the user set is kept); returns a one-line summary.

    Environment variables take effect for libraries loaded later; threadpoolctl (when installed) also
    limits pools already loaded.  Torch's own pool is left alone (the LM benchmarks take ``--threads``).
    """
    for var in _THREAD_VARS:
        os.environ.setdefault(var, str(n))
    if "numpy" in sys.modules:
        try:
            from threadpoolctl import threadpool_limits

            threadpool_limits(int(os.environ["OPENBLAS_NUM_THREADS"]))
        except ImportError:  # pragma: no cover - threadpoolctl comes with scipy
            pass
    return ", ".join(f"{v}={os.environ[v]}" for v in _THREAD_VARS[:3])


pin_threads()


def best(fn: Callable[[], object], min_time: float = 0.2, repeat: int = 5) -> float:
    """Best per-call time in seconds over ``repeat`` rounds of at least ``min_time`` each."""
    t = timeit.Timer(fn)
    n, _ = t.autorange()
    n = max(1, int(n * min_time / 0.2))
    return min(t.repeat(repeat=repeat, number=n)) / n


def _calls_for(fn: Callable[[], object], min_time: float) -> int:
    """How many calls of ``fn`` take at least ``min_time`` (one call when a call is that slow already)."""
    t0 = time.perf_counter()
    fn()
    one = time.perf_counter() - t0
    return 1 if one >= min_time else max(1, int(min_time / max(one, 1e-7)))


def paired(ours: Callable[[], object], theirs: Callable[[], object], rounds: int = 7, min_time: float = 0.02) -> tuple[float, float]:
    """Best seconds per call of ``ours`` and ``theirs``, timed alternately (after a warm-up call of each)."""
    n_ours, n_theirs = _calls_for(ours, min_time), _calls_for(theirs, min_time)
    t_ours, t_theirs = [], []
    for _ in range(rounds):
        for fn, n, ts in ((ours, n_ours, t_ours), (theirs, n_theirs, t_theirs)):
            t0 = time.perf_counter()
            for _ in range(n):
                fn()
            ts.append((time.perf_counter() - t0) / n)
    return min(t_ours), min(t_theirs)


@dataclass(frozen=True)
class Row:
    """One case: catkit's figure, the baseline's, the goal (``None``: reported only) and whether it is met."""

    case: str
    ours: float
    baseline_name: str
    baseline: float
    goal: str
    ok: bool
    unit: str = "s"

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else float("inf")


def ratio_row(case: str, ours: float, baseline_name: str, baseline: float, goal: float, *, faster: bool = False, unit: str = "s") -> Row:
    """``faster=False``: met when ``ours <= goal × baseline``; ``True``: when ``ours × goal <= baseline``."""
    if faster:
        return Row(case, ours, baseline_name, baseline, f">= {goal:g}x faster", ours * goal <= baseline, unit)
    return Row(case, ours, baseline_name, baseline, f"<= {goal:g}x", ours <= goal * baseline, unit)


def compare(case: str, ours: Callable[[], object], baseline_name: str, theirs: Callable[[], object], goal: float, *,
            faster: bool = False, rounds: int = 7) -> Row:
    """Time ``ours`` against ``theirs`` (:func:`paired`) and make the row."""
    a, b = paired(ours, theirs, rounds)
    return ratio_row(case, a, baseline_name, b, goal, faster=faster)


def reported(case: str, value: float, unit: str = "s", note: str = "") -> Row:
    """A figure with no goal (always met)."""
    return Row(case, value, note, float("nan"), "reported", True, unit)


def fmt(x: float, unit: str = "s") -> str:
    """A figure in its unit: seconds scaled to µs/ms/s, bytes to KiB/MiB/GiB, anything else as a number."""
    if x != x:  # nan: no baseline figure
        return "—"
    if unit == "s":
        return f"{x * 1e6:.1f} µs" if x < 1e-3 else f"{x * 1e3:.2f} ms" if x < 1 else f"{x:.2f} s"
    if unit == "B":
        for u, s in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
            if abs(x) >= s:
                return f"{x / s:.1f} {u}"
        return f"{x:.0f} B"
    return f"{x:.4g}{' ' + unit if unit != 'x' else ''}"


def print_rows(title: str, rows: Sequence[Row]) -> bool:
    """Print the rows as a Markdown table under ``title``; whether every goal is met."""
    print(f"\n## {title}\n")
    print("| case | catkit | baseline | baseline figure | ratio | goal | met |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        if r.goal == "reported":
            ratio = "—"
        else:
            ratio = f"{r.ratio:.2f}x" if r.ratio >= 0.1 else f"1/{1 / r.ratio:.0f}x" if r.ratio > 0 else "0x"
        met = "—" if r.goal == "reported" else "YES" if r.ok else "NO"
        print(f"| {r.case} | {fmt(r.ours, r.unit)} | {r.baseline_name} | {fmt(r.baseline, r.unit)} | {ratio} | {r.goal} | {met} |")
    sys.stdout.flush()
    return all(r.ok for r in rows)


def status(*oks: bool) -> int:
    """The exit status: 0 when every argument is true, else 1."""
    return 0 if all(oks) else 1


def finish(title: str, rows: Sequence[Row]) -> int:
    """Print the table and return the exit status (0: every goal met)."""
    return status(print_rows(title, rows))


def parser(doc: str | None) -> argparse.ArgumentParser:
    """An argument parser described by the module docstring's first line, with ``--quick``."""
    p = argparse.ArgumentParser(description=(doc or "").strip().splitlines()[0] if doc else None)
    p.add_argument("--quick", action="store_true", help="smaller sizes and fewer rounds (a smoke run; goals still checked)")
    return p
