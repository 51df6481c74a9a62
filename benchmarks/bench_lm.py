"""Benchmarks of the language-model bridge (sources, LMKernel, streamed statistics).

Each line prints a measurement and its ratio to a named baseline measured in the same run:

* sampling 10^6 tokens from the default HMM (target: under 2 s) — baseline: drawing the 2 × 10^6
  uniforms it consumes (numpy), the floor of any inverse-CDF sampler; and a batch of the large
  preset's 256-token source against the uniforms it consumes (reported);
* LMKernel's head over N contexts (target: at most 1.15 × the baseline) — baseline: the raw model
  forward (``model(ids)``, logits at every position) on the same contexts and chunks;
* streamed statistics over 10^6 contexts with d = 256 (target: peak memory under 2 GB) — measured in
  a fresh subprocess (peak RSS) and compared with the N × d float64 table a dense computation would
  hold (N × N would be 8 TB);
* training steps per second of the default configuration (reported, no target).

Run: ``python benchmarks/bench_lm.py`` (``--quick`` for smaller sizes, ``--device cuda`` on a GPU,
``--threads N`` to pin torch's CPU threads).
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import torch  # noqa: E402

from catkit.lm import CallableAdapter, LMKernel, TinyGPT, TrainConfig, source_statistics, train  # noqa: E402
from catkit.lm.defaults import DEFAULT_MODEL  # noqa: E402
from catkit.paper.streamed import large_source  # noqa: E402
from catkit.sources import ContextSet, default_source  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int = 3) -> float:
    """Best wall time of ``repeat`` calls (after one warm-up call)."""
    return paired(fn, lambda: None, repeat)[0]


def paired(fn: Callable[[], object], base: Callable[[], object], repeat: int = 3) -> tuple[float, float]:
    """Best wall times of ``fn`` and ``base``, measured alternately (after a warm-up of each) so that a
    change of load on a shared machine hits both alike; the minimum is the least disturbed estimate."""
    fn()
    base()
    tf, tb = [], []
    for _ in range(repeat):
        for f, out in ((base, tb), (fn, tf)):
            t = time.perf_counter()
            f()
            out.append(time.perf_counter() - t)
    return min(tf), min(tb)


def line(name: str, value: float, unit: str, baseline_name: str, baseline: float, target: str) -> None:
    print(f"{name:<46} {value:10.4f} {unit:<3} | baseline {baseline_name}: {baseline:.4f} {unit} "
          f"| ratio {value / baseline:6.2f} | target {target}")


def bench_sampling(n_tokens: int) -> None:
    src = default_source()
    seqs = 1000
    length = n_tokens // seqs
    rng = np.random.default_rng(0)
    t, base = paired(lambda: src.sample(seqs, length, seed=0), lambda: rng.random(2 * n_tokens), repeat=5)
    line(f"sample {n_tokens:.0e} tokens (default HMM)", t, "s", "numpy uniforms (2 per token)", base, "< 2 s")
    t1 = best_of(lambda: src.sample(1, n_tokens, seed=0), repeat=1)
    line(f"sample {n_tokens:.0e} tokens as one sequence", t1, "s", "numpy uniforms (2 per token)", base, "< 2 s")
    big, n, L = large_source(), 65536, 9  # the large preset's batches: rows of 256 x 8 outcomes
    t, base = paired(lambda: big.sample(n, L, seed=0), lambda: rng.random(n * (L + 1)), repeat=3)
    line(f"sample {n} x {L} tokens (256-token HMM)", t, "s", "numpy uniforms (1 per token + 1)", base, "reported")


def bench_head(length: int, device: str, chunk: int) -> None:
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

    t, base = paired(lmk, raw, repeat=7)
    line(f"LMKernel generation, N={len(C)} contexts of {length}", t, "s", "raw model forward (all positions)", base, "<= 1.15x")


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
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    t = time.perf_counter()
    s = source_statistics(model, default_source(), length, batch_size=65536, chunk_size=16384)
    elapsed = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"count": s.count, "seconds": elapsed, "peak": peak, "before": before, "kl": s.kl}))


def bench_stream(length: int, d: int, device: str) -> None:
    out = subprocess.run([sys.executable, __file__, "--child-stream", str(length), str(d), "--device", device],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    r = json.loads(out.stdout.strip().splitlines()[-1])
    n = r["count"]
    dense = n * d * 8
    name = f"streamed stats, N={n} contexts, d={d}"
    print(f"{name:<46} {r['peak'] / 2**30:10.3f} GiB | baseline N x d float64 table: {dense / 2**30:.3f} GiB | "
          f"ratio {r['peak'] / dense:6.2f} | target peak < 2 GiB (process before streaming: {r['before'] / 2**30:.3f} GiB; "
          f"{r['seconds']:.1f} s; N x N would be {n * n * 8 / 2**40:.1f} TiB)")


def bench_train(steps: int, device: str) -> None:
    src = default_source()
    model = TinyGPT(DEFAULT_MODEL, seed=0)
    cfg = TrainConfig(steps=steps, batch_size=64, seq_len=64, warmup=1)
    t = time.perf_counter()
    train(model, src, cfg, device=device, progress=False)
    el = time.perf_counter() - t
    x = src.sample(64, 64, seed=0)
    base = best_of(lambda: src.sample(64, 64, seed=0))
    del x
    line(f"train default config ({steps} steps)", el / steps, "s", "sampling one batch", base, "per step, reported")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmarks and print one line each."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="smaller sizes")
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
    bench_sampling(10**5 if args.quick else 10**6)
    bench_head(6 if args.quick else 8, args.device, chunk=4096)
    bench_stream(7 if args.quick else 10, 256, args.device)
    bench_train(10 if args.quick else 40, args.device)
    return 0


if __name__ == "__main__":
    sys.exit(main())
