"""Proofs tied to models: evaluate a theorem on random exact models of its hypotheses, and look
for counter-models showing each hypothesis (and each axiom) is needed.

**Models of the hypotheses.** Wire types get random sizes (1 to 3) and boxes exact kernels,
box by box in declaration order: a box named by ``deterministic(b)`` is drawn as a random
function; a box that is the only unknown in some hypothesis, where it occurs at most once
on each side, is *solved* from those hypotheses (they are then linear in its entries); any
other box is drawn at random (a function half of the time).  Solving is exact: in FinStoch
and in sub-stochastic kernels an exact simplex (:mod:`catkit.structure.exact_lp`) finds
vertices of the polytope of solutions, two random ones mixed; in signed FinStoch a random
point of the affine space of solutions.  Every hypothesis is then re-evaluated exactly; an
attempt whose model fails one is discarded.  This constructs Bayesian inverses, conditionals,
almost surely equal kernels, inverses, definitions ``b = ...`` and any other hypothesis
linear in one box, without knowing their names.

**What is checked.** The conclusion must hold on every FinStoch model of the hypotheses.
A theorem proved without axioms must also hold on *signed* FinStoch models (a Markov
category: rows sum to 1, entries may be negative), and a theorem of theory ``cd`` or ``smc``
on *sub-stochastic* models (a copy-discard category that is not Markov).  A failure there
is a soundness failure of the checker.

**What is needed.** For each hypothesis: a FinStoch model of the *other* hypotheses where it
fails and the conclusion fails shows it is needed.  For an axiom (positivity, causality):
a signed FinStoch model of all hypotheses where the conclusion fails (signed FinStoch is a
Markov category that is neither positive nor causal).  For the Markov axiom (discard is
natural) of a ``markov`` theorem: a sub-stochastic model where the conclusion fails.  No
counter-model within the tries is reported as such, not as "not needed".

>>> from catkit.prover.language import EXAMPLE, parse
>>> r = semantic_check(parse(EXAMPLE).theorems[0], samples=3, seed=0)
>>> r.ok, r.checked["finstoch"], [(n.hypothesis, n.needed) for n in r.needs]
(True, 3, [('det_f', True), ('det_g', True), ('Markov axiom', False)])
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from catkit.category import Equation
from catkit.diagrams.syntax import Atom, Box, Diagram, Permutation, Ty
from catkit.kernel import Kernel
from catkit.models import MODELS, get_model
from catkit.objects import Obj, Wire
from catkit.prover.language import Theorem, theory_rank
from catkit.semantics import Functor
from catkit.structure.exact_lp import feasible_point

__all__ = ["Evaluation", "Model", "Need", "SemanticReport", "evaluate", "construct_model", "semantic_check", "MAX_ENTRIES"]

#: the largest object (product of wire sizes) evaluated; wider statements use smaller sizes
MAX_ENTRIES = 4096
_SIZES = (1, 2, 2, 3, 3)


# ---------------------------------------------------------------------- evaluation
@dataclass
class Evaluation:
    """A theorem evaluated under one semantics: which hypotheses hold and whether the conclusion
    does (exact ``==``, or ``allclose`` with ``tol``), with the two sides of the conclusion.

    >>> from catkit import Kernel
    >>> from catkit.prover.language import EXAMPLE, parse
    >>> e = parse(EXAMPLE).theorems[0].evaluate({"f": Kernel([[0, 1], [1, 0]]), "g": Kernel([["1/2", "1/2"], [0, 1]])})
    >>> e.hypotheses, e.conclusion, e.holds
    ({'det_f': True, 'det_g': False}, False, True)
    """

    hypotheses: dict[str, bool]
    conclusion: bool
    lhs: Any = None
    rhs: Any = None

    @property
    def holds(self) -> bool:
        """The implication: some hypothesis fails, or the conclusion holds.

        >>> Evaluation({"h": True}, False).holds
        False
        """
        return not all(self.hypotheses.values()) or self.conclusion


def _same(a: Any, b: Any, tol: float | None) -> bool:
    if tol is None:
        return bool(a == b)
    return bool(a.dom == b.dom and a.cod == b.cod and a.allclose(b, tol=tol))


def evaluate(thm: Theorem, functor: Any, ob: Any = None, *, tol: float | None = None) -> Evaluation:
    """Evaluate a theorem's hypotheses and conclusion under ``functor`` (a
    :class:`~catkit.semantics.Functor`, or a mapping from box names to kernels with ``ob``).

    >>> from catkit import Kernel
    >>> from catkit.prover.language import EXAMPLE, parse
    >>> evaluate(parse(EXAMPLE).theorems[0], {"f": Kernel([[0, 1], [1, 0]]), "g": Kernel([[1, 0], [1, 0]])}).conclusion
    True
    """
    F = functor if isinstance(functor, Functor) else Functor(functor, ob)
    hyps = {n: _same(F(e.lhs), F(e.rhs), tol) for n, e in thm.hypotheses.items()}
    c = thm.conclusion
    lhs, rhs = F(c.lhs), F(c.rhs)
    return Evaluation(hyps, _same(lhs, rhs, tol), lhs, rhs)


# ---------------------------------------------------------------------- models
@dataclass
class Model:
    """An exact interpretation: wire sizes and a kernel per box, in one of ``finstoch``, ``signed``,
    ``substoch``.

    >>> from catkit import Kernel
    >>> m = Model("finstoch", {"X": 2}, {"f": Kernel([[0, 1], [1, 0]])})
    >>> print(m.describe())
    FinStoch: X=2; f = [[0, 1], [1, 0]]
    """

    model: str
    sizes: dict[str, int]
    kernels: dict[str, Kernel]

    @property
    def functor(self) -> Functor:
        """The :class:`~catkit.semantics.Functor` sending each box to its kernel.

        >>> from catkit import Kernel
        >>> Model("finstoch", {"X": 2}, {"f": Kernel([[0, 1], [1, 0]])}).functor(Box("f", "X", "X")).is_deterministic()
        True
        """
        return _functor(self.kernels, self.sizes)

    def describe(self) -> str:
        """Sizes and kernels on one line (entries as exact fractions).

        >>> from catkit import Kernel
        >>> Model("signed", {"X": 1}, {"p": Kernel([[1]], model="signed")}).describe()
        'signed FinStoch: X=1; p = [[1]]'
        """
        sizes = ", ".join(f"{k}={v}" for k, v in self.sizes.items())
        ks = "; ".join(f"{n} = {_rows(k)}" for n, k in self.kernels.items())
        return f"{MODELS[self.model].name}: {sizes}" + (f"; {ks}" if ks else "")


def _rows(k: Kernel) -> str:
    return "[" + ", ".join("[" + ", ".join(str(Fraction(x)) for x in row) + "]" for row in k.matrix.tolist()) + "]"


def _names(d: Diagram) -> list[str]:
    return [b.name for b in d.boxes if not b.is_structural]


def _size(ty: Ty, sizes: Mapping[str, int]) -> int:
    return math.prod(sizes[a.name] for a in ty)


def _random_kernel(box: Box, sizes: Mapping[str, int], model: str, rng: random.Random, det: bool) -> Kernel:
    """A random exact kernel of ``model`` for ``box``, drawn by the model's rules: signed entries where the model
    allows negative ones, lost mass where rows may sum to less than 1."""
    rules = get_model(model)
    signed, lossy = not rules.nonneg, rules.rowsum == "le"
    n, m = _size(box.dom, sizes), _size(box.cod, sizes)
    rows: list[list[Fraction]] = []
    cycle = None
    if det and n <= m and rng.random() < 0.5:  # an injective function (a permutation when n = m)
        cycle = iter(rng.sample(range(m), n))
    for _ in range(n):
        if det:
            j = next(cycle) if cycle is not None else rng.randrange(m)
            row = [Fraction(int(i == j)) for i in range(m)]
            if lossy and rng.random() < 0.2:
                row = [Fraction(0)] * m
        elif signed:
            while True:
                w = [rng.randint(-2, 3) for _ in range(m)]
                if sum(w):
                    break
            row = [Fraction(x, sum(w)) for x in w]
        else:
            w = [rng.randint(0, 3) for _ in range(m)]
            if not any(w):
                w[rng.randrange(m)] = 1
            extra = rng.randint(0, 2) if lossy else 0
            row = [Fraction(x, sum(w) + extra) for x in w]
        rows.append(row)
    return _kernel(rows, box, sizes, model)


def _kernel(rows: list[list[Fraction]], box: Box, sizes: Mapping[str, int], model: str) -> Kernel:
    dom = Obj(*(Wire(sizes[a.name]) for a in box.dom))
    cod = Obj(*(Wire(sizes[a.name]) for a in box.cod))
    return Kernel(rows, dom, cod, model=model)


def _vector(k: Kernel) -> list[Fraction]:
    return [Fraction(x) for row in k.matrix.tolist() for x in row]


def _functor(kernels: Mapping[str, Kernel], sizes: Mapping[str, int]) -> Functor:
    ar: dict[Box | str, Kernel] = {k: v for k, v in kernels.items()}
    ob: dict[Atom | str, Wire | int] = {k: v for k, v in sizes.items()}
    return Functor(ar, ob)


def _evaluate(d: Diagram, kernels: Mapping[str, Kernel], sizes: Mapping[str, int]) -> Kernel:
    return _functor(kernels, sizes)(d)


_PROBE = "_probe"  # the extra wire of an opened box (proof files cannot declare names starting with _)


def _opened(d: Diagram, box: Box, n: int) -> Diagram:
    """``d`` with its one occurrence of ``box`` replaced by ``box'`` that also outputs a wire
    ``_probe`` (carried to the far right): evaluated with ``box'(y, k | x) = [k = (x, y)] / m`` it
    gives every partial derivative of the (linear) value of ``d`` in the entries of ``box`` at once."""
    layers = list(d.layers)
    at = next(i for i, (_, b) in enumerate(layers) if b.name == box.name and not b.is_structural)
    o, b = layers[at]
    K = Ty(_PROBE)
    wires = d.dom
    for off, bb in layers[:at]:
        wires = wires[:off] @ bb.cod @ wires[off + len(bb.dom):]
    after = wires[:o] @ b.cod @ K @ wires[o + len(b.dom):]
    pos = o + len(b.cod)
    perm = [i for i in range(len(after)) if i != pos] + [pos]
    new = layers[:at] + [(o, Box("_" + b.name, b.dom, b.cod @ K)), (0, Permutation(after, perm))] + layers[at + 1:]
    return Diagram(d.dom, d.cod @ K, new)


def _linear_map(d: Diagram, box: Box, known: dict[str, Kernel], sizes: Mapping[str, int]) -> list[list[Fraction]]:
    """The matrix J with vec(F(d)) = J vec(F(box)) (``box`` occurs once in ``d``), by one contraction."""
    n, m = _size(box.dom, sizes), _size(box.cod, sizes)
    nm = n * m
    rows = [[Fraction(int(k == i * m + j), m) for j in range(m) for k in range(nm)] for i in range(n)]
    opened = Box("_" + box.name, box.dom, box.cod @ Ty(_PROBE))
    ext = {**sizes, _PROBE: nm}
    probe = _kernel(rows, opened, ext, "finstoch")
    flat = _vector(_evaluate(_opened(d, box, nm), {**known, opened.name: probe}, ext))
    out_size = len(flat) // nm
    return [[m * flat[r * nm + k] for k in range(nm)] for r in range(out_size)]


def _solve(box: Box, eqs: list[Equation], known: dict[str, Kernel], sizes: Mapping[str, int], model: str,
           rng: random.Random) -> Kernel | None:
    """A random kernel for ``box`` satisfying ``eqs`` (each side linear in it or free of it), or None when there is none."""
    n, m = _size(box.dom, sizes), _size(box.cod, sizes)
    nv = n * m
    A: list[list[Fraction]] = []
    rhs: list[Fraction] = []
    for e in eqs:
        # each side is J vec(box) (box occurs once) or a constant c (box does not occur)
        parts: list[tuple[int, list[list[Fraction]] | list[Fraction]]] = []
        for sign, side in ((1, e.lhs), (-1, e.rhs)):
            if box.name in _names(side):
                parts.append((sign, _linear_map(side, box, known, sizes)))
            else:
                parts.append((-sign, _vector(_evaluate(side, known, sizes))))
        for r in range(len(parts[0][1])):
            row = [Fraction(0)] * nv
            b = Fraction(0)
            for sign, part in parts:
                entry = part[r]
                if isinstance(entry, list):
                    row = [a + sign * x for a, x in zip(row, entry)]
                else:
                    b += sign * entry
            A.append(row)
            rhs.append(b)
    # rows of the kernel: sum to 1 (with a slack in sub-stochastic kernels)
    rules = get_model(model)
    slack = n if rules.rowsum == "le" else 0
    A = [r + [Fraction(0)] * slack for r in A]
    for i in range(n):
        A.append([Fraction(int(k // m == i)) for k in range(nv)] + [Fraction(int(ii == i)) for ii in range(slack)])
        rhs.append(Fraction(1))
    pre = _presolve(A, rhs, nv + slack, rules.nonneg)
    if pre is None:
        return None
    fixed, free, A, rhs = pre
    if not rules.nonneg:
        y = _affine_solution(A, rhs, rng) if free else []
        if y is None:
            return None
    elif free:
        points = []
        for _ in range(2):
            perm = list(range(len(free)))
            rng.shuffle(perm)
            z = feasible_point([[r[p] for p in perm] for r in A], rhs) if A else [Fraction(0)] * len(free)
            if z is None:
                return None
            y = [Fraction(0)] * len(free)
            for pos, p in enumerate(perm):
                y[p] = z[pos]
            points.append(y)
        lam = Fraction(rng.randint(1, 3), 4)
        y = _wander(A, [lam * a + (1 - lam) * b for a, b in zip(*points)], rng)
    else:
        y = []
    x = dict(fixed)
    x.update(zip(free, y))
    return _kernel([[x[i * m + j] for j in range(m)] for i in range(n)], box, sizes, model)


def _presolve(A: list[list[Fraction]], b: list[Fraction], nvar: int, nonneg: bool) -> Any:
    """Fix every variable that a row determines alone (repeatedly), drop zero and repeated rows.
    Returns (fixed values, free variables, the system on them) or None when infeasible."""
    rows = [({j: v for j, v in enumerate(r) if v != 0}, c) for r, c in zip(A, b)]
    fixed: dict[int, Fraction] = {}
    changed = True
    while changed:
        changed = False
        keep = []
        for coefs, c in rows:
            coefs = dict(coefs)
            for j in [j for j in coefs if j in fixed]:
                c -= coefs.pop(j) * fixed[j]
            if not coefs:
                if c != 0:
                    return None
                continue
            if len(coefs) == 1:
                (j, v), = coefs.items()
                val = c / v
                if nonneg and val < 0:
                    return None
                fixed[j] = val
                changed = True
                continue
            keep.append((coefs, c))
        rows = keep
    free = [j for j in range(nvar) if j not in fixed]
    index = {j: k for k, j in enumerate(free)}
    seen = set()
    out_A, out_b = [], []
    for coefs, c in rows:
        first = min(coefs)
        key = (tuple(sorted((j, v / coefs[first]) for j, v in coefs.items())), c / coefs[first])
        if key in seen:
            continue
        seen.add(key)
        row = [Fraction(0)] * len(free)
        for j, v in coefs.items():
            row[index[j]] = v
        out_A.append(row)
        out_b.append(c)
    return fixed, free, out_A, out_b


def _wander(A: list[list[Fraction]], x: list[Fraction], rng: random.Random, steps: int = 2) -> list[Fraction]:
    """Move a feasible point of ``A x = b, x >= 0`` along random directions of the null space of ``A``
    (a random fraction of the way to the boundary): vertices are special (often functions), this is not."""
    basis = _null_space(A, len(x))
    for _ in range(steps if basis else 0):
        coef = [Fraction(rng.randint(-2, 2)) for _ in basis]
        d = [sum((c * v[i] for c, v in zip(coef, basis)), Fraction(0)) for i in range(len(x))]
        limits = [x[i] / -d[i] for i in range(len(x)) if d[i] < 0]
        if not limits and any(d):
            continue  # unbounded that way cannot happen with rows summing to 1; be safe
        t = min(limits) if limits else Fraction(0)
        t *= Fraction(rng.randint(1, 3), 4)
        x = [a + t * b for a, b in zip(x, d)]
    return x


def _rref(M: list[list[Fraction]], ncols: int) -> tuple[list[list[Fraction]], list[int]]:
    M = [list(r) for r in M]
    pivots: list[int] = []
    row = 0
    for col in range(ncols):
        p = next((r for r in range(row, len(M)) if M[r][col] != 0), None)
        if p is None:
            continue
        M[row], M[p] = M[p], M[row]
        inv = 1 / M[row][col]
        M[row] = [v * inv for v in M[row]]
        for r in range(len(M)):
            if r != row and M[r][col] != 0:
                fct = M[r][col]
                M[r] = [a - fct * c for a, c in zip(M[r], M[row])]
        pivots.append(col)
        row += 1
    return M, pivots


def _null_space(A: list[list[Fraction]], nvar: int) -> list[list[Fraction]]:
    M, pivots = _rref(A, nvar)
    out = []
    for c in (c for c in range(nvar) if c not in pivots):
        v = [Fraction(0)] * nvar
        v[c] = Fraction(1)
        for r, pc in enumerate(pivots):
            v[pc] = -M[r][c]
        out.append(v)
    return out


def _affine_solution(A: list[list[Fraction]], b: list[Fraction], rng: random.Random) -> list[Fraction] | None:
    """A random solution of ``A t = b`` over the rationals (None if inconsistent)."""
    nvar = len(A[0]) if A else 0
    M, pivots = _rref([list(r) + [v] for r, v in zip(A, b)], nvar)
    if any(all(v == 0 for v in r[:-1]) and r[-1] != 0 for r in M):
        return None
    free = [c for c in range(nvar) if c not in pivots]
    t = [Fraction(0)] * nvar
    for c in free:
        t[c] = Fraction(rng.randint(-2, 2), rng.randint(1, 3))
    for r, col in enumerate(pivots):
        t[col] = M[r][-1] - sum((M[r][c] * t[c] for c in free), Fraction(0))
    return t


def _pick_sizes(thm: Theorem, rng: random.Random, generic: bool = False) -> dict[str, int] | None:
    diagrams = [d for e in (*thm.hypotheses.values(), thm.conclusion) for d in (e.lhs, e.rhs)]
    for choices in ((2, 3) if generic else _SIZES, (1, 2, 2), (1, 1, 2)):
        for _ in range(5):
            if not generic and rng.random() < 0.3:  # every wire the same size (isomorphisms need it)
                one = rng.choice(choices)
                sizes = {t: one for t in thm.types}
            else:
                sizes = {t: rng.choice(choices) for t in thm.types}
            if all(_size(d.dom, sizes) * _size(d.cod, sizes) <= MAX_ENTRIES for d in diagrams):
                return sizes
    return None


def construct_model(thm: Theorem, hypotheses: Mapping[str, Equation], model: str = "finstoch",
                    rng: random.Random | int = 0, generic: bool = False) -> Model | None:
    """One attempt at a random exact model of ``hypotheses`` (see the module docstring); None when the
    attempt fails (no solution for a box, or a hypothesis that does not hold).  ``generic``: wires of
    size 2 or 3 and boxes drawn at random are never functions (unless a hypothesis says so).

    >>> from catkit.prover.language import EXAMPLE, parse
    >>> t = parse(EXAMPLE).theorems[0]
    >>> m = construct_model(t, t.hypotheses, "finstoch", 3)
    >>> all(k.is_deterministic() for k in m.kernels.values())
    True
    """
    rng = rng if isinstance(rng, random.Random) else random.Random(rng)
    sizes = _pick_sizes(thm, rng, generic)
    if sizes is None:
        return None
    det = {e.args[0].name for e in hypotheses.values()
           if e.predicate == "deterministic" and isinstance(e.args[0], Box) and e.args[0].name in thm.boxes}
    sides = {n: (_names(e.lhs), _names(e.rhs)) for n, e in hypotheses.items()}
    known: dict[str, Kernel] = {}
    unknown = list(thm.boxes)
    while unknown:
        b = next((b for b in unknown if b in det), None)
        if b is not None:
            known[b] = _random_kernel(thm.boxes[b], sizes, model, rng, True)
            unknown.remove(b)
            continue
        solved = False
        for b in unknown:
            eqs = [hypotheses[n] for n, (lh, rh) in sides.items()
                   if {x for x in lh + rh if x not in known} == {b} and lh.count(b) <= 1 and rh.count(b) <= 1]
            if eqs:
                k = _solve(thm.boxes[b], eqs, known, sizes, model, rng)
                if k is None:
                    return None
                known[b] = k
                unknown.remove(b)
                solved = True
                break
        if not solved:
            b = unknown.pop(0)
            known[b] = _random_kernel(thm.boxes[b], sizes, model, rng, not generic and rng.random() < 0.4)
    kernels = {b: known[b] for b in thm.boxes}
    F = _functor(kernels, sizes)
    if not all(F(e.lhs) == F(e.rhs) for e in hypotheses.values()):
        return None
    return Model(model, sizes, kernels)


# ---------------------------------------------------------------------- the check
@dataclass
class Need:
    """Whether a counter-model shows that ``hypothesis`` (a hypothesis name, an axiom, or
    ``"Markov axiom"``) is needed: ``needed`` is True with the ``counter_model``, or False when
    none was found in ``tries`` attempts (which does not prove it is redundant).

    >>> Need("det_f", "hypothesis", True, 1).describe()
    'det_f is needed: a FinStoch model of the other hypotheses where it fails and the conclusion fails'
    """

    hypothesis: str
    kind: str  # hypothesis | axiom | markov
    needed: bool
    tries: int
    counter_model: Model | None = None

    def describe(self) -> str:
        """One line.

        >>> Need("positivity", "axiom", False, 40).describe()
        'positivity: no counter-model in 40 signed FinStoch models of the hypotheses'
        """
        where = {"hypothesis": "FinStoch", "axiom": "signed FinStoch", "markov": "sub-stochastic"}[self.kind]
        if not self.needed:
            what = "models of the other hypotheses" if self.kind == "hypothesis" else "models of the hypotheses"
            return f"{self.hypothesis}: no counter-model in {self.tries} {where} {what}"
        if self.kind == "hypothesis":
            return f"{self.hypothesis} is needed: a {where} model of the other hypotheses where it fails and the conclusion fails"
        if self.kind == "axiom":
            return f"{self.hypothesis} is needed: the conclusion fails on a {where} model of the hypotheses (not positive, not causal)"
        return "the Markov axiom is needed: the conclusion fails on a sub-stochastic model of the hypotheses"


@dataclass
class SemanticReport:
    """The outcome of :func:`semantic_check` for one theorem.

    ``checked`` counts, per model kind, the models of the hypotheses on which the conclusion was
    evaluated; ``failures`` are models where it must hold and does not (a soundness failure);
    ``needs`` says, per hypothesis and axiom, whether a counter-model shows it is needed.
    """

    theorem: Theorem
    checked: dict[str, int] = field(default_factory=dict)
    failures: list[Model] = field(default_factory=list)
    needs: list[Need] = field(default_factory=list)
    examples: list[Model] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """No failure, and at least one FinStoch model of the hypotheses was found.

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> SemanticReport(parse(EXAMPLE).theorems[0], {"finstoch": 0}).ok
        False
        """
        return not self.failures and self.checked.get("finstoch", 0) > 0

    def lines(self) -> list[str]:
        """The report's lines (as ``catkit prove --semantic`` prints them).

        >>> from catkit.prover.language import EXAMPLE, parse
        >>> print("\\n".join(semantic_check(parse(EXAMPLE).theorems[0], samples=2).lines()[:1]))
        holds on 2 FinStoch, 2 signed FinStoch models of its hypotheses (exact)
        """
        counts = ", ".join(f"{n} {MODELS[k].name}" for k, n in self.checked.items() if n)
        out = []
        if self.checked.get("finstoch", 0) == 0:
            out.append("NO MODEL: no FinStoch model of the hypotheses was found (nothing was evaluated)")
        elif not self.failures:
            out.append(f"holds on {counts} models of its hypotheses (exact)")
        for m in self.failures:
            out.append(f"FAILS on a model of its hypotheses: {m.describe()}")
        out += [n.describe() for n in self.needs]
        return out


def _attempts(thm: Theorem, hyps: Mapping[str, Equation], model: str, rng: random.Random, tries: int) -> Any:
    for i in range(tries):
        m = construct_model(thm, hyps, model, rng, generic=i % 2 == 0)
        if m is not None:
            yield m


def semantic_check(thm: Theorem, *, samples: int = 4, seed: int = 0, tries: int = 40, axioms: tuple[str, ...] | None = None,
                   hypotheses: tuple[str, ...] | None = None) -> SemanticReport:
    """Evaluate ``thm`` on ``samples`` random exact models of its hypotheses per model kind and search
    counter-models (``tries`` attempts each) for each hypothesis and axiom; see the module docstring.

    ``axioms`` defaults to the axioms the theorem's steps use, ``hypotheses`` to all of them.

    >>> from catkit.prover.language import EXAMPLE, parse
    >>> r = semantic_check(parse(EXAMPLE).theorems[0], samples=2)
    >>> r.failures, r.needs[0].counter_model.model
    ([], 'finstoch')
    """
    rng = random.Random(seed)
    axioms = thm.axioms if axioms is None else axioms
    report = SemanticReport(thm)
    kinds = ["finstoch"]
    if not axioms:
        kinds.append("signed")  # a Markov category: every axiom-free theorem holds there
    if theory_rank(thm.theory) < theory_rank("markov"):
        kinds.append("substoch")  # a copy-discard category: every cd (and smc) theorem holds there
    for kind in kinds:
        report.checked[kind] = 0
        for m in _attempts(thm, thm.hypotheses, kind, rng, tries * samples):
            report.checked[kind] += 1
            if not evaluate(thm, m.functor).conclusion:
                report.failures.append(m)
            elif kind == "finstoch" and not report.examples:
                report.examples.append(m)
            if report.checked[kind] >= samples:
                break
    for name in hypotheses if hypotheses is not None else tuple(thm.hypotheses):
        others = {n: e for n, e in thm.hypotheses.items() if n != name}
        need = Need(name, "hypothesis", False, tries)
        for i, m in enumerate(_attempts(thm, others, "finstoch", rng, tries)):
            ev = evaluate(thm, m.functor)
            if not ev.hypotheses[name] and not ev.conclusion:
                need = Need(name, "hypothesis", True, i + 1, m)
                break
        report.needs.append(need)
    for kind, names in (("axiom", axioms), ("markov", ("Markov axiom",) if thm.theory == "markov" else ())):
        model = "signed" if kind == "axiom" else "substoch"
        for name in names:
            need = Need(name, kind, False, tries)
            for i, m in enumerate(_attempts(thm, thm.hypotheses, model, rng, tries)):
                if not evaluate(thm, m.functor).conclusion:
                    need = Need(name, kind, True, i + 1, m)
                    break
            report.needs.append(need)
    return report
