"""Adapters: one interface to every causal LM the bridge accepts.

An :class:`LMAdapter` gives, for contexts of real tokens, the *final hidden state after the final
norm* (the input of the head) and the logits, plus the unembedding matrix ``W`` (``V × d``) and the
head's bias (``None`` for the paper's bias-free head).  :func:`as_adapter` accepts

1. catkit's own :class:`~catkit.lm.TinyGPT` (or a catkit checkpoint directory),
2. a Hugging Face ``transformers`` causal LM (built from a config; no download needed),
3. a TransformerLens ``HookedTransformer``,
4. any callable ``ids -> (hidden, logits)`` (``W`` is then recovered by least squares and checked),
5. a local directory of a Hugging Face model (``config.json`` + weights), loaded offline (one written by
   :meth:`TinyGPT.save_hf <catkit.lm.TinyGPT.save_hf>` brings its vocabulary and BOS along).

For Hugging Face models the hidden state is captured by a hook on the output embedding (``lm_head``)
— exactly what the head reads, so it is after the final norm whatever the architecture — and the
logits are checked to equal ``W h (+ b)``.  ``vocab_size`` keeps the first ``V`` outputs (e.g. when
the model's vocabulary also holds a BOS token); ``bos_token_id`` is prepended to every context.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> a = as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)))
>>> a.vocab_size, a.d_model, a.max_context, a.bos_token_id, a.bias is None
(3, 8, 63, 3, True)
"""

from __future__ import annotations

import os
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable
from pathlib import Path
from typing import Any

import torch

from catkit.lm.checkpoint import is_catkit_checkpoint, load_model
from catkit.lm.errors import ContextTooLongError, HeadBiasWarning, HeadNotFoundError, LMError
from catkit.lm.model import TinyGPT

__all__ = ["LMAdapter", "CatkitAdapter", "HFAdapter", "TransformerLensAdapter", "CallableAdapter", "as_adapter"]

_HEAD_RTOL = 1e-4  # relative error allowed between the logits and W h (+ b)


