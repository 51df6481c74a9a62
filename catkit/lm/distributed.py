"""Sharding over processes with torch.distributed (torchrun), a no-op in a single process.

Under ``torchrun --nproc_per_node K ...`` each process gets ``RANK``/``WORLD_SIZE``/``LOCAL_RANK``;
:func:`init_from_env` starts the process group (NCCL on CUDA, gloo on CPU), :func:`world` says
``(rank, world_size)``, sources shard their context chunks with ``shard=world()``, and
:func:`all_reduce_sum` adds the partial sums of every process (statistics that are sums are
exactly what all-reduce combines).

>>> world()
(0, 1)
>>> t = torch.ones(2); all_reduce_sum([t]); t.tolist()
[1.0, 1.0]
"""

from __future__ import annotations

import os
from typing import Any

import torch
import torch.distributed as dist

__all__ = ["world", "init_from_env", "all_reduce_sum", "local_device", "is_distributed", "shutdown"]


def is_distributed() -> bool:
    """Whether a process group with more than one process is running.

    >>> is_distributed()
    False
    """
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def world() -> tuple[int, int]:
    """``(rank, world_size)``: ``(0, 1)`` outside torch.distributed.

    >>> world()[1]
    1
    """
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


def init_from_env(backend: str | None = None) -> bool:
    """Start the process group when launched by torchrun (``WORLD_SIZE > 1`` in the environment);
    returns whether this run is distributed.  The backend defaults to NCCL with CUDA, else gloo.

    >>> init_from_env()   # not under torchrun
    False
    """
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1 or not dist.is_available():
        return False
    if not dist.is_initialized():
        cuda = torch.cuda.is_available()
        if cuda:
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group(backend or ("nccl" if cuda else "gloo"))
    return True


def local_device(device: Any = None) -> torch.device:
    """The device this process should use: ``device`` if given, else ``cuda:LOCAL_RANK`` when CUDA is
    available under torchrun, ``cuda`` when available, else CPU.

    >>> local_device("cpu")
    device(type='cpu')
    """
    if device is not None:
        return torch.device(device)
    if torch.cuda.is_available():
        return torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
    return torch.device("cpu")


def all_reduce_sum(tensors: list[torch.Tensor]) -> None:
    """Sum each tensor over all processes, in place (nothing to do in a single process).

    >>> x = torch.tensor([2.0]); all_reduce_sum([x]); x.item()
    2.0
    """
    if not is_distributed():
        return
    for t in tensors:
        dist.all_reduce(t, op=dist.ReduceOp.SUM)


def shutdown() -> None:
    """Destroy the process group if one is running.

    >>> shutdown()
    """
    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()
