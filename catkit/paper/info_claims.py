"""Claims 1–5 (composition, categorical entropy, NLL decomposition, entropy convergence, information surplus),
each checked once over a :class:`~catkit.paper.setting.Setting`, with its control next to it.

The same function runs in exact mode (toy models of a finite source: exact rationals, exact logarithms,
certified intervals) and in LM mode (a trained model, float64); only the comparator differs.  Claim 2
calls the registry statements ``C3-KL``, ``C3-TV`` and ``C3-Renyi`` (:mod:`catkit.axioms`) on the head,
which compare the categorical entropy *from its definition* ``D(copy∘p ‖ p⊗p)`` (the divergence's own
rows on the ``|V|²``-sized laws) with Shannon's (Gini–Simpson's, Rényi's) formula.  Claim 3 computes the
cross entropy directly as ``−Σ μ q log p`` and compares it with ``E KL + H``.

>>> from catkit.paper.checks import run_checks
>>> from catkit.paper.toy import ExactSetting
>>> from catkit.sources import tiny_source
>>> rs = run_checks(ExactSetting(tiny_source(), 2), claims=[3])
>>> [(r.verdict, r.decided_by, r.control_verdict) for r in rs][0]
('holds', 'interval (64 bits)', 'fails')
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import sympy as sp

from catkit.info import KL, Hellinger, Renyi, categorical_entropy, conditional_entropy, gini_simpson, mutual_information, shannon_entropy
from catkit.info.bounds import fannes_bound
from catkit.info.claims import equality
from catkit.info.reals import decisions
from catkit.kernel import Kernel
from catkit.objects import Obj, Wire
from catkit.paper.checks import Control, check
from catkit.paper.compare import Judge, Outcome
from catkit.paper.result import Verdict
from catkit.paper.setting import kernel_rows
from catkit.paper.surplus import joint_law

__all__: list[str] = []


def _f(x: Any) -> float:
    try:
        return float(x.item()) if hasattr(x, "item") else float(x)
    except (TypeError, ValueError):
        return float("nan")


def _like(k: Kernel, ref: Kernel) -> Kernel:
    """``k`` on the backend (and torch device/dtype) of ``ref``."""
    if ref.backend.name == "torch":
        return k.to("torch", device=ref.matrix.device, dtype=ref.matrix.dtype)
    return k if ref.backend.exact else k.to(ref.backend.name)


def _mix(A: np.ndarray, t: Fraction) -> np.ndarray:
    """``(1 − t) A + t · uniform`` row-wise, exact or float."""
    tt: Any = t if A.dtype == object else float(t)
    return (1 - tt) * A + tt / A.shape[1]


def _kernel(A: np.ndarray, ref: Kernel) -> Kernel:
    if A.dtype == object:
        return Kernel([list(r) for r in A], ref.dom, ref.cod)
    return _like(Kernel.from_matrix(np.asarray(A, dtype=float), ref.dom, ref.cod, backend="numpy"), ref)


def _arrays_equal(j: Judge, A: np.ndarray, B: np.ndarray, what: str, tol: float | None = None) -> bool:
    """Entrywise equality of two arrays: exact entries exactly, floats within the comparator's (or the given) tolerance."""
    if A.dtype == object:
        return j.fact(bool(A.shape == B.shape and (A == B).all()), "exact", what)
    diff = float(np.max(np.abs(A - B))) if A.size else 0.0
    return j.leq(diff, 0.0, what, tol)


# ---------------------------------------------------------------------- claim 1
def _deterministic(s: Any, j: Judge, noise: Fraction) -> Outcome:
    for m in s.models:
        E = _mix(kernel_rows(m.encoder), noise) if noise else kernel_rows(m.encoder)
        # f >> copy = copy >> (f @ f), row by row: diag(f(·|x)) against the outer product f(·|x) f(·|x)ᵀ
        for x, r in enumerate(E):
            if not _arrays_equal(j, np.diag(r), np.outer(r, r), f"{m.name}, context {x}"):
                break
    return j.outcome("f_enc >> copy = copy >> (f_enc @ f_enc), row by row, for every model",
                     {"models": [m.name for m in s.models]})


