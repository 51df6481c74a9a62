"""Training catkit's model on sequences sampled from a source, and measuring it against the source.

:func:`train` is seeded and deterministic on CPU: the batch of step ``t`` is drawn from the seed
``(seed, t)``, the learning rate is a function of ``t`` (linear warm-up, cosine decay), and a
checkpoint (model, optimiser, step, loss history) is written every ``checkpoint_every`` steps and
when the run is interrupted (Ctrl-C), so a rerun with the same directory resumes and ends with
exactly the parameters of an uninterrupted run.  A Ctrl-C arriving in the middle of a step (inside
``opt.step()``, say) is held until the step is complete, so a checkpoint always pairs the weights with
the step that produced them; a second Ctrl-C stops at once without saving.  A run resumes only the
checkpoint of the same model, source and settings (the error names what differs; ``resume=False``
starts afresh).  CPU by default, CUDA with ``device="cuda"``.

:func:`evaluate` measures the model's cross-entropy per position on fresh samples, together with the
source's own conditional log-loss on the *same* samples (exact filtering), so that their difference
estimates the KL term of the NLL decomposition with little noise.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> from catkit.sources import tiny_source
>>> model = TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_layer=1, n_head=2))
>>> res = train(model, tiny_source(), TrainConfig(steps=3, batch_size=4, seq_len=8), progress=False)
>>> res.step, len(res.history)
(3, 3)
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch.nn import functional as F

from catkit.lm.adapters import LMAdapter, as_adapter
from catkit.lm.checkpoint import CHECKPOINT_FILE, is_catkit_checkpoint, load_checkpoint, save_checkpoint
from catkit.lm.errors import CheckpointError, ContextTooLongError, LMError, VocabMismatchError
from catkit.lm.model import TinyGPT
from catkit.lm.resources import resolve_device
from catkit.sources import FiniteStateSource

__all__ = ["TrainConfig", "TrainResult", "train", "lr_at", "EvalResult", "evaluate"]

_FILTER_BYTES = 256 * 2**20  # the source's filtering works on batches of at most this many bytes


@dataclass(frozen=True)
class TrainConfig:
    """Hyper-parameters of :func:`train` (all of them part of the checkpoint and of cache keys).

    >>> TrainConfig(steps=10).batch_size
    64
    >>> TrainConfig(steps=0)
    Traceback (most recent call last):
    ...
    catkit.lm.errors.LMError: TrainConfig.steps must be >= 1, got 0
    """

    steps: int = 3000
    batch_size: int = 64
    seq_len: int = 64
    lr: float = 3e-3
    min_lr: float = 3e-4
    warmup: int = 100
    weight_decay: float = 0.0
    grad_clip: float = 1.0
    seed: int = 0
    checkpoint_every: int = 250

    def __post_init__(self) -> None:
        for f in ("steps", "batch_size", "seq_len", "checkpoint_every"):
            if getattr(self, f) < 1:
                raise LMError(f"TrainConfig.{f} must be >= 1, got {getattr(self, f)}")
        if self.warmup < 0 or self.lr <= 0 or self.min_lr < 0:
            raise LMError(f"TrainConfig needs warmup >= 0, lr > 0, min_lr >= 0; got {self.warmup}, {self.lr}, {self.min_lr}")

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict.

        >>> TrainConfig().to_dict()["seq_len"]
        64
        """
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TrainConfig:
        """From :meth:`to_dict`.

        >>> TrainConfig.from_dict({"steps": 5}).steps
        5
        """
        known = {f.name for f in fields(cls)}
        bad = sorted(set(d) - known)
        if bad:
            raise LMError(f"unknown TrainConfig field(s): {bad}")
        return cls(**d)


@dataclass
class TrainResult:
    """What :func:`train` returns: the model, the step reached, the per-step losses, where it was saved.

    >>> TrainResult(None, 0, [], None, 0).final_loss is None
    True
    """

    model: TinyGPT
    step: int
    history: list[tuple[int, float]]
    checkpoint: Path | None
    resumed_from: int

    @property
    def final_loss(self) -> float | None:
        """Mean loss of the last 50 steps (``None`` before any step).

        >>> TrainResult(None, 2, [(1, 1.0), (2, 3.0)], None, 0).final_loss
        2.0
        """
        if not self.history:
            return None
        return float(np.mean([v for _, v in self.history[-50:]]))


