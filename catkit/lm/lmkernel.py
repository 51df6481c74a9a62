"""LMKernel: a language model lifted to catkit kernels on a finite set of contexts.

On a :class:`~catkit.sources.ContextSet` ``X`` the model factors as the paper's
``k_gen = f_enc >> k_head``:

* :attr:`LMKernel.encoder` — the deterministic kernel ``X → H`` sending a context to (the index of)
  its final hidden state; the distinct hidden states are kept as a table (:attr:`hidden_table`),
  so ``H`` is a finite object and the law of contexts pushes forward to the law of ``H_t``;
* :attr:`LMKernel.head` — ``H → vocab``, ``h ↦ softmax(W h (+ b))``;
* :attr:`LMKernel.generation` — ``X → vocab``, equal to ``encoder >> head``;
* :attr:`LMKernel.data` — the source's exact next-token kernel on the same contexts, and
  :attr:`LMKernel.context_law` its law of contexts.

All are torch-backed :class:`~catkit.Kernel` objects on the model's device (float64 by default), so
composition, tensor products, marginals and every catkit construction apply.  The forward passes run
in chunks under a memory budget (halving on out-of-memory).  For context sets too large for a dense
``N × N'`` encoder, use :attr:`generation`, :attr:`hidden_table` and :func:`catkit.lm.stream_statistics`,
which never build it.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> from catkit.sources import tiny_source
>>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2, source=tiny_source())
>>> (lk.encoder >> lk.head).allclose(lk.generation, tol=0.0)
True
>>> lk.encoder.is_deterministic(), lk.head.dom == lk.encoder.cod, lk.data.dom == lk.generation.dom
(True, True, True)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import torch

from catkit.kernel import Kernel
from catkit.lm.adapters import LMAdapter, as_adapter
from catkit.lm.chunking import ChunkPlan, chunk_size_for, run_chunked
from catkit.lm.errors import LMError, TooLargeError, VocabMismatchError
from catkit.objects import I, Obj, Wire
from catkit.sources import ContextSet, FiniteStateSource, vocab_wire

if TYPE_CHECKING:
    from catkit.lm.stats import StreamedStats

__all__ = ["LMKernel", "encode_contexts", "dedupe_rows"]

#: default largest dense encoder (entries of the N × N' one-hot matrix)
MAX_DENSE = 2**26


def encode_contexts(
    adapter: LMAdapter, contexts: ContextSet, *, dtype: torch.dtype = torch.float64, chunk_size: int | None = None,
    memory_budget: int | None = None,
) -> torch.Tensor:
    """Final hidden states ``(N, d)`` of every context (in ``dtype`` on the adapter's device), by length
    and in chunks; out-of-memory halves the chunk and continues.

    >>> from catkit.lm import GPTConfig, TinyGPT, as_adapter
    >>> a = as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)))
    >>> encode_contexts(a, ContextSet.all(3, 2)).shape
    torch.Size([13, 8])
    """
    H = torch.empty((len(contexts), adapter.d_model), dtype=dtype, device=adapter.device)
    for length, pos, ids in contexts.groups():
        adapter.check_length(length)
        plan = ChunkPlan(chunk_size or chunk_size_for(length, adapter.d_model, adapter.vocab_size,
                                                      memory_budget=memory_budget, device=adapter.device))
        ids_t = torch.as_tensor(ids, dtype=torch.long, device=adapter.device)
        pos_t = torch.as_tensor(pos, dtype=torch.long, device=adapter.device)

        def run(a: int, b: int, ids_t: torch.Tensor = ids_t) -> torch.Tensor:
            return adapter.last(ids_t[a:b])[0]

        for a, b, h in run_chunked(run, len(pos), plan, what=f"contexts of length {length}"):
            H[pos_t[a:b]] = h.to(dtype)
    return H


def dedupe_rows(X: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The distinct rows of ``X`` in order of first appearance, and the index of each row's copy.

    >>> table, idx = dedupe_rows(torch.tensor([[1.0, 2.0], [0.0, 1.0], [1.0, 2.0]]))
    >>> table.tolist(), idx.tolist()
    ([[1.0, 2.0], [0.0, 1.0]], [0, 1, 0])
    """
    if X.shape[0] == 0:
        return X, torch.zeros(0, dtype=torch.long, device=X.device)
    # group by a hash of the bits (integer arithmetic wraps mod 2^64, so every equal row gets the same key
    # whatever the summation order): one 1-D unique instead of a lexicographic sort of the rows; then
    # check that every row equals its group's first row, and fall back to the row sort on a collision
    bits = X.to(torch.float64).contiguous().view(torch.int64)
    mult = torch.randint(1, 2**62, (X.shape[1],), generator=torch.Generator().manual_seed(0), dtype=torch.int64)
    keys = (bits * (2 * mult.to(X.device) + 1)).sum(1)
    uniq, inverse = torch.unique(keys, return_inverse=True)
    n = X.shape[0]
    first = torch.full((uniq.shape[0],), n, dtype=torch.long, device=X.device)
    first.scatter_reduce_(0, inverse, torch.arange(n, device=X.device), reduce="amin")
    if not bool((X[first[inverse]] == X).all()):
        uniq, inverse = torch.unique(X, dim=0, return_inverse=True)
        first = torch.full((uniq.shape[0],), n, dtype=torch.long, device=X.device)
    first.scatter_reduce_(0, inverse, torch.arange(n, device=X.device), reduce="amin")
    order = torch.argsort(first)
    rank = torch.empty_like(order)
    rank[order] = torch.arange(order.numel(), device=X.device)
    return X[first[order]], rank[inverse]


