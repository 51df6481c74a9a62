"""The trained models the LM mode runs on: the cached default model and snapshots along its training.

Training is deterministic on CPU, so the snapshots (the weights at chosen steps, a few hundred KB each)
are cached beside the model in ``$CATKIT_CACHE_DIR/paper/<key>/`` and a second report run trains nothing.
Each snapshot is a ``.safetensors`` file whose name carries the SHA-256 of its content: a truncated or
altered file is detected, reported and rebuilt.  The training run itself checkpoints into
``paper/<key>/train/`` (:func:`catkit.lm.train`), so a report interrupted with Ctrl-C resumes where it
stopped instead of training again from step 0.

>>> from catkit.lm.defaults import TINY_MODEL
>>> from catkit.lm.trainer import TrainConfig
>>> from catkit.sources import tiny_source
>>> import tempfile
>>> snaps = training_snapshots(tiny_source(), TINY_MODEL, TrainConfig(steps=4, batch_size=2, seq_len=8), [0, 2, 4],
...                            cache_dir=tempfile.mkdtemp(), progress=False)
>>> [s for s, _ in snaps]
[0, 2, 4]
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from catkit.lm.checkpoint import CHECKPOINT_FILE, atomic_write_bytes, load_checkpoint
from catkit.lm.defaults import cache_key, cache_root, discard_cache_entry
from catkit.lm.errors import CacheRebuildWarning, CheckpointError
from catkit.lm.model import GPTConfig, TinyGPT
from catkit.lm.trainer import TrainConfig, train
from catkit.paper.result import PaperError
from catkit.sources import FiniteStateSource

__all__ = ["training_snapshots", "DEFAULT_SNAPSHOTS"]

#: training steps at which the report looks at the default model
DEFAULT_SNAPSHOTS = (0, 25, 50, 100, 200, 400, 700, 1000)


def _snapshot_file(where: Path, step: int) -> Path | None:
    """The verified snapshot of ``step`` (its content hashes to the digest in its name), else ``None``;
    a file that fails the check is reported and removed."""
    for f in sorted(where.glob(f"step-{step}-*.safetensors")):
        digest = f.name[len(f"step-{step}-"):-len(".safetensors")]
        try:
            ok = hashlib.sha256(f.read_bytes()).hexdigest()[:16] == digest
        except OSError:
            ok = False
        if ok:
            return f
        _drop(f)
    return None


def _drop(f: Path) -> None:
    import warnings

    warnings.warn(f"the cached snapshot {f} is corrupt (checksum mismatch); rebuilding it", CacheRebuildWarning, stacklevel=4)
    f.unlink(missing_ok=True)


def _save_snapshot(where: Path, step: int, model: TinyGPT) -> None:
    from safetensors.torch import save

    blob = save({k: v.detach().to("cpu").clone().contiguous() for k, v in model.state_dict().items()})
    atomic_write_bytes(where / f"step-{step}-{hashlib.sha256(blob).hexdigest()[:16]}.safetensors", blob)


def _load_snapshot(f: Path, model_config: GPTConfig) -> TinyGPT:
    from safetensors.torch import load

    m = TinyGPT(model_config, seed=None)
    m.load_state_dict(load(f.read_bytes()))
    return m


def training_snapshots(
    source: FiniteStateSource, model_config: GPTConfig, train_config: TrainConfig, steps: Sequence[int], *,
    device: Any = "cpu", cache_dir: str | os.PathLike[str] | None = None, progress: bool = True,
) -> list[tuple[int, TinyGPT]]:
    """Models at the given training steps (the last one is the fully trained model when it is ``train_config.steps``).

    Trained once (resumably, see the module docstring) with a callback that saves the weights at those steps.

    Step 0 is the initialisation; a second call loads the cached files instead of training:

    >>> import tempfile, torch
    >>> from catkit.lm.defaults import TINY_MODEL
    >>> from catkit.sources import tiny_source
    >>> cfg = TrainConfig(steps=2, batch_size=2, seq_len=8)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (_, m0), (_, m2) = training_snapshots(tiny_source(), TINY_MODEL, cfg, [2, 0], cache_dir=d, progress=False)
    ...     cached = sorted(p.name.split("-")[1] for p in Path(d).glob("paper/*/step-*.safetensors"))
    ...     again = training_snapshots(tiny_source(), TINY_MODEL, cfg, [0, 2], cache_dir=d, progress=False)[1][1]  # from the cache
    >>> torch.equal(m0.W, TinyGPT(TINY_MODEL, seed=cfg.seed).W), torch.equal(m0.W, m2.W), torch.equal(again.W, m2.W)
    (True, False, True)
    >>> cached
    ['0', '2']
    >>> training_snapshots(tiny_source(), TINY_MODEL, cfg, [3])
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: snapshot steps must lie in [0, 2], got [3]
    """
    steps = sorted(set(int(s) for s in steps))
    if steps and (steps[0] < 0 or steps[-1] > train_config.steps):
        raise PaperError(f"snapshot steps must lie in [0, {train_config.steps}], got {steps}")
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    where = root / "paper" / cache_key(model_config, train_config, source)
    files = {s: _snapshot_file(where, s) for s in steps} if where.is_dir() else dict.fromkeys(steps)
    missing = [s for s in steps if files[s] is None]
    if missing:
        where.mkdir(parents=True, exist_ok=True)
        run = where / "train"
        resume = True
        try:
            reached = load_checkpoint(run)["step"] if (run / CHECKPOINT_FILE).is_file() else 0
        except CheckpointError as e:
            discard_cache_entry(run, str(e))
            reached = 0
        if any(0 < s <= reached for s in missing):  # a snapshot before the checkpoint is lost: start over
            shutil.rmtree(run, ignore_errors=True)
            resume = False
        model = TinyGPT(model_config, seed=train_config.seed)
        if 0 in missing:
            _save_snapshot(where, 0, model)

        def snap(step: int, loss: float) -> None:
            if step in missing:
                _save_snapshot(where, step, model)

        train(model, source, train_config, checkpoint_dir=run, resume=resume, device=device, progress=progress, callback=snap)
        files = {s: _snapshot_file(where, s) for s in steps}
    out = []
    for s in steps:
        f = files[s]
        if f is None:  # pragma: no cover - written just above
            raise CheckpointError(f"the snapshot of step {s} could not be written to {where}")
        out.append((s, _load_snapshot(f, model_config).to(device).eval()))
    return out
