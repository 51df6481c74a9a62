"""Conditionals and disintegration ([B5][stmt-b5]; Fritz 2020 Def 11.5; Cho & Jacobs 2019, disintegration).

Every ``f: A → X ⊗ Y`` of FinStoch factors as ``f(x, y|a) = f_X(x|a) · f|X(y|x, a)``:
first draw ``x`` from the marginal, then ``y`` from the conditional.  Here the
output wires are split by position: ``on`` names the wires ``X`` that are
conditioned on (any subset, in any order), and ``Y`` is the rest, in order.
The conditional ``f|X`` has domain ``X ⊗ A`` (Fritz's order) and codomain ``Y``.

Conditionals are unique only almost surely (Fritz 2020 Prop 13.7): a row
``(x, a)`` with ``f_X(x|a) = 0`` never matters.  **Documented choice**: such rows
are the marginal ``f_Y(·|a)`` (for a state: the law of ``Y``), unless ``fill=``
gives a kernel ``X ⊗ A → Y`` to use there instead.  The defining equation
(:func:`recombine`) holds whatever the fill.

>>> from catkit import Kernel, Wire
>>> psi = Kernel.state([["1/4", "1/4"], [0, "1/2"]], Wire(2) @ Wire(2))
>>> c = conditional(psi, on=0)
>>> print(c)
Kernel Wire(2) → Wire(2)  [exact, FinStoch]
     0    1
0  1/2  1/2
1    0    1
>>> recombine(psi.marginal(0), c, on=[0]) == psi
True
"""

from __future__ import annotations

from collections.abc import Iterable

from catkit.kernel import Kernel
from catkit.objects import Obj
from catkit.structure._arrays import build, compute, positions, result_model, same_backend
from catkit.structure.errors import NoConditionalError, StructureError

__all__ = ["conditional", "disintegrate", "recombine"]


def conditional(
    f: Kernel, on: int | str | Iterable[int | str], *, fill: Kernel | None = None, strict: bool = True, tol: float = 0.0
) -> Kernel:
    """The conditional ``f|X: X ⊗ A → Y`` of ``f: A → cod`` given the output wires ``on`` (positions or wire names).

    ``fill`` (a kernel ``X ⊗ A → Y``) replaces the rows where ``f_X(x|a) = 0``
    (default: the marginal ``f_Y(·|a)``).  ``tol`` is the float threshold for a
    zero marginal.  In signed FinStoch a conditional may not exist (a marginal
    ``0`` over a non-zero slice): ``strict=True`` raises :class:`NoConditionalError`,
    ``strict=False`` returns the formula's kernel anyway (for counterexamples).

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([[0, "1/2", "1/2", 0], [1, 0, 0, 0]], dom=Wire(["a", "b"]), cod=Wire(2) @ Wire(2))
    >>> c = conditional(f, on=[1])
    >>> c.dom, c.cod
    (Wire(2) @ Wire(['a', 'b']), Obj(Wire(2)))
    >>> c[(1, "a"), 0], c[(1, "b"), 0]
    (Fraction(1, 1), Fraction(1, 1))
    >>> conditional(f, on=[2])
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: on=[2]: wire position 2 is not one of the 2 wires of Wire(2) @ Wire(2) (give 0..1 or a wire name)
    """
    on_pos = positions(f.cod, on, "on")
    rest = [j for j in range(len(f.cod)) if j not in on_pos]
    A, X, Y = f.dom, Obj(*(f.cod[j] for j in on_pos)), Obj(*(f.cod[j] for j in rest))
    b = same_backend(f, *([fill] if fill is not None else []))
    ops = b.ops
    nA, nX = len(A), len(X)
    T = compute(f, b)
    T = ops.transpose(T, [*range(nA), *(nA + j for j in on_pos), *(nA + j for j in rest)])  # A, X, Y
    y_axes = list(range(nA + nX, nA + nX + len(Y)))
    m = ops.asum(T, y_axes, keepdims=True)  # f_X(x|a), shape A, X, 1...
    zero = ops.zero_mask(m, tol)
    C = ops.safe_divide(T, m, zero)
    if fill is None:
        F = ops.asum(T, range(nA, nA + nX), keepdims=True)  # f_Y(y|a), broadcast over X
    else:
        if fill.dom != X @ A or fill.cod != Y:
            raise StructureError(f"fill must be a kernel {X @ A} → {Y} (the conditional's type), got {fill.dom} → {fill.cod}")
        F = compute(fill, b, like=T)
        F = ops.transpose(F, [*range(nX, nX + nA), *range(nX), *range(nA + nX, nA + nX + len(Y))])  # A, X, Y
    if strict and not f.model.nonneg:
        bad = zero & ~ops.zero_mask(T, tol)
        if bool(bad.any()):
            raise NoConditionalError(
                f"{f.dom} → {f.cod} has no conditional on wires {on_pos}: some marginal f_X(x|a) is 0 while the slice "
                f"f(x, ·|a) is not (possible only with negative entries; pass strict=False for the formula anyway)"
            )
    C = ops.where(zero, F, C)
    C = ops.transpose(C, [*range(nA, nA + nX), *range(nA), *y_axes])  # X, A, Y
    return build(C, X @ A, Y, b, result_model(f, *([fill] if fill is not None else [])))


