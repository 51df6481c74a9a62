"""Loading what a command line or a config names: a model (:func:`load_lm`) and a source
(:func:`~catkit.sources.load_source`, re-exported here).

A model is a preset's name (:data:`~catkit.lm.presets.PRESETS`: trained on its source and cached on
first use, see :func:`~catkit.lm.defaults.preset_model`), a catkit checkpoint directory, or a Hugging
Face model directory (an adapter is returned).  Whatever fails to load ends in one
:class:`~catkit.lm.errors.LMError` (or another :class:`~catkit.errors.CatkitError`), never a
library's traceback, so that a command line can report it in one line.

>>> load_source("tiny").V
3
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from catkit.errors import CatkitError
from catkit.lm.adapters import as_adapter
from catkit.lm.defaults import preset_model
from catkit.lm.errors import LMError
from catkit.lm.presets import PRESETS
from catkit.sources import load_source

__all__ = ["load_lm", "load_source", "quiet_transformers"]


@contextmanager
def quiet_transformers() -> Iterator[None]:
    """transformers logs config warnings to stderr while loading; a command line reports one line instead.

    >>> with quiet_transformers():
    ...     pass
    """
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - the [lm] extra without transformers
        yield
        return
    before = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(before)


def load_lm(name: str, device: str | None) -> Any:
    """The model named ``name``: a preset (``default``, ``tiny``: trained and cached on first use), or a catkit or
    Hugging Face checkpoint directory (an adapter is returned).

    A directory that cannot be loaded (a Hugging Face folder without weights, a checkpoint whose config
    disagrees with its weights) is one :class:`~catkit.lm.errors.LMError`, never a library's traceback.

    >>> load_lm("/nonexistent", "cpu")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: /nonexistent is neither a catkit checkpoint directory nor a Hugging Face model directory (no config.json)
    """
    if name in PRESETS:
        return preset_model(name, device=device)
    try:
        with quiet_transformers():
            return as_adapter(name).to(device)
    except CatkitError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, ImportError) as e:  # the loader of a foreign format
        msg = " ".join(str(e).split())[:300]
        raise LMError(f"cannot load the model in {name}: {type(e).__name__}: {msg}") from None
