"""[B13][stmt-b13], [B14][stmt-b14] as statements: sufficient statistics (Fisher–Neyman) and Blackwell–Sherman–Stein.

>>> from catkit.axioms import REGISTRY, check
>>> check(REGISTRY["B14-certificate"], "finstoch", max_examples=20).status
'holds'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st

from catkit.axioms._instances import Flavour, flavour, function_kernel, kernel, obj
from catkit.axioms.statement import EVERY, PROBABILISTIC, Equation, Generator, Statement, UnsupportedInstance, register
from catkit.info.claims import claim
from catkit.kernel import Kernel
from catkit.objects import I, Obj, Wire
from catkit.structure.statistics import (
    DecisionProblem,
    blackwell_certificate,
    decision_value,
    find_garbling,
    sufficiency_equation,
    sufficiency_witness,
)
from catkit.structure.support import as_equation

__all__: list[str] = []

FRITZ = "Fritz 2020 (Adv. Math. 370, arXiv 1908.07021)"
FGPR = "Fritz, Gonda, Perrone & Rischel 2020 (arXiv 2010.07416)"


@st.composite
def _fibred(draw: Callable[..., Any], fl: Flavour, X: Obj, V: Obj) -> tuple[Kernel, Any, Kernel]:
    """A statistic ``s: X → V``, ``α: V → X`` with ``α(·|v)`` on the fibre ``s⁻¹(v)`` (any row on empty
    fibres), and the retraction ``r: V → V`` onto the image of ``s`` (a law of ``s(x)`` lives there)."""
    idx = draw(st.lists(st.integers(0, V.size - 1), min_size=X.size, max_size=X.size))
    rows = []
    for v in range(V.size):
        fib = [x for x in range(X.size) if idx[x] == v]
        if not fib:
            rows.append(draw(fl.weights(X.size, 1)))
            continue
        row: list[Any] = [0 if fl.model.exact else 0.0] * X.size
        for x, w in zip(fib, draw(fl.weights(len(fib), 1))):
            row[x] = w
        rows.append(row)
    image = sorted(set(idx))
    retract = function_kernel(V, V, [v if v in image else image[0] for v in range(V.size)])
    return function_kernel(X, V, idx), fl.kernel(rows, V, X), retract


def _b13(g: Generator) -> list[Equation]:
    fl = flavour(g)
    Th, X, V = obj(g, "Θ"), obj(g, "X"), obj(g, "V")
    s, alpha, retract = g.draw(_fibred(fl, X, V), "s, α (α(·|v) on the fibre of v), r (onto the image of s)")
    p = kernel(g, Th, V, "g") >> retract >> alpha  # p(x|θ) = α(x|s(x)) g(s(x)|θ): a Fisher–Neyman factorisation
    w = sufficiency_witness(p, s)
    if w is None:
        return [claim("s is sufficient for p = g >> α (a witness exists)", False)]
    return [
        Equation("sufficiency (Def 14.3): p >> ⟨id, s⟩ = (p >> s) >> ⟨α, id⟩", *sufficiency_equation(p, s, w)),
        Equation("Fisher–Neyman: p = (p >> s) >> α", p, (p >> s) >> w),
        Equation("α >> s =_{p >> s} id", *as_equation(w >> s, Kernel.id(V), p >> s)),
    ]


def _probabilities(g: Generator) -> Flavour:
    fl = flavour(g)
    if not fl.model.probabilistic:
        raise UnsupportedInstance("decision problems and garblings need probabilities (FinStoch kernels)")
    return fl


def _b14(g: Generator) -> list[Equation]:
    fl = _probabilities(g)
    Th, X, Y, A = obj(g, "Θ"), obj(g, "X"), obj(g, "Y"), obj(g, "actions")
    f, c = kernel(g, Th, X, "f"), kernel(g, X, Y, "c")
    util = g.draw(st.lists(st.lists(st.integers(-3, 3), min_size=A.size, max_size=A.size), min_size=Th.size, max_size=Th.size), "u")
    dp = DecisionProblem(Wire(A.size, name="action"), util, kernel(g, I, Th, "prior"))
    vf, vg = decision_value(f, dp), decision_value(f >> c, dp)
    slack = 0 if fl.model.exact else 1e-9
    return [claim("value(f) >= value(f >> c) for a garbling c", vf >= vg - slack)]


def _b14_certificate(g: Generator) -> list[Equation]:
    fl = _probabilities(g)
    if not fl.model.exact:
        raise UnsupportedInstance("the garbling LP is exact; float experiments go through scipy and are tested separately")
    Th, X, Y = obj(g, "Θ"), obj(g, "X"), obj(g, "Y")
    f, c, other = kernel(g, Th, X, "f"), kernel(g, X, Y, "c"), kernel(g, Th, Y, "g0")
    garbled = g.draw(st.booleans(), "g = f >> c (else g0)")
    target = f >> c if garbled else other
    found = find_garbling(f, target)
    eqs: list[Equation] = [claim("a garbling exists, so the exact LP finds one", found is not None or not garbled)]
    if found is not None:
        eqs.append(Equation("f >> c' = g for the LP's garbling c'", f >> found, target))
    else:
        dp = blackwell_certificate(f, target)
        assert dp is not None
        eqs.append(claim("no garbling: g beats f in the certificate's decision problem", decision_value(target, dp) > decision_value(f, dp)))
    return eqs


for stmt in [
    Statement("B13", "Fisher–Neyman: factorisations give sufficient statistics",
              "If p(x|θ) = h(x) g(s(x)|θ) (p = g >> α, α on the fibres of s) then s is sufficient: "
              "p >> ⟨id, s⟩ = (p >> s) >> ⟨α, id⟩ for the witness α found, and α >> s = id, (p >> s)-a.s.",
              f"{FRITZ} Def 14.3, Thm 14.5, Example 14.6", _b13, kind="theorem",
              expected=EVERY,
              note="the factorisation direction is algebraic and holds in every model; non-sufficient statistics are "
                   "rejected in tests/test_structure_statistics.py (the direction that needs strict positivity in Fritz's Thm 14.5)", proof=("fisher_neyman",)),
    Statement("B14", "Blackwell: garbling loses value",
              "If g = f >> c then value(f) >= value(g) in every finite decision problem (Bayes value under a prior).",
              f"Blackwell 1953; {FGPR}", _b14, kind="theorem", expected=PROBABILISTIC,
              note="n/a without probabilities (signed, sub-stochastic, FinSetMulti); the converse is B14-certificate"),
    Statement("B14-certificate", "Blackwell–Sherman–Stein: garbling or certificate",
              "Either an exact LP finds c with f >> c = g, or its Farkas dual gives a decision problem where g beats f.",
              f"Blackwell 1953; Sherman 1951; Stein 1951; {FGPR}", _b14_certificate, kind="theorem",
              expected={"finstoch": True, "finset": True},
              note="a theorem wherever it applies (Farkas' lemma); exact models only"),
]:
    register(stmt)
