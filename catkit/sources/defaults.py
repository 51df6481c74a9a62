"""The embedded sources: the default HMM (the paper checks and the default LM run on it) and a tiny one for tests.

>>> default_source()
<HMM 'default': 3 states, vocab ['a', 'b', 'c', 'd'], exact>
>>> tiny_source().V, tiny_source().S
(3, 2)
"""

from __future__ import annotations

from functools import lru_cache

from catkit.sources.hmm import HMM

__all__ = ["default_source", "tiny_source"]


@lru_cache(maxsize=1)
def default_source() -> HMM:
    """The default source: a 3-state, 4-token HMM with sticky states and overlapping emissions.

    The belief state matters (it is not a Markov chain of any order: the best prediction keeps
    improving with longer contexts), its laws are exact rationals, and its entropy rate is well
    below ``log 4`` so that learning it is visible: a bigram predictor stays 0.067 nats above the entropy
    rate (1.1364 nats), an order-2 one 0.023.  Sources are immutable, so the same object is returned
    every time (its entropy rate is computed once).

    >>> src = default_source()
    >>> list(map(str, src.emission_kernel()("s2").matrix[0]))
    ['1/20', '1/20', '1/5', '7/10']
    """
    A = [["9/10", "1/20", "1/20"], ["1/20", "9/10", "1/20"], ["1/20", "1/20", "9/10"]]
    B = [["7/10", "1/10", "3/20", "1/20"], ["1/10", "7/10", "3/20", "1/20"], ["1/20", "1/20", "1/5", "7/10"]]
    return HMM(A, B, vocab=["a", "b", "c", "d"], name="default")


@lru_cache(maxsize=1)
def tiny_source() -> HMM:
    """A 2-state, 3-token HMM small enough for brute-force checks and seconds-long training.

    State ``s0`` emits ``a`` or ``c``, state ``s1`` emits ``b`` or ``c``; states persist with probability 3/4.

    >>> tiny_source().prob("ac")
    Fraction(1, 8)
    """
    return HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["1/2", 0, "1/2"], [0, "1/2", "1/2"]], vocab=["a", "b", "c"], name="tiny")
