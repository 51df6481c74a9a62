"""The exact-mode setting: a finite source, its contexts, and toy models factored as the paper says.

A :class:`ToyModel` is ``k_gen = f_enc >> k_head`` on a finite set of contexts: a
deterministic encoder ``contexts → H`` (the paper's ``k_emb >> k_bb``) and a head
``H → vocab``.  :func:`belief_model` encodes a context by its HMM belief state (the
minimal sufficient statistic) and predicts exactly; :func:`last_token_model` keeps
only the last token and predicts as well as that allows (a lossy but honest model);
:func:`smoothed_model` mixes the latter with ¼ of the uniform law (a model that is
wrong everywhere).  :func:`log_linear_toy` is a bias-free log-linear head
``softmax(W h)`` with rational ``W`` and hidden vectors.  Everything is exact (Fractions),
computed from the source's laws, no sampling.  :class:`ExactSetting` implements
:class:`~catkit.paper.setting.Setting`.

>>> from catkit.sources import tiny_source
>>> s = ExactSetting(tiny_source(), 2)
>>> m = belief_model(s)
>>> m.generation == s.data, m.encoder.is_deterministic(), [m.name for m in s.models]
(True, True, ['belief state', 'last token', 'last token, ¼ uniform'])
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.paper.result import Mode
from catkit.paper.setting import KernelSetting, LogLinear
from catkit.sources import ContextSet, FiniteStateSource

__all__ = ["ExactSetting", "ToyModel", "belief_model", "last_token_model", "smoothed_model", "encoder_from_keys",
           "optimal_head", "mixture", "log_linear_toy", "PATH"]

#: the mixing weights t of the exact path of models (1 − t) p_data + t (½ last token + ½ uniform) → p_data (claim 4)
PATH = (Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16))


class ExactSetting(KernelSetting):
    """A source with its contexts of one length ``L``, their exact law and the exact data kernel (exact mode).

    ``geometry_length`` is the context length of the log-linear toy and of the checks on predictive
    distributions (claims 6–11, costlier), default ``length``.

    >>> from catkit.sources import default_source
    >>> s = ExactSetting(default_source(), 2)
    >>> len(s.contexts), s.mu.cod == s.data.dom, s.mode, [label for label, _ in s.path][:2]
    (16, True, 'exact', ['t = 1', 't = 1/2'])
    """

    mode: Mode = "exact"

    def __init__(self, source: FiniteStateSource, length: int, geometry_length: int | None = None) -> None:
        self.source, self.length = source, length
        self.contexts = ContextSet.of_length(source.vocab, length)
        self.mu = source.context_law(self.contexts)
        self.data = source.next_token_kernel(self.contexts)
        self.vocab = source.vocab
        self.geometry_length = length if geometry_length is None else geometry_length
        self.cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<ExactSetting {self.source.name!r}, contexts of length {self.length}>"

    @property
    def models(self) -> list[ToyModel]:
        """The belief-state, last-token and smoothed last-token toys."""
        if "models" not in self.cache:
            last = last_token_model(self)
            self.cache["models"] = [belief_model(self), last, smoothed_model(self, last)]
        return self.cache["models"]

    @property
    def path(self) -> list[tuple[str, ToyModel]]:
        """Models ``(1 − t) p_data + t (½ last token + ½ uniform)`` for t in :data:`PATH`: they approach the data kernel."""
        if "path" not in self.cache:
            worst = self.models[1].generation
            far = mixture(worst, Kernel.uniform(self.vocab, self.data.dom), Fraction(1, 2))
            ident = Kernel.id(self.data.dom)
            self.cache["path"] = [(f"t = {t}", ToyModel(f"t = {t}", ident, mixture(self.data, far, t), tuple(self.contexts)))
                                  for t in PATH]
        return self.cache["path"]

    def geometry(self) -> ExactSetting:
        """The setting at ``geometry_length`` (itself when the lengths agree)."""
        if self.geometry_length == self.length:
            return self
        if "geometry" not in self.cache:
            self.cache["geometry"] = ExactSetting(self.source, self.geometry_length)
        return self.cache["geometry"]

    def log_linear(self) -> LogLinear:
        """:func:`log_linear_toy` of the setting at ``geometry_length``."""
        if "log_linear" not in self.cache:
            self.cache["log_linear"] = log_linear_toy(self.geometry())
        return self.cache["log_linear"]


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


def smoothed_model(setting: ExactSetting, last: ToyModel | None = None) -> ToyModel:
    """The last-token model with ¼ of its head replaced by the uniform law: wrong on every context.

    >>> from catkit.sources import tiny_source
    >>> [str(x) for x in smoothed_model(ExactSetting(tiny_source(), 1)).head.matrix[0]]
    ['35/96', '17/96', '11/24']
    """
    last = last or last_token_model(setting)
    head = mixture(last.head, Kernel.uniform(setting.vocab, last.head.dom), Fraction(1, 4))
    return ToyModel("last token, ¼ uniform", last.encoder, head, last.keys)


def log_linear_toy(setting: ExactSetting) -> LogLinear:
    """A log-linear toy over an exact setting: one hidden vector per belief state, ``h = 2(b_0 − b_last, b_1 − b_last)``
    (d = 2), their law, and the fixed rational ``W[w][j] = ((3w + 2j) mod 5 − 2) / (1 + j)``; ``data_h`` is
    ``P_data(· | h)`` (the data depends on the context only through the belief state).

    >>> from catkit.sources import tiny_source
    >>> t = log_linear_toy(ExactSetting(tiny_source(), 1))
    >>> [[str(x) for x in h] for h in t.hidden], [str(m) for m in t.mu_h], t.W.tolist()[2]
    ([['1', '0'], ['-1', '0'], ['0', '0']], ['1/4', '1/4', '1/2'], [Fraction(-1, 1), Fraction(1, 2)])
    """
    model = belief_model(setting)
    hidden = [[2 * (b[i] - b[-1]) for i in range(2)] for b in model.keys]
    mu_h = (setting.mu >> model.encoder).matrix.reshape(-1).tolist()
    W = [[Fraction(((3 * w + 2 * j) % 5) - 2, 1 + j) for j in range(2)] for w in range(setting.vocab.size)]

    def arr(x: Any) -> np.ndarray:
        out = np.empty((len(x), len(x[0])) if isinstance(x[0], list) else len(x), dtype=object)
        out[...] = x if not isinstance(x[0], list) else [list(r) for r in x]
        return out

    return LogLinear(arr(W), arr(hidden), arr(mu_h), arr(model.head.matrix.tolist()))


def mixture(a: Kernel, b: Kernel, t: Fraction) -> Kernel:
    """``(1 − t) a + t b`` for exact kernels with the same objects.

    >>> mixture(Kernel.state([1, 0]), Kernel.state([0, 1]), Fraction(1, 4)).matrix.tolist()
    [[Fraction(3, 4), Fraction(1, 4)]]
    """
    M = (1 - t) * a.matrix + t * b.matrix
    return Kernel.from_matrix(np.asarray(M, dtype=object), a.dom, a.cod, backend="exact")
