"""Forward passes of a finite-state source: shared prefixes, integer arithmetic, BLAS steps.

The forward vector of a context ``x = x₁…xₙ`` is ``α(x) = π T[x₁] ⋯ T[xₙ]``; every law of a
source is built from these.  Two things make them cheap:

* **Shared prefixes.**  The contexts of a :class:`~catkit.sources.ContextSet` are put in a
  :class:`PrefixTree` (level ``k`` holds the distinct prefixes of length ``k``); each node costs one
  vector-matrix product from its parent, and a whole level is a few matrix products (one per token,
  or one ``(N, S) @ (S, V·S)`` product when the level holds every extension of the one before).
* **Integers with one denominator.**  For exact sources, with ``D`` the lcm of the denominators of
  ``T`` and ``d₀`` that of ``π``, ``α(x) = a(x) / (d₀ Dⁿ)`` where ``a(x)`` is an integer vector
  (:class:`IntegerForward`).  Every partial sum of the products is a non-negative integer at most
  ``d₀ Dⁿ``, so a level is computed in float64 BLAS while ``d₀ Dⁿ ≤ 2⁵³`` (exact), in int64 below
  ``2⁶³`` and with Python integers beyond: arbitrary precision, never a rounded value.

:class:`FloatSteps` advances a batch of float belief vectors by one token each: a state-emitting
machine (``T[w][s, s'] = P(w | s) P(s' | s)``, every HMM) takes one BLAS product per step, any other
machine one product per distinct token.

>>> from catkit.sources import tiny_source
>>> fw = IntegerForward(tiny_source().transitions, tiny_source().initial)
>>> fw.prob((0, 2)), tiny_source().prob("ac")
(Fraction(1, 8), Fraction(1, 8))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import reduce
from operator import mul
from typing import Any

import numpy as np

_flint: Any
try:  # optional: python-flint multiplies small integer matrices with less overhead than Python lists
    import flint as _flint
except ImportError:  # pragma: no cover - the [exact] extra
    _flint = None

__all__ = ["PrefixTree", "IntegerForward", "FloatSteps", "float_forward", "ratios_to_float"]

_FLOAT_EXACT = 2**53  # integers up to this are exact in float64 (and so are sums of non-negative ones below it)
_INT64 = 2**63 - 1


@dataclass(frozen=True)
class PrefixTree:
    """The distinct prefixes of a set of contexts, level by level.

    Node ``j`` of level ``k`` is its parent ``parents[k][j]`` (a node of level ``k - 1``; level 0 is
    the empty context) followed by ``tokens[k][j]``.  A level whose ``parents`` is ``None`` is
    *complete*: it holds every extension of every node of the level before, in lexicographic order
    (node ``j`` extends node ``j // V`` by token ``j % V``).  ``nodes[i]`` is the node of context ``i``
    at the level of its length.

    >>> from catkit.sources import ContextSet
    >>> t = PrefixTree.of(ContextSet(["ab", "aa", "b"], 2))
    >>> t.sizes, t.parents[2].tolist(), t.tokens[2].tolist(), t.nodes.tolist()
    ((1, 2, 2), [0, 0], [0, 1], [1, 0, 1])
    """

    V: int
    sizes: tuple[int, ...]
    parents: tuple[np.ndarray | None, ...]
    tokens: tuple[np.ndarray | None, ...]
    nodes: np.ndarray
    lengths: np.ndarray

    @classmethod
    def of(cls, contexts: object) -> PrefixTree:
        """The tree of a :class:`~catkit.sources.ContextSet` (complete sets need no search).

        >>> from catkit.sources import ContextSet
        >>> PrefixTree.of(ContextSet.all(2, 2)).sizes
        (1, 2, 4)
        """
        from catkit.sources.contexts import ContextSet

        assert isinstance(contexts, ContextSet)
        V = contexts.vocab.size
        groups = contexts.groups(copy=False)
        N = len(contexts)
        nodes = np.zeros(N, dtype=np.int64)
        lengths = np.zeros(N, dtype=np.int64)
        for n, pos, _ in groups:
            lengths[pos] = n
        L = max((n for n, _, _ in groups), default=0)
        if contexts.complete is not None:  # every context of each length: all levels complete, lexicographic
            for _, pos, _ in groups:
                nodes[pos] = np.arange(len(pos), dtype=np.int64)
            return cls(V, tuple(V**k for k in range(L + 1)), (None,) * (L + 1), (None,) * (L + 1), nodes, lengths)
        sizes = [1]
        parents: list[np.ndarray | None] = [None]
        tokens: list[np.ndarray | None] = [None]
        at = [np.zeros(len(pos), dtype=np.int64) for _, pos, _ in groups]  # each context's node at the level before
        for k in range(1, L + 1):
            live = [(g, ids) for g, (n, _, ids) in enumerate(groups) if n >= k]
            keys = np.concatenate([at[g] * V + ids[:, k - 1] for g, ids in live])
            uniq, inv = np.unique(keys, return_inverse=True)
            complete = len(uniq) == sizes[-1] * V
            sizes.append(len(uniq))
            parents.append(None if complete else uniq // V)
            tokens.append(None if complete else uniq % V)
            start = 0
            for g, ids in live:
                at[g] = inv[start:start + len(ids)]
                start += len(ids)
        for (_, pos, _), a in zip(groups, at):
            nodes[pos] = a
        return cls(V, tuple(sizes), tuple(parents), tuple(tokens), nodes, lengths)

    @classmethod
    def complete_to(cls, V: int, length: int) -> PrefixTree:
        """Every context of ``length`` tokens (the last level), lexicographic.

        >>> PrefixTree.complete_to(3, 2).sizes
        (1, 3, 9)
        """
        n = V**length
        return cls(V, tuple(V**k for k in range(length + 1)), (None,) * (length + 1), (None,) * (length + 1),
                   np.arange(n, dtype=np.int64), np.full(n, length, dtype=np.int64))

    @classmethod
    def lexicographic_range(cls, V: int, length: int, start: int, stop: int) -> PrefixTree:
        """The contexts of ``length`` tokens numbered ``start .. stop - 1`` in lexicographic order (a chunk of
        all ``V^length``): level ``k`` holds the prefixes ``start // V^(length-k) .. (stop-1) // V^(length-k)``.

        >>> t = PrefixTree.lexicographic_range(2, 3, 3, 6)   # 'abb', 'baa', 'bab'
        >>> t.sizes, t.parents[3].tolist(), t.tokens[3].tolist()
        ((1, 2, 2, 3), [0, 1, 1], [1, 0, 1])
        """
        sizes = [1]
        parents: list[np.ndarray | None] = [None]
        tokens: list[np.ndarray | None] = [None]
        lo_prev = 0
        for k in range(1, length + 1):
            lo, hi = start // V ** (length - k), (stop - 1) // V ** (length - k)
            codes = np.arange(lo, hi + 1, dtype=np.int64)
            sizes.append(len(codes))
            parents.append(codes // V - lo_prev)
            tokens.append(codes % V)
            lo_prev = lo
        n = stop - start
        return cls(V, tuple(sizes), tuple(parents), tuple(tokens), np.arange(n, dtype=np.int64), np.full(n, length, dtype=np.int64))

    @property
    def depth(self) -> int:
        """The longest context's length.

        >>> PrefixTree.complete_to(2, 3).depth
        3
        """
        return len(self.sizes) - 1

    def levels_needed(self) -> list[int]:
        """The context lengths present.

        >>> from catkit.sources import ContextSet
        >>> PrefixTree.of(ContextSet(["ab", ""], 2)).levels_needed()
        [0, 2]
        """
        return sorted(set(self.lengths.tolist()))


def _expand(A: np.ndarray, T: np.ndarray, Tj: np.ndarray, parents: np.ndarray | None, tokens: np.ndarray | None) -> np.ndarray:
    """One level of the forward pass: row ``j`` of the result is ``A[parents[j]] @ T[tokens[j]]``."""
    V, S, _ = T.shape
    if parents is None:  # complete: one product, children in lexicographic order
        return (A @ Tj).reshape(-1, S)
    assert tokens is not None
    if len(parents) * 2 >= A.shape[0] * V:  # most children present: one product and a gather
        return (A @ Tj).reshape(A.shape[0], V, S)[parents, tokens]
    out = np.empty((len(parents), S), dtype=A.dtype)
    order = np.argsort(tokens, kind="stable")
    counts = np.bincount(tokens, minlength=V)
    start = 0
    for w in np.flatnonzero(counts).tolist():
        sel = order[start:start + counts[w]]
        start += int(counts[w])
        out[sel] = A[parents[sel]] @ T[w]
    return out


def _joint(T: np.ndarray) -> np.ndarray:
    """``(V, S, S) → (S, V·S)``: column ``(w, s')`` holds ``T[w][:, s']``."""
    V, S, _ = T.shape
    return T.transpose(1, 0, 2).reshape(S, V * S)


def _gather(levels: list[np.ndarray | None], tree: PrefixTree, dtype: Any) -> np.ndarray:
    S = next(a.shape[1] for a in levels if a is not None)
    out = np.empty((len(tree.nodes), S), dtype=dtype)
    for n in tree.levels_needed():
        sel = np.flatnonzero(tree.lengths == n)
        lev = levels[n]
        assert lev is not None
        out[sel] = lev[tree.nodes[sel]]
    return out


def float_forward(T: np.ndarray, pi: np.ndarray, tree: PrefixTree) -> np.ndarray:
    """Float forward vectors ``(N, S)`` of the tree's contexts (in context order).

    >>> from catkit.sources import tiny_source, ContextSet
    >>> s = tiny_source().to_float()
    >>> a = float_forward(s.transitions, s.initial, PrefixTree.of(ContextSet(["ac"], 3)))
    >>> float(a.sum()) == s.prob("ac")
    True
    """
    Tj = _joint(T)
    A: np.ndarray = pi.reshape(1, -1).astype(np.float64)
    levels: list[np.ndarray | None] = [A]
    for k in range(1, tree.depth + 1):
        A = _expand(A, T, Tj, tree.parents[k], tree.tokens[k])
        levels.append(A)
    return _gather(levels, tree, np.float64)


class IntegerForward:
    """An exact machine in integer form: ``T = T_num / D``, ``π = π_num / d₀`` (see the module docstring).

    >>> from catkit.sources import default_source
    >>> fw = IntegerForward(default_source().transitions, default_source().initial)
    >>> fw.D, fw.d0, fw.den(2)
    (400, 3, 480000)
    """

    def __init__(self, T: np.ndarray, pi: np.ndarray) -> None:
        fr_T = [Fraction(x) for x in T.flat]
        fr_pi = [Fraction(x) for x in pi.flat]
        self.D = reduce(math.lcm, (x.denominator for x in fr_T), 1)
        self.d0 = reduce(math.lcm, (x.denominator for x in fr_pi), 1)
        self.V, self.S = T.shape[0], T.shape[1]
        t = [x.numerator * (self.D // x.denominator) for x in fr_T]
        self.T_obj = np.empty(T.shape, dtype=object)
        self.T_obj.reshape(-1)[:] = t
        self.pi_num = [x.numerator * (self.d0 // x.denominator) for x in fr_pi]
        small = self.D <= _FLOAT_EXACT
        self.T_f = self.T_obj.astype(np.float64) if small else None
        self.T_i = self.T_obj.astype(np.int64) if self.D <= _INT64 else None
        # a single context's forward vector: python-flint matrices, else columns of each T_num[w] as Python ints
        # (both made on the first prob())
        self.use_flint = _flint is not None
        self._fmats: list[Any] | None = None
        self._cols: list[list[list[int]]] | None = None

    def den(self, n: int) -> int:
        """The denominator ``d₀ Dⁿ`` of the forward vectors after ``n`` tokens.

        >>> from catkit.sources import tiny_source
        >>> IntegerForward(tiny_source().transitions, tiny_source().initial).den(3)
        1024
        """
        return self.d0 * self.D**n

    def prob(self, ids: Sequence[int]) -> Fraction:
        """``P(x₁…xₙ)`` of one context, in Python integers (no arrays: a single path is fastest so).

        >>> from catkit.sources import tiny_source
        >>> IntegerForward(tiny_source().transitions, tiny_source().initial).prob(())
        Fraction(1, 1)
        """
        if self.use_flint:
            if self._fmats is None:
                self._fmats = [_flint.fmpz_mat(self.S, self.S, [int(x) for x in self.T_obj[w].ravel()]) for w in range(self.V)]
            m = _flint.fmpz_mat(1, self.S, self.pi_num)
            mats = self._fmats
            for t in ids:
                m = m * mats[t]
            return Fraction(int(sum(m.entries())), self.den(len(ids)))
        if self._cols is None:
            self._cols = [[[int(self.T_obj[w, i, j]) for i in range(self.S)] for j in range(self.S)] for w in range(self.V)]
        a = self.pi_num
        cols = self._cols
        for t in ids:
            a = [sum(map(mul, a, c)) for c in cols[t]]
        return Fraction(sum(a), self.den(len(ids)))

    def _arrays(self, k: int) -> tuple[np.ndarray, str]:
        """The integer transitions in the representation that is exact at level ``k``."""
        bound = self.den(k)
        if bound <= _FLOAT_EXACT and self.T_f is not None:
            return self.T_f, "f"
        if bound <= _INT64 and self.T_i is not None:
            return self.T_i, "i"
        return self.T_obj, "o"

    def levels(self, tree: PrefixTree) -> list[np.ndarray]:
        """The integer forward vectors ``a`` of every node, level by level (float64 holding exact
        integers while they fit, then int64, then Python ints)."""
        A: np.ndarray = np.array(self.pi_num, dtype=object).reshape(1, -1)
        kind = "o"
        if self.d0 <= _FLOAT_EXACT:
            A, kind = A.astype(np.float64), "f"
        out = [A]
        for k in range(1, tree.depth + 1):
            T, want = self._arrays(k)
            if want != kind:  # the next level may outgrow this representation: widen first
                A = A.astype(np.int64) if want == "i" else A.astype(np.int64).astype(object) if kind == "f" else A.astype(object)
                kind = want
            A = _expand(A, T, _joint(T), tree.parents[k], tree.tokens[k])
            out.append(A)
        return out

    def alphas(self, tree: PrefixTree) -> np.ndarray:
        """Integer forward vectors ``(N, S)`` of the tree's contexts (int64 or Python ints); context ``i``
        has the denominator ``den(tree.lengths[i])``.

        >>> from catkit.sources import tiny_source, ContextSet
        >>> src = tiny_source()
        >>> a = IntegerForward(src.transitions, src.initial).alphas(PrefixTree.of(ContextSet(["", "ac"], src.vocab)))
        >>> a.tolist()
        [[1, 1], [10, 6]]
        """
        levels = self.levels(tree)
        big = any(levels[n].dtype == object for n in tree.levels_needed())
        as_int = [lv if lv.dtype == object else lv.astype(np.int64) for lv in levels]
        if big:
            as_int = [lv.astype(object) for lv in as_int]
        return _gather(list(as_int), tree, object if big else np.int64)

    def future(self, K: int) -> np.ndarray:
        """``F[s, w₁…w_K] = (T_num[w₁] ⋯ T_num[w_K] 1)[s]`` (integers; the law of the next ``K`` tokens
        from each state is ``F / D^K``).

        >>> from catkit.sources import tiny_source
        >>> IntegerForward(tiny_source().transitions, tiny_source().initial).future(1).tolist()
        [[4, 0, 4], [0, 4, 4]]
        """
        F: np.ndarray = np.ones((self.S, 1), dtype=np.int64)
        for k in range(1, K + 1):
            T = self.T_i if self.T_i is not None and self.D**k <= _INT64 else self.T_obj
            if T is self.T_obj:
                F = F.astype(object)
            F = np.concatenate([T[w] @ F for w in range(self.V)], axis=1)
        return F


def ratios_to_float(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """``num[i, j] / den[i]`` as float64, correctly rounded (Python's integer true division beyond 2⁵³).

    >>> ratios_to_float(np.array([[1, 2]]), np.array([3])).round(4).tolist()
    [[0.3333, 0.6667]]
    """
    if num.dtype != object and den.dtype != object and num.size and max(int(np.abs(num).max()), int(den.max())) <= _FLOAT_EXACT:
        return num / den[:, None].astype(np.float64)
    out = np.empty(num.shape, dtype=np.float64)
    for i, (row, d) in enumerate(zip(num.tolist(), den.tolist())):
        out[i] = [int(x) / int(d) for x in row]
    return out


class FloatSteps:
    """One float forward step for a batch: ``b[i] @ T[tok[i]]`` for every row ``i``.

    A state-emitting machine (``T[w][s, s'] = R[s, w] M[s, s']``: the token depends on the state only
    and the move on the state only; every HMM) steps as ``(b * R[:, tok].T) @ M``: one BLAS product.
    Any other machine groups the batch by token: one product per distinct token.

    >>> from catkit.sources import tiny_source
    >>> st = FloatSteps(tiny_source().to_float().transitions)
    >>> st.factored, st.step(np.array([[0.5, 0.5]]), np.array([2])).round(4).tolist()
    (True, [[0.25, 0.25]])
    """

    def __init__(self, T: np.ndarray) -> None:
        self.T = T
        V, S, _ = T.shape
        self.emit = np.ascontiguousarray(T.sum(axis=2))  # (V, S): P(token | state)
        self.move = T.sum(axis=0)  # (S, S): P(next state | state)
        self.factored = bool(np.abs(T - self.emit[:, :, None] * self.move[None]).max(initial=0.0) <= 1e-14)

    def step(self, b: np.ndarray, tok: np.ndarray) -> np.ndarray:
        """Row ``i`` of ``b`` times ``T[tok[i]]`` (an ``(n, S)`` float array)."""
        if self.factored:
            return (b * self.emit[tok]) @ self.move
        out = np.empty_like(b)
        order = np.argsort(tok, kind="stable")
        counts = np.bincount(tok, minlength=self.T.shape[0])
        start = 0
        for w in np.flatnonzero(counts).tolist():
            sel = order[start:start + counts[w]]
            start += int(counts[w])
            out[sel] = b[sel] @ self.T[w]
        return out
