"""Hypothesis strategies for finite objects and kernels, public for users' own property tests.

Every strategy shrinks towards small counterexamples: few wires of size 1,
point masses and zeros, small denominators.

>>> from hypothesis import given
>>> @given(kernels(Wire(2), Wire(3)))
... def test_markov(f):
...     assert f >> Kernel.discard(f.cod) == Kernel.discard(f.dom)
>>> test_markov()
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import hypothesis.strategies as st
import numpy as np
import sympy as sp

from catkit.diagrams.syntax import Atom, Box, Copy, Diagram, Discard, Swap, Ty, TyLike, as_ty
from catkit.errors import UsageError
from catkit.kernel import Kernel
from catkit.models import FINSET, FINSTOCH, MODELS, SIGNED, SUBSTOCH, CheckModel, NotInModelError
from catkit.objects import Obj, ObjLike, Wire, as_obj
from catkit.structure.multivalued import MultiKernel

__all__ = [
    "wires",
    "objects",
    "kernels",
    "stochastic_kernels",
    "full_support_kernels",
    "deterministic_kernels",
    "permutations",
    "states",
    "signed_kernels",
    "substochastic_kernels",
    "float_kernels",
    "multi_kernels",
    "model_kernels",
    "symbolic_kernel",
    "symbolic_kernels",
    "diagrams",
    "KINDS",
]

#: kernel kinds accepted by :func:`kernels`
KINDS = ("finstoch", "full_support", "deterministic", "signed", "substoch", "float")


def wires(min_size: int = 1, max_size: int = 3, labelled: bool = False) -> st.SearchStrategy[Wire]:
    """Wires of size in ``[min_size, max_size]`` (optionally with string labels).

    >>> from hypothesis import find
    >>> find(wires(), lambda w: w.size >= 2)
    Wire(2)
    """
    sizes = st.integers(min_size, max_size)
    if labelled:
        return sizes.map(lambda n: Wire([f"x{i}" for i in range(n)]))
    return sizes.map(Wire)


def objects(min_wires: int = 0, max_wires: int = 2, min_size: int = 1, max_size: int = 3) -> st.SearchStrategy[Obj]:
    """Objects (tuples of wires), including the unit ``I`` when ``min_wires == 0``.

    >>> from hypothesis import find
    >>> find(objects(), lambda X: len(X) == 2)
    Wire(1) @ Wire(1)
    """
    return st.lists(wires(min_size, max_size), min_size=min_wires, max_size=max_wires).map(lambda ws: Obj(*ws))


def _rows(n_rows: int, n_cols: int, row: st.SearchStrategy[list[Fraction]]) -> st.SearchStrategy[list[list[Fraction]]]:
    return st.lists(row, min_size=n_rows, max_size=n_rows)


def _prob_row(n: int, max_weight: int, positive: bool) -> st.SearchStrategy[list[Fraction]]:
    lo = 1 if positive else 0

    def norm(ws: list[int]) -> list[Fraction]:
        if sum(ws) == 0:
            ws = [1] + ws[1:]
        s = sum(ws)
        return [Fraction(w, s) for w in ws]

    return st.lists(st.integers(lo, max_weight), min_size=n, max_size=n).map(norm)


def _need_cells(dom: Obj, cod: Obj, what: str) -> None:
    if dom.size and not cod.size:
        raise UsageError(f"there is no {what} kernel from the non-empty {dom} to the empty {cod}")


def stochastic_kernels(dom: ObjLike, cod: ObjLike, *, max_weight: int = 4, backend: str = "exact") -> st.SearchStrategy[Kernel]:
    """Exact FinStoch kernels, zeros included (rows are small integer weights, normalised).

    >>> from hypothesis import find
    >>> find(stochastic_kernels(Wire(2), Wire(2)), lambda f: not f.is_deterministic())
    Kernel([[1, 0], ['1/2', '1/2']], dom=Wire(2), cod=Wire(2), backend='exact')
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "stochastic")
    return _rows(D.size, C.size, _prob_row(C.size, max_weight, False)).map(lambda r: Kernel(r, D, C, backend=backend))


