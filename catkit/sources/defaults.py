"""The embedded sources (the default HMM the paper checks and the default LM run on, a tiny one for tests),
the registry of sources by name, the parametrised families (:data:`SOURCE_FAMILIES`: the report's large
HMM), and :func:`load_source`: a named source or a spec file.

>>> default_source()
<HMM 'default': 3 states, vocab ['a', 'b', 'c', 'd'], exact>
>>> tiny_source().V, tiny_source().S
(3, 2)
>>> sorted(SOURCES)
['default', 'tiny']
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import numpy as np

from catkit.sources.hmm import HMM
from catkit.sources.machine import FiniteStateSource
from catkit.sources.probs import SourceError
from catkit.sources.spec import read_spec

__all__ = ["default_source", "tiny_source", "large_source", "SOURCES", "SOURCE_FAMILIES", "named_source", "load_source"]


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


def large_source(vocab: int = 256, states: int = 8, seed: int = 0) -> HMM:
    """A float HMM with ``states`` sticky hidden states over ``vocab`` tokens, each state emitting mostly
    from its own block of ``vocab / states`` tokens (the source of the report's ``large`` preset).

    Within a block the emission is Zipf-like (weights ``r^-1.1`` over the ranks ``r = 1, 2, …``, the ranks
    shuffled by ``seed``); 5% of every emission is spread uniformly over the whole vocabulary, so every
    token has positive probability in every state and one token does not reveal the state.  A state stays
    with probability drawn in ``[0.85, 0.95]`` (by ``seed``) and otherwise moves uniformly to another.
    The same arguments give the same source.

    >>> src = large_source()
    >>> src.V, src.S, src.exact
    (256, 8, False)
    >>> B = src.emission_kernel().matrix
    >>> bool((B > 0).all()), bool(B[0, :32].sum() > 0.9), bool(np.allclose(B.sum(1), 1))
    (True, True, True)
    >>> bool((large_source(seed=0).transitions == src.transitions).all()), bool((large_source(seed=1).transitions == src.transitions).all())
    (True, False)
    """
    if not (isinstance(states, int) and isinstance(vocab, int) and 1 <= states <= vocab):
        raise SourceError(f"large_source needs 1 <= states <= vocab, got states={states}, vocab={vocab}")
    rng = np.random.default_rng([int(seed), 2507_19247])
    stay = rng.uniform(0.85, 0.95, size=states)
    if states == 1:
        A = np.ones((1, 1))
    else:
        A = np.repeat(((1 - stay) / (states - 1))[:, None], states, axis=1)
        np.fill_diagonal(A, stay)
    smooth = 0.05
    B = np.full((states, vocab), smooth / vocab)
    for s, block in enumerate(np.array_split(np.arange(vocab), states)):
        ranks = rng.permutation(len(block)) + 1.0
        zipf = ranks**-1.1
        B[s, block] += (1 - smooth) * zipf / zipf.sum()
    A /= A.sum(axis=1, keepdims=True)
    B /= B.sum(axis=1, keepdims=True)
    return HMM(A, B, vocab=vocab, name=f"large-{vocab}x{states}")


#: the embedded sources by name (the names a command line's ``--source`` and the presets use)
SOURCES: dict[str, Callable[[], FiniteStateSource]] = {"default": default_source, "tiny": tiny_source}
#: the parametrised families of sources by name (keyword arguments choose the member; the report's presets use them)
SOURCE_FAMILIES: dict[str, Callable[..., FiniteStateSource]] = {"large": large_source}


def named_source(name: str) -> FiniteStateSource:
    """The embedded source called ``name`` (a key of :data:`SOURCES`).

    >>> named_source("tiny").name
    'tiny'
    >>> named_source("huge")
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: no embedded source is called 'huge'; choose from default, tiny
    """
    if name not in SOURCES:
        raise SourceError(f"no embedded source is called {name[:200]!r}; choose from {', '.join(SOURCES)}")
    return SOURCES[name]()


def load_source(name: str | os.PathLike[str]) -> FiniteStateSource:
    """A source named on a command line or in a config: an embedded one (``default``, ``tiny``) or a JSON
    spec file written by :meth:`~catkit.sources.FiniteStateSource.spec` (read as untrusted data, see
    :func:`~catkit.sources.read_spec`).

    >>> load_source("tiny").name
    'tiny'
    >>> load_source("nope")
    Traceback (most recent call last):
    ...
    catkit.sources.probs.SourceError: --source must be 'default', 'tiny' or a JSON spec file written by source.spec(); got 'nope'
    """
    if isinstance(name, str) and name in SOURCES:
        return SOURCES[name]()
    path = Path(name)
    if not path.is_file():
        names = ", ".join(repr(n) for n in SOURCES)
        raise SourceError(f"--source must be {names} or a JSON spec file written by source.spec(); got {str(name)[:200]!r}")
    return FiniteStateSource.from_spec(read_spec(path))
