"""The torch bridge: a small GPT and its trainer, adapters for any causal LM, LMKernel, streamed statistics.

>>> from catkit.lm import GPTConfig, TinyGPT, LMKernel
>>> from catkit.sources import tiny_source
>>> lk = LMKernel(TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2, source=tiny_source())
>>> lk.generation.dom.size, lk.generation.cod.size
(13, 3)
"""

from catkit.lm.adapters import CallableAdapter, CatkitAdapter, HFAdapter, LMAdapter, TransformerLensAdapter, as_adapter
from catkit.lm.checkpoint import load_checkpoint, load_model, save_checkpoint
from catkit.lm.compat import check_compatible, checkpoint_source, load_checked
from catkit.lm.errors import (
    CacheRebuildWarning,
    CheckpointError,
    ChunkSizeWarning,
    ContextTooLongError,
    HeadBiasWarning,
    HeadNotFoundError,
    IncompatibleModelError,
    LMError,
    ModelConfigError,
    TooLargeError,
    VocabMismatchError,
)
from catkit.lm.lmkernel import LMKernel, dedupe_rows, encode_contexts
from catkit.lm.model import GPTConfig, TinyGPT
from catkit.lm.resources import torch_threads
from catkit.lm.stats import StreamBatch, StreamedStats, SumAccumulator, source_statistics, stream_statistics
from catkit.lm.trainer import EvalResult, TrainConfig, TrainResult, evaluate, lr_at, train

__all__ = [
    "GPTConfig",
    "TinyGPT",
    "LMKernel",
    "encode_contexts",
    "dedupe_rows",
    "ModelConfigError",
    "TrainConfig",
    "TrainResult",
    "train",
    "lr_at",
    "EvalResult",
    "evaluate",
    "StreamBatch",
    "StreamedStats",
    "SumAccumulator",
    "stream_statistics",
    "source_statistics",
    "LMAdapter",
    "CatkitAdapter",
    "HFAdapter",
    "TransformerLensAdapter",
    "CallableAdapter",
    "as_adapter",
    "IncompatibleModelError",
    "check_compatible",
    "load_checked",
    "checkpoint_source",
    "save_checkpoint",
    "load_checkpoint",
    "load_model",
    "CheckpointError",
    "CacheRebuildWarning",
    "LMError",
    "VocabMismatchError",
    "ContextTooLongError",
    "HeadNotFoundError",
    "HeadBiasWarning",
    "ChunkSizeWarning",
    "TooLargeError",
    "torch_threads",
]
