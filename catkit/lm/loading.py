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

import os
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
    """transformers logs config warnings (and draws a progress bar over the weights) on stderr while loading; a
    command line reports one line instead.

    >>> with quiet_transformers():
    ...     pass
    """
    try:
        from transformers.utils import logging as hf_logging
    except ImportError:  # pragma: no cover - the [lm] extra without transformers
        yield
        return
    before, bar = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled()
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        hf_logging.set_verbosity(before)
        if bar:
            hf_logging.enable_progress_bar()


def load_lm(name: str | os.PathLike[str], device: str | None, *, bos_token_id: int | None = None, vocab_size: int | None = None) -> Any:
    """The model named ``name``: a preset (``default``, ``tiny``: trained and cached on first use), or a catkit or
    Hugging Face checkpoint directory (an adapter is returned).

    ``bos_token_id`` and ``vocab_size`` (the command lines' ``--bos-token-id`` and ``--vocab-size``) go to the
    adapter of a Hugging Face directory, which does not know them; a catkit model knows its own, and
    :func:`~catkit.lm.load_checked` is the loader that checks them against it.
    A directory that cannot be loaded (a Hugging Face folder without weights, a checkpoint whose config
    disagrees with its weights) is one :class:`~catkit.lm.errors.LMError`, never a library's traceback.

    >>> load_lm("/nonexistent", "cpu")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: /nonexistent is neither a catkit checkpoint directory nor a Hugging Face model directory (no config.json)
    """
    if isinstance(name, str) and name in PRESETS:
        return preset_model(name, device=device)
    options = {k: v for k, v in (("bos_token_id", bos_token_id), ("vocab_size", vocab_size)) if v is not None}
    try:
        with quiet_transformers():
            return as_adapter(name, **options).to(device)
    except CatkitError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, ImportError) as e:  # the loader of a foreign format
        msg = " ".join(str(e).split())[:300]
        raise LMError(f"cannot load the model in {name}: {type(e).__name__}: {msg}") from None
