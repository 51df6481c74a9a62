"""Is this model fit for this source?  Checked before anything long runs.

``catkit report --model DIR`` used to find out that a model predicts 5 tokens for a 4-token source
only after the exact mode had run.  :func:`load_checked` loads a model (a catkit checkpoint, a Hugging
Face directory or causal LM, a TransformerLens ``HookedTransformer``, a callable) with its BOS and
vocabulary options and runs :func:`check_compatible` on it: the vocabulary matches the source's,
contexts of the length asked for fit the model's positions, and one forward pass on such a context
succeeds with finite outputs.  Each failure is one :class:`IncompatibleModelError` that says what to pass.
:func:`checkpoint_source` reads the source a catkit checkpoint was trained on.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> from catkit.sources import default_source, tiny_source
>>> model = TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2))
>>> load_checked(model, tiny_source(), 2).describe()
'catkit TinyGPT: V=3, d=8, contexts up to 63 tokens, BOS=3, bias-free head'
>>> load_checked(model, default_source(), 2)
Traceback (most recent call last):
...
catkit.lm.errors.IncompatibleModelError: catkit TinyGPT predicts 3 tokens but the source 'default' has 4; ...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import torch

from catkit.lm.adapters import LMAdapter, as_adapter
from catkit.lm.checkpoint import is_catkit_checkpoint, load_checkpoint
from catkit.lm.errors import IncompatibleModelError, LMError
from catkit.lm.model import TinyGPT

__all__ = ["check_compatible", "load_checked", "checkpoint_source", "resolve_source"]




def checkpoint_source(path: str | os.PathLike[str]) -> Any:
    """The source a catkit checkpoint was trained on (``None`` for a Hugging Face directory, or a checkpoint
    saved without one).

    >>> import tempfile
    >>> from catkit.lm import GPTConfig, TinyGPT, save_checkpoint
    >>> from catkit.sources import tiny_source
    >>> d = tempfile.mkdtemp()
    >>> _ = save_checkpoint(d, TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), step=0, source_spec=tiny_source().spec())
    >>> checkpoint_source(d).prob("abc") == tiny_source().prob("abc"), checkpoint_source(tempfile.mkdtemp())
    (True, None)
    """
    if not is_catkit_checkpoint(path):
        return None
    spec = load_checkpoint(path).get("source")
    if spec is None:
        return None
    from catkit.sources import FiniteStateSource

    return FiniteStateSource.from_spec(spec)


def load_checked(
    model: Any, source: Any, length: int, *, device: Any = "cpu", bos_token_id: int | None = None, vocab_size: int | None = None,
) -> LMAdapter:
    """The adapter of ``model``, on ``device``, checked against ``source`` for contexts of ``length`` tokens.

    ``model`` is anything :func:`~catkit.lm.as_adapter` takes, or ``"default"``/``"tiny"`` (catkit's cached models).
    ``bos_token_id`` and ``vocab_size`` are for models that do not know them (Hugging Face, TransformerLens,
    callables); a catkit model knows its own, and contradicting them is an error.

    >>> from transformers import GPT2Config, GPT2LMHeadModel
    >>> from catkit.sources import default_source
    >>> hf = GPT2LMHeadModel(GPT2Config(vocab_size=5, n_positions=8, n_embd=8, n_layer=1, n_head=2))
    >>> load_checked(hf, default_source(), 3, bos_token_id=4, vocab_size=4).vocab_size
    4
    >>> load_checked(hf, default_source(), 3)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.IncompatibleModelError: Hugging Face GPT2LMHeadModel predicts 5 tokens but the source 'default' has 4; ...
    """
    options = {k: v for k, v in (("bos_token_id", bos_token_id), ("vocab_size", vocab_size)) if v is not None}
    where = None if device is None else str(device)
    from catkit.lm.loading import load_lm, refuse_contradicting_options
    from catkit.lm.presets import PRESETS

    if isinstance(model, str) and model in PRESETS:
        model = load_lm(model, where)
    catkit_model = isinstance(model, TinyGPT) or (isinstance(model, (str, os.PathLike)) and is_catkit_checkpoint(model))
    if catkit_model:  # a checkpoint directory is loaded as a command line's is (one LMError for what cannot be read)
        adapter = as_adapter(load_lm(model, where) if isinstance(model, (str, os.PathLike)) else model)
        refuse_contradicting_options(adapter, options, _name(model))
    else:
        try:  # the adapter runs a probe batch (BOS included) when it is built
            adapter = load_lm(model, where, **options) if isinstance(model, (str, os.PathLike)) else as_adapter(model, **options)
        except (IndexError, RuntimeError) as e:
            raise IncompatibleModelError(f"{_name(model)} fails on a probe batch with {options}: {str(e).splitlines()[0]}") from None
    adapter.to(device)
    check_compatible(adapter, source, length)
    return adapter


def check_compatible(adapter: LMAdapter, source: Any, length: int) -> None:
    """Raise :class:`IncompatibleModelError` unless the adapter can be lifted on ``source``'s contexts of ``length``
    tokens: the same vocabulary, contexts within the model's positions, and one forward pass with finite outputs.

    >>> from catkit.lm import GPTConfig, TinyGPT, as_adapter
    >>> from catkit.sources import tiny_source
    >>> a = as_adapter(TinyGPT(GPTConfig(vocab_size=3, n_positions=3, d_model=8, n_head=2)))
    >>> check_compatible(a, tiny_source(), 2)
    >>> check_compatible(a, tiny_source(), 3)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.IncompatibleModelError: contexts of 3 tokens are longer than catkit TinyGPT reads (2 tokens: 3 positions with BOS)
    """
    V = source.V
    if adapter.vocab_size != V:
        hint = (f"pass vocab_size={V} (--vocab-size {V}) to keep the model's first {V} outputs, and bos_token_id "
                "(--bos-token-id) if one of the others is its BOS token" if adapter.vocab_size > V
                else "a model with fewer outputs than the source's tokens cannot be evaluated on it")
        raise IncompatibleModelError(f"{adapter.name} predicts {adapter.vocab_size} tokens but the source {source.name!r} has {V}; {hint}")
    try:
        adapter.check_length(length)
    except LMError as e:
        raise IncompatibleModelError(str(e)) from None
    ids = torch.zeros((1, length), dtype=torch.long)
    try:
        h, z = adapter.last(ids)
    except (IndexError, RuntimeError) as e:  # e.g. a BOS id outside the model's input vocabulary
        bos = f" with bos_token_id={adapter.bos_token_id}" if adapter.bos_token_id is not None else ""
        raise IncompatibleModelError(f"{adapter.name} fails on a context of {length} tokens{bos}: {str(e).splitlines()[0]}") from None
    if tuple(z.shape) != (1, V) or not bool(torch.isfinite(z).all()) or not bool(torch.isfinite(h).all()):
        raise IncompatibleModelError(f"{adapter.name} gives logits of shape {tuple(z.shape)} (finite: {bool(torch.isfinite(z).all())}) "
                                     f"on a context of {length} tokens; expected {(1, V)}, finite")


def _name(model: Any) -> str:
    return str(Path(model)) if isinstance(model, (str, os.PathLike)) else type(model).__name__


def resolve_source(model: Any, source: Any = None) -> tuple[Any, str | None]:
    """The source to evaluate ``model`` on: ``source`` when given, else the one stored in a catkit checkpoint
    (``None`` when there is neither); and a note when both exist and differ.

    >>> import tempfile
    >>> from catkit.lm import GPTConfig, TinyGPT, save_checkpoint
    >>> from catkit.sources import HMM, tiny_source
    >>> d = tempfile.mkdtemp()
    >>> _ = save_checkpoint(d, TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), step=0, source_spec=tiny_source().spec())
    >>> resolve_source(d)[0].name, resolve_source(d)[1]
    ('tiny', None)
    >>> other = HMM([["1/2", "1/2"], ["1/2", "1/2"]], [["1/3", "1/3", "1/3"]] * 2, name="flat")
    >>> resolve_source(d, other)[1]
    "the checkpoint was trained on source 'tiny'; it is evaluated on 'flat' as asked"
    """
    stored = checkpoint_source(model) if isinstance(model, (str, os.PathLike)) else None
    if source is None:
        return stored, None
    if stored is not None and stored.spec() != source.spec():
        return source, f"the checkpoint was trained on source {stored.name!r}; it is evaluated on {source.name!r} as asked"
    return source, None