@check(1, "f_enc is deterministic (f_enc >> copy = copy >> (f_enc @ f_enc))",
       control=Control("f_enc mixed with ¼ uniform noise", lambda s, j: _deterministic(s, j, Fraction(1, 4))))
def encoder_is_deterministic(s: Any, j: Judge) -> Outcome:
    return _deterministic(s, j, Fraction(0))


def _pushforward(s: Any, j: Judge, noise: Fraction) -> Outcome:
    w = kernel_rows(s.mu).reshape(-1)
    for m in s.models:
        E = _mix(kernel_rows(m.encoder), noise) if noise else kernel_rows(m.encoder)
        law = np.zeros(E.shape[1], dtype=E.dtype) if E.dtype != object else np.array([Fraction(0)] * E.shape[1], dtype=object)
        for x, r in enumerate(E):  # the fibre sums Σ_{x: f(x) = h} μ(x), f(x) the (first) most likely h
            law[int(np.argmax([_f(v) for v in r]))] += w[x]
        _arrays_equal(j, w @ E, law, m.name)
    return j.outcome("μ >> f_enc = Σ_{x ∈ f_enc⁻¹(h)} μ(x) for every model", {"hidden states": [m.encoder.cod.size for m in s.models]})


@check(1, "f_enc pushes the context law forward",
       control=Control("f_enc mixed with ¼ uniform noise (its most likely value no longer carries the law)",
                       lambda s, j: _pushforward(s, j, Fraction(1, 4))))
def pushforward(s: Any, j: Judge) -> Outcome:
    return _pushforward(s, j, Fraction(0))


def _markov(s: Any, j: Judge, drop: bool) -> Outcome:
    for m in s.models:
        G = kernel_rows(m.generation)
        sums = (G[:, :-1] if drop else G).sum(axis=1)
        _arrays_equal(j, np.asarray(sums, dtype=G.dtype), np.ones(len(sums), dtype=G.dtype) if G.dtype != object
                      else np.array([Fraction(1)] * len(sums), dtype=object), m.name)
    return j.outcome("k_gen >> del = del: every row of k_gen sums to 1")


@check(1, "k_gen is a Markov kernel",
       control=Control("k_gen with its last token's column dropped (sub-stochastic)", lambda s, j: _markov(s, j, True)))
def generation_is_markov(s: Any, j: Judge) -> Outcome:
    return _markov(s, j, False)


#: the model runs in float32; its own next-token laws and the float64 head agree to about 1e-7
FORWARD_TOL = 1e-5


def _factors(s: Any, j: Judge, shift: bool) -> Outcome:
    for m in s.models:
        head = kernel_rows(m.head)
        head = np.roll(head, 1, axis=0) if shift else head
        _arrays_equal(j, kernel_rows(m.encoder) @ head, kernel_rows(m.generation), m.name, FORWARD_TOL)
    return j.outcome("f_enc >> k_head = k_gen, k_gen from the model's own forward pass (float32) against the head recomputed "
                     "in float64 from the hidden states")


@check(1, "k_gen = f_enc >> k_head (the model's forward pass factors)", modes=("lm",),
       control=Control("the head's rows cycled by one hidden state", lambda s, j: _factors(s, j, True)))
def generation_factors(s: Any, j: Judge) -> Outcome:
    return _factors(s, j, False)