class LMAdapter(ABC):
    """The interface (see the module docstring).  Subclasses implement :meth:`_run`.

    >>> issubclass(CatkitAdapter, LMAdapter)
    True
    """

    name: str = "model"
    vocab_size: int
    d_model: int
    max_context: int | None
    bos_token_id: int | None

    # ------------------------------------------------------------------ to implement
    @abstractmethod
    def _run(self, input_ids: torch.Tensor, last_only: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Hidden states after the final norm and logits (restricted to ``vocab_size``) at every input
        position, or only the last one (``(B, 1, ·)``) when ``last_only``."""

    @property
    @abstractmethod
    def W(self) -> torch.Tensor:
        """The unembedding matrix ``V × d`` (detached).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).W.shape
        torch.Size([3, 8])
        """

    @property
    def bias(self) -> torch.Tensor | None:
        """The head's bias (``V``), or ``None`` for a bias-free head.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).bias is None
        True
        """
        return None

    @property
    @abstractmethod
    def device(self) -> torch.device:
        """Where the model's parameters live.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).device.type
        'cpu'
        """

    def to(self, device: Any) -> LMAdapter:
        """Move the underlying model to ``device`` (in place) and return the adapter.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).to("cpu").device.type
        'cpu'
        """
        return self

    def describe(self) -> str:
        """One line: kind, vocabulary, width, positions, BOS and head.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).describe()
        'catkit TinyGPT: V=3, d=8, contexts up to 63 tokens, BOS=3, bias-free head'
        """
        ctx = f"contexts up to {self.max_context} tokens" if self.max_context is not None else "unbounded contexts"
        head = "bias-free head" if self.bias is None else "head WITH a bias (softmax(W h + b))"
        return f"{self.name}: V={self.vocab_size}, d={self.d_model}, {ctx}, BOS={self.bos_token_id}, {head}"

    # ------------------------------------------------------------------ derived
    def check_length(self, n: int) -> None:
        """Raise :class:`ContextTooLongError` for contexts longer than the model reads, and refuse the empty
        context for a model without BOS (it has no prediction there).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, n_positions=4, d_model=8, n_head=2))).check_length(5)
        Traceback (most recent call last):
        ...
        catkit.lm.errors.ContextTooLongError: contexts of 5 tokens are longer than catkit TinyGPT reads (3 tokens: ...)
        """
        if self.max_context is not None and n > self.max_context:
            extra = f": {self.max_context + 1} positions with BOS" if self.bos_token_id is not None else " positions"
            raise ContextTooLongError(
                f"contexts of {n} tokens are longer than {self.name} reads ({self.max_context} tokens{extra})"
            )
        if n == 0 and self.bos_token_id is None:
            raise LMError(
                f"{self.name} has no BOS token, so it has no prediction for the empty context; "
                "use contexts of length >= 1 (e.g. ContextSet.all(V, L, min_length=1)) or give bos_token_id="
            )

    def prepare(self, contexts: torch.Tensor) -> torch.Tensor:
        """Input ids for contexts ``(B, n)``: BOS prepended when the model has one, on the model's device.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).prepare(torch.tensor([[1]])).tolist()
        [[3, 1]]
        """
        contexts = torch.as_tensor(contexts, dtype=torch.long, device=self.device)
        if self.bos_token_id is None:
            return contexts
        bos = torch.full((contexts.shape[0], 1), self.bos_token_id, dtype=torch.long, device=self.device)
        return torch.cat([bos, contexts], dim=1)

    @torch.no_grad()
    def last(self, contexts: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Hidden state ``(B, d)`` and logits ``(B, V)`` after contexts ``(B, n)`` of one length (no grad).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> h, z = as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).last(torch.tensor([[0, 1]]))
        >>> h.shape, z.shape
        (torch.Size([1, 8]), torch.Size([1, 3]))
        """
        self.check_length(int(contexts.shape[1]))
        h, z = self._run(self.prepare(contexts), True)
        return h[:, -1], z[:, -1]

    def positions(self, tokens: torch.Tensor, *, grad: bool = False) -> tuple[torch.Tensor, torch.Tensor, int]:
        """Predictions along sequences ``(B, T)``: ``(hidden, logits, offset)`` where ``logits[:, i]`` predicts
        ``tokens[:, offset + i]`` from the tokens before it (``offset`` is 0 with BOS, else 1).

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> h, z, off = as_adapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).positions(torch.tensor([[0, 1]]))
        >>> z.shape, off
        (torch.Size([1, 2, 3]), 0)
        """
        tokens = torch.as_tensor(tokens, dtype=torch.long, device=self.device)
        offset = 0 if self.bos_token_id is not None else 1
        self.check_length(int(tokens.shape[1]) - 1)
        inputs = self.prepare(tokens)[:, :-1] if offset == 0 else tokens[:, :-1]
        with torch.set_grad_enabled(grad):
            h, z = self._run(inputs, False)
        return h, z, offset


def _linear_fit(h: torch.Tensor, z: torch.Tensor, intercept: bool) -> tuple[torch.Tensor, torch.Tensor | None, float]:
    """Least squares ``z ≈ h Wᵀ (+ b)`` in float64; returns ``W``, ``b`` and the relative residual."""
    X = h.double().reshape(-1, h.shape[-1])
    Y = z.double().reshape(-1, z.shape[-1])
    if intercept:
        X = torch.cat([X, torch.ones(X.shape[0], 1, dtype=X.dtype, device=X.device)], dim=1)
    # directions where the hidden states only carry rounding noise of their own dtype are not identified
    rcond = 100 * torch.finfo(h.dtype if h.is_floating_point() else torch.float64).eps
    sol = torch.linalg.lstsq(X.cpu(), Y.cpu(), rcond=rcond, driver="gelsd").solution.to(X.device)
    rel = float((X @ sol - Y).norm() / Y.norm().clamp_min(1e-300))
    W = sol[: h.shape[-1]].T.contiguous()
    return W, (sol[-1].contiguous() if intercept else None), rel


