"""Streamed statistics of a model over many contexts: sums accumulated chunk by chunk, all-reduced over processes.

Every quantity here is a weighted sum over contexts ``x`` (weights ``μ(x)``: the exact law of the
contexts, or ``1/n`` for sampled ones), so it is accumulated chunk by chunk in float64 and, under
torchrun, summed over processes with one all-reduce.  Nothing of size ``N × N`` (or even ``N × d``)
is kept: with ``h = h_x`` the final hidden state, ``p = softmax(W h (+ b))`` the model's next-token law
and ``q = P_data(·|x)`` the source's,

=================  ==========================  ===========================================
name               shape                       meaning (all are ``E_μ[...]``)
=================  ==========================  ===========================================
``mean_h``         ``d``                       ``E h``
``second_h``       ``d × d``                   ``E h hᵀ`` (``cov_h`` = centred)
``mean_p/mean_q``  ``V``                       ``E p``, ``E q``
``cross_hp/hq``    ``d × V``                   ``E h pᵀ``, ``E h qᵀ`` (``‖E h qᵀ‖²_F`` is the Gram form of
                                               ``E⟨h, h'⟩⟨q, q'⟩`` over pairs of contexts)
``gram_p/q``       ``V × V``                   ``E p pᵀ``, ``E q qᵀ``
``ce``             scalar                      ``E Σ_w q(w) (−log p(w))`` (the NLL)
``kl``             scalar                      ``E KL(q ‖ p)``
``entropy_p/q``    scalar                      ``E H(p)``, ``E H(q)``
``logz_mean/var``  scalar                      mean and variance of ``log Z(h) = logsumexp(W h (+ b))``
=================  ==========================  ===========================================

Extra statistics are functions of a :class:`StreamBatch` returning one value per context (any
shape); they are weighted and summed the same way.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> from catkit.sources import tiny_source
>>> m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
>>> s = source_statistics(m, tiny_source(), 3)
>>> round(s.weight, 12), s.second_h.shape, bool(abs(s.ce - (s.kl + s.entropy_q)) < 1e-12)
(1.0, torch.Size([8, 8]), True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, overload

import numpy as np
import torch

from catkit.info.entropy import cross_entropy_of_rows, entropy_of_rows, kl_of_rows
from catkit.lm.adapters import LMAdapter, as_adapter
from catkit.lm.chunking import ChunkPlan, chunk_size_for, run_chunked
from catkit.lm.distributed import all_reduce_sum, world
from catkit.lm.errors import LMError, VocabMismatchError
from catkit.sources import ContextBatch, FiniteStateSource

__all__ = ["StreamBatch", "SumAccumulator", "accumulate_batch", "StreamedStats", "stream_statistics", "source_statistics"]


@dataclass(frozen=True)
class StreamBatch:
    """One chunk as the statistics see it (float64 on the model's device): ids ``(n, L)``, weights ``(n,)``,
    hidden states ``h (n, d)``, logits ``(n, V)``, ``log_p``/``p`` the model's law, ``q`` the data's (or ``None``).

    >>> StreamBatch.__dataclass_fields__.keys() >= {"h", "p", "q"}
    True
    """

    ids: torch.Tensor
    weights: torch.Tensor
    h: torch.Tensor
    logits: torch.Tensor
    log_p: torch.Tensor
    p: torch.Tensor
    q: torch.Tensor | None


class SumAccumulator:
    """Named running sums (float64 tensors on one device), merged across processes by :meth:`all_reduce`.

    >>> acc = SumAccumulator("cpu")
    >>> acc.add("x", torch.tensor([1.0, 2.0])); acc.add("x", torch.tensor([3.0, 4.0]))
    >>> acc["x"].tolist(), acc.names
    ([4.0, 6.0], ['x'])
    """

    def __init__(self, device: Any, dtype: torch.dtype = torch.float64) -> None:
        self.device, self.dtype = torch.device(device), dtype
        self._sums: dict[str, torch.Tensor] = {}

    def add(self, name: str, value: torch.Tensor | float) -> None:
        """Add ``value`` to the sum called ``name`` (created at the first add).

        >>> a = SumAccumulator("cpu"); a.add("n", 2.0); a.add("n", 3.0); a["n"].item()
        5.0
        """
        v = torch.as_tensor(value, dtype=self.dtype, device=self.device)
        if name in self._sums:
            if self._sums[name].shape != v.shape:
                raise LMError(f"statistic {name!r} changed shape: {tuple(self._sums[name].shape)} then {tuple(v.shape)}")
            self._sums[name] += v
        else:
            self._sums[name] = v.clone()

    def __getitem__(self, name: str) -> torch.Tensor:
        try:
            return self._sums[name]
        except KeyError:
            raise LMError(f"no statistic {name!r}; have {sorted(self._sums)}") from None

    def __contains__(self, name: object) -> bool:
        return name in self._sums

    @property
    def names(self) -> list[str]:
        """The statistics accumulated so far, sorted.

        >>> SumAccumulator("cpu").names
        []
        """
        return sorted(self._sums)

    def all_reduce(self) -> None:
        """Sum every statistic over the processes of torch.distributed (in a fixed order; no-op alone).

        >>> a = SumAccumulator("cpu"); a.add("n", 1.0); a.all_reduce(); a["n"].item()
        1.0
        """
        all_reduce_sum([self._sums[k] for k in self.names])

    def state_dict(self) -> dict[str, torch.Tensor]:
        """The sums, moved to CPU.

        >>> a = SumAccumulator("cpu"); a.add("n", 1.0); list(a.state_dict())
        ['n']
        """
        return {k: v.detach().cpu() for k, v in self._sums.items()}


def accumulate_batch(acc: SumAccumulator, b: StreamBatch, extra: dict[str, Callable[[StreamBatch], torch.Tensor]]) -> None:
    """Add one chunk's weighted sums to ``acc``: the ``d``, ``V``, ``d × d``, ``d × V`` and ``V × V`` moments, the
    entropies, cross entropy and KL (from the logarithms), log Z, and each ``extra`` statistic (one value per
    context); :class:`StreamedStats` reads them.

    >>> p = torch.tensor([[0.5, 0.5]], dtype=torch.float64)
    >>> b = StreamBatch(torch.zeros(1, 0), torch.ones(1, dtype=torch.float64), torch.ones(1, 2, dtype=torch.float64),
    ...                 torch.zeros(1, 2, dtype=torch.float64), p.log(), p, p)
    >>> acc = SumAccumulator("cpu"); accumulate_batch(acc, b, {}); round(acc["kl"].item(), 12), acc["count"].item()
    (0.0, 1.0)
    """
    w, h, p = b.weights, b.h, b.p
    wh = h * w[:, None]
    logz = torch.logsumexp(b.logits, dim=-1)
    acc.add("weight", w.sum())
    acc.add("count", float(w.shape[0]))
    acc.add("h", w @ h)
    acc.add("hh", wh.T @ h)
    acc.add("p", w @ p)
    acc.add("hp", wh.T @ p)
    acc.add("pp", (p * w[:, None]).T @ p)
    acc.add("entropy_p", w @ entropy_of_rows(p, log_P=b.log_p))
    acc.add("logz", w @ logz)
    acc.add("logz2", w @ logz**2)
    if b.q is not None:
        q = b.q
        log_q = torch.log(q.clamp_min(torch.finfo(q.dtype).tiny))
        acc.add("q", w @ q)
        acc.add("hq", wh.T @ q)
        acc.add("qq", (q * w[:, None]).T @ q)
        acc.add("ce", w @ cross_entropy_of_rows(q, log_Q=b.log_p))
        acc.add("entropy_q", w @ entropy_of_rows(q, log_P=log_q))
        acc.add("kl", w @ kl_of_rows(q, log_P=log_q, log_Q=b.log_p))
    for name, fn in extra.items():
        v = torch.as_tensor(fn(b), dtype=acc.dtype, device=acc.device)
        if v.shape[:1] != w.shape:
            raise LMError(f"extra statistic {name!r} must give one value per context ({w.shape[0]}), got shape {tuple(v.shape)}")
        acc.add(f"extra:{name}", torch.tensordot(w, v, dims=1))


class StreamedStats:
    """The normalised statistics (see the module docstring) and the head ``W``/``bias`` they were made with.

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> s = source_statistics(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), tiny_source(), 2)
    >>> s.cross_hq.shape, s.count
    (torch.Size([8, 3]), 9)
    """

    def __init__(self, acc: SumAccumulator, W: torch.Tensor, bias: torch.Tensor | None) -> None:
        self.sums, self.W, self.bias = acc, W, bias
        self.weight = float(acc["weight"])
        if self.weight <= 0:
            raise LMError("the statistics have total weight 0 (no contexts, or all of probability 0)")

    def _mean(self, name: str) -> torch.Tensor:
        if name not in self.sums:
            raise LMError(f"{name!r} needs the data's next-token laws (stream ContextBatch objects from a source)")
        return self.sums[name] / self.weight

    def __repr__(self) -> str:
        return f"<StreamedStats over {self.count} contexts (weight {self.weight:.6g}), d={self.W.shape[1]}, V={self.W.shape[0]}>"

    @property
    def count(self) -> int:
        """Number of contexts seen (over all processes).

        >>> _demo_stats().count
        27
        """
        return int(round(float(self.sums["count"])))

    @property
    def mean_h(self) -> torch.Tensor:
        """``E h`` (``d``).

        >>> s = _demo_stats(); tuple(s.mean_h.shape)
        (8,)
        """
        return self._mean("h")

    @property
    def second_h(self) -> torch.Tensor:
        """``E h hᵀ`` (``d × d``).

        >>> s = _demo_stats(); tuple(s.second_h.shape)
        (8, 8)
        """
        return self._mean("hh")

    @property
    def mean_p(self) -> torch.Tensor:
        """``E p`` (``V``): the model's average next-token law.

        >>> s = _demo_stats(); round(float(s.mean_p.sum()), 12)
        1.0
        """
        return self._mean("p")

    @property
    def mean_q(self) -> torch.Tensor:
        """``E q`` (``V``): the data's average next-token law.

        >>> s = _demo_stats(); round(float(s.mean_q.sum()), 12)
        1.0
        """
        return self._mean("q")

    @property
    def cross_hp(self) -> torch.Tensor:
        """``E h pᵀ`` (``d × V``).

        >>> s = _demo_stats(); tuple(s.cross_hp.shape)
        (8, 3)
        """
        return self._mean("hp")

    @property
    def cross_hq(self) -> torch.Tensor:
        """``E h qᵀ`` (``d × V``); ``‖E h qᵀ‖²_F = E⟨h, h'⟩⟨q, q'⟩`` over independent pairs of contexts.

        >>> s = _demo_stats(); tuple(s.cross_hq.shape)
        (8, 3)
        """
        return self._mean("hq")

    @property
    def gram_p(self) -> torch.Tensor:
        """``E p pᵀ`` (``V × V``).

        >>> s = _demo_stats(); round(float(s.gram_p.sum()), 12)
        1.0
        """
        return self._mean("pp")

    @property
    def gram_q(self) -> torch.Tensor:
        """``E q qᵀ`` (``V × V``).

        >>> s = _demo_stats(); round(float(s.gram_q.sum()), 12)
        1.0
        """
        return self._mean("qq")

    @property
    def cov_h(self) -> torch.Tensor:
        """``E (h - E h)(h - E h)ᵀ`` (``d × d``).

        >>> s = _demo_stats(); bool(torch.allclose(s.cov_h, s.cov_h.T))
        True
        """
        m = self.mean_h
        return self.second_h - torch.outer(m, m)

    def _scalar(self, name: str) -> float:
        return float(self._mean(name))

    @property
    def ce(self) -> float:
        """``E Σ_w q(w)(−log p(w))``: the model's NLL (nats).

        >>> s = _demo_stats(); bool(abs(s.ce - s.kl - s.entropy_q) < 1e-12)
        True
        """
        return self._scalar("ce")

    @property
    def kl(self) -> float:
        """``E KL(q ‖ p)`` (nats), ``>= 0``.

        >>> s = _demo_stats(); s.kl >= 0
        True
        """
        return self._scalar("kl")

    @property
    def entropy_p(self) -> float:
        """``E H(p)``: the model's average head entropy (nats).

        >>> s = _demo_stats(); bool(0 <= s.entropy_p <= np.log(3))
        True
        """
        return self._scalar("entropy_p")

    @property
    def entropy_q(self) -> float:
        """``E H(q)``: the data's conditional entropy (nats).

        >>> s = _demo_stats(); bool(0 <= s.entropy_q <= np.log(3))
        True
        """
        return self._scalar("entropy_q")

    @property
    def logz_mean(self) -> float:
        """``E log Z(h)``, ``log Z(h) = logsumexp(W h (+ b))``.

        >>> s = _demo_stats(); isinstance(s.logz_mean, float)
        True
        """
        return self._scalar("logz")

    @property
    def logz_var(self) -> float:
        """``Var log Z(h)`` (how far the log-partition term is from constant).

        >>> _demo_stats().logz_var >= 0
        True
        """
        return self._scalar("logz2") - self.logz_mean**2

    def to_dict(self) -> dict[str, Any]:
        """Every statistic as JSON-able numbers and nested lists (the extra ones under ``"extra"``).

        >>> d = _demo_stats().to_dict()
        >>> sorted(d)[:4], len(d["second_h"])
        (['ce', 'count', 'cov_h', 'cross_hp'], 8)
        """
        out: dict[str, Any] = {"weight": self.weight, "count": self.count}
        names = ["mean_h", "second_h", "cov_h", "mean_p", "cross_hp", "gram_p", "entropy_p", "logz_mean", "logz_var"]
        if "q" in self.sums:
            names += ["mean_q", "cross_hq", "gram_q", "ce", "kl", "entropy_q"]
        for n in names:
            v = getattr(self, n)
            out[n] = v.tolist() if isinstance(v, torch.Tensor) else v
        out["extra"] = {k[6:]: self.sums[k].div(self.weight).tolist() for k in self.sums.names if k.startswith("extra:")}
        return out

    def extra(self, name: str) -> torch.Tensor:
        """The weighted mean of an extra statistic.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> s = source_statistics(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), tiny_source(), 2,
        ...                       extra={"norm2": lambda b: (b.h ** 2).sum(1)})
        >>> bool(torch.isclose(s.extra("norm2"), s.second_h.trace()))
        True
        """
        return self._mean(f"extra:{name}")


def _stream_batch(adapter: LMAdapter, ids: torch.Tensor, w: torch.Tensor, q: torch.Tensor | None, W: torch.Tensor,
                  bias: torch.Tensor | None) -> StreamBatch:
    h = adapter.last(ids)[0].double()
    z = h @ W.T + (bias if bias is not None else 0.0)
    log_p = torch.log_softmax(z, dim=-1)
    return StreamBatch(ids, w, h, z, log_p, log_p.exp(), q)


class _Streamer:
    """One model's side of a pass: its adapter, readout and running sums."""

    def __init__(self, model: Any, device: Any, adapter_options: dict[str, Any]) -> None:
        a = self.adapter = as_adapter(model, **adapter_options)
        if device is not None:
            a.to(device)
        self.W = a.W.to(a.device, torch.float64)
        self.bias = None if a.bias is None else a.bias.to(a.device, torch.float64)
        self.acc = SumAccumulator(a.device)
        self.plan: ChunkPlan | None = None

    def feed(self, batch: ContextBatch, chunk_size: int | None, memory_budget: int | None,
             extra: dict[str, Callable[[StreamBatch], torch.Tensor]]) -> None:
        a = self.adapter
        n, L = batch.ids.shape
        if batch.next_probs.shape[1] != a.vocab_size:
            have = batch.next_probs.shape[1]
            raise VocabMismatchError(f"the data laws have {have} tokens but {a.name} predicts {a.vocab_size}")
        a.check_length(L)
        if self.plan is None:
            size = chunk_size or chunk_size_for(L, a.d_model, a.vocab_size, memory_budget=memory_budget, device=a.device)
            self.plan = ChunkPlan(size)
        ids = torch.as_tensor(batch.ids, dtype=torch.long, device=a.device)
        w = torch.as_tensor(np.asarray(batch.weights), dtype=torch.float64, device=a.device)
        q = torch.as_tensor(np.asarray(batch.next_probs), dtype=torch.float64, device=a.device)

        def run(s: int, e: int) -> None:
            accumulate_batch(self.acc, _stream_batch(a, ids[s:e], w[s:e], q[s:e], self.W, self.bias), extra)

        for _ in run_chunked(run, n, self.plan, what=f"contexts of length {L}"):
            pass

    def finish(self, extra: dict[str, Callable[[StreamBatch], torch.Tensor]], reduce: bool) -> StreamedStats:
        a, acc = self.adapter, self.acc
        if "weight" not in acc:  # this process had no batch: contribute zeros of the same names and shapes
            d, V = a.d_model, a.vocab_size

            def empty(*shape: int) -> torch.Tensor:
                return torch.zeros(*shape, dtype=torch.float64, device=a.device)

            z = StreamBatch(torch.zeros(0, 0, dtype=torch.long, device=a.device), empty(0), empty(0, d), empty(0, V),
                            empty(0, V), empty(0, V), empty(0, V))
            accumulate_batch(acc, z, extra)
        if reduce:
            acc.all_reduce()
        return StreamedStats(acc, self.W, self.bias)


