"""The exact laws of a source: words, blocks, contexts and the future given a context.

Each is a product of the machine's matrices (:mod:`catkit.sources.forward`): exact sources get
integers over one denominator per row, turned into kernels without rounding
(:func:`~catkit.sources.kernels.ratio_kernel`); float sources compute in float64.  These functions
take a :class:`~catkit.sources.core.Machine`; :class:`~catkit.sources.FiniteStateSource` calls them.

>>> from catkit.sources import tiny_source
>>> m = tiny_source().machine
>>> prob(m, (0, 2)), block_law(m, 1).matrix.tolist()
(Fraction(1, 8), [[Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)]])
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.backends.exact import to_fraction
from catkit.kernel import Kernel
from catkit.objects import I, Obj
from catkit.sources.contexts import ContextSet
from catkit.sources.core import Machine, as_contexts, forward_vectors
from catkit.sources.forward import PrefixTree, float_forward
from catkit.sources.kernels import law_kernel, normalise_rows, ratio_kernel
from catkit.sources.probs import SourceError

__all__ = ["prob", "block_law", "context_law", "future_kernel", "future_matrix"]


def prob(m: Machine, ids: Sequence[int]) -> Any:
    """``P(X₁…Xₙ = ids)``: a Fraction when exact, else a float.

    >>> from catkit.sources import tiny_source
    >>> prob(tiny_source().to_float().machine, (0, 2))
    0.125
    """
    if m.exact:
        return m.integer.prob(ids)
    a = m.pif
    for t in ids:
        a = a @ m.Tf[t]
    return float(a.sum())


def block_law(m: Machine, length: int, backend: str | None = None, device: Any = None, dtype: Any = None) -> Kernel:
    """The law of ``(X₁, …, X_length)`` as a state ``I → vocab^⊗length`` (one wire per position).

    >>> from catkit.sources import tiny_source
    >>> block_law(tiny_source().machine, 2).cod.sizes
    (3, 3)
    """
    if not (isinstance(length, int) and length >= 0):
        raise SourceError(f"a block law needs a length >= 0, got {length!r}")
    tree = PrefixTree.complete_to(m.V, length)
    cod = Obj(*([m.vocab] * length))
    if not m.exact:
        return law_kernel(float_forward(m.Tf, m.pif, tree).sum(axis=1).reshape(1, -1), I, cod, backend, device, dtype)
    p = m.integer.alphas(tree).sum(axis=1).reshape(1, -1)
    return ratio_kernel(p, np.array([m.integer.den(length)], dtype=object), I, cod, backend, device, dtype)


def _length_weights(m: Machine, lengths: Sequence[int], length_weights: Any) -> dict[int, Any]:
    """``length → weight``: uniform over the lengths present by default (exact for exact machines)."""
    if length_weights is None:
        return {n: (Fraction(1, len(lengths)) if m.exact else 1.0 / len(lengths)) for n in lengths}
    conv = to_fraction if m.exact else float
    w = {int(k): conv(v) for k, v in dict(length_weights).items()}
    missing = [n for n in lengths if n not in w]
    if missing:
        raise SourceError(f"length_weights has no weight for context length(s) {missing}")
    return w


def context_law(
    m: Machine, contexts: ContextSet | int, length_weights: Any = None, backend: str | None = None, device: Any = None,
    dtype: Any = None,
) -> Kernel:
    """The law ``μ(x) = w(|x|) P(x)`` of the context on a context set, as a state ``I → contexts.wire``
    (see :meth:`FiniteStateSource.context_law <catkit.sources.FiniteStateSource.context_law>`).

    >>> from catkit.sources import tiny_source
    >>> context_law(tiny_source().machine, 1, {0: 0, 1: 1})["b"]
    Fraction(1, 4)
    """
    C = as_contexts(m, contexts)
    p = forward_vectors(m, C).sum(axis=1)
    lengths = C.lengths
    w = _length_weights(m, lengths, length_weights)
    # exact: p[i] is an integer over den(len); mu = w[n] p over one common denominator
    den = {n: Fraction(w[n]).denominator * m.integer.den(n) for n in lengths} if m.exact else {}
    common = math.lcm(*den.values()) if den else 1
    mu = np.empty(len(C), dtype=object if m.exact else np.float64)
    for n, pos, _ in C.groups():
        if m.exact:
            tot: Any = Fraction(int(p[pos].sum()), m.integer.den(n))
            mu[pos] = p[pos].astype(object) * (Fraction(w[n]).numerator * (common // den[n]))
        else:
            tot = float(p[pos].sum())
            mu[pos] = w[n] * p[pos]
        if w[n] != 0 and ((tot != 1) if m.exact else abs(tot - 1) > 1e-9):
            raise SourceError(
                f"the contexts of length {n} carry probability {tot}, not 1: a context law needs every "
                "context of positive probability of each length (use ContextSet.all or a length weight of 0)"
            )
    if m.exact:
        return ratio_kernel(mu.reshape(1, -1), np.array([common], dtype=object), I, C.wire, backend, device, dtype)
    return law_kernel(mu.reshape(1, -1), I, C.wire, backend, device, dtype)


def future_matrix(m: Machine, K: int) -> np.ndarray:
    """``F[s, w₁…w_K] = (T[w₁] ⋯ T[w_K] 1)[s]``: the law of the next K tokens from each state, ``(S, V^K)`` (float).

    >>> from catkit.sources import tiny_source
    >>> future_matrix(tiny_source().machine, 1).tolist()
    [[0.5, 0.0, 0.5], [0.0, 0.5, 0.5]]
    """
    F = np.ones((m.S, 1))
    for _ in range(K):  # prepend one token: F_new[s, (w, rest)] = Σ_s' T[w, s, s'] F[s', rest]
        F = np.concatenate([m.Tf[w] @ F for w in range(m.V)], axis=1)
    return F


def future_kernel(
    m: Machine, contexts: ContextSet | int, K: int, backend: str | None = None, device: Any = None, dtype: Any = None
) -> Kernel:
    """The law of the next ``K`` tokens given the context: ``contexts.wire → vocab^⊗K``.

    >>> from catkit.sources import tiny_source
    >>> future_kernel(tiny_source().machine, 0, 1)("").matrix.tolist()
    [[Fraction(1, 4), Fraction(1, 4), Fraction(1, 2)]]
    """
    if not (isinstance(K, int) and K >= 1):
        raise SourceError(f"K (the number of future tokens) must be an int >= 1, got {K!r}")
    C = as_contexts(m, contexts)
    A = forward_vectors(m, C)
    cod = Obj(*([m.vocab] * K))
    if not m.exact:
        return law_kernel(normalise_rows(A @ future_matrix(m, K), m.V**K), C.wire, cod, backend, device, dtype)
    F = m.integer.future(K)  # the rows of A @ F are the joint laws (x, future) over one denominator per length
    if A.dtype == object or F.dtype == object or m.integer.den(C.max_length) * m.integer.D**K >= 2**63:
        A, F = A.astype(object), F.astype(object)
    M = A @ F
    return ratio_kernel(M, M.sum(axis=1), C.wire, cod, backend, device, dtype)
