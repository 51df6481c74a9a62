"""[section C][stmt-section-c] of the catalogue: divergences, entropy and information as checked statements.

Inequalities ``a ≤ b`` are equations between truth values (:mod:`catkit.info.claims`):
a counterexample's equation name shows both numbers.  Statements that quantify over
"every divergence" draw one per instance from a list (shown as ``D`` in a
counterexample).  Divergences need probabilities, so signed and sub-stochastic
models are skipped (``n/a``).  On the float64 model, instances with a nonzero entry below
``1e-100`` are discarded (``hypothesis.assume``): products of such entries underflow to 0,
and a law with an underflowed entry is not the law the statement is about.

The discriminating cases: entropy can *grow* under a stochastic map (``C3-grows``
fails on FinStoch, holds on FinSet, where every map is deterministic), and χ² is not
short for the tensor product (``C1-tensor-chi2``).

>>> from catkit.axioms import REGISTRY, check
>>> r = check(REGISTRY["C3-grows"], "finstoch", max_examples=30)
>>> r.status, r.equation.split(":")[0]
('fails', 'H(p >> f) <= H(p)')
>>> check(REGISTRY["C3-grows"], "finset", max_examples=10).status
'holds'
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import hypothesis.strategies as st
from hypothesis import assume

from catkit.axioms.statement import Equation, Generator, Statement, UnsupportedInstance, register
from catkit.info.categorical import categorical_entropy, categorical_mutual_information
from catkit.info.claims import claim, equality, inequality, infinite, rows_of
from catkit.info.divergences import (
    KL,
    Bhattacharyya,
    ChiSquared,
    Divergence,
    Hellinger,
    Jeffreys,
    JensenShannon,
    Renyi,
    TotalVariation,
)
from catkit.info.entropy import gini_simpson, mutual_information, renyi_entropy, shannon_entropy
from catkit.info.finstat import FinStatMorphism, convex_combination, onto_image
from catkit.kernel import Kernel
from catkit.objects import I, Obj, ObjLike
from catkit.testing import strategies as S

__all__ = ["DPI_DIVERGENCES", "SHORT_DIVERGENCES"]

#: divergences that satisfy data processing (every f-divergence; Rényi for α in [0, ∞]; Bhattacharyya)
DPI_DIVERGENCES: list[Divergence] = [
    KL(), TotalVariation(), Hellinger(1), Hellinger(2), Hellinger(1, squared=False), Bhattacharyya(),
    Renyi(0), Renyi("1/2"), Renyi(2), Renyi(math.inf), JensenShannon(), Jeffreys(), ChiSquared(),
]
#: divergences for which composition and tensor are short (proved for these; χ² is not, see C1-tensor-chi2)
SHORT_DIVERGENCES: list[Divergence] = [
    KL(), TotalVariation(), Hellinger(1), Hellinger(2), Hellinger(1, squared=False), Bhattacharyya(),
    Renyi(0), Renyi("1/2"), Renyi(2), Renyi(math.inf),
]
#: float64 instances with a nonzero entry below this are discarded (their products underflow)
TINY = 1e-100
SRC_P = "Perrone, Markov categories and entropy (arXiv 2212.11719)"
SRC_BF = "Baez & Fritz, A Bayesian characterization of relative entropy (arXiv 1402.3067), Thm 4.2 and Lemmas"


class _WellScaled(Generator):
    """Draws through another generator, discarding float kernels with entries in (0, TINY)."""

    def __init__(self, g: Generator) -> None:
        self._g, self.model = g, g.model

    def obj(self, name: str = "X", min_wires: int = 1, max_wires: int = 2) -> Obj:
        return self._g.obj(name, min_wires, max_wires)

    def kernel(self, dom: ObjLike, cod: ObjLike, name: str = "f", kind: str = "any") -> Kernel:
        k = self._g.kernel(dom, cod, name, kind)
        M = k.matrix
        assume(not ((M > 0) & (M < TINY)).any())
        return k

    def draw(self, strategy: st.SearchStrategy[Any], name: str = "x") -> Any:
        return self._g.draw(strategy, name)


def _scaled(build: Any) -> Any:
    def run(g: Generator) -> list[Equation]:
        return build(_WellScaled(g) if g.model is not None and not g.model.exact else g)  # type: ignore[no-any-return]

    return run


def _prob(g: Generator) -> None:
    m = g.model
    if m is not None and not m.probabilistic:
        raise UnsupportedInstance(f"divergences and entropies need probability distributions; {m.name} kernels are not")


def _divergence(g: Generator, pool: list[Divergence]) -> Divergence:
    return g.draw(st.sampled_from(pool), "D")  # type: ignore[no-any-return]


def _state(g: Generator, X: Obj, name: str = "p") -> Kernel:
    """A state to push through maps: on FinSet a genuinely random (exact) one, not a point."""
    if g.model is not None and g.model.deterministic_only:
        return g.draw(S.states(X), name)  # type: ignore[no-any-return]
    return g.kernel(I, X, name)


def _plus(a: Any, b: Any) -> Any:
    return [x + y for x, y in zip(rows_of(a), rows_of(b))]


# ---------------------------------------------------------------------- C1 divergences
def _zero(g: Generator) -> list[Equation]:
    _prob(g)
    D = _divergence(g, DPI_DIVERGENCES)
    A, X = g.obj("A", 0, 1), g.obj("X")
    f = g.kernel(A, X, "f")
    return [equality(f"{D.name}(f, f) = 0", D(f, f), [0] * A.size)]


def _dpi(g: Generator) -> list[Equation]:
    _prob(g)
    D = _divergence(g, DPI_DIVERGENCES)
    A, X, Y = g.obj("A", 0, 1), g.obj("X"), g.obj("Y")
    f, k, h = g.kernel(A, X, "f"), g.kernel(A, X, "g"), g.kernel(X, Y, "h")
    p = g.kernel(I, A, "p")
    n = D.name
    return [
        inequality(f"{n}(f >> h, g >> h) <= {n}(f, g)", D(f >> h, k >> h), D(f, k)),
        inequality(f"{n}_p(f >> h, g >> h) <= {n}_p(f, g)", D.averaged(f >> h, k >> h, p), D.averaged(f, k, p)),
    ]


def _tensor(g: Generator, pool: list[Divergence], states: bool = False) -> list[Equation]:
    _prob(g)
    D = _divergence(g, pool)
    if states:  # two distributions on one wire each: a small search space, so failures shrink fast
        A, X, A2, X2 = I, g.obj("X", 1, 1), I, g.obj("X'", 1, 1)
    else:
        A, X, A2, X2 = g.obj("A", 0, 1), g.obj("X"), g.obj("A'", 0, 1), g.obj("X'")
    f, k, f2, k2 = g.kernel(A, X, "f"), g.kernel(A, X, "g"), g.kernel(A2, X2, "f'"), g.kernel(A2, X2, "g'")
    n = D.name
    return [inequality(f"{n}(f @ f', g @ g') <= {n}(f, g) + {n}(f', g')  [sup over inputs]",
                       D.sup(f @ f2, k @ k2), D.sup(f, k) + D.sup(f2, k2))]


def _compose(g: Generator) -> list[Equation]:
    _prob(g)
    D = _divergence(g, SHORT_DIVERGENCES)
    A, X, Y = g.obj("A", 0, 1), g.obj("X"), g.obj("Y")
    f, k = g.kernel(A, X, "f"), g.kernel(A, X, "g")
    h, h2 = g.kernel(X, Y, "h"), g.kernel(X, Y, "k")
    n = D.name
    return [inequality(f"{n}(f >> h, g >> k) <= {n}(f, g) + {n}(h, k)  [sup over inputs]",
                       D.sup(f >> h, k >> h2), D.sup(f, k) + D.sup(h, h2))]


# ---------------------------------------------------------------------- C2 mutual information
def _split(g: Generator) -> tuple[Obj, Obj, Kernel]:
    A, X, Y = g.obj("A", 0, 1), g.obj("X", 1, 1), g.obj("Y", 1, 1)
    return X, Y, g.kernel(A, X @ Y, "psi")


def _mi(g: Generator) -> list[Equation]:
    _prob(g)
    _, _, psi = _split(g)
    return [equality("I_KL(psi) = H(X) + H(Y) - H(X, Y)", categorical_mutual_information(psi, KL()), mutual_information(psi, 0, 1))]


def _mi_dpi(g: Generator) -> list[Equation]:
    _prob(g)
    D = _divergence(g, DPI_DIVERGENCES)
    X, Y, psi = _split(g)
    X2, Y2 = g.obj("X'"), g.obj("Y'")
    f, h = g.kernel(X, X2, "f"), g.kernel(Y, Y2, "h")
    nl = len(X2)
    lhs = categorical_mutual_information(psi >> (f @ h), D, list(range(nl)))
    return [inequality(f"I_{D.name}(psi >> (f @ h)) <= I_{D.name}(psi)", lhs, categorical_mutual_information(psi, D, 0))]


# ---------------------------------------------------------------------- C3 categorical entropy
def _definition(f: Kernel, D: Divergence) -> Any:
    return categorical_entropy(f, D, method="definition")


def _h_kl(g: Generator) -> list[Equation]:
    _prob(g)
    A, X = (g.obj("A", 0, 1) if g.model is not None else I), g.obj("X")
    f = g.kernel(A, X, "f")
    return [equality("KL(f >> copy, copy >> (f @ f)) = H(f)  [Shannon entropy]", _definition(f, KL()), shannon_entropy(f))]


def _h_tv(g: Generator) -> list[Equation]:
    _prob(g)
    A, X = g.obj("A", 0, 1), g.obj("X")
    f = g.kernel(A, X, "f")
    return [equality("TV(f >> copy, copy >> (f @ f)) = 1 - Σ f²  [Gini–Simpson]", _definition(f, TotalVariation()), gini_simpson(f))]


def _h_renyi(g: Generator) -> list[Equation]:
    _prob(g)
    a = g.draw(st.sampled_from([Fraction(0), Fraction(1, 2), Fraction(2), Fraction(3), math.inf]), "alpha")
    A, X = g.obj("A", 0, 1), g.obj("X")
    f = g.kernel(A, X, "f")
    order = -math.inf if a == math.inf else 2 - a
    return [equality(f"D_α(f >> copy, copy >> (f @ f)) = H_(2-α)(f) at α = {a}", _definition(f, Renyi(a)), renyi_entropy(f, order))]


def _h_zero(g: Generator) -> list[Equation]:
    _prob(g)
    if g.model is not None and not g.model.exact:
        raise UnsupportedInstance("zero versus nonzero is not decidable in floating point (round-off); checked exactly")
    D = _divergence(g, DPI_DIVERGENCES)
    A, X = g.obj("A", 0, 1), g.obj("X")
    f = g.kernel(A, X, "f")
    h = rows_of(categorical_entropy(f, D))
    det = [sum(1 for x in row if x != 0) == 1 for row in f.matrix.tolist()]
    bad = [i for i, (v, d) in enumerate(zip(h, det)) if (v == 0) != d]
    detail = f"row {bad[0]}: H = {h[bad[0]]} but the row is {'' if det[bad[0]] else 'not '}deterministic" if bad else ""
    return [claim(f"H_{D.name}(f) = 0 iff f is deterministic", not bad, detail)]


def _h_push(g: Generator, kind: str) -> list[Equation]:
    _prob(g)
    D = KL() if kind == "any" else _divergence(g, DPI_DIVERGENCES)
    X, Y = g.obj("X"), g.obj("Y")
    p, f = _state(g, X), g.kernel(X, Y, "f", kind=kind)
    n = "H" if kind == "any" else f"H_{D.name}"
    return [inequality(f"{n}(p >> f) <= {n}(p)", categorical_entropy(p >> f, D), categorical_entropy(p, D))]


# ---------------------------------------------------------------------- C4 Baez–Fritz
def _morphism(g: Generator, p: Kernel, name: str) -> FinStatMorphism:
    Y = g.obj(f"Y{name}")
    f = onto_image(g.kernel(p.cod, Y, f"f{name}", kind="deterministic"))
    return FinStatMorphism.from_weights(p, f, g.kernel(f.cod, p.cod, f"s{name}"))


def _source(g: Generator, name: str = "p") -> Kernel:
    _prob(g)
    return g.kernel(I, g.obj("X"), name)


def _re_functor(g: Generator) -> list[Equation]:
    m = _morphism(g, _source(g), "")
    m2 = _morphism(g, m.target, "'")
    return [equality("RE((f, s) >> (g, t)) = RE(f, s) + RE(g, t)", (m >> m2).relative_entropy(),
                     _plus(m.relative_entropy(), m2.relative_entropy()))]


def _re_optimal(g: Generator) -> list[Equation]:
    p = _source(g)
    f = onto_image(g.kernel(p.cod, g.obj("Y"), "f", kind="deterministic"))
    m = FinStatMorphism.optimal(p, f)
    return [equality("RE(f, f†) = 0 for the Bayesian inverse f†", m.relative_entropy(), 0),
            claim("q >> f† = p", m.is_optimal())]


def _re_convex(g: Generator) -> list[Equation]:
    m, m2 = _morphism(g, _source(g), ""), _morphism(g, _source(g, "p'"), "'")
    lam = g.draw(st.fractions(0, 1, max_denominator=6), "λ")
    if not m.source.backend.exact:
        lam = float(lam)

    def scaled(c: Any, v: Any) -> Any:  # 0 · ∞ = 0
        return 0 if c == 0 else c * v

    lhs = convex_combination(lam, m, m2).relative_entropy()
    rhs = scaled(lam, m.relative_entropy()) + scaled(1 - lam, m2.relative_entropy())
    return [equality("RE(λ m ⊕ (1-λ) m') = λ RE(m) + (1-λ) RE(m')", lhs, rhs)]


def _re_support(g: Generator) -> list[Equation]:
    m = _morphism(g, _source(g), "")
    re = m.relative_entropy()
    return [claim("RE(f, s) = ∞ iff supp p ⊄ supp(q >> s)", infinite(re)[0] == m.loses_support(), f"RE = {re}")]


def _non_negative(g: Generator) -> list[Equation]:
    _prob(g)
    D = _divergence(g, DPI_DIVERGENCES)
    A, X = g.obj("A", 0, 1), g.obj("X")
    f, k = g.kernel(A, X, "f"), g.kernel(A, X, "g")
    return [inequality(f"0 <= {D.name}(f, g)", [0] * A.size, D(f, k))]


FIN = {"finstoch": True, "finstoch-float": True, "finset": True}
for stmt in [
    Statement("C1-zero", "divergence vanishes on the diagonal", "D(f, f) = 0 for every divergence D and kernel f.",
              SRC_P, _zero, kind="theorem", expected=FIN),
    Statement("C1-nonneg", "divergences are non-negative", "0 <= D(f, g) <= +∞ for every divergence D.",
              SRC_P, _non_negative, kind="theorem", expected=FIN),
    Statement("C1-DPI", "data processing inequality",
              "D(f >> h, g >> h) <= D(f, g) row-wise and for the prior-averaged D_p (f-divergences, Rényi-α for α in [0, ∞], "
              "Bhattacharyya).", SRC_P + "; van Erven & Harremoës 2014 (Rényi)", _dpi, kind="theorem", expected=FIN),
    Statement("C1-tensor", "tensor product is short",
              "D(f @ f', g @ g') <= D(f, g) + D(f', g') for the sup-over-inputs divergence (KL, Rényi, Bhattacharyya, "
              "Jeffreys: equality on states; TV, Hellinger: subadditive).", SRC_P,
              lambda g: _tensor(g, [*SHORT_DIVERGENCES, Jeffreys()]), kind="theorem", expected=FIN),
    Statement("C1-compose", "composition is short",
              "D(f >> h, g >> k) <= D(f, g) + D(h, k) for the sup-over-inputs divergence (KL, TV, Hellinger, Bhattacharyya, "
              "Rényi).", SRC_P, _compose, kind="theorem", expected=FIN),
    Statement("C1-tensor-chi2", "χ² is short for @ (NOT a theorem)",
              "χ²(f @ f', g @ g') <= χ²(f, g) + χ²(f', g'); false: 1 + χ² is multiplicative.", SRC_P,
              lambda g: _tensor(g, [ChiSquared()], states=True), kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True},
              note="on FinSet χ² is 0 or ∞, so the inequality holds there"),
    Statement("C2-MI", "KL mutual information is Shannon's",
              "I_KL(psi) = KL(psi, psi_X @ psi_Y) = H(X) + H(Y) - H(X, Y).", SRC_P, _mi, kind="theorem", expected=FIN),
    Statement("C2-DPI", "mutual information decreases under local maps",
              "I_D(psi >> (f @ h)) <= I_D(psi) for every divergence with data processing.", SRC_P, _mi_dpi,
              kind="theorem", expected=FIN),
    Statement("C3-KL", "categorical KL entropy is Shannon entropy",
              "H_KL(f) = KL(f >> copy, copy >> (f @ f)) = -Σ f log f.", SRC_P, _h_kl, kind="theorem", expected=FIN,
              symbolic_sizes=((2,), (3,)), note="the symbolic proof treats entries as positive (0 log 0 = 0 is checked exactly)"),
    Statement("C3-TV", "categorical TV entropy is Gini–Simpson",
              "H_TV(f) = TV(f >> copy, copy >> (f @ f)) = 1 - Σ f², exactly.", SRC_P, _h_tv, kind="theorem", expected=FIN),
    Statement("C3-Renyi", "categorical Rényi-α entropy is Rényi entropy of order 2 - α",
              "H_{D_α}(f) = H_{2-α}(f) for α in {0, 1/2, 2, 3, ∞} (order −∞ at α = ∞).", SRC_P, _h_renyi,
              kind="theorem", expected=FIN),
    Statement("C3-zero", "categorical entropy vanishes exactly on deterministic kernels",
              "H_D(f)(a) = 0 iff the row f(a) is a point mass.", SRC_P, _h_zero, kind="theorem",
              expected={"finstoch": True, "finset": True}),
    Statement("C3-pushforward", "entropy does not grow under deterministic maps",
              "H_D(p >> f) <= H_D(p) for deterministic f and every divergence with data processing.", SRC_P,
              lambda g: _h_push(g, "deterministic"), kind="theorem", expected=FIN),
    Statement("C3-grows", "entropy does not grow under any map (NOT a theorem)",
              "H(p >> f) <= H(p) for every kernel f; false for stochastic f (noise adds entropy).", SRC_P,
              lambda g: _h_push(g, "any"), kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True},
              note="holds on FinSet, where every map is deterministic (see C3-pushforward)"),
    Statement("C4-functor", "relative entropy is a functor on FinStat",
              "RE((f, s) >> (g, t)) = RE(f, s) + RE(g, t).", SRC_BF, _re_functor, kind="theorem", expected=FIN),
    Statement("C4-optimal", "relative entropy vanishes on optimal hypotheses",
              "RE(f, s) = 0 when s is the Bayesian inverse of f (q >> s = p).", SRC_BF, _re_optimal, kind="theorem",
              expected=FIN),
    Statement("C4-convex", "relative entropy is convex linear",
              "RE(λ m ⊕ (1-λ) m') = λ RE(m) + (1-λ) RE(m') (0 · ∞ = 0).", SRC_BF, _re_convex, kind="theorem", expected=FIN),
    Statement("C4-support", "relative entropy is infinite exactly when support is lost",
              "RE(f, s) = ∞ iff some x with p(x) > 0 has (q >> s)(x) = 0.", SRC_BF, _re_support, kind="theorem",
              expected=FIN),
]:
    register(Statement(stmt.code, stmt.name, stmt.text, stmt.source, _scaled(stmt.build), stmt.kind, stmt.expected,
                       stmt.symbolic_sizes, stmt.note))

