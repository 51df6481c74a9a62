"""Lost work and fragile caches (issue 14): resume only what matches, checkpoint at step boundaries,
atomic writes, corrupt cache entries rebuilt, report training resumable after Ctrl-C."""

from __future__ import annotations

import json
import signal

import pytest
import torch

from catkit.lm import CheckpointError, GPTConfig, TinyGPT, TrainConfig, load_checkpoint, load_model, save_checkpoint, torch_threads, train
from catkit.lm.defaults import CacheRebuildWarning, cache_key, pretrained
from catkit.sources import FiniteStateSource, tiny_source

SMALL = GPTConfig(vocab_size=3, n_positions=16, d_model=16, n_layer=1, n_head=2)
QUICK = TrainConfig(steps=12, batch_size=8, seq_len=16, warmup=3, checkpoint_every=5)


@pytest.fixture(autouse=True)
def _one_thread():
    with torch_threads(1):
        yield


def other_source():
    """Another source on the same 3-token vocabulary (a resume must not mistake it for the tiny source)."""
    s = tiny_source()
    return FiniteStateSource(["1/3", "2/3"], s.transitions, vocab=s.vocab, states=s.states, name="other")


def same(a, b):
    return all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def reference():
    m = TinyGPT(SMALL, seed=0)
    train(m, tiny_source(), QUICK, progress=False)
    return m


class _StepFault:
    """Patch AdamW.step: on its ``at``-th call, run ``action`` (after the real update when ``after``)."""

    def __init__(self, monkeypatch, at, action, after=True):
        self.calls = 0
        real = torch.optim.AdamW.step

        def step(opt, *a, **k):
            self.calls += 1
            if self.calls == at and not after:
                action()
            out = real(opt, *a, **k)
            if self.calls == at and after:
                action()
            return out

        monkeypatch.setattr(torch.optim.AdamW, "step", step)


def sigint():
    signal.raise_signal(signal.SIGINT)