def _draft(s: Any, j: Judge, noise: Fraction) -> Outcome:
    for m in s.models:
        enc = _kernel(_mix(kernel_rows(m.encoder), noise), m.encoder) if noise else m.encoder
        head, draft = m.head, m.head  # a drafting head reading the same H_t (here a second copy of k_head)
        H, C = enc.cod, enc.dom
        lhs = enc >> _like(Kernel.copy(H), head) >> (head @ draft)
        rhs = _like(Kernel.copy(C), head) >> ((enc >> head) @ (enc >> draft))
        _arrays_equal(j, kernel_rows(lhs), kernel_rows(rhs), m.name)
    return j.outcome("f_enc >> copy >> (k_head @ k_draft) = copy >> (k_gen @ (f_enc >> k_draft))")


@check(1, "draft and verify heads read the same H_t",
       control=Control("f_enc mixed with ¼ uniform noise", lambda s, j: _draft(s, j, Fraction(1, 4))))
def draft_and_verify(s: Any, j: Judge) -> Outcome:
    return _draft(s, j, Fraction(0))


# ---------------------------------------------------------------------- claim 2
class _Fixed:
    """A statement generator that hands out one given kernel (and given draws): a registry statement on it."""

    model = None

    def __init__(self, kernel: Kernel, **draws: Any) -> None:
        self.k, self.draws = kernel, draws

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Obj:
        return self.k.dom if name == "A" else self.k.cod

    def kernel(self, dom: Any, cod: Any, name: str = "f", kind: str = "any") -> Kernel:
        return self.k

    def draw(self, strategy: Any, name: str = "x") -> Any:
        return self.draws[name]


def _equations(j: Judge, eqs: Any, how: str, label: str) -> None:
    for name, lhs, rhs in eqs:
        v: Verdict = "holds" if lhs == rhs else ("inconclusive" if "undecided" in name else "fails")
        j.verdict(v, how, what=f"{label}: {name}")


def _statement(s: Any, j: Judge, code: str, draws: dict[str, Any] | None = None) -> None:
    from catkit.axioms import REGISTRY as STATEMENTS

    for m in s.models:
        with decisions() as how:
            eqs = STATEMENTS[code].equations(_Fixed(m.head, **(draws or {})))  # type: ignore[arg-type]
        _equations(j, eqs, how.decided_by if s.mode == "exact" else "float64 (tolerance 1e-09)", m.name)


def _wrong_entropy(s: Any, j: Judge, D: Any, formula: Any, label: str) -> Outcome:
    for m in s.models:
        with decisions() as how:
            eq = equality(label, categorical_entropy(m.head, D, method="definition"), formula(m.head))
        _equations(j, [eq], how.decided_by if s.mode == "exact" else "float64 (tolerance 1e-09)", m.name)
    return j.outcome(label)


@check(2, "H_KL(k_head)(h) = H(p_h) (statement C3-KL on the head)",
       control=Control("Rényi-2's definitional rows in place of KL's",
                       lambda s, j: _wrong_entropy(s, j, Renyi(2), shannon_entropy, "D_2(copy∘p ‖ p⊗p) = H(p)")))
def kl_entropy_is_shannon(s: Any, j: Judge) -> Outcome:
    _statement(s, j, "C3-KL")
    return j.outcome("D_KL(copy∘p_h ‖ p_h⊗p_h) from KL's rows on the |V|²-sized laws = −Σ p log p, every h of every model")


def _averaged(s: Any, j: Judge, unconditional: bool) -> Outcome:
    q = {}
    for m in s.models:
        muH = s.mu >> m.encoder
        lhs = categorical_entropy(m.head, KL(), prior=muH, method="definition")
        joint = muH >> _like(Kernel.copy(m.head.dom), m.head) >> (_like(Kernel.id(m.head.dom), m.head) @ m.head)
        rhs = shannon_entropy(muH >> m.head) if unconditional else conditional_entropy(joint, 1, given=0)
        j.equal(lhs, rhs, m.name)
        q[m.name] = _f(lhs)
    return j.outcome("E_H H_KL(k_head)(H) = H(W_t | H_t) = H(H, W_t) − H(H)", {"E H_KL(p_H)": q})