def _check_head(name: str, h: torch.Tensor, z: torch.Tensor, W: torch.Tensor, b: torch.Tensor | None) -> None:
    pred = h.double() @ W.double().T + (b.double() if b is not None else 0.0)
    rel = float((pred - z.double()).norm() / z.double().norm().clamp_min(1e-300))
    if rel > _HEAD_RTOL:
        raise HeadNotFoundError(
            f"{name}: the logits are not W h (+ b) for the output embedding found (relative error {rel:.2g}); "
            "the head may rescale or cap its logits, so softmax(W h) would not be this model's head"
        )


class CatkitAdapter(LMAdapter):
    """Adapter for :class:`~catkit.lm.TinyGPT`.

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> CatkitAdapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))).W.shape
    torch.Size([3, 8])
    """

    name = "catkit TinyGPT"

    def __init__(self, model: TinyGPT) -> None:
        self.model = model.eval()
        cfg = model.config
        self.vocab_size, self.d_model = cfg.vocab_size, cfg.d_model
        self.max_context, self.bos_token_id = cfg.max_context, model.bos_token_id

    def _run(self, input_ids: torch.Tensor, last_only: bool) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.model.embed(input_ids)
        for blk in self.model.blocks:
            x = blk(x)
        h = self.model.ln_f(x[:, -1:] if last_only else x)
        return h, self.model.head(h)

    @property
    def W(self) -> torch.Tensor:
        """The head's weight, detached.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> a = CatkitAdapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)))
        >>> a.W.requires_grad, a.W.shape
        (False, torch.Size([3, 8]))
        """
        return self.model.head.weight.detach()

    @property
    def device(self) -> torch.device:
        """The head's device.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> a = CatkitAdapter(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)))
        >>> a.device.type
        'cpu'
        """
        return self.model.head.weight.device

    def to(self, device: Any) -> LMAdapter:
        self.model.to(device)
        return self


