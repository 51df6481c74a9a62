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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from catkit.errors import CatkitError
from catkit.lm.adapters import as_adapter
from catkit.lm.defaults import preset_model
from catkit.lm.errors import IncompatibleModelError, LMError
from catkit.lm.presets import PRESETS
from catkit.sources import load_source

__all__ = ["load_lm", "load_source", "quiet_transformers", "refuse_contradicting_options"]


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


def refuse_contradicting_options(adapter: Any, options: Mapping[str, int], name: str) -> None:
    """Raise :class:`~catkit.lm.errors.IncompatibleModelError` where ``options`` (``bos_token_id``,
    ``vocab_size``) contradict what the model behind ``adapter`` says of itself: a catkit model knows its own,
    and an option it would ignore is refused rather than dropped silently.

    >>> from catkit.lm import GPTConfig, TinyGPT, as_adapter
    >>> a = as_adapter(TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2)))
    >>> refuse_contradicting_options(a, {"vocab_size": 3}, "m")  # agreement is fine
    >>> refuse_contradicting_options(a, {"bos_token_id": 0}, "m")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.IncompatibleModelError: m is a catkit model with bos_token_id=3; drop bos_token_id= (--bos-token-id) (a catkit model knows its own)
    """
    own = {"bos_token_id": adapter.bos_token_id, "vocab_size": adapter.vocab_size}
    wrong = [k for k, v in options.items() if own[k] != v]
    if wrong:
        raise IncompatibleModelError(
            f"{name} is a catkit model with {', '.join(f'{k}={own[k]}' for k in wrong)}; "
            f"drop {', '.join(_flag(k) for k in wrong)} (a catkit model knows its own)"
        )


def _flag(option: str) -> str:
    return f"{option}= (--{option.replace('_', '-')})"


def load_lm(name: str | os.PathLike[str], device: str | None, *, bos_token_id: int | None = None, vocab_size: int | None = None) -> Any:
    """The model named ``name``: a preset (``default``, ``tiny``: trained and cached on first use), or a catkit or
    Hugging Face checkpoint directory (an adapter is returned).

    ``bos_token_id`` and ``vocab_size`` (the command lines' ``--bos-token-id`` and ``--vocab-size``) go to the
    adapter of a Hugging Face directory, which does not know them; a catkit model (a preset or checkpoint)
    knows its own, and options that contradict them are refused (:func:`refuse_contradicting_options`).
    A directory that cannot be loaded (a Hugging Face folder without weights, a checkpoint whose config
    disagrees with its weights) is one :class:`~catkit.lm.errors.LMError`, never a library's traceback.

    >>> load_lm("/nonexistent", "cpu")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: /nonexistent is neither a catkit checkpoint directory nor a Hugging Face model directory (no config.json)
    """
    options = {k: v for k, v in (("bos_token_id", bos_token_id), ("vocab_size", vocab_size)) if v is not None}
    if isinstance(name, str) and name in PRESETS:
        model = preset_model(name, device=device)
        if options:
            refuse_contradicting_options(as_adapter(model), options, repr(name))
        return model
    try:
        with quiet_transformers():
            adapter = as_adapter(name, **options).to(device)
        refuse_contradicting_options(adapter, options, str(name))  # a catkit checkpoint's adapter ignores them
        return adapter
    except CatkitError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, ImportError, IndexError) as e:  # a foreign loader
        msg = " ".join(str(e).split())[:300]
        if options and isinstance(e, (IndexError, RuntimeError)):  # the adapter's probe batch (BOS included)
            raise IncompatibleModelError(f"{name} fails on a probe batch with {options}: {msg}") from None
        raise LMError(f"cannot load the model in {name}: {type(e).__name__}: {msg}") from None