@check(2, "averaged over H_t it is H(W_t | H_t)",
       control=Control("H(W_t) (not conditioned on H_t) on the right", lambda s, j: _averaged(s, j, True)))
def averaged_entropy(s: Any, j: Judge) -> Outcome:
    return _averaged(s, j, False)


@check(2, "TV gives Gini–Simpson (statement C3-TV)",
       control=Control("Hellinger's definitional rows in place of TV's",
                       lambda s, j: _wrong_entropy(s, j, Hellinger(), gini_simpson, "H²(copy∘p, p⊗p) = 1 − Σ p²")))
def tv_entropy_is_gini(s: Any, j: Judge) -> Outcome:
    _statement(s, j, "C3-TV")
    return j.outcome("D_TV(copy∘p_h, p_h⊗p_h) = 1 − Σ p_h², exactly (Fractions) in exact mode")


ALPHAS = (Fraction(1, 2), Fraction(2), Fraction(3))


def _renyi_wrong(s: Any, j: Judge) -> Outcome:
    from catkit.info import renyi_entropy

    for a in ALPHAS:
        _wrong_entropy(s, j, Renyi(a), lambda k, a=a: renyi_entropy(k, a), f"D_α(copy∘p ‖ p⊗p) = H_α(p), α = {a}")
    return j.outcome("order α in place of 2 − α")


@check(2, "Rényi-α gives the Rényi entropy of order 2 − α (statement C3-Renyi)",
       control=Control("order α in place of 2 − α", _renyi_wrong))
def renyi_entropy_order(s: Any, j: Judge) -> Outcome:
    for a in ALPHAS:
        _statement(s, j, "C3-Renyi", {"alpha": a})
    return j.outcome("D_α(copy∘p_h ‖ p_h⊗p_h) = H_{2−α}(p_h) for α ∈ {1/2, 2, 3}")


def _symbolic(s: Any, j: Judge, wrong: bool) -> Outcome:
    from catkit.axioms import REGISTRY as STATEMENTS
    from catkit.axioms import SymbolicGenerator, prove_symbolic

    for n in (2, 3):
        if wrong:
            g = SymbolicGenerator((n,))
            p = g.kernel(Obj(), g.obj())
            with decisions():
                name, lhs, rhs = equality("D_2 = H", categorical_entropy(p, Renyi(2), method="definition"), shannon_entropy(p))
            j.verdict("holds" if lhs == rhs else "fails", "exact (symbolic)", what=f"|V| = {n}")
        else:
            r = prove_symbolic(STATEMENTS["C3-KL"], (n,))
            j.verdict("holds" if r.holds else "fails", "exact (symbolic)", what=f"|V| = {n}: {r.status}")
    note = ("Prop 4.2 is an equality; the paper's description of the categorical entropy as 'related but distinct' from "
            "Shannon's is contradicted by its own Prop 4.2: catkit proves they are equal.")
    return j.outcome("statement C3-KL for the general law on 2 and 3 outcomes (symbolic entries)", note=note,
                     finding=not wrong and j.current == "holds")


@check(2, "symbolic proof for |V| = 2 and 3", modes=("exact",),
       control=Control("the same proof attempted for Rényi-2 in place of KL", lambda s, j: _symbolic(s, j, True)))
def symbolic_proof(s: Any, j: Judge) -> Outcome:
    return _symbolic(s, j, False)


# ---------------------------------------------------------------------- claim 3
def _all_models(s: Any) -> list[Any]:
    return list(s.models) + [m for _, m in s.path]


