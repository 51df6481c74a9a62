"""Ready-made models, trained once and cached on disk (keyed by a hash of everything that defines them).

:func:`default_model` is the embedded default: :data:`DEFAULT_MODEL` (about 60k parameters) trained
with :data:`DEFAULT_TRAIN` on :func:`~catkit.sources.default_source`; on 2 idle CPU cores it trains in
about a minute the first time (0.05 s per step; much longer on a busy machine) and its KL term
``E KL(P_data ‖ P_θ)`` is about 0.002 nats: the cross-entropy on later positions matches the entropy
rate (1.1364 nats) within the 0.002-nat noise of :func:`~catkit.lm.evaluate` on 4096 sequences.
:func:`tiny_model` is a seconds-long run on :func:`~catkit.sources.tiny_source`.  Both are presets of
:mod:`catkit.lm.presets` (:func:`preset_model` trains any of them); :func:`pretrained` does the same for
any source and configs.

The cache lives in ``$CATKIT_CACHE_DIR`` (default ``~/.cache/catkit``) under ``lm/<key>/``, where
the key hashes the model config, the training config, the source's exact parameters and a format
version.  An interrupted training run leaves a checkpoint there and the next call resumes it.
Training is deterministic on CPU, so every machine computes the same weights for a key.  A cache
entry that fails its checksum (a truncated or altered file) or is not in catkit's current format is
reported (:class:`CacheRebuildWarning`) and rebuilt; nothing in the cache is ever unpickled.

>>> k = cache_key(TINY_MODEL, TINY_TRAIN, __import__("catkit.sources", fromlist=["x"]).tiny_source())
>>> len(k)
16
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from catkit.lm.checkpoint import is_catkit_checkpoint, load_checkpoint, model_from_state
from catkit.lm.errors import CacheRebuildWarning, CheckpointError, LMError
from catkit.lm.model import GPTConfig, TinyGPT
from catkit.lm.presets import DEFAULT_MODEL, DEFAULT_TRAIN, TINY_MODEL, TINY_TRAIN, get_preset
from catkit.lm.trainer import TrainConfig, train
from catkit.sources import FiniteStateSource

__all__ = [
    "DEFAULT_MODEL", "DEFAULT_TRAIN", "TINY_MODEL", "TINY_TRAIN", "cache_root", "cache_key", "pretrained", "preset_model",
    "default_model", "tiny_model", "discard_cache_entry",
]

_CACHE_VERSION = 2  # 2: safetensors + JSON checkpoints (version 1 entries were pickles and are never read)

_PROGRESS_TOKENS = 10**6  # preset runs longer than this many training tokens show a progress bar by default


def cache_root() -> Path:
    """The cache directory: ``$CATKIT_CACHE_DIR`` or ``~/.cache/catkit``.

    >>> isinstance(cache_root(), Path)
    True
    """
    env = os.environ.get("CATKIT_CACHE_DIR")
    return Path(env) if env else Path.home() / ".cache" / "catkit"


def cache_key(model_config: GPTConfig, train_config: TrainConfig, source: FiniteStateSource) -> str:
    """16 hex digits hashing the model config, the training config and the source's exact spec.

    >>> from catkit.sources import default_source
    >>> cache_key(DEFAULT_MODEL, DEFAULT_TRAIN, default_source()) == cache_key(DEFAULT_MODEL, DEFAULT_TRAIN, default_source())
    True
    """
    blob = {"version": _CACHE_VERSION, "model": model_config.to_dict(), "train": train_config.to_dict(), "source": source.spec()}
    return hashlib.sha256(json.dumps(blob, sort_keys=True).encode()).hexdigest()[:16]


def pretrained(
    source: FiniteStateSource, model_config: GPTConfig, train_config: TrainConfig, *, device: Any = "cpu",
    cache_dir: str | os.PathLike[str] | None = None, train_if_missing: bool = True, progress: bool = False,
) -> TinyGPT:
    """The model of ``model_config`` trained with ``train_config`` on ``source``: loaded from the cache when a
    finished run is there, else trained (resuming a partial run) and cached.  Returned on ``device``, in eval mode.

    >>> import tempfile
    >>> from catkit.sources import tiny_source
    >>> m = pretrained(tiny_source(), TINY_MODEL, TrainConfig(steps=2, batch_size=2, seq_len=4), cache_dir=tempfile.mkdtemp())
    >>> m.config == TINY_MODEL
    True
    """
    root = Path(cache_dir) if cache_dir is not None else cache_root()
    where = root / "lm" / cache_key(model_config, train_config, source)
    if is_catkit_checkpoint(where):
        try:
            state = load_checkpoint(where)
            if state.get("done") and state["step"] == train_config.steps:
                return model_from_state(state, device=device, where=where)
        except CheckpointError as e:
            discard_cache_entry(where, str(e))
    if not train_if_missing:
        raise LMError(f"no cached model at {where} and train_if_missing=False")
    model = TinyGPT(model_config, seed=train_config.seed)
    train(model, source, train_config, checkpoint_dir=where, device=device, progress=progress)
    return model.eval()




def discard_cache_entry(where: str | os.PathLike[str], why: str) -> None:
    """Report an unusable cache entry (a :class:`CacheRebuildWarning`) and remove it, so that it is rebuilt.

    >>> import tempfile, warnings
    >>> d = Path(tempfile.mkdtemp()) / "entry"; d.mkdir()
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     discard_cache_entry(d, "checksum mismatch")
    >>> d.exists(), str(w[0].message).startswith("the cache entry")
    (False, True)
    """
    import shutil
    import warnings

    warnings.warn(f"the cache entry {where} is unusable ({why}); rebuilding it", CacheRebuildWarning, stacklevel=3)
    shutil.rmtree(where, ignore_errors=True)


def preset_model(name: str, *, device: Any = "cpu", cache_dir: str | os.PathLike[str] | None = None,
                 train_if_missing: bool = True, progress: bool | None = None) -> TinyGPT:
    """The model of a preset (:func:`~catkit.lm.presets.get_preset`) trained on its source, cached like
    :func:`pretrained`; ``progress=None`` shows a progress bar for runs of more than 10⁶ training tokens.

    >>> import tempfile
    >>> preset_model("tiny", cache_dir=tempfile.mkdtemp(), train_if_missing=False)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: no cached model at ... and train_if_missing=False
    """
    p = get_preset(name)
    t = p.train_config
    show = t.steps * t.batch_size * t.seq_len > _PROGRESS_TOKENS if progress is None else progress
    return pretrained(p.make_source(), p.model_config, t, device=device, cache_dir=cache_dir,
                      train_if_missing=train_if_missing, progress=show)


def default_model(*, device: Any = "cpu", cache_dir: str | os.PathLike[str] | None = None, train_if_missing: bool = True,
                  progress: bool = True) -> TinyGPT:
    """The embedded default model on the default source (trained and cached on first use; see the module docstring).

    >>> default_model.__name__
    'default_model'
    """
    return preset_model("default", device=device, cache_dir=cache_dir, train_if_missing=train_if_missing, progress=progress)


def tiny_model(*, device: Any = "cpu", cache_dir: str | os.PathLike[str] | None = None, train_if_missing: bool = True,
               progress: bool = False) -> TinyGPT:
    """A tiny model trained for a few seconds on the tiny source (cached like the default).

    >>> import tempfile
    >>> tiny_model(cache_dir=tempfile.mkdtemp(), train_if_missing=False)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: no cached model at ... and train_if_missing=False
    """
    return preset_model("tiny", device=device, cache_dir=cache_dir, train_if_missing=train_if_missing, progress=progress)
