"""Exact-mode checks of claims 1–5: composition, categorical entropy, NLL decomposition, entropy
convergence and information surplus, on a finite source and toy models (no sampling).

Rational quantities are Fractions and logarithmic ones sympy expressions, compared exactly
(:mod:`catkit.info.reals`); the information surplus for long blocks (``K > 3``) is computed in
float64 from the exact laws (stated in its result).

>>> from catkit.sources import tiny_source
>>> from catkit.paper.toy import ExactSetting
>>> rs = claim3_exact(ExactSetting(tiny_source(), 2))
>>> {r.verdict for r in rs}
{'holds'}
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import mpmath
import numpy as np
import sympy as sp

from catkit.info import (
    KL,
    Renyi,
    TotalVariation,
    categorical_entropy,
    conditional_entropy,
    conditional_mutual_information,
    cross_entropy,
    expected_entropy,
    gini_simpson,
    mutual_information,
    renyi_entropy,
    shannon_entropy,
)
from catkit.info.reals import canonical, equal, sign
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.paper.result import ClaimResult
from catkit.paper.toy import ExactSetting, belief_model, encoder_from_keys, last_token_model, mixture, optimal_head
from catkit.sources import ContextSet, FiniteStateSource

__all__ = [
    "claim1_exact", "claim2_exact", "claim3_exact", "claim4_exact", "claim5_exact",
    "expect", "fannes_bound", "surplus_table",
]

DPS = 50  # digits for high-precision evaluation of exact expressions


def hp(x: Any) -> mpmath.mpf:
    """An exact value (Fraction, sympy expression) to ``DPS`` digits."""
    if isinstance(x, Fraction):
        return mpmath.mpf(x.numerator) / x.denominator
    if isinstance(x, sp.Basic):
        return mpmath.mpf(sp.N(x, DPS + 5))
    return mpmath.mpf(x)


def expect(mu: Kernel, values: Sequence[Any]) -> Any:
    """``Σ_x μ(x) v(x)`` exactly, in canonical form.

    >>> expect(Kernel.state(["1/2", "1/2"]), [sp.log(2), Fraction(1)])
    log(2)/2 + 1/2
    """
    w = mu.matrix.reshape(-1).tolist()
    return canonical(sp.expand(sum((sp.Rational(a.numerator, a.denominator) * sp.sympify(v) for a, v in zip(w, values)), sp.Integer(0))))


def _rows(x: Any) -> list[Any]:
    return list(np.asarray(x, dtype=object).reshape(-1))


def _res(claim: int, check: str, ok: bool, relation: str, q: dict[str, Any], margin: float | None = None, note: str = "",
         finding: bool = False) -> ClaimResult:
    return ClaimResult(claim, "exact", check, "holds" if ok else "fails", relation, q, margin=margin, note=note, finding=finding)


# ---------------------------------------------------------------------- claim 1
def claim1_exact(setting: ExactSetting) -> list[ClaimResult]:
    """k_gen is a kernel; deterministic encoders push laws forward; draft and verify heads read the same H_t.

    >>> from catkit.sources import tiny_source
    >>> rs = claim1_exact(ExactSetting(tiny_source(), 2))
    >>> [r.verdict for r in rs], [r.quantities.get("hidden states") for r in rs[:2]]
    (['holds', 'holds', 'holds', 'holds'], [5, 3])
    """
    out = []
    for model in (belief_model(setting), last_token_model(setting)):
        gen, enc, head = model.generation, model.encoder, model.head
        markov = gen >> Kernel.discard(gen.cod) == Kernel.discard(gen.dom)
        # the pushforward computed by hand: μ_H(h) = Σ_{x: enc(x) = h} μ(x)
        fn = enc.as_function()
        mu = setting.mu.matrix.reshape(-1)
        law = {h: Fraction(0) for h in model.hidden.elements()}
        for x, m in zip(setting.contexts.labels, mu):
            law[fn[x]] += m
        pushed = Kernel.state([law[h] for h in model.hidden.elements()], Obj(model.hidden))
        ok = markov and enc.is_deterministic() and setting.mu >> enc == pushed and (setting.mu >> enc) >> head == setting.mu >> gen
        out.append(_res(1, f"k_gen is a kernel and f_enc a pushforward ({model.name})", ok,
                        "gen >> del = del; μ >> f_enc = Σ_fibres μ; (μ >> f_enc) >> head = μ >> k_gen",
                        {"contexts": len(setting.contexts), "hidden states": model.hidden.size}))
    # drafting: a head reading the same H_t (the next two tokens given H) composes with the verifier
    model = belief_model(setting)
    two = setting.source.future_kernel(setting.contexts, 2)
    draft = _optimal(setting, model.encoder, two)
    C = setting.data.dom
    lhs = model.encoder >> Kernel.copy(model.encoder.cod) >> (model.head @ draft)
    rhs = Kernel.copy(C) >> (model.generation @ (model.encoder >> draft))
    out.append(_res(1, "draft and verify heads read the same H_t", lhs == rhs,
                    "f_enc >> copy >> (head @ draft) = copy >> (k_gen @ (f_enc >> draft))", {"draft": "P(W_t, W_t+1 | H)"}))
    # ... and the equation needs a deterministic encoder: a noisy one breaks it
    noisy = mixture(model.encoder, Kernel.uniform(model.encoder.cod, C), Fraction(1, 4))
    lhs_n = noisy >> Kernel.copy(noisy.cod) >> (model.head @ draft)
    rhs_n = Kernel.copy(C) >> ((noisy >> model.head) @ (noisy >> draft))
    out.append(_res(1, "control: a stochastic encoder breaks it", lhs_n != rhs_n,
                    "the same equation fails when f_enc is not deterministic", {"noise": "1/4 uniform"},
                    note="the determinism of k_emb >> k_bb is what makes both heads read one H_t"))
    return out


def _optimal(setting: ExactSetting, encoder: Kernel, target: Kernel) -> Kernel:
    """``P(target | H)`` for a kernel ``contexts → Y`` (any codomain), exact."""
    flat = target.relabel(cod=Wire(target.cod.size))
    s = ExactSetting.__new__(ExactSetting)
    s.__dict__.update(setting.__dict__)
    s.data, s.vocab = flat, flat.cod[0]
    return optimal_head(s, encoder).relabel(cod=target.cod)


# ---------------------------------------------------------------------- claim 2
def claim2_exact(setting: ExactSetting) -> list[ClaimResult]:
    """Categorical entropies of the head: KL → Shannon, TV → Gini–Simpson, Rényi-α → order 2 − α; the average is H(W|H).

    The last result (the symbolic proof) is flagged as a finding: the paper calls the two entropies distinct.

    >>> from catkit.sources import tiny_source
    >>> rs = claim2_exact(ExactSetting(tiny_source(), 1))
    >>> {r.verdict for r in rs}, [r.finding for r in rs].index(True), len(rs)
    ({'holds'}, 6, 7)
    """
    out = []
    for model in (belief_model(setting), last_token_model(setting)):
        head = model.head
        shannon = _rows(shannon_entropy(head))
        hkl = _rows(categorical_entropy(head, KL()))
        ok_kl = all(equal(a, b) for a, b in zip(hkl, shannon))
        muH = setting.mu >> model.encoder
        joint = setting.mu >> Kernel.copy(setting.data.dom) >> (model.encoder @ setting.data)
        avg, cond = expected_entropy(head, muH), conditional_entropy(joint, 1, given=0)
        out.append(_res(2, f"H_KL(k_head)(h) = H(p_h), averaged = H(W_t|H_t) ({model.name})", ok_kl and equal(avg, cond),
                        "D_KL(copy∘p_h ‖ p_h⊗p_h) = H(p_h) for every h; E_H H(p_H) = H(W_t | H_t)",
                        {"E H(p_H)": avg, "H(W_t|H_t)": cond, "rows": len(hkl)}))
        tv = _rows(categorical_entropy(head, TotalVariation()))
        gs = _rows(gini_simpson(head))
        out.append(_res(2, f"TV gives Gini–Simpson exactly ({model.name})", all(a == b and isinstance(a, Fraction) for a, b in zip(tv, gs)),
                        "D_TV(copy∘p, p⊗p) = 1 − Σ p², as Fractions", {"example": tv[0]}))
        ok_r = True
        for a in (Fraction(1, 2), Fraction(2), Fraction(3)):
            ok_r &= all(equal(x, y) for x, y in zip(_rows(categorical_entropy(head, Renyi(a))), _rows(renyi_entropy(head, 2 - a))))
        out.append(_res(2, f"Rényi-α gives the Rényi entropy of order 2 − α ({model.name})", ok_r,
                        "D_α(copy∘p ‖ p⊗p) = H_{2−α}(p), α ∈ {1/2, 2, 3}", {}))
    # the symbolic proof for |V| = 2, 3 (all distributions at once)
    ok = True
    for n in (2, 3):
        syms = sp.symbols(f"p0:{n - 1}", positive=True)
        p = Kernel.state([*syms, 1 - sum(syms)])
        ok &= sp.simplify(sp.expand_log(categorical_entropy(p, KL()) - shannon_entropy(p), force=True)) == 0
    out.append(_res(2, "symbolic proof for |V| = 2 and 3", bool(ok), "H_KL(p) − H(p) simplifies to 0 for symbolic p",
                    {}, note="Prop 4.2 is an equality; the paper's description of the categorical entropy as 'related but "
                    "distinct' from Shannon's is contradicted by its own Prop 4.2: catkit proves they are equal.", finding=True))
    return out


# ---------------------------------------------------------------------- claim 3
def claim3_exact(setting: ExactSetting) -> list[ClaimResult]:
    """CE(θ) = E_x KL(P_data ‖ P_θ) + H(W_t | W_<t) exactly; the KL term vanishes iff the model agrees μ-a.s.

    The belief-state model has KL term 0; keeping only the last token costs an exact positive amount:

    >>> from catkit.sources import tiny_source
    >>> rs = claim3_exact(ExactSetting(tiny_source(), 2))
    >>> [r.verdict for r in rs], [r.quantities["E KL"] for r in rs[:2]]
    (['holds', 'holds', 'holds'], [0, -log(2)/4 + 3*log(3)/64 + 5*log(5)/64])
    """
    out = []
    H_data = expected_entropy(setting.data, setting.mu)
    for model in (belief_model(setting), last_token_model(setting)):
        gen = model.generation
        ce = expect(setting.mu, _rows(cross_entropy(setting.data, gen)))
        kl = KL().averaged(setting.data, gen, setting.mu)
        ok = equal(ce, canonical(sp.expand(sp.sympify(kl) + H_data))) and sign(kl) >= 0
        zero = sign(kl) == 0
        out.append(_res(3, f"CE = E KL + H(W_t|W_<t) ({model.name})", ok and zero == (gen == setting.data),
                        "CE(θ) = E_x KL(P_data(·|x) ‖ P_θ(·|x)) + H(W_t | W_<t); KL = 0 iff equal",
                        {"CE": ce, "E KL": kl, "H(W_t|W_<t)": H_data}, margin=float(hp(kl))))
    # almost surely, not everywhere: under a context law that ignores some contexts, a model that differs
    # only there has KL term 0; differing on the support makes it positive
    C = setting.data.dom
    keep = [i for i, c in enumerate(setting.contexts) if c[-1] == 0]
    w = [Fraction(0)] * len(setting.contexts)
    for i in keep:
        w[i] = setting.mu.matrix.reshape(-1)[i]
    tot = sum(w, Fraction(0))
    mu2 = Kernel.state([x / tot for x in w], C)
    other = Kernel.uniform(setting.vocab, C)
    rows_off = [other.matrix[i] if i not in keep else setting.data.matrix[i] for i in range(len(w))]
    rows_on = [other.matrix[i] if i in keep else setting.data.matrix[i] for i in range(len(w))]
    off = Kernel([list(r) for r in rows_off], C, setting.data.cod)
    on = Kernel([list(r) for r in rows_on], C, setting.data.cod)
    kl_off, kl_on = KL().averaged(setting.data, off, mu2), KL().averaged(setting.data, on, mu2)
    out.append(_res(3, "KL term is zero iff the model equals the data kernel almost surely",
                    sign(kl_off) == 0 and off != setting.data and sign(kl_on) > 0,
                    "model ≠ data off supp μ: KL = 0; model ≠ data on supp μ: KL > 0",
                    {"KL (differs off support)": kl_off, "KL (differs on support)": kl_on}))
    return out


# ---------------------------------------------------------------------- claim 4
def h_b(d: mpmath.mpf) -> mpmath.mpf:
    """Binary entropy in nats (0 at 0 and 1)."""
    if d <= 0 or d >= 1:
        return mpmath.mpf(0)
    return -d * mpmath.log(d) - (1 - d) * mpmath.log(1 - d)


def fannes_bound(delta: mpmath.mpf, V: int) -> mpmath.mpf:
    """``δ log(|V| − 1) + h_b(δ)``: the Fannes–Audenaert bound on |H(p) − H(q)| for TV distance δ.

    >>> float(fannes_bound(mpmath.mpf(3) / 4, 4)) == float(mpmath.log(4))
    True
    """
    return delta * mpmath.log(V - 1) + h_b(delta)


def claim4_exact(setting: ExactSetting) -> list[ClaimResult]:
    """|E H(p_θ) − E H(p_data)| ≤ E[δ log(|V|−1) + h_b(δ)], δ the TV distance; and the paper's substitution δ ≤ √(KL/2).

    The substitution fails for a point mass against the uniform law (a finding):

    >>> from catkit.sources import tiny_source
    >>> rs = claim4_exact(ExactSetting(tiny_source(), 1))
    >>> [r.verdict for r in rs], rs[-1].finding, round(rs[-1].margin, 6)
    (['holds', 'holds', 'fails'], True, -0.013036)
    """
    mpmath.mp.dps = DPS
    V = setting.vocab.size
    out = []
    H_data = hp(expected_entropy(setting.data, setting.mu))
    worst = last_token_model(setting).generation >> Kernel.id(setting.data.cod)
    far = Kernel.uniform(setting.vocab, setting.data.dom)
    gaps, kls, ok_tv, ok_sub, margins = [], [], True, True, []
    for t in [Fraction(1), Fraction(1, 2), Fraction(1, 4), Fraction(1, 8), Fraction(1, 16)]:
        model = mixture(setting.data, mixture(worst, far, Fraction(1, 2)), t)
        gap = abs(hp(expected_entropy(model, setting.mu)) - H_data)
        tvs = [hp(x) for x in _rows(TotalVariation()(model, setting.data))]
        klr = [hp(x) for x in _rows(KL()(setting.data, model))]
        w = [hp(x) for x in setting.mu.matrix.reshape(-1)]
        b_tv = sum(m * fannes_bound(d, V) for m, d in zip(w, tvs))
        b_sub = sum(m * fannes_bound(mpmath.sqrt(k / 2), V) for m, k in zip(w, klr))
        gaps.append(float(gap))
        kls.append(float(sum(m * k for m, k in zip(w, klr))))
        ok_tv &= gap <= b_tv
        ok_sub &= gap <= b_sub
        margins.append(float(b_tv - gap))
    decreasing = all(a >= b for a, b in zip(gaps, gaps[1:])) and all(a >= b for a, b in zip(kls, kls[1:]))
    out.append(_res(4, "entropy gap shrinks with the KL term; Fannes–Audenaert bound with δ = TV", ok_tv and decreasing,
                    "|E H(p_θ) − E H(p_data)| ≤ E[δ log(|V|−1) + h_b(δ)] along models p_t → p_data",
                    {"E KL along t = 1..1/16": kls, "entropy gaps": gaps}, margin=min(margins)))
    # the paper's quantitative form substitutes δ ≤ √(KL/2) (Pinsker); δ ↦ bound(δ) decreases past 1 − 1/|V|,
    # so the substitution is invalid for large KL: a point mass against the uniform law breaks it
    p = Kernel.point(setting.vocab, setting.vocab.elements()[0])
    q = Kernel.uniform(setting.vocab)
    gap = abs(hp(shannon_entropy(p)) - hp(shannon_entropy(q)))
    d_sub = mpmath.sqrt(hp(KL()(p, q)) / 2)
    bound = fannes_bound(d_sub, V)
    out.append(_res(4, "the bound with δ := √(KL/2) along the same models", ok_sub, "the paper's quantitative form, small KL",
                    {}, note="holds for these models, whose KL is small"))
    out.append(_res(4, "the bound with δ := √(KL/2): counterexample", bool(gap <= bound),
                    "|H(p) − H(q)| ≤ δ log(|V|−1) + h_b(δ) with δ = √(KL(p‖q)/2)",
                    {"p": "point mass", "q": "uniform", "|V|": V, "|ΔH|": float(gap), "δ = √(KL/2)": float(d_sub),
                     "bound": float(bound)}, margin=float(bound - gap),
                    note="Pinsker gives δ_TV ≤ √(KL/2), but δ ↦ δ log(|V|−1) + h_b(δ) is increasing only up to 1 − 1/|V|: "
                    "substituting the Pinsker bound needs √(KL/2) ≤ 1 − 1/|V| (or the bound capped at log|V|).",
                    finding=bool(gap > bound)))
    return out


# ---------------------------------------------------------------------- claim 5
def _entropy_np(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-math.fsum((p * np.log(p)).tolist()))


def surplus_table(source: FiniteStateSource, length: int, keys: Sequence[Any], Ks: Sequence[int]) -> dict[str, list[float]]:
    """``I(H; W_{t:t+K−1})``, ``I(H; W_t)``, ``Surplus_K`` and ``H(W_{t+1:t+K−1} | W_t)`` for each K, with H the
    statistic ``keys[i]`` of context ``i`` (contexts of one length), from the exact laws in float64.

    >>> from catkit.sources import tiny_source
    >>> t = surplus_table(tiny_source(), 1, [c for c in range(3)], [1, 2])
    >>> t["surplus"][0] == 0.0 and t["surplus"][1] > 0
    True
    """
    C = ContextSet.of_length(source.vocab, length)
    src = source.to_float() if source.exact else source
    mu = src.context_law(C).matrix.reshape(-1)
    groups: dict[Any, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    V = source.vocab.size
    table: dict[str, list[float]] = {"K": [], "I(H;W_t:t+K-1)": [], "I(H;W_t)": [], "surplus": [], "cmi": [], "H(rest|W_t)": [],
                                     "I(X;future)": []}
    for K in Ks:
        F = src.future_kernel(C, K).matrix  # N × V^K
        joint_x = mu[:, None] * F
        fut = joint_x.sum(0)
        jh = np.array([joint_x[idx].sum(0) for idx in groups.values()])  # |H| × V^K
        ph = jh.sum(1)
        I_full = _entropy_np(fut) + _entropy_np(ph) - _entropy_np(jh.ravel())
        I_x = _entropy_np(fut) + _entropy_np(mu) - _entropy_np(joint_x.ravel())
        jh3 = jh.reshape(len(ph), V, V ** (K - 1))  # H, W_t, rest
        I_first = _entropy_np(jh3.sum(2).sum(0)) + _entropy_np(ph) - _entropy_np(jh3.sum(2).ravel())
        # I(H; rest | W_t) = H(H, W_t) + H(W_t, rest) − H(H, W_t, rest) − H(W_t)
        cmi = (_entropy_np(jh3.sum(2).ravel()) + _entropy_np(jh3.sum(0).ravel()) - _entropy_np(jh3.ravel())
               - _entropy_np(jh3.sum(2).sum(0)))
        h_rest = _entropy_np(jh3.sum(0).ravel()) - _entropy_np(jh3.sum(0).sum(1))
        for k, v in [("K", K), ("I(H;W_t:t+K-1)", I_full), ("I(H;W_t)", I_first), ("surplus", I_full - I_first), ("cmi", cmi),
                     ("H(rest|W_t)", h_rest), ("I(X;future)", I_x)]:
            table[k].append(float(v))
    return table


def claim5_exact(source: FiniteStateSource, length: int = 3, Ks: Sequence[int] = (1, 2, 3, 4, 5, 6)) -> tuple[list[ClaimResult], dict]:
    """Information surplus for the HMM (belief state and last token) and Markov-chain controls.

    Returns the results and the surplus tables (for the figure).

    >>> from catkit.sources import tiny_source
    >>> rs, tables = claim5_exact(tiny_source(), 1, Ks=(1, 2))
    >>> {r.verdict for r in rs}, len(rs)
    ({'holds'}, 7)
    >>> [round(x, 6) for x in tables["HMM, H = belief state"]["surplus"]]
    [0.0, 0.003948]
    """
    from catkit.sources import MarkovChain

    out, tables = [], {}
    V = source.vocab.size
    C = ContextSet.of_length(source.vocab, length)
    beliefs = [tuple(Fraction(x) for x in r) for r in source.belief_states(C)]
    cases: dict[str, tuple[FiniteStateSource, Sequence[Any]]] = {
        "HMM, H = belief state": (source, beliefs),
        "HMM, H = last token": (source, [c[-1] for c in C]),
    }
    # a sticky order-1 chain on the source's vocabulary (any size)
    order1 = MarkovChain([[Fraction(1, 2) if j == i else Fraction(1, 2 * (V - 1)) for j in range(V)] for i in range(V)],
                         order=1, vocab=source.vocab, name="order-1 chain")
    rng = np.random.default_rng(7)
    w2 = rng.integers(1, 6, size=(V * V, V))
    order2 = MarkovChain([[Fraction(int(x), int(r.sum())) for x in r] for r in w2], order=2, vocab=source.vocab, name="order-2 chain")
    C1 = ContextSet.of_length(source.vocab, length)
    cases["order-1 chain, H = last token"] = (order1, [c[-1] for c in C1])
    cases["order-2 chain, H = last token"] = (order2, [c[-1] for c in C1])
    cases["order-2 chain, H = last two tokens"] = (order2, [c[-2:] for c in C1])
    tol = 1e-10
    for name, (src, keys) in cases.items():
        t = surplus_table(src, length, keys, Ks)
        tables[name] = t
        s = t["surplus"]
        bounds = all(-tol <= a <= b + tol <= (k - 1) * math.log(V) + 2 * tol for a, b, k in zip(s, t["H(rest|W_t)"], t["K"]))
        chain = all(abs(a - b) <= tol for a, b in zip(s, t["cmi"]))
        mono = all(a <= b + tol for a, b in zip(s, s[1:]))
        ok = bounds and chain and mono
        q = {"surplus_K": [round(x, 6) for x in s]}
        if "order-1" in name:
            ok &= max(abs(x) for x in s) <= tol
            rel = "Surplus_K = 0 for every K (order-1 chain, H = last token)"
        elif name.startswith("HMM") or "order-2" in name:
            ok &= all(x > tol for x in s[1:])
            rel = "Surplus_K > 0 for K ≥ 2"
        out.append(_res(5, f"surplus: {name}", ok, "I(H;W_t:t+K−1) = I(H;W_t) + I(H;W_t+1:t+K−1|W_t); "
                        "0 ≤ Surplus_K ≤ H(W_t+1:|W_t) ≤ (K−1) log|V|; non-decreasing; " + rel, q,
                        margin=min(t["H(rest|W_t)"][i] - s[i] for i in range(len(s))),
                        note="float64 from the exact laws"))
    # DPI with equality for the belief state (exact in float64 up to 1e-10), strict for a lossy statistic
    tb, tl = tables["HMM, H = belief state"], tables["HMM, H = last token"]
    eq = all(abs(a - b) <= tol for a, b in zip(tb["I(H;W_t:t+K-1)"], tb["I(X;future)"]))
    # strict only when the last token is lossy (length ≥ 2); at length 1 the context is its last token
    lt = length < 2 or all(a < b - tol for a, b in zip(tl["I(H;W_t:t+K-1)"], tl["I(X;future)"]))
    out.append(_res(5, "DPI: I(f_enc(X); future) ≤ I(X; future), equality for the belief state", eq and lt,
                    "I(belief; future) = I(X; future) > I(last token; future)",
                    {"I(X; future), K=1..": [round(x, 6) for x in tb["I(X;future)"]]}))
    # an exact (sympy) check of the chain rule for small K on the belief state
    K = 2
    F = source.future_kernel(C, K)
    enc, _ = encoder_from_keys(ExactSetting(source, length), beliefs, "belief")
    mu = source.context_law(C)
    joint = mu >> Kernel.copy(F.dom) >> (enc @ F)
    full = mutual_information(joint, [0], [1, 2])
    first = mutual_information(joint, [0], [1])
    cmi = conditional_mutual_information(joint, [0], [2], given=[1])
    out.append(_res(5, "chain rule, exactly (K = 2, belief state)", equal(full, canonical(sp.expand(first + cmi))),
                    "I(H; W_t, W_t+1) = I(H; W_t) + I(H; W_t+1 | W_t) as exact log-expressions", {"Surplus_2": float(hp(cmi))}))
    return out, tables