@overload
def stream_statistics(
    model: list[Any] | tuple[Any, ...], batches: Iterable[ContextBatch], *, device: Any = None,
    chunk_size: int | None = None, memory_budget: int | None = None,
    extra: dict[str, Callable[[StreamBatch], torch.Tensor]] | None = None, reduce: bool = True,
    progress: bool = False, **adapter_options: Any,
) -> list[StreamedStats]: ...


@overload
def stream_statistics(
    model: Any, batches: Iterable[ContextBatch], *, device: Any = None, chunk_size: int | None = None,
    memory_budget: int | None = None, extra: dict[str, Callable[[StreamBatch], torch.Tensor]] | None = None,
    reduce: bool = True, progress: bool = False, **adapter_options: Any,
) -> StreamedStats: ...


def stream_statistics(
    model: Any, batches: Iterable[ContextBatch], *, device: Any = None, chunk_size: int | None = None,
    memory_budget: int | None = None, extra: dict[str, Callable[[StreamBatch], torch.Tensor]] | None = None,
    reduce: bool = True, progress: bool = False, **adapter_options: Any,
) -> StreamedStats | list[StreamedStats]:
    """Accumulate the statistics over batches of contexts (each a :class:`~catkit.sources.ContextBatch`:
    ids, weights, data next-token laws), running the model in chunks sized to the memory budget.

    ``model`` may be a list (or tuple) of models: each batch is then drawn once and fed to every
    model, and the result is the list of their statistics (the contexts are drawn once, not once
    per model).

    ``reduce=True`` all-reduces the sums over torch.distributed processes at the end (a no-op in one
    process); shard the batches per process (``shard=world()`` in the source's iterators).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> src = tiny_source()
    >>> m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
    >>> s = stream_statistics(m, src.sample_context_batches(100, 4, batch_size=30))
    >>> s.count, round(s.weight, 12)
    (100, 1.0)
    >>> u = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2), seed=1)
    >>> both = stream_statistics([m, u], src.sample_context_batches(100, 4, batch_size=30))
    >>> [t.count for t in both], float(both[0].kl) == float(s.kl)
    ([100, 100], True)
    """
    many = isinstance(model, (list, tuple))
    streamers = [_Streamer(m, device, adapter_options) for m in (model if many else [model])]
    if not streamers:
        raise LMError("stream_statistics needs at least one model; got an empty list")
    extra = dict(extra or {})
    from tqdm import tqdm

    for batch in tqdm(batches, disable=not progress, desc="stream", unit="batch"):
        for st in streamers:
            st.feed(batch, chunk_size, memory_budget, extra)
    out = [st.finish(extra, reduce) for st in streamers]
    return out if many else out[0]


