"""Timing helpers shared by the benchmarks (ratios, never absolute thresholds in tests)."""

from __future__ import annotations

import timeit
from collections.abc import Callable
from dataclasses import dataclass


def best(fn: Callable[[], object], min_time: float = 0.2, repeat: int = 5) -> float:
    """Best per-call time in seconds over ``repeat`` rounds of at least ``min_time`` each."""
    t = timeit.Timer(fn)
    n, _ = t.autorange()
    n = max(1, int(n * min_time / 0.2))
    return min(t.repeat(repeat=repeat, number=n)) / n


@dataclass
class Row:
    case: str
    ours: float
    baseline_name: str
    baseline: float
    target: str
    ok: bool

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline


def ratio_row(case: str, ours: float, baseline_name: str, baseline: float, target: float, faster: bool = False) -> Row:
    """``faster=False``: we must be at most ``target`` × the baseline; ``True``: at least ``target`` × faster."""
    r = ours / baseline
    if faster:
        return Row(case, ours, baseline_name, baseline, f">= {target:g}x faster", 1 / r >= target)
    return Row(case, ours, baseline_name, baseline, f"<= {target:g}x", r <= target)


def fmt_time(t: float) -> str:
    return f"{t * 1e6:.1f} us" if t < 1e-3 else f"{t * 1e3:.2f} ms" if t < 1 else f"{t:.2f} s"


def print_rows(title: str, rows: list[Row]) -> bool:
    print(f"\n## {title}\n")
    print("| case | catkit | baseline | baseline time | ratio | target | ok |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        speed = f"{r.ratio:.2f}x" if r.ratio >= 0.1 else f"1/{1 / r.ratio:.0f}x"
        print(f"| {r.case} | {fmt_time(r.ours)} | {r.baseline_name} | {fmt_time(r.baseline)} | {speed} | {r.target} | {'yes' if r.ok else 'NO'} |")
    return all(r.ok for r in rows)