def _nll(s: Any, j: Judge, wrong: bool) -> Outcome:
    q = {}
    for m in _all_models(s):
        d = s.decomposition(m)
        j.equal(d["CE"], d["KL"] + (d["H_model"] if wrong else d["H"]), m.name)
        j.leq(0, d["KL"], f"{m.name}: KL ≥ 0")
        q[m.name] = {"CE": _f(d["CE"]), "E KL": _f(d["KL"]), "H": _f(d["H"])}
    return j.outcome("CE(θ) = −Σ μ q log p_θ (computed directly) = E_x KL(P_data ‖ P_θ) + H(W_t | W_<t), KL ≥ 0", q)


@check(3, "CE = E KL + H(W_t|W_<t) for every model", settings=("kernels", "streamed"),
       control=Control("H(W_t | W_<t) replaced by the model's own E H(p_θ)", lambda s, j: _nll(s, j, True)))
def nll_decomposition(s: Any, j: Judge) -> Outcome:
    return _nll(s, j, False)


def _almost_surely(s: Any, j: Judge, full_law: bool) -> Outcome:
    Q, w = kernel_rows(s.data), kernel_rows(s.mu).reshape(-1)
    zero: Any = Fraction(0) if Q.dtype == object else 0.0
    keep = np.array([c[-1] == 0 for c in s.contexts])
    w2 = np.where(keep, w, zero)
    w2 = w2 / w2.sum()
    mu2 = _kernel(w2.reshape(1, -1), s.mu) if not full_law else s.mu
    U = np.full_like(Q, Fraction(1, Q.shape[1]) if Q.dtype == object else 1 / Q.shape[1])
    off = _kernel(np.where(keep[:, None], Q, U), s.data)  # differs from the data only where μ' = 0
    on = _kernel(np.where(keep[:, None], U, Q), s.data)  # differs on the support of μ'
    kl_off, kl_on = KL().averaged(s.data, off, mu2), KL().averaged(s.data, on, _kernel(w2.reshape(1, -1), s.mu))
    j.equal(kl_off, 0, "model ≠ data only off the support: KL = 0")
    j.less(0, kl_on, "model ≠ data on the support: KL > 0")
    return j.outcome("KL term = 0 for a model that differs from the data only where μ' = 0, > 0 where it differs on supp μ'",
                     {"KL (differs off support)": _f(kl_off), "KL (differs on support)": _f(kl_on)})


@check(3, "KL term is zero iff the model equals the data kernel almost surely",
       control=Control("the off-support model weighed by the full context law", lambda s, j: _almost_surely(s, j, True)))
def almost_surely(s: Any, j: Judge) -> Outcome:
    return _almost_surely(s, j, False)


# ---------------------------------------------------------------------- claim 4
def _tight(s: Any) -> tuple[Any, Any]:
    """|H(p) − H(q)| and the TV distance for a point mass p against the uniform law q (where Fannes is tight)."""
    V = s.source.vocab.size
    exact = s.mode == "exact"
    return (sp.log(V) if exact else float(np.log(V))), (Fraction(V - 1, V) if exact else 1 - 1 / V)


def fannes_outcome(s: Any, j: Judge, wrong: bool) -> Outcome:
    """Claim 4's Fannes–Audenaert bound with δ = TV for every model of ``s`` (``wrong``: the control, the bound
    at δ = TV/2 for a point mass against the uniform law, where it must fail); the streamed checks share the control.

    >>> from catkit.paper.compare import comparator_for
    >>> from catkit.paper.toy import ExactSetting
    >>> from catkit.sources import tiny_source
    >>> s = ExactSetting(tiny_source(), 1)
    >>> fannes_outcome(s, Judge(comparator_for("exact")), False).verdict, fannes_outcome(s, Judge(comparator_for("exact")), True).verdict
    ('holds', 'fails')
    """
    V = s.source.vocab.size
    if wrong:
        gap, tv = _tight(s)
        j.leq(gap, fannes_bound(tv / 2, V), "point mass vs uniform, δ = TV/2")
        return j.outcome("|ΔH| ≤ fannes(TV/2)")
    q = {}
    for m in _all_models(s):
        d = s.decomposition(m)
        j.leq(d["gap"], d["bound_tv"], m.name)
        q[m.name] = [_f(d["gap"]), _f(d["bound_tv"])]
    return j.outcome("|E H(p_θ) − E H(p_data)| ≤ E[δ log(|V|−1) + h_b(δ)], δ = TV, for every model and along the path",
                     {"(gap, bound)": q})


