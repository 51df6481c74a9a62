"""Named presets: a source, a model config and a training config that belong together, in one registry.

Every size catkit names is a :class:`Preset` here: ``catkit lm train --preset``, the ready-made models of
:mod:`catkit.lm.defaults` (:func:`~catkit.lm.defaults.default_model`, :func:`~catkit.lm.defaults.tiny_model`)
and the report's scales (:meth:`ReportConfig.preset <catkit.paper.report.ReportConfig.preset>`) look their
configs up in :data:`PRESETS` through :func:`get_preset`.  ``small`` (the report's name) is an alias of
``default``.

>>> get_preset("small") is get_preset("default"), get_preset("tiny").make_source().name
(True, 'tiny')
>>> get_preset("tiny").configs_for(get_preset("default").make_source())[0].vocab_size
4
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from catkit.lm.errors import LMError
from catkit.lm.model import GPTConfig
from catkit.lm.trainer import TrainConfig
from catkit.sources import SOURCES, FiniteStateSource, named_source

__all__ = [
    "Preset", "PRESETS", "ALIASES", "get_preset", "DEFAULT_MODEL", "DEFAULT_TRAIN", "TINY_MODEL", "TINY_TRAIN",
]

#: the default model: 2 pre-norm blocks, d = 48, 4 heads, 64 positions (BOS + 63 tokens), ~60k parameters
DEFAULT_MODEL = GPTConfig(vocab_size=4, n_positions=64, d_model=48, n_layer=2, n_head=4)
#: its training run: 1000 steps of 64 sequences of 64 tokens
DEFAULT_TRAIN = TrainConfig(steps=1000, batch_size=64, seq_len=64, lr=3e-3, min_lr=3e-4, warmup=100)
#: a tiny model for tests and examples (1 block, d = 16)
TINY_MODEL = GPTConfig(vocab_size=3, n_positions=16, d_model=16, n_layer=1, n_head=2)
#: its training run: 200 steps of 32 sequences of 16 tokens (a few seconds on CPU)
TINY_TRAIN = TrainConfig(steps=200, batch_size=32, seq_len=16, lr=5e-3, min_lr=5e-4, warmup=20)


@dataclass(frozen=True)
class Preset:
    """A named size: the embedded source it trains on (a key of :data:`catkit.sources.SOURCES`) and the
    model and training configs.

    >>> Preset("x", "nope", TINY_MODEL, TINY_TRAIN)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: preset 'x': no embedded source is called 'nope'; choose from default, tiny
    """

    name: str
    source: str
    model_config: GPTConfig
    train_config: TrainConfig

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise LMError(f"preset {self.name!r}: no embedded source is called {self.source!r}; choose from {', '.join(SOURCES)}")

    def make_source(self) -> FiniteStateSource:
        """The preset's source.

        >>> get_preset("default").make_source().V
        4
        """
        return named_source(self.source)

    def configs_for(self, source: FiniteStateSource) -> tuple[GPTConfig, TrainConfig]:
        """The model and training configs for another source (the model's vocabulary follows the source).

        >>> from catkit.sources import tiny_source
        >>> get_preset("default").configs_for(tiny_source())[0].vocab_size
        3
        """
        return replace(self.model_config, vocab_size=source.V), self.train_config


#: every preset by name
PRESETS: dict[str, Preset] = {
    "default": Preset("default", "default", DEFAULT_MODEL, DEFAULT_TRAIN),
    "tiny": Preset("tiny", "tiny", TINY_MODEL, TINY_TRAIN),
}
#: other names of presets
ALIASES: dict[str, str] = {"small": "default"}


def get_preset(name: str) -> Preset:
    """The preset called ``name`` (or one of its :data:`ALIASES`).

    >>> get_preset("tiny").model_config.d_model
    16
    >>> get_preset("huge")
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: unknown preset 'huge': choose from default, tiny (or small = default)
    """
    key = ALIASES.get(name, name)
    if key not in PRESETS:
        also = ", ".join(f"{a} = {b}" for a, b in ALIASES.items())
        raise LMError(f"unknown preset {str(name)[:100]!r}: choose from {', '.join(PRESETS)} (or {also})")
    return PRESETS[key]
