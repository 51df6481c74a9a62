"""Errors of :mod:`catkit.structure` (each is a :class:`~catkit.errors.CatkitError` and a ``ValueError``).

>>> from catkit.errors import CatkitError
>>> issubclass(NoConditionalError, StructureError) and issubclass(StructureError, CatkitError)
True
"""

from __future__ import annotations

from catkit.errors import CatkitError

__all__ = ["StructureError", "NoConditionalError", "NotInvertibleError", "NetworkError"]


class StructureError(CatkitError, ValueError):
    """Bad input to a structure operation (a wire that does not exist, a prior on the wrong object, ...).

    >>> from catkit import Kernel
    >>> from catkit.structure import conditional
    >>> conditional(Kernel.uniform(2), [3])
    Traceback (most recent call last):
    ...
    catkit.structure.errors.StructureError: on=[3]: wire position 3 is not one of the 1 wires of Obj(Wire(2)) (give 0..0 or a wire name)
    """


class NoConditionalError(StructureError):
    """A kernel has no conditional (possible in signed FinStoch: a zero marginal over a non-zero slice).

    >>> from catkit import Kernel, Wire
    >>> from catkit.structure import conditional
    >>> conditional(Kernel.state([1, -1, "1/2", "1/2"], Wire(2) @ Wire(2), model="signed"), [0])
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NoConditionalError: I → Wire(2) @ Wire(2) has no conditional on wires [0]: some marginal f_X(x|a) is 0 while ...
    """


class NotInvertibleError(StructureError):
    """A kernel is not an isomorphism of its model (singular, or its inverse leaves the model).

    >>> from catkit import Kernel
    >>> from catkit.structure import inverse
    >>> inverse(Kernel([["1/2", "1/2"], ["1/2", "1/2"]]))
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NotInvertibleError: Wire(2) → Wire(2) is singular: no inverse
    """


class NetworkError(StructureError):
    """A Bayesian network is malformed: a cycle, a missing or mis-shaped table, an unknown node.

    >>> import networkx as nx
    >>> from catkit.structure import BayesNet
    >>> BayesNet(nx.DiGraph([("a", "b"), ("b", "a")]), {})
    Traceback (most recent call last):
    ...
    catkit.structure.errors.NetworkError: the graph has a cycle: 'a' → 'b' → 'a'; a Bayesian network needs a DAG
    """
