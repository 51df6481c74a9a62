"""[B9][stmt-b9], [B10][stmt-b10] as statements: randomness pushback, representability of FinSetMulti, Kolmogorov truncations.

>>> from catkit.axioms import REGISTRY, check
>>> check(REGISTRY["B9-representable"], "finsetmulti", max_examples=20).status
'holds'
"""

from __future__ import annotations

import hypothesis.strategies as st

from catkit.axioms._instances import flavour, kernel, obj
from catkit.axioms.statement import EVERY, Equation, Generator, Statement, UnsupportedInstance, register
from catkit.kernel import Kernel
from catkit.objects import Obj
from catkit.structure.determinism import copy_equation
from catkit.structure.kolmogorov import KolmogorovProduct
from catkit.structure.multivalued import powerset, sampling, sharp
from catkit.structure.pushback import randomness_pushback

__all__: list[str] = []

FRITZ = "Fritz 2020 (Adv. Math. 370, arXiv 1908.07021)"
FGPR = "Fritz, Gonda, Perrone & Rischel 2020 (arXiv 2010.07416)"
FR = "Fritz & Rischel 2020 (arXiv 1912.02769)"


def _b9(g: Generator) -> list[Equation]:
    A, X = obj(g, "A", min_wires=0), obj(g, "X")  # one wire each: the noise space X^A stays small
    f = kernel(g, A, X, "f")
    p, h = randomness_pushback(f)
    return [Equation("f = (id_A @ p) >> h", f, (Kernel.id(A) @ p) >> h), Equation("h is deterministic", *copy_equation(h))]


def _b9_representable(g: Generator) -> list[Equation]:
    if not flavour(g).model.relational:
        raise UnsupportedInstance("FinStoch is not representable by a finite object (P X would be every distribution on X)")
    A, X = obj(g, "A", min_wires=0), obj(g, "X")
    f = kernel(g, A, X, "f")
    h = kernel(g, A, Obj(powerset(X)), "h", kind="deterministic")
    return [
        Equation("f = f♯ >> samp", f, sharp(f) >> sampling(X)),
        Equation("f♯ is deterministic", *copy_equation(sharp(f))),
        Equation("f♯ is unique: a deterministic h equals (h >> samp)♯", sharp(h >> sampling(X)), h),
    ]


def _b10(g: Generator) -> list[Equation]:
    A = obj(g, "A", min_wires=0)
    K = KolmogorovProduct([kernel(g, A, obj(g, f"X{i}"), f"f{i}") for i in range(3)])
    J = g.draw(st.permutations([0, 1, 2]), "J")
    Kset = g.draw(st.lists(st.sampled_from(J), unique=True), "K ⊆ J")
    L = g.draw(st.lists(st.sampled_from(Kset), unique=True) if Kset else st.just([]), "L ⊆ K")
    return [
        Equation("π_{J,K} is deterministic", *copy_equation(K.projection(J, Kset))),
        Equation("π_{J,K} >> π_{K,L} = π_{J,L}", K.projection(J, Kset) >> K.projection(Kset, L), K.projection(J, L)),
        Equation("consistency: f_J >> π_{J,K} = f_K", K.truncation(J) >> K.projection(J, Kset), K.truncation(Kset)),
    ]


for stmt in [
    Statement("B9", "randomness pushback", "f = (id_A @ p) >> h with p = ⊗_a f(·|a) on W = X^A and the deterministic h(a, w) = w_a.",
              f"{FRITZ} Def 11.19, Example 11.20", _b9, kind="theorem",
              expected={**EVERY, "substoch": False, "finsetmulti": True}, symbolic_sizes=((2,), (2, 3)),
              note="sub-stochastic: the product p loses the other rows' missing mass"),
    Statement("B9-representable", "FinSetMulti is representable",
              "With P X the non-empty subsets and samp: P X → X, S ↦ S, every f is f♯ >> samp for a unique deterministic f♯.",
              f"{FGPR} (representable Markov categories); {FRITZ} Example 2.6", _b9_representable, kind="theorem",
              expected={"finsetmulti": True},
              note="n/a on FinStoch and its relatives: no finite representing object exists there"),
    Statement("B10", "Kolmogorov products: finite truncations",
              "Projections π_{J,K} are deterministic and compose; truncations are consistent: f_J >> π_{J,K} = f_K.",
              f"{FR} §3–4", _b10, kind="theorem", expected={**EVERY, "substoch": False, "finsetmulti": True},
              note="sub-stochastic: discarding a factor whose rows lose mass changes the others"),
]:
    register(stmt)