def disintegrate(psi: Kernel, on: int | str | Iterable[int | str], *, fill: Kernel | None = None) -> tuple[Kernel, Kernel]:
    """Disintegrate a state ``psi: I → cod``: ``(marginal on X, conditional X → Y)`` (Cho & Jacobs 2019).

    >>> from catkit import Kernel, Wire
    >>> m, c = disintegrate(Kernel.state([["1/4", "1/4"], [0, "1/2"]], Wire(2) @ Wire(2)), on=0)
    >>> m.matrix.tolist()[0], c(0).matrix.tolist()[0]
    ([Fraction(1, 2), Fraction(1, 2)], [Fraction(1, 2), Fraction(1, 2)])
    """
    if psi.dom:
        raise StructureError(f"disintegrate takes a state I → X; got a kernel {psi.dom} → {psi.cod} (use conditional)")
    on_pos = positions(psi.cod, on, "on")
    return psi.marginal(on_pos), conditional(psi, on_pos, fill=fill)


def recombine(marginal: Kernel, cond: Kernel, on: Iterable[int]) -> Kernel:
    """The defining equation's right side: ``copy_A >> (f_X @ id_A) >> (copy_X @ id_A) >> (id_X @ f|X)``,
    with the output wires put back in their original positions (``on`` are those of ``X``).

    ``recombine(f.marginal(on), conditional(f, on), on) == f`` is B5.

    >>> from catkit import Kernel, Wire
    >>> f = Kernel([["1/2", 0, 0, "1/2"]], cod=Wire(2) @ Wire(2))
    >>> recombine(f.marginal(1), conditional(f, on=[1]), on=[1]) == f
    True
    """
    on_pos = list(on)
    A, X = marginal.dom, marginal.cod
    if cond.dom != X @ A:
        raise StructureError(f"the conditional must have domain {X @ A} (X ⊗ A), got {cond.dom}")
    if len(on_pos) != len(X):
        raise StructureError(f"on={on_pos} names {len(on_pos)} wires but the marginal has {len(X)}")
    n = len(X) + len(cond.cod)
    if len(set(on_pos)) != len(on_pos) or any(not 0 <= j < n for j in on_pos):
        raise StructureError(f"on={on_pos} must be distinct wire positions among the {n} output wires")
    graph = Kernel.copy(A) >> (marginal @ Kernel.id(A))  # A → X ⊗ A
    out = graph >> (Kernel.copy(X) @ Kernel.id(A)) >> (Kernel.id(X) @ cond)  # A → X ⊗ Y
    rest = [j for j in range(n) if j not in on_pos]
    where_is = {j: i for i, j in enumerate(on_pos)} | {j: len(X) + i for i, j in enumerate(rest)}
    return out.permute([where_is[j] for j in range(n)])
