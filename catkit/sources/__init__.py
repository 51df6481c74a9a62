"""Finite-state language sources with exactly known laws.

* :class:`FiniteStateSource` — the edge-emitting machine every source is (exact laws, sampling,
  belief states, entropies, streaming);
* :class:`MarkovChain` (order ``k``) and :class:`HMM`; ``source >> channel`` composes;
* :class:`ContextSet` — finite sets of contexts, with a catkit wire;
* :func:`default_source`, :func:`tiny_source` — the embedded sources (:data:`SOURCES` by name);
  :func:`large_source` — the report's large HMM (:data:`SOURCE_FAMILIES`: parametrised families by name);
  :func:`load_source` — a named source or a JSON spec file.

>>> from catkit.sources import default_source
>>> k = default_source().next_token_kernel(1)
>>> k.dom.size, k.cod.size, k.backend.name
(5, 4, 'exact')
"""

from catkit.sources.batching import ContextBatch
from catkit.sources.contexts import ContextSet, context_label, parse_context, vocab_wire
from catkit.sources.defaults import SOURCE_FAMILIES, SOURCES, default_source, large_source, load_source, named_source, tiny_source
from catkit.sources.filtering import Filtered
from catkit.sources.hmm import HMM
from catkit.sources.machine import FiniteStateSource
from catkit.sources.markov import MarkovChain
from catkit.sources.probs import SourceError
from catkit.sources.spec import check_spec, read_spec

__all__ = [
    "FiniteStateSource",
    "MarkovChain",
    "HMM",
    "ContextSet",
    "ContextBatch",
    "Filtered",
    "SourceError",
    "default_source",
    "tiny_source",
    "large_source",
    "SOURCES",
    "SOURCE_FAMILIES",
    "named_source",
    "load_source",
    "vocab_wire",
    "context_label",
    "parse_context",
    "check_spec",
    "read_spec",
]
