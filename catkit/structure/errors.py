"""Errors of :mod:`catkit.structure` (each is a :class:`~catkit.errors.CatkitError` and a ``ValueError``).

>>> from catkit.errors import CatkitError
>>> issubclass(NoConditionalError, StructureError) and issubclass(StructureError, CatkitError)
True
"""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = ["StructureError", "NoConditionalError", "NotInvertibleError", "NetworkError"]


class StructureError(CatkitError, ValueError):
    """Bad input to a structure operation (a wire that does not exist, a prior on the wrong object, ...)."""


class NoConditionalError(StructureError):
    """A kernel has no conditional (possible in signed FinStoch: a zero marginal over a non-zero slice)."""


class NotInvertibleError(StructureError):
    """A kernel is not an isomorphism of its model (singular, or its inverse leaves the model)."""


class NetworkError(StructureError):
    """A Bayesian network is malformed: a cycle, a missing or mis-shaped table, an unknown node."""