class LMKernel:
    """A model on a finite set of contexts, as catkit kernels (see the module docstring).

    Args:
        model: anything :func:`~catkit.lm.as_adapter` accepts (TinyGPT, Hugging Face model, callable,
            checkpoint directory) or an adapter.
        contexts: a :class:`~catkit.sources.ContextSet`, or an int ``L``: every context of length up
            to ``L`` (from 1 when the model has no BOS).
        source: the source whose exact laws give :attr:`data` and :attr:`context_law`.
        device: move the model there first (default: where it is).
        dtype: dtype of the kernels and hidden states (float64 by default: information quantities
            need it; the model itself runs in its own dtype).
        chunk_size: contexts per forward pass (default: from the memory budget).
        memory_budget: bytes one forward pass may use (see :mod:`catkit.lm.chunking`).
        dedupe: merge contexts with bitwise-equal hidden states into one element of ``H``.
        max_dense: refuse a dense encoder matrix with more entries than this.
        adapter_options: passed to :func:`~catkit.lm.as_adapter` (``bos_token_id``, ``vocab_size``, ...).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import default_source
    >>> LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 1, source=default_source())
    Traceback (most recent call last):
    ...
    catkit.lm.errors.VocabMismatchError: catkit TinyGPT predicts 3 tokens but the source 'default' has a vocabulary of 4
    """

    def __init__(
        self, model: Any, contexts: ContextSet | int, *, source: FiniteStateSource | None = None, device: Any = None,
        dtype: torch.dtype = torch.float64, chunk_size: int | None = None, memory_budget: int | None = None,
        dedupe: bool = True, max_dense: int = MAX_DENSE, **adapter_options: Any,
    ) -> None:
        self.adapter = as_adapter(model, **adapter_options)
        if device is not None:
            self.adapter.to(device)
        a = self.adapter
        if source is not None and source.V != a.vocab_size:
            raise VocabMismatchError(
                f"{a.name} predicts {a.vocab_size} tokens but the source {source.name!r} has a vocabulary of {source.V}"
            )
        vocab = source.vocab if source is not None else vocab_wire(a.vocab_size)
        if isinstance(contexts, int) and not isinstance(contexts, bool):
            contexts = ContextSet.all(vocab, contexts, min_length=0 if a.bos_token_id is not None else 1)
        if not isinstance(contexts, ContextSet):
            raise LMError(f"contexts must be a ContextSet or a maximum length, got {type(contexts).__name__}")
        if contexts.vocab.size != a.vocab_size:
            raise VocabMismatchError(f"the contexts are over {contexts.vocab.size} tokens but {a.name} predicts {a.vocab_size}")
        for n in contexts.lengths:
            a.check_length(n)
        self.contexts, self.source, self.vocab = contexts, source, vocab
        self.dtype, self.max_dense, self._dedupe = dtype, int(max_dense), dedupe
        self._chunk, self._budget = chunk_size, memory_budget
        self._H: torch.Tensor | None = None
        self._table: torch.Tensor | None = None
        self._index: torch.Tensor | None = None
        self._probs_table: torch.Tensor | None = None

    def __repr__(self) -> str:
        return f"<LMKernel {self.adapter.describe()}; {len(self.contexts)} contexts up to length {self.contexts.max_length}>"

    # ------------------------------------------------------------------ tables
    @property
    def device(self) -> torch.device:
        """The model's device (every kernel lives there).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).device.type
        'cpu'
        """
        return self.adapter.device

    @property
    def hidden_states(self) -> torch.Tensor:
        """``(N, d)``: the final hidden state (after the final norm) of each context, in order.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 2).hidden_states.shape
        torch.Size([7, 8])
        """
        if self._H is None:
            self._H = encode_contexts(self.adapter, self.contexts, dtype=self.dtype, chunk_size=self._chunk,
                                      memory_budget=self._budget)
        return self._H

    def _tables(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self._table is None or self._index is None:
            H = self.hidden_states
            if self._dedupe:
                self._table, self._index = dedupe_rows(H)
            else:
                self._table, self._index = H, torch.arange(H.shape[0], device=H.device)
        return self._table, self._index

    @property
    def hidden_table(self) -> torch.Tensor:
        """``(N', d)``: the distinct hidden states, in order of first appearance (the elements of ``H``).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 2)
        >>> bool((lk.hidden_table[lk.hidden_index] == lk.hidden_states).all())
        True
        """
        return self._tables()[0]

    @property
    def hidden_index(self) -> torch.Tensor:
        """``(N,)``: the row of :attr:`hidden_table` each context is sent to (the encoder as an index map).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).hidden_index.tolist()
        [0, 1, 2]
        """
        return self._tables()[1]

    @property
    def hidden_wire(self) -> Wire:
        """The finite object ``H`` (one element per distinct hidden state).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).hidden_wire
        Wire(3, name='H')
        """
        return Wire(self.hidden_table.shape[0], name="H")

    @property
    def W(self) -> torch.Tensor:
        """The unembedding matrix ``V × d`` in the kernels' dtype.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).W.dtype
        torch.float64
        """
        return self.adapter.W.to(device=self.device, dtype=self.dtype)

    @property
    def bias(self) -> torch.Tensor | None:
        """The head's bias (``None`` for a bias-free head).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).bias is None
        True
        """
        b = self.adapter.bias
        return None if b is None else b.to(device=self.device, dtype=self.dtype)

    def logits_of(self, hidden: torch.Tensor) -> torch.Tensor:
        """``W h (+ b)`` for hidden states ``(n, d)``, in the kernels' dtype.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1)
        >>> lk.logits_of(lk.hidden_table).shape
        torch.Size([3, 2])
        """
        z = hidden.to(self.dtype) @ self.W.T
        return z if self.bias is None else z + self.bias

    @property
    def logits(self) -> torch.Tensor:
        """``(N, V)``: the logits of each context (recomputed in the kernels' dtype from the hidden states).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).logits.shape
        torch.Size([3, 2])
        """
        return self.logits_of(self.hidden_table)[self.hidden_index]

    def _head_probs(self) -> torch.Tensor:
        if self._probs_table is None:
            self._probs_table = torch.softmax(self.logits_of(self.hidden_table), dim=-1)
        return self._probs_table

    # ------------------------------------------------------------------ kernels
    @property
    def encoder(self) -> Kernel:
        """``f_enc``: the deterministic kernel ``contexts → H`` (a dense one-hot ``N × N'`` matrix; refused
        beyond ``max_dense`` entries — use :attr:`hidden_index` then).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 2, max_dense=10).encoder
        Traceback (most recent call last):
        ...
        catkit.lm.errors.TooLargeError: the dense encoder would have 7 × 7 = 49 entries > max_dense = 10; use hidden_index ...
        """
        N, Np = len(self.contexts), self.hidden_table.shape[0]
        if N * Np > self.max_dense:
            raise TooLargeError(
                f"the dense encoder would have {N} × {Np} = {N * Np} entries > max_dense = {self.max_dense}; "
                "use hidden_index / hidden_table and catkit.lm.stream_statistics instead"
            )
        M = torch.zeros((N, Np), dtype=self.dtype, device=self.device)
        M[torch.arange(N, device=self.device), self.hidden_index] = 1
        return Kernel.from_matrix(M, self.contexts.wire, self.hidden_wire, backend="torch", model="finset")

    @property
    def head(self) -> Kernel:
        """``k_head``: ``H → vocab``, ``h ↦ softmax(W h (+ b))``.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).head.shape
        (3, 2)
        """
        return Kernel.from_matrix(self._head_probs(), self.hidden_wire, self.vocab, backend="torch")

    @property
    def generation(self) -> Kernel:
        """``k_gen = encoder >> head``: ``contexts → vocab`` (built by indexing, without the dense encoder).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), 1).generation.dom.size
        3
        """
        return Kernel.from_matrix(self._head_probs()[self.hidden_index], self.contexts.wire, self.vocab, backend="torch")

    def _need_source(self, what: str) -> FiniteStateSource:
        if self.source is None:
            raise LMError(f"{what} needs the source: LMKernel(model, contexts, source=...)")
        return self.source

    @property
    def data(self) -> Kernel:
        """``k_data``: the source's exact next-token kernel on the same contexts (torch, same device and dtype).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 1, source=tiny_source()).data.cod.size
        3
        """
        src = self._need_source("the data kernel")
        return src.next_token_kernel(self.contexts, backend="torch", device=self.device, dtype=self.dtype)

    def context_law(self, length_weights: dict[int, Any] | None = None) -> Kernel:
        """The source's law of contexts on this set (see :meth:`FiniteStateSource.context_law`; ``length_weights``
        as there), a torch state.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> mu = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 1, source=tiny_source()).context_law()
        >>> round(float(mu.matrix.sum()), 12)
        1.0
        """
        src = self._need_source("the context law")
        return src.context_law(self.contexts, length_weights=length_weights, backend="torch", device=self.device,
                               dtype=self.dtype)

    def data_future(self, K: int) -> Kernel:
        """The source's law of the next ``K`` tokens on the same contexts: ``contexts → vocab^⊗K`` (torch).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 1, source=tiny_source())
        >>> lk.data_future(2).cod.sizes, lk.data_future(2).marginal(0).allclose(lk.data, tol=1e-15)
        ((3, 3), True)
        """
        src = self._need_source("the future law")
        return src.future_kernel(self.contexts, K, backend="torch", device=self.device, dtype=self.dtype)

    def statistics(self, context_law: Kernel | None = None, *, extra: dict[str, Any] | None = None,
                   chunk_size: int = 65536) -> StreamedStats:
        """The streamed statistics of :mod:`catkit.lm.stats` on this context set, weighted by a law of contexts
        (default :meth:`context_law`), from the hidden states already computed (no second forward pass).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2, source=tiny_source())
        >>> s = lk.statistics()
        >>> s.count, bool(abs(s.ce - s.kl - s.entropy_q) < 1e-12)
        (13, True)
        """
        from catkit.lm.stats import StreamBatch, StreamedStats, SumAccumulator, accumulate_batch

        mu = self.context_law() if context_law is None else context_law
        w_all = mu.matrix.reshape(-1).to(device=self.device, dtype=torch.float64)
        q_all = self.data.matrix.to(torch.float64) if self.source is not None else None
        W = self.W.to(torch.float64)
        b = None if self.bias is None else self.bias.to(torch.float64)
        acc = SumAccumulator(self.device)
        for s in range(0, len(self.contexts), chunk_size):
            sl = slice(s, s + chunk_size)
            h = self.hidden_states[sl].to(torch.float64)
            z = h @ W.T + (b if b is not None else 0.0)
            log_p = torch.log_softmax(z, dim=-1)
            q = None if q_all is None else q_all[sl]
            ids = torch.zeros(h.shape[0], 0, dtype=torch.long, device=self.device)  # mixed lengths: ids not kept
            accumulate_batch(acc, StreamBatch(ids, w_all[sl], h, z, log_p, log_p.exp(), q), dict(extra or {}))
        return StreamedStats(acc, W, b)

    def hidden_law(self, context_law: Kernel | None = None) -> Kernel:
        """The pushforward of a law of contexts (default :meth:`context_law`) along the encoder: the law
        of ``H_t`` as a state on ``H`` (computed by scatter-add, without the dense encoder).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 1, source=tiny_source())
        >>> lk.hidden_law().allclose(lk.context_law() >> lk.encoder, tol=1e-15)
        True
        """
        mu = self.context_law() if context_law is None else context_law
        if mu.dom != I or mu.cod != Obj(self.contexts.wire):
            raise LMError(f"a law of contexts is a state I → {self.contexts.wire}, got {mu.dom} → {mu.cod}")
        w = mu.matrix.reshape(-1).to(device=self.device, dtype=self.dtype)
        out = torch.zeros(self.hidden_table.shape[0], dtype=self.dtype, device=self.device)
        out.index_add_(0, self.hidden_index, w)
        return Kernel.from_matrix(out.reshape(1, -1), I, self.hidden_wire, backend="torch")
