"""[B1][stmt-b1]–[B8][stmt-b8] as statements: determinism, isomorphisms, positivity, causality, conditionals,
Bayesian inversion and almost-sure equality, checked on every model.

Positivity (B3) and causality (B4) are conditional: their instances are built
so that the hypothesis holds (see :mod:`catkit.axioms._instances`).  Both hold
on FinStoch and fail on signed FinStoch, where hypothesis finds the catalogue's
counterexamples (``f = (1, 1, -1)`` and ``f = (2, -1)`` up to shrinking).

Sources: Fritz 2020 = T. Fritz, "A synthetic approach to Markov kernels, conditional
independence and theorems on sufficient statistics", Adv. Math. 370 (arXiv 1908.07021);
numbers as in arXiv v8.  Cho & Jacobs 2019 = "Disintegration and Bayesian inversion via
string diagrams", MSCS 29 (arXiv 1709.00322).

>>> from catkit.axioms import REGISTRY, check
>>> r = check(REGISTRY["B3"], "signed", max_examples=100)
>>> r.status, r.equation
('fails', 'positivity: f >> ⟨id, g⟩ = ⟨f, f >> g⟩')
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from typing import Any

import hypothesis.strategies as st

from catkit.axioms._instances import Flavour, flavour, function_kernel, kernel, model_equal, obj, rows_of, support_of, truth, with_rows
from catkit.axioms.statement import EVERY, Equation, Generator, Statement, UnsupportedInstance, register
from catkit.info.claims import claim
from catkit.kernel import Kernel
from catkit.objects import I, Obj
from catkit.structure.bayes import bayes_invert
from catkit.structure.conditionals import conditional, recombine
from catkit.structure.determinism import copy_equation, inverse
from catkit.structure.errors import NotInvertibleError
from catkit.structure.pairing import joint, pair
from catkit.structure.support import absolutely_continuous, as_equation, support

__all__: list[str] = []

FRITZ = "Fritz 2020 (Adv. Math. 370, arXiv 1908.07021)"
CJ = "Cho & Jacobs 2019 (MSCS 29, arXiv 1709.00322)"


def _draw(g: Generator, strategy: st.SearchStrategy[Any], name: str, default: Any) -> Any:
    """Draw from hypothesis when the generator can; the symbolic generator takes ``default``."""
    try:
        return g.draw(strategy, name)
    except UnsupportedInstance:
        return default


def _point_rows(g: Generator, h: Any) -> bool:
    tol = g.model.tol if g.model is not None else 0.0
    return bool(h.is_deterministic(tol) if isinstance(h, Kernel) else h.is_deterministic())


# ---------------------------------------------------------------------- B1, B2
def _b1(g: Generator) -> list[Equation]:
    X, Y, Z = obj(g, "X", max_wires=2), obj(g, "Y", max_wires=2), obj(g, "Z", max_wires=2)
    f = kernel(g, X, Y, "f", kind="deterministic")
    k = kernel(g, Y, Z, "g", kind="deterministic")
    h = kernel(g, X, Y, "h")
    commutes = model_equal(g, *copy_equation(h))
    return [
        Equation("deterministic f: f >> copy = copy >> (f @ f)", *copy_equation(f)),
        Equation("closed under >>: f >> g is deterministic", *copy_equation(f >> k)),
        Equation("closed under @: f @ g is deterministic", *copy_equation(f @ k)),
        Equation("copy is deterministic", *copy_equation(Kernel.copy(X))),
        Equation("discard is deterministic", *copy_equation(Kernel.discard(X))),
        Equation("swap is deterministic", *copy_equation(Kernel.swap(X, Y))),
        Equation("h commutes with copy iff every row of h is a point mass (a function)", truth(commutes), truth(_point_rows(g, h))),
    ]


def _b2(g: Generator) -> list[Equation]:
    X = obj(g, "X", max_wires=2)
    f = kernel(g, X, X, "f")
    try:
        finv = inverse(f)
    except NotInvertibleError:  # no isomorphism drawn: use one that is (FinStoch has no others)
        perm = g.draw(st.permutations(range(X.size)), "f (a permutation, as the drawn kernel was no isomorphism)")
        f = function_kernel(X, X, perm)
        finv = inverse(f)
    return [
        Equation("f >> f⁻¹ = id", f >> finv, Kernel.id(X)),
        Equation("f⁻¹ >> f = id", finv >> f, Kernel.id(X)),
        Equation("an isomorphism is deterministic: f >> copy = copy >> (f @ f)", *copy_equation(f)),
    ]


# ---------------------------------------------------------------------- B3 positivity
@st.composite
def _positivity_pair(draw: Callable[..., Any], fl: Flavour, X: Obj, Y: Obj, Z: Obj) -> tuple[Any, Any]:
    """``(f, g)`` with ``f >> g`` deterministic: ``g`` is a point mass ``γ(y)`` on the support of ``f``,
    ``f(·|x)`` puts total mass 1 on the fibre ``γ⁻¹(h(x))`` and 0 on every other fibre
    (signed rows may put ``t, -t`` there), and ``g`` is arbitrary off the support."""
    nx, ny, nz = X.size, Y.size, Z.size
    gamma = draw(st.lists(st.integers(0, nz - 1), min_size=ny, max_size=ny))
    image = sorted(set(gamma))
    h = draw(st.lists(st.sampled_from(image), min_size=nx, max_size=nx))
    rows_f = []
    for x in range(nx):
        row: list[Any] = [0] * ny
        for z in image:
            fib = [y for y in range(ny) if gamma[y] == z]
            for y, w in zip(fib, draw(fl.weights(len(fib), 1 if z == h[x] else 0))):
                row[y] = w
        rows_f.append(row)
    used = {y for r in rows_f for y, w in enumerate(r) if w != 0}
    free = draw(fl.rows(ny, nz))
    rows_g = [[int(j == gamma[y]) for j in range(nz)] if y in used else free[y] for y in range(ny)]
    return fl.kernel(rows_f, X, Y), fl.kernel(rows_g, Y, Z)


def _b3(g: Generator) -> list[Equation]:
    fl = flavour(g)
    # a signed counterexample needs a second fibre of two elements: |Y| >= 3 (the catalogue's B3: f = (1, 1, -1))
    X, Y, Z = obj(g, "X", min_wires=0), obj(g, "Y", min_size=3 if fl.model.signed else 1), obj(g, "Z")
    f, k = g.draw(_positivity_pair(fl, X, Y, Z), "f, g (f >> g deterministic)")
    return [
        Equation("hypothesis: f >> g is deterministic", *copy_equation(f >> k)),
        Equation("positivity: f >> ⟨id, g⟩ = ⟨f, f >> g⟩", f >> pair(Kernel.id(Y), k), pair(f, f >> k)),
    ]


# ---------------------------------------------------------------------- B4 causality
def _cancel(r: list[Any], col: list[Any]) -> list[Any]:
    """``r`` with its first two entries moved (their sum kept) so that ``Σ r_i col_i = 0``: an exact
    signed cancellation, the shape of the signed counterexamples (``f = (2, -1)``).  Unchanged if impossible."""
    if len(r) < 2 or col[0] == col[1]:
        return r
    g0, g1 = Fraction(col[0]), Fraction(col[1])
    s_rest = sum((Fraction(x) for x in r[2:]), Fraction(0))
    c_rest = sum((Fraction(x) * Fraction(c) for x, c in zip(r[2:], col[2:])), Fraction(0))
    f1 = (-c_rest - g0 * (1 - s_rest)) / (g1 - g0)
    return [1 - s_rest - f1, f1, *r[2:]]


@st.composite
def _causality_quad(draw: Callable[..., Any], fl: Flavour, A: Obj, X: Obj, Y: Obj, W: Obj) -> tuple[Any, Any, Any, Any]:
    """``(f, g, h1, h2)`` with ``h1 = h2`` on the support of ``f >> g`` (so ``f >> g >> ⟨id, h_i⟩`` agree).
    Signed rows of ``f`` are sometimes solved to cancel ``(f >> g)(y0|a)`` exactly (:func:`_cancel`)."""
    rows_g = draw(fl.rows(X.size, Y.size))
    rows_f = draw(fl.rows(A.size, X.size))
    if fl.model.signed and draw(st.booleans()):
        y0 = draw(st.integers(0, Y.size - 1))
        rows_f = [_cancel(r, [row[y0] for row in rows_g]) for r in rows_f]
    f, k = fl.kernel(rows_f, A, X), fl.kernel(rows_g, X, Y)
    h1 = fl.kernel(draw(fl.rows(Y.size, W.size)), Y, W)
    other = fl.kernel(draw(fl.rows(Y.size, W.size)), Y, W)
    return f, k, h1, with_rows(fl, h1, support_of(f >> k), other)


def _b4(g: Generator) -> list[Equation]:
    fl = flavour(g)
    A, X, Y, W = (obj(g, n, min_wires=0 if n == "A" else 1) for n in ("A", "X", "Y", "W"))
    f, k, h1, h2 = g.draw(_causality_quad(fl, A, X, Y, W), "f, g, h1, h2")
    idY = Kernel.id(Y)
    return [
        Equation("hypothesis: f >> g >> ⟨id, h1⟩ = f >> g >> ⟨id, h2⟩", f >> k >> pair(idY, h1), f >> k >> pair(idY, h2)),
        Equation("causality: f >> ⟨id, g >> ⟨id, h1⟩⟩ = f >> ⟨id, g >> ⟨id, h2⟩⟩",
                 f >> pair(Kernel.id(X), k >> pair(idY, h1)), f >> pair(Kernel.id(X), k >> pair(idY, h2))),
    ]


# ---------------------------------------------------------------------- B5 conditionals
@st.composite
def _signed_joint(draw: Callable[..., Any], A: Obj, X: Obj, Y: Obj) -> Kernel:
    """A signed ``f: A → X ⊗ Y`` whose marginal vanishes at some ``x0`` while the slice ``f(x0, ·|a)`` need not."""
    fl = Flavour("signed")
    x0 = draw(st.integers(0, X.size - 1))
    rows = []
    for _ in range(A.size):
        m = draw(fl.weights(X.size - 1, 1)) if X.size > 1 else [Fraction(1)]
        m = [*m[:x0], Fraction(0), *m[x0:]] if X.size > 1 else m
        rows.append([w for x in range(X.size) for w in draw(fl.weights(Y.size, m[x]))])
    return fl.kernel(rows, A, X @ Y)


def _b5(g: Generator) -> list[Equation]:
    A, X, Y = obj(g, "A", min_wires=0), obj(g, "X", max_wires=2), obj(g, "Y")
    x_first = _draw(g, st.booleans(), "X first", True)
    cod = X @ Y if x_first else Y @ X
    on = list(range(len(X))) if x_first else list(range(len(Y), len(Y) + len(X)))
    seeded = g.model is not None and g.model.signed and g.draw(st.booleans(), "f with a vanishing marginal")
    if seeded:
        f = g.draw(_signed_joint(A, X, Y), "f")
        f = f if x_first else f.permute([*range(len(X), len(X) + len(Y)), *range(len(X))])
    else:
        f = kernel(g, A, cod, "f")
    fill = kernel(g, X @ A, Y, "fill")
    m = f.marginal(on)
    return [
        Equation("f = f_X then f|X (off-support rows: the marginal)", f, recombine(m, conditional(f, on, strict=False), on)),
        Equation("f = f_X then f|X (off-support rows: the random fill)", f, recombine(m, conditional(f, on, fill=fill, strict=False), on)),
    ]


# ---------------------------------------------------------------------- B6 Bayesian inversion
def _prior_and_kernel(g: Generator) -> tuple[Obj, Obj, Kernel, Kernel]:
    X, Y = obj(g, "X"), obj(g, "Y")
    p, f = kernel(g, I, X, "p"), kernel(g, X, Y, "f")
    if g.model is not None and g.model.signed and g.draw(st.booleans(), "p cancels q = p >> f somewhere"):
        y0 = g.draw(st.integers(0, Y.size - 1), "y0 with q(y0) = 0")
        p = Flavour("signed").kernel([_cancel(rows_of(p)[0], [r[y0] for r in rows_of(f)])], I, X)
    return X, Y, p, f


def _b6(g: Generator) -> list[Equation]:
    X, Y, p, f = _prior_and_kernel(g)
    d, q = bayes_invert(f, p, strict=False), p >> f
    return [
        Equation("Bayes: p >> ⟨id, f⟩ = q >> ⟨f†, id⟩", joint(p, f), q >> pair(d, Kernel.id(Y))),
        Equation("p >> f >> f† = p", q >> d, p),
    ]


def _b6_id(g: Generator) -> list[Equation]:
    X = obj(g, "X", max_wires=2)
    p = kernel(g, I, X, "p")
    return [Equation("id† =_p id", *as_equation(bayes_invert(Kernel.id(X), p, strict=False), Kernel.id(X), p))]


def _b6_involution(g: Generator) -> list[Equation]:
    X, Y, p, f = _prior_and_kernel(g)
    d = bayes_invert(f, p, strict=False)
    return [Equation("(f†)† =_p f (f† w.r.t. p, its inverse w.r.t. q = p >> f)", *as_equation(bayes_invert(d, p >> f, strict=False), f, p))]


def _b6_composition(g: Generator) -> list[Equation]:
    X, Y, p, f = _prior_and_kernel(g)
    Z = obj(g, "Z")
    h = kernel(g, Y, Z, "g")
    q, r = p >> f, p >> f >> h
    lhs = bayes_invert(f >> h, p, strict=False)
    rhs = bayes_invert(h, q, strict=False) >> bayes_invert(f, p, strict=False)
    return [Equation("(f >> g)† =_r g† >> f† (each w.r.t. its pushed-forward prior; r = p >> f >> g)", *as_equation(lhs, rhs, r))]


def _b6_unique(g: Generator) -> list[Equation]:
    X, Y, p, f = _prior_and_kernel(g)
    fill = kernel(g, Y, X, "fill")
    q = p >> f
    k = bayes_invert(f, p, fill=fill, strict=False)
    return [
        Equation("k (f† with random rows off supp q) satisfies Bayes: p >> ⟨id, f⟩ = q >> ⟨k, id⟩", joint(p, f), q >> pair(k, Kernel.id(Y))),
        Equation("k =_q f†", *as_equation(k, bayes_invert(f, p, strict=False), q)),
    ]


# ---------------------------------------------------------------------- B7, B8 almost surely
def _b7(g: Generator) -> list[Equation]:
    fl = flavour(g)
    X, Y = obj(g, "X", max_wires=2), obj(g, "Y", max_wires=2)
    p, f, other = kernel(g, I, X, "p"), kernel(g, X, Y, "f"), kernel(g, X, Y, "g0")
    near = g.draw(st.booleans(), "g = f off supp p, else g0")
    h = with_rows(fl, f, support_of(p), other) if near else other
    by_def = model_equal(g, joint(p, f), joint(p, h))
    rows = all(model_equal(g, Kernel.point(X, X.label(i)) >> f, Kernel.point(X, X.label(i)) >> h) for i in support_of(p))
    return [Equation("f =_p g (p >> ⟨id, f⟩ = p >> ⟨id, g⟩) iff their rows agree on supp p", truth(by_def), truth(rows))]


def _b7_pitfall(g: Generator) -> list[Equation]:
    fl = flavour(g)
    X, Y = obj(g, "X", max_wires=2), obj(g, "Y", max_wires=2)
    p, f = kernel(g, I, X, "p"), kernel(g, X, Y, "f")
    q = p >> f
    law = rows_of(q)[0]
    if not fl.model.markov:  # the constant kernel must push p to q: rescale by p's mass
        mass = sum(rows_of(p)[0], Fraction(0))
        const = fl.kernel([[x / mass for x in law]] * X.size, X, Y) if mass else f
    else:
        const = Kernel.discard(X) >> q
    return [
        Equation("hypothesis: p >> f = p >> g (g: the constant kernel at p >> f)", q, p >> const),
        Equation("conclusion: f =_p g", joint(p, f), joint(p, const)),
    ]


@st.composite
def _dominated(draw: Callable[..., Any], fl: Flavour, q: Any) -> Any:
    """A state whose support lies inside ``supp q`` (so ``p ≪ q``)."""
    S = sorted(support_of(q))
    n = q.cod.size
    row: list[Any] = [Fraction(0) if fl.model.exact else 0.0] * n
    for i, w in zip(S, draw(fl.weights(len(S), 1))):
        row[i] = w
    return fl.kernel([row], q.dom, q.cod)


def _b8(g: Generator) -> list[Equation]:
    fl = flavour(g)
    X, Y = obj(g, "X", max_wires=2), obj(g, "Y", max_wires=2)
    q, f, other = kernel(g, I, X, "q"), kernel(g, X, Y, "f"), kernel(g, X, Y, "g0")
    p = g.draw(_dominated(fl, q), "p (supp p ⊆ supp q)")
    h = with_rows(fl, f, support_of(q), other)
    incl = support(p, 0.0 if fl.model.exact else 1e-12).inclusion
    any_g = g.draw(st.sampled_from([h, other]), "g")
    by_def = model_equal(g, joint(p, f), joint(p, any_g))
    return [
        Equation("f =_p g iff incl >> f = incl >> g (incl: the support inclusion of p)", truth(by_def), truth(model_equal(g, incl >> f, incl >> any_g))),
        claim("p ≪ q: supp p ⊆ supp q", absolutely_continuous(p, q)),
        Equation("p ≪ q and f =_q g imply f =_p g", *as_equation(f, h, p)),
    ]


POS_FAILS = {**EVERY, "signed": False, "finsetmulti": True}
for stmt in [
    Statement("B1", "deterministic morphisms form a subcategory",
              "f is deterministic iff f >> copy = copy >> (f @ f); in FinStoch exactly the 0/1 matrices; closed under >> and @; "
              "copy, discard, swap are deterministic.", f"{FRITZ} Def 10.1", _b1, kind="theorem",
              expected={**EVERY, "substoch": False, "finsetmulti": True},
              note="sub-stochastic: a zero row commutes with copy without being a point mass (partial functions are 'deterministic')",
              proof=("det_compose", "det_tensor", "copy_det", "discard_det", "swap_det")),
    Statement("B2", "isomorphisms are deterministic (permutations)",
              "If f >> g = id and g >> f = id then f is deterministic: FinStoch's isomorphisms are permutations.",
              f"{FRITZ} Remark 11.28 (a consequence of positivity)", _b2, kind="theorem",
              expected={**EVERY, "signed": False},
              note="signed FinStoch: [[2, -1], [-1, 2]] is an isomorphism that is not deterministic", proof=("iso_det",)),
    Statement("B3", "positivity",
              "If f >> g is deterministic then f >> ⟨id, g⟩ = ⟨f, f >> g⟩, i.e. f(y|x) g(z|y) = f(y|x) (f >> g)(z|x).",
              f"{FRITZ} Def 11.22, Lemma 11.24 (conditionals imply positivity)", _b3, kind="axiom",
              expected=POS_FAILS, note="signed FinStoch: f = (1, 1, -1), g: a ↦ 0, b, c ↦ 1"),
    Statement("B4", "causality",
              "If f >> g >> ⟨id, h1⟩ = f >> g >> ⟨id, h2⟩ then f >> ⟨id, g >> ⟨id, h1⟩⟩ = f >> ⟨id, g >> ⟨id, h2⟩⟩.",
              f"{FRITZ} Def 11.31, Prop 11.34 (conditionals imply causality)", _b4, kind="axiom",
              expected=POS_FAILS, note="signed FinStoch: f = (2, -1), g(·|a) = (1/2, 1/2), g(·|b) = δ_1"),
    Statement("B5", "conditionals exist",
              "Every f: A → X ⊗ Y is f_X followed by a conditional f|X: X ⊗ A → Y; any choice off the support works.",
              f"{FRITZ} Def 11.5, Example 11.6; {CJ} (disintegration)", _b5, kind="theorem",
              expected={**EVERY, "signed": False}, symbolic_sizes=((2,), (2, 3)),
              note="signed FinStoch has no conditionals (Fritz 2020 Example 11.27): a zero marginal over a non-zero slice"),
    Statement("B6", "Bayesian inversion",
              "f†(x|y) = p(x) f(y|x) / q(y) satisfies p >> ⟨id, f⟩ = q >> ⟨f†, id⟩, and p >> f >> f† = p.",
              f"{CJ} (Bayesian inversion); {FRITZ} §13", _b6, kind="theorem",
              expected={**EVERY, "signed": False, "substoch": False}, symbolic_sizes=((2,), (2, 3)),
              note="signed: no inverse where q(y) = 0 but p(x) f(y|x) != 0; sub-stochastic: p >> f >> f† loses the missing mass"),
    Statement("B6-id", "the identity is its own Bayesian inverse", "id† =_p id for every prior p.",
              f"{CJ}", _b6_id, kind="theorem", expected=EVERY,
              note="holds in every model: id†(x|y) = p(x)δ/p(y) is id wherever p(y) != 0, whatever the signs or missing mass", proof=("bayes_identity",)),
    Statement("B6-involution", "f is a Bayesian inverse of f†", "(f†)† =_p f, the outer inverse taken w.r.t. q = p >> f.",
              f"{CJ}; {FRITZ} Remark 13.10 (dagger functor)", _b6_involution, kind="theorem",
              expected={**EVERY, "signed": False, "substoch": False}, proof=("bayes_involutive",)),
    Statement("B6-composition", "Bayesian inversion reverses composition",
              "(f >> g)† =_r g† >> f†, inverses w.r.t. the pushed-forward priors, r = p >> f >> g.",
              f"{CJ}; {FRITZ} Remark 13.10", _b6_composition, kind="theorem",
              expected={**EVERY, "signed": False}, proof=("bayes_compose",)),
    Statement("B6-unique", "Bayesian inverses are unique almost surely",
              "Any k with p >> ⟨id, f⟩ = q >> ⟨k, id⟩ is q-a.s. equal to f† (here: f† with random rows off supp q).",
              f"{FRITZ} Prop 13.7", _b6_unique, kind="theorem", expected={**EVERY, "signed": False}, proof=("bayes_unique",)),
    Statement("B7", "almost-sure equality is agreement on the support",
              "f =_p g (p >> ⟨id, f⟩ = p >> ⟨id, g⟩) iff f(·|x) = g(·|x) for every x with p(x) != 0.",
              f"{FRITZ} Def 13.1; {CJ}", _b7, kind="theorem", expected={**EVERY, "finsetmulti": True},
              note="true in every model (p(x) f(y|x) = p(x) g(y|x) for all y iff p(x) = 0 or the rows agree); B7-pitfall is the discriminating neighbour"),
    Statement("B7-pitfall", "equal pushforwards give a.s. equality (NOT a theorem)",
              "If p >> f = p >> g then f =_p g.  False: p uniform on {0, 1}, f = id, g = swap.",
              "the catalogue's pitfall of B7 (not the same as p >> f = p >> g)", _b7_pitfall, kind="non-theorem",
              expected={"finstoch": False, "finstoch-float": False, "finset": True, "signed": False, "substoch": False, "finsetmulti": False},
              note="holds on FinSet: its states are points, so p >> f = p >> g is already f(x0) = g(x0)"),
    Statement("B8", "supports: a.s. equality through the support inclusion, absolute continuity",
              "f =_p g iff incl >> f = incl >> g for the inclusion of supp p; p ≪ q and f =_q g imply f =_p g.",
              f"{FRITZ} Def 13.20 and the FinStoch example after it", _b8, kind="theorem", expected=EVERY,
              note="true in every model with supports (non-zero entries); n/a on FinSetMulti, whose maps have no probability support"),
]:
    register(stmt)
