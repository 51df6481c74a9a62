"""Errors and warnings of the LM bridge; each is a :class:`~catkit.errors.CatkitError` and the matching built-in.

>>> issubclass(VocabMismatchError, ValueError), issubclass(HeadNotFoundError, TypeError)
(True, True)
"""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = [
    "LMError",
    "VocabMismatchError",
    "ContextTooLongError",
    "HeadNotFoundError",
    "HeadBiasWarning",
    "ChunkSizeWarning",
    "TooLargeError",
    "ModelConfigError",
    "CheckpointError",
    "IncompatibleModelError",
    "CacheRebuildWarning",
]


class LMError(CatkitError, ValueError):
    """Bad input to the LM bridge (the message names the offending thing).

    >>> str(LMError("boom"))
    'boom'
    """


class VocabMismatchError(LMError):
    """A model's vocabulary does not match the source's (or the contexts').

    >>> issubclass(VocabMismatchError, LMError)
    True
    """


class ContextTooLongError(LMError):
    """A context longer than the model's positions (BOS included).

    >>> issubclass(ContextTooLongError, ValueError)
    True
    """


class HeadNotFoundError(CatkitError, TypeError):
    """An adapter could not find a linear unembedding head ``logits = W h (+ b)``.

    >>> issubclass(HeadNotFoundError, TypeError)
    True
    """


class TooLargeError(LMError):
    """A dense object (e.g. the N × N' encoder matrix) was asked for beyond the size limit; stream instead.

    >>> issubclass(TooLargeError, LMError)
    True
    """


class HeadBiasWarning(UserWarning):
    """The head has a bias: ``k_head(h) = softmax(W h + b)`` is not the paper's bias-free log-linear head.

    >>> issubclass(HeadBiasWarning, UserWarning)
    True
    """


class ChunkSizeWarning(RuntimeWarning):
    """A chunk ran out of memory; the chunk size was halved and the computation continued.

    >>> issubclass(ChunkSizeWarning, RuntimeWarning)
    True
    """


class ModelConfigError(CatkitError, ValueError):
    """A model configuration that cannot be built (the message names the field).

    >>> from catkit.lm import GPTConfig
    >>> try:
    ...     GPTConfig(vocab_size=4, d_model=10, n_head=3)
    ... except ModelConfigError as e:
    ...     print(e)
    d_model (10) must be a multiple of n_head (3)
    """


class CheckpointError(LMError):
    """A checkpoint that is missing, unreadable, corrupt or does not match the run that wants it.

    >>> from catkit.lm import load_checkpoint
    >>> try:
    ...     load_checkpoint("/nonexistent/dir")
    ... except CheckpointError as e:
    ...     print(e)
    no catkit checkpoint at /nonexistent/dir (expected /nonexistent/dir/checkpoint.json)
    """


class IncompatibleModelError(LMError):
    """A model that cannot be evaluated on a source as asked; the message says which option would fix it.

    >>> issubclass(IncompatibleModelError, ValueError)
    True
    """


class CacheRebuildWarning(UserWarning):
    """A cache entry was unusable (corrupt, truncated, foreign format) and is being rebuilt.

    >>> issubclass(CacheRebuildWarning, UserWarning)
    True
    """
