"""A small GPT-style causal transformer in plain torch, factored as the paper's k_emb, k_bb, k_head.

* ``k_emb`` — :meth:`TinyGPT.embed`: token + learned position embeddings (deterministic);
* ``k_bb`` — :meth:`TinyGPT.backbone`: pre-norm blocks (causal self-attention, MLP), then the final
  LayerNorm; the hidden state of a context is the backbone's output at its last position;
* ``k_head`` — :attr:`TinyGPT.head`: a bias-free linear map ``W: d → V`` followed by softmax.

The input vocabulary has one extra token, ``BOS = V`` (when ``bos=True``), prepended to every context
so that the empty context has a prediction (the first token's law); the head predicts only the
``V`` real tokens.

>>> import torch
>>> cfg = GPTConfig(vocab_size=4, n_positions=16, d_model=16, n_layer=1, n_head=2)
>>> model = TinyGPT(cfg, seed=0)
>>> ids = torch.tensor([[4, 0, 1]])          # BOS, a, b
>>> model(ids).shape, model.hidden(ids).shape, tuple(model.W.shape)
(torch.Size([1, 3, 4]), torch.Size([1, 3, 16]), (4, 16))
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

import torch
from torch import nn
from torch.nn import functional as F

from catkit.lm.errors import ContextTooLongError, ModelConfigError

__all__ = ["GPTConfig", "TinyGPT"]




@dataclass(frozen=True)
class GPTConfig:
    """Shape of a :class:`TinyGPT`.

    Args:
        vocab_size: number of real tokens ``V`` (the head's outputs).
        n_positions: longest input the model reads, BOS included.
        d_model: hidden size ``d``.
        n_layer: number of transformer blocks.
        n_head: attention heads (``d_model`` must be a multiple).
        d_mlp: MLP width (default ``4 * d_model``).
        bos: prepend a BOS token (id ``V``) to every context.

    >>> GPTConfig(vocab_size=4).max_context
    63
    >>> GPTConfig.from_dict(GPTConfig(vocab_size=3).to_dict()) == GPTConfig(vocab_size=3)
    True
    """

    vocab_size: int
    n_positions: int = 64
    d_model: int = 48
    n_layer: int = 2
    n_head: int = 4
    d_mlp: int | None = None
    bos: bool = True

    def __post_init__(self) -> None:
        for f in ("vocab_size", "n_positions", "d_model", "n_layer", "n_head"):
            v = getattr(self, f)
            if not (isinstance(v, int) and not isinstance(v, bool) and v >= 1):
                raise ModelConfigError(f"{f} must be an int >= 1, got {v!r}")
        if self.d_model % self.n_head:
            raise ModelConfigError(f"d_model ({self.d_model}) must be a multiple of n_head ({self.n_head})")
        if self.d_mlp is not None and not (isinstance(self.d_mlp, int) and self.d_mlp >= 1):
            raise ModelConfigError(f"d_mlp must be None or an int >= 1, got {self.d_mlp!r}")

    @property
    def max_context(self) -> int:
        """Longest context (real tokens) the model can read: ``n_positions`` minus the BOS.

        >>> GPTConfig(vocab_size=2, n_positions=8, bos=False).max_context
        8
        """
        return self.n_positions - (1 if self.bos else 0)

    @property
    def input_vocab(self) -> int:
        """Size of the input embedding table (``V + 1`` with BOS).

        >>> GPTConfig(vocab_size=4).input_vocab
        5
        """
        return self.vocab_size + (1 if self.bos else 0)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict.

        >>> GPTConfig(vocab_size=2).to_dict()["d_model"]
        48
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> GPTConfig:
        """From :meth:`to_dict` (unknown keys are an error that names them).

        >>> GPTConfig.from_dict({"vocab_size": 2, "width": 3})
        Traceback (most recent call last):
        ...
        catkit.lm.errors.ModelConfigError: unknown GPTConfig field(s): ['width']
        """
        known = {f.name for f in fields(cls)}
        bad = sorted(set(d) - known)
        if bad:
            raise ModelConfigError(f"unknown GPTConfig field(s): {bad}")
        return cls(**d)


class _Block(nn.Module):
    def __init__(self, cfg: GPTConfig) -> None:
        super().__init__()
        d = cfg.d_model
        self.n_head = cfg.n_head
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.fc = nn.Linear(d, cfg.d_mlp or 4 * d)
        self.out = nn.Linear(cfg.d_mlp or 4 * d, d)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, d = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(d, dim=2)
        q, k, v = (t.view(B, T, self.n_head, d // self.n_head).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.proj(y.transpose(1, 2).reshape(B, T, d))
        return x + self.out(F.gelu(self.fc(self.ln2(x))))


class TinyGPT(nn.Module):
    """The GPT-style model (see the module docstring); ``seed`` makes the initialisation reproducible.

    >>> m = TinyGPT(GPTConfig(vocab_size=4), seed=0)
    >>> m.num_parameters() <= 100_000, m.head.bias is None
    (True, True)
    """

    def __init__(self, config: GPTConfig, seed: int | None = 0) -> None:
        super().__init__()
        self.config = config
        d = config.d_model
        self.tok = nn.Embedding(config.input_vocab, d)
        self.pos = nn.Embedding(config.n_positions, d)
        self.blocks = nn.ModuleList([_Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(d)
        self.head = nn.Linear(d, config.vocab_size, bias=False)
        self.reset_parameters(seed)

    def reset_parameters(self, seed: int | None = 0) -> None:
        """GPT-2 style initialisation (normal(0, 0.02), residual projections scaled by depth), seeded.

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2), seed=1)
        >>> w = m.head.weight.clone(); m.reset_parameters(1); bool((w == m.head.weight).all())
        True
        """
        g = torch.Generator().manual_seed(0 if seed is None else seed)
        scaled = 0.02 / math.sqrt(2 * self.config.n_layer)
        for name, p in self.named_parameters():
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln" in name:
                nn.init.ones_(p)
            else:
                std = scaled if name.endswith(("proj.weight", "out.weight")) else 0.02
                with torch.no_grad():
                    p.copy_(torch.randn(p.shape, generator=g) * std)

    @property
    def W(self) -> torch.Tensor:
        """The unembedding matrix ``W`` (``V × d``): ``k_head(h) = softmax(W h)``.

        >>> TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)).W.shape
        torch.Size([3, 8])
        """
        return self.head.weight

    @property
    def bos_token_id(self) -> int | None:
        """The BOS id (``V``), or ``None`` for a model without BOS.

        >>> TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)).bos_token_id
        3
        """
        return self.config.vocab_size if self.config.bos else None

    def num_parameters(self) -> int:
        """Number of trainable parameters.

        >>> TinyGPT(GPTConfig(vocab_size=2, n_positions=4, d_model=8, n_layer=1, n_head=2)).num_parameters()
        960
        """
        return sum(p.numel() for p in self.parameters())

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        """``k_emb``: token + position embeddings of input ids ``(B, T)`` → ``(B, T, d)``.

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
        >>> m.embed(torch.tensor([[2, 0]])).shape
        torch.Size([1, 2, 8])
        """
        T = ids.shape[1]
        if T > self.config.n_positions:
            raise ContextTooLongError(f"an input of {T} tokens exceeds the model's {self.config.n_positions} positions")
        return self.tok(ids) + self.pos(torch.arange(T, device=ids.device))

    def backbone(self, x: torch.Tensor) -> torch.Tensor:
        """``k_bb``: the blocks and the final norm on embeddings ``(B, T, d)``.

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
        >>> m.backbone(m.embed(torch.tensor([[2]]))).shape
        torch.Size([1, 1, 8])
        """
        for blk in self.blocks:
            x = blk(x)
        return self.ln_f(x)

    def hidden(self, ids: torch.Tensor) -> torch.Tensor:
        """Final hidden states (after the final norm) at every position of input ids ``(B, T)``.

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
        >>> torch.allclose(m.hidden(torch.tensor([[2, 1]])) @ m.W.T, m(torch.tensor([[2, 1]])))
        True
        """
        return self.backbone(self.embed(ids))

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        """Logits ``(B, T, V)`` at every position of input ids ``(B, T)`` (BOS included by the caller).

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
        >>> m(torch.tensor([[2, 0, 1]])).shape
        torch.Size([1, 3, 2])
        """
        return self.head(self.hidden(ids))

    def to_hf(self) -> Any:
        """The same network as a Hugging Face ``GPT2LMHeadModel`` (weights copied; needs ``transformers``).

        TinyGPT *is* a GPT-2 (pre-norm blocks, learned positions, exact GELU, untied bias-free head), so the
        export is exact up to float rounding.  The Hugging Face vocabulary is the input vocabulary (``V + 1``
        with BOS, ``config.bos_token_id = V``); the head's BOS row is zero, so keep the first ``V`` outputs,
        as :func:`~catkit.lm.as_adapter` does on its own for an exported directory (the config records
        ``catkit_vocab_size``).

        >>> m = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2), seed=0)
        >>> hf = m.to_hf()
        >>> ids = torch.tensor([[3, 0, 2, 1]])
        >>> bool(torch.allclose(hf(ids).logits[..., :3], m(ids), atol=1e-5)), hf.config.bos_token_id
        (True, 3)
        """
        try:
            from transformers import GPT2Config, GPT2LMHeadModel
        except ImportError:  # pragma: no cover - transformers is in the [lm] extra
            raise ModelConfigError("exporting to Hugging Face needs transformers: pip install transformers") from None
        cfg = self.config
        hf_cfg = GPT2Config(
            vocab_size=cfg.input_vocab, n_positions=cfg.n_positions, n_embd=cfg.d_model, n_layer=cfg.n_layer, n_head=cfg.n_head,
            n_inner=cfg.d_mlp or 4 * cfg.d_model, activation_function="gelu", layer_norm_epsilon=self.ln_f.eps,
            resid_pdrop=0.0, embd_pdrop=0.0, attn_pdrop=0.0, tie_word_embeddings=False,
            bos_token_id=self.bos_token_id, eos_token_id=None, catkit_vocab_size=cfg.vocab_size,  # type: ignore[call-arg]
        )
        hf = GPT2LMHeadModel(hf_cfg).eval()
        head = torch.zeros(cfg.input_vocab, cfg.d_model)
        head[: cfg.vocab_size] = self.head.weight.detach().cpu()
        sd: dict[str, Any] = {"transformer.wte.weight": self.tok.weight, "transformer.wpe.weight": self.pos.weight, "lm_head.weight": head,
              "transformer.ln_f.weight": self.ln_f.weight, "transformer.ln_f.bias": self.ln_f.bias}
        blk: Any
        for i, blk in enumerate(self.blocks):
            p = f"transformer.h.{i}."
            sd |= {p + "ln_1.weight": blk.ln1.weight, p + "ln_1.bias": blk.ln1.bias, p + "ln_2.weight": blk.ln2.weight,
                   p + "ln_2.bias": blk.ln2.bias}
            for name, lin in (("attn.c_attn", blk.qkv), ("attn.c_proj", blk.proj), ("mlp.c_fc", blk.fc), ("mlp.c_proj", blk.out)):
                sd[p + name + ".weight"] = lin.weight.t()  # GPT-2's Conv1D stores (in, out)
                sd[p + name + ".bias"] = lin.bias
        missing, unexpected = hf.load_state_dict({k: v.detach().cpu().contiguous() for k, v in sd.items()}, strict=False)
        if unexpected or any(not k.endswith(("attn.bias", "attn.masked_bias")) for k in missing):  # pragma: no cover
            raise ModelConfigError(f"the Hugging Face GPT-2 layout changed: missing {missing}, unexpected {unexpected}")
        return hf

    def save_hf(self, directory: str | Any) -> Any:
        """Write the model as a Hugging Face directory (``config.json`` + ``model.safetensors``), loadable by
        ``AutoModelForCausalLM.from_pretrained(directory)`` and by :func:`~catkit.lm.as_adapter`; returns its path.

        >>> import tempfile
        >>> from pathlib import Path
        >>> d = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_layer=1, n_head=2)).save_hf(tempfile.mkdtemp())
        >>> sorted(p.name for p in Path(d).iterdir())
        ['config.json', 'generation_config.json', 'model.safetensors']
        """
        from pathlib import Path

        path = Path(directory)
        self.to_hf().save_pretrained(path)
        return path

    def with_bos(self, contexts: torch.Tensor) -> torch.Tensor:
        """Input ids for contexts ``(B, n)`` of real tokens: BOS prepended when the model has one.

        >>> m = TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2))
        >>> m.with_bos(torch.tensor([[0, 1]])).tolist()
        [[2, 0, 1]]
        """
        if self.bos_token_id is None:
            return contexts
        bos = torch.full((contexts.shape[0], 1), self.bos_token_id, dtype=contexts.dtype, device=contexts.device)
        return torch.cat([bos, contexts], dim=1)
