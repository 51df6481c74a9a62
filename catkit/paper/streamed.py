"""The large preset: the LM-mode checks of claims 3, 4, 11 and 12 streamed over many sampled contexts.

The small preset enumerates all contexts of one length with their exact law (:class:`~catkit.paper.setting.LMSetting`);
at vocabulary 256 that is impossible, so :func:`streamed_checks` samples ``n_contexts`` contexts (10⁶ in
the ``large`` preset) and accumulates weighted sums chunk by chunk with
:func:`~catkit.lm.source_statistics`: per-context values (cross-entropy, KL, entropies, the Fannes
bounds, violation indicators and their squares, for error bars) as one extra statistic, and the
``d``, ``d × d``, ``d × V`` and ``V × V`` moments for the geometry of claims 11–12.  Nothing indexed by
pairs of contexts (``N × N``) or by contexts and features (``N × d``) is ever held: memory is set by
``batch_size`` and ``memory_budget``, not by ``n_contexts``.

>>> p = reduced(PRESETS["large"], vocab=8, states=2, d_model=8, n_head=2, steps=2, n_contexts=64)
>>> p.model_config.vocab_size, p.train_config.steps, p.n_contexts, p.snapshots
(8, 2, 64, (0, 1, 2))
>>> from catkit.lm import TinyGPT
>>> res, data = streamed_checks(TinyGPT(p.model_config, seed=0), TinyGPT(p.model_config, seed=1), p.make_source(),
...                             p.length, p.n_contexts)
>>> sorted({r.claim for r in res}), data["count"]
([3, 4, 11, 12], 64)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any

import numpy as np
import torch

from catkit.info.bounds import binary_entropy, fannes_bound
from catkit.info.entropy import cross_entropy_of_rows, entropy_of_rows, kl_of_rows
from catkit.lm import GPTConfig, source_statistics
from catkit.lm.adapters import as_adapter
from catkit.lm.presets import get_preset
from catkit.lm.stats import StreamBatch, StreamedStats
from catkit.lm.trainer import TrainConfig
from catkit.paper.checks import Control, check, run_checks
from catkit.paper.compare import Judge, Outcome
from catkit.paper.geometry import alignment_from_moments
from catkit.paper.info_claims import fannes_outcome, substitution_outcome
from catkit.paper.result import ClaimResult, Mode, PaperError
from catkit.paper.training import DEFAULT_SNAPSHOTS
from catkit.sources import SOURCE_FAMILIES, SOURCES, FiniteStateSource, named_source
from catkit.sources import large_source as large_source  # noqa: F401  (its home was here: kept importable)

__all__ = ["ScalePreset", "PRESETS", "reduced", "streamed_checks", "StreamedSetting", "per_context_values",
           "COLUMNS"]

#: the per-context values accumulated as one extra statistic (their weighted means come back in this order)
COLUMNS = (
    "ce", "ce2", "kl", "kl2", "kl_neg", "H_p", "H_q", "dH", "dH2", "gap", "tv",
    "bound_tv", "bound_tv2", "bound_tv_dH", "viol_tv", "excess_tv",
    "delta_sub", "bound_sub", "bound_sub2", "bound_sub_dH", "viol_sub", "excess_sub", "out_of_range",
    "bound_cap", "viol_cap",
)
CTX_TOL = 1e-10  # per-context float64 slack (entropies and bounds of one law over at most ~10⁵ tokens)


# ---------------------------------------------------------------------- presets
@dataclass(frozen=True)
class ScalePreset:
    """A size preset of the LM mode: the source, the model and its training, the contexts the checks look at.

    ``source_name`` names an embedded source (a key of :data:`~catkit.sources.SOURCES`, ``source_args``
    empty) or a family (a key of :data:`~catkit.sources.SOURCE_FAMILIES`, such as ``"large"``:
    :func:`~catkit.sources.large_source` with ``source_args``); ``length`` is the context length of the checks;
    ``n_contexts`` the number of sampled contexts streamed (``None``: all contexts of ``length`` with their
    exact law); ``snapshots`` the training steps the report looks at.

    >>> PRESETS["large"].make_source().V, PRESETS["large"].n_contexts
    (256, 1000000)
    >>> PRESETS["small"].make_source().name, PRESETS["small"].n_contexts is None
    ('default', True)
    """

    name: str
    source_name: str
    source_args: dict[str, Any]
    model_config: GPTConfig
    train_config: TrainConfig
    length: int
    n_contexts: int | None
    snapshots: tuple[int, ...] = field(default=())

    def __post_init__(self) -> None:
        if self.source_name not in SOURCES and self.source_name not in SOURCE_FAMILIES:
            raise PaperError(f"source_name must be one of {', '.join(map(repr, [*SOURCES, *SOURCE_FAMILIES]))}, "
                             f"got {self.source_name!r}")
        if self.source_name in SOURCES and self.source_args:
            raise PaperError(f"the {self.source_name} source takes no arguments")
        if self.length + int(self.model_config.bos) > self.model_config.n_positions:
            raise PaperError(f"contexts of {self.length} tokens do not fit the model's {self.model_config.n_positions} positions")
        if self.n_contexts is not None and self.n_contexts < 2:
            raise PaperError(f"n_contexts must be >= 2 (or None for all contexts), got {self.n_contexts}")
        if self.snapshots and (min(self.snapshots) < 0 or max(self.snapshots) > self.train_config.steps):
            raise PaperError(f"snapshot steps must lie in [0, {self.train_config.steps}], got {self.snapshots}")

    def make_source(self) -> FiniteStateSource:
        """The preset's source.

        >>> PRESETS["large"].make_source().S
        8
        """
        if self.source_name in SOURCES:
            return named_source(self.source_name)
        return SOURCE_FAMILIES[self.source_name](**self.source_args)

    @property
    def vocab(self) -> int:
        """The vocabulary size (the model's).

        >>> PRESETS["small"].vocab, PRESETS["large"].vocab
        (4, 256)
        """
        return self.model_config.vocab_size


_SMALL = get_preset("small")  # the one registry of named sizes (catkit.lm.presets)

#: ``small``: the ``small`` preset of :mod:`catkit.lm.presets` (4-token HMM, ~60k-parameter model), all 64
#: contexts of length 3; ``large``: vocabulary 256, a ~470k-parameter model (d = 128, 2 blocks, 4 heads)
#: trained 4000 steps (meant for a GPU), 10⁶ sampled contexts of length 8 streamed
PRESETS: dict[str, ScalePreset] = {
    "small": ScalePreset("small", _SMALL.source, {}, _SMALL.model_config, _SMALL.train_config, 3, None, tuple(DEFAULT_SNAPSHOTS)),
    "large": ScalePreset(
        "large", "large", {"vocab": 256, "states": 8, "seed": 0},
        GPTConfig(vocab_size=256, n_positions=64, d_model=128, n_layer=2, n_head=4),
        TrainConfig(steps=4000, batch_size=64, seq_len=64, lr=2e-3, min_lr=2e-4, warmup=200, checkpoint_every=500),
        8, 1_000_000, (0, 100, 250, 500, 1000, 2000, 4000),
    ),
}

_SOURCE_KEYS = {"vocab": "vocab", "states": "states", "source_seed": "seed"}
_MODEL_KEYS = {f.name for f in fields(GPTConfig)} - {"vocab_size"}
_TRAIN_KEYS = {f.name for f in fields(TrainConfig)}
_PRESET_KEYS = {"name", "length", "n_contexts", "snapshots"}


def reduced(preset: ScalePreset, **overrides: Any) -> ScalePreset:
    """A copy of ``preset`` with some settings changed (to shrink it for tests and CPU runs), kept consistent.

    Keys: ``vocab`` (the source's and the model's), ``states``, ``source_seed`` (the source's); any
    :class:`~catkit.lm.GPTConfig` field but ``vocab_size``; any :class:`~catkit.lm.trainer.TrainConfig`
    field; ``name``, ``length``, ``n_contexts``, ``snapshots``.  Changing ``steps`` scales the snapshot
    steps and caps the warm-up at a tenth of the run unless those are given too.

    >>> p = reduced(PRESETS["large"], vocab=16, d_model=16, steps=30, n_contexts=3000)
    >>> p.name, p.vocab, p.model_config.d_model, p.train_config.warmup, p.snapshots
    ('large-reduced', 16, 16, 3, (0, 1, 2, 4, 8, 15, 30))
    >>> reduced(PRESETS["small"], vocab=16)
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: the default source has a fixed vocabulary (4 tokens)
    >>> reduced(PRESETS["large"], widht=3)
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: unknown override(s) ['widht']; choose from [...]
    """
    known = set(_SOURCE_KEYS) | _MODEL_KEYS | _TRAIN_KEYS | _PRESET_KEYS
    bad = sorted(set(overrides) - known)
    if bad:
        raise PaperError(f"unknown override(s) {bad}; choose from {sorted(known)}")
    src_args = dict(preset.source_args)
    for k, arg in _SOURCE_KEYS.items():
        if k in overrides:
            if preset.source_name in SOURCES:
                raise PaperError(f"the {preset.source_name} source has a fixed vocabulary ({preset.vocab} tokens)" if k == "vocab"
                                 else f"the {preset.source_name} source takes no {k!r}")
            src_args[arg] = overrides[k]
    model_kw = {k: v for k, v in overrides.items() if k in _MODEL_KEYS}
    if "vocab" in overrides:
        model_kw["vocab_size"] = int(overrides["vocab"])
    train_kw = {k: v for k, v in overrides.items() if k in _TRAIN_KEYS}
    old_steps = preset.train_config.steps
    if "steps" in train_kw and "warmup" not in train_kw:
        train_kw["warmup"] = min(preset.train_config.warmup, int(train_kw["steps"]) // 10)
    train = replace(preset.train_config, **train_kw)
    snaps = overrides.get("snapshots")
    if snaps is None:
        snaps = sorted({min(train.steps, round(s * train.steps / old_steps)) for s in preset.snapshots}) if preset.snapshots else []
    return replace(
        preset, name=overrides.get("name", preset.name if preset.name.endswith("-reduced") else f"{preset.name}-reduced"),
        source_args=src_args, model_config=replace(preset.model_config, **model_kw), train_config=train,
        length=int(overrides.get("length", preset.length)), n_contexts=overrides.get("n_contexts", preset.n_contexts),
        snapshots=tuple(int(s) for s in snaps),
    )


# ---------------------------------------------------------------------- per-context values
def _fannes(delta: torch.Tensor, V: int) -> torch.Tensor:
    """:func:`catkit.info.bounds.fannes_bound` elementwise on δ clamped to [0, 1] (float64 tensors)."""
    return fannes_bound(delta.clamp(0.0, 1.0), V) if V > 1 else binary_entropy(delta.clamp(0.0, 1.0))


def per_context_values(b: StreamBatch) -> torch.Tensor:
    """The :data:`COLUMNS` of each context of a chunk (``(n, len(COLUMNS))``, float64, on the chunk's device).

    With ``q`` the data's next-token law, ``p`` the model's: ``ce = −Σ q log p``, ``kl = KL(q ‖ p)``
    (``kl_neg`` flags a negative one), the entropies, ``dH = H(p) − H(q)``, ``gap = |dH|``,
    ``tv = TV(p, q)``; ``bound_tv`` the Fannes–Audenaert bound ``δ log(|V|−1) + h_b(δ)`` at ``δ = tv`` and
    ``bound_sub`` at the paper's ``δ = min(√(KL/2), 1)``, ``bound_cap`` at the corrected ``δ = min(√(KL/2), 1 − 1/|V|)``,
    with the violation indicators
    (``gap > bound + CTX_TOL``), the excesses ``(gap − bound)₊``, and ``out_of_range`` flagging
    ``√(KL/2) > 1 − 1/|V|`` (where substituting the Pinsker bound is not justified: the bound decreases
    in δ there).  Squares and products give the error bars.  The flags (``kl_neg``, ``viol_tv``,
    ``viol_sub``, ``out_of_range``) are divided by the context's weight, so that their weighted sums
    *count* contexts (contexts of weight 0 are not counted).

    >>> import mpmath
    >>> p = torch.tensor([[0.5, 0.25, 0.25]], dtype=torch.float64); q = torch.tensor([[0.25, 0.25, 0.5]], dtype=torch.float64)
    >>> b = StreamBatch(torch.zeros(1, 1), torch.ones(1), torch.zeros(1, 1), p.log(), p.log(), p, q)
    >>> v = dict(zip(COLUMNS, per_context_values(b)[0].tolist()))
    >>> v["tv"], v["viol_tv"], round(v["kl"] / math.log(2), 12)
    (0.25, 0.0, 0.25)
    >>> abs(v["bound_tv"] - float(fannes_bound(0.25, 3))) < 1e-15
    True
    """
    p, lp, q = b.p, b.log_p, b.q
    if q is None:
        raise PaperError("per-context values need the data's next-token laws")
    V = p.shape[-1]
    lq = torch.log(torch.where(q > 0, q, torch.ones_like(q)))  # log q where q > 0 (the row functions mask the rest)
    ce = cross_entropy_of_rows(q, log_Q=lp)
    kl = kl_of_rows(q, log_P=lq, log_Q=lp)
    hq = entropy_of_rows(q, log_P=lq)
    hp = entropy_of_rows(p, log_P=lp)
    dh = hp - hq
    gap = dh.abs()
    tv = (0.5 * (p - q).abs().sum(-1)).clamp(0.0, 1.0)
    btv = _fannes(tv, V)
    raw = torch.sqrt(kl.clamp_min(0.0) / 2)
    dsub = raw.clamp(max=1.0)
    bsub = _fannes(dsub, V)
    bcap = _fannes(raw.clamp(max=1 - 1 / V), V)
    w = b.weights.to(p.dtype)
    inv_w = torch.where(w > 0, 1.0 / torch.where(w > 0, w, torch.ones_like(w)), torch.zeros_like(w))

    def flag(x: torch.Tensor) -> torch.Tensor:
        return x.to(p.dtype) * inv_w

    cols = {
        "ce": ce, "ce2": ce**2, "kl": kl, "kl2": kl**2, "kl_neg": flag(kl < -CTX_TOL), "H_p": hp, "H_q": hq, "dH": dh,
        "dH2": dh**2, "gap": gap, "tv": tv, "bound_tv": btv, "bound_tv2": btv**2, "bound_tv_dH": btv * dh,
        "viol_tv": flag(gap > btv + CTX_TOL), "excess_tv": (gap - btv).clamp_min(0.0), "delta_sub": dsub,
        "bound_sub": bsub, "bound_sub2": bsub**2, "bound_sub_dH": bsub * dh, "viol_sub": flag(gap > bsub + CTX_TOL),
        "excess_sub": (gap - bsub).clamp_min(0.0), "out_of_range": flag(raw > 1 - 1 / V),
        "bound_cap": bcap, "viol_cap": flag(gap > bcap + CTX_TOL),
    }
    return torch.stack([cols[c] for c in COLUMNS], dim=1)


_EXTRA = {"per_context": per_context_values}


# ---------------------------------------------------------------------- the checks
class _Means:
    """The weighted means of the per-context columns, counts and standard errors."""

    def __init__(self, st: StreamedStats, sampled: bool) -> None:
        self.m = dict(zip(COLUMNS, st.extra("per_context").tolist()))
        self.n, self.sampled, self.weight = st.count, sampled, st.weight

    def __getitem__(self, k: str) -> float:
        return self.m[k]

    def count(self, k: str) -> int:
        """How many contexts a flag column flags (its weighted sum is a count: see :func:`per_context_values`)."""
        return int(round(self.m[k] * self.weight))

    def se(self, mean: float, second: float) -> float:
        """Standard error of a sample mean from its first and second moments (0 over the exact law)."""
        if not self.sampled or self.n < 2:
            return 0.0
        return math.sqrt(max(second - mean**2, 0.0) / (self.n - 1))

    def avg_margin(self, bound: str) -> tuple[float, float]:
        """``E[bound] − |E H(p) − E H(q)|`` and its standard error."""
        b, d = self.m[bound], self.m["dH"]
        s = 1.0 if d >= 0 else -1.0
        second = self.m[f"{bound}2"] - 2 * s * self.m[f"{bound}_dH"] + self.m["dH2"]
        return b - abs(d), self.se(b - s * d, second)


def _moments(st: StreamedStats, W: torch.Tensor) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``Cov(h)``, ``Cov(ḡ)``, ``Cov(h, ḡ)`` and ``E[h ḡᵀ]`` with ``ḡ = Wᵀ q`` (d × d forms, from d × V and V × V sums)."""
    mh, mq = st.mean_h, st.mean_q
    Chh = st.cov_h
    Cqq = st.gram_q - torch.outer(mq, mq)
    Cgg = W.T @ Cqq @ W
    Chg = (st.cross_hq - torch.outer(mh, mq)) @ W
    Ehg = st.cross_hq @ W

    def sym(x: torch.Tensor) -> np.ndarray:
        return ((x + x.T) / 2).cpu().numpy()

    return sym(Chh), sym(Cgg), Chg.cpu().numpy(), Ehg.cpu().numpy()


def _null(Chh: np.ndarray, Cgg: np.ndarray, n: int | None, d: int) -> dict[str, float]:
    """What h and ḡ paired independently (a shuffle) give, to first order in 1/n: the noise floor of the moments."""
    if n is None:
        return {"kta": 0.0, "J/kyfan": 0.0}
    lam = np.sort(np.linalg.eigvalsh(Cgg))[::-1]
    kyfan = float(np.sum(lam[:d])) or 1.0
    kta = float(np.trace(Chh) * np.trace(Cgg) / (n * math.sqrt(np.sum(Chh**2) * np.sum(Cgg**2))))
    return {"kta": kta, "J/kyfan": float(d * np.trace(Cgg) / n / kyfan)}


class _Named:
    """A model of a streamed setting: only its name (its numbers come from the streamed sums)."""

    def __init__(self, name: str) -> None:
        self.name = name


class StreamedSetting:
    """The large preset's :class:`~catkit.paper.setting.Setting`: the same quantities the kernel settings compute,
    from streamed sums over many (sampled) contexts, for a trained model and its untrained twin (LM mode).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> cfg = GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_head=2)
    >>> s = StreamedSetting(TinyGPT(cfg, seed=0), TinyGPT(cfg, seed=1), tiny_source(), 2, None)
    >>> [m.name for m in s.models], s.count, round(s.decomposition(s.models[0])["H"], 6)
    (['trained', 'untrained'], 9, 1.00307)
    """

    mode: Mode = "lm"

    def __init__(self, model: Any, untrained: Any, source: FiniteStateSource, length: int, n_contexts: int | None, *,
                 device: Any = None, memory_budget: int | None = None, batch_size: int = 65536, seed: int = 0,
                 progress: bool = False) -> None:
        dev = torch.device(device) if device is not None else as_adapter(model).device
        self.source, self.length, self.sampled, self.untrained = source, length, n_contexts is not None, untrained
        opts: dict[str, Any] = {"n_samples": n_contexts, "seed": seed, "batch_size": batch_size, "device": dev,
                                "memory_budget": memory_budget, "extra": _EXTRA, "progress": progress}
        self.st, self.su = source_statistics([model, untrained], source, length, **opts)  # one pass over the contexts
        self.count = self.st.count
        self.means = {"trained": _Means(self.st, self.sampled), "untrained": _Means(self.su, self.sampled)}
        self.stats = {"trained": self.st, "untrained": self.su}
        self.models = [_Named("trained"), _Named("untrained")]
        self.path = [("untrained", self.models[1]), ("trained", self.models[0])]
        self.cache: dict[str, Any] = {}

    def decomposition(self, model: Any) -> dict[str, Any]:
        """CE, E KL, E H(q), E H(p), the gap of the means and the averaged Fannes bounds, from the sums."""
        st, m = self.stats[model.name], self.means[model.name]
        return {"CE": st.ce, "KL": st.kl, "H": st.entropy_q, "H_model": st.entropy_p, "gap": abs(st.entropy_p - st.entropy_q),
                "bound_tv": m["bound_tv"], "bound_sub": m["bound_sub"], "bound_capped": m["bound_cap"]}

    def nll_terms(self) -> tuple[float, float, float] | None:
        """``(NLL, −E⟨ḡ_x, h_x⟩, E log Z)`` from the d × V sums (None for a head with a bias)."""
        st = self.st
        if st.bias is not None:
            return None
        return st.ce, -float((st.W * st.cross_hq.T).sum()), st.logz_mean

    def alignment_moments(self, features: str = "h") -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """``(Cov h, Cov ḡ, Cov(h, ḡ), d)`` of the trained model, ``ḡ = Wᵀ q`` (d × d forms)."""
        Chh, Cgg, Chg, _ = _moments(self.st, self.st.W)
        return Chh, Cgg, Chg, int(self.st.W.shape[1])

    def logz_summary(self) -> dict[str, Any]:
        """Mean and variance of log Z(h_x) (no range from sums)."""
        return {"mean": self.st.logz_mean, "var": self.st.logz_var, "range": [], "distinct": None}

    def alignment12(self) -> dict[str, Any]:
        """Trained and untrained alignment from the moments, and the shuffled noise floor (first order in 1/n)."""
        W = self.st.W
        Chh, Cgg, Chg, _ = _moments(self.st, W)
        Chh_u, _, Chg_u, _ = _moments(self.su, W)
        d = int(W.shape[1])
        n = self.count if self.sampled else None
        return {"trained": alignment_from_moments(Chh, Cgg, Chg, d), "untrained": alignment_from_moments(Chh_u, Cgg, Chg_u, d),
                "floor": _null(Chh, Cgg, n, d), "n": n}


def _per_context(s: Any, j: Judge, flag: str, bound: str) -> Outcome:
    if flag == "tight tv":
        return fannes_outcome(s, j, True)
    if flag == "tight uncapped":
        return substitution_outcome(s, j, False)
    q = {}
    for name, m in s.means.items():
        n = m.count(flag)
        j.fact(n == 0, f"float64 (per context, tolerance {CTX_TOL:g})", f"{name}: {n} contexts violate it")
        q[name] = {"violations": n, "E excess": m["excess_tv" if flag == "viol_tv" else "excess_sub"]}
    where = f"over {s.count:,} {'sampled ' if s.sampled else ''}contexts of length {s.length}"
    return j.outcome(f"|H(p_θ) − H(p_data)| ≤ δ log(|V|−1) + h_b(δ) per context, δ = {bound}, {where}", q)


@check(4, "Fannes–Audenaert bound (δ = TV) on every context", modes=("lm",), settings=("streamed",),
       control=Control("the bound at δ = TV/2, for a point mass against the uniform law", lambda s, j: _per_context(s, j, "tight tv", "")))
def _tv_every_context(s: Any, j: Judge) -> Outcome:
    return _per_context(s, j, "viol_tv", "TV")


@check(4, "the corrected substitution δ := min(√(KL/2), 1 − 1/|V|) on every context", modes=("lm",), settings=("streamed",),
       control=Control("uncapped, for a point mass against the uniform law", lambda s, j: _per_context(s, j, "tight uncapped", "")))
def _capped_every_context(s: Any, j: Judge) -> Outcome:
    return _per_context(s, j, "viol_cap", "min(√(KL/2), 1 − 1/|V|)")


@check(4, "the paper's substitution δ := √(KL/2) context by context", modes=("lm",), settings=("streamed",), expected=None,
       evidence=False)
def _paper_every_context(s: Any, j: Judge) -> Outcome:
    out = _per_context(s, j, "viol_sub", "min(√(KL/2), 1)")
    vs = sum(m.count("viol_sub") for m in s.means.values())
    oor = sum(m.count("out_of_range") for m in s.means.values())
    out.finding = vs > 0
    out.note = (f"fails on {vs} contexts: δ ↦ δ log(|V|−1) + h_b(δ) decreases past 1 − 1/|V|, so Pinsker's δ_TV ≤ √(KL/2) cannot "
                "be substituted where √(KL/2) > 1 − 1/|V|") if vs else (
                f"no context violates it; √(KL/2) exceeds 1 − 1/|V| on {oor} of them" if oor else "")
    return out


def streamed_checks(
    model: Any, untrained: Any, source: FiniteStateSource, length: int, n_contexts: int | None, *, device: Any = None,
    memory_budget: int | None = None, batch_size: int = 65536, seed: int = 0, progress: bool = False,
) -> tuple[list[ClaimResult], dict[str, Any]]:
    """Claims 3, 4, 11 and 12 on a trained ``model`` (and an ``untrained`` one of the same shape, the
    baseline of claims 4 and 12) over ``n_contexts`` contexts of ``length`` tokens sampled from ``source``
    (``None``: all ``V^length`` contexts with their exact law), streamed in chunks (see the module docstring):
    the registry's checks of the ``streamed`` kind on a :class:`StreamedSetting`.

    Both models see the same contexts (the same ``seed``); everything runs on ``device`` (default: the
    trained model's), and only ``d``, ``d × d``, ``d × V`` and ``V × V`` sums are kept.  Returns the results and a
    dict of the numbers (for figures; ``"summary"`` is one line of text).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> cfg = GPTConfig(vocab_size=3, n_positions=8, d_model=8, n_head=2)
    >>> res, data = streamed_checks(TinyGPT(cfg, seed=0), TinyGPT(cfg, seed=1), tiny_source(), 3, None)
    >>> [r.verdict for r in res if r.claim == 3], data["violations_tv"]
    (['holds'], 0)
    """
    s = StreamedSetting(model, untrained, source, length, n_contexts, device=device, memory_budget=memory_budget,
                        batch_size=batch_size, seed=seed, progress=progress)
    out = run_checks(s, kind="streamed")
    st, su, mt = s.st, s.su, s.means["trained"]
    V, d = int(st.W.shape[0]), int(st.W.shape[1])
    a = s.alignment12()
    data: dict[str, Any] = {
        "n_contexts": n_contexts, "count": s.count, "length": length, "V": V, "d": d, "sampled": s.sampled,
        "CE": st.ce, "CE_se": mt.se(mt["ce"], mt["ce2"]), "KL": st.kl, "KL_se": mt.se(mt["kl"], mt["kl2"]), "H": st.entropy_q,
        "H_model": st.entropy_p, "CE_untrained": su.ce, "KL_untrained": su.kl, "H_model_untrained": su.entropy_p,
        "violations_tv": mt.count("viol_tv"), "violations_sub": mt.count("viol_sub"), "violations_cap": mt.count("viol_cap"),
        "out_of_range_sub": mt.count("out_of_range"), "bound_tv": mt["bound_tv"], "bound_sub": mt["bound_sub"],
        "bound_cap": mt["bound_cap"], "E_gap": mt["gap"], "logz_mean": st.logz_mean, "logz_var": st.logz_var,
        "trained": a["trained"], "untrained_alignment": a["untrained"], "null": a["floor"],
        "gap_of_means": abs(st.entropy_p - st.entropy_q), "E_tv": mt["tv"], "E_delta_sub": mt["delta_sub"],
        "untrained": {k: s.means["untrained"].count(f) for k, f in (("violations_sub", "viol_sub"), ("violations_tv", "viol_tv"))},
    }
    terms = s.nll_terms()
    if terms is not None:
        data["NLL"], data["-E<g,h>"] = terms[0], terms[1]
    tj, uj = a["trained"]["J"] / a["trained"]["kyfan"], a["untrained"]["J"] / a["untrained"]["kyfan"]
    data["summary"] = (
        f"{s.count:,} {'sampled ' if s.sampled else ''}contexts of length {length} (|V| = {V}, d = {d}): "
        f"CE = {st.ce:.4f} ± {data['CE_se']:.4f} = E KL {st.kl:.4f} + H {st.entropy_q:.4f}; Fannes (δ = TV) violated on "
        f"{data['violations_tv']} contexts, δ = √(KL/2) on {data['violations_sub']} (trained) / "
        f"{data['untrained']['violations_sub']} (untrained), δ capped at 1 − 1/|V| on {data['violations_cap']}; "
        f"KTA {a['trained']['kta']:.3f} vs {a['untrained']['kta']:.3f} untrained; J/KyFan {tj:.3f} vs {uj:.3f}"
    )
    return out, data
