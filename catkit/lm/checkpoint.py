"""Checkpoints of catkit's own model: one directory, one ``checkpoint.pt``, written atomically.

A checkpoint holds the model config and weights, the optimiser state, the step reached,
the training config, the source's spec and the loss history, so that :func:`catkit.lm.train`
resumes exactly where an interrupted run stopped, and :func:`load_model` rebuilds the model.

>>> import tempfile, torch
>>> from catkit.lm import GPTConfig, TinyGPT
>>> m = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
>>> d = tempfile.mkdtemp()
>>> _ = save_checkpoint(d, m, step=0)
>>> bool(torch.equal(load_model(d).W, m.W))
True
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from catkit.lm.errors import LMError
from catkit.lm.model import GPTConfig, TinyGPT

__all__ = ["CheckpointError", "save_checkpoint", "load_checkpoint", "load_model", "is_catkit_checkpoint", "CHECKPOINT_FILE"]

CHECKPOINT_FILE = "checkpoint.pt"
_FORMAT = "catkit-lm-checkpoint/1"


class CheckpointError(LMError):
    """A checkpoint that is missing, unreadable or does not match the run that wants it.

    >>> try:
    ...     load_checkpoint("/nonexistent/dir")
    ... except CheckpointError as e:
    ...     print(e)
    no catkit checkpoint at /nonexistent/dir (expected /nonexistent/dir/checkpoint.pt)
    """


def is_catkit_checkpoint(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a directory holding a catkit checkpoint.

    >>> is_catkit_checkpoint("/nonexistent")
    False
    """
    return (Path(path) / CHECKPOINT_FILE).is_file()


def save_checkpoint(
    directory: str | os.PathLike[str], model: TinyGPT, *, step: int, optimizer: torch.optim.Optimizer | None = None,
    train_config: dict[str, Any] | None = None, source_spec: dict[str, Any] | None = None,
    history: list[tuple[int, float]] | None = None, done: bool = False,
) -> Path:
    """Write ``directory/checkpoint.pt`` atomically (a temporary file, then a rename); returns its path.

    >>> import tempfile
    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> p = save_checkpoint(tempfile.mkdtemp(), TinyGPT(GPTConfig(vocab_size=2, d_model=8, n_head=2)), step=3)
    >>> load_checkpoint(p.parent)["step"]
    3
    """
    d = Path(directory)
    d.mkdir(parents=True, exist_ok=True)
    state = {
        "format": _FORMAT,
        "model_config": model.config.to_dict(),
        "model": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "optimizer": optimizer.state_dict() if optimizer is not None else None,
        "step": int(step),
        "train_config": train_config,
        "source": source_spec,
        "history": list(history or []),
        "done": bool(done),
        "torch_rng": torch.get_rng_state(),
    }
    tmp = d / (CHECKPOINT_FILE + f".tmp{os.getpid()}")
    torch.save(state, tmp)
    os.replace(tmp, d / CHECKPOINT_FILE)
    return d / CHECKPOINT_FILE


def load_checkpoint(directory: str | os.PathLike[str], map_location: Any = "cpu") -> dict[str, Any]:
    """The checkpoint dict written by :func:`save_checkpoint`.

    >>> load_checkpoint.__name__
    'load_checkpoint'
    """
    path = Path(directory) / CHECKPOINT_FILE
    if not path.is_file():
        raise CheckpointError(f"no catkit checkpoint at {directory} (expected {path})")
    try:
        state = torch.load(path, map_location=map_location, weights_only=False)
    except Exception as e:  # a truncated or foreign file
        raise CheckpointError(f"cannot read the checkpoint {path}: {e}") from None
    if not isinstance(state, dict) or state.get("format") != _FORMAT:
        raise CheckpointError(f"{path} is not a catkit LM checkpoint")
    return state


def load_model(directory: str | os.PathLike[str], *, device: Any = "cpu") -> TinyGPT:
    """The :class:`TinyGPT` saved in a checkpoint directory, on ``device``, in eval mode.

    >>> load_model.__name__
    'load_model'
    """
    state = load_checkpoint(directory)
    model = TinyGPT(GPTConfig.from_dict(state["model_config"]), seed=None)
    model.load_state_dict(state["model"])
    return model.to(device).eval()