@check(4, "Fannes–Audenaert bound with δ = TV", settings=("kernels", "streamed"),
       control=Control("the bound at δ = TV/2, for a point mass against the uniform law (where it is tight)",
                       lambda s, j: fannes_outcome(s, j, True)))
def fannes_tv(s: Any, j: Judge) -> Outcome:
    return fannes_outcome(s, j, False)


def _shrinks(s: Any, j: Judge, backwards: bool) -> Outcome:
    path = list(s.path)[::-1] if backwards else list(s.path)
    if len(path) < 2:
        j.verdict("inconclusive", "no path", what="needs models along training (or a path to the data)")
        return j.outcome("needs several checkpoints")
    first, last = s.decomposition(path[0][1]), s.decomposition(path[-1][1])
    j.less(last["KL"], first["KL"], "the KL term falls")
    j.less(last["gap"], first["gap"], "the entropy gap falls")
    kls = [_f(s.decomposition(m)["KL"]) for _, m in path]
    gaps = [_f(s.decomposition(m)["gap"]) for _, m in path]
    return j.outcome(f"from {path[0][0]} to {path[-1][0]}: E KL and |E H(p_θ) − E H(p_data)| both fall",
                     {"E KL": kls, "entropy gaps": gaps})


@check(4, "entropy gap shrinks as the KL term falls", settings=("kernels", "streamed"),
       control=Control("the path read backwards (moving away from the data)", lambda s, j: _shrinks(s, j, True)))
def gap_shrinks(s: Any, j: Judge) -> Outcome:
    return _shrinks(s, j, False)


def substitution_outcome(s: Any, j: Judge, capped: bool) -> Outcome:
    """The substitution δ := √(KL/2) into claim 4's bound, for a point mass against the uniform law: it fails
    uncapped and holds with δ capped at 1 − 1/|V| (``capped``); the streamed checks share it as a control.

    >>> from catkit.paper.compare import comparator_for
    >>> from catkit.paper.toy import ExactSetting
    >>> from catkit.sources import tiny_source
    >>> s = ExactSetting(tiny_source(), 1)
    >>> substitution_outcome(s, Judge(comparator_for("exact")), False).verdict, substitution_outcome(s, Judge(comparator_for("exact")), True).verdict
    ('fails', 'holds')
    """
    V = s.source.vocab.size
    gap, _ = _tight(s)
    kl = sp.log(V) if isinstance(gap, sp.Basic) else float(np.log(V))  # KL(point ‖ uniform) = log |V|
    delta = sp.sqrt(kl / 2) if isinstance(kl, sp.Basic) else float(np.sqrt(kl / 2))
    cap = Fraction(V - 1, V) if isinstance(kl, sp.Basic) else 1 - 1 / V
    d = min(delta, cap, key=float) if capped else min(delta, 1, key=float)
    bound = fannes_bound(d, V)
    j.leq(gap, bound, "point mass vs uniform")
    note = ("Pinsker gives δ_TV ≤ √(KL/2), but δ ↦ δ log(|V|−1) + h_b(δ) is increasing only up to 1 − 1/|V|: substituting the "
            "Pinsker bound needs √(KL/2) ≤ 1 − 1/|V| (or δ capped there).") if not capped else ""
    return j.outcome("|H(p) − H(q)| ≤ δ log(|V|−1) + h_b(δ) with δ = √(KL(p‖q)/2)" + (" capped at 1 − 1/|V|" if capped else ""),
                     {"|V|": V, "|ΔH|": _f(gap), "δ": _f(d), "bound": _f(bound)}, note=note)


