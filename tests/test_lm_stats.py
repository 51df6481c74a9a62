"""Streamed statistics: equal to the dense computation, independent of chunking, robust to out-of-memory."""

from __future__ import annotations

import warnings

import pytest
import torch

from catkit.lm import (
    CallableAdapter,
    ChunkSizeWarning,
    GPTConfig,
    LMError,
    LMKernel,
    SumAccumulator,
    TinyGPT,
    source_statistics,
    stream_statistics,
    torch_threads,
)
from catkit.sources import ContextSet, default_source


@pytest.fixture(autouse=True)
def _one_thread():
    with torch_threads(1):
        yield


SRC = default_source()
L = 4


@pytest.fixture(scope="module")
def model():
    return TinyGPT(GPTConfig(vocab_size=4, n_positions=16, d_model=12, n_layer=1, n_head=2), seed=4)


@pytest.fixture(scope="module")
def dense(model):
    with torch_threads(1):
        lk = LMKernel(model, ContextSet.of_length(SRC.V, L), source=SRC)
        return lk.context_law().matrix[0], lk.hidden_states, lk.data.matrix, lk.generation.matrix, lk.logits


def test_streamed_statistics_equal_the_dense_ones(model, dense):
    mu, H, Q, P, Z = dense
    s = source_statistics(model, SRC, L, batch_size=50)
    assert s.count == 256 and abs(s.weight - 1) < 1e-14
    tol = dict(atol=1e-12, rtol=1e-10)
    assert torch.allclose(s.mean_h, mu @ H, **tol)
    assert torch.allclose(s.second_h, H.T @ (mu[:, None] * H), **tol)
    assert torch.allclose(s.cross_hq, H.T @ (mu[:, None] * Q), **tol)
    assert torch.allclose(s.cross_hp, H.T @ (mu[:, None] * P), **tol)
    assert torch.allclose(s.gram_q, Q.T @ (mu[:, None] * Q), **tol)
    assert abs(s.ce - float(-(mu[:, None] * Q * P.log()).sum())) < 1e-12
    assert abs(s.entropy_q - SRC.conditional_entropy(L + 1)) < 1e-12
    assert abs(s.ce - s.kl - s.entropy_q) < 1e-12 and s.kl > 0
    assert abs(s.entropy_p - float(-(mu[:, None] * P * P.log()).sum())) < 1e-12
    logz = torch.logsumexp(Z, -1)
    assert abs(s.logz_mean - float(mu @ logz)) < 1e-12 and abs(s.logz_var - float(mu @ (logz - mu @ logz) ** 2)) < 1e-10
    assert torch.allclose(s.cov_h, s.second_h - torch.outer(s.mean_h, s.mean_h))


def test_gram_form_replaces_the_pairwise_sum(model, dense):
    """E_{x,x'} <h_x, h_x'> <q_x, q_x'> = ||E h qᵀ||_F²: the d × V form the streamer keeps instead of N × N."""
    mu, H, Q, _, _ = dense
    pairwise = (mu[:, None] * mu[None, :] * (H @ H.T) * (Q @ Q.T)).sum()  # N × N, only in this test
    s = source_statistics(model, SRC, L)
    assert abs(float(pairwise) - float((s.cross_hq**2).sum())) < 1e-12


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_chunking_does_not_change_the_sums(model, chunk):
    ref = source_statistics(model, SRC, 3)
    s = source_statistics(model, SRC, 3, chunk_size=chunk, batch_size=13)
    assert torch.allclose(s.second_h, ref.second_h, atol=1e-13) and abs(s.kl - ref.kl) < 1e-13


def test_memory_budget_sets_the_chunk(model):
    seen = []
    a = CallableAdapter(lambda ids: (seen.append(ids.shape[0]), model.hidden(ids), model(ids))[1:], bos_token_id=4,
                        W=model.W.detach(), probe_size=4)
    seen.clear()
    source_statistics(a, SRC, 3, memory_budget=40_000)
    assert max(seen) < 64 and sum(seen) == 64  # several chunks, every context once


def test_sampled_contexts_and_extra_statistics(model, dense):
    s = source_statistics(model, SRC, L, n_samples=4000, seed=1, extra={"norm2": lambda b: (b.h**2).sum(1),
                                                                        "h": lambda b: b.h})
    assert s.count == 4000 and abs(s.weight - 1) < 1e-12
    assert torch.allclose(s.extra("h"), s.mean_h, atol=1e-12)
    assert abs(float(s.extra("norm2")) - float(s.second_h.trace())) < 1e-10
    mu, H, _, _, _ = dense
    assert torch.allclose(s.mean_h, mu @ H, atol=0.1)  # Monte Carlo, 4000 samples
    with pytest.raises(LMError, match="one value per context"):
        source_statistics(model, SRC, 2, extra={"bad": lambda b: b.h.sum()})


