"""What a check of the paper runs on: a :class:`Setting` (contexts, their law μ, the data kernel, models
given as kernels, a log-linear head), in either mode.

Every claim is checked by one function over this protocol; the mode only changes the arithmetic of the
kernels (exact rationals or float64 torch tensors) and the comparator that decides the verdicts
(:mod:`catkit.paper.compare`).  Two implementations:

* :class:`~catkit.paper.toy.ExactSetting`: a finite source, toy models built from its exact laws
  (belief state, last token, a smoothed last token), a rational log-linear head;
* :class:`LMSetting`: a trained language model lifted by :class:`~catkit.lm.LMKernel` over all contexts of one
  length with their exact law (its checkpoints along training and an untrained twin when known).

The streamed (large) checks get their moments from :class:`~catkit.paper.streamed.StreamedSetting` instead.

>>> from catkit.lm import GPTConfig, TinyGPT
>>> from catkit.sources import tiny_source
>>> s = LMSetting(tiny_source(), TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2)
>>> s.mode, [m.name for m in s.models], s.log_linear().W.shape
('lm', ['trained'], (3, 8))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

import numpy as np
import torch

from catkit.kernel import Kernel
from catkit.paper.result import Mode, PaperError
from catkit.sources import ContextSet, FiniteStateSource

__all__ = ["Model", "GivenModel", "LogLinear", "Setting", "KernelSetting", "LMSetting", "require", "kernel_rows", "float_array"]


@runtime_checkable
class Model(Protocol):
    """A model as the paper factors it: ``generation = encoder >> head`` with a deterministic encoder."""

    name: str

    @property
    def encoder(self) -> Kernel: ...

    @property
    def head(self) -> Kernel: ...

    @property
    def generation(self) -> Kernel: ...


@dataclass(frozen=True)
class GivenModel:
    """A model whose three kernels are given (an LM: its generation is its own forward pass).

    >>> m = GivenModel("m", Kernel.id(2), Kernel.uniform(2, 2), Kernel.uniform(2, 2))
    >>> isinstance(m, Model)
    True
    """

    name: str
    encoder: Kernel
    head: Kernel
    generation: Kernel


@dataclass(frozen=True)
class LogLinear:
    """A log-linear head ``p_h = softmax(W h (+ b))`` on finitely many hidden vectors: ``W`` (V × d), ``hidden``
    (n × d), their law ``mu_h`` (n), the data's next-token law given each hidden state ``data_h`` (n × V).

    Exact mode: numpy object arrays of Fractions; LM mode: float64 arrays.

    >>> from fractions import Fraction as F
    >>> ll = LogLinear(np.array([[F(1)], [F(0)]], dtype=object), np.array([[F(0)]], dtype=object),
    ...                np.array([F(1)], dtype=object), np.array([[F(1, 2), F(1, 2)]], dtype=object))
    >>> ll.exact, ll.d, ll.V
    (True, 1, 2)
    """

    W: np.ndarray
    hidden: np.ndarray
    mu_h: np.ndarray
    data_h: np.ndarray
    bias: np.ndarray | None = None

    @property
    def exact(self) -> bool:
        """Whether the entries are exact (object arrays).

        >>> LogLinear(np.zeros((2, 1)), np.zeros((1, 1)), np.ones(1), np.full((1, 2), 0.5)).exact
        False
        """
        return self.W.dtype == object

    @property
    def d(self) -> int:
        """Hidden dimension."""
        return int(self.W.shape[1])

    @property
    def V(self) -> int:
        """Vocabulary size."""
        return int(self.W.shape[0])


@runtime_checkable
class Setting(Protocol):
    """What every kernel-level check reads (see the module docstring).

    ``models`` are the models the identities are checked on; ``path`` a sequence of ``(label, model)``
    approaching the data kernel (claim 4: mixtures in exact mode, training checkpoints in LM mode);
    ``cache`` memoises work shared by a check and its control.
    """

    mode: Mode
    source: FiniteStateSource
    length: int
    contexts: ContextSet
    mu: Kernel
    data: Kernel
    cache: dict[str, Any]

    @property
    def models(self) -> Sequence[Model]: ...

    @property
    def path(self) -> Sequence[tuple[str, Model]]: ...

    def log_linear(self) -> LogLinear: ...

    def geometry(self) -> Setting: ...

    def decomposition(self, model: Model) -> dict[str, Any]: ...

    def nll_terms(self) -> tuple[Any, Any, Any] | None: ...

    def alignment_moments(self, features: str = "h") -> tuple[Any, Any, Any, int]: ...

    def logz_summary(self) -> dict[str, Any]: ...


def float_array(x: Any) -> np.ndarray:
    """A tensor (any device) or an array-like as a numpy float array.

    >>> float_array(torch.tensor([0.5, 0.25])).tolist(), float_array([1, 2]).dtype
    ([0.5, 0.25], dtype('float64'))
    """
    return x.detach().cpu().numpy() if isinstance(x, torch.Tensor) else np.asarray(x, dtype=float)


def _to_sympy(x: Any) -> Any:
    from catkit.info.reals import to_sympy

    return to_sympy(x)


def kernel_rows(k: Kernel) -> np.ndarray:
    """A kernel's ``|dom| × |cod|`` matrix as numpy: object (exact entries) or float64 (float and torch kernels).

    >>> kernel_rows(Kernel([["1/2", "1/2"]])).tolist(), kernel_rows(Kernel([[0.5, 0.5]])).dtype
    ([[Fraction(1, 2), Fraction(1, 2)]], dtype('float64'))
    """
    m = k.matrix
    if isinstance(m, torch.Tensor):
        return m.detach().cpu().numpy().astype(float)
    return np.asarray(m, dtype=object if k.backend.exact else float).reshape(k.dom.size, k.cod.size)


class KernelSetting:
    """The quantities the checks read, computed once from a setting's kernels (exact values on exact kernels,
    float64 otherwise): the NLL decomposition of a model, the NLL terms, moments and log-partition of the
    log-linear head.  :class:`~catkit.paper.toy.ExactSetting` and :class:`LMSetting` inherit them;
    :class:`~catkit.paper.streamed.StreamedSetting` supplies the same quantities from streamed moments.
    """

    mode: Mode
    mu: Kernel
    data: Kernel
    cache: dict[str, Any]

    def log_linear(self) -> LogLinear:
        raise NotImplementedError

    def decomposition(self, model: Model) -> dict[str, Any]:
        """CE (computed directly as −Σ μ q log p), E KL, H(W_t | W_<t), the model's E H(p_θ), the entropy gap,
        and the averaged Fannes bounds with δ = TV, δ = min(√(KL/2), 1) (the paper's substitution) and
        δ = min(√(KL/2), 1 − 1/|V|) (the corrected one), over the context law.

        >>> from catkit.info.reals import canonical
        >>> from catkit.paper.toy import ExactSetting
        >>> from catkit.sources import tiny_source
        >>> s = ExactSetting(tiny_source(), 1)
        >>> d = s.decomposition(s.models[0])
        >>> canonical(d["CE"]), d["KL"]
        (-3*log(3)/16 + 7*log(2)/4, 0)
        """
        key = f"decomposition {model.name}"
        if key not in self.cache:
            self.cache[key] = decomposition(self.mu, self.data, model.generation)
        return self.cache[key]

    def nll_terms(self) -> tuple[Any, Any, Any] | None:
        """``(NLL, −E⟨ḡ_x, h_x⟩, E log Z(h_x))`` of the log-linear head (exact: sympy expressions); None for a head with
        a bias (the identity is about bias-free heads).

        >>> from catkit.paper.toy import ExactSetting
        >>> from catkit.sources import tiny_source
        >>> nll, gh, logz = ExactSetting(tiny_source(), 1).nll_terms()
        >>> gh
        3/16
        """
        if "nll" not in self.cache:
            ll = self.log_linear()
            self.cache["nll"] = None if ll.bias is not None else nll_terms(ll)
        return self.cache["nll"]

    def alignment_moments(self, features: str = "h") -> tuple[Any, Any, Any, int]:
        """Centred moments ``(Cov h, Cov ḡ, Cov(h, ḡ), d)`` of the log-linear head's hidden vectors (``features="h"``),
        of ``ḡ`` itself (``"g"``) or of nonlinear features ``(h₀², h₀h₁ + h₁)`` (``"nonlinear"``), with ``ḡ = Wᵀ P_data(·|h)``.

        >>> from catkit.paper.toy import ExactSetting
        >>> from catkit.sources import tiny_source
        >>> Chh, Cgg, Chg, d = ExactSetting(tiny_source(), 1).alignment_moments()
        >>> Chh.tolist(), d
        ([[Fraction(1, 2), Fraction(0, 1)], [Fraction(0, 1), Fraction(0, 1)]], 2)
        """
        key = f"moments {features}"
        if key not in self.cache:
            self.cache[key] = alignment_moments(self.log_linear(), features)
        return self.cache[key]

    def logz_summary(self) -> dict[str, Any]:
        """``log Z(h)`` of the log-linear head: its mean and variance under μ_H, its range, and (exact mode) whether two
        hidden states of positive probability have different ``Z`` (decided exactly: by Lindemann–Weierstrass,
        ``Σ_w exp(z_w)`` with rational logits determines the multiset of logits).

        >>> from catkit.paper.toy import ExactSetting
        >>> from catkit.sources import tiny_source
        >>> ExactSetting(tiny_source(), 1).logz_summary()["distinct"]
        True
        """
        if "logz" not in self.cache:
            self.cache["logz"] = logz_summary(self.log_linear())
        return self.cache["logz"]


def decomposition(mu: Kernel, data: Kernel, gen: Kernel) -> dict[str, Any]:
    """See :meth:`KernelSetting.decomposition` (the function behind it, for any three kernels)."""
    from catkit.info import KL, TotalVariation, expected_entropy
    from catkit.info.bounds import fannes_bound
    from catkit.info.claims import rows_of
    from catkit.info.entropy import cross_entropy_of_rows
    from catkit.info.reals import Certified

    w, Q, P = kernel_rows(mu).reshape(-1), kernel_rows(data), kernel_rows(gen)
    V = Q.shape[1]
    exact = Q.dtype == object
    if exact:
        import sympy as sp

        # the terms −μ q log p as the paper writes them (info's exact cross entropy is H + KL: claim 3's other side)
        terms = []
        for m, qr, pr in zip(w, Q, P):
            for q, p in zip(qr, pr):
                if m and q:
                    terms.append(sp.oo if not p else -_to_sympy(m * q) * sp.log(_to_sympy(p)))
        ce: Any = sp.Add(*terms)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):  # −Σ q log p from log p, not as H + KL: claim 3 compares them
            ce = float(w @ cross_entropy_of_rows(Q, log_Q=np.log(P)))
    kl, H, Hm = KL().averaged(data, gen, mu), expected_entropy(data, mu), expected_entropy(gen, mu)
    kl, H, Hm = (float(x) if not exact else x for x in (kl, H, Hm))
    tv, klr = rows_of(TotalVariation()(gen, data)), rows_of(KL()(data, gen))
    out = {"CE": ce, "KL": kl, "H": H, "H_model": Hm, "gap": abs(Hm - H)}
    if exact:
        # the bounds as certified intervals (sympy forms of δ log(|V|−1) + h_b(δ) at √(KL/2) are slow to build)
        zero_tv, zero_kl = all(t == 0 for t in tv), all(k == 0 for k in klr)
        out["bound_tv"] = Certified(lambda prec: _avg_fannes(w, [_arb(t, prec) for t in tv], V, None), "E fannes(TV)",
                                    lambda: zero_tv)
        for key, cap in (("bound_sub", Fraction(1)), ("bound_capped", Fraction(V - 1, V))):
            def bound(prec: int, cap: Fraction = cap) -> Any:
                return _avg_fannes(w, [_sqrt_half(k, prec) for k in klr], V, cap)

            out[key] = Certified(bound, f"E fannes(min(√(KL/2), {cap}))", lambda: zero_kl)
        return out
    sub = np.sqrt(np.maximum(np.asarray(klr, dtype=float), 0.0) / 2)
    tv_a = np.asarray(tv, dtype=float)
    out["bound_tv"] = float(w @ fannes_bound(tv_a, V))
    out["bound_sub"] = float(w @ fannes_bound(np.minimum(sub, 1.0), V))
    out["bound_capped"] = float(w @ fannes_bound(np.minimum(sub, 1 - 1 / V), V))
    return out


def _arb(x: Any, prec: int) -> Any:
    from catkit.info.reals import to_arb

    return None if x == 0 else to_arb(x, prec)


def _sqrt_half(k: Any, prec: int) -> Any:
    a = _arb(k, prec)
    return None if a is None else (a / 2).sqrt()


def _avg_fannes(w: np.ndarray, deltas: list[Any], V: int, cap: Fraction | None) -> Any:
    """``Σ μ(x) [δ_x log(|V|−1) + h_b(δ_x)]`` in arb, δ_x capped at ``cap`` (``None``: δ is a ball or exactly 0)."""
    from flint import arb, fmpq

    from catkit.info.bounds import fannes_bound

    out = arb(0)
    for m, d in zip(w, deltas):
        if not m or d is None:
            continue
        if cap is not None:
            c = arb(fmpq(cap.numerator, cap.denominator))
            if d >= c:
                d = c
            elif not d < c:
                return arb("nan")  # undecided at this precision: the caller raises it
        out += arb(fmpq(m.numerator, m.denominator)) * fannes_bound(d, V)
    return out


def nll_terms(ll: LogLinear) -> tuple[Any, Any, Any]:
    """See :meth:`KernelSetting.nll_terms`."""
    from catkit.paper.geometry import elementwise, log_partition, softmax

    if ll.exact:
        import sympy as sp

        W = np.vectorize(_to_sympy, otypes=[object])(ll.W)
        Hs = np.vectorize(_to_sympy, otypes=[object])(ll.hidden)
        mu: Any = [_to_sympy(m) for m in ll.mu_h]
        Q = np.vectorize(_to_sympy, otypes=[object])(ll.data_h)
        zero: Any = sp.Integer(0)
    else:
        W, Hs, mu, Q, zero = ll.W, ll.hidden, ll.mu_h, ll.data_h, 0.0
    nll, gh, logz = zero, zero, zero
    for m, h, q in zip(mu, Hs, Q):
        if not m:
            continue
        logp = elementwise("log", softmax(W, h, ll.bias))
        nll += -m * sum((a * b for a, b in zip(q, logp) if a), zero)
        gh += m * ((W.T @ q) @ h)
        logz += m * log_partition(W, h, ll.bias)
    return nll, -gh, logz


def alignment_moments(ll: LogLinear, features: str = "h") -> tuple[Any, Any, Any, int]:
    """See :meth:`KernelSetting.alignment_moments`."""
    G = ll.data_h @ ll.W  # ḡ_h = Wᵀ P_data(·|h), one row per hidden state
    H = {"h": ll.hidden, "g": G}.get(features)
    if H is None:
        H = np.array([[h[0] * h[0], h[0] * h[1] + h[1]] for h in ll.hidden], dtype=ll.hidden.dtype)
    w = ll.mu_h

    def centred(X: np.ndarray) -> np.ndarray:
        return X - w @ X

    hc, gc = centred(H), centred(G)
    return hc.T @ (w[:, None] * hc), gc.T @ (w[:, None] * gc), hc.T @ (w[:, None] * gc), H.shape[1]


def logz_summary(ll: LogLinear) -> dict[str, Any]:
    """See :meth:`KernelSetting.logz_summary`."""
    from catkit.paper.geometry import log_partition

    W = ll.W.astype(float) if ll.exact else ll.W
    Hs = ll.hidden.astype(float) if ll.exact else ll.hidden
    mu = np.asarray(ll.mu_h, dtype=float)
    lz = np.array([log_partition(W, h, ll.bias) for h in Hs], dtype=float)
    mean = float(mu @ lz)
    out: dict[str, Any] = {"mean": mean, "var": float(mu @ (lz - mean) ** 2), "range": [float(lz.min()), float(lz.max())],
                           "distinct": None}
    if ll.exact:
        support = [i for i, m in enumerate(ll.mu_h) if m]
        logits = {tuple(sorted(ll.W @ ll.hidden[i])) for i in support}
        out["distinct"] = len(logits) > 1
    return out


@dataclass
class LMSetting(KernelSetting):
    """A trained model on the contexts of length ``length`` of a source, with their exact law (LM mode).

    ``checkpoints`` are ``(step, model)`` along training (the path of claim 4) and ``untrained`` the
    baseline of claim 12 (both optional).

    >>> from catkit.lm import GPTConfig, TinyGPT
    >>> from catkit.sources import tiny_source
    >>> s = LMSetting(tiny_source(), TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2)
    >>> len(s.contexts), s.weights[:3].tolist(), s.path
    (9, [0.09375, 0.03125, 0.125], [])
    """

    source: FiniteStateSource
    model: Any
    length: int
    device: Any = None
    seed: int = 0
    checkpoints: Sequence[tuple[int, Any]] = ()
    untrained: Any = None
    probe: dict[str, int] = field(default_factory=lambda: {"n_train": 6000, "n_test": 4000, "steps": 300})
    mode: Mode = "lm"

    def __post_init__(self) -> None:
        from catkit.lm import LMKernel

        self.contexts = ContextSet.of_length(self.source.vocab, self.length)
        self.lk = LMKernel(self.model, self.contexts, source=self.source, device=self.device)
        self.mu = self.lk.context_law()
        self.data = self.lk.data
        self.cache: dict[str, Any] = {}

    def __repr__(self) -> str:
        return f"<LMSetting {self.source.name!r}, contexts of length {self.length}>"

    @property
    def weights(self) -> torch.Tensor:
        """μ(x) as a vector."""
        return self.mu.matrix.reshape(-1)

    def _as_model(self, lk: Any, name: str) -> GivenModel:
        _, z = lk.adapter.last(torch.as_tensor(np.asarray(list(self.contexts), dtype=np.int64), device=lk.device))
        gen = Kernel.from_matrix(torch.softmax(z.to(torch.float64), dim=-1), self.contexts.wire, self.source.vocab,
                                 backend="torch")
        return GivenModel(name, lk.encoder, lk.head, gen)

    @property
    def models(self) -> list[GivenModel]:
        """The trained model: encoder and head from :class:`~catkit.lm.LMKernel`, generation from its own forward pass."""
        if "models" not in self.cache:
            self.cache["models"] = [self._as_model(self.lk, "trained")]
        return self.cache["models"]

    @property
    def path(self) -> list[tuple[str, GivenModel]]:
        """The training checkpoints as models (empty for a loaded model)."""
        if "path" not in self.cache:
            from catkit.lm import LMKernel

            self.cache["path"] = [(f"step {t}", self._as_model(LMKernel(m, self.contexts, source=self.source, device=self.device),
                                                                f"step {t}")) for t, m in self.checkpoints]
        return self.cache["path"]

    def geometry(self) -> LMSetting:
        """The setting of the geometric claims: itself."""
        return self

    def log_linear(self) -> LogLinear:
        """The trained head on the model's distinct hidden states (float64)."""
        if "log_linear" not in self.cache:
            lk = self.lk
            mu_h = float_array(lk.hidden_law().matrix).reshape(-1)
            data_h = np.zeros((lk.hidden_table.shape[0], self.source.vocab.size))
            np.add.at(data_h, float_array(lk.hidden_index).astype(int), float_array(self.weights)[:, None] * float_array(self.data.matrix))
            data_h = data_h / np.where(mu_h > 0, mu_h, 1.0)[:, None]
            self.cache["log_linear"] = LogLinear(float_array(lk.W), float_array(lk.hidden_table), mu_h, data_h,
                                                 None if lk.bias is None else float_array(lk.bias))
        return self.cache["log_linear"]

    def expect(self, values: Any) -> float:
        """``Σ_x μ(x) v(x)``.

        >>> from catkit.lm import GPTConfig, TinyGPT
        >>> from catkit.sources import tiny_source
        >>> s = LMSetting(tiny_source(), TinyGPT(GPTConfig(vocab_size=3, d_model=8, n_head=2)), 2)
        >>> s.expect([float(x[-1] == 2) for x in s.contexts])
        0.5
        """
        w = float_array(self.weights)
        return float(w @ np.asarray(values, dtype=float))


def require(setting: Any, what: str) -> Any:
    """The attribute ``what`` of a setting, or a :class:`PaperError` naming what is missing.

    >>> require(object(), "untrained")
    Traceback (most recent call last):
    ...
    catkit.paper.result.PaperError: this setting has no untrained (needed by this check)
    """
    v = getattr(setting, what, None)
    if v is None:
        raise PaperError(f"this setting has no {what} (needed by this check)")
    return v


def isfinite(x: Any) -> bool:
    """Whether a scalar is finite (exact values always are unless infinite).

    >>> isfinite(1.0), isfinite(float("inf"))
    (True, False)
    """
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError):
        return False
