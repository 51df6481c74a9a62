"""Compiled tensor-network contractions (used by :mod:`catkit.semantics`).

A :class:`Contraction` is planned once from index lists and sizes (the
pairwise order comes from opt_einsum) and then run many times on arrays of
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
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
import opt_einsum as oe

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


class _Pair:
    """One pairwise contraction as a batched matrix product."""

    __slots__ = ("i", "j", "sum_a", "sum_b", "perm_a", "perm_b", "shape_a", "shape_b", "shape_out", "result")

    def __init__(self, i: int, j: int, a: tuple[int, ...], b: tuple[int, ...], keep: set[int], size: dict[int, int]) -> None:
        self.i, self.j = i, j
        sb, sa = set(b), set(a)
        batch = [x for x in a if x in sb and x in keep]
        contr = [x for x in a if x in sb and x not in keep]
        fa = [x for x in a if x not in sb and x in keep]
        fb = [x for x in b if x not in sa and x in keep]
        self.sum_a = tuple(k for k, x in enumerate(a) if x not in sb and x not in keep)
        self.sum_b = tuple(k for k, x in enumerate(b) if x not in sa and x not in keep)
        a2 = [x for x in a if x in sb or x in keep]
        b2 = [x for x in b if x in sa or x in keep]
        pa = tuple(a2.index(x) for x in (*batch, *fa, *contr))
        pb = tuple(b2.index(x) for x in (*batch, *contr, *fb))
        self.perm_a = None if pa == tuple(range(len(pa))) else pa
        self.perm_b = None if pb == tuple(range(len(pb))) else pb
        prod = lambda xs: math.prod(size[x] for x in xs)  # noqa: E731
        nb, nc = prod(batch), prod(contr)
        self.shape_a = (nb, prod(fa), nc) if batch else (prod(fa), nc)
        self.shape_b = (nb, nc, prod(fb)) if batch else (nc, prod(fb))
        self.shape_out = tuple(size[x] for x in (*batch, *fa, *fb))
        self.result = (*batch, *fa, *fb)

    def __call__(self, a: Any, b: Any) -> Any:
        if self.sum_a:
            a = _arr(a.sum(self.sum_a))
        if self.sum_b:
            b = _arr(b.sum(self.sum_b))
        if self.perm_a is not None:
            a = _transpose(a, self.perm_a)
        if self.perm_b is not None:
            b = _transpose(b, self.perm_b)
        return (a.reshape(self.shape_a) @ b.reshape(self.shape_b)).reshape(self.shape_out)


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

    def __init__(self, operands: Sequence[Sequence[int]], output: Sequence[int], size: dict[int, int]) -> None:
        ops = [tuple(o) for o in operands]
        out = tuple(output)
        counts: dict[int, int] = {}
        for o in ops:
            for x in set(o):
                counts[x] = counts.get(x, 0) + 1
        missing = [x for x in out if x not in counts]
        if missing:
            raise ValueError(f"output indices {missing} occur in no operand")
        self.n_operands = len(ops)
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
        self.steps: list[_Pair | _Unary] = []
        if len(cur) > 1:
            eq = ",".join("".join(oe.get_symbol(x) for x in o) for o in cur) + "->" + "".join(oe.get_symbol(x) for x in out)
            shapes = [tuple(size[x] for x in o) for o in cur]
            path, _ = oe.contract_path(eq, *shapes, shapes=True, optimize="auto")
            live = Counter(x for o in cur for x in set(o))  # in how many current operands each index occurs
            live.update(out)
            for step in path:
                if len(step) != 2:  # pragma: no cover - opt_einsum's paths are pairwise
                    raise ValueError(f"unexpected contraction step {step}")
                i, j = sorted(step)
                a, b = cur[i], cur[j]
                live.subtract(set(a))
                live.subtract(set(b))
                keep = {x for x in (*a, *b) if live[x] > 0}
                p = _Pair(i, j, a, b, keep, size)
                self.steps.append(p)
                live.update(p.result)
                del cur[j], cur[i]
                cur.append(p.result)
        self.unary_final: _Unary | None = None
        last = cur[0] if cur else ()
        if tuple(last) != out:
            self.unary_final = _Unary(last, out)

    def __call__(self, *arrays: Any) -> Any:
        if len(arrays) != self.n_operands:
            raise ValueError(f"the contraction takes {self.n_operands} arrays, got {len(arrays)}")
        cur = [f(x) if f is not None else x for f, x in zip(self.pre, arrays)]
        for p in self.steps:
            a, b = cur[p.i], cur[p.j]  # type: ignore[union-attr]
            del cur[p.j], cur[p.i]  # type: ignore[union-attr]
            cur.append(p(a, b))
        res = cur[0]
        return self.unary_final(res) if self.unary_final is not None else res
