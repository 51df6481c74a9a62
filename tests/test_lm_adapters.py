"""Adapters: catkit's model, Hugging Face models (built from a config, and from a local directory),
callables; the hidden state after the final norm, the unembedding matrix, heads with a bias, bad heads."""

from __future__ import annotations

import warnings

import pytest
import torch
from torch import nn

from catkit.lm import (
    CallableAdapter,
    GPTConfig,
    HeadBiasWarning,
    HeadNotFoundError,
    HFAdapter,
    LMError,
    LMKernel,
    TinyGPT,
    as_adapter,
    evaluate,
    save_checkpoint,
    torch_threads,
)
from catkit.sources import ContextSet, tiny_source

transformers = pytest.importorskip("transformers")
from transformers import GPT2Config, GPT2LMHeadModel, GPT2Model  # noqa: E402


@pytest.fixture(autouse=True)
def _one_thread():
    with torch_threads(1):
        yield


def gpt2(vocab=4, bias=False, seed=0):
    torch.manual_seed(seed)
    cfg = GPT2Config(vocab_size=vocab, n_positions=12, n_embd=16, n_layer=2, n_head=2, tie_word_embeddings=not bias,
                     bos_token_id=vocab - 1, eos_token_id=vocab - 1)
    m = GPT2LMHeadModel(cfg)
    if bias:
        m.lm_head = nn.Linear(16, vocab, bias=True)
        nn.init.normal_(m.lm_head.bias, std=1.0)
    return m.eval()


def test_hf_hidden_state_is_after_the_final_norm_and_logits_are_W_h():
    hf = gpt2(vocab=4)  # tokens a, b, c and a BOS = 3
    a = HFAdapter(hf, bos_token_id=3, vocab_size=3)
    assert a.max_context == 11 and a.W.shape == (3, 16) and a.bias is None
    ctx = torch.tensor([[0, 2, 1], [1, 1, 0]])
    h, z = a.last(ctx)
    with torch.no_grad():
        out = hf(input_ids=a.prepare(ctx), output_hidden_states=True)
        pre = hf.transformer.h[-1](hf.transformer.drop(hf.transformer.wte(a.prepare(ctx)) + hf.transformer.wpe.weight[:4]))
    assert torch.allclose(h, out.hidden_states[-1][:, -1], atol=1e-6)  # HF's last hidden state includes ln_f
    assert not torch.allclose(h, (pre[0] if isinstance(pre, tuple) else pre)[:, -1], atol=1e-3)  # before ln_f: different
    assert torch.allclose(z, out.logits[:, -1, :3], atol=1e-5)
    assert torch.allclose(z, h @ a.W.T, atol=1e-5)


def test_lmkernel_on_a_hf_model_matches_its_softmax():
    hf = gpt2(vocab=4)
    lk = LMKernel(hf, 3, source=tiny_source(), bos_token_id=3, vocab_size=3)
    C = lk.contexts
    gen = lk.generation.matrix
    for i in (0, 5, len(C) - 1):
        ids = torch.tensor([[3, *C[i]]])
        with torch.no_grad():
            want = torch.softmax(hf(input_ids=ids).logits[0, -1, :3].double(), -1)
        assert torch.allclose(gen[i], want, atol=1e-6)
    assert (lk.encoder >> lk.head).allclose(lk.generation, tol=0.0)


def test_hf_head_with_a_bias_is_reported_and_used():
    hf = gpt2(vocab=3, bias=True)
    with pytest.warns(HeadBiasWarning, match="has a bias"):
        a = as_adapter(hf)
    assert a.bias is not None and "WITH a bias" in a.describe()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", HeadBiasWarning)
        lk = LMKernel(hf, ContextSet.all(3, 2, min_length=1))
    with torch.no_grad():
        want = torch.softmax(hf(input_ids=torch.tensor([[2, 1]])).logits[0, -1].double(), -1)
    assert torch.allclose(lk.generation.matrix[lk.contexts.index("cb")], want, atol=1e-6)
    h = lk.hidden_table
    assert torch.allclose(lk.head.matrix, torch.softmax(h @ lk.W.T + lk.bias, -1), atol=1e-12)


def test_hf_without_bos_refuses_the_empty_context_and_long_contexts():
    a = as_adapter(gpt2(vocab=3))
    assert a.bos_token_id is None and a.max_context == 12
    with pytest.raises(LMError, match="no BOS token"):
        LMKernel(a, ContextSet.all(3, 1))
    lk = LMKernel(a, 2)  # an int starts at length 1 without BOS
    assert min(len(c) for c in lk.contexts) == 1
    with pytest.raises(LMError, match="contexts of 13 tokens are longer"):
        LMKernel(a, ContextSet([(0,) * 13], 3))


