"""Every command line ends bad input in one line on stderr and exit status 2, never a traceback (issue 14).

Each case drives the real entry point (``catkit.cli.main``, as the console script does); a few also run
as a subprocess, the way a user meets them.  Arguments are checked before any computation: a bad
``--device`` leaves no output folder behind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from catkit.cli import main
from catkit.limits import memory_budget_set

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path / "cache"))


def run(argv, capsys):
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def assert_one_line_error(rc, err, *needles):
    assert rc == 2, err
    assert "Traceback" not in err
    lines = [x for x in err.splitlines() if x.strip()]
    assert len(lines) == 1, err
    for n in needles:
        assert n in lines[0], lines[0]


def _spec(**over):
    spec = {"kind": "finite-state", "name": "s", "exact": True, "vocab": ["a", "b"], "states": ["s0"], "initial": ["1"],
            "transitions": [[["1/2"]], [["1/2"]]]}
    spec.update(over)
    return spec


@pytest.fixture
def specs(tmp_path):
    files = {
        "malformed": '{"kind": "finite-state", "vocab": ["a"',
        "incomplete": json.dumps({"kind": "finite-state", "vocab": ["a"]}),
        "zero-denominator": json.dumps(_spec(transitions=[[["1/0"]], [["1/2"]]])),
        "huge-int": '{"kind": "finite-state", "exact": true, "vocab": ["a"], "states": ["s"], "initial": [1], "transitions": [[[' + "9" * 5000 + "]]]}",
        "long-entry": json.dumps(_spec(transitions=[[["9" * 5000]], [["1/2"]]])),
        "exponent": json.dumps(_spec(exact=False, initial=["1e999999999"])),
        "unhashable": json.dumps(_spec(vocab=[["a"], "b"])),
        "not-a-distribution": json.dumps(_spec(transitions=[[["1/2"]], [["1/3"]]])),
        "not-an-object": "[1, 2, 3]",
    }
    out = {}
    for name, text in files.items():
        p = tmp_path / f"{name}.json"
        p.write_text(text)
        out[name] = str(p)
    good = tmp_path / "good.json"
    good.write_text(json.dumps(_spec()))
    out["good"] = str(good)
    return out


@pytest.mark.parametrize("name, needle", [
    ("malformed", "not valid JSON"), ("incomplete", "missing field"), ("zero-denominator", "zero denominator"),
    ("huge-int", "not a usable JSON"), ("long-entry", "longer than the limit"), ("exponent", "exponent"),
    ("unhashable", "labels"), ("not-a-distribution", "sum to"), ("not-an-object", "not a finite-state source spec"),
])
def test_bad_source_specs(specs, name, needle, capsys, tmp_path):
    rc, _, err = run(["lm", "evaluate", "--model", "tiny", "--source", specs[name], "--n-seqs", "2"], capsys)
    assert_one_line_error(rc, err, needle)


def test_a_good_spec_is_read(specs):
    from catkit.sources import load_source

    assert load_source(specs["good"]).V == 2  # the control of the cases above


def test_a_spec_beyond_the_memory_budget(specs, capsys):
    with memory_budget_set("100B"):
        rc, _, err = run(["lm", "evaluate", "--model", "tiny", "--source", specs["good"]], capsys)
    assert_one_line_error(rc, err, "memory budget")


def test_output_paths(tmp_path, capsys):
    f = tmp_path / "file.txt"
    f.write_text("keep me")
    rc, _, err = run(["lm", "train", "--preset", "tiny", "--out", str(f), "--steps", "1"], capsys)
    assert_one_line_error(rc, err, "existing file")
    assert f.read_text() == "keep me"
    rc, _, err = run(["lm", "train", "--preset", "tiny", "--out", str(f / "sub"), "--steps", "1"], capsys)
    assert_one_line_error(rc, err, "not a writable directory")
    rc, _, err = run(["lm", "stats", "--model", "tiny", "--length", "1", "--out", str(tmp_path)], capsys)
    assert_one_line_error(rc, err, "is a directory")
    rc, _, err = run(["lm", "stats", "--model", "tiny", "--length", "1", "--out", str(tmp_path / "no" / "s.json")], capsys)
    assert_one_line_error(rc, err, "does not exist")
    rc, _, err = run(["report", "--scale", "tiny", "--out", str(f)], capsys)
    assert_one_line_error(rc, err, "existing file")


@pytest.mark.parametrize("argv, needle", [
    (["lm", "train", "--preset", "tiny", "--device", "cuda", "--steps", "1"], "CUDA"),
    (["lm", "train", "--preset", "tiny", "--device", "bogus", "--steps", "1"], "unknown device"),
    (["lm", "evaluate", "--model", "tiny", "--device", "cuda:7"], "CUDA"),
    (["lm", "stats", "--model", "tiny", "--length", "1", "--device", "bogus", "--out", "x.json"], "unknown device"),
    (["report", "--scale", "tiny", "--device", "cuda"], "CUDA"),
    (["report", "--scale", "tiny", "--device", "bogus"], "unknown device"),
])
def test_devices_are_checked_before_any_work(argv, needle, capsys, tmp_path, monkeypatch):
    import torch

    if torch.cuda.is_available() and "cuda" in argv:
        pytest.skip("this machine has CUDA")
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "out"
    rc, _, err = run([*argv, "--out", str(out)] if argv[0] != "lm" or argv[1] == "train" else argv, capsys)
    assert_one_line_error(rc, err, needle)
    assert not out.exists()  # nothing was computed or written


@pytest.mark.parametrize("argv, needle", [
    (["check", "--only", "ZZ", "--no-symbolic"], "unknown statement"),
    (["check", "--examples", "0"], "must be >= 1"),
    (["check", "--examples", "many"], "expected an integer"),
    (["check", "--model", "bogus"], "unknown model"),
    (["lm", "stats", "--model", "tiny", "--length", "-1", "--out", "s.json"], "must be >= 1"),
    (["lm", "evaluate", "--model", "tiny", "--n-seqs", "0"], "must be >= 1"),
    (["lm", "stats", "--model", "tiny", "--source", "tiny", "--length", "40", "--out", "s.json"], "pass --samples"),
    (["lm", "train", "--lr", "nan"], "finite number"),
    (["lm", "train", "--steps", "-3"], "must be >= 1"),
    (["lm", "bogus"], "invalid choice"),
    (["report", "--scale", "nope"], "invalid choice"),
    (["lm", "evaluate", "--model", "/nonexistent/dir"], "neither a catkit checkpoint"),
])
def test_bad_arguments(argv, needle, capsys):
    rc, _, err = run(argv, capsys)
    assert_one_line_error(rc, err, needle)


def test_models_that_cannot_be_loaded(tmp_path, capsys):
    from catkit.lm import GPTConfig, TinyGPT, save_checkpoint

    m = TinyGPT(GPTConfig(vocab_size=3, n_positions=16, d_model=8, n_layer=1, n_head=2))
    save_checkpoint(tmp_path / "ck", m, step=1)
    meta = json.loads((tmp_path / "ck" / "checkpoint.json").read_text())
    meta["model_config"]["n_layer"] = 2
    (tmp_path / "ck" / "checkpoint.json").write_text(json.dumps(meta))
    rc, _, err = run(["lm", "evaluate", "--model", str(tmp_path / "ck"), "--source", "tiny", "--n-seqs", "2"], capsys)
    assert_one_line_error(rc, err, "does not match its weights")
    hf = tmp_path / "hf"
    hf.mkdir()
    (hf / "config.json").write_text(json.dumps({"model_type": "gpt2", "vocab_size": 3, "n_layer": 1, "n_head": 2, "n_embd": 8,
                                                "n_positions": 16}))
    rc, _, err = run(["lm", "evaluate", "--model", str(hf), "--source", "tiny", "--n-seqs", "2"], capsys)
    assert_one_line_error(rc, err, "cannot load the model")
    out = tmp_path / "report"
    rc, _, err = run(["report", "--scale", "tiny", "--model", str(tmp_path / "ck"), "--out", str(out)], capsys)
    assert_one_line_error(rc, err, "does not match its weights")  # refused before the exact mode runs
    assert not (out / "results.json").exists()
    save_checkpoint(tmp_path / "v4", TinyGPT(GPTConfig(vocab_size=4, n_positions=16, d_model=8, n_layer=1, n_head=2)), step=1)
    rc, _, err = run(["report", "--scale", "tiny", "--model", str(tmp_path / "v4"), "--out", str(out)], capsys)
    assert_one_line_error(rc, err, "predicts 4 tokens")


def test_proof_files_are_read_without_traceback(tmp_path, capsys):
    """Reading only (proof.py belongs to the proofs work): garbage proof files end in one line and status 2."""
    for i, text in enumerate(["garbage ((( \x00", "theorem x: t\n  copy >> (( = \nqed", "theorem y: t\n" + "(" * 5000 + "\nqed"]):
        p = tmp_path / f"p{i}.proof"
        p.write_text(text)
        rc, _, err = run(["prove", str(p)], capsys)
        assert rc == 2 and "Traceback" not in err


@pytest.mark.parametrize("argv", [
    ["check", "--only", "ZZ"],
    ["lm", "train", "--device", "bogus"],
])
def test_as_a_process(argv, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    p = subprocess.run([sys.executable, "-m", "catkit", *argv], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=300)
    assert p.returncode == 2 and "Traceback" not in p.stderr and len(p.stderr.strip().splitlines()) == 1, p.stderr
