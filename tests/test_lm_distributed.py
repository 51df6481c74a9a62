"""Streamed statistics sharded over two processes with torchrun (gloo, CPU) equal the single-process ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from catkit.lm import TinyGPT, save_checkpoint, source_statistics, torch_threads
from catkit.lm.defaults import TINY_MODEL
from catkit.sources import tiny_source

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(not torch.distributed.is_available(), reason="torch.distributed is not built in")
def test_torchrun_two_processes_gloo(tmp_path):
    model = TinyGPT(TINY_MODEL, seed=3)
    save_checkpoint(tmp_path / "model", model, step=0)
    out = tmp_path / "stats.json"
    env = {**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{os.environ.get('PYTHONPATH', '')}", "OMP_NUM_THREADS": "1"}
    cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node", "2", "-m", "catkit.lm", "stats",
           "--model", str(tmp_path / "model"), "--source", "tiny", "--length", "4", "--batch-size", "10", "--device", "cpu",
           "--out", str(out)]
    proc = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    got = json.loads(out.read_text())
    assert got["world_size"] == 2
    assert got["count"] == 81  # every context once: the shards are disjoint and cover all 3^4
    with torch_threads(1):
        ref = source_statistics(model, tiny_source(), 4, batch_size=10)
    assert abs(got["weight"] - 1) < 1e-12
    for name in ("ce", "kl", "entropy_p", "entropy_q", "logz_mean"):
        assert abs(got[name] - getattr(ref, name)) < 1e-12, name
    for name in ("mean_h", "second_h", "cross_hq", "gram_q"):
        assert torch.allclose(torch.tensor(got[name], dtype=torch.float64), getattr(ref, name), atol=1e-12), name
