"""Block entropies, conditional entropies and the entropy rate of a source (nats, float64).

``H(X_n | X_{<n}, start)`` is computed by enumerating the contexts of length ``n − 1`` from each start
(a weighted state law): the joint of a context and the next token is ``α(x) R`` with ``α`` the forward
vector, and the entropy of each next-token law comes from :func:`catkit.info.entropy.entropy_of_rows`.
Enumeration goes breadth-first while a level fits in memory and depth-first (by next token) beyond.
Starting from the stationary law, and from each state separately, gives the certified bounds
``H(X_n | X_{<n}, S₁) ≤ h ≤ H(X_n | X_{<n})`` on the entropy rate (Cover & Thomas, Thm 4.5.1).

>>> from catkit.sources import tiny_source
>>> m = tiny_source().machine
>>> abs(conditional_entropy(m, 1) + conditional_entropy(m, 2) - block_entropy(m, 2)) < 1e-12
True
"""

from __future__ import annotations

import math

import numpy as np

from catkit.info.entropy import entropy_of_rows
from catkit.sources.core import Machine
from catkit.sources.probs import SourceError, to_float

__all__ = ["conditional_entropy_from", "conditional_entropy", "block_entropy", "entropy_rate_bounds", "entropy_rate"]

_MAX_ENUM = 2**22  # entries of a level of the context tree held at once (then depth-first)
_MAX_CONTEXTS = 2**26  # most contexts an exact entropy computation enumerates


def conditional_entropy_from(m: Machine, alpha0: np.ndarray, n: int) -> float:
    """``H(X_n | X_{<n}, start)`` where the rows of ``alpha0`` are the start's weighted state laws.

    >>> from catkit.sources import tiny_source
    >>> m = tiny_source().machine
    >>> conditional_entropy_from(m, np.diag(m.pif), 1) <= conditional_entropy_from(m, m.pif[None, :], 1)
    True
    """
    if n < 1:
        raise SourceError(f"conditional entropies need a position n >= 1, got {n}")
    V, S = m.V, m.S
    if alpha0.shape[0] * V ** (n - 1) > _MAX_CONTEXTS:
        raise SourceError(
            f"enumerating the {V ** (n - 1)} contexts of length {n - 1} (x {alpha0.shape[0]} starts) "
            f"exceeds the cap of {_MAX_CONTEXTS} contexts; use a smaller n"
        )
    A = alpha0
    for k in range(n - 1):
        if A.shape[0] * V ** (n - 1 - k) * S > _MAX_ENUM:  # depth-first by next token: bounded memory
            return sum(conditional_entropy_from(m, A @ m.Tf[w], n - k - 1) for w in range(V))
        A = np.einsum("ms,wst->mwt", A, m.Tf).reshape(-1, S)
    P = A @ m.Rf  # joint of (context, next token)
    Z = P.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        Q = np.where(Z[:, None] > 0, P / np.where(Z > 0, Z, 1.0)[:, None], 0.0)
    return float(np.dot(Z, entropy_of_rows(Q)))


def conditional_entropy(m: Machine, n: int) -> float:
    """``H(X_n | X₁…X_{n-1})`` from the machine's initial law.

    >>> from catkit.sources import tiny_source
    >>> round(conditional_entropy(tiny_source().machine, 1), 6)
    1.039721
    """
    return conditional_entropy_from(m, m.pif.reshape(1, -1), n)


def block_entropy(m: Machine, n: int) -> float:
    """``H(X₁…X_n)`` by the chain rule.

    >>> from catkit.sources import tiny_source
    >>> block_entropy(tiny_source().machine, 0)
    0.0
    """
    if n < 0:
        raise SourceError(f"block entropies need a length n >= 0, got {n}")
    return float(sum(conditional_entropy(m, k) for k in range(1, n + 1)))


def entropy_rate_bounds(m: Machine, n: int) -> tuple[float, float]:
    """``(H(X_n | X_{<n}, S₁), H(X_n | X_{<n}))`` for the stationary version of the machine.

    >>> from catkit.sources import tiny_source
    >>> lo, hi = entropy_rate_bounds(tiny_source().machine, 4)
    >>> 0 < lo <= hi
    True
    """
    st = to_float(m.stationary)
    hi = conditional_entropy_from(m, st.reshape(1, -1), n)
    lo = conditional_entropy_from(m, np.diag(st), n)
    return min(lo, hi), hi


def entropy_rate(m: Machine, tol: float = 1e-4, max_n: int = 64) -> float:
    """The midpoint of :func:`entropy_rate_bounds` once they are ``tol`` apart (cached on the machine).

    >>> from catkit.sources import tiny_source
    >>> round(entropy_rate(tiny_source().machine, 1e-3), 2)
    1.0
    """
    key = (tol, max_n)
    if key in m.rates:
        return m.rates[key]
    lo, hi = 0.0, math.inf
    for n in range(1, max_n + 1):
        try:
            lo, hi = entropy_rate_bounds(m, n)
        except SourceError:
            break
        if hi - lo <= tol:
            m.rates[key] = (lo + hi) / 2
            return m.rates[key]
    raise SourceError(f"the entropy-rate bounds only reached [{lo:.8g}, {hi:.8g}] (n = {n}); ask for a larger tol")