def test_heads_that_are_not_linear_or_missing_are_refused():
    class Scaled(GPT2LMHeadModel):  # e.g. logit soft-capping: softmax(W h) is not this model's head
        def forward(self, *args, **kwargs):
            out = super().forward(*args, **kwargs)
            out.logits = 2 * out.logits
            return out

    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=3, n_positions=8, n_embd=8, n_layer=1, n_head=2, bos_token_id=2, eos_token_id=2)
    with pytest.raises(HeadNotFoundError, match="not W h"):
        as_adapter(Scaled(cfg))
    with pytest.raises(HeadNotFoundError, match="cannot find the unembedding head of GPT2Model"):
        as_adapter(GPT2Model(cfg))
    with pytest.raises(HeadNotFoundError, match="cannot adapt"):
        as_adapter(3.5)


def test_hf_local_directory_loads_offline(tmp_path):
    hf = gpt2(vocab=4)
    hf.save_pretrained(tmp_path)
    a = as_adapter(str(tmp_path), bos_token_id=3, vocab_size=3)
    b = HFAdapter(hf, bos_token_id=3, vocab_size=3)
    ctx = torch.tensor([[0, 1, 2]])
    assert torch.allclose(a.last(ctx)[1], b.last(ctx)[1], atol=1e-6)
    with pytest.raises(LMError, match="neither a catkit checkpoint"):
        as_adapter(tmp_path / "missing")


def test_catkit_checkpoint_directory_and_options():
    m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2), seed=2)
    import tempfile

    d = tempfile.mkdtemp()
    save_checkpoint(d, m, step=0)
    a = as_adapter(d)
    assert torch.equal(a.W, m.W)
    with pytest.raises(LMError, match="takes no adapter options"):
        as_adapter(m, bos_token_id=1)
    with pytest.raises(LMError, match="cannot be applied to an existing adapter"):
        as_adapter(a, vocab_size=2)


# ---------------------------------------------------------------------------------------------- callables
def toy(bias=None, logprobs=False, last_only=False, seed=0):
    g = torch.Generator().manual_seed(seed)
    E, W, R = torch.randn(4, 12, generator=g), torch.randn(3, 12, generator=g), torch.randn(12, 12, generator=g)
    ln = nn.LayerNorm(12)

    def fn(ids):
        h = ln(torch.tanh(E[ids].cumsum(1) @ R)).detach()
        z = h @ W.T + (bias if bias is not None else 0.0)
        if logprobs:
            z = torch.log_softmax(z, -1)
        return (h[:, -1], z[:, -1]) if last_only else (h, z)

    return fn, W


def test_callable_head_is_recovered_bias_free():
    fn, W = toy()
    a = CallableAdapter(fn, bos_token_id=3)  # hidden states of a LayerNorm: [h, 1] is rank-deficient
    assert a.bias is None and a.vocab_size == 3 and a.d_model == 12
    # LayerNorm outputs (γ = 1, β = 0) sum to 0, so W is identified on that hyperplane only: the minimum-norm
    # solution is W with each row's mean removed, and it acts on every hidden state exactly as W does
    assert torch.allclose(a.W.float(), W - W.mean(1, keepdim=True), atol=1e-4)
    assert not torch.allclose(a.W.float(), W, atol=1e-2)
    lk = LMKernel(a, 2, source=tiny_source())
    with torch.no_grad():
        want = torch.softmax(fn(torch.tensor([[3, 1, 2]]))[1][0, -1].double(), -1)
    assert torch.allclose(lk.generation.matrix[lk.contexts.index("bc")], want, atol=1e-5)


def test_callable_with_a_bias_and_bad_callables():
    b = torch.tensor([0.5, -1.0, 2.0])
    fn, W = toy(bias=b)
    with pytest.warns(HeadBiasWarning):
        a = CallableAdapter(fn)
    assert torch.allclose(a.bias.float() - a.bias.float().mean(), b - b.mean(), atol=1e-3)
    lp, _ = toy(logprobs=True)
    with pytest.raises(HeadNotFoundError, match="not a linear function"):
        CallableAdapter(lp)
    with pytest.raises(HeadNotFoundError, match="must return \\(hidden, logits\\)"):
        CallableAdapter(lambda ids: ids)
    good, W = toy()
    with pytest.raises(HeadNotFoundError, match="expected \\(V, d\\) = \\(3, 12\\)"):
        CallableAdapter(good, W=torch.zeros(2, 12))
    with pytest.raises(HeadNotFoundError, match="not W h"):
        CallableAdapter(good, W=torch.zeros(3, 12))
    assert torch.equal(CallableAdapter(good, W=W).W, W)


def test_last_position_callable_works_for_kernels_not_for_per_position_losses():
    fn, W = toy(last_only=True)
    a = CallableAdapter(fn, bos_token_id=3, W=W)
    assert LMKernel(a, 2, source=tiny_source()).generation.dom.size == 13
    with pytest.raises(LMError, match="returns only the last position"):
        evaluate(a, tiny_source(), n_seqs=4, seq_len=4)