class HFAdapter(LMAdapter):
    """Adapter for a Hugging Face causal LM (``model.get_output_embeddings()`` must be the head).

    Args:
        model: a ``transformers`` ``PreTrainedModel`` with a causal-LM head.
        bos_token_id: prepended to every context (``None``: contexts are used as they are).
        vocab_size: keep the first ``vocab_size`` outputs (default: all).

    >>> from transformers import GPT2Config, GPT2LMHeadModel
    >>> hf = GPT2LMHeadModel(GPT2Config(vocab_size=5, n_positions=16, n_embd=8, n_layer=1, n_head=2))
    >>> a = HFAdapter(hf, bos_token_id=4, vocab_size=4)
    >>> a.W.shape, a.max_context
    (torch.Size([4, 8]), 15)
    """

    name = "Hugging Face model"

    def __init__(self, model: Any, *, bos_token_id: int | None = None, vocab_size: int | None = None) -> None:
        head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
        weight = getattr(head, "weight", None)
        if head is None or not isinstance(weight, torch.Tensor) or weight.ndim != 2:
            raise HeadNotFoundError(
                f"cannot find the unembedding head of {type(model).__name__}: get_output_embeddings() gave {head!r}; "
                "wrap the model in a callable returning (hidden, logits) instead"
            )
        self.model, self._head = model.eval(), head
        self.name = f"Hugging Face {type(model).__name__}"
        full_v, d = weight.shape
        self.vocab_size = full_v if vocab_size is None else int(vocab_size)
        if not 1 <= self.vocab_size <= full_v:
            raise LMError(f"vocab_size={vocab_size} but {self.name} has {full_v} output tokens")
        self.d_model = d
        cfg = getattr(model, "config", None)
        n_pos = next((getattr(cfg, k) for k in ("n_positions", "max_position_embeddings") if getattr(cfg, k, None)), None)
        self.bos_token_id = bos_token_id
        self.max_context = None if n_pos is None else int(n_pos) - (1 if bos_token_id is not None else 0)
        b = getattr(head, "bias", None)
        self._bias = b.detach()[: self.vocab_size] if isinstance(b, torch.Tensor) else None
        if self._bias is not None:
            warnings.warn(f"{self.name}'s head has a bias: k_head(h) = softmax(W h + b)", HeadBiasWarning, stacklevel=2)
        probe = torch.arange(min(4, self.max_context or 4), device=self.device).remainder(self.vocab_size)[None]
        h, z = self._run(self.prepare(probe), False)
        _check_head(self.name, h, z, self.W, self._bias)

    @torch.no_grad()
    def _run(self, input_ids: torch.Tensor, last_only: bool) -> tuple[torch.Tensor, torch.Tensor]:
        seen: list[torch.Tensor] = []
        hook = self._head.register_forward_hook(lambda mod, inp, out: seen.append(inp[0]))
        try:
            try:
                out = self.model(input_ids=input_ids, use_cache=False, logits_to_keep=1 if last_only else 0)
            except TypeError:  # older models without logits_to_keep
                out = self.model(input_ids=input_ids, use_cache=False)
        finally:
            hook.remove()
        if not seen:
            raise HeadNotFoundError(f"{self.name}'s forward never called its output embedding; cannot find the head")
        h, z = seen[-1], out.logits[..., : self.vocab_size]
        if last_only:
            h, z = h[:, -1:], z[:, -1:]
        return h, z

    def positions(self, tokens: torch.Tensor, *, grad: bool = False) -> tuple[torch.Tensor, torch.Tensor, int]:
        if grad:
            raise LMError("HFAdapter.positions runs without gradients; train Hugging Face models with their own tools")
        return super().positions(tokens)

    @property
    def W(self) -> torch.Tensor:
        """The output embedding's rows for the first ``vocab_size`` tokens, detached.

        >>> from transformers import GPT2Config, GPT2LMHeadModel
        >>> a = HFAdapter(GPT2LMHeadModel(GPT2Config(vocab_size=5, n_positions=8, n_embd=8, n_layer=1, n_head=2)), vocab_size=4)
        >>> a.W.shape
        torch.Size([4, 8])
        """
        return self._head.weight.detach()[: self.vocab_size]

    @property
    def bias(self) -> torch.Tensor | None:
        """The head's bias, if it has one (GPT-2's has none).

        >>> from transformers import GPT2Config, GPT2LMHeadModel
        >>> a = HFAdapter(GPT2LMHeadModel(GPT2Config(vocab_size=5, n_positions=8, n_embd=8, n_layer=1, n_head=2)), vocab_size=4)
        >>> a.bias is None
        True
        """
        return self._bias

    @property
    def device(self) -> torch.device:
        """The output embedding's device.

        >>> from transformers import GPT2Config, GPT2LMHeadModel
        >>> a = HFAdapter(GPT2LMHeadModel(GPT2Config(vocab_size=5, n_positions=8, n_embd=8, n_layer=1, n_head=2)), vocab_size=4)
        >>> a.device.type
        'cpu'
        """
        return self._head.weight.device

    def to(self, device: Any) -> LMAdapter:
        self.model.to(device)
        if self._bias is not None:
            self._bias = self._bias.to(device)
        return self