@overload
def source_statistics(
    model: list[Any] | tuple[Any, ...], source: FiniteStateSource, length: int, *, n_samples: int | None = None,
    seed: int = 0, batch_size: int = 65536, shard: tuple[int, int] | None = None, **options: Any,
) -> list[StreamedStats]: ...


@overload
def source_statistics(
    model: Any, source: FiniteStateSource, length: int, *, n_samples: int | None = None, seed: int = 0,
    batch_size: int = 65536, shard: tuple[int, int] | None = None, **options: Any,
) -> StreamedStats: ...


def source_statistics(
    model: Any, source: FiniteStateSource, length: int, *, n_samples: int | None = None, seed: int = 0,
    batch_size: int = 65536, shard: tuple[int, int] | None = None, **options: Any,
) -> StreamedStats | list[StreamedStats]:
    """:func:`stream_statistics` over the contexts of ``length`` tokens of a source: all ``V^length`` of
    them weighted by their exact law (default), or ``n_samples`` sampled ones.  Under torchrun each
    process takes its shard (``shard`` defaults to :func:`~catkit.lm.distributed.world`) and the
    sums are all-reduced.  A list of models sees one pass over the contexts (a list of results).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> s = source_statistics(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), tiny_source(), 2)
    >>> bool(s.kl >= 0), bool(abs(s.entropy_q - tiny_source().conditional_entropy(3)) < 1e-12)
    (True, True)
    """
    shard = world() if shard is None else shard
    if n_samples is None:
        batches: Iterable[ContextBatch] = source.iter_context_batches(length, batch_size, shard=shard)
    else:
        batches = source.sample_context_batches(n_samples, length, batch_size, seed=seed, shard=shard)
    return stream_statistics(model, batches, **options)


@lru_cache(maxsize=1)
def _demo_stats() -> StreamedStats:
    """Statistics of an untrained tiny model on the tiny source (for the examples)."""
    from catkit.lm.model import GPTConfig, TinyGPT
    from catkit.sources import tiny_source

    return source_statistics(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), tiny_source(), 3)
