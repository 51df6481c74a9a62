"""Errors raised by catkit.

Every error is a :class:`CatkitError` and also an instance of the matching
built-in exception, so ``except ValueError`` keeps working for users who do
not know about catkit.

This module holds the base class and the errors several packages raise.  A package's own errors live in
its ``errors`` module where it has one (:mod:`catkit.lm.errors`, :mod:`catkit.structure.errors`,
:mod:`catkit.prover.errors`, :mod:`catkit.interop.errors`), otherwise next to the concept they report
(``catkit.info.rows.DistributionError``, ``catkit.sources.SourceError``, ``catkit.paper.PaperError``, …), and
each is importable from its package.  ``tests/test_conventions.py`` checks that every ``raise`` in catkit
raises one of them (the exceptions it allows are listed there).

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
    "UsageError",
    "NotAKernelError",
    "ConversionError",
    "ImmutableError",
    "MissingDependencyError",
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


class UsageError(CatkitError, ValueError):
    """A call or a command line asks for something that is not there or not allowed: an unknown name, a
    count out of range, an output path that cannot be written.

    >>> from catkit.cli import check_table
    >>> try:
    ...     check_table(["A1"], examples=0)
    ... except UsageError as e:
    ...     print(e)
    --examples must be an integer >= 1, got 0
    """


class NotAKernelError(CatkitError, TypeError):
    """An argument that must be a kernel (or a kernel of some kind) is something else.

    >>> from catkit import Kernel
    >>> try:
    ...     Kernel([[1, 0]]).allclose([[1, 0]], tol=0)
    ... except TypeError as e:
    ...     print(e)
    allclose compares two kernels, got list
    """


class ConversionError(CatkitError, ValueError):
    """A value cannot be handed over in the form asked for without changing it (e.g. ``np.asarray(kernel,
    copy=False)`` of exact entries, which must be converted).

    >>> issubclass(ConversionError, ValueError)
    True
    """


class ImmutableError(CatkitError, AttributeError):
    """An attempt to change a value in place: kernels, objects and diagrams are immutable (operations return new ones).

    >>> issubclass(ImmutableError, AttributeError)
    True
    """


class MissingDependencyError(CatkitError, ImportError):
    """An optional library is not installed; the message says which and how to install it.

    >>> issubclass(MissingDependencyError, ImportError)
    True
    """
