"""Compute resources: the torch device named by a user (checked before any work), and torch's CPU thread
count, set for a block and restored after.

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
from typing import Any

import torch

from catkit.lm.errors import LMError

__all__ = ["torch_threads", "resolve_device"]


def resolve_device(device: Any) -> torch.device:
    """The torch device named by ``device`` (a string, a :class:`torch.device` or ``None`` for the CPU), checked
    to exist on this machine *before* any computation, with one clear :class:`LMError` otherwise.

    >>> resolve_device("cpu"), resolve_device(None)
    (device(type='cpu'), device(type='cpu'))
    >>> resolve_device("bogus")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: unknown device 'bogus': use cpu, cuda, cuda:N or mps (see torch.device)
    """
    if device is None:
        return torch.device("cpu")
    if isinstance(device, torch.device):
        dev = device
    else:
        if not isinstance(device, str) or len(device) > 40:
            raise LMError(f"a device is a name such as 'cpu' or 'cuda:0', got {str(device)[:40]!r}")
        try:
            dev = torch.device(device)
        except (RuntimeError, ValueError, TypeError):
            raise LMError(f"unknown device {device!r}: use cpu, cuda, cuda:N or mps (see torch.device)") from None
    if dev.type == "cuda":
        if not torch.backends.cuda.is_built():
            raise LMError(f"device {str(dev)!r}: this torch build ({torch.__version__}) has no CUDA support; use --device cpu")
        if not torch.cuda.is_available():
            raise LMError(f"device {str(dev)!r}: no CUDA GPU is available on this machine; use --device cpu")
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise LMError(f"device {str(dev)!r}: this machine has {torch.cuda.device_count()} CUDA device(s)")
    elif dev.type == "mps":
        if not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
            raise LMError(f"device {str(dev)!r}: MPS is not available on this machine; use --device cpu")
    elif dev.type == "meta":
        raise LMError("the meta device holds no values; use cpu or cuda")
    elif dev.type != "cpu":
        raise LMError(f"device {str(dev)!r} is not supported: use cpu, cuda or mps")
    return dev


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
