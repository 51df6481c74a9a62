"""Exact forward filtering (float64) along token sequences: next-token laws, beliefs, log-probabilities.

One pass advances a batch of belief vectors by one token per position (:class:`~catkit.sources.forward.FloatSteps`:
one BLAS product per step for state-emitting machines); a sequence of probability 0 keeps going from the
uniform belief with log-probability ``-inf``.  Large batches run in chunks of rows whose working arrays
stay in cache, so the time is linear in the batch.

>>> from catkit.sources import tiny_source
>>> f = filter_tokens(tiny_source().machine, [[0, 2]])
>>> f.next_probs[0, 1].tolist(), f.beliefs[0, 1].tolist()
([0.375, 0.125, 0.5], [0.75, 0.25])
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from catkit.sources.core import Machine
from catkit.sources.probs import SourceError

__all__ = ["Filtered", "token_ids", "filter_pass", "filter_tokens", "log_prob"]

_FILTER_CHUNK = 2**16  # rows x states of one chunk of a filtered batch (512 KB of float64: stays in cache)


@dataclass(frozen=True)
class Filtered:
    """Exact (float64) forward filtering along token sequences.

    ``next_probs[b, t]`` is ``P(x_{t+1} = · | x_1..x_t)`` (``t = 0`` is the first token's law),
    ``beliefs[b, t]`` the law of the hidden state after ``t`` tokens, ``log_prob[b]`` the
    log-probability of the whole sequence (nats).

    >>> from catkit.sources import default_source
    >>> f = default_source().filter([[0, 1, 2]])
    >>> f.next_probs.shape, f.beliefs.shape, bool(f.log_prob[0] < 0)
    ((1, 3, 4), (1, 4, 3), True)
    """

    next_probs: np.ndarray
    beliefs: np.ndarray
    log_prob: np.ndarray


def token_ids(m: Machine, tokens: Any) -> np.ndarray:
    """Token ids as a checked ``(batch, length)`` int64 array (one sequence may be given as 1-D).

    >>> from catkit.sources import tiny_source
    >>> token_ids(tiny_source().machine, [0, 3])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: token ids must lie in 0..2; got values in 0..3
    """
    x = np.asarray(tokens, dtype=np.int64)
    if x.ndim == 1:
        x = x[None, :]
    if x.ndim != 2:
        raise SourceError(f"token ids must be a (batch, length) array, got shape {x.shape}")
    if x.size and (x.min() < 0 or x.max() >= m.V):
        raise SourceError(f"token ids must lie in 0..{m.V - 1}; got values in {x.min()}..{x.max()}")
    return x


def filter_pass(
    m: Machine, x: np.ndarray, *, laws: bool, beliefs: bool
) -> tuple[np.ndarray | None, np.ndarray | None, np.ndarray, np.ndarray]:
    """The forward pass over checked ids ``x``: ``(next-token laws (B, T, V) if laws, beliefs (B, T + 1, S) if
    beliefs, the last belief (B, S), log-probabilities (B,))``.

    >>> from catkit.sources import tiny_source
    >>> filter_pass(tiny_source().machine, np.array([[0]]), laws=False, beliefs=False)[2].tolist()
    [[0.75, 0.25]]
    """
    B, L = x.shape
    S, V = m.S, m.V
    chunk = max(64, _FILTER_CHUNK // max(S, V))
    if B > chunk:
        parts = [filter_pass(m, x[i:i + chunk], laws=laws, beliefs=beliefs) for i in range(0, B, chunk)]
        return (
            np.concatenate([p[0] for p in parts]) if laws else None,  # type: ignore[misc]
            np.concatenate([p[1] for p in parts]) if beliefs else None,  # type: ignore[misc]
            np.concatenate([p[2] for p in parts]),
            np.concatenate([p[3] for p in parts]),
        )
    steps, Rf = m.steps, m.Rf
    hist = np.empty((B, L + 1, S)) if beliefs else None
    nxt = np.empty((B, L, V)) if laws else None
    logp = np.zeros(B)
    b = np.broadcast_to(m.pif, (B, S)).copy()
    if hist is not None:
        hist[:, 0] = b
    for t in range(L):
        if nxt is not None:
            nxt[:, t] = b @ Rf
        a = steps.step(b, x[:, t])
        z = a.sum(axis=1)
        if bool((z > 0).all()):
            b = a / z[:, None]
            logp += np.log(z)
        else:
            with np.errstate(divide="ignore"):
                logp += np.log(z)
            b = np.where(z[:, None] > 0, a / np.where(z > 0, z, 1.0)[:, None], 1.0 / S)
        if hist is not None:
            hist[:, t + 1] = b
    return nxt, hist, b, logp


def filter_tokens(m: Machine, tokens: Any) -> Filtered:
    """The true next-token laws at every position, the belief states and the log-probability of each sequence.

    >>> from catkit.sources import tiny_source
    >>> filter_tokens(tiny_source().machine, [[1, 1]]).log_prob.round(6).tolist()
    [-2.367124]
    """
    nxt, beliefs, _, logp = filter_pass(m, token_ids(m, tokens), laws=True, beliefs=True)
    assert nxt is not None and beliefs is not None
    return Filtered(nxt, beliefs, logp)


def log_prob(m: Machine, tokens: Any) -> np.ndarray:
    """``log P(x)`` (nats) of each sequence, keeping only the current beliefs (memory ``O(B·S)``).

    >>> from catkit.sources import tiny_source
    >>> log_prob(tiny_source().machine, [[1, 1]]).round(6).tolist()
    [-2.367124]
    """
    return filter_pass(m, token_ids(m, tokens), laws=False, beliefs=False)[3]