def full_support_kernels(dom: ObjLike, cod: ObjLike, *, max_weight: int = 4) -> st.SearchStrategy[Kernel]:
    """Exact FinStoch kernels with every entry > 0.

    >>> from hypothesis import find
    >>> find(full_support_kernels(Wire(1), Wire(2)), lambda f: True)
    Kernel([['1/2', '1/2']], dom=Wire(1), cod=Wire(2), backend='exact')
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "full-support")
    return _rows(D.size, C.size, _prob_row(C.size, max_weight, True)).map(lambda r: Kernel(r, D, C))


def deterministic_kernels(dom: ObjLike, cod: ObjLike, *, backend: str = "exact") -> st.SearchStrategy[Kernel]:
    """Deterministic kernels (functions), in the FinSet model.

    >>> from hypothesis import find
    >>> find(deterministic_kernels(Wire(2), Wire(2)), lambda f: f.as_function()[0] == 1)
    Kernel([[0, 1], [1, 0]], dom=Wire(2), cod=Wire(2), backend='exact', model='finset')
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "deterministic")

    def build(idx: list[int]) -> Kernel:
        rows = [[1 if j == i else 0 for j in range(C.size)] for i in idx]
        return Kernel(rows, D, C, backend=backend, model="finset")

    return st.lists(st.integers(0, max(C.size - 1, 0)), min_size=D.size, max_size=D.size).map(build)


def permutations(X: ObjLike) -> st.SearchStrategy[Kernel]:
    """Bijections ``X → X`` (permutation matrices: FinStoch's isomorphisms).

    >>> from hypothesis import find
    >>> find(permutations(Wire(3)), lambda f: f != Kernel.id(Wire(3))).is_deterministic()
    True
    """
    Xo = as_obj(X)
    return st.permutations(range(Xo.size)).map(
        lambda p: Kernel([[1 if j == p[i] else 0 for j in range(Xo.size)] for i in range(Xo.size)], Xo, Xo, model="finset")
    )


def states(X: ObjLike, *, kind: str = "finstoch", full_support: bool = False, max_weight: int = 4) -> st.SearchStrategy[Kernel]:
    """States (distributions) ``I → X`` of a kind (see :data:`KINDS`): exact by default.

    ``kind="full_support"`` (or ``full_support=True``) gives states with every entry > 0,
    ``"deterministic"`` point masses, ``"float"`` float64 states, ``"signed"`` and
    ``"substoch"`` the counter-models' states.

    >>> from hypothesis import find
    >>> find(states(Wire(2)), lambda p: True)
    Kernel([1, 0], cod=Wire(2), backend='exact')
    >>> find(states(Wire(2), kind="signed"), lambda p: p[0] < 0)
    Kernel([-1, 2], cod=Wire(2), backend='exact', model='signed')
    >>> find(states(Wire(3), kind="full_support"), lambda p: True)[2]
    Fraction(1, 3)
    """
    if full_support:
        if kind not in ("finstoch", "full_support"):
            raise UsageError(f"full_support=True asks for full-support FinStoch states, not kind={kind!r}")
        kind = "full_support"
    if kind in ("finstoch", "full_support"):
        maker = full_support_kernels if kind == "full_support" else stochastic_kernels
        return maker(Obj(), X, max_weight=max_weight)
    return kernels(Obj(), X, kind)


