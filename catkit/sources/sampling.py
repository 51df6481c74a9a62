"""Fast seeded sampling of token sequences from a finite-state source.

The source is an edge-emitting machine: from state ``s`` it emits token ``w`` and
moves to ``s'`` with probability ``T[w, s, s']``.  One step draws the pair
``(w, s')`` from the flattened row by inverse-CDF search.  Many sequences are
drawn in lock-step with numpy (per position, one comparison against each sequence's cdf row, or
for large batches of large rows one vectorised search per state); a few long
sequences use a plain Python loop with ``bisect``, which is faster there.

>>> import numpy as np
>>> T = np.zeros((2, 1, 1)); T[:, 0, 0] = [0.5, 0.5]   # a fair coin
>>> x = sample_tokens(np.array([1.0]), T, 3, 5, np.random.default_rng(0))
>>> x.shape, set(np.unique(x)) <= {0, 1}
((3, 5), True)
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, overload

import numpy as np

from catkit.sources.probs import SourceError

if TYPE_CHECKING:
    from catkit.sources.core import Machine

__all__ = ["sample_tokens", "sample", "Seed"]

#: what a seed may be: an int, a sequence of ints, a numpy SeedSequence, or None (fresh entropy)
Seed = int | Sequence[int] | np.random.SeedSequence | None

_LOOP_BELOW = 32  # batches smaller than this use the Python loop
_GATHER_MAX = 2**18  # largest (n, V*S) cdf gathered per position (2 MB); larger batches search per state


def _cdf(p: np.ndarray) -> np.ndarray:
    c = np.cumsum(p, axis=-1)
    c[..., -1] = np.inf  # rounding can never step past the last outcome
    return c


@overload
def sample_tokens(
    initial: np.ndarray, T: np.ndarray, n: int, length: int, rng: np.random.Generator,
    return_states: Literal[False] = False,
) -> np.ndarray: ...


@overload
def sample_tokens(
    initial: np.ndarray, T: np.ndarray, n: int, length: int, rng: np.random.Generator, return_states: Literal[True]
) -> tuple[np.ndarray, np.ndarray]: ...


@overload
def sample_tokens(
    initial: np.ndarray, T: np.ndarray, n: int, length: int, rng: np.random.Generator, return_states: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]: ...


def sample_tokens(
    initial: np.ndarray, T: np.ndarray, n: int, length: int, rng: np.random.Generator, return_states: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """Sample ``n`` sequences of ``length`` tokens (int64 array ``(n, length)``).

    ``initial`` is the float law of the first state, ``T`` the float ``(V, S, S)``
    emission-transition array.  With ``return_states`` also the visited states
    ``(n, length + 1)`` (state ``t`` is the one *before* token ``t``).

    >>> T = np.zeros((2, 2, 2)); T[0, 0, 1] = T[1, 1, 0] = 1.0   # alternate a, b
    >>> sample_tokens(np.array([1.0, 0.0]), T, 1, 4, np.random.default_rng(1)).tolist()
    [[0, 1, 0, 1]]
    """
    V, S, _ = T.shape
    joint = np.ascontiguousarray(T.transpose(1, 0, 2).reshape(S, V * S))  # row s: (w, s') flattened
    cdf = _cdf(joint)
    u0 = rng.random(n)
    u = rng.random((n, length))
    state = np.searchsorted(_cdf(initial[None, :])[0], u0, side="right").astype(np.int64)
    tokens = np.empty((n, length), dtype=np.int64)
    states = np.empty((n, length + 1), dtype=np.int64) if return_states else None
    if n < _LOOP_BELOW:
        rows = [list(r) for r in cdf]
        for b in range(n):
            s = int(state[b])
            ub = u[b].tolist()
            out = [0] * length
            seen = [s] * (length + 1)
            for t in range(length):
                j = bisect.bisect_right(rows[s], ub[t])
                out[t], s = divmod(j, S)
                seen[t + 1] = s
            tokens[b] = out
            if states is not None:
                states[b] = seen
    else:
        if states is not None:
            states[:, 0] = state
        gather = n * V * S <= _GATHER_MAX
        js = np.empty(n, dtype=np.int64)
        for t in range(length):
            if gather:  # small rows: compare against each sequence's row at once
                js = (cdf[state] <= u[:, t, None]).sum(axis=1)
            else:  # one search per current state over the sequences in it, without the (n, V*S) array
                order = np.argsort(state, kind="stable")
                bounds = np.searchsorted(state[order], np.arange(S + 1))
                for k in np.flatnonzero(np.diff(bounds)):
                    idx = order[bounds[k] : bounds[k + 1]]
                    js[idx] = np.searchsorted(cdf[k], u[idx, t], side="right")
            tokens[:, t] = js // S
            state = js % S
            if states is not None:
                states[:, t + 1] = state
    return (tokens, states) if states is not None else tokens


def sample(
    m: Machine, n: int, length: int, seed: Seed = None, rng: np.random.Generator | None = None, return_states: bool = False
) -> np.ndarray | tuple[np.ndarray, np.ndarray]:
    """``n`` sequences of ``length`` tokens from a machine, from ``seed`` or ``rng`` (not both); see
    :meth:`FiniteStateSource.sample <catkit.sources.FiniteStateSource.sample>`.

    >>> from catkit.sources import tiny_source
    >>> sample(tiny_source().machine, 2, 3, seed=0).shape
    (2, 3)
    >>> sample(tiny_source().machine, 2, 3, seed=0, rng=np.random.default_rng(0))
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: give either seed or rng, not both
    """
    if rng is None:
        rng = np.random.default_rng(seed)
    elif seed is not None:
        raise SourceError("give either seed or rng, not both")
    if n < 0 or length < 0:
        raise SourceError(f"sample needs n >= 0 and length >= 0, got n={n}, length={length}")
    return sample_tokens(m.pif, m.Tf, n, length, rng, return_states)
