"""catkit's small GPT: the k_emb >> k_bb >> k_head factorisation, causality, seeding, size."""

from __future__ import annotations

import pytest
import torch

from catkit.lm import ContextTooLongError, GPTConfig, ModelConfigError, TinyGPT
from catkit.lm.defaults import DEFAULT_MODEL, TINY_MODEL


def test_forward_is_embed_then_backbone_then_bias_free_head():
    m = TinyGPT(GPTConfig(vocab_size=4, n_positions=12, d_model=16, n_layer=2, n_head=4), seed=1)
    ids = torch.randint(0, 5, (3, 9), generator=torch.Generator().manual_seed(0))
    h = m.backbone(m.embed(ids))
    assert torch.equal(m.hidden(ids), h)
    assert torch.allclose(m(ids), h @ m.W.T, atol=1e-6)
    assert m.head.bias is None and m.W.shape == (4, 16)
    # the final norm is applied: each hidden state is a LayerNorm output (zero mean, unit variance at init)
    assert torch.allclose(h.mean(-1), torch.zeros(3, 9), atol=1e-5)


def test_model_is_causal():
    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=10, d_model=16, n_layer=2, n_head=2), seed=0)
    a = torch.tensor([[3, 0, 1, 2, 1, 0]])
    b = a.clone()
    b[0, 4:] = torch.tensor([0, 2])
    ha, hb = m.hidden(a), m.hidden(b)
    assert torch.allclose(ha[:, :4], hb[:, :4], atol=1e-6)  # earlier positions cannot see later tokens
    assert not torch.allclose(ha[:, 4:], hb[:, 4:], atol=1e-3)


def test_seeded_initialisation():
    cfg = GPTConfig(vocab_size=3, d_model=16, n_head=2)
    a, b, c = TinyGPT(cfg, seed=5), TinyGPT(cfg, seed=5), TinyGPT(cfg, seed=6)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))
    assert not torch.equal(a.W, c.W)


def test_embedded_configs_are_small():
    assert TinyGPT(DEFAULT_MODEL).num_parameters() <= 100_000
    assert DEFAULT_MODEL.vocab_size <= 8
    assert TinyGPT(TINY_MODEL).num_parameters() < TinyGPT(DEFAULT_MODEL).num_parameters()


def test_bad_configs_and_inputs_are_named():
    with pytest.raises(ModelConfigError, match="n_layer must be an int >= 1"):
        GPTConfig(vocab_size=3, n_layer=0)
    with pytest.raises(ModelConfigError, match="multiple of n_head"):
        GPTConfig(vocab_size=3, d_model=10, n_head=4)
    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=4, d_model=8, n_head=2))
    with pytest.raises(ContextTooLongError, match="5 tokens exceeds the model's 4 positions"):
        m(torch.zeros(1, 5, dtype=torch.long))
    assert m.with_bos(torch.tensor([[1, 2]])).tolist() == [[3, 1, 2]]
    nobos = TinyGPT(GPTConfig(vocab_size=3, n_positions=4, d_model=8, n_head=2, bos=False))
    assert nobos.bos_token_id is None and nobos.config.max_context == 4 and nobos.tok.num_embeddings == 3