def signed_kernels(dom: ObjLike, cod: ObjLike, *, bound: int = 2, max_den: int = 2) -> st.SearchStrategy[Kernel]:
    """Exact signed kernels: real entries (negatives allowed), rows summing to 1.

    >>> from hypothesis import find
    >>> find(signed_kernels(Wire(1), Wire(2)), lambda f: f[0, 0] < 0).model.name
    'signed FinStoch'
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "signed")
    entry = st.builds(Fraction, st.integers(-bound * max_den, bound * max_den), st.integers(1, max_den))

    def row(free: list[Fraction]) -> list[Fraction]:
        return [Fraction(1) - sum(free, Fraction(0))] + free  # shrinks to the point mass at the first element

    rows = st.lists(st.lists(entry, min_size=C.size - 1, max_size=C.size - 1).map(row), min_size=D.size, max_size=D.size)
    return rows.map(lambda r: Kernel(r, D, C, model="signed"))


def substochastic_kernels(dom: ObjLike, cod: ObjLike, *, max_weight: int = 4) -> st.SearchStrategy[Kernel]:
    """Exact sub-stochastic kernels: entries >= 0, rows summing to at most 1.

    >>> from hypothesis import find
    >>> find(substochastic_kernels(Wire(1), Wire(1)), lambda f: f[0, 0] < 1)
    Kernel([[0]], dom=Wire(1), cod=Wire(1), backend='exact', model='substoch')
    """
    D, C = as_obj(dom), as_obj(cod)

    def row(ws_slack: tuple[list[int], int]) -> list[Fraction]:
        ws, slack = ws_slack
        total = sum(ws) + slack
        return [Fraction(w, total) if total else Fraction(0) for w in ws]

    # slack shrinks to 0 (stochastic rows); a row of zero weights is the zero row
    r = st.tuples(st.lists(st.integers(0, max_weight), min_size=C.size, max_size=C.size), st.integers(0, max_weight)).map(row)
    return _rows(D.size, C.size, r).map(lambda rows: Kernel(rows, D, C, model="substoch"))


def float_kernels(dom: ObjLike, cod: ObjLike, *, zeros: bool = True) -> st.SearchStrategy[Kernel]:
    """Float64 FinStoch kernels (rows of random weights, normalised).

    >>> from hypothesis import find
    >>> find(float_kernels(Wire(1), Wire(2)), lambda f: True).backend.name
    'numpy'
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "float")
    w = st.floats(0.0 if zeros else 0.01, 1.0, allow_nan=False)

    def norm(ws: list[float]) -> list[float]:
        s = sum(ws)
        return [x / s for x in ws] if s > 0 else [1.0] + [0.0] * (len(ws) - 1)

    rows = st.lists(st.lists(w, min_size=C.size, max_size=C.size).map(norm), min_size=D.size, max_size=D.size)
    return rows.map(lambda r: Kernel(r, D, C, backend="numpy"))


def kernels(dom: ObjLike, cod: ObjLike, kind: str = "finstoch") -> st.SearchStrategy[Kernel]:
    """Kernels ``dom → cod`` of a kind (see :data:`KINDS`).

    >>> from hypothesis import find
    >>> find(kernels(Wire(2), Wire(2), "signed"), lambda f: True).model.key
    'signed'
    """
    makers: dict[str, Any] = {
        "finstoch": stochastic_kernels,
        "full_support": full_support_kernels,
        "deterministic": deterministic_kernels,
        "signed": signed_kernels,
        "substoch": substochastic_kernels,
        "float": float_kernels,
    }
    if kind not in makers:
        raise UsageError(f"unknown kernel kind {kind!r}; choose one of {', '.join(makers)}")
    return makers[kind](dom, cod)


def multi_kernels(dom: ObjLike, cod: ObjLike, *, deterministic: bool = False) -> st.SearchStrategy[MultiKernel]:
    """FinSetMulti maps (non-empty relations, :class:`~catkit.structure.MultiKernel`); functions when ``deterministic``.

    >>> from hypothesis import find
    >>> find(multi_kernels(Wire(1), Wire(2)), lambda f: not f.is_deterministic())
    MultiKernel([[1, 1]], dom=Wire(1), cod=Wire(2))
    """
    D, C = as_obj(dom), as_obj(cod)
    if D.size and not C.size:
        raise NotInModelError(f"there is no multivalued map from the non-empty {D} to the empty {C}")
    n = C.size
    if deterministic:
        row = st.integers(0, n - 1).map(lambda i: [int(j == i) for j in range(n)])
    else:  # an empty draw becomes the first element: shrinks towards {first}
        row = st.lists(st.booleans(), min_size=n, max_size=n).map(lambda b: [int(x) for x in (b if any(b) else [True, *b[1:]])])
    return st.lists(row, min_size=D.size, max_size=D.size).map(lambda r: MultiKernel(r, D, C))