def lr_at(step: int, cfg: TrainConfig) -> float:
    """Learning rate at ``step`` (0-based): linear warm-up, then cosine decay from ``lr`` to ``min_lr``.

    >>> c = TrainConfig(steps=100, warmup=10, lr=1.0, min_lr=0.0)
    >>> lr_at(0, c), lr_at(9, c), round(lr_at(99, c), 6)
    (0.1, 1.0, 0.0)
    """
    if step < cfg.warmup:
        return cfg.lr * (step + 1) / cfg.warmup
    span = max(1, cfg.steps - cfg.warmup - 1)
    frac = min(1.0, (step - cfg.warmup) / span)
    return cfg.min_lr + 0.5 * (cfg.lr - cfg.min_lr) * (1 + math.cos(math.pi * frac))


def _inputs_targets(model_bos: int | None, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    if model_bos is None:
        return x[:, :-1], x[:, 1:]
    bos = torch.full((x.shape[0], 1), model_bos, dtype=x.dtype, device=x.device)
    return torch.cat([bos, x[:, :-1]], dim=1), x


def _check_fit(model: TinyGPT, source: FiniteStateSource, seq_len: int) -> None:
    if model.config.vocab_size != source.V:
        raise VocabMismatchError(
            f"the model predicts {model.config.vocab_size} tokens but the source {source.name!r} has a vocabulary of {source.V}"
        )
    need = seq_len if model.config.bos else seq_len - 1
    if need > model.config.n_positions:
        raise ContextTooLongError(
            f"training sequences of {seq_len} tokens need {need} positions but the model has {model.config.n_positions}"
        )


def _differences(old: Any, new: Any, prefix: str = "") -> list[str]:
    """Paths at which two JSON values differ (for error messages: what a checkpoint and a run disagree on)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for k in sorted(set(old) | set(new), key=str):
            out += _differences(old.get(k), new.get(k), f"{prefix}.{k}" if prefix else str(k))
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) and prefix.split(".")[-1] not in ("vocab", "states"):
        return [prefix] if any(_differences(a, b) for a, b in zip(old, new)) else []
    return [] if old == new else [prefix]


def _check_resume(state: dict[str, Any], model: TinyGPT, cfg: TrainConfig, source: FiniteStateSource, directory: Path) -> None:
    hint = "use another directory, or resume=False (--no-resume) to start afresh"
    diff = _differences(state["model_config"], model.config.to_dict())
    if diff:
        what = ", ".join(f"{k}: {state['model_config'].get(k)} vs {model.config.to_dict().get(k)}" for k in diff)
        raise CheckpointError(f"the checkpoint in {directory} is for another model ({what}); {hint}")
    old = dict(state.get("train_config") or {})
    new = cfg.to_dict()
    keys = sorted(k for k in new if k not in ("steps", "checkpoint_every") and old.get(k) != new[k])
    if keys:
        what = ", ".join(f"{k}: {old.get(k)} vs {new[k]}" for k in keys)
        raise CheckpointError(f"the checkpoint in {directory} was trained with other settings ({what}); {hint}")
    saved = state.get("source")
    if saved is not None and saved != source.spec():
        where = ", ".join(_differences(saved, source.spec())[:6])
        raise CheckpointError(
            f"the checkpoint in {directory} was trained on another source ({saved.get('name')!r} vs {source.name!r}; "
            f"they differ in: {where}); {hint}"
        )
    if int(state["step"]) > cfg.steps:
        raise CheckpointError(
            f"the checkpoint in {directory} has already trained {state['step']} steps, more than the {cfg.steps} asked for "
            f"(nothing was changed); ask for at least {state['step']} steps, or {hint}"
        )


class _HoldInterrupt:
    """Hold SIGINT (Ctrl-C) until the end of the current training step; a second one interrupts at once."""

    def __init__(self) -> None:
        self.pending = False
        self._old: Any = None

    def __enter__(self) -> _HoldInterrupt:
        import signal
        import threading

        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            self._old = signal.signal(signal.SIGINT, self._handler)
        return self

    def _handler(self, signum: int, frame: Any) -> None:
        if self.pending:  # asked twice: stop now (no checkpoint of a half-done step)
            raise KeyboardInterrupt
        self.pending = True

    def __exit__(self, *exc: Any) -> None:
        import signal

        if self._old is not None:
            signal.signal(signal.SIGINT, self._old)


def train(
    model: TinyGPT, source: FiniteStateSource, config: TrainConfig = TrainConfig(), *,
    checkpoint_dir: str | os.PathLike[str] | None = None, resume: bool = True, device: Any = "cpu", progress: bool = True,
    callback: Callable[[int, float], None] | None = None,
) -> TrainResult:
    """Train ``model`` in place on sequences from ``source`` (see the module docstring).

    Args:
        model: a :class:`~catkit.lm.TinyGPT` whose vocabulary is the source's.
        source: where the training sequences come from.
        config: the hyper-parameters.
        checkpoint_dir: where checkpoints go (and where a run resumes from).
        resume: continue from the checkpoint in ``checkpoint_dir`` when there is one.
        device: ``"cpu"`` (default) or ``"cuda"`` (any torch device).
        progress: show a tqdm progress bar with the running loss.
        callback: called as ``callback(step, loss)`` after every step (``step`` counts completed steps).

    >>> from catkit.lm import GPTConfig
    >>> from catkit.sources import default_source
    >>> train(TinyGPT(GPTConfig(vocab_size=3)), default_source(), TrainConfig(steps=1))
    Traceback (most recent call last):
    ...
    catkit.lm.errors.VocabMismatchError: the model predicts 3 tokens but the source 'default' has a vocabulary of 4
    """
    _check_fit(model, source, config.seq_len)
    dev = resolve_device(device)
    model.to(dev).train()
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, betas=(0.9, 0.95), weight_decay=config.weight_decay)
    directory = Path(checkpoint_dir) if checkpoint_dir is not None else None
    start, history = 0, []
    finished = False
    if directory is not None and resume and is_catkit_checkpoint(directory):
        state = load_checkpoint(directory, map_location=dev)
        _check_resume(state, model, config, source, directory)
        model.load_state_dict(state["model"])
        if state["optimizer"] is not None:
            opt.load_state_dict(state["optimizer"])
        if state.get("torch_rng") is not None:
            torch.set_rng_state(state["torch_rng"])
        start, history = int(state["step"]), [tuple(h) for h in state["history"]]
        finished = bool(state.get("done")) and start == config.steps
    done = start

    def save(final: bool = False) -> Path | None:
        if directory is None:
            return None
        return save_checkpoint(directory, model, step=done, optimizer=opt, train_config=config.to_dict(),
                               source_spec=source.spec(), history=history, done=final)

    from tqdm import tqdm

    if finished:  # a finished run of exactly these steps: nothing to train, nothing to rewrite
        model.eval()
        return TrainResult(model, done, history, directory / CHECKPOINT_FILE if directory is not None else None, start)
    bar = tqdm(total=config.steps, initial=start, disable=not progress, desc="train", unit="step")
    hold = _HoldInterrupt()
    mid_update = False
    try:
        hold.__enter__()
        for step in range(start, config.steps):
            for g in opt.param_groups:
                g["lr"] = lr_at(step, config)
            x = torch.as_tensor(source.sample(config.batch_size, config.seq_len, seed=[config.seed, step]), device=dev)
            inp, tgt = _inputs_targets(model.bos_token_id, x)
            loss = F.cross_entropy(model(inp).reshape(-1, model.config.vocab_size), tgt.reshape(-1))
            opt.zero_grad(set_to_none=True)
            loss.backward()
            if config.grad_clip > 0:
                torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
            value = float(loss.detach())
            mid_update = True
            opt.step()
            done = step + 1
            history.append((done, value))
            mid_update = False
            bar.update(1)
            if done % 10 == 0:
                bar.set_postfix(loss=f"{np.mean([v for _, v in history[-50:]]):.4f}")
            if directory is not None and done % config.checkpoint_every == 0 and done < config.steps:
                save()
            if callback is not None:  # after the periodic save: a callback sees the checkpoint of its step
                callback(done, value)
            if hold.pending:  # Ctrl-C during this step: the step is complete, save it and stop
                save()
                raise KeyboardInterrupt
    except KeyboardInterrupt:
        # without our handler (not the main thread, or another SIGINT handler) the interrupt can land anywhere:
        # save only when the weights are those of step `done` (not between opt.step() and the step count)
        if not hold.pending and not mid_update:
            save()
        raise
    finally:
        hold.__exit__()
        bar.close()
    model.eval()
    return TrainResult(model, done, history, save(final=True), start)


@dataclass
class EvalResult:
    """Per-position losses on sampled sequences (nats): ``ce[t]`` of the model, ``source_ce[t]`` of the
    exact source on the same samples, ``kl[t] = ce[t] - source_ce[t]`` (a low-noise estimate of
    ``E_x KL(P_data(·|x) ‖ P_θ(·|x))`` at position ``t``), and the source's entropy rate.

    >>> r = EvalResult(np.array([1.2, 1.1]), np.array([1.15, 1.05]), 1.0)
    >>> round(r.gap, 6), round(r.mean_kl, 6)
    (0.1, 0.05)
    """

    ce: np.ndarray
    source_ce: np.ndarray
    entropy_rate: float
    ce_stderr: float = 0.0

    @property
    def kl(self) -> np.ndarray:
        """``ce - source_ce`` per position.

        >>> EvalResult(np.array([1.0]), np.array([0.75]), 0.7).kl.tolist()
        [0.25]
        """
        return self.ce - self.source_ce

    @property
    def mean_ce(self) -> float:
        """Model cross-entropy averaged over all positions (the training loss's expectation).

        >>> EvalResult(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 0.7).mean_ce
        1.5
        """
        return float(self.ce.mean())

    @property
    def mean_kl(self) -> float:
        """The KL term averaged over positions.

        >>> EvalResult(np.array([1.0, 2.0]), np.array([1.0, 1.0]), 0.7).mean_kl
        0.5
        """
        return float(self.kl.mean())

    @property
    def gap(self) -> float:
        """Model cross-entropy over the second half of the positions minus the entropy rate (there the
        source's own conditional entropy is within a hair of the rate).

        >>> EvalResult(np.array([9.0, 1.0]), np.array([1.0, 1.0]), 0.75).gap
        0.25
        """
        half = len(self.ce) // 2
        return float(self.ce[half:].mean() - self.entropy_rate)


@torch.no_grad()
def evaluate(
    model: TinyGPT | LMAdapter | Any, source: FiniteStateSource, *, n_seqs: int = 1024, seq_len: int | None = None,
    seed: int = 2**31 - 1, batch_size: int = 256, entropy_rate: float | None = None,
) -> EvalResult:
    """Cross-entropy of a model (anything :func:`~catkit.lm.as_adapter` accepts) per position on ``n_seqs``
    fresh sequences, against the source's exact conditional log-loss on the same sequences.

    >>> from catkit.lm import GPTConfig
    >>> from catkit.sources import tiny_source
    >>> r = evaluate(TinyGPT(GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_head=2)), tiny_source(), n_seqs=8)
    >>> r.ce.shape, bool(abs(r.mean_ce - np.log(3)) < 0.1)   # an untrained model is near uniform
    ((8,), True)
    """
    a = as_adapter(model)
    if a.vocab_size != source.V:
        raise VocabMismatchError(f"{a.name} predicts {a.vocab_size} tokens but the source {source.name!r} has {source.V}")
    if n_seqs < 1 or batch_size < 1:
        raise LMError(f"evaluate needs n_seqs >= 1 and batch_size >= 1, got {n_seqs} and {batch_size}")
    T = seq_len or ((a.max_context + 1) if a.max_context is not None else 64)
    if T < 2:
        raise LMError(f"evaluate needs sequences of at least 2 tokens, got seq_len={T}")
    # the source's filter holds (batch, T, V) next-token laws: batches small enough for the budget
    from catkit.limits import check_allocation

    per_seq = T * source.V * 8 * 3
    check_allocation(per_seq, f"filtering one sequence of {T} tokens over a vocabulary of {source.V}")
    batch_size = max(1, min(batch_size, _FILTER_BYTES // per_seq))
    x = source.sample(n_seqs, T, seed=seed)
    ce_sum = None
    src_sum = None
    seq_nll = []
    for s in range(0, n_seqs, batch_size):
        xs = x[s : s + batch_size]
        xb = torch.as_tensor(xs, device=a.device)
        _, z, off = a.positions(xb)
        nll = -torch.log_softmax(z.double(), dim=-1).gather(-1, xb[:, off:, None]).squeeze(-1)
        seq_nll.append(nll.mean(dim=1).cpu().numpy())
        ce_sum = nll.sum(dim=0) if ce_sum is None else ce_sum + nll.sum(dim=0)
        q = source.filter(xs).next_probs[:, off:, :]
        src = -np.log(np.take_along_axis(q, xs[:, off:, None], axis=-1)[..., 0]).sum(axis=0)
        src_sum = src if src_sum is None else src_sum + src
    assert ce_sum is not None and src_sum is not None
    h = source.entropy_rate() if entropy_rate is None else entropy_rate
    seq_means = np.concatenate(seq_nll)
    stderr = float(seq_means.std(ddof=1) / np.sqrt(n_seqs)) if n_seqs > 1 else 0.0
    return EvalResult((ce_sum / n_seqs).cpu().numpy(), src_sum / n_seqs, h, stderr)
