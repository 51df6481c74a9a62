"""Belief states of a source and the minimal sufficient statistic of a context.

The belief state after a context ``x`` is ``P(state | x) ∝ π T[x₁] ⋯ T[xₙ]`` (exact when the source
is; a context of probability 0 gets the uniform belief).  Two beliefs give the same law of the whole
future iff their difference is orthogonal to the *observable subspace*
``span{T[w₁] ⋯ T[w_K] 1 : K ≥ 1}`` (:func:`observable_basis`); grouping contexts by the projection of
their beliefs on it gives the coarsest sufficient statistic (:func:`sufficient_statistic`).

>>> from catkit.sources import tiny_source
>>> belief_states(tiny_source().machine, 1)[1].tolist()
[Fraction(3, 4), Fraction(1, 4)]
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.sources.contexts import ContextSet
from catkit.sources.core import Machine, as_contexts, forward_vectors
from catkit.sources.kernels import law_kernel, normalise_rows, ratio_kernel
from catkit.sources.probs import row_basis

__all__ = ["belief_states", "belief_kernel", "observable_basis", "sufficient_statistic"]


def belief_states(m: Machine, contexts: ContextSet | int) -> np.ndarray:
    """``P(hidden state after the context | context)``: an ``(N, S)`` array (Fractions when exact).

    >>> from catkit.sources import tiny_source
    >>> belief_states(tiny_source().to_float().machine, 0).tolist()
    [[0.5, 0.5]]
    """
    A = forward_vectors(m, as_contexts(m, contexts))
    if not m.exact:
        return normalise_rows(A, m.S)
    out = np.empty(A.shape, dtype=object)
    uniform = [Fraction(1, m.S)] * m.S
    for i, (row, z) in enumerate(zip(A.tolist(), A.sum(axis=1).tolist())):
        out[i] = [Fraction(int(x), int(z)) for x in row] if z else uniform
    return out


def belief_kernel(m: Machine, contexts: ContextSet | int, backend: str | None = None, device: Any = None,
                  dtype: Any = None) -> Kernel:
    """The belief states as a kernel ``contexts.wire → states``.

    >>> from catkit.sources import tiny_source
    >>> belief_kernel(tiny_source().machine, 0).cod.size
    2
    """
    C = as_contexts(m, contexts)
    if not m.exact:
        return law_kernel(belief_states(m, C), C.wire, m.states, backend, device, dtype)
    A = forward_vectors(m, C)
    return ratio_kernel(A, A.sum(axis=1), C.wire, m.states, backend, device, dtype)


def observable_basis(m: Machine) -> np.ndarray:
    """A basis (rows) of the span of ``{T[w₁] ⋯ T[w_K] 1 : K ≥ 1}`` (exact RREF when exact).

    >>> from catkit.sources import tiny_source
    >>> observable_basis(tiny_source().machine).tolist()
    [[Fraction(1, 1), Fraction(0, 1)], [Fraction(0, 1), Fraction(1, 1)]]
    """
    T, _ = m.arrays(m.exact)
    R = T.sum(axis=2).T if not m.exact else np.array(
        [[sum(T[w, s], Fraction(0)) for w in range(m.V)] for s in range(m.S)], dtype=object
    )
    basis = row_basis(R.T, m.exact)
    while True:  # close the span under v ↦ T[w] v (it stabilises within S rounds)
        grown = np.concatenate([basis] + [T[w].dot(basis.T).T for w in range(m.V)], axis=0)
        new = row_basis(grown, m.exact)
        if new.shape[0] == basis.shape[0]:
            return new
        basis = new


def sufficient_statistic(m: Machine, contexts: ContextSet | int, backend: str | None = None, decimals: int = 9) -> Kernel:
    """The minimal sufficient statistic of the context for the future: a deterministic kernel
    ``contexts.wire → Wire(k, name="belief class")``, classes numbered by first appearance (float
    machines compare the projected beliefs rounded to ``decimals``).

    >>> from catkit.sources import tiny_source
    >>> sufficient_statistic(tiny_source().machine, 1).as_function()
    {'': 0, 'a': 1, 'b': 2, 'c': 0}
    """
    C = as_contexts(m, contexts)
    sig = belief_states(m, C).dot(observable_basis(m).T)
    keys = [tuple(r) for r in sig] if m.exact else [tuple(np.round(r.astype(float), decimals) + 0.0) for r in sig]
    cls: dict[Any, int] = {}
    idx = [cls.setdefault(k, len(cls)) for k in keys]
    lab = dict(zip(C.labels, idx))
    return Kernel.from_function(lab.__getitem__, C.wire, Wire(len(cls), name="belief class"), backend=backend)
