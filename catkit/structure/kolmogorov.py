"""Kolmogorov products by their finite truncations, and zero-one checks ([B10][stmt-b10], [B16][stmt-b16];
Fritz & Rischel 2020, arXiv 1912.02769).

An infinite tensor product ``⊗_{i ∈ ℕ} f_i`` of kernels ``f_i: A → X_i`` is
given by its finite truncations ``f_J: A → ⊗_{j ∈ J} X_j`` (``copy_A`` then the
factors side by side) and the deterministic projections ``π_{J,K}: X_J → X_K``
for ``K ⊆ J``.  The defining properties are finite equations: projections are
deterministic and compose (``π_{J,K} >> π_{K,L} = π_{J,L}``), and truncations
are consistent (``f_J >> π_{J,K} = f_K``): the data of a Kolmogorov product.

Zero-one laws, finitely: a deterministic statistic ``s`` of a sample
``x ~ p`` that is independent of ``x`` is almost surely constant (``p >> s`` is
deterministic; the finite core of the Kolmogorov zero-one law, Fritz & Rischel
2020 §5).  The Hewitt–Savage law needs infinitely many draws: for ``n`` fair
bits the parity is a permutation-invariant statistic with probability 1/2.

>>> from catkit import Kernel, Wire
>>> coin = Kernel.state(["1/2", "1/2"])
>>> K = KolmogorovProduct(lambda i: coin)
>>> K.truncation([0, 1, 2]) >> K.projection([0, 1, 2], [2, 0]) == K.truncation([2, 0])
True
>>> parity = Kernel.from_function(lambda *b: sum(b) % 2, Wire(2) @ Wire(2) @ Wire(2), Wire(2))
>>> is_permutation_invariant(parity), (K.truncation([0, 1, 2]) >> parity).is_deterministic()
(True, False)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from catkit.kernel import Kernel
from catkit.objects import Obj
from catkit.structure.errors import StructureError
from catkit.structure.independence import independent
from catkit.structure.multivalued import MultiKernel
from catkit.structure.pairing import joint

__all__ = ["KolmogorovProduct", "is_permutation_invariant", "independent_of_sample"]


class KolmogorovProduct:
    """``⊗_i f_i`` for kernels ``f_i: A → X_i`` with a common domain, given by a function ``i ↦ f_i``
    (an infinite family) or a finite sequence (indices past its end are errors).

    >>> from catkit import Kernel, Wire
    >>> K = KolmogorovProduct([Kernel.state(["1/2", "1/2"]), Kernel.state(["1/3", "2/3"])])
    >>> K.truncation([1]).matrix.tolist()[0]
    [Fraction(1, 3), Fraction(2, 3)]
    >>> K.truncation([2])
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: index 2 is past the 2 factors of this (finite) family
    """

    def __init__(self, factors: Callable[[int], Any] | Sequence[Any]) -> None:
        self._factors = factors
        self._cache: dict[int, Any] = {}

    def factor(self, i: int) -> Any:
        """The ``i``-th factor ``f_i: A → X_i``.

        >>> from catkit import Kernel
        >>> KolmogorovProduct(lambda i: Kernel.state([1, 0])).factor(5).cod.size
        2
        """
        if isinstance(i, bool) or not isinstance(i, int) or i < 0:
            raise StructureError(f"factor indices are natural numbers, got {i!r}")
        if i not in self._cache:
            if isinstance(self._factors, Sequence):
                if i >= len(self._factors):
                    raise StructureError(f"index {i} is past the {len(self._factors)} factors of this (finite) family")
                f = self._factors[i]
            else:
                f = self._factors(i)
            if not isinstance(f, (Kernel, MultiKernel)):
                raise StructureError(f"factor {i} must be a Kernel (or a FinSetMulti map), got {type(f).__name__}")
            if self._cache and f.dom != next(iter(self._cache.values())).dom:
                raise StructureError(f"factor {i} has domain {f.dom}; every factor needs the same domain")
            self._cache[i] = f
        return self._cache[i]

    def _check(self, J: Iterable[int]) -> list[int]:
        J = list(J)
        if len(set(J)) != len(J):
            raise StructureError(f"the index set {J} repeats an index")
        for i in J:
            self.factor(i)
        return J

    def obj(self, J: Iterable[int]) -> Obj:
        """``X_J = ⊗_{j ∈ J} X_j`` (in the order of ``J``).

        >>> from catkit import Kernel, Wire
        >>> KolmogorovProduct(lambda i: Kernel.uniform(Wire(i + 1))).obj([2, 0])
        Wire(3) @ Wire(1)
        """
        out = Obj()
        for j in self._check(J):
            out = out @ self.factor(j).cod
        return out

    def truncation(self, J: Iterable[int]) -> Kernel:
        """The finite truncation ``f_J = copy_A >> ⊗_{j ∈ J} f_j: A → X_J``.

        >>> from catkit import Kernel
        >>> KolmogorovProduct(lambda i: Kernel.state(["1/2", "1/2"])).truncation([]).cod
        I
        """
        J = self._check(J)
        dom = self.factor(J[0]).dom if J else (next(iter(self._cache.values())).dom if self._cache else self.factor(0).dom)
        tensor = Kernel.id(Obj())
        for j in J:
            tensor = tensor @ self.factor(j)
        return Kernel.copy(dom, len(J)) >> tensor

    def projection(self, J: Iterable[int], K: Iterable[int]) -> Kernel:
        """The deterministic projection ``π_{J,K}: X_J → X_K`` (``K ⊆ J``, any order).

        >>> from catkit import Kernel, Wire
        >>> KolmogorovProduct(lambda i: Kernel.uniform(Wire(2))).projection([0, 1], [1]).as_function()[(0, 1)]
        1
        """
        J, K = self._check(J), self._check(K)
        missing = [k for k in K if k not in J]
        if missing:
            raise StructureError(f"cannot project X_{J} onto X_{K}: indices {missing} are not in {J}")
        sizes = [len(self.factor(j).cod) for j in J]
        start = [sum(sizes[:i]) for i in range(len(J))]
        keep = [start[J.index(k)] + w for k in K for w in range(sizes[J.index(k)])]
        return Kernel.projection(self.obj(J), keep)


def is_permutation_invariant(s: Kernel) -> bool:
    """Whether a statistic ``s: X^n → V`` is unchanged by permuting its ``n`` (equal) input wires.

    >>> from catkit import Kernel, Wire
    >>> first = Kernel.projection(Wire(2) @ Wire(2), [0])
    >>> is_permutation_invariant(first)
    False
    """
    if len(set(s.dom)) > 1:
        raise StructureError(f"permuting inputs needs equal input wires; got {s.dom}")
    n = len(s.dom)
    for i in range(n - 1):
        perm = list(range(n))
        perm[i], perm[i + 1] = perm[i + 1], perm[i]
        if not (Kernel.permutation(s.dom, perm) >> s) == s:
            return False
    return True


def independent_of_sample(p: Kernel, s: Kernel) -> bool:
    """Whether the statistic's value ``s(x)`` is independent of the sample ``x ~ p`` (the zero-one hypothesis).

    >>> from catkit import Kernel, Wire
    >>> p = Kernel.state(["1/2", "1/2", 0], Wire(3))
    >>> s = Kernel.from_function(lambda x: int(x == 2), Wire(3), Wire(2))  # constant on p's support
    >>> independent_of_sample(p, s), (p >> s).is_deterministic()
    (True, True)
    """
    if p.dom:
        raise StructureError(f"the sample law is a state I → X, got {p.dom} → {p.cod}")
    psi = joint(p, s)
    n = len(p.cod)
    return independent(psi, range(n), range(n, n + len(s.cod)))
