"""Composing a source with a memoryless channel: every token ``x_t`` is replaced by ``y_t ~ C(·|x_t)``.

The composite machine keeps the states and the initial law and has ``T'[v] = Σ_w C[w, v] T[w]``;
it is exact when both the source and the channel are.  ``MarkovChain(A) >> B`` is the HMM ``(A, B)``.

>>> from catkit.sources import tiny_source
>>> pi, T, vocab = through_channel(tiny_source().machine, [[1, 0], [1, 0], [0, 1]])
>>> T.shape, vocab
((2, 2, 2), Wire(['a', 'b'], name='vocab'))
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.sources.contexts import vocab_wire
from catkit.sources.core import Machine
from catkit.sources.probs import SourceError, as_prob_array, check_rows, to_float

__all__ = ["through_channel"]


def through_channel(m: Machine, channel: Any) -> tuple[np.ndarray, np.ndarray, Wire]:
    """``(initial law, transitions, vocabulary)`` of the machine followed by ``channel`` (a catkit kernel
    ``vocab → vocab'`` or a ``V × V'`` matrix); its labels name the new vocabulary.

    >>> from catkit.sources import tiny_source
    >>> through_channel(tiny_source().machine, [[1, 0]])
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: a channel from this source's 3 tokens needs 3 rows, got shape (1, 2)
    """
    C, exact = as_prob_array(channel, "channel")
    if C.ndim != 2 or C.shape[0] != m.V:
        raise SourceError(f"a channel from this source's {m.V} tokens needs {m.V} rows, got shape {C.shape}")
    check_rows(C, exact, "channel", list(m.vocab.elements()))
    exact = exact and m.exact
    T, pi = m.arrays(exact)
    C = C if exact else to_float(C)
    zero = np.array([[Fraction(0)] * m.S] * m.S, dtype=object) if exact else np.zeros((m.S, m.S), dtype=T.dtype)
    T2 = np.stack([sum((C[w, v] * T[w] for w in range(m.V)), zero) for v in range(C.shape[1])])
    cod = channel.cod[0] if isinstance(channel, Kernel) and len(channel.cod) == 1 else C.shape[1]
    vocab = cod if isinstance(cod, Wire) and cod.labels is not None else vocab_wire(int(C.shape[1]))
    return pi, T2, Wire(list(vocab.elements()), name="vocab")
