"""Compute resources: torch's CPU thread count, set for a block and restored after.

Small models gain nothing from intra-op threads, and on a busy machine (or under ``pytest -n``)
extra threads spin and slow everything down: running them with one thread is often several
times faster.

>>> import torch
>>> before = torch.get_num_threads()
>>> with torch_threads(1):
...     torch.get_num_threads()
1
>>> torch.get_num_threads() == before
True
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from catkit.lm.errors import LMError

__all__ = ["torch_threads"]


@contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(n)`` (``None``: leave it as it is), then restore.

    >>> with torch_threads(None):
    ...     pass
    >>> with torch_threads(0):
    ...     pass
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: torch_threads needs n >= 1 (or None), got 0
    """
    if n is None:
        yield
        return
    if n < 1:
        raise LMError(f"torch_threads needs n >= 1 (or None), got {n}")
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)
