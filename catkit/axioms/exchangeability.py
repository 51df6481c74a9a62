"""[B15][stmt-b15], [B16][stmt-b16] as statements: finite de Finetti checks and zero-one checks.

>>> from catkit.axioms import REGISTRY, check
>>> check(REGISTRY["B15-converse"], "finstoch", max_examples=30).status
'fails'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import hypothesis.strategies as st

import catkit.axioms.independence  # noqa: F401  (B1-B12 and B13-B14 first: the check table reads in catalogue order)
import catkit.axioms.statistics  # noqa: F401
from catkit.axioms._instances import Flavour, flavour, function_kernel, kernel, obj, support_of
from catkit.axioms.independence import independent_in_model
from catkit.axioms.statement import EVERY, Equation, Generator, Statement, UnsupportedInstance, register
from catkit.info.claims import claim
from catkit.kernel import Kernel
from catkit.objects import I, Obj, Wire
from catkit.structure.definetti import iid_mixture, iid_power, is_exchangeable, is_iid_mixture, symmetrize
from catkit.structure.determinism import copy_equation
from catkit.structure.kolmogorov import independent_of_sample

__all__: list[str] = []


# ---------------------------------------------------------------------- B15 de Finetti
def _mixture(g: Generator, keep: bool = False) -> tuple[Kernel, int]:
    Th, X = obj(g, "Θ"), obj(g, "X")
    n = g.draw(st.integers(2, 3), "n")
    return iid_mixture(kernel(g, I, Th, "prior"), kernel(g, Th, X, "k"), n, keep_parameter=keep), n


def _b15(g: Generator) -> list[Equation]:
    psi, n = _mixture(g)
    eqs: list[Equation] = []
    for i in range(n - 1):
        perm = list(range(n))
        perm[i], perm[i + 1] = perm[i + 1], perm[i]
        eqs.append(Equation(f"exchangeable: swapping draws {i} and {i + 1} changes nothing", psi.permute(perm), psi))
    return eqs


def _b15_ci(g: Generator) -> list[Equation]:
    psi, n = _mixture(g, keep=True)
    return [claim(f"X_1 ⊥ X_{j} | Θ", independent_in_model(g, psi, [1], [j], [0])) for j in range(2, n + 1)]


def _b15_converse(g: Generator) -> list[Equation]:
    fl = flavour(g)
    if not fl.model.probabilistic:
        raise UnsupportedInstance("de Finetti's theorem is about probability measures")
    bit = Wire(2)
    n = g.draw(st.integers(2, 3), "n")
    s = kernel(g, I, Obj(*([bit] * n)), "s")
    try:
        psi = symmetrize(s).as_model(s.model)  # an exchangeable state of the model, if symmetrising stays in it
    except Exception:  # noqa: BLE001 - FinSet: a symmetrised point is random; use the exchangeable s >> copy instead
        first = s.marginal(0)
        psi = first >> Kernel.copy(Obj(bit), n)
    return [
        claim("hypothesis: ψ is exchangeable", is_exchangeable(psi)),
        claim("conclusion: ψ is a mixture of iid laws", is_iid_mixture(psi)),
    ]


# ---------------------------------------------------------------------- B16 zero-one
@st.composite
def _constant_on_support(draw: Callable[..., Any], fl: Flavour, p: Kernel, V: Obj) -> Kernel:
    S_ = support_of(p)
    v0 = draw(st.integers(0, V.size - 1))
    free = draw(st.lists(st.integers(0, V.size - 1), min_size=p.cod.size, max_size=p.cod.size))
    return function_kernel(p.cod, V, [v0 if x in S_ else free[x] for x in range(p.cod.size)])


def _b16(g: Generator) -> list[Equation]:
    fl = flavour(g)
    if fl.model.relational:
        raise UnsupportedInstance("independence is defined for kernels")
    X, V = obj(g, "X"), obj(g, "V")
    p = kernel(g, I, X, "p")
    s = g.draw(_constant_on_support(fl, p, V), "s (a statistic)")
    return [
        claim("hypothesis: s(x) ⊥ x under p", independent_of_sample(p, s)),
        Equation("zero-one: p >> s is deterministic", *copy_equation(p >> s)),
    ]


@st.composite
def _symmetric_statistic(draw: Callable[..., Any], X: Obj, n: int, V: Obj) -> Kernel:
    D = Obj(*(tuple(X) * n))
    els: list[tuple[Any, ...]] = list(D.elements())
    keys = sorted({tuple(sorted(e)) for e in els})
    value = dict(zip(keys, draw(st.lists(st.integers(0, V.size - 1), min_size=len(keys), max_size=len(keys)))))
    return function_kernel(D, V, [value[tuple(sorted(e))] for e in els])


def _b16_hewitt_savage(g: Generator) -> list[Equation]:
    if flavour(g).model.relational:
        raise UnsupportedInstance("the statistic's law is a probability notion")
    X, V = obj(g, "X"), obj(g, "V")
    n = g.draw(st.integers(2, 3), "n")
    p = kernel(g, I, X, "p")
    s = g.draw(_symmetric_statistic(X, n, V), "s (permutation-invariant)")
    q = iid_power(p, n) >> s
    return [Equation("a permutation-invariant statistic of iid draws is deterministic", *copy_equation(q))]


for stmt in [
    Statement("B15", "iid mixtures are exchangeable", "prior >> copy_n >> k^{⊗n} is invariant under permuting its n draws.",
              "Fritz, Gonda & Perrone 2021 (arXiv 2105.02639)", _b15, kind="theorem", expected={**EVERY, "finsetmulti": True},
              note="holds in every model (copy is cocommutative); B15-converse is the discriminating neighbour"),
    Statement("B15-ci", "iid draws are independent given the parameter", "In θ ~ prior, x_i ~ k(θ) iid: X_1 ⊥ X_j | Θ.",
              "Fritz, Gonda & Perrone 2021", _b15_ci, kind="theorem", expected=EVERY,
              note="an algebraic identity of the product p(θ) k(x1|θ) k(x2|θ): holds in every model here"),
    Statement("B15-converse", "finite exchangeable laws are iid mixtures (NOT a theorem)",
              "Every exchangeable law of n binary draws is a mixture of iid laws.  False: an urn without replacement, P(RB) = P(BR) = 1/2.",
              "de Finetti (needs infinitely many draws); Diaconis & Freedman 1980", _b15_converse, kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True},
              note="holds on FinSet: its exchangeable states are constant sequences"),
    Statement("B16", "zero-one: a statistic independent of its sample is deterministic",
              "If s is deterministic and s(x) ⊥ x under p, then p >> s is deterministic.",
              "Fritz & Rischel 2020 (arXiv 1912.02769) §5 (finite core of the Kolmogorov zero-one law)", _b16,
              kind="theorem", expected={**EVERY, "substoch": False},
              note="sub-stochastic: p >> s = m δ with 0 < m < 1 is not deterministic (m δ ⊗ δ != m² δ ⊗ δ)"),
    Statement("B16-hewitt-savage", "finite Hewitt–Savage (NOT a theorem)",
              "A permutation-invariant statistic of n iid draws is deterministic.  False: the parity of n fair bits is 1/2.",
              "Hewitt & Savage 1955 (needs infinitely many draws); Fritz & Rischel 2020 §6", _b16_hewitt_savage,
              kind="non-theorem", expected={"finstoch": False, "finstoch-float": False, "finset": True, "signed": False, "substoch": False},
              note="holds on FinSet: a point mass has deterministic statistics"),
]:
    register(stmt)
