"""Errors raised by catkit.

Every error is a :class:`CatkitError` and also an instance of the matching
built-in exception, so ``except ValueError`` keeps working for users who do
not know about catkit.

>>> issubclass(KernelValueError, ValueError) and issubclass(KernelValueError, CatkitError)
True
"""

from __future__ import annotations

__all__ = [
    "CatkitError",
    "KernelValueError",
    "ObjectMismatchError",
    "BackendMismatchError",
    "NotDeterministicError",
]


class CatkitError(Exception):
    """Base class of every error catkit raises on purpose.

    >>> try:
    ...     raise CatkitError("boom")
    ... except CatkitError as e:
    ...     print(e)
    boom
    """


class KernelValueError(CatkitError, ValueError):
    """A kernel's entries do not satisfy its model (shape, sign, row sums, NaN).

    >>> from catkit import Kernel
    >>> try:
    ...     Kernel([[1, 1]])
    ... except KernelValueError as e:
    ...     print(str(e).splitlines()[0])
    row 0 of a kernel Wire(1) → Wire(2) sums to 2, not 1 (FinStoch): entries [1, 1]
    """


class ObjectMismatchError(CatkitError, TypeError):
    """Two kernels (or diagrams) do not fit together: the error names both objects.

    >>> from catkit import Kernel, Wire
    >>> try:
    ...     Kernel.id(Wire(2)) >> Kernel.id(Wire(3))
    ... except ObjectMismatchError as e:
    ...     print(e)
    cannot compose: the codomain of the first kernel, Wire(2), is not the domain of the second, Wire(3)
    """


class BackendMismatchError(CatkitError, TypeError):
    """Two kernels live on different backends (or torch devices/dtypes).

    >>> from catkit import Kernel
    >>> try:
    ...     Kernel([[0.5, 0.5]]) @ Kernel([["1/2", "1/2"]], backend="exact")
    ... except BackendMismatchError as e:
    ...     print(str(e).split(":")[0])
    cannot combine kernels on different backends
    """


class NotDeterministicError(CatkitError, ValueError):
    """A deterministic kernel was required (e.g. by ``as_function``) but a row is not a point mass.

    >>> from catkit import Kernel
    >>> try:
    ...     Kernel([["1/2", "1/2"]], backend="exact").as_function()
    ... except NotDeterministicError as e:
    ...     print(e)
    the kernel is not deterministic: row 0 is ['1/2', '1/2']
    """
