"""Benchmarks of the language-model bridge (sources, LMKernel, streamed statistics).

Each row prints a measurement, its ratio to a named baseline measured in the same run, the goal and YES/NO:

* sampling 10^6 tokens from the default HMM, as 1000 sequences and as one, the 2 × 10^6 uniforms it
  consumes (numpy, the floor of any inverse-CDF sampler) and a batch of the large preset's 256-token
  source (reported; the comparison with hmmlearn's sampler, with a goal, is in ``bench_sources``);
* LMKernel's head over N contexts (goal: at most 1.15 × the baseline) — baseline: the raw model forward
  (``model(ids)``, logits at every position) on the same contexts and chunks;
* streamed statistics over 10^6 contexts with d = 256 (goal: peak memory under 2 GiB) — run in a fresh
  process that reports its *own* peak resident memory (``VmHWM`` of ``/proc/self/status``: ``ru_maxrss``
  in a child started by fork and exec carries the parent's high-water mark); the N × d float64 table a
  dense computation would hold is the baseline shown (N × N would be 8 TB); on CUDA the peak GPU memory
  is reported too;
* training steps of the default configuration (reported).

Run: ``python -m benchmarks lm`` (``--quick`` for smaller sizes, ``--device cuda`` on a GPU,
``--threads N`` to pin torch's CPU threads).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from benchmarks.common import Row, best, finish, paired, parser, ratio_row, reported  # noqa: E402
from catkit.lm import CallableAdapter, LMKernel, TinyGPT, TrainConfig, source_statistics, train  # noqa: E402
from catkit.lm.defaults import DEFAULT_MODEL  # noqa: E402
from catkit.sources import ContextSet, default_source, large_source  # noqa: E402


def own_peak_rss() -> tuple[int, str]:
    """This process's own peak resident memory in bytes and how it was read.

    ``VmHWM`` belongs to the process's address space, which ``exec`` makes new; ``ru_maxrss`` survives
    ``exec`` on Linux, so in a child started by fork and exec it reports at least the parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for ln in f:
                if ln.startswith("VmHWM:"):
                    return int(ln.split()[1]) * 1024, "VmHWM"
    except OSError:  # pragma: no cover - not Linux
        pass
    scale = 1 if sys.platform == "darwin" else 1024  # bytes on macOS, KiB elsewhere
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale, "ru_maxrss"


def bench_sampling(n_tokens: int) -> list[Row]:
    src = default_source()
    seqs = 1000
    length = n_tokens // seqs
    rng = np.random.default_rng(0)
    t, base = paired(lambda: src.sample(seqs, length, seed=0), lambda: rng.random(2 * n_tokens), rounds=5)
    rows = [reported(f"sample {n_tokens:.0e} tokens as {seqs} sequences (default HMM)", t),
            reported(f"numpy uniforms consumed by that sample ({2 * n_tokens:.0e})", base)]
    t1 = best(lambda: src.sample(1, n_tokens, seed=0), min_time=0, repeat=1)
    rows.append(reported(f"sample {n_tokens:.0e} tokens as one sequence", t1))
    big, n, L = large_source(), 65536, 9  # the large preset's batches: rows of 256 x 8 outcomes
    t, base = paired(lambda: big.sample(n, L, seed=0), lambda: rng.random(n * (L + 1)), rounds=3)
    rows.append(reported(f"sample {n} x {L} tokens (256-token HMM; numpy uniforms {base * 1e3:.1f} ms)", t))
    return rows


def bench_head(length: int, device: str, chunk: int) -> list[Row]:
    src = default_source()
    model = TinyGPT(DEFAULT_MODEL, seed=0).to(device).eval()
    C = ContextSet.of_length(src.V, length)
    ids = torch.as_tensor(C.groups()[0][2], device=device)

    def raw() -> None:
        with torch.no_grad():
            for s in range(0, len(C), chunk):
                model(model.with_bos(ids[s : s + chunk]))
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    def lmk() -> None:
        _ = LMKernel(model, C, chunk_size=chunk).generation
        if device.startswith("cuda"):
            torch.cuda.synchronize()

    t, base = paired(lmk, raw, rounds=7, min_time=0)
    return [ratio_row(f"LMKernel generation, N={len(C)} contexts of {length} ({device})", t, "raw model forward (all positions)", base, 1.15)]