#: the strategy for the kernels of each category rule (exact entries)
_OF_RULE: dict[Any, Any] = {FINSTOCH: stochastic_kernels, FINSET: deterministic_kernels, SIGNED: signed_kernels,
                            SUBSTOCH: substochastic_kernels}


def model_kernels(model: CheckModel | str, dom: ObjLike, cod: ObjLike, kind: str = "any") -> st.SearchStrategy[Any]:
    """The morphisms ``dom → cod`` of a model of :data:`catkit.models.MODELS`, of a ``kind``: ``"any"``,
    ``"deterministic"`` or ``"full_support"``; :class:`~catkit.models.NotInModelError` when the model has none.

    >>> from hypothesis import find
    >>> find(model_kernels("finstoch-float", Wire(1), Wire(2), "deterministic"), lambda f: True)
    Kernel([[1.0, 0.0]], dom=Wire(1), cod=Wire(2), backend='numpy', model='finset')
    >>> model_kernels("signed", Wire(1), Wire(2), "full_support")
    Traceback (most recent call last):
    ...
    catkit.models.NotInModelError: no 'full_support' kernels in this model
    """
    m = MODELS[model] if isinstance(model, str) else model
    D, C = as_obj(dom), as_obj(cod)
    if m.rule is None:
        if kind not in ("any", "deterministic", "full_support"):
            raise NotInModelError(f"no {kind!r} maps in FinSetMulti")
        maps = multi_kernels(D, C, deterministic=kind == "deterministic")
        return st.just(MultiKernel(np.ones((D.size, C.size), dtype=bool), D, C)) if kind == "full_support" else maps
    if kind == "deterministic":
        return deterministic_kernels(D, C, backend=m.backend)
    if not m.exact and kind in ("any", "full_support"):
        return float_kernels(D, C, zeros=kind == "any")
    if kind == "any":
        return _OF_RULE[m.rule](D, C)  # type: ignore[no-any-return]
    if kind == "full_support" and m.rule is FINSTOCH:
        return full_support_kernels(D, C)
    raise NotInModelError(f"no {kind!r} kernels in this model")


def symbolic_kernel(dom: ObjLike, cod: ObjLike, name: str = "f", *, positive: bool = True) -> Kernel:
    """The *general* stochastic kernel ``dom → cod`` with symbolic entries: row ``i`` is
    ``(f_i_0, ..., f_i_{n-2}, 1 - Σ)``.  An identity between such kernels holds for *all*
    kernels of those sizes: a proof, not a test.

    >>> symbolic_kernel(Wire(2), Wire(2)).matrix.tolist()
    [[f_0_0, 1 - f_0_0], [f_1_0, 1 - f_1_0]]
    """
    D, C = as_obj(dom), as_obj(cod)
    rows = []
    for i in range(D.size):
        free = [sp.Symbol(f"{name}_{i}_{j}", nonnegative=positive) for j in range(C.size - 1)]
        rows.append([*free, 1 - sum(free)] if C.size else [])
    return Kernel(rows, D, C, backend="sympy")


def symbolic_kernels(dom: ObjLike, cod: ObjLike, name: str = "s") -> st.SearchStrategy[Kernel]:
    """Sympy kernels whose rows are each either the general symbolic row or an exact rational row
    (shrinks towards rational rows, i.e. towards the exact backend's values in sympy form).

    >>> from hypothesis import find
    >>> k = find(symbolic_kernels(Wire(2), Wire(2)), lambda k: any(e.free_symbols for e in k.matrix.flat))
    >>> k.backend.name, k >> Kernel.discard(Wire(2)) == Kernel.discard(Wire(2))
    ('sympy', True)
    """
    D, C = as_obj(dom), as_obj(cod)
    _need_cells(D, C, "symbolic")
    general = symbolic_kernel(D, C, name).matrix.tolist()
    row_choices = [
        st.one_of(_prob_row(C.size, 4, False).map(lambda r: [sp.Rational(x.numerator, x.denominator) for x in r]), st.just(g))
        for g in general
    ]
    return st.tuples(*row_choices).map(lambda rows: Kernel(list(rows), D, C, backend="sympy"))


