"""Contexts in chunks, with their weights and exact next-token laws, for streamed statistics.

:func:`iter_context_batches` enumerates every context of one length in lexicographic order (each chunk's
forward vectors in one pass over its part of the prefix tree); :func:`sample_context_batches` draws
contexts, chunk ``k`` from the seed ``(seed, k)``.  Both take ``shard=(rank, world)`` and keep the chunks
``rank, rank + world, …``, so that processes split the work and reruns agree.

>>> from catkit.sources import tiny_source
>>> b = next(iter_context_batches(tiny_source().machine, 1, 2))
>>> b.ids.tolist(), b.weights.tolist()
([[0], [1]], [0.25, 0.25])
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from catkit.sources.core import Machine
from catkit.sources.filtering import filter_pass
from catkit.sources.forward import PrefixTree, float_forward
from catkit.sources.kernels import normalise_rows
from catkit.sources.probs import SourceError
from catkit.sources.sampling import sample

__all__ = ["ContextBatch", "iter_context_batches", "sample_context_batches"]


@dataclass(frozen=True)
class ContextBatch:
    """A chunk of contexts with their weights and exact next-token laws (float64), for streaming.

    ``ids`` is ``(n, length)`` int64, ``weights`` the probability of each context
    (exact law, rounded to float) or ``1/n_total`` for sampled contexts, ``next_probs``
    the ``(n, V)`` next-token laws.

    >>> from catkit.sources import default_source
    >>> b = next(default_source().iter_context_batches(2, batch_size=5))
    >>> b.ids.shape, b.next_probs.shape, round(float(b.next_probs.sum(1)[0]), 12)
    ((5, 2), (5, 4), 1.0)
    """

    ids: np.ndarray
    weights: np.ndarray
    next_probs: np.ndarray


def _check_shard(shard: tuple[int, int]) -> tuple[int, int]:
    rank, world = shard
    if not (0 <= rank < world):
        raise SourceError(f"shard must be (rank, world) with 0 <= rank < world, got {shard}")
    return rank, world


def iter_context_batches(
    m: Machine, length: int, batch_size: int = 65536, shard: tuple[int, int] = (0, 1)
) -> Iterator[ContextBatch]:
    """Every context of ``length`` tokens with its exact probability and next-token law, in chunks.

    >>> from catkit.sources import tiny_source
    >>> [b.ids.shape[0] for b in iter_context_batches(tiny_source().machine, 2, 4, shard=(1, 2))]
    [4]
    """
    rank, world = _check_shard(shard)
    V = m.V
    total = V**length
    powers = V ** np.arange(length - 1, -1, -1, dtype=np.int64)
    for k, start in enumerate(range(0, total, batch_size)):
        if k % world != rank:
            continue
        stop = min(start + batch_size, total)
        idx = np.arange(start, stop, dtype=np.int64)
        ids = (idx[:, None] // powers[None, :]) % V
        a = float_forward(m.Tf, m.pif, PrefixTree.lexicographic_range(V, length, start, stop))
        yield ContextBatch(ids, a.sum(axis=1), normalise_rows(a @ m.Rf, V))


def sample_context_batches(
    m: Machine, n: int, length: int, batch_size: int = 65536, seed: int = 0, shard: tuple[int, int] = (0, 1)
) -> Iterator[ContextBatch]:
    """``n`` sampled contexts of ``length`` tokens (weight ``1/n`` each) with their exact next-token laws, in chunks.

    >>> from catkit.sources import tiny_source
    >>> [b.ids.shape for b in sample_context_batches(tiny_source().machine, 5, 2, 3)]
    [(3, 2), (2, 2)]
    """
    rank, world = shard
    for k, start in enumerate(range(0, n, batch_size)):
        if k % world != rank:
            continue
        size = min(batch_size, n - start)
        drawn = sample(m, size, length + 1, seed=[seed, k])
        assert isinstance(drawn, np.ndarray)
        ids = drawn[:, :length]
        last = filter_pass(m, ids, laws=False, beliefs=False)[2]
        yield ContextBatch(ids, np.full(size, 1.0 / n), normalise_rows(last @ m.Rf, m.V))