def test_resume_refuses_another_source_and_no_resume_starts_afresh(tmp_path):
    m = TinyGPT(SMALL, seed=0)
    train(m, tiny_source(), TrainConfig(**{**QUICK.to_dict(), "steps": 5}), checkpoint_dir=tmp_path, progress=False)
    with pytest.raises(CheckpointError, match="another source .*'tiny' vs 'other'.*initial"):
        train(TinyGPT(SMALL, seed=0), other_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    assert load_checkpoint(tmp_path)["source"]["name"] == "tiny"  # not relabelled
    res = train(TinyGPT(SMALL, seed=0), other_source(), QUICK, checkpoint_dir=tmp_path, resume=False, progress=False)
    assert res.resumed_from == 0 and load_checkpoint(tmp_path)["source"]["name"] == "other"


def test_cli_resume_names_what_differs(tmp_path, capsys, monkeypatch):
    from catkit.cli import main

    monkeypatch.setenv("CATKIT_CACHE_DIR", str(tmp_path / "cache"))
    spec = tmp_path / "other.json"
    spec.write_text(json.dumps(other_source().spec()))
    base = ["lm", "train", "--preset", "tiny", "--steps", "2", "--batch-size", "4", "--quiet", "--out", str(tmp_path / "run")]
    assert main(base) == 0
    capsys.readouterr()
    assert main([*base, "--source", str(spec)]) == 2
    err = capsys.readouterr().err
    assert "another source" in err and "--no-resume" in err and len(err.strip().splitlines()) == 1
    assert main([*base, "--source", str(spec), "--no-resume"]) == 0


def test_fewer_steps_than_a_finished_run_changes_nothing(tmp_path):
    train(TinyGPT(SMALL, seed=0), tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(CheckpointError, match="already trained 12 steps, more than the 5"):
        train(TinyGPT(SMALL, seed=0), tiny_source(), TrainConfig(**{**QUICK.to_dict(), "steps": 5}), checkpoint_dir=tmp_path,
              progress=False)
    again = train(TinyGPT(SMALL, seed=9), tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)  # the same run: a no-op
    assert again.step == 12 and same(again.model, load_model(tmp_path))
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


@pytest.mark.parametrize("after", [True, False])
def test_ctrl_c_inside_opt_step_checkpoints_the_finished_step(tmp_path, monkeypatch, after):
    ref = reference()
    fault = _StepFault(monkeypatch, 7, sigint, after=after)
    with pytest.raises(KeyboardInterrupt):
        train(TinyGPT(SMALL, seed=0), tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    state = load_checkpoint(tmp_path)
    assert state["step"] == 7 and len(state["history"]) == 7  # the step in flight was completed, then saved
    monkeypatch.undo()
    fresh = TinyGPT(SMALL, seed=5)
    res = train(fresh, tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    assert res.resumed_from == 7 and same(fresh, ref)  # bit-identical to the uninterrupted run
    assert fault.calls == 7


def test_an_interrupt_landing_just_after_opt_step_never_saves_updated_weights_under_the_old_step(tmp_path, monkeypatch):
    """Without our SIGINT handler (another handler, or not the main thread), a KeyboardInterrupt can land between
    ``opt.step()`` and the step count; then the last periodic checkpoint is kept as it is."""

    def boom():
        raise KeyboardInterrupt

    ref = reference()
    monkeypatch.setattr(signal, "getsignal", lambda s: None)  # as if someone else handled SIGINT
    _StepFault(monkeypatch, 7, boom, after=True)
    with pytest.raises(KeyboardInterrupt):
        train(TinyGPT(SMALL, seed=0), tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    assert load_checkpoint(tmp_path)["step"] == 5  # the periodic checkpoint, not the half-counted step 7
    monkeypatch.undo()
    fresh = TinyGPT(SMALL, seed=5)
    train(fresh, tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    assert same(fresh, ref)


def test_a_second_ctrl_c_stops_at_once_without_saving(tmp_path, monkeypatch):
    _StepFault(monkeypatch, 2, lambda: (sigint(), sigint()), after=False)
    with pytest.raises(KeyboardInterrupt):
        train(TinyGPT(SMALL, seed=0), tiny_source(), QUICK, checkpoint_dir=tmp_path, progress=False)
    assert not (tmp_path / "checkpoint.json").exists()


def test_concurrent_writers_use_private_temporary_files(tmp_path, monkeypatch):
    import catkit.lm.checkpoint as ck

    a, b = TinyGPT(SMALL, seed=1), TinyGPT(SMALL, seed=2)
    real = ck.os.replace
    seen = []

    def interleave(src, dst):  # while the first writer is between its write and its rename, a second one writes
        seen.append(str(src))
        if len(seen) == 1:
            save_checkpoint(tmp_path, b, step=2)
        real(src, dst)

    monkeypatch.setattr(ck.os, "replace", interleave)
    save_checkpoint(tmp_path, a, step=1)
    assert len(set(seen)) == len(seen)  # every write had its own temporary name
    monkeypatch.undo()
    state = load_checkpoint(tmp_path)
    assert state["step"] == 1 and same(load_model(tmp_path), a)  # the last complete writer wins, consistently
    assert not list(tmp_path.glob("*.tmp"))


def test_a_corrupt_cache_entry_is_reported_and_rebuilt(tmp_path):
    from catkit.lm.defaults import TINY_MODEL

    cfg = TrainConfig(steps=3, batch_size=4, seq_len=8)
    first = pretrained(tiny_source(), TINY_MODEL, cfg, cache_dir=tmp_path)
    entry = tmp_path / "lm" / cache_key(TINY_MODEL, cfg, tiny_source())
    w = entry / json.loads((entry / "checkpoint.json").read_text())["weights"]
    w.write_bytes(w.read_bytes()[: len(w.read_bytes()) // 2])  # a truncated snapshot
    with pytest.warns(CacheRebuildWarning, match="corrupt"):
        again = pretrained(tiny_source(), TINY_MODEL, cfg, cache_dir=tmp_path)
    assert same(first, again) and load_checkpoint(entry)["done"]
    assert same(pretrained(tiny_source(), TINY_MODEL, cfg, cache_dir=tmp_path, train_if_missing=False), first)


def test_report_training_resumes_after_ctrl_c(tmp_path, monkeypatch):
    from catkit.paper.training import training_snapshots

    cfg = TrainConfig(steps=12, batch_size=4, seq_len=8, warmup=2, checkpoint_every=4)
    steps = [0, 3, 9, 12]
    ref = training_snapshots(tiny_source(), SMALL, cfg, steps, cache_dir=tmp_path / "a", progress=False)
    _StepFault(monkeypatch, 10, sigint)
    with pytest.raises(KeyboardInterrupt):
        training_snapshots(tiny_source(), SMALL, cfg, steps, cache_dir=tmp_path / "b", progress=False)
    monkeypatch.undo()
    resumed = _StepFault(monkeypatch, 0, lambda: None)  # counts the steps of the second run
    got = training_snapshots(tiny_source(), SMALL, cfg, steps, cache_dir=tmp_path / "b", progress=False)
    assert resumed.calls == 2  # steps 11 and 12 only: the Ctrl-C at step 10 was checkpointed
    assert [s for s, _ in got] == steps and all(same(m, r) for (_, m), (_, r) in zip(got, ref))
    # a corrupt snapshot file is detected by its checksum and rebuilt
    snap = next((tmp_path / "b").glob("paper/*/step-9-*.safetensors"))
    snap.write_bytes(b"\0" * 10)
    with pytest.warns(CacheRebuildWarning, match="corrupt"):
        again = training_snapshots(tiny_source(), SMALL, cfg, steps, cache_dir=tmp_path / "b", progress=False)
    assert all(same(m, r) for (_, m), (_, r) in zip(again, ref))
