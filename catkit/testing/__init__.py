"""Public hypothesis strategies and helpers: property-test your own identities.

>>> from catkit.testing import kernels, objects, states
>>> from hypothesis import find
>>> find(objects(min_wires=1), lambda X: X.size > 1)
Obj(Wire(2))
"""

from catkit.testing.strategies import (
    KINDS,
    deterministic_kernels,
    diagrams,
    float_kernels,
    full_support_kernels,
    kernels,
    model_kernels,
    multi_kernels,
    objects,
    permutations,
    signed_kernels,
    states,
    stochastic_kernels,
    substochastic_kernels,
    symbolic_kernel,
    symbolic_kernels,
    wires,
)

__all__ = [
    "KINDS",
    "deterministic_kernels",
    "diagrams",
    "float_kernels",
    "full_support_kernels",
    "kernels",
    "model_kernels",
    "multi_kernels",
    "objects",
    "permutations",
    "signed_kernels",
    "states",
    "stochastic_kernels",
    "substochastic_kernels",
    "symbolic_kernel",
    "symbolic_kernels",
    "wires",
]
