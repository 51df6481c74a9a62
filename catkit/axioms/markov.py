"""[section A][stmt-section-a] of the catalogue: the axioms of a Markov category, checked on every model.

Each statement is built from the category its generator supplies (``g.category``: kernels,
FinSetMulti's relations, or diagrams in the free category, see :func:`~catkit.axioms.prove_free`).
A1–A6 make a copy-discard (CD) category and hold on every model here; A7
(discard is natural: rows sum to 1) makes it Markov and fails for
sub-stochastic matrices.  ``copy-natural`` is *not* an axiom: it holds
exactly for deterministic kernels, so it fails on FinStoch and holds on FinSet.

>>> from catkit.axioms import REGISTRY
>>> [c for c in REGISTRY if c.startswith("A")]
['A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']
"""

from __future__ import annotations

from catkit.axioms.statement import Equation, Generator, Statement, register
from catkit.models import MODELS

__all__: list[str] = []

# every model is a copy-discard category; which are Markov (A7) and cartesian (copy natural) are their flags
CD = {k: True for k in MODELS}
MARKOV = {k: m.markov for k, m in MODELS.items()}
CARTESIAN = {k: m.deterministic_only for k, m in MODELS.items()}
SYM = ((2,), (2, 3))


def _a1(g: Generator) -> list[Equation]:
    C = g.category
    X, Y, Z, W = g.obj("X"), g.obj("Y"), g.obj("Z"), g.obj("W")
    f, h, k = g.kernel(X, Y, "f"), g.kernel(Y, Z, "g"), g.kernel(Z, W, "h")
    return [
        Equation("id >> f = f", C.id(X) >> f, f),
        Equation("f >> id = f", f >> C.id(Y), f),
        Equation("(f >> g) >> h = f >> (g >> h)", (f >> h) >> k, f >> (h >> k)),
    ]


def _a2(g: Generator) -> list[Equation]:
    X, Y, Z, X2, Y2, Z2 = (g.obj(n) for n in ("X", "Y", "Z", "X'", "Y'", "Z'"))
    f, f2 = g.kernel(X, Y, "f"), g.kernel(X2, Y2, "f'")
    h, h2 = g.kernel(Y, Z, "g"), g.kernel(Y2, Z2, "g'")
    return [Equation("(f @ f') >> (g @ g') = (f >> g) @ (f' >> g')", (f @ f2) >> (h @ h2), (f >> h) @ (f2 >> h2))]


def _a3(g: Generator) -> list[Equation]:
    C = g.category
    X, Y, Z = g.obj("X"), g.obj("Y"), g.obj("Z")
    f, h, k = g.kernel(X, Y, "f"), g.kernel(Y, Z, "g"), g.kernel(Z, X, "h")
    return [
        Equation("(f @ g) @ h = f @ (g @ h)", (f @ h) @ k, f @ (h @ k)),
        Equation("f @ id_I = f", f @ C.id(C.unit), f),
        Equation("id_I @ f = f", C.id(C.unit) @ f, f),
    ]


def _a4(g: Generator) -> list[Equation]:
    C = g.category
    X, Y, X2, Y2 = g.obj("X"), g.obj("Y"), g.obj("X'"), g.obj("Y'")
    f, f2 = g.kernel(X, Y, "f"), g.kernel(X2, Y2, "f'")
    Z = g.obj("Z")
    return [
        Equation("(f @ f') >> swap = swap >> (f' @ f)", (f @ f2) >> C.swap(Y, Y2), C.swap(X, X2) >> (f2 @ f)),
        Equation("swap_{X,Y} >> swap_{Y,X} = id", C.swap(X, Y) >> C.swap(Y, X), C.id(X @ Y)),
        Equation("hexagon: swap_{X,Y@Z} = (swap_{X,Y} @ id) >> (id @ swap_{X,Z})",
                 C.swap(X, Y @ Z), (C.swap(X, Y) @ C.id(Z)) >> (C.id(Y) @ C.swap(X, Z))),
    ]


