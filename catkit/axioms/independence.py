"""[B11][stmt-b11], [B12][stmt-b12] as statements: conditional independence (semigraphoid rules, intersection) and d-separation.

Each rule is checked on joints built so that its hypothesis holds (a
conditional product of drawn kernels); the statement asserts the hypothesis
(as a sanity check of the construction) and the conclusion, both through
:func:`catkit.structure.independent` (indicator kernels: ``truth(...)``).

>>> from catkit.axioms import REGISTRY, check
>>> r = check(REGISTRY["B11-intersection"], "finstoch", max_examples=50)
>>> r.status
'fails'
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import hypothesis.strategies as st
import networkx as nx

import catkit.axioms.probability  # noqa: F401  (registered first: the check table reads in catalogue order)
import catkit.axioms.representability  # noqa: F401
from catkit.axioms._instances import flavour, function_kernel, kernel, obj
from catkit.axioms.statement import EVERY, Equation, Generator, Statement, UnsupportedInstance, register
from catkit.info.claims import claim
from catkit.kernel import Kernel
from catkit.objects import I, Obj
from catkit.structure.bayesnet import BayesNet, d_separations
from catkit.structure.independence import independent

__all__: list[str] = []

FRITZ = "Fritz 2020 (Adv. Math. 370, arXiv 1908.07021)"
ALGEBRAIC = "an algebraic identity of the product formula: holds in signed and sub-stochastic models too (Fritz 2020 Lemma 12.5)"


def independent_in_model(g: Generator, psi: Kernel, left: list[int], right: list[int], given: list[int]) -> bool:
    """Whether ``left ⊥ right | given`` holds for the state ``psi``, with the tolerance of the generator's model
    (exact models: exactly), as the independence statements check it.

    >>> from catkit import Wire
    >>> psi = Kernel([["1/4", "1/4", "1/4", "1/4"]], cod=Wire(2) @ Wire(2))
    >>> independent_in_model(Generator(), psi, [0], [1], []), independent_in_model(Generator(), Kernel([["1/2", "1/2"]]) >> Kernel.copy(Wire(2)), [0], [1], [])
    (True, False)
    """
    tol = (g.model.tol or None) if g.model is not None else None
    return independent(psi, left, right, given, tol=tol)


def _four(g: Generator) -> tuple[Obj, Obj, Obj, Obj]:
    return obj(g, "X"), obj(g, "Y"), obj(g, "Z"), obj(g, "W", min_wires=0)


def _product_given_w(g: Generator) -> tuple[Kernel, Obj, Obj, Obj, Obj]:
    """ψ on X ⊗ Y ⊗ Z ⊗ W displaying X ⊥ (Y, Z) | W: w ~ p, x ~ k(w), (y, z) ~ m(w)."""
    X, Y, Z, W = _four(g)
    p, k, m = kernel(g, I, W, "p_W"), kernel(g, W, X, "k_X"), kernel(g, W, Y @ Z, "k_YZ")
    psi = p >> Kernel.copy(W, 3) >> (k @ m @ Kernel.id(W))  # X, Y, Z, W
    return psi, X, Y, Z, W


def _wires(*objs: Obj) -> list[list[int]]:
    out, start = [], 0
    for o in objs:
        out.append(list(range(start, start + len(o))))
        start += len(o)
    return out


Groups = dict[str, list[int]]


def _rule(hypothesis: tuple[str, str, str, str], conclusion: tuple[str, str, str, str]) -> Callable[[Generator], list[Equation]]:
    """A rule checked on ψ displaying X ⊥ (Y, Z) | W; each side is (name, left, right, given) over the
    wire groups "x", "y", "z", "w", "yz", "zw"."""

    def build(g: Generator) -> list[Equation]:
        psi, X, Y, Z, W = _product_given_w(g)
        x, y, z, w = _wires(X, Y, Z, W)
        grp: Groups = {"x": x, "y": y, "z": z, "w": w, "yz": y + z, "zw": z + w}
        return [claim(name, independent_in_model(g, psi, grp[a], grp[b], grp[c])) for name, a, b, c in (hypothesis, conclusion)]

    return build


_symmetry = _rule(("hypothesis: X ⊥ Y | W", "x", "y", "w"), ("symmetry: Y ⊥ X | W", "y", "x", "w"))
_decomposition = _rule(("hypothesis: X ⊥ (Y, Z) | W", "x", "yz", "w"), ("decomposition: X ⊥ Y | W", "x", "y", "w"))
_weak_union = _rule(("hypothesis: X ⊥ (Y, Z) | W", "x", "yz", "w"), ("weak union: X ⊥ Y | (Z, W)", "x", "y", "zw"))


def _contraction(g: Generator) -> list[Equation]:
    X, Y, Z, W = _four(g)
    p, kx, ky = kernel(g, I, W, "p_W"), kernel(g, W, X, "k_X"), kernel(g, W, Y, "k_Y")
    kz = kernel(g, Y @ W, Z, "k_Z")  # z depends on (y, w) only: X ⊥ Z | (Y, W)
    xyw = p >> Kernel.copy(W, 3) >> (kx @ ky @ Kernel.id(W))  # X, Y, W
    psi = xyw >> (Kernel.id(X) @ Kernel.copy(Y @ W)) >> (Kernel.id(X @ Y @ W) @ kz)  # X, Y, W, Z
    x, y, w, z = _wires(X, Y, W, Z)
    return [
        claim("hypothesis: X ⊥ Y | W", independent_in_model(g, psi, x, y, w)),
        claim("hypothesis: X ⊥ Z | (Y, W)", independent_in_model(g, psi, x, z, y + w)),
        claim("contraction: X ⊥ (Y, Z) | W", independent_in_model(g, psi, x, y + z, w)),
    ]


def _intersection(g: Generator) -> list[Equation]:
    """Y = T and Z = σ(T) determine each other, so both hypotheses hold whatever x ~ k(T) is."""
    T = obj(g, "T")
    W = obj(g, "W", min_wires=0)
    X = obj(g, "X")
    pt, pw, k = kernel(g, I, T, "p_T"), kernel(g, I, W, "p_W"), kernel(g, T, X, "k_X")
    sigma = function_kernel(T, T, g.draw(st.permutations(range(T.size)), "σ (a bijection)"))
    psi = (pt >> Kernel.copy(T, 3) >> (k @ Kernel.id(T) @ sigma)) @ pw  # X, Y = T, Z = σT, W
    x, y, z, w = _wires(X, T, T, W)
    return [
        claim("hypothesis: X ⊥ Y | (Z, W)", independent_in_model(g, psi, x, y, z + w)),
        claim("hypothesis: X ⊥ Z | (Y, W)", independent_in_model(g, psi, x, z, y + w)),
        claim("intersection: X ⊥ (Y, Z) | W", independent_in_model(g, psi, x, y + z, w)),
    ]


def _intersection_positive(g: Generator) -> list[Equation]:
    """With full support both hypotheses force x to depend on w only: every such joint is built here."""
    X, Y, Z, W = _four(g)
    pwyz = kernel(g, I, W @ Y @ Z, "p_WYZ", kind="full_support")
    c = kernel(g, W, X, "c", kind="full_support")
    psi = pwyz >> (Kernel.copy(W) @ Kernel.id(Y @ Z)) >> (c @ Kernel.id(W @ Y @ Z))  # X, W, Y, Z
    x, w, y, z = _wires(X, W, Y, Z)
    return [
        claim("hypothesis: X ⊥ Y | (Z, W)", independent_in_model(g, psi, x, y, z + w)),
        claim("hypothesis: X ⊥ Z | (Y, W)", independent_in_model(g, psi, x, z, y + w)),
        claim("intersection: X ⊥ (Y, Z) | W", independent_in_model(g, psi, x, y + z, w)),
    ]


# ---------------------------------------------------------------------- B12 d-separation
@st.composite
def _dag(draw: Callable[..., Any], max_nodes: int = 5) -> nx.DiGraph:
    n = draw(st.integers(3, max_nodes))  # colliders need three nodes
    dag = nx.DiGraph()
    dag.add_nodes_from(range(n))
    # edges with probability 2/3: dense DAGs have colliders, where sub-stochastic tables break the property
    dag.add_edges_from((i, j) for i in range(n) for j in range(i + 1, n) if draw(st.integers(0, 2)) > 0)
    return dag


def _b12(g: Generator) -> list[Equation]:
    fl = flavour(g)
    if fl.model.relational:
        raise UnsupportedInstance("Bayesian networks are built from Kernels")
    dag = g.draw(_dag(4), "DAG")
    sizes = {v: obj(g, f"X{v}", min_size=2, max_size=2) for v in dag.nodes}  # size-1 nodes are independent of everything
    tables = {}
    for v in dag.nodes:
        dom = Obj(*(w for p in dag.predecessors(v) for w in sizes[p]))
        tables[v] = fl.kernel(g.draw(fl.lossy_rows(dom.size, sizes[v].size), f"table {v}"), dom, sizes[v])
    psi = BayesNet(dag, tables).joint()
    seps = cast("list[tuple[int, int, list[int]]]", d_separations(dag))  # _dag's nodes are the wire positions 0 .. n-1
    missed = [(a, b, W) for a, b, W in seps if not independent_in_model(g, psi, [a], [b], W)]
    return [claim("every d-separation (a ⊥ b | W) of the DAG is an independence of the compiled joint", not missed)]


for stmt in [
    Statement("B11-symmetry", "conditional independence is symmetric", "X ⊥ Y | W implies Y ⊥ X | W.",
              f"{FRITZ} Lemma 12.5", _symmetry, kind="theorem", expected=EVERY,
              note=ALGEBRAIC, proof=("ci_symmetry",)),
    Statement("B11-decomposition", "decomposition", "X ⊥ (Y, Z) | W implies X ⊥ Y | W.",
              f"{FRITZ} Lemma 12.5", _decomposition, kind="theorem", expected=EVERY,
              note=ALGEBRAIC, proof=("ci_decomposition",)),
    Statement("B11-weak-union", "weak union", "X ⊥ (Y, Z) | W implies X ⊥ Y | (Z, W).",
              f"{FRITZ} Prop 12.17 (with conditionals)", _weak_union, kind="theorem", expected=EVERY,
              note="for the product-formula definition an algebraic identity, so it holds in every model here; B11-intersection is the rule that fails",
              proof=("ci_weak_union",)),
    Statement("B11-contraction", "contraction", "X ⊥ Y | W and X ⊥ Z | (Y, W) imply X ⊥ (Y, Z) | W.",
              f"{FRITZ} Lemma 12.5", _contraction, kind="theorem", expected=EVERY,
              note=ALGEBRAIC, proof=("ci_contraction",)),
    Statement("B11-intersection", "intersection without full support (NOT a theorem)",
              "X ⊥ Y | (Z, W) and X ⊥ Z | (Y, W) imply X ⊥ (Y, Z) | W.  False without full support: X = Y = Z a copied fair bit.",
              "Pearl 1988 (the intersection property needs positivity)", _intersection, kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True, "signed": False, "substoch": False},
              note="holds on FinSet: deterministic joints make every independence trivial"),
    Statement("B11-intersection-positive", "intersection with full support",
              "For a joint with full support, X ⊥ Y | (Z, W) and X ⊥ Z | (Y, W) imply X ⊥ (Y, Z) | W.",
              "Pearl 1988; Studený 2005", _intersection_positive, kind="theorem",
              expected={"finstoch": True, "finstoch-float": True},
              note="only models with full-support kernels: elsewhere n/a"),
    Statement("B12", "d-separation implies independence (global Markov property)",
              "For a DAG with conditional tables, every d-separated (a, b | W) is an exact independence of the compiled joint.",
              "Fritz & Klingler 2023 (JMLR 24, arXiv 2207.05740); Lauritzen 1996 §3.2", _b12, kind="theorem",
              expected={**EVERY, "substoch": False},
              note="sub-stochastic tables: marginalising a descendant no longer removes it (its rows lose mass)"),
]:
    register(stmt)
