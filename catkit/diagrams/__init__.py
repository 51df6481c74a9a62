"""String diagrams: the free symmetric monoidal, copy-discard and Markov categories.

>>> from catkit.diagrams import Box, Copy, Discard, Ty
>>> X, Y = Ty("X"), Ty("Y")
>>> f = Box("f", X, Y)
>>> (f >> Discard(Y)).equals(Discard(X))             # free Markov
True
>>> (f >> Copy(Y)).equals(Copy(X) >> (f @ f))        # copy is not natural
False

Drawing (matplotlib, imported on first use) and TikZ export:

>>> from catkit.diagrams import draw_equation, to_tikz
>>> fig = draw_equation(f >> Discard(Y), Discard(X))
>>> to_tikz(f >> Discard(Y), Discard(X)).count("circle")    # the two discards' dots
2
"""

from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from catkit.diagrams.drawing import draw, draw_equation
    from catkit.diagrams.tikz import to_tikz

def __getattr__(name: str) -> Any:
    # drawing needs matplotlib: imported when first asked for, not with the syntax
    if name in ("draw", "draw_equation"):
        from catkit.diagrams import drawing

        return getattr(drawing, name)
    if name == "to_tikz":
        from catkit.diagrams.tikz import to_tikz

        return to_tikz
    raise AttributeError(f"module 'catkit.diagrams' has no attribute {name!r}")


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
    "draw",
    "draw_equation",
    "to_tikz",
]