def _default_signature(atoms: Sequence[Atom]) -> list[Box]:
    a, b = atoms[0], atoms[1 % len(atoms)]
    A, B = Ty(a), Ty(b)
    return [Box("f", A, B), Box("g", B, A), Box("m", A @ B, B), Box("p", Ty(), A), Box("q", Ty(), B)]


def diagrams(
    signature: Sequence[Box] | None = None,
    *,
    atoms: Sequence[str | Atom] = ("X", "Y"),
    dom: TyLike | None = None,
    max_layers: int = 6,
    max_width: int = 4,
    structure: bool = True,
) -> st.SearchStrategy[Diagram]:
    """String diagrams built layer by layer from the boxes of ``signature`` and, when ``structure``,
    copies, discards and swaps; every layer fits the wires before it, so every draw is well typed.

    The default signature over ``atoms`` (``A``, ``B`` the first two) is ``f: A → B``,
    ``g: B → A``, ``m: A ⊗ B → B`` and the states ``p: I → A``, ``q: I → B``.  ``dom`` fixes
    the domain (otherwise up to two atoms are drawn).  Draws shrink towards fewer layers, then
    towards generator boxes rather than structure.  Give the atoms sizes (``Atom("X", 2)``) to
    evaluate the diagrams with :mod:`catkit.semantics`.

    >>> from hypothesis import given, settings
    >>> from catkit.diagrams import Discard
    >>> @settings(max_examples=25, database=None)
    ... @given(diagrams())
    ... def test_discard_is_natural(d):                     # the Markov axiom, on any diagram
    ...     assert (d >> Discard(d.cod)).equals(Discard(d.dom))
    >>> test_discard_is_natural()
    >>> from hypothesis import find
    >>> d = find(diagrams(dom=Ty("X")), lambda d: any(b.name == "copy" for b in d.boxes))
    >>> d.dom, "copy" in [b.name for b in d.boxes], len(d) <= 2
    (Ty('X'), True, True)
    """
    atom_list = [a if isinstance(a, Atom) else Atom(a) for a in atoms]
    if not atom_list:
        raise UsageError("diagrams() needs at least one atom")
    sig = list(signature) if signature is not None else _default_signature(atom_list)
    if max_layers < 0 or max_width < 1:
        raise UsageError(f"diagrams() needs max_layers >= 0 and max_width >= 1, got {max_layers} and {max_width}")
    doms = st.just(as_ty(dom)) if dom is not None else st.lists(st.sampled_from(atom_list), max_size=2).map(lambda xs: Ty(*xs))

    def moves(wires: Ty) -> list[tuple[int, Box]]:
        w = len(wires)
        out = [(o, b) for b in sig for o in range(w - len(b.dom) + 1)
               if tuple(wires[o : o + len(b.dom)]) == tuple(b.dom) and w - len(b.dom) + len(b.cod) <= max_width]
        if structure:
            out += [(o, Copy(wires[o : o + 1])) for o in range(w) if w < max_width]
            out += [(o, Discard(wires[o : o + 1])) for o in range(w)]
            out += [(o, Swap(wires[o : o + 1], wires[o + 1 : o + 2])) for o in range(w - 1)]
        return out

    @st.composite
    def build(draw: st.DrawFn) -> Diagram:
        d0: Ty = draw(doms)
        n = draw(st.integers(0, max_layers))
        wires, layers = d0, []
        for _ in range(n):
            options = moves(wires)
            if not options:
                break
            o, box = draw(st.sampled_from(options))
            layers.append((o, box))
            wires = wires[:o] @ box.cod @ wires[o + len(box.dom) :]
        return Diagram(d0, wires, layers)

    return build()
