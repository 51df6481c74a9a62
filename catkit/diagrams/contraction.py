"""Compiled tensor-network contractions (used by :mod:`catkit.semantics`).

A :class:`Contraction` is planned once from index lists and sizes (the
operands' own order when no intermediate of it outgrows the largest operand and
the output and its arithmetic is cheap, an opt_einsum path otherwise) and then run many times on arrays of
any kind: numpy float or object (Fractions, Python ints, sympy expressions)
arrays and torch tensors.  Each pairwise step is one (batched) matrix product
after a precomputed transpose, so a run costs little more than the products.

>>> import numpy as np
>>> c = Contraction([(0, 1), (1, 2), (2, 3)], (0, 3), {0: 2, 1: 2, 2: 2, 3: 2})
>>> A = np.array([[0.5, 0.5], [0.0, 1.0]])
>>> bool(np.allclose(c(A, A, A), A @ A @ A))
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import opt_einsum as oe

from catkit.errors import UsageError

__all__ = ["Contraction"]

_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _einsum(sub: str, *arrays: Any) -> Any:
    if type(arrays[0]).__module__.startswith("torch"):
        import torch

        return torch.einsum(sub, *arrays)
    return np.einsum(sub, *arrays)


def _arr(x: Any) -> Any:
    """Sums over object arrays may return bare Python numbers: wrap them back."""
    return x if hasattr(x, "reshape") else np.asarray(x, dtype=object)


def _transpose(x: Any, axes: tuple[int, ...]) -> Any:
    return x.permute(*axes) if type(x).__module__.startswith("torch") else x.transpose(axes)


class _Unary:
    """Diagonal and sum-out of one operand (repeated indices, indices used nowhere else)."""

    __slots__ = ("sub",)

    def __init__(self, idx: Sequence[int], out: Sequence[int]) -> None:
        local = {i: _LETTERS[k] for k, i in enumerate(dict.fromkeys(idx))}
        self.sub = "".join(local[i] for i in idx) + "->" + "".join(local[i] for i in out)

    def __call__(self, x: Any) -> Any:
        return _arr(_einsum(self.sub, x))


def _split(side: tuple[int, ...], other: set[int], keep: set[int]) -> tuple[list[int], list[int], list[int], list[int]]:
    """One operand's indices for a pairwise step: those shared with the other operand, its free
    indices that are kept, both in its order, and the positions summed out before the product."""
    shared: list[int] = []
    free: list[int] = []
    kept: list[int] = []
    summed: list[int] = []
    for k, x in enumerate(side):
        if x in other:
            shared.append(x)
            kept.append(x)
        elif x in keep:
            free.append(x)
            kept.append(x)
        else:
            summed.append(k)
    return shared, free, kept, summed


class _Pair:
    """One pairwise contraction as a batched matrix product.

    The product is ``a @ b`` or ``b @ a`` and the shared indices go in ``a``'s order or ``b``'s,
    whichever needs the fewest transposes (the result's index order is free); a reshape is skipped
    where the operand already has the product's shape, so a chain of matrices runs as bare products.
    """

    __slots__ = ("i", "j", "sum_a", "sum_b", "perm_a", "perm_b", "shape_a", "shape_b", "shape_out", "result", "swap", "entries")

    def __init__(self, i: int, j: int, a: tuple[int, ...], b: tuple[int, ...], keep: set[int], size: dict[int, int]) -> None:
        self.i, self.j = i, j
        shared, fa, a2, sum_a = _split(a, set(b), keep)
        shared_b, fb, b2, sum_b = _split(b, set(a), keep)
        self.sum_a, self.sum_b = tuple(sum_a), tuple(sum_b)
        best: tuple[int, bool, tuple[int, ...], tuple[int, ...], list[int], list[int]] | None = None
        for order in (shared, shared_b):
            batch = [x for x in order if x in keep]
            contr = [x for x in order if x not in keep]
            for swap in (False, True):  # swap: the product is b @ a
                pa = tuple(map(a2.index, (*batch, *contr, *fa) if swap else (*batch, *fa, *contr)))
                pb = tuple(map(b2.index, (*batch, *fb, *contr) if swap else (*batch, *contr, *fb)))
                cost = (pa != tuple(range(len(pa)))) + (pb != tuple(range(len(pb))))
                if best is None or cost < best[0]:
                    best = (cost, swap, pa, pb, batch, contr)
        assert best is not None
        _, self.swap, pa, pb, batch, contr = best
        self.perm_a = None if pa == tuple(range(len(pa))) else pa
        self.perm_b = None if pb == tuple(range(len(pb))) else pb
        nb = math.prod([size[x] for x in batch])
        nc = math.prod([size[x] for x in contr])
        na = math.prod([size[x] for x in fa])
        nf = math.prod([size[x] for x in fb])
        lead = (nb,) if batch else ()
        shape_a = (*lead, nc, na) if self.swap else (*lead, na, nc)
        shape_b = (*lead, nf, nc) if self.swap else (*lead, nc, nf)
        self.result = (*batch, *fb, *fa) if self.swap else (*batch, *fa, *fb)
        out = tuple([size[x] for x in self.result])
        self.entries = math.prod(out)  # of the product (what a memory bound reads)
        self.shape_out = None if out == (*lead, *((nf, na) if self.swap else (na, nf))) else out
        # an operand whose kept indices are already the product's axes needs no reshape
        self.shape_a = None if tuple(size[a2[k]] for k in pa) == shape_a else shape_a
        self.shape_b = None if tuple(size[b2[k]] for k in pb) == shape_b else shape_b

    def __call__(self, a: Any, b: Any) -> Any:
        if self.sum_a:
            a = _arr(a.sum(self.sum_a))
        if self.sum_b:
            b = _arr(b.sum(self.sum_b))
        if self.perm_a is not None:
            a = _transpose(a, self.perm_a)
        if self.perm_b is not None:
            b = _transpose(b, self.perm_b)
        if self.shape_a is not None:
            a = a.reshape(self.shape_a)
        if self.shape_b is not None:
            b = b.reshape(self.shape_b)
        r = b @ a if self.swap else a @ b
        return r if self.shape_out is None else r.reshape(self.shape_out)


#: Multiply-adds that take about as long as the Python and numpy overhead of one pairwise step
#: (a 20x20 matrix product, about 1.3 µs on the development machine; the step itself costs 1-2 µs).
_STEP_COST = 8192


def _sweep_path(ops: list[tuple[int, ...]], out: tuple[int, ...], size: dict[int, int]) -> list[tuple[int, int]] | None:
    """The path that contracts the operands in their given order (for a diagram: the
    order of its layers, so a chain is a run of matrix products), or ``None`` when some
    intermediate would be larger than every operand and the output, or when the whole
    path costs more multiply-adds than ``_STEP_COST`` per step.

    Planning this path is linear in the number of indices, where a search is not; and
    a path whose arithmetic costs no more than its per-step overhead runs within about
    2x of any other path (every path has the same number of steps).
    """
    last: dict[int, int] = {x: len(ops) for x in out}  # the last operand (or the output) using each index
    for k, o in enumerate(ops):
        for x in o:
            if last.get(x, -1) < k:
                last[x] = k
    bound = max(math.prod([size[x] for x in o]) for o in (*ops, out))
    budget = _STEP_COST * (len(ops) - 1)
    acc = set(ops[0])
    for k in range(1, len(ops)):
        both = acc.union(ops[k])
        budget -= math.prod([size[x] for x in both])
        acc = {x for x in both if last[x] > k}
        if budget < 0 or math.prod([size[x] for x in acc]) > bound:
            return None
    n = len(ops)
    return [(0, 1)] + [(0, m - 1) for m in range(n - 1, 1, -1)]


class Contraction:
    """A contraction plan: operands' index lists, the output indices, index sizes.

    Indices are ints; an index may repeat within an operand (a diagonal) and appear
    in any number of operands; indices not in ``output`` are summed.  Every output
    index must occur in some operand.

    >>> import numpy as np
    >>> c = Contraction([(0, 0, 1)], (0, 1), {0: 2, 1: 3})
    >>> c(np.arange(12.0).reshape(2, 2, 3)).tolist()
    [[0.0, 1.0, 2.0], [9.0, 10.0, 11.0]]
    """

    def __init__(self, operands: Sequence[Sequence[int]], output: Sequence[int], size: dict[int, int], optimize: str = "auto") -> None:
        # optimize: "auto" tries the operands' order first, then opt_einsum's "auto"; another opt_einsum path name
        # (e.g. "greedy", cheap to plan for networks of many small tensors) is used as it is
        ops = [tuple(o) for o in operands]
        out = tuple(output)
        counts: dict[int, int] = {}
        for o in ops:
            for x in set(o):
                counts[x] = counts.get(x, 0) + 1
        missing = [x for x in out if x not in counts]
        if missing:
            raise UsageError(f"output indices {missing} occur in no operand")
        self.n_operands = len(ops)
        slots = list(range(len(ops)))  # where each current operand lives in the run's register list
        self._program: list[tuple[int, int, bool, _Pair]] = []
        self.pre: list[_Unary | None] = []
        cur: list[tuple[int, ...]] = []
        for o in ops:
            keep = tuple(dict.fromkeys(x for x in o if counts[x] > 1 or x in out))
            if keep != o:
                self.pre.append(_Unary(o, keep))
                cur.append(keep)
            else:
                self.pre.append(None)
                cur.append(o)
        self.steps: list[_Pair] = []
        if len(cur) > 1:
            path = _sweep_path(cur, out, size) if optimize == "auto" else None
            if path is None:
                path = oe.paths.get_path_fn(optimize)([frozenset(o) for o in cur], frozenset(out), size)
            live: dict[int, int] = {}  # in how many current operands (or the output) each index occurs
            for o in (*cur, out):
                for x in set(o):
                    live[x] = live.get(x, 0) + 1
            for step in path:
                if len(step) != 2:  # pragma: no cover - opt_einsum's paths are pairwise
                    raise UsageError(f"unexpected contraction step {step}")
                i, j = sorted(step)
                a, b = cur[i], cur[j]
                for x in set(a):
                    live[x] -= 1
                for x in set(b):
                    live[x] -= 1
                p = _Pair(i, j, a, b, {x for x in (*a, *b) if live[x] > 0}, size)
                self.steps.append(p)
                bare = not (p.sum_a or p.sum_b or p.perm_a or p.perm_b or p.shape_a or p.shape_b or p.shape_out)
                self._program.append((slots[i], slots[j], bare, p))  # the result replaces operand i in its slot
                for x in p.result:
                    live[x] += 1
                del cur[j], cur[i]
                cur.append(p.result)
                slots.append(slots[i])
                del slots[j], slots[i]
        self._final = slots[0] if slots else 0
        self.unary_final: _Unary | None = None
        last = cur[0] if cur else ()
        if tuple(last) != out:
            self.unary_final = _Unary(last, out)

    def __call__(self, *arrays: Any) -> Any:
        if len(arrays) != self.n_operands:
            raise UsageError(f"the contraction takes {self.n_operands} arrays, got {len(arrays)}")
        regs = [f(x) if f is not None else x for f, x in zip(self.pre, arrays)]
        for i, j, bare, p in self._program:  # a bare step is one matrix product, run inline
            if bare:
                regs[i] = regs[j] @ regs[i] if p.swap else regs[i] @ regs[j]
            else:
                regs[i] = p(regs[i], regs[j])
            regs[j] = None  # free the consumed operand
        res = regs[self._final]
        return self.unary_final(res) if self.unary_final is not None else res