def _a5(g: Generator) -> list[Equation]:
    C = g.category
    X = g.obj("X")
    c, d, i = C.copy(X), C.discard(X), C.id(X)
    return [
        Equation("copy >> (copy @ id) = copy >> (id @ copy)", c >> (c @ i), c >> (i @ c)),
        Equation("copy >> (discard @ id) = id", c >> (d @ i), i),
        Equation("copy >> (id @ discard) = id", c >> (i @ d), i),
        Equation("copy >> swap = copy", c >> C.swap(X, X), c),
    ]


def _a6(g: Generator) -> list[Equation]:
    C = g.category
    X, Y = g.obj("X"), g.obj("Y")
    return [
        Equation("copy_{X@Y} = (copy_X @ copy_Y) >> (id @ swap @ id)",
                 C.copy(X @ Y), (C.copy(X) @ C.copy(Y)) >> (C.id(X) @ C.swap(X, Y) @ C.id(Y))),
        Equation("discard_{X@Y} = discard_X @ discard_Y", C.discard(X @ Y), C.discard(X) @ C.discard(Y)),
        Equation("copy_I = id_I", C.copy(C.unit), C.id(C.unit)),
        Equation("discard_I = id_I", C.discard(C.unit), C.id(C.unit)),
    ]


def _a7(g: Generator) -> list[Equation]:
    C = g.category
    X, Y = g.obj("X"), g.obj("Y")
    f = g.kernel(X, Y, "f")
    return [Equation("f >> discard = discard", f >> C.discard(Y), C.discard(X))]


def _copy_natural(g: Generator) -> list[Equation]:
    C = g.category
    X, Y = g.obj("X"), g.obj("Y")
    f = g.kernel(X, Y, "f")
    return [Equation("f >> copy = copy >> (f @ f)", f >> C.copy(Y), C.copy(X) >> (f @ f))]


SRC = "Fritz 2020 (arXiv 1908.07021) Def 2.1; Cho & Jacobs 2019 (arXiv 1709.00322) §2"
for stmt in [
    Statement("A1", "category: identity and associativity", "id >> f = f = f >> id and (f >> g) >> h = f >> (g >> h).",
              SRC, _a1, expected=CD, symbolic_sizes=SYM),
    Statement("A2", "interchange law", "(f @ f') >> (g @ g') = (f >> g) @ (f' >> g').", SRC, _a2, expected=CD,
              symbolic_sizes=SYM),
    Statement("A3", "strict monoidal product", "@ is strictly associative with unit I (objects are tuples of wires).",
              SRC, _a3, expected=CD, symbolic_sizes=SYM),
    Statement("A4", "symmetry", "swap is natural, self-inverse, and satisfies the hexagon.", SRC, _a4, expected=CD,
              symbolic_sizes=SYM),
    Statement("A5", "commutative comonoid", "copy is coassociative, counital (with discard) and commutative.", SRC, _a5,
              expected=CD, symbolic_sizes=SYM, proof=("counit", "coassociative", "copy_commutative")),
    Statement("A6", "copy and discard are multiplicative",
              "copy_{X@Y} = (copy_X @ copy_Y) >> (id @ swap @ id), discard_{X@Y} = discard_X @ discard_Y, copy_I = discard_I = id_I.",
              SRC, _a6, expected=CD, symbolic_sizes=SYM, proof=("copy_multiplicative",)),
    Statement("A7", "Markov axiom: discard is natural", "f >> discard_Y = discard_X for every f: X → Y (rows sum to 1).",
              SRC, _a7, expected=MARKOV, symbolic_sizes=SYM,
              note="fails for sub-stochastic matrices: a CD category that is not Markov", proof=("effects_are_discard",)),
    Statement("copy-natural", "copy is natural (NOT an axiom)", "f >> copy = copy >> (f @ f) for every f.",
              "Fritz 2020 Def 10.1", _copy_natural, kind="non-theorem",
              expected=CARTESIAN,
              note="holds exactly for deterministic kernels: FinSet is cartesian, FinStoch is not"),
]:
    register(stmt)
