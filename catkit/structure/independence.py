"""Conditional independence ([B11][stmt-b11]; Fritz 2020 Defs 12.1, 12.12, 12.16).

For ``f: A → cod`` and disjoint groups of output wires ``X`` (left), ``Y``
(right) and ``W`` (given), ``X ⊥ Y | W ‖ A`` means, for every input ``a``,

    f(x, w, y|a) · f(w|a) = f(x, w|a) · f(w, y|a)

(marginals of ``f``; with no ``W`` this is ``f(x, y|a) = f(x|a) f(y|a)``).  In
FinStoch this is the same as ``f`` *displaying* the independence: its
``(X, W, Y)``-marginal equals the conditional product
``f_W >> copy >> (f|W_X @ id_W @ f|W_Y)`` (:func:`independence_equation`).

The semigraphoid rules (symmetry, decomposition, weak union, contraction)
hold; intersection needs full support (a copied fair bit ``X = Y = Z`` breaks it).

>>> from catkit import Kernel, Wire
>>> bit = Kernel.state(["1/2", "1/2"])
>>> independent(bit @ bit, [0], [1]), independent(bit >> Kernel.copy(Wire(2)), [0], [1])
(True, False)
>>> three = bit >> Kernel.copy(Wire(2), 3)
>>> independent(three, [0], [1], given=[2])
True
"""

from __future__ import annotations

from collections.abc import Iterable

from catkit.kernel import Kernel
from catkit.structure._arrays import compute, positions
from catkit.structure.conditionals import conditional
from catkit.structure.errors import StructureError
from catkit.structure.support import FLOAT_TOL

__all__ = ["independent", "independence_equation", "groups"]


def groups(f: Kernel, left: int | Iterable[int], right: int | Iterable[int], given: int | Iterable[int] = ()) -> tuple[list[int], list[int], list[int]]:
    """Validated, disjoint wire groups ``(left, right, given)`` of ``f``'s codomain.

    >>> from catkit import Kernel, Wire
    >>> groups(Kernel.uniform(Wire(2) @ Wire(2)), 0, [0])
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: the wire groups must be disjoint: wire 0 is in two of left=[0], right=[0], given=[]
    """
    L, R, W = positions(f.cod, left, "left"), positions(f.cod, right, "right"), positions(f.cod, given, "given")
    seen: set[int] = set()
    for j in [*L, *R, *W]:
        if j in seen:
            raise StructureError(f"the wire groups must be disjoint: wire {j} is in two of left={L}, right={R}, given={W}")
        seen.add(j)
    return L, R, W


def independent(
    f: Kernel, left: int | Iterable[int], right: int | Iterable[int], given: int | Iterable[int] = (), *, tol: float | None = None
) -> bool:
    """Whether the output wires ``left`` and ``right`` of ``f`` are independent given ``given``, for every input.

    Exact and symbolic kernels are compared exactly; floats within ``tol``
    (default :data:`~catkit.structure.support.FLOAT_TOL`).

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([["1/4", "1/4", "1/4", "1/4"], [1, 0, 0, 0]], cod=Wire(2) @ Wire(2))
    >>> independent(f, 0, 1)
    True
    """
    L, R, W = groups(f, left, right, given)
    b = f.backend
    ops = b.ops
    nA = len(f.dom)
    T = compute(f, b)
    keep = [*L, *W, *R]
    drop = [nA + j for j in range(len(f.cod)) if j not in keep]
    T = ops.asum(T, drop)
    kept_sorted = sorted(keep)
    T = ops.transpose(T, [*range(nA), *(nA + kept_sorted.index(j) for j in keep)])  # A, L, W, R
    l_axes = range(nA, nA + len(L))
    r_axes = range(nA + len(L) + len(W), nA + len(keep))
    psi_w = ops.asum(T, [*l_axes, *r_axes], keepdims=True)
    psi_lw = ops.asum(T, r_axes, keepdims=True)
    psi_wr = ops.asum(T, l_axes, keepdims=True)
    diff = T * psi_w - psi_lw * psi_wr
    t = 0.0 if b.exact else (FLOAT_TOL if tol is None else tol)
    return bool(ops.zero_mask(diff, t).all())


def independence_equation(
    f: Kernel, left: int | Iterable[int], right: int | Iterable[int], given: int | Iterable[int] = ()
) -> tuple[Kernel, Kernel]:
    """The two sides of "``f`` displays ``X ⊥ Y | W ‖ A``" (Fritz 2020 Def 12.16): the marginal
    ``A → X @ W @ Y`` and the conditional product ``copy_A >> (f_W @ id) >> ... >> (f|W_X @ id_W @ f|W_Y)``.

    >>> from catkit import Kernel, Wire
    >>> lhs, rhs = independence_equation(Kernel.state(["1/2", "1/2"]) >> Kernel.copy(Wire(2), 3), [0], [1], [2])
    >>> lhs == rhs
    True
    """
    L, R, W = groups(f, left, right, given)
    A = f.dom
    lhs = f.marginal([*L, *W, *R])
    fw = f.marginal(W)
    WO = fw.cod
    c_left = conditional(f.marginal([*W, *L]), on=range(len(W)), strict=False)  # W ⊗ A → X
    c_right = conditional(f.marginal([*W, *R]), on=range(len(W)), strict=False)  # W ⊗ A → Y
    graph = Kernel.copy(A) >> (fw @ Kernel.id(A))  # A → W ⊗ A
    nw, na = len(WO), len(A)
    w, a = list(range(nw)), list(range(nw, nw + na))
    route = Kernel.projection(WO @ A, [*w, *a, *w, *w, *a])  # (W A) (W) (W A)
    rhs = graph >> route >> (c_left @ Kernel.id(WO) @ c_right)
    return lhs, rhs
