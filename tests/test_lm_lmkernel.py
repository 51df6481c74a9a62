"""LMKernel: the model on finite context sets as torch-backed catkit kernels."""

from __future__ import annotations

import warnings

import pytest
import torch

from catkit import Kernel
from catkit.lm import (
    CallableAdapter,
    ChunkSizeWarning,
    ContextTooLongError,
    GPTConfig,
    LMError,
    LMKernel,
    TinyGPT,
    TooLargeError,
    VocabMismatchError,
    torch_threads,
)
from catkit.sources import ContextSet, MarkovChain, default_source, tiny_source


@pytest.fixture(autouse=True)
def _one_thread():
    with torch_threads(1):
        yield


def small(V=3, seed=0, n_positions=16):
    return TinyGPT(GPTConfig(vocab_size=V, n_positions=n_positions, d_model=16, n_layer=2, n_head=2), seed=seed)


def test_generation_is_encoder_then_head_and_matches_the_model():
    m = small()
    lk = LMKernel(m, 3, source=tiny_source())
    enc, head, gen = lk.encoder, lk.head, lk.generation
    assert enc.is_deterministic() and enc.model.name == "FinSet"
    assert enc.cod == head.dom and gen.dom.size == len(lk.contexts) == 40
    assert (enc >> head).allclose(gen, tol=0.0)
    for i in (0, 7, 39):
        ids = m.with_bos(torch.tensor([lk.contexts[i]], dtype=torch.long))
        with torch.no_grad():
            h = m.hidden(ids)[0, -1]
            p = torch.softmax(m(ids)[0, -1].double(), -1)
        assert torch.allclose(lk.hidden_states[i].float(), h, atol=1e-6)
        assert torch.allclose(gen.matrix[i], p, atol=1e-6)
    assert lk.W.shape == (3, 16) and lk.bias is None and lk.logits.shape == (40, 3)


def test_data_kernel_and_context_law_are_the_sources_exact_laws_on_the_same_contexts():
    src = default_source()
    C = ContextSet.of_length(src.V, 3)
    lk = LMKernel(small(V=4), C, source=src)
    exact = src.next_token_kernel(C)
    assert lk.data.backend.name == "torch" and lk.data.storage.dtype == torch.float64
    assert lk.data.allclose(exact.to("torch"), tol=1e-15)
    # catkit composition on the torch kernels: the law of the next token after 3 tokens is the 4th marginal
    assert (lk.context_law() >> lk.data).allclose(src.block_law(4).marginal(3).to("torch"), tol=1e-14)
    # copy, tensor and marginals: the joint law of (context, model's next token) has the context law as marginal
    joint = lk.context_law() >> Kernel.copy(C.wire) >> (Kernel.id(C.wire) @ lk.generation)
    assert joint.marginal(0).allclose(lk.context_law(), tol=1e-14)
    both = lk.generation @ lk.data
    assert both.cod.sizes == (4, 4) and both.dom.sizes == (64, 64)


def test_nll_decomposes_into_kl_plus_conditional_entropy_on_the_kernels():
    src = tiny_source()
    C = ContextSet.of_length(src.V, 4)
    lk = LMKernel(small(), C, source=src)
    mu, q, p = lk.context_law().matrix[0], lk.data.matrix, lk.generation.matrix
    ce = -(mu[:, None] * q * p.log()).sum()
    kl = (mu[:, None] * torch.where(q > 0, q * (q.log() - p.log()), torch.zeros_like(q))).sum()
    H = -(mu[:, None] * torch.where(q > 0, q * q.log(), torch.zeros_like(q))).sum()
    assert abs(float(ce - kl - H)) < 1e-12 and float(kl) > 0
    assert abs(float(H) - src.conditional_entropy(5)) < 1e-12


