"""tools/gpu_check.py: its plan, its time limits and its summary (the full rehearsal, ``--tiny --device cpu``,
takes about a minute and is run by hand; on a GPU the script is the check itself)."""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def gc():
    spec = importlib.util.spec_from_file_location("gpu_check", ROOT / "tools" / "gpu_check.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_the_plan_runs_the_cuda_tests_the_large_report_and_the_lm_benchmarks(gc, tmp_path):
    full = gc.plan(argparse.Namespace(tiny=False, device="cuda", only=None), tmp_path)
    names = [n for n, _ in full]
    cmds = {n: " ".join(c) for n, c in full}
    assert names == ["tests", "report", "bench"]
    assert "tests/test_cuda.py" in cmds["tests"]
    assert "catkit report --scale large --device cuda --out" in cmds["report"] and str(tmp_path / "report") in cmds["report"]
    assert cmds["bench"].endswith("-m benchmarks.bench_lm --device cuda")
    tiny = dict(gc.plan(argparse.Namespace(tiny=True, device="cpu", only=["report", "bench"]), tmp_path))
    assert set(tiny) == {"report", "bench"} and "--scale tiny" in " ".join(tiny["report"]) and tiny["bench"][-1] == "--quick"
    assert sum(gc.SHARES.values()) <= 8 * 60


def test_a_step_past_its_time_is_stopped_and_recorded(gc, tmp_path):
    r = gc.run_step("slow", [sys.executable, "-c", "import time; print('started', flush=True); time.sleep(60)"], tmp_path / "slow.log", 1.5)
    assert r["timed_out"] and r["exit"] != 0 and r["seconds"] < 30 and "started" in "\n".join(r["tail"])
    ok = gc.run_step("fast", [sys.executable, "-c", "print('done')"], tmp_path / "fast.log", 30)
    assert ok["exit"] == 0 and not ok["timed_out"]
    gc.write_summary(tmp_path, {"torch": "x", "device": "cpu"}, [r, ok], 10)
    s = json.loads((tmp_path / "summary.json").read_text())
    assert [x["step"] for x in s["steps"]] == ["slow", "fast"] and s["steps"][0]["timed_out"]
    assert "| slow | " in (tmp_path / "summary.md").read_text()


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the refusal on a machine without CUDA")
def test_asking_for_cuda_without_a_gpu_is_refused(gc, tmp_path, capsys):
    assert gc.main(["--out", str(tmp_path)]) == 2
    assert "no CUDA device here" in capsys.readouterr().err