class TransformerLensAdapter(LMAdapter):
    """Adapter for a TransformerLens ``HookedTransformer`` (TransformerLens 1–3; built from a
    ``HookedTransformerConfig`` or loaded however you like).

    The hidden state is the input of ``model.unembed`` (a forward hook, so after ``ln_final``), the head is
    ``W = W_Uᵀ`` and ``b_U`` is the bias, ``None`` when it is exactly zero (TransformerLens always has one).
    Token ids go in as they are: no tokenizer and no automatic BOS; give ``bos_token_id`` to prepend one.

    >>> from transformer_lens import HookedTransformer, HookedTransformerConfig
    >>> cfg = HookedTransformerConfig(n_layers=1, d_model=8, n_ctx=8, d_head=4, n_heads=2, d_vocab=4, act_fn="gelu")
    >>> a = TransformerLensAdapter(HookedTransformer(cfg), bos_token_id=3, vocab_size=3)
    >>> a.W.shape, a.max_context, a.bias is None
    (torch.Size([3, 8]), 7, True)
    """

    name = "TransformerLens HookedTransformer"

    def __init__(self, model: Any, *, bos_token_id: int | None = None, vocab_size: int | None = None) -> None:
        self.model = model.eval()
        W_U = model.W_U.detach()  # (d, V)
        self.d_model, full_v = int(W_U.shape[0]), int(W_U.shape[1])
        self.vocab_size = full_v if vocab_size is None else int(vocab_size)
        if not 1 <= self.vocab_size <= full_v:
            raise LMError(f"vocab_size={vocab_size} but {self.name} has {full_v} output tokens")
        n_ctx = getattr(model.cfg, "n_ctx", None)
        self.bos_token_id = bos_token_id
        self.max_context = None if n_ctx is None else int(n_ctx) - (1 if bos_token_id is not None else 0)
        b = getattr(model, "b_U", None)
        b = b.detach()[: self.vocab_size] if isinstance(b, torch.Tensor) else None
        self._bias = None if b is None or not bool(b.any()) else b
        if self._bias is not None:
            warnings.warn(f"{self.name}'s unembedding has a nonzero b_U: k_head(h) = softmax(W h + b)", HeadBiasWarning, stacklevel=2)
        probe = torch.arange(min(4, self.max_context or 4), device=self.device).remainder(self.vocab_size)[None]
        with torch.no_grad():
            h, z = self._run(self.prepare(probe), False)
        _check_head(self.name, h, z, self.W, self._bias)

    def _run(self, input_ids: torch.Tensor, last_only: bool) -> tuple[torch.Tensor, torch.Tensor]:
        seen: list[torch.Tensor] = []
        hook = self.model.unembed.register_forward_hook(lambda mod, inp, out: seen.append(inp[0]))
        try:
            logits = self.model(input_ids, return_type="logits")
        finally:
            hook.remove()
        if not seen:
            raise HeadNotFoundError(f"{self.name}'s forward never called model.unembed; cannot find the head")
        h, z = seen[-1], logits[..., : self.vocab_size]
        return (h[:, -1:], z[:, -1:]) if last_only else (h, z)

    @property
    def W(self) -> torch.Tensor:
        """``W_Uᵀ`` restricted to the first ``vocab_size`` tokens (``V × d``), detached.

        >>> from transformer_lens import HookedTransformer, HookedTransformerConfig
        >>> cfg = HookedTransformerConfig(n_layers=1, d_model=8, n_ctx=8, d_head=4, n_heads=2, d_vocab=4, act_fn="gelu")
        >>> TransformerLensAdapter(HookedTransformer(cfg)).W.shape
        torch.Size([4, 8])
        """
        return self.model.W_U.detach()[:, : self.vocab_size].T

    @property
    def bias(self) -> torch.Tensor | None:
        """``b_U`` (first ``vocab_size`` entries), or ``None`` when it is zero.

        >>> from transformer_lens import HookedTransformer, HookedTransformerConfig
        >>> cfg = HookedTransformerConfig(n_layers=1, d_model=8, n_ctx=8, d_head=4, n_heads=2, d_vocab=4, act_fn="gelu")
        >>> TransformerLensAdapter(HookedTransformer(cfg)).bias is None
        True
        """
        return self._bias

    @property
    def device(self) -> torch.device:
        """Where ``W_U`` lives.

        >>> from transformer_lens import HookedTransformer, HookedTransformerConfig
        >>> cfg = HookedTransformerConfig(n_layers=1, d_model=8, n_ctx=8, d_head=4, n_heads=2, d_vocab=4, act_fn="gelu")
        >>> TransformerLensAdapter(HookedTransformer(cfg)).device.type
        'cpu'
        """
        return self.model.W_U.device

    def to(self, device: Any) -> LMAdapter:
        self.model.to(device)
        if self._bias is not None:
            self._bias = self._bias.to(device)
        return self


def _is_hooked_transformer(model: Any) -> bool:
    return all(hasattr(model, a) for a in ("W_U", "unembed", "run_with_hooks", "cfg"))


