"""One GPU check of catkit, within a time budget (default 8 minutes): the CUDA tests, ``catkit report --scale
large --device cuda`` and the LM benchmarks on CUDA, with every output written to one folder.

    python tools/gpu_check.py                      # on a machine with a GPU; results in $OUT or ./gpu-check
    python tools/gpu_check.py --tiny --device cpu  # the same steps at tiny scale on CPU (a rehearsal)

Steps (each gets what is left of the budget, capped by its own share; a step that runs out is stopped and
recorded as timed out, and the next step still runs):

1. ``env``: torch and CUDA versions, the device's name and memory, ``nvidia-smi`` (``env.json``);
2. ``tests``: ``pytest tests/test_cuda.py`` (CUDA against CPU) and the LM-kernel tests (``tests.log``);
3. ``report``: ``python -m catkit report --scale large --device cuda`` (``--scale tiny`` with ``--tiny``) into
   ``report/`` (``report.log``);
4. ``bench``: ``python -m benchmarks.bench_lm --device cuda`` (``--quick`` with ``--tiny``) (``bench_lm.log``).

``summary.json`` and ``summary.md`` list each step's command, exit status, seconds and whether it timed out.
The exit status is 0 when every step exited 0.  Run it from the repository root.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARES = {"tests": 90, "report": 240, "bench": 140}  # seconds each step may take at most (before the budget)


def env_info(device: str) -> dict[str, object]:
    import torch

    info: dict[str, object] = {"python": sys.version.split()[0], "torch": torch.__version__, "device": device,
                               "cuda_available": torch.cuda.is_available(), "cuda": torch.version.cuda}
    if torch.cuda.is_available():
        p = torch.cuda.get_device_properties(0)
        info.update(gpu=p.name, gpu_memory_gib=round(p.total_memory / 2**30, 1), gpu_count=torch.cuda.device_count())
    try:
        smi = subprocess.run(["nvidia-smi"], capture_output=True, text=True, timeout=20)
        info["nvidia_smi"] = smi.stdout
    except (OSError, subprocess.TimeoutExpired):
        info["nvidia_smi"] = None
    return info


def run_step(name: str, cmd: list[str], log: Path, timeout: float) -> dict[str, object]:
    """Run one command with its output in ``log``; stop it (and its children) after ``timeout`` seconds."""
    t0 = time.perf_counter()
    with open(log, "w", encoding="utf-8") as f:
        f.write("$ " + " ".join(cmd) + "\n")
        f.flush()
        proc = subprocess.Popen(cmd, stdout=f, stderr=subprocess.STDOUT, cwd=ROOT, start_new_session=True)
        try:
            rc = proc.wait(timeout=max(1.0, timeout))
            timed_out = False
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)  # the step's own process group only
            rc, timed_out = proc.wait(), True
    took = time.perf_counter() - t0
    tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
    return {"step": name, "command": " ".join(cmd), "exit": rc, "seconds": round(took, 1), "timed_out": timed_out,
            "budget_s": round(timeout), "log": log.name, "tail": tail}


def plan(args: argparse.Namespace, out: Path) -> list[tuple[str, list[str]]]:
    py = sys.executable
    tests = [py, "-m", "pytest", "-q", "-rs", "-p", "no:randomly", "-p", "no:cacheprovider", "tests/test_cuda.py", "tests/test_lm_lmkernel.py"]
    report = [py, "-m", "catkit", "report", "--scale", "tiny" if args.tiny else "large", "--device", args.device, "--out", str(out / "report")]
    bench = [py, "-m", "benchmarks.bench_lm", "--device", args.device] + (["--quick"] if args.tiny else [])
    steps = [("tests", tests), ("report", report), ("bench", bench)]
    return [(n, c) for n, c in steps if args.only is None or n in args.only]


def write_summary(out: Path, info: dict[str, object], results: list[dict[str, object]], budget: float) -> None:
    (out / "summary.json").write_text(json.dumps({"env": {k: v for k, v in info.items() if k != "nvidia_smi"},
                                                  "budget_s": budget, "steps": results}, indent=2), encoding="utf-8")
    lines = [f"# GPU check ({info.get('gpu', 'no GPU')}, torch {info['torch']}, device {info['device']})", "",
             "| step | exit | seconds | timed out | log |", "| --- | --- | --- | --- | --- |"]
    lines += [f"| {r['step']} | {r['exit']} | {r['seconds']} | {'yes' if r['timed_out'] else 'no'} | {r['log']} |" for r in results]
    for r in results:
        lines += ["", f"## {r['step']}: `{r['command']}`", "", "```", *map(str, r["tail"]), "```"]  # type: ignore[arg-type]
    (out / "summary.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=os.environ.get("OUT") or "gpu-check", help="results folder (default: $OUT, else ./gpu-check)")
    ap.add_argument("--device", default="cuda", help="torch device (default cuda; cpu to rehearse)")
    ap.add_argument("--tiny", action="store_true", help="tiny scale: report --scale tiny, benchmarks --quick")
    ap.add_argument("--budget", type=float, default=470.0, help="seconds for the whole check (default 470, under 8 minutes)")
    ap.add_argument("--only", type=lambda s: s.split(","), default=None, help="comma-separated steps among tests,report,bench")
    args = ap.parse_args(argv)
    if args.device.startswith("cuda"):
        import torch

        if not torch.cuda.is_available():
            print("no CUDA device here: run with --device cpu (and --tiny) to rehearse", file=sys.stderr)
            return 2
    start = time.perf_counter()
    out = Path(args.out).absolute()
    out.mkdir(parents=True, exist_ok=True)
    info = env_info(args.device)
    (out / "env.json").write_text(json.dumps(info, indent=2), encoding="utf-8")
    results = []
    for name, cmd in plan(args, out):
        left = args.budget - (time.perf_counter() - start)
        if left < 5:
            results.append({"step": name, "command": " ".join(cmd), "exit": None, "seconds": 0, "timed_out": True,
                            "budget_s": 0, "log": "-", "tail": ["not run: the budget was spent"]})
            continue
        print(f"[gpu_check] {name} (at most {min(left, SHARES[name]):.0f} s): {' '.join(cmd)}", flush=True)
        r = run_step(name, cmd, out / f"{name}.log", min(left, SHARES[name]))
        print(f"[gpu_check] {name}: exit {r['exit']} in {r['seconds']} s{' (timed out)' if r['timed_out'] else ''}", flush=True)
        results.append(r)
        write_summary(out, info, results, args.budget)
    write_summary(out, info, results, args.budget)
    print(f"[gpu_check] results in {out} ({time.perf_counter() - start:.0f} s)")
    return 0 if all(r["exit"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
