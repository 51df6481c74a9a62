"""The embedded sources (the default HMM the paper checks and the default LM run on, a tiny one for tests),
the registry of sources by name, and :func:`load_source`: a named source or a spec file.

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

from catkit.sources.hmm import HMM
from catkit.sources.machine import FiniteStateSource
from catkit.sources.probs import SourceError
from catkit.sources.spec import read_spec

__all__ = ["default_source", "tiny_source", "SOURCES", "named_source", "load_source"]


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


#: the embedded sources by name (the names a command line's ``--source`` and the presets use)
SOURCES: dict[str, Callable[[], FiniteStateSource]] = {"default": default_source, "tiny": tiny_source}


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
