"""Chunked evaluation under a memory budget, with out-of-memory recovery.

Work over many contexts runs in chunks.  The chunk size comes from the user (``chunk_size``) or
from a memory budget in bytes (``memory_budget``; default: 256 MiB on CPU, half the free memory on
CUDA) and a rough per-context estimate.  When a chunk raises an out-of-memory error (torch's
``OutOfMemoryError`` or a ``RuntimeError`` saying "out of memory"), the chunk size is halved, a
:class:`~catkit.lm.ChunkSizeWarning` says so, and the same chunk is retried.

>>> out = [r for _, _, r in run_chunked(lambda a, b: list(range(a, b)), 5, 2)]
>>> out
[[0, 1], [2, 3], [4]]
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import torch

from catkit.lm.errors import ChunkSizeWarning, LMError

__all__ = ["run_chunked", "is_oom", "chunk_size_for", "default_memory_budget", "ChunkPlan"]

T = TypeVar("T")

_CPU_BUDGET = 256 * 2**20


def is_oom(err: BaseException) -> bool:
    """Whether an exception is an out-of-memory error (CUDA, MPS or a CPU allocation failure).

    >>> is_oom(torch.OutOfMemoryError("CUDA out of memory")), is_oom(ValueError("x"))
    (True, False)
    """
    oom_type = getattr(torch, "OutOfMemoryError", None) or getattr(torch.cuda, "OutOfMemoryError", ())
    if oom_type and isinstance(err, oom_type):
        return True
    return isinstance(err, (RuntimeError, MemoryError)) and ("out of memory" in str(err).lower() or isinstance(err, MemoryError))


def default_memory_budget(device: Any) -> int:
    """Bytes a chunk may use: half the free memory on CUDA, 256 MiB elsewhere.

    >>> default_memory_budget("cpu") == 256 * 2**20
    True
    """
    dev = torch.device(device)
    if dev.type == "cuda" and torch.cuda.is_available():
        free, _ = torch.cuda.mem_get_info(dev)
        return int(free // 2)
    return _CPU_BUDGET


def chunk_size_for(length: int, d_model: int, vocab_size: int, *, memory_budget: int | None = None, device: Any = "cpu",
                   bytes_per_value: int = 4) -> int:
    """Contexts per chunk so that one chunk's activations fit ``memory_budget`` bytes (a rough estimate:
    ``(length + 1) * (16 d + 16 (length + 1) + 2 V)`` values per context; out-of-memory halving backs it up).

    >>> chunk_size_for(10, 64, 4, memory_budget=2**20)
    19
    """
    budget = default_memory_budget(device) if memory_budget is None else int(memory_budget)
    if budget <= 0:
        raise LMError(f"memory_budget must be a positive number of bytes, got {memory_budget}")
    per_ctx = (length + 1) * (16 * d_model + 16 * (length + 1) + 2 * vocab_size) * bytes_per_value
    return max(1, budget // per_ctx)


class ChunkPlan:
    """A mutable chunk size shared by successive calls (it only shrinks, after out-of-memory errors).

    >>> import warnings
    >>> p = ChunkPlan(8)
    >>> with warnings.catch_warnings(record=True):
    ...     warnings.simplefilter("always")
    ...     p.halve("a test")
    >>> p.size
    4
    """

    def __init__(self, size: int) -> None:
        if size < 1:
            raise LMError(f"chunk size must be >= 1, got {size}")
        self.size = int(size)

    def halve(self, what: str) -> None:
        """Halve the chunk size (down to 1) and warn; raise when it is already 1.

        >>> ChunkPlan(1).halve("one context")
        Traceback (most recent call last):
        ...
        catkit.lm.errors.LMError: out of memory on one context even with chunks of one context
        """
        if self.size == 1:
            raise LMError(f"out of memory on {what} even with chunks of one context")
        old, self.size = self.size, max(1, self.size // 2)
        msg = f"out of memory on a chunk of {old} contexts ({what}); halving the chunk size to {self.size} and continuing"
        warnings.warn(msg, ChunkSizeWarning, stacklevel=4)
        if torch.cuda.is_available():
            torch.cuda.empty_cache()


def run_chunked(
    fn: Callable[[int, int], T], n: int, chunk: int | ChunkPlan, *, what: str = "contexts"
) -> Iterator[tuple[int, int, T]]:
    """Yield ``(start, stop, fn(start, stop))`` over ``0 .. n`` in chunks, halving on out-of-memory.

    >>> calls = []
    >>> def f(a, b):
    ...     if b - a > 2:
    ...         raise torch.OutOfMemoryError("fake")
    ...     calls.append((a, b))
    >>> import warnings
    >>> with warnings.catch_warnings(record=True) as w:
    ...     warnings.simplefilter("always")
    ...     _ = list(run_chunked(f, 5, 4))
    >>> calls, len(w)
    ([(0, 2), (2, 4), (4, 5)], 1)
    """
    plan = chunk if isinstance(chunk, ChunkPlan) else ChunkPlan(chunk)
    start = 0
    while start < n:
        stop = min(n, start + plan.size)
        try:
            res = fn(start, stop)
        except Exception as e:
            if not is_oom(e):
                raise
            plan.halve(what)
            continue
        yield start, stop, res
        start = stop
