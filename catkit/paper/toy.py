"""The exact-mode setting: a finite source, its contexts, and toy models factored as the paper says.

A :class:`ToyModel` is ``k_gen = f_enc >> k_head`` on a finite set of contexts: a
deterministic encoder ``contexts → H`` (the paper's ``k_emb >> k_bb``) and a head
``H → vocab``.  :func:`belief_model` encodes a context by its HMM belief state (the
minimal sufficient statistic) and predicts exactly; :func:`last_token_model` keeps
only the last token and predicts as well as that allows (a lossy but honest model).
Everything is exact (Fractions), computed from the source's laws, no sampling.

>>> from catkit.sources import tiny_source
>>> s = ExactSetting(tiny_source(), 2)
>>> m = belief_model(s)
>>> m.generation == s.data, m.encoder.is_deterministic()
(True, True)
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.sources import ContextSet, FiniteStateSource

__all__ = ["ExactSetting", "ToyModel", "belief_model", "last_token_model", "encoder_from_keys", "optimal_head"]


class ExactSetting:
    """A source with its contexts of one length ``L``, their exact law and the exact data kernel.

    >>> from catkit.sources import default_source
    >>> s = ExactSetting(default_source(), 2)
    >>> len(s.contexts), s.mu.cod == s.data.dom
    (16, True)
    """

    def __init__(self, source: FiniteStateSource, length: int) -> None:
        self.source, self.length = source, length
        self.contexts = ContextSet.of_length(source.vocab, length)
        self.mu = source.context_law(self.contexts)
        self.data = source.next_token_kernel(self.contexts)
        self.vocab = source.vocab

    def __repr__(self) -> str:
        return f"<ExactSetting {self.source.name!r}, contexts of length {self.length}>"


@dataclass(frozen=True)
class ToyModel:
    """``k_gen = encoder >> head`` with ``encoder`` deterministic (a toy LM, exact).

    ``keys[h]`` describes hidden state ``h`` (a belief vector, a token, ...).

    >>> from catkit.sources import tiny_source
    >>> s = ExactSetting(tiny_source(), 1)
    >>> enc, keys = encoder_from_keys(s, ["x", "x", "y"], "H")
    >>> m = ToyModel("a and b merged", enc, optimal_head(s, enc), keys)
    >>> m.hidden.size, m.generation == s.data
    (2, False)
    """

    name: str
    encoder: Kernel
    head: Kernel
    keys: tuple[Any, ...]

    @property
    def generation(self) -> Kernel:
        """``k_gen = encoder >> head``.

        >>> from catkit.sources import tiny_source
        >>> s = ExactSetting(tiny_source(), 1)
        >>> [str(x) for x in belief_model(s).generation("a").matrix.reshape(-1)]
        ['3/8', '1/8', '1/2']
        """
        return self.encoder >> self.head

    @property
    def hidden(self) -> Wire:
        """The finite set of hidden states (one wire).

        >>> from catkit.sources import tiny_source
        >>> last_token_model(ExactSetting(tiny_source(), 2)).hidden.elements()
        ('h0', 'h1', 'h2')
        """
        return self.encoder.cod[0]


def encoder_from_keys(setting: ExactSetting, keys: list[Any], name: str) -> tuple[Kernel, tuple[Any, ...]]:
    """The deterministic encoder sending context ``i`` to the index of ``keys[i]`` among the distinct keys.

    >>> from catkit.sources import tiny_source
    >>> s = ExactSetting(tiny_source(), 1)
    >>> enc, table = encoder_from_keys(s, ["x", "y", "x"], "H")
    >>> enc.as_function()["c"], table
    ('h0', ('x', 'y'))
    """
    table: dict[Any, int] = {}
    idx = [table.setdefault(k, len(table)) for k in keys]
    H = Wire([f"h{i}" for i in range(len(table))], name=name)
    enc = Kernel.from_function(lambda c: f"h{idx[setting.contexts.index(c)]}", setting.data.dom, H)
    return enc, tuple(table)


def optimal_head(setting: ExactSetting, encoder: Kernel) -> Kernel:
    """The best head for an encoder: ``P(next token | H = h)`` under the context law (exact).

    Hidden states of probability 0 get the uniform distribution (a documented choice: any
    choice agrees almost surely).

    >>> from catkit.sources import tiny_source
    >>> s = ExactSetting(tiny_source(), 1)
    >>> optimal_head(s, Kernel.discard(s.data.dom))(()) == s.mu >> s.data
    True
    """
    joint = setting.mu >> Kernel.copy(setting.data.dom) >> (encoder @ setting.data)  # I → H @ V
    J = joint.matrix.reshape(encoder.cod.size, setting.vocab.size)
    rows = []
    for r in J:
        tot = sum(r, Fraction(0))
        rows.append([x / tot for x in r] if tot else [Fraction(1, len(r))] * len(r))
    return Kernel(rows, encoder.cod, setting.data.cod)


def belief_model(setting: ExactSetting) -> ToyModel:
    """The ideal model: ``H_t`` is the belief state, the head predicts exactly.

    >>> from catkit.sources import default_source
    >>> belief_model(ExactSetting(default_source(), 2)).hidden.size <= 16
    True
    """
    beliefs = setting.source.belief_states(setting.contexts)
    keys = [tuple(Fraction(x) for x in row) for row in beliefs]
    enc, table = encoder_from_keys(setting, keys, "belief")
    return ToyModel("belief state", enc, optimal_head(setting, enc), table)


def last_token_model(setting: ExactSetting) -> ToyModel:
    """A lossy model: ``H_t`` is the last token of the context, the head is the best it allows.

    >>> from catkit.sources import default_source
    >>> last_token_model(ExactSetting(default_source(), 2)).hidden.size
    4
    """
    keys = [c[-1] for c in setting.contexts]
    enc, table = encoder_from_keys(setting, keys, "last token")
    return ToyModel("last token", enc, optimal_head(setting, enc), table)


def mixture(a: Kernel, b: Kernel, t: Fraction) -> Kernel:
    """``(1 − t) a + t b`` for exact kernels with the same objects.

    >>> mixture(Kernel.state([1, 0]), Kernel.state([0, 1]), Fraction(1, 4)).matrix.tolist()
    [[Fraction(3, 4), Fraction(1, 4)]]
    """
    M = (1 - t) * a.matrix + t * b.matrix
    return Kernel.from_matrix(np.asarray(M, dtype=object), a.dom, a.cod, backend="exact")