def test_equal_hidden_states_are_one_element_of_H_and_the_law_pushes_forward():
    E = torch.randn(4, 6, generator=torch.Generator().manual_seed(0))
    W = torch.randn(3, 6, generator=torch.Generator().manual_seed(1))

    def last_token_model(ids):  # depends on the last token only (BOS = 3 for the empty context)
        h = torch.tanh(E[ids])
        return h, h @ W.T

    mc = MarkovChain([["1/2", "1/4", "1/4"], ["1/3", "1/3", "1/3"], [0, "1/2", "1/2"]])
    lk = LMKernel(CallableAdapter(last_token_model, bos_token_id=3, W=W), 3, source=mc)
    assert lk.hidden_wire.size == 4  # '', and one per last token
    assert lk.hidden_index.tolist()[:4] == [0, 1, 2, 3]
    assert lk.hidden_index[lk.contexts.index("cab")] == lk.hidden_index[lk.contexts.index("b")]
    assert lk.hidden_law().allclose(lk.context_law() >> lk.encoder, tol=1e-15)
    assert abs(float(lk.hidden_law().matrix.sum()) - 1) < 1e-15
    undeduped = LMKernel(CallableAdapter(last_token_model, bos_token_id=3, W=W), 3, source=mc, dedupe=False)
    assert undeduped.hidden_wire.size == len(undeduped.contexts)
    assert undeduped.generation.allclose(lk.generation, tol=0.0)


def test_bad_input_is_named():
    with pytest.raises(VocabMismatchError, match="predicts 3 tokens but the source 'default' has a vocabulary of 4"):
        LMKernel(small(), 1, source=default_source())
    with pytest.raises(VocabMismatchError, match="contexts are over 4 tokens"):
        LMKernel(small(), ContextSet.all(4, 1))
    with pytest.raises(ContextTooLongError, match="contexts of 4 tokens are longer than catkit TinyGPT reads"):
        LMKernel(small(n_positions=4), 4)
    with pytest.raises(TooLargeError, match="dense encoder would have 13 × 13"):
        _ = LMKernel(small(), 2, max_dense=100).encoder
    with pytest.raises(LMError, match="needs the source"):
        _ = LMKernel(small(), 1).data
    with pytest.raises(LMError, match="ContextSet or a maximum length"):
        LMKernel(small(), ["a"])


def test_fake_out_of_memory_halves_the_chunk_and_continues():
    m = small()
    calls = []

    def flaky(ids):
        calls.append(ids.shape[0])
        if ids.shape[0] > 5:
            raise torch.OutOfMemoryError("CUDA out of memory (injected)")
        return m.hidden(ids), m(ids)

    a = CallableAdapter(flaky, bos_token_id=3, W=m.W.detach(), probe_size=4)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        H = LMKernel(a, ContextSet.of_length(3, 3), chunk_size=32).hidden_states
    msgs = [str(w.message) for w in rec if issubclass(w.category, ChunkSizeWarning)]
    assert [m.split("halving the chunk size to ")[1].split()[0] for m in msgs] == ["16", "8", "4"]
    ref = LMKernel(m, ContextSet.of_length(3, 3)).hidden_states
    assert torch.allclose(H, ref, atol=1e-6)
    assert max(calls[-6:]) <= 5  # it settled on chunks that fit


def test_float32_kernels_and_device_parameter():
    lk = LMKernel(small(), 2, source=tiny_source(), dtype=torch.float32, device="cpu")
    assert lk.generation.storage.dtype == torch.float32 and lk.data.storage.dtype == torch.float32
    assert (lk.encoder >> lk.head).allclose(lk.generation, tol=0.0)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")
def test_kernels_live_on_cuda():  # pragma: no cover - run where a GPU is present
    lk = LMKernel(small(), 3, source=tiny_source(), device="cuda")
    assert lk.generation.storage.device.type == "cuda" and lk.data.storage.device.type == "cuda"
    assert (lk.encoder >> lk.head).allclose(lk.generation, tol=0.0)
