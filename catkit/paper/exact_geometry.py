"""Exact-mode checks of claims 6–11: the Fisher metric of a log-linear head, divergence transfer,
the Fisher–Rao length bound, predictive-similarity kernels, the similarity operator, and the
exact parts of spectral alignment.

The toy model is log-linear: hidden vectors ``h`` (rational, built from the belief states of the
exact setting) and a bias-free head ``p_h = softmax(W h)`` with a rational ``W``.  Softmax is not
rational, so these checks run in mpmath at :data:`DPS` digits (and exactly in rationals wherever
the quantity is rational: the linear kernel, the operator's trace, tower and Dirichlet identities).

>>> from catkit.sources import tiny_source
>>> rs = claim10_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 2)))
>>> sorted({r.verdict for r in rs})
['fails', 'holds']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from catkit.info import KL, Hellinger, Jeffreys, JensenShannon, TotalVariation, bhattacharyya_coefficient
from catkit.info.bounds import find_kl_bound_violation, kl_bound
from catkit.kernel import Kernel
from catkit.objects import Wire
from catkit.paper.exact_info import DPS, hp
from catkit.paper.result import ClaimResult
from catkit.paper.toy import ExactSetting, belief_model

__all__ = [
    "LogLinearToy", "claim6_exact", "claim7_exact", "claim8_exact", "claim9_exact", "claim10_exact", "claim11_exact",
    "softmax", "fisher_metric", "jeffreys_counterexample",
]

M = mpmath.matrix


def _res(claim: int, check: str, ok: bool, relation: str, q: dict[str, Any] | None = None, margin: float | None = None,
         note: str = "", finding: bool = False) -> ClaimResult:
    return ClaimResult(claim, "exact", check, "holds" if ok else "fails", relation, q or {}, margin=margin, note=note, finding=finding)


def softmax(W: mpmath.matrix, h: mpmath.matrix) -> mpmath.matrix:
    """``softmax(W h)`` in mpmath (max-shifted).

    >>> [float(x) for x in softmax(mpmath.matrix([[1], [0]]), mpmath.matrix([mpmath.log(3)]))]
    [0.75, 0.25]
    """
    z = W * h
    m = max(z[i] for i in range(z.rows))
    e = [mpmath.exp(z[i] - m) for i in range(z.rows)]
    s = mpmath.fsum(e)
    return M([x / s for x in e])


def log_partition(W: mpmath.matrix, h: mpmath.matrix) -> mpmath.mpf:
    """``log Σ_w exp((W h)_w)``."""
    z = W * h
    m = max(z[i] for i in range(z.rows))
    return m + mpmath.log(mpmath.fsum(mpmath.exp(z[i] - m) for i in range(z.rows)))


def fisher_metric(W: mpmath.matrix, h: mpmath.matrix) -> mpmath.matrix:
    """``g*(h) = Wᵀ (diag p − p pᵀ) W`` with ``p = softmax(W h)`` (Thm 6.1).

    With one coordinate and ``p = (3/4, 1/4)`` the metric is the Bernoulli variance ``3/16``:

    >>> float(fisher_metric(mpmath.matrix([[1], [0]]), mpmath.matrix([mpmath.log(3)]))[0, 0])
    0.1875
    """
    p = softmax(W, h)
    V = p.rows
    C = M(V, V)
    for i in range(V):
        for j in range(V):
            C[i, j] = (p[i] if i == j else 0) - p[i] * p[j]
    return W.T * C * W


def _kl(p: mpmath.matrix, q: mpmath.matrix) -> mpmath.mpf:
    return mpmath.fsum(p[i] * mpmath.log(p[i] / q[i]) for i in range(p.rows) if p[i] > 0)


def _rank(A: mpmath.matrix, tol: mpmath.mpf) -> int:
    s = mpmath.svd_r(A, compute_uv=False)
    return sum(1 for i in range(s.rows) if s[i] > tol)


def _rat_matrix(rows: Sequence[Sequence[Any]]) -> mpmath.matrix:
    return M([[hp(Fraction(x)) for x in r] for r in rows])


@dataclass
class LogLinearToy:
    """A log-linear toy LM over an exact setting: hidden vector ``h_x`` per context (through its hidden
    state), head ``softmax(W h)``; ``mu_h`` is the law of the hidden states.

    >>> from catkit.sources import tiny_source
    >>> t = LogLinearToy.from_setting(ExactSetting(tiny_source(), 2))
    >>> t.d, t.V, len(t.hidden) == len(t.mu_h)
    (2, 3, True)
    """

    setting: ExactSetting
    hidden: list[tuple[Fraction, ...]]  # one rational vector per hidden state
    encoder: Kernel  # contexts → hidden states (deterministic)
    mu_h: list[Fraction]
    W: list[list[Fraction]]  # V × d

    @classmethod
    def from_setting(cls, setting: ExactSetting) -> LogLinearToy:
        """Hidden states: the belief states; ``h = 2(b_0 − b_last, b_1 − b_last)`` (d = 2); a fixed rational W.

        >>> from catkit.sources import tiny_source
        >>> t = LogLinearToy.from_setting(ExactSetting(tiny_source(), 1))
        >>> [[str(x) for x in h] for h in t.hidden], [str(m) for m in t.mu_h]
        ([['1', '0'], ['-1', '0'], ['0', '0']], ['1/4', '1/4', '1/2'])
        """
        model = belief_model(setting)
        hidden = [tuple(2 * (b[i] - b[-1]) for i in range(2)) for b in model.keys]
        mu_h = (setting.mu >> model.encoder).matrix.reshape(-1).tolist()
        V = setting.vocab.size
        W = [[Fraction(((3 * w + 2 * j) % 5) - 2, 1 + j) for j in range(2)] for w in range(V)]
        return cls(setting, hidden, model.encoder, mu_h, W)

    @property
    def d(self) -> int:
        """Hidden dimension.

        >>> from catkit.sources import tiny_source
        >>> LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).d
        2
        """
        return len(self.hidden[0])

    @property
    def V(self) -> int:
        """Vocabulary size.

        >>> from catkit.sources import tiny_source
        >>> LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).V
        3
        """
        return len(self.W)

    def Wm(self) -> mpmath.matrix:
        """W in mpmath.

        >>> from catkit.sources import tiny_source
        >>> W = LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).Wm()
        >>> (W.rows, W.cols), float(W[2, 1])
        ((3, 2), 0.5)
        """
        return _rat_matrix(self.W)

    def hm(self, i: int) -> mpmath.matrix:
        """Hidden vector ``i`` in mpmath.

        >>> from catkit.sources import tiny_source
        >>> [float(x) for x in LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).hm(1)]
        [-1.0, 0.0]
        """
        return M([hp(x) for x in self.hidden[i]])

    def head_probs(self) -> list[mpmath.matrix]:
        """``p_h`` for every hidden state.

        The hidden vector ``0`` (the uninformative context ``c``) gets the uniform law:

        >>> from catkit.sources import tiny_source
        >>> [round(float(x), 6) for x in LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).head_probs()[2]]
        [0.333333, 0.333333, 0.333333]
        """
        W = self.Wm()
        return [softmax(W, self.hm(i)) for i in range(len(self.hidden))]

    def data_given_h(self) -> list[list[Fraction]]:
        """``P_data(· | h)`` (exact): the data kernel depends on the context only through the belief state.

        >>> from catkit.sources import tiny_source
        >>> [[str(x) for x in r] for r in LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)).data_given_h()]
        [['3/8', '1/8', '1/2'], ['1/8', '3/8', '1/2'], ['1/4', '1/4', '1/2']]
        """
        from catkit.paper.toy import optimal_head

        return optimal_head(self.setting, self.encoder).matrix.tolist()


# ---------------------------------------------------------------------- claim 6
def claim6_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """g* = Wᵀ(diag p − ppᵀ)W is the second-order KL expansion; rank g* ≤ min(d, |V| − 1).

    >>> from catkit.sources import tiny_source
    >>> rs = claim6_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)))
    >>> [r.verdict for r in rs], rs[2].quantities["(d, rank)"]
    (['holds', 'holds', 'holds'], [(2, 2), (4, 2)])
    """
    mpmath.mp.dps = DPS
    out = []
    W = toy.Wm()
    worst = mpmath.mpf(0)
    ratios = []
    for i in range(min(4, len(toy.hidden))):
        h = toy.hm(i)
        g = fisher_metric(W, h)
        v = M([1, -2][: toy.d] + [0] * (toy.d - 2))
        quad = (v.T * g * v)[0]
        p = softmax(W, h)
        third = []
        for k in range(2, 7):
            eps = mpmath.mpf(10) ** (-k)
            kl = _kl(softmax(W, h + eps * v), p)
            third.append(abs(kl - quad * eps**2 / 2) / eps**3)
        # O(ε³): the normalised remainder stays bounded and settles (it converges to the cubic coefficient)
        worst = max(worst, abs(third[-1] - third[-2]) / (1 + abs(third[-1])))
        ratios.append(float(third[-1]))
    out.append(_res(6, "KL(p_{h+εv} ‖ p_h) = ½ ε² vᵀ g*(h) v + O(ε³)", bool(worst < mpmath.mpf("1e-3")),
                    "(KL − ½ε² vᵀg*v)/ε³ converges as ε = 10⁻², …, 10⁻⁶", {"cubic coefficients": ratios},
                    margin=float(1e-3 - worst)))
    # autograd: the Hessian of v ↦ KL(p_{h+v} ‖ p_h) at 0 is g*(h)
    import torch

    Wt = torch.tensor([[float(x) for x in r] for r in toy.W], dtype=torch.float64)
    h0 = torch.tensor([float(x) for x in toy.hidden[0]], dtype=torch.float64)
    p0 = torch.softmax(Wt @ h0, 0)
    hess = torch.autograd.functional.hessian(lambda u: torch.sum(p0 * (torch.log(p0) - torch.log_softmax(Wt @ (h0 + u), 0))),
                                             torch.zeros_like(h0))
    g0 = fisher_metric(W, toy.hm(0))
    diff = max(abs(float(hess[a, b]) - float(g0[a, b])) for a in range(toy.d) for b in range(toy.d))
    out.append(_res(6, "autograd Hessian of the KL equals g*(h)", diff < 1e-12, "∇²_v KL(p_{h+v} ‖ p_h)|₀ = Wᵀ(diag p − ppᵀ)W",
                    {"max |difference|": diff}, margin=1e-12 - diff))
    # rank bound, with d > |V| − 1 so that it bites
    rng = np.random.default_rng(3)
    ok, ranks = True, []
    for d in (2, toy.V + 1):
        Wr = M([[mpmath.mpf(int(x)) / 3 for x in r] for r in rng.integers(-3, 4, size=(toy.V, d))])
        hr = M([mpmath.mpf(int(x)) / 4 for x in rng.integers(-4, 5, size=d)])
        r = _rank(fisher_metric(Wr, hr), mpmath.mpf(10) ** (-DPS // 2))
        ranks.append((d, r))
        ok &= r <= min(d, toy.V - 1)
    out.append(_res(6, "rank g*(h) ≤ min(d, |V| − 1)", ok, "rank of the pullback metric", {"(d, rank)": ranks}))
    return out


# ---------------------------------------------------------------------- claim 7
def claim7_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """d^k ≤ C·KL transfers to E d^k ≤ C·L; the triangle and Markov transfers; the Hellinger constant.

    Every transfer holds; the paper's constant C = 1/2 for d_H² = 2(1 − BC) fails (a finding).  A binary
    source keeps the example fast (the exact KL of 30-digit rationals factors their denominators):

    >>> from catkit.sources import HMM
    >>> binary = HMM([["3/4", "1/4"], ["1/4", "3/4"]], [["3/4", "1/4"], ["1/4", "3/4"]], name="binary")
    >>> rs = claim7_exact(LogLinearToy.from_setting(ExactSetting(binary, 1)))
    >>> [r.verdict for r in rs].count("holds"), rs[-1].verdict, rs[-1].finding
    (7, 'fails', True)
    """
    mpmath.mp.dps = DPS
    out = []
    model = _model_kernel(toy)
    data = toy.setting.data
    mu = toy.setting.mu
    L = KL().averaged(data, model, mu)
    Lf = hp(L)
    w = [hp(x) for x in mu.matrix.reshape(-1)]
    for D, k, label in [(TotalVariation(), 2, "TV, k = 2"), (Hellinger(scale=1, squared=False), 2, "Hellinger √(1−BC), k = 2"),
                        (Hellinger(scale=2, squared=False), 2, "Hellinger √(2(1−BC)), k = 2")]:
        kb = kl_bound(D, k)
        assert kb is not None
        C = kb.constant
        vals = [hp(x) for x in np.asarray(D(data, model), dtype=object).reshape(-1)]
        lhs = mpmath.fsum(m * v**k for m, v in zip(w, vals))
        out.append(_res(7, f"E d^k ≤ C·L with the sharp C ({label}, C = {C})", bool(lhs <= hp(C) * Lf),
                        "E_x d(P_data, P_θ)^k ≤ C · E_x KL", {"E d^k": float(lhs), "C·L": float(hp(C) * Lf)}, margin=float(hp(C) * Lf - lhs)))
        # Markov: P(ε_x ≥ δ) ≤ C L / δ^k
        delta = max(vals) / 2
        frac = mpmath.fsum(m for m, v in zip(w, vals) if v >= delta)
        out.append(_res(7, f"Markov transfer ({label})", bool(frac <= hp(C) * Lf / delta**k), "P(ε_x ≥ δ) ≤ C L / δ^k",
                        {"δ": float(delta), "P(ε ≥ δ)": float(frac), "bound": float(hp(C) * Lf / delta**k)}))
    # the triangle transfer for a metric d
    D = Hellinger(scale=2, squared=False)
    eps = [hp(x) for x in np.asarray(D(data, model), dtype=object).reshape(-1)]
    n = len(eps)
    pairs = [(i, j) for i in range(n) for j in range(i + 1, n)][:60]
    worst = mpmath.mpf("inf")
    for i, j in pairs:
        dm = hp(D(model(toy.setting.contexts.labels[i]), model(toy.setting.contexts.labels[j])))
        dd = hp(D(data(toy.setting.contexts.labels[i]), data(toy.setting.contexts.labels[j])))
        worst = min(worst, eps[i] + eps[j] - abs(dm - dd))
    out.append(_res(7, "triangle transfer (Hellinger distance)", bool(worst >= 0),
                    "|d(p^θ_x, p^θ_x') − d(p^data_x, p^data_x')| ≤ ε_x + ε_x'", {"pairs": len(pairs)}, margin=float(worst)))
    # the paper's Hellinger constant: with d_H² = 2(1 − BC), d_H² ≤ ½ KL is false
    v = find_kl_bound_violation(Hellinger(scale=2, squared=False), 2, Fraction(1, 2))
    if v is None:  # pragma: no cover - p = (1, 0), q = (1 - 2^-k, 2^-k) is a violation
        raise RuntimeError("no two-point pair violating d_H² = 2(1 − BC) ≤ ½ KL was found")
    p, q = v.p.matrix.reshape(-1).tolist(), v.q.matrix.reshape(-1).tolist()
    out.append(_res(7, "the paper's constant: d_H² = 2(1 − BC) ≤ ½ KL", bool(v.holds), "d_H(p, q)² ≤ C · KL(p‖q) with C = 1/2",
                    {"p": [str(x) for x in p], "q": [str(x) for x in q], "d_H²": float(hp(v.lhs)), "½ KL": float(hp(v.rhs))},
                    margin=float(hp(v.rhs) - hp(v.lhs)),
                    note="with d_H² = 2(1 − BC) the sharp constant is 1 (C = 1/2 is right for d_H² = 1 − BC); "
                    "p = (1, 0) against q = (1 − ε, ε) shows d_H²/KL → 1", finding=not v.holds))
    return out


def _model_kernel(toy: LogLinearToy, dps: int = 30) -> Kernel:
    """The toy's generation kernel contexts → vocab, rounded to rationals with ``dps`` digits (then renormalised
    exactly): exact-mode checks that need a Kernel use this faithful rational image of softmax."""
    probs = toy.head_probs()
    rows_h = []
    for p in probs:
        r = [Fraction(mpmath.nstr(p[i], dps, min_fixed=-100, max_fixed=100)) for i in range(p.rows)]
        s = sum(r, Fraction(0))
        rows_h.append([x / s for x in r])
    head = Kernel(rows_h, toy.encoder.cod, toy.setting.data.cod)
    return toy.encoder >> head


# ---------------------------------------------------------------------- claim 8
def claim8_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """d_FR(p_h, p_h') = 2 arccos BC ≤ ∫₀¹ √(Δᵀ g*(h + tΔ) Δ) dt.

    >>> from catkit.sources import tiny_source
    >>> [r] = claim8_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)))
    >>> r.verdict, r.margin > 0
    ('holds', True)
    """
    mpmath.mp.dps = 30
    W = toy.Wm()
    worst, lens = mpmath.mpf("inf"), []
    n = len(toy.hidden)
    for i, j in [(0, n - 1), (0, n // 2), (1, n - 2)][: max(1, n - 1)]:
        h, h2 = toy.hm(i), toy.hm(j)
        delta = h2 - h
        p, q = softmax(W, h), softmax(W, h2)
        bc = mpmath.fsum(mpmath.sqrt(p[k] * q[k]) for k in range(p.rows))
        dfr = 2 * mpmath.acos(min(bc, mpmath.mpf(1)))

        def speed(t: mpmath.mpf, h: mpmath.matrix = h, delta: mpmath.matrix = delta) -> mpmath.mpf:
            g = fisher_metric(W, h + t * delta)
            return mpmath.sqrt(max((delta.T * g * delta)[0], mpmath.mpf(0)))

        length = mpmath.quad(speed, [0, 1])
        worst = min(worst, length - dfr)
        lens.append((float(dfr), float(length)))
    mpmath.mp.dps = DPS
    return [_res(8, "Fisher–Rao distance ≤ length of the pulled-back segment", bool(worst >= -mpmath.mpf("1e-20")),
                 "2 arccos BC(p_h, p_h') ≤ ∫₀¹ √(Δᵀ g*(h(t)) Δ) dt", {"(d_FR, length)": lens}, margin=float(worst))]


# ---------------------------------------------------------------------- claims 9 and 10
def _gram(D: Any, P: Kernel, transform: Any) -> mpmath.matrix:
    """``transform(D(p_i, p_j))`` for all rows of P (exact D values evaluated to DPS digits)."""
    n = P.dom.size
    rows = P.matrix.tolist()
    G = M(n, n)
    for i in range(n):
        for j in range(i, n):
            v = transform(hp(D(Kernel.state(rows[i], P.cod), Kernel.state(rows[j], P.cod))))
            G[i, j] = G[j, i] = v
    return G


def _min_eig(G: mpmath.matrix) -> mpmath.mpf:
    return min(mpmath.eigsy(G, eigvals_only=True))


def jeffreys_counterexample() -> tuple[list[list[Fraction]], Fraction, mpmath.mpf]:
    """Three binary distributions and β with exp(−β Jeffreys) not PSD: (rows, β, min eigenvalue < 0).

    >>> rows, beta, lam = jeffreys_counterexample()
    >>> lam < 0
    True
    """
    rows = [[Fraction(1, 5), Fraction(4, 5)], [Fraction(1, 40), Fraction(39, 40)], [Fraction(1, 1000), Fraction(999, 1000)]]
    beta = Fraction(1, 2)
    P = Kernel(rows)
    G = _gram(Jeffreys(), P, lambda v: mpmath.exp(-hp(beta) * v))
    return rows, beta, _min_eig(G)


def _head_rows(toy: LogLinearToy, dps: int = 30) -> Kernel:
    probs = toy.head_probs()
    rows = []
    for p in probs:
        r = [Fraction(mpmath.nstr(p[i], dps, min_fixed=-100, max_fixed=100)) for i in range(p.rows)]
        s = sum(r, Fraction(0))
        rows.append([x / s for x in r])
    return Kernel(rows, toy.encoder.cod, toy.setting.data.cod)


def _float_rows(K: Kernel) -> Kernel:
    return K.to("numpy")


def claim9_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """K_BC, K_Lin, exp(−β d_H²), exp(−β JS) are PSD on predictive distributions; exp(−β Jeffreys) is not; d_H² = 2(1 − K_BC).

    >>> from catkit.sources import tiny_source
    >>> rs = claim9_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)))
    >>> [r.verdict for r in rs], rs[4].quantities["λ_min"] < 0
    (['holds', 'holds', 'holds', 'holds', 'holds', 'holds'], True)
    """
    mpmath.mp.dps = DPS
    out = []
    P = _head_rows(toy, dps=12)
    F = _float_rows(P)
    n = P.dom.size
    beta = 1.0
    grams = {
        "K_BC": 1 - np.asarray(Hellinger(scale=1).pairwise(F), dtype=float),
        "K_Lin": F.matrix @ F.matrix.T,
        "exp(−β d_H²)": np.exp(-beta * np.asarray(Hellinger(scale=2).pairwise(F), dtype=float)),
        "exp(−β JS)": np.exp(-beta * np.asarray(JensenShannon().pairwise(F), dtype=float)),
    }
    tol = 1e-12 * n
    for name, G in grams.items():
        lam = float(np.linalg.eigvalsh((G + G.T) / 2)[0])
        out.append(_res(9, f"{name} is PSD", lam >= -tol, "smallest eigenvalue of the Gram matrix ≥ 0 (float64, tolerance 1e-12·n)",
                        {"λ_min": lam, "points": n}, margin=lam + tol))
    rows, b, lmin = jeffreys_counterexample()
    out.append(_res(9, "exp(−β Jeffreys) is not PSD in general", bool(lmin < 0),
                    "the Gram matrix of exp(−β J) has a negative eigenvalue (so PSD is not guaranteed, as the paper says)",
                    {"distributions": [[str(x) for x in r] for r in rows], "β": str(b), "λ_min": float(lmin)}, margin=float(-lmin),
                    note=f"certified at {DPS} digits"))
    # d_H² = 2(1 − K_BC), exactly, on exact rows
    rs = P.matrix.tolist()[:3]
    E = Kernel(rs, Wire(len(rs)), P.cod)
    H2 = np.asarray(Hellinger(scale=2).pairwise(E), dtype=object)
    ok = all(sp.simplify(sp.sympify(H2[i, j]) - 2 * (1 - sp.sympify(bhattacharyya_coefficient(E(i), E(j))))) == 0
             for i in range(len(rs)) for j in range(len(rs)))
    out.append(_res(9, "d_H² = 2(1 − K_BC)", bool(ok), "the seed paper's normalisation, as exact expressions", {}))
    return out


def claim10_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """M = K̃ diag(μ): real spectrum, ≥ 0 for PSD K; trace, tower and Dirichlet identities; a non-PSD counterexample.

    >>> from catkit.sources import tiny_source
    >>> rs = claim10_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)))
    >>> [r.verdict for r in rs], rs[-1].finding
    (['holds', 'holds', 'holds', 'holds', 'fails'], True)
    """
    out = []
    Ph = _head_rows(toy, dps=6)
    rows = Ph.matrix.tolist()
    mu = [Fraction(x) for x in toy.mu_h]
    n, V = len(rows), len(rows[0])
    Pq = sp.Matrix([[sp.Rational(x) for x in r] for r in rows])
    Kt = Pq * Pq.T  # K_Lin: rational and PSD
    D = sp.diag(*[sp.Rational(m) for m in mu])
    # M = P (Pᵀ D) has the nonzero spectrum of A = Pᵀ D P (V × V): A PSD ⟹ spectrum of M real and ≥ 0
    A = Pq.T * D * Pq
    minors = [A.extract(list(S), list(S)).det() for r in range(1, V + 1) for S in __import__("itertools").combinations(range(V), r)]
    mpmath.mp.dps = 30
    ev = mpmath.eig(mpmath.matrix((Kt * D).tolist()), left=False, right=False)
    im = max(abs(mpmath.im(e)) for e in ev)
    lo = min(mpmath.re(e) for e in ev)
    out.append(_res(10, "M = K̃ diag(μ) has a real, non-negative spectrum (K = K_Lin, PSD)",
                    all(m >= 0 for m in minors) and im < mpmath.mpf("1e-20") and lo > -mpmath.mpf("1e-20"),
                    "every principal minor of Pᵀ diag(μ) P is ≥ 0 (exact), and M shares its nonzero spectrum",
                    {"size": n, "V × V form": V, "min eigenvalue": float(lo)}))
    mpmath.mp.dps = DPS
    Mop = Kt * D
    tr = Mop.trace() == sum((sp.Rational(m) * Kt[i, i] for i, m in enumerate(mu)), sp.Integer(0))
    out.append(_res(10, "trace identity", bool(tr), "tr M = Σ_h μ(h) K̃(h, h), exactly", {"trace": float(Mop.trace())}))
    # tower identity over contexts: E⟨h_x, h_x'⟩ K(x, x') = Σ μμ' K̃(h, h')⟨h, h'⟩
    enc = toy.encoder.as_function()
    labels = toy.setting.contexts.labels
    hid = {f"h{i}": i for i in range(n)}
    mux = toy.setting.mu.matrix.reshape(-1).tolist()
    hv = [[sp.Rational(x) for x in h] for h in toy.hidden]
    ip = [[sum((a * b for a, b in zip(hv[i], hv[j])), sp.Integer(0)) for j in range(n)] for i in range(n)]
    ix = [hid[enc[c]] for c in labels]
    lhs = sum((sp.Rational(mux[a]) * sp.Rational(mux[b]) * ip[ix[a]][ix[b]] * Kt[ix[a], ix[b]]
               for a in range(len(labels)) for b in range(len(labels))), sp.Integer(0))
    rhs = sum((sp.Rational(mu[i]) * sp.Rational(mu[j]) * Kt[i, j] * ip[i][j] for i in range(n) for j in range(n)), sp.Integer(0))
    out.append(_res(10, "tower identity", lhs == rhs, "E_{x,x'}⟨h_x, h_x'⟩K(x, x') = Σ_{h,h'} μ(h)μ(h')K̃(h, h')⟨h, h'⟩",
                    {"value": float(lhs)}))
    # Dirichlet identity for f = first hidden coordinate
    f = [hv[i][0] for i in range(n)]
    dirichlet = sum((sp.Rational(mu[i]) * sp.Rational(mu[j]) * Kt[i, j] * (f[i] - f[j]) ** 2 for i in range(n) for j in range(n)),
                    sp.Integer(0)) / 2
    deg = [sum((sp.Rational(mu[j]) * Kt[i, j] for j in range(n)), sp.Integer(0)) for i in range(n)]
    quad = sum((sp.Rational(mu[i]) * deg[i] * f[i] ** 2 for i in range(n)), sp.Integer(0)) - sum(
        (sp.Rational(mu[i]) * sp.Rational(mu[j]) * Kt[i, j] * f[i] * f[j] for i in range(n) for j in range(n)), sp.Integer(0))
    out.append(_res(10, "Dirichlet identity", dirichlet == quad,
                    "½ Σ μμ' K̃ (f(h) − f(h'))² = Σ μ deg f² − Σ μμ' K̃ f f'", {"value": float(dirichlet)}))
    # the paper's "non-negative spectrum under boundedness and symmetry": false without PSD
    rows_j, beta, _ = jeffreys_counterexample()
    G = _gram(Jeffreys(), Kernel(rows_j), lambda v: mpmath.exp(-hp(beta) * v))
    Mj = G * mpmath.diag(mpmath.matrix([mpmath.mpf(1) / 3] * 3))
    lam = min(mpmath.re(e) for e in mpmath.eig(Mj, left=False, right=False))
    out.append(_res(10, "non-negative spectrum from boundedness and symmetry alone", bool(lam >= 0),
                    "K = exp(−β Jeffreys): symmetric, bounded by 1, not PSD; μ uniform on 3 points",
                    {"smallest eigenvalue of M": float(lam)}, margin=float(lam),
                    note="the spectrum of M is real (M is similar to a symmetric matrix) but can be negative unless K is PSD",
                    finding=bool(lam < 0)))
    return out


# ---------------------------------------------------------------------- claim 11
def claim11_exact(toy: LogLinearToy) -> list[ClaimResult]:
    """NLL = −E⟨ḡ, h⟩ + E log Z; J = ‖E[h ḡᵀ]‖²; Ky Fan under whitening, with its equality case; log Z varies.

    >>> from catkit.sources import tiny_source
    >>> rs = claim11_exact(LogLinearToy.from_setting(ExactSetting(tiny_source(), 1)))
    >>> {r.verdict for r in rs}, rs[1].quantities["J"]
    ({'holds'}, 0.0390625)
    """
    mpmath.mp.dps = DPS
    out = []
    W = toy.Wm()
    n, d = len(toy.hidden), toy.d
    mu = [hp(m) for m in toy.mu_h]
    data = [[hp(x) for x in r] for r in toy.data_given_h()]
    hs = [toy.hm(i) for i in range(n)]
    gbar = [W.T * M(r) for r in data]  # ḡ_h = Wᵀ P_data(·|h)
    nll = mpmath.fsum(mu[i] * -mpmath.fsum(data[i][w] * mpmath.log(softmax(W, hs[i])[w]) for w in range(toy.V) if data[i][w] > 0)
                      for i in range(n))
    logZ = [log_partition(W, h) for h in hs]
    rhs = -mpmath.fsum(mu[i] * (gbar[i].T * hs[i])[0] for i in range(n)) + mpmath.fsum(mu[i] * logZ[i] for i in range(n))
    out.append(_res(11, "NLL = −E⟨ḡ_x, h_x⟩ + E log Z(h_x)", bool(abs(nll - rhs) < mpmath.mpf(10) ** (-DPS + 5)),
                    "for a bias-free log-linear head", {"NLL": float(nll), "residual": float(abs(nll - rhs))}))
    # J = E⟨h, h'⟩⟨ḡ, ḡ'⟩ = ‖E[h ḡᵀ]‖_F², exactly in rationals
    hq = [[sp.Rational(x) for x in h] for h in toy.hidden]
    Wq = sp.Matrix([[sp.Rational(x) for x in r] for r in toy.W])
    dq = [sp.Matrix([sp.Rational(x) for x in r]) for r in toy.data_given_h()]
    gq = [Wq.T * r for r in dq]
    muq = [sp.Rational(m) for m in toy.mu_h]
    J = sum((muq[i] * muq[j] * sum((a * b for a, b in zip(hq[i], hq[j])), sp.Integer(0)) * (gq[i].T * gq[j])[0]
             for i in range(n) for j in range(n)), sp.Integer(0))
    cross = sum((muq[i] * sp.Matrix(hq[i]) * gq[i].T for i in range(n)), sp.zeros(d, d))
    out.append(_res(11, "J = E⟨h, h'⟩K(x, x') = ‖E[h ḡᵀ]‖_F²", sp.simplify(J - sum(x**2 for x in cross)) == 0,
                    "K(x, x') = ⟨ḡ_x, ḡ_x'⟩, exact rationals", {"J": float(J)}))

    # Ky Fan under whitening (centred), in d×d form
    def centred(vs: list[mpmath.matrix]) -> list[mpmath.matrix]:
        m = sum((mu[i] * vs[i] for i in range(n)), M(vs[0].rows, 1))
        return [v - m for v in vs]

    def cov(vs: list[mpmath.matrix]) -> mpmath.matrix:
        return sum((mu[i] * vs[i] * vs[i].T for i in range(n)), M(vs[0].rows, vs[0].rows))

    gc = centred(gbar)
    lam = sorted(mpmath.eigsy(cov(gc), eigvals_only=True), reverse=True)
    top = mpmath.fsum(lam[:d])

    def J_white(vs: list[mpmath.matrix]) -> mpmath.mpf:
        vc = centred(vs)
        E, Q = mpmath.eigsy(cov(vc))
        # pseudo-inverse square root: features of lower rank than d (e.g. 2-state beliefs) whiten on their span
        cut = mpmath.mpf(10) ** (-DPS // 2) * max(max(abs(E[i]) for i in range(E.rows)), mpmath.mpf(1))
        inv_sqrt = Q * mpmath.diag([1 / mpmath.sqrt(E[i]) if E[i] > cut else 0 for i in range(E.rows)]) * Q.T
        wv = [inv_sqrt * v for v in vc]
        C = sum((mu[i] * wv[i] * gc[i].T for i in range(n)), M(wv[0].rows, gc[0].rows))
        return mpmath.fsum(C[a, b] ** 2 for a in range(C.rows) for b in range(C.cols))

    Jh = J_white(hs)
    Jg = J_white(gbar)  # features spanning the top eigenspace: equality
    nonlin = [M([h[0] ** 2, h[0] * h[1] + h[1]]) if h.rows >= 2 else M([h[0] ** 2]) for h in hs]
    Jn = J_white(nonlin)  # a span that is not the eigenspace: strict
    tiny = mpmath.mpf(10) ** (-30)
    out.append(_res(11, "Ky Fan bound under whitening", bool(max(Jh, Jn) <= top + tiny),
                    "J(whitened h) ≤ Σ_{i≤d} λ_i(centred operator)", {"J(h)": float(Jh), "J(nonlinear h)": float(Jn), "Σ top-d λ": float(top)},
                    margin=float(top - max(Jh, Jn))))
    out.append(_res(11, "equality iff span(h) is the top eigenspace", bool(abs(Jg - top) < tiny and top - Jn > tiny),
                    "h := ḡ attains the bound; features with another span fall strictly below",
                    {"J(ḡ)": float(Jg), "J(nonlinear h)": float(Jn), "Σ top-d λ": float(top)},
                    note="the toy's h is linear in the belief state, like ḡ, so it attains the bound too" if abs(Jh - top) < tiny else ""))
    var = mpmath.fsum(mu[i] * (logZ[i] - mpmath.fsum(mu[j] * logZ[j] for j in range(n))) ** 2 for i in range(n))
    out.append(_res(11, "log Z is bounded, not constant", bool(var > 0),
                    "Var_μ log Z(h) > 0 while |log Z(h) − log|V|| ≤ ‖W h‖_∞",
                    {"range of log Z": [float(min(logZ)), float(max(logZ))], "Var log Z": float(var)},
                    note="the E log Z term cannot be dropped from the alignment objective"))
    return out