def test_fake_out_of_memory_while_streaming(model):
    def flaky(ids):
        if ids.shape[0] > 8:
            raise torch.OutOfMemoryError("CUDA out of memory (injected)")
        return model.hidden(ids), model(ids)

    a = CallableAdapter(flaky, bos_token_id=4, W=model.W.detach(), probe_size=4)
    with warnings.catch_warnings(record=True) as rec:
        warnings.simplefilter("always")
        s = source_statistics(a, SRC, 3, chunk_size=64)
    assert sum(issubclass(w.category, ChunkSizeWarning) for w in rec) == 3  # 64 -> 32 -> 16 -> 8
    ref = source_statistics(model, SRC, 3)
    assert torch.allclose(s.second_h, ref.second_h, atol=1e-6) and abs(s.ce - ref.ce) < 1e-6


def test_empty_shard_contributes_zeros_and_accumulator_checks_shapes(model, monkeypatch):
    with pytest.raises(LMError, match="total weight 0"):
        stream_statistics(model, iter(()))
    # a process with an empty shard must all-reduce the same statistics, in the same order and shapes:
    # simulate the other process by adding a full run's sums inside the all-reduce
    extra = {"h": lambda b: b.h, "n2": lambda b: (b.h**2).sum(1)}
    full = source_statistics(model, SRC, 3, extra=extra)
    theirs = [full.sums[k] for k in full.sums.names]

    def fake_all_reduce(tensors):
        assert [t.shape for t in tensors] == [t.shape for t in theirs]
        for t, o in zip(tensors, theirs):
            t += o

    monkeypatch.setattr("catkit.lm.stats.all_reduce_sum", fake_all_reduce)
    mine = stream_statistics(model, iter(()), extra=extra)
    assert mine.sums.names == full.sums.names
    assert torch.equal(mine.second_h, full.second_h) and torch.equal(mine.extra("h"), full.extra("h"))
    acc = SumAccumulator("cpu")
    acc.add("x", torch.ones(2))
    with pytest.raises(LMError, match="changed shape"):
        acc.add("x", torch.ones(3))
    with pytest.raises(LMError, match="no statistic 'y'"):
        acc["y"]


def test_lmkernel_statistics_equal_the_streamed_ones(model):
    lk = LMKernel(model, ContextSet.of_length(SRC.V, 3), source=SRC)
    a, b = lk.statistics(chunk_size=10), source_statistics(model, SRC, 3)
    assert a.count == b.count == 64
    assert torch.allclose(a.second_h, b.second_h, atol=1e-12) and abs(a.kl - b.kl) < 1e-12
    mixed = LMKernel(model, 3, source=SRC).statistics()  # all lengths 0..3, uniform over lengths
    per_length = [source_statistics(model, SRC, n) if n else None for n in range(4)]
    assert abs(mixed.entropy_q - sum(SRC.conditional_entropy(n + 1) for n in range(4)) / 4) < 1e-12
    assert abs(mixed.kl - (LMKernel(model, 0, source=SRC).statistics().kl + sum(s.kl for s in per_length[1:])) / 4) < 1e-12


def test_several_models_share_one_pass_over_the_contexts(model):
    other = TinyGPT(GPTConfig(vocab_size=4, n_positions=16, d_model=6, n_layer=1, n_head=2), seed=9)
    draws = []

    def counted(batches):
        for b in batches:
            draws.append(b.ids.shape[0])
            yield b

    both = stream_statistics([model, other], counted(SRC.sample_context_batches(300, L, 64, seed=3)))
    assert sum(draws) == 300  # the contexts were drawn once for both models
    alone = [source_statistics(m, SRC, L, n_samples=300, batch_size=64, seed=3) for m in (model, other)]
    for s, t in zip(both, alone):
        assert s.count == t.count == 300
        assert torch.equal(s.second_h, t.second_h) and s.kl == t.kl
    assert both[0].second_h.shape == (12, 12) and both[1].second_h.shape == (6, 6)
    with pytest.raises(LMError, match="at least one model"):
        stream_statistics([], SRC.sample_context_batches(10, L, 5))
