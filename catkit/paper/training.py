"""The trained models the LM mode runs on: the cached default model and snapshots along its training.

Training is deterministic on CPU, so the snapshots (state dicts at chosen steps, a few hundred KB)
are cached beside the model in ``$CATKIT_CACHE_DIR/paper/<key>/`` and a second report run trains nothing.

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

import copy
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

from catkit.lm.defaults import cache_key, cache_root
from catkit.lm.model import GPTConfig, TinyGPT
from catkit.lm.trainer import TrainConfig, train
from catkit.sources import FiniteStateSource

__all__ = ["training_snapshots", "DEFAULT_SNAPSHOTS"]

#: training steps at which the report looks at the default model
DEFAULT_SNAPSHOTS = (0, 25, 50, 100, 200, 400, 700, 1000)


def training_snapshots(
    source: FiniteStateSource, model_config: GPTConfig, train_config: TrainConfig, steps: Sequence[int], *,
    device: Any = "cpu", cache_dir: str | os.PathLike[str] | None = None, progress: bool = True,
) -> list[tuple[int, TinyGPT]]:
    """Models at the given training steps (the last one is the fully trained model when it is ``train_config.steps``).

    Trained once with a callback that copies the weights at those steps, then cached.

    Step 0 is the initialisation; a second call loads the cached file instead of training:

    >>> import tempfile
    >>> from catkit.lm.defaults import TINY_MODEL
    >>> from catkit.sources import tiny_source
    >>> cfg = TrainConfig(steps=2, batch_size=2, seq_len=8)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     (_, m0), (_, m2) = training_snapshots(tiny_source(), TINY_MODEL, cfg, [2, 0], cache_dir=d, progress=False)
    ...     cached = [p.name for p in Path(d).glob("paper/*/*.pt")]
    ...     again = training_snapshots(tiny_source(), TINY_MODEL, cfg, [0, 2], cache_dir=d, progress=False)[1][1]  # from the cache
    >>> torch.equal(m0.W, TinyGPT(TINY_MODEL, seed=cfg.seed).W), torch.equal(m0.W, m2.W), torch.equal(again.W, m2.W)
    (True, False, True)
    >>> cached
    ['snapshots-0-2.pt']
    >>> training_snapshots(tiny_source(), TINY_MODEL, cfg, [3])
    Traceback (most recent call last):
    ...
    ValueError: snapshot steps must lie in [0, 2], got [3]
    """
    steps = sorted(set(int(s) for s in steps))
    if steps and (steps[0] < 0 or steps[-1] > train_config.steps):
        raise ValueError(f"snapshot steps must lie in [0, {train_config.steps}], got {steps}")
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    where = root / "paper" / cache_key(model_config, train_config, source)
    file = where / f"snapshots-{'-'.join(map(str, steps))}.pt"
    if file.exists():
        states = torch.load(file, map_location="cpu", weights_only=True)
    else:
        model = TinyGPT(model_config, seed=train_config.seed)
        states = {}
        if 0 in steps:
            states[0] = copy.deepcopy(model.state_dict())

        def snap(step: int, loss: float) -> None:
            if step in steps:
                states[step] = {k: v.detach().to("cpu").clone() for k, v in model.state_dict().items()}

        train(model, source, train_config, device=device, progress=progress, callback=snap)
        where.mkdir(parents=True, exist_ok=True)
        tmp = file.with_suffix(".tmp")
        torch.save(states, tmp)
        os.replace(tmp, file)
    out = []
    for s in steps:
        m = TinyGPT(model_config)
        m.load_state_dict(states[s])
        out.append((s, m.to(device).eval()))
    return out
