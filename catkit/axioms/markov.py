"""MATH.md section A: the axioms of a Markov category, checked on every model.

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
from catkit.kernel import Kernel
from catkit.objects import I

__all__: list[str] = []

K = Kernel
ALL_CD = {"finstoch": True, "finstoch-float": True, "finset": True, "signed": True, "substoch": True}
SYM = ((2,), (2, 3))


def _a1(g: Generator) -> list[Equation]:
    X, Y, Z, W = g.obj("X"), g.obj("Y"), g.obj("Z"), g.obj("W")
    f, h, k = g.kernel(X, Y, "f"), g.kernel(Y, Z, "g"), g.kernel(Z, W, "h")
    return [
        ("id >> f = f", K.id(X) >> f, f),
        ("f >> id = f", f >> K.id(Y), f),
        ("(f >> g) >> h = f >> (g >> h)", (f >> h) >> k, f >> (h >> k)),
    ]


def _a2(g: Generator) -> list[Equation]:
    X, Y, Z, X2, Y2, Z2 = (g.obj(n) for n in ("X", "Y", "Z", "X'", "Y'", "Z'"))
    f, f2 = g.kernel(X, Y, "f"), g.kernel(X2, Y2, "f'")
    h, h2 = g.kernel(Y, Z, "g"), g.kernel(Y2, Z2, "g'")
    return [("(f @ f') >> (g @ g') = (f >> g) @ (f' >> g')", (f @ f2) >> (h @ h2), (f >> h) @ (f2 >> h2))]


def _a3(g: Generator) -> list[Equation]:
    X, Y, Z = g.obj("X"), g.obj("Y"), g.obj("Z")
    f, h, k = g.kernel(X, Y, "f"), g.kernel(Y, Z, "g"), g.kernel(Z, X, "h")
    return [
        ("(f @ g) @ h = f @ (g @ h)", (f @ h) @ k, f @ (h @ k)),
        ("f @ id_I = f", f @ K.id(I), f),
        ("id_I @ f = f", K.id(I) @ f, f),
    ]


def _a4(g: Generator) -> list[Equation]:
    X, Y, X2, Y2 = g.obj("X"), g.obj("Y"), g.obj("X'"), g.obj("Y'")
    f, f2 = g.kernel(X, Y, "f"), g.kernel(X2, Y2, "f'")
    Z = g.obj("Z")
    return [
        ("(f @ f') >> swap = swap >> (f' @ f)", (f @ f2) >> K.swap(Y, Y2), K.swap(X, X2) >> (f2 @ f)),
        ("swap_{X,Y} >> swap_{Y,X} = id", K.swap(X, Y) >> K.swap(Y, X), K.id(X @ Y)),
        ("hexagon: swap_{X,Y@Z} = (swap_{X,Y} @ id) >> (id @ swap_{X,Z})",
         K.swap(X, Y @ Z), (K.swap(X, Y) @ K.id(Z)) >> (K.id(Y) @ K.swap(X, Z))),
    ]


def _a5(g: Generator) -> list[Equation]:
    X = g.obj("X")
    c, d, i = K.copy(X), K.discard(X), K.id(X)
    return [
        ("copy >> (copy @ id) = copy >> (id @ copy)", c >> (c @ i), c >> (i @ c)),
        ("copy >> (discard @ id) = id", c >> (d @ i), i),
        ("copy >> (id @ discard) = id", c >> (i @ d), i),
        ("copy >> swap = copy", c >> K.swap(X, X), c),
    ]


def _a6(g: Generator) -> list[Equation]:
    X, Y = g.obj("X"), g.obj("Y")
    return [
        ("copy_{X@Y} = (copy_X @ copy_Y) >> (id @ swap @ id)",
         K.copy(X @ Y), (K.copy(X) @ K.copy(Y)) >> (K.id(X) @ K.swap(X, Y) @ K.id(Y))),
        ("discard_{X@Y} = discard_X @ discard_Y", K.discard(X @ Y), K.discard(X) @ K.discard(Y)),
        ("copy_I = id_I", K.copy(I), K.id(I)),
        ("discard_I = id_I", K.discard(I), K.id(I)),
    ]


def _a7(g: Generator) -> list[Equation]:
    X, Y = g.obj("X"), g.obj("Y")
    f = g.kernel(X, Y, "f")
    return [("f >> discard = discard", f >> K.discard(Y), K.discard(X))]


def _copy_natural(g: Generator) -> list[Equation]:
    X, Y = g.obj("X"), g.obj("Y")
    f = g.kernel(X, Y, "f")
    return [("f >> copy = copy >> (f @ f)", f >> K.copy(Y), K.copy(X) >> (f @ f))]


SRC = "MATH.md §A; Fritz 2020 (arXiv 1908.07021) Def 2.1; Cho & Jacobs 2019 (arXiv 1709.00322) §2"
for stmt in [
    Statement("A1", "category: identity and associativity", "id >> f = f = f >> id and (f >> g) >> h = f >> (g >> h).",
              SRC, _a1, expected=ALL_CD, symbolic_sizes=SYM),
    Statement("A2", "interchange law", "(f @ f') >> (g @ g') = (f >> g) @ (f' >> g').", SRC, _a2, expected=ALL_CD,
              symbolic_sizes=SYM),
    Statement("A3", "strict monoidal product", "@ is strictly associative with unit I (objects are tuples of wires).",
              SRC, _a3, expected=ALL_CD, symbolic_sizes=SYM),
    Statement("A4", "symmetry", "swap is natural, self-inverse, and satisfies the hexagon.", SRC, _a4, expected=ALL_CD,
              symbolic_sizes=SYM),
    Statement("A5", "commutative comonoid", "copy is coassociative, counital (with discard) and commutative.", SRC, _a5,
              expected=ALL_CD, symbolic_sizes=SYM, proof=("counit", "coassociative", "copy_commutative")),
    Statement("A6", "copy and discard are multiplicative",
              "copy_{X@Y} = (copy_X @ copy_Y) >> (id @ swap @ id), discard_{X@Y} = discard_X @ discard_Y, copy_I = discard_I = id_I.",
              SRC, _a6, expected=ALL_CD, symbolic_sizes=SYM, proof=("copy_multiplicative",)),
    Statement("A7", "Markov axiom: discard is natural", "f >> discard_Y = discard_X for every f: X → Y (rows sum to 1).",
              SRC, _a7, expected={**ALL_CD, "substoch": False}, symbolic_sizes=SYM,
              note="fails for sub-stochastic matrices: a CD category that is not Markov", proof=("effects_are_discard",)),
    Statement("copy-natural", "copy is natural (NOT an axiom)", "f >> copy = copy >> (f @ f) for every f.",
              "MATH.md §A7 and B1; Fritz 2020 Def 10.1", _copy_natural, kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True, "signed": False, "substoch": False},
              note="holds exactly for deterministic kernels: FinSet is cartesian, FinStoch is not"),
]:
    register(stmt)
