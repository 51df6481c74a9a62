"""String diagrams: the free symmetric monoidal, copy-discard and Markov categories.

>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> f = Box("f", X, Y)
>>> (f >> Discard(Y)).equals(Discard(X))             # free Markov
True
>>> (f >> Copy(Y)).equals(Copy(X) >> (f @ f))        # copy is not natural
False
"""

from catkit.diagrams.equality import NormalForm, equal, normal_form
from catkit.diagrams.generate import random_diagram, random_signature
from catkit.diagrams.hypergraph import THEORIES, Edge, Hypergraph
from catkit.diagrams.rewrite import mutate, random_rewrite, rewrite_step
from catkit.diagrams.syntax import (
    Atom,
    Box,
    Copy,
    Diagram,
    DiagramTypeError,
    DiagramValueError,
    Discard,
    Id,
    Permutation,
    Swap,
    Ty,
    Wiring,
    as_ty,
)

__all__ = [
    "Atom",
    "Ty",
    "as_ty",
    "Diagram",
    "Box",
    "Wiring",
    "Id",
    "Copy",
    "Discard",
    "Swap",
    "Permutation",
    "DiagramTypeError",
    "DiagramValueError",
    "Hypergraph",
    "Edge",
    "THEORIES",
    "NormalForm",
    "equal",
    "normal_form",
    "random_signature",
    "random_diagram",
    "random_rewrite",
    "rewrite_step",
    "mutate",
]
