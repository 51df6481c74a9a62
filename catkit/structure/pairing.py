"""Pairing and joints: the string-diagram building blocks the other modules share.

``pair(f, g) = ⟨f, g⟩ = copy >> (f @ g)`` feeds one input to two kernels;
``joint(p, f) = p >> ⟨id, f⟩`` keeps the input next to the output (the
"graph" of ``f`` under ``p``, Fritz 2020 Notation 2.8 / Def 13.1).

>>> from catkit import Kernel, Wire
>>> p = Kernel.state(["1/2", "1/2"])
>>> joint(p, Kernel.id(Wire(2))).matrix.tolist()
[[Fraction(1, 2), Fraction(0, 1), Fraction(0, 1), Fraction(1, 2)]]
"""

from __future__ import annotations

from catkit.errors import ObjectMismatchError
from catkit.kernel import Kernel

__all__ = ["pair", "joint"]


def pair(f: Kernel, g: Kernel) -> Kernel:
    """``⟨f, g⟩ = copy_A >> (f @ g)`` for ``f: A → X`` and ``g: A → Y``.

    >>> from catkit import Kernel, Wire
    >>> pair(Kernel.id(Wire(2)), Kernel.id(Wire(2))) == Kernel.copy(Wire(2))
    True
    """
    if f.dom != g.dom:
        raise ObjectMismatchError(f"cannot pair kernels with different domains: {f.dom} and {g.dom}")
    return Kernel.copy(f.dom) >> (f @ g)


def joint(p: Kernel, f: Kernel) -> Kernel:
    """``p >> ⟨id, f⟩``: ``A → X @ Y`` for ``p: A → X`` and ``f: X → Y`` (the law of input and output).

    >>> from catkit import Kernel, Wire
    >>> joint(Kernel.state(["1/3", "2/3"]), Kernel([[0, 1], [1, 0]])).matrix.tolist()[0]
    [Fraction(0, 1), Fraction(1, 3), Fraction(2, 3), Fraction(0, 1)]
    """
    if p.cod != f.dom:
        raise ObjectMismatchError(f"joint(p, f) needs p's codomain {p.cod} to be f's domain {f.dom}")
    return p >> pair(Kernel.id(f.dom), f)
