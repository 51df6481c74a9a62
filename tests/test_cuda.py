"""CUDA against CPU: the same kernels, LM kernels, streamed statistics and training steps on both devices must
agree.  Skipped where no GPU is present; ``tools/gpu_check.py`` runs them on one."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from catkit import Kernel
from catkit.lm import GPTConfig, LMKernel, TinyGPT, TrainConfig, source_statistics, train
from catkit.sources import ContextSet, default_source, tiny_source

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs CUDA")


def small(V=3, seed=0):
    return TinyGPT(GPTConfig(vocab_size=V, n_positions=16, d_model=16, n_layer=2, n_head=2), seed=seed)


def test_torch_kernels_compose_and_tensor_on_cuda_as_on_cpu():  # pragma: no cover - needs a GPU
    rng = np.random.default_rng(0)
    A, B = rng.random((6, 5)), rng.random((5, 4))
    A, B = A / A.sum(1, keepdims=True), B / B.sum(1, keepdims=True)
    cpu = Kernel(A) >> Kernel(B), Kernel(A) @ Kernel(B)
    ka = Kernel.from_matrix(torch.as_tensor(A, device="cuda"), 6, 5, backend="torch")
    kb = Kernel.from_matrix(torch.as_tensor(B, device="cuda"), 5, 4, backend="torch")
    gpu = ka >> kb, ka @ kb
    for c, g in zip(cpu, gpu):
        assert g.storage.device.type == "cuda"
        assert np.allclose(g.to("numpy").matrix, c.matrix, rtol=1e-12, atol=1e-15)


def test_exact_laws_move_to_cuda_unchanged():  # pragma: no cover - needs a GPU
    src = default_source()
    k = src.next_token_kernel(3, backend="torch", device="cuda")
    assert k.storage.device.type == "cuda"
    assert np.array_equal(k.to("numpy").matrix, src.next_token_kernel(3, backend="numpy").matrix)


def test_lm_kernels_on_cuda_agree_with_cpu():  # pragma: no cover - needs a GPU
    C = ContextSet.all(3, 3)
    cpu = LMKernel(small(), C, source=tiny_source())
    gpu = LMKernel(small(), C, source=tiny_source(), device="cuda")
    assert gpu.generation.storage.device.type == "cuda"
    assert np.allclose(gpu.generation.to("numpy").matrix, cpu.generation.to("numpy").matrix, rtol=1e-9, atol=1e-12)
    assert np.allclose(gpu.data.to("numpy").matrix, cpu.data.to("numpy").matrix, rtol=0, atol=1e-15)


def test_streamed_statistics_on_cuda_agree_with_cpu():  # pragma: no cover - needs a GPU
    cpu = source_statistics(small(), tiny_source(), 4)
    gpu = source_statistics(small(), tiny_source(), 4, device="cuda")
    assert cpu.count == gpu.count
    for name in ("kl", "ce", "entropy_q", "entropy_p"):
        assert np.isclose(getattr(gpu, name), getattr(cpu, name), rtol=1e-6, atol=1e-9), name


def test_training_steps_on_cuda_follow_cpu():  # pragma: no cover - needs a GPU
    cfg = TrainConfig(steps=3, batch_size=8, seq_len=8, warmup=1)
    cpu = train(small(), tiny_source(), cfg, progress=False)
    gpu = train(small(), tiny_source(), cfg, device="cuda", progress=False)
    assert next(gpu.model.parameters()).device.type == "cuda"
    assert np.allclose([x for _, x in gpu.history], [x for _, x in cpu.history], rtol=1e-3)