@check(4, "the paper's substitution δ := √(KL/2): a point mass against the uniform law", modes=("exact",), expected="fails",
       control=Control("δ capped at 1 − 1/|V| (the corrected bound)", lambda s, j: substitution_outcome(s, j, True)))
def substitution_counterexample(s: Any, j: Judge) -> Outcome:
    return substitution_outcome(s, j, False)


def _capped(s: Any, j: Judge, uncapped_tight: bool) -> Outcome:
    if uncapped_tight:
        return substitution_outcome(s, j, False)
    q = {}
    for m in _all_models(s):
        d = s.decomposition(m)
        j.leq(d["gap"], d["bound_capped"], m.name)
        q[m.name] = [_f(d["gap"]), _f(d["bound_capped"])]
    return j.outcome("|E H(p_θ) − E H(p_data)| ≤ E[δ log(|V|−1) + h_b(δ)], δ = min(√(KL/2), 1 − 1/|V|)", {"(gap, bound)": q})


@check(4, "the corrected substitution δ := min(√(KL/2), 1 − 1/|V|)", settings=("kernels", "streamed"),
       control=Control("uncapped, for a point mass against the uniform law", lambda s, j: _capped(s, j, True)))
def capped_substitution(s: Any, j: Judge) -> Outcome:
    return _capped(s, j, False)


# ---------------------------------------------------------------------- claim 5
def _state(J: np.ndarray, wires: tuple[int, ...]) -> Kernel:
    if J.dtype == object:
        return Kernel.state(J.reshape(-1).tolist(), Obj(*[Wire(n) for n in wires]))
    return Kernel.from_matrix(J.reshape(1, -1), Obj(), Obj(*[Wire(n) for n in wires]), backend="numpy")


def _chain_rule(s: Any, j: Judge, unconditional: bool) -> Outcome:
    """Surplus_2 = I(H; W_t, W_{t+1}) − I(H; W_t) (entropies) against I(H; W_{t+1} | W_t) from KL's definition
    KL(P(h, w, r) ‖ P(h, w) P(r | w)) — two independent computations."""
    for m in s.models[:1]:
        keys = [int(np.argmax([_f(v) for v in r])) for r in kernel_rows(m.encoder)]
        J = joint_law(s.source, s.length, keys, 2, exact=s.mode == "exact")
        nh, V, R = J.shape
        psi = _state(J, (nh, V, R))
        surplus = mutual_information(psi, [0], [1, 2]) - mutual_information(psi, [0], [1])
        if unconditional:
            cmi = mutual_information(_state(J.sum(axis=1), (nh, R)), [0], [1])  # I(H; W_t+1), not conditioned on W_t
        else:
            Phw, Pwr, Pw = J.sum(axis=2), J.sum(axis=0), J.sum(axis=(0, 2))
            one: Any = Fraction(1) if J.dtype == object else 1.0
            cond = np.array([[[Phw[h, w] * Pwr[w, r] / Pw[w] if Pw[w] else one * 0 for r in range(R)] for w in range(V)]
                             for h in range(nh)], dtype=J.dtype)
            cmi = KL()(_state(J, (nh, V, R)), _state(cond, (nh, V, R)))
        j.equal(surplus, cmi, m.name)
    return j.outcome("I(H; W_t:t+1) − I(H; W_t) = KL(P(H, W_t, W_t+1) ‖ P(H, W_t) P(W_t+1 | W_t)) = I(H; W_t+1 | W_t)",
                     {"Surplus_2": _f(surplus)})


@check(5, "chain rule: Surplus_2 = I(H; W_t+1 | W_t), the CMI from its KL definition",
       control=Control("I(H; W_t+1) (not conditioned on W_t) on the right", lambda s, j: _chain_rule(s, j, True)))
def chain_rule(s: Any, j: Judge) -> Outcome:
    return _chain_rule(s, j, False)

