"""Randomness pushback ([B9][stmt-b9]; Fritz 2020, Def 11.19 and Example 11.20).

Every kernel ``f: A → X`` of FinStoch is a deterministic map fed with independent
noise: ``f = (id_A @ p) >> h`` with ``W = X^A`` (one coordinate per input),
``p = ⊗_a f(·|a)`` (all rows sampled independently, once) and the deterministic
``h(a, w) = w_a`` (read the coordinate of the actual input).  The same
construction works in FinSetMulti (``p`` the product of the sets ``f(a)``).
The noise space has ``|X|^|A|`` elements: this is a construction to check, not
to compute with at scale.

>>> from catkit import Kernel, Wire
>>> f = Kernel([["1/2", "1/2"], ["1/3", "2/3"]], Wire(["a", "b"]), Wire(2))
>>> p, h = randomness_pushback(f)
>>> (Kernel.id(f.dom) @ p) >> h == f, h.is_deterministic()
(True, True)
"""

from __future__ import annotations

import numpy as np

from catkit.kernel import Kernel
from catkit.objects import Obj
from catkit.structure.multivalued import MultiKernel

__all__ = ["randomness_pushback", "pushback_reader"]


def pushback_reader(f: Kernel | MultiKernel) -> Kernel:
    """The deterministic ``h: A ⊗ X^A → X``, ``h(a, w) = w_a`` (the flat index of ``a`` picks the coordinate).

    >>> from catkit import Kernel, Wire
    >>> pushback_reader(Kernel.uniform(Wire(2), Wire(2))).as_function()[(1, 0, 1)]
    1
    """
    A, X = f.dom, f.cod
    W = Obj(*(tuple(X) * A.size))
    nA, nX = A.size, X.size
    a = np.repeat(np.arange(nA), nX**nA)
    w = np.tile(np.arange(nX**nA), nA)
    # coordinate a of w (row-major: the first coordinate is the most significant digit)
    digit = (w // (nX ** (nA - 1 - a))) % nX if nX else w
    D = A @ W
    target = {x: X.label(int(d)) for x, d in zip(D.elements(), digit)}
    bare = len(X) == 1
    # a structural kernel (no backend): it adapts to float, torch and sympy kernels it meets
    return Kernel.from_function(lambda *x: target[x][0] if bare else target[x], D, X)


def randomness_pushback(f: Kernel | MultiKernel) -> tuple[Kernel | MultiKernel, Kernel]:
    """``(p, h)`` with ``f == (id_A @ p) >> h``: ``p: I → X^A`` the independent product of ``f``'s rows,
    ``h`` the deterministic reader (:func:`pushback_reader`).  Works for FinStoch kernels (any backend)
    and FinSetMulti maps.

    >>> from catkit.structure.multivalued import MultiKernel
    >>> g = MultiKernel([[1, 1], [0, 1]])
    >>> p, h = randomness_pushback(g)
    >>> (MultiKernel.id(g.dom) @ p) >> h == g
    True
    """
    rows = [Kernel.point(f.dom, f.dom.label(i)) >> f for i in range(f.dom.size)]
    p = Kernel.id(Obj()) if isinstance(f, Kernel) else MultiKernel.id(Obj())
    for r in rows:
        p = p @ r
    return p, pushback_reader(f)