def _stream_child(length: int, d: int, device: str) -> None:
    """Runs in a fresh process: streamed statistics with a d-dimensional feature model; prints JSON."""
    g = torch.Generator().manual_seed(0)
    E = torch.randn(5, d, generator=g).to(device)
    P = torch.randn(64, d, generator=g).to(device) * 0.1
    W = torch.randn(4, d, generator=g).to(device) / d**0.5
    ln = torch.nn.LayerNorm(d).to(device)

    @torch.no_grad()
    def features(ids: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:  # cheap stand-in for a d=256 encoder
        x = (E[ids] + P[: ids.shape[1]]).cumsum(1)
        h = ln(torch.tanh(x[:, -1]))
        return h, h @ W.T

    model = CallableAdapter(features, W=W, bos_token_id=4, device=device)
    before, how = own_peak_rss()
    if device.startswith("cuda"):
        torch.cuda.reset_peak_memory_stats()
    t = time.perf_counter()
    s = source_statistics(model, default_source(), length, batch_size=65536, chunk_size=16384)
    elapsed = time.perf_counter() - t
    peak, _ = own_peak_rss()
    gpu = int(torch.cuda.max_memory_allocated()) if device.startswith("cuda") else 0
    print(json.dumps({"count": s.count, "seconds": elapsed, "peak": peak, "before": before, "how": how, "gpu_peak": gpu, "kl": s.kl}))


def bench_stream(length: int, d: int, device: str) -> list[Row]:
    """The child is a new interpreter (``subprocess``: fork and exec), so its address space and its
    ``VmHWM`` start fresh; nothing of this process's memory is counted."""
    here = Path(__file__).absolute().parents[1]  # the directory holding this benchmarks package
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(here), str(ROOT), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-m", "benchmarks.bench_lm", "--child-stream", str(length), str(d), "--device", device],
                         capture_output=True, text=True, cwd=here, env=env)
    if out.returncode:
        raise RuntimeError(f"the streaming child failed (exit {out.returncode}):\n{out.stderr[-2000:]}")
    r = json.loads(out.stdout.strip().splitlines()[-1])
    n = r["count"]
    dense = n * d * 8
    rows = [ratio_row(f"streamed stats, N={n} contexts, d={d}: peak memory of the process ({r['how']})", r["peak"], "the 2 GiB budget",
                      float(2**31), 1.0, unit="B"),
            reported(f"N x d float64 table a dense computation would hold (N x N: {n * n * 8 / 2**40:.1f} TiB)", dense, unit="B"),
            reported(f"same process before streaming (imports, model) ({r['how']})", r["before"], unit="B"),
            reported(f"streamed stats time, N={n}", r["seconds"])]
    if r["gpu_peak"]:
        rows.append(reported("peak CUDA memory allocated while streaming", r["gpu_peak"], unit="B"))
    return rows


def bench_train(steps: int, device: str) -> list[Row]:
    src = default_source()
    model = TinyGPT(DEFAULT_MODEL, seed=0)
    cfg = TrainConfig(steps=steps, batch_size=64, seq_len=64, warmup=1)
    t = time.perf_counter()
    train(model, src, cfg, device=device, progress=False)
    el = time.perf_counter() - t
    base = best(lambda: src.sample(64, 64, seed=0))
    return [reported(f"train default config, time per step ({steps} steps, {device}; sampling one batch {base * 1e3:.2f} ms)", el / steps)]


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks; 0 when every goal is met."""
    p = parser(__doc__)
    p.add_argument("--device", default="cpu")
    p.add_argument("--threads", type=int, default=None, help="torch CPU threads")
    p.add_argument("--child-stream", nargs=2, type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.child_stream:
        _stream_child(*args.child_stream, args.device)
        return 0
    print(f"torch {torch.__version__}, device {args.device}, {torch.get_num_threads()} CPU thread(s)")
    rows = bench_sampling(10**5 if args.quick else 10**6)
    rows += bench_head(6 if args.quick else 8, args.device, chunk=4096)
    rows += bench_stream(7 if args.quick else 10, 256, args.device)
    rows += bench_train(10 if args.quick else 40, args.device)
    return finish(f"Language-model bridge on {args.device} (bench_lm)", rows)


if __name__ == "__main__":
    sys.exit(main())