class CallableAdapter(LMAdapter):
    """Adapter for any callable ``fn(input_ids (B, T)) -> (hidden, logits)``.

    ``hidden`` is ``(B, T, d)`` (or ``(B, d)`` for the last position only) and must be what the head
    reads; ``logits`` likewise ``(B, T, V)`` or ``(B, V)``.  When ``W`` is not given it is recovered by
    least squares on a probe batch (every position of random contexts, float64): first as a bias-free
    head, then with a bias (a warning says so); if neither reproduces the logits, :class:`HeadNotFoundError`.
    When the hidden states span fewer than ``d`` dimensions, ``W`` is the minimum-norm solution (its
    action on that span is all the model ever uses).

    Args:
        fn: the callable.
        vocab_size: number of output tokens (default: read from a first call).
        W: the head's matrix ``V × d``, when known.
        bias: the head's bias, when known.
        max_context: longest context ``fn`` accepts (BOS excluded); ``None``: unbounded.
        bos_token_id: prepended to every context.
        device: where ``fn`` wants its inputs (default CPU).

    >>> torch.manual_seed(0) and None
    >>> E, W = torch.randn(3, 6), torch.randn(3, 6)
    >>> fn = lambda ids: (E[ids].cumsum(1).tanh(), E[ids].cumsum(1).tanh() @ W.T)
    >>> a = CallableAdapter(fn, vocab_size=3)
    >>> bool(torch.allclose(a.W, W.double(), atol=1e-4)), a.bias is None
    (True, True)
    """

    name = "callable"

    def __init__(
        self, fn: Callable[[torch.Tensor], tuple[torch.Tensor, torch.Tensor]], *, vocab_size: int | None = None,
        W: torch.Tensor | None = None, bias: torch.Tensor | None = None, max_context: int | None = None,
        bos_token_id: int | None = None, device: Any = "cpu", probe_size: int | None = None,
    ) -> None:
        self.fn, self._device = fn, torch.device(device)
        self.max_context, self.bos_token_id = max_context, bos_token_id
        self.name = f"callable {getattr(fn, '__name__', type(fn).__name__)}"
        n = 8 if max_context is None else max(1, min(8, max_context))
        first_ids = self.prepare(torch.zeros(1, n, dtype=torch.long))
        first_h, first_z = self._call(first_ids)
        self._last_only = first_h.shape[1] != first_ids.shape[1]  # the callable returns the last position only
        full_v = first_z.shape[-1]
        self.vocab_size = full_v if vocab_size is None else int(vocab_size)
        if self.vocab_size > full_v:
            raise LMError(f"vocab_size={vocab_size} but {self.name} returns {full_v} logits")
        self.d_model = first_h.shape[-1]
        if W is not None:
            self._W = torch.as_tensor(W).detach().to(self._device)
            self._bias = None if bias is None else torch.as_tensor(bias).detach().to(self._device)
            if tuple(self._W.shape) != (self.vocab_size, self.d_model):
                want = (self.vocab_size, self.d_model)
                raise HeadNotFoundError(f"W has shape {tuple(self._W.shape)}, expected (V, d) = {want}")
            h, z = self._run(self.prepare(self._probe_ids(probe_size, n)), self._last_only)
            _check_head(self.name, h, z, self._W, self._bias)
        else:
            self._W, self._bias = self._find_head(probe_size, n)

    def _probe_ids(self, probe_size: int | None, n: int) -> torch.Tensor:
        g = torch.Generator().manual_seed(0)
        m = probe_size or 4 * (self.d_model + 1) + 16
        return torch.randint(0, self.vocab_size, (m, n), generator=g)

    def _find_head(self, probe_size: int | None, n: int) -> tuple[torch.Tensor, torch.Tensor | None]:
        h, z = self._run(self.prepare(self._probe_ids(probe_size, n)), self._last_only)
        W, _, rel = _linear_fit(h, z, intercept=False)
        if rel <= _HEAD_RTOL:
            return W, None
        Wb, b, rel_b = _linear_fit(h, z, intercept=True)
        if rel_b <= _HEAD_RTOL:
            warnings.warn(f"{self.name}'s head has a bias: k_head(h) = softmax(W h + b)", HeadBiasWarning, stacklevel=3)
            return Wb, b
        raise HeadNotFoundError(
            f"{self.name}: the logits are not a linear function W h (+ b) of the hidden states returned "
            f"(relative residual {rel_b:.2g}); return the input of the head (after the final norm) and raw logits "
            "(not log-probabilities), or pass W="
        )

    def _call(self, input_ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        out = self.fn(input_ids)
        if not (isinstance(out, tuple) and len(out) == 2):
            raise HeadNotFoundError(f"{self.name} must return (hidden, logits), got {type(out).__name__}")
        h, z = (torch.as_tensor(t) for t in out)
        if h.ndim == 2:
            h, z = h[:, None], z[:, None]
        return h, z

    @torch.no_grad()
    def _run(self, input_ids: torch.Tensor, last_only: bool) -> tuple[torch.Tensor, torch.Tensor]:
        h, z = self._call(input_ids)
        z = z[..., : self.vocab_size]
        if last_only:
            return h[:, -1:], z[:, -1:]
        if h.shape[1] != input_ids.shape[1]:
            raise LMError(f"{self.name} returns only the last position; per-position predictions need (B, T, ·) outputs")
        return h, z

    @property
    def W(self) -> torch.Tensor:
        """The readout recovered from the function's hidden states and logits (float64).

        >>> E = torch.eye(3, 4)
        >>> a = CallableAdapter(lambda ids: (E[ids], E[ids] @ E.T), vocab_size=3)
        >>> bool(torch.allclose(a.W, E.double(), atol=1e-6))
        True
        """
        return self._W

    @property
    def bias(self) -> torch.Tensor | None:
        """The recovered bias, or ``None`` when the logits need none.

        >>> E = torch.eye(3, 4)
        >>> a = CallableAdapter(lambda ids: (E[ids], E[ids] @ E.T), vocab_size=3)
        >>> a.bias is None
        True
        """
        return self._bias

    @property
    def device(self) -> torch.device:
        """The device the function's outputs came back on.

        >>> E = torch.eye(3, 4)
        >>> a = CallableAdapter(lambda ids: (E[ids], E[ids] @ E.T), vocab_size=3)
        >>> a.device.type
        'cpu'
        """
        return self._device

    def to(self, device: Any) -> LMAdapter:
        self._device = torch.device(device)
        self._W = self._W.to(device)
        self._bias = None if self._bias is None else self._bias.to(device)
        return self


def _load_hf_dir(path: Path, **options: Any) -> HFAdapter:
    try:
        from transformers import AutoModelForCausalLM
    except ImportError:  # pragma: no cover - transformers is in the [lm] extra
        raise LMError("loading a Hugging Face directory needs transformers: pip install 'catkit-markov[lm]'") from None
    model = AutoModelForCausalLM.from_pretrained(str(path), local_files_only=True)
    V = getattr(model.config, "catkit_vocab_size", None)
    if isinstance(V, int):  # exported by TinyGPT.save_hf: its real tokens and its BOS are known
        options.setdefault("vocab_size", V)
        options.setdefault("bos_token_id", model.config.bos_token_id)
    return HFAdapter(model, **options)


def as_adapter(model: Any, **options: Any) -> LMAdapter:
    """The adapter for ``model`` (see the module docstring); ``options`` go to the adapter's constructor.

    >>> as_adapter(42)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.HeadNotFoundError: cannot adapt int to a language model: give a TinyGPT, a Hugging Face causal LM, ...
    """
    if isinstance(model, LMAdapter):
        if options:
            raise LMError(f"options {sorted(options)} cannot be applied to an existing adapter")
        return model
    if isinstance(model, TinyGPT):
        if options:
            raise LMError(f"a TinyGPT takes no adapter options, got {sorted(options)}")
        return CatkitAdapter(model)
    if isinstance(model, (str, os.PathLike)):
        path = Path(model)
        if is_catkit_checkpoint(path):
            return CatkitAdapter(load_model(path))
        if (path / "config.json").is_file():
            return _load_hf_dir(path, **options)
        raise LMError(f"{path} is neither a catkit checkpoint directory nor a Hugging Face model directory (no config.json)")
    if _is_hooked_transformer(model):
        return TransformerLensAdapter(model, **options)
    if hasattr(model, "get_output_embeddings") and hasattr(model, "config"):
        return HFAdapter(model, **options)
    if callable(model):
        return CallableAdapter(model, **options)
    raise HeadNotFoundError(
        f"cannot adapt {type(model).__name__} to a language model: give a TinyGPT, a Hugging Face causal LM, "
        "a TransformerLens HookedTransformer, a callable ids -> (hidden, logits), or a checkpoint directory"
    )
