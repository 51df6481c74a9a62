"""TikZ export of string diagrams, for papers and lecture notes: the picture :func:`~catkit.diagrams.drawing.draw`
makes, as a ``tikzpicture`` (same layout: boxes, triangles for states and effects, dots for copy and discard).

>>> from catkit.diagrams import Box, Copy, Ty
>>> print(to_tikz(Box("f", "X", "Y") >> Copy(Ty("Y")), show_types=False))
\\begin{tikzpicture}[x=1cm, y=1cm, baseline=(current bounding box.center)]
  \\draw[line width=0.8pt] (0,0) -- (0,-0.28);
  \\draw[line width=0.8pt] (0,-0.72) -- (0,-1);
  \\draw[line width=0.8pt] (0,-1) -- (0,-1.5);
  \\draw[line width=0.8pt] (0,-1.5) -- (0,-2);
  \\draw[line width=0.8pt] (0,-1.5) -- (1,-2);
  \\draw[line width=0.8pt, fill=white] (-0.35,-0.72) rectangle (0.35,-0.28);
  \\node at (0,-0.5) {f};
  \\fill (0,-1.5) circle (2pt);
\\end{tikzpicture}

Several diagrams make an equation (``symbol`` between them); ``standalone=True`` gives a whole
document that ``pdflatex`` compiles on its own.
"""

from __future__ import annotations

from catkit.diagrams.drawing import Dot, Label, Layout, Line, Rect, Triangle, equation_layout
from catkit.diagrams.syntax import Diagram, DiagramTypeError

__all__ = ["to_tikz"]

_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#", "_": r"\_",
            "%": r"\%", "^": r"\^{}", "~": r"\~{}"}


_SYMBOLS = {"=": "=", "≠": r"\neq", "!=": r"\neq", "≤": r"\leq", "<=": r"\leq", "≥": r"\geq", ">=": r"\geq",
            "≈": r"\approx", "<": "<", ">": ">", "=_p": "=_p"}


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _pt(x: float, y: float) -> str:
    return f"({_num(x)},{_num(y)})"


def _text(s: str, math: bool) -> str:
    return f"${s}$" if math else "".join(_SPECIAL.get(ch, ch) for ch in s)


def _picture(lay: Layout, scale: float, math: bool) -> str:
    wire = "line width=0.8pt"
    lines, shapes, dots, labels = [], [], [], []
    for s in lay.shapes:
        if isinstance(s, Line):
            lines.append(rf"\draw[{wire}] {_pt(s.x0, s.y0)} -- {_pt(s.x1, s.y1)};")
        elif isinstance(s, Dot):
            dots.append(rf"\fill {_pt(s.x, s.y)} circle (2pt);")
        elif isinstance(s, Rect):
            shapes.append(rf"\draw[{wire}, fill=white] {_pt(s.x0, s.y0)} rectangle {_pt(s.x1, s.y1)};")
            shapes.append(rf"\node at {_pt((s.x0 + s.x1) / 2, (s.y0 + s.y1) / 2)} {{{_text(s.label, math)}}};")
        elif isinstance(s, Triangle):
            corners = " -- ".join(_pt(*p) for p in s.points)
            shapes.append(rf"\draw[{wire}, fill=white] {corners} -- cycle;")
            shapes.append(rf"\node[font=\small] at {_pt(*s.at)} {{{_text(s.label, math)}}};")
        elif isinstance(s, Label) and s.role == "symbol":
            sym = _SYMBOLS.get(s.text)
            labels.append(rf"\node at {_pt(s.x, s.y)} {{{f'${sym}$' if sym else _text(s.text, False)}}};")
        elif isinstance(s, Label):
            anchor = "south west" if s.y > 0 else "north west"
            labels.append(rf"\node[anchor={anchor}, inner sep=1pt, font=\scriptsize, text=gray] at {_pt(s.x, s.y)} "
                          rf"{{{_text(s.text, math)}}};")
    body = "\n".join("  " + c for c in [*lines, *shapes, *dots, *labels])
    opts = f"x={_num(scale)}cm, y={_num(scale)}cm, baseline=(current bounding box.center)"
    return f"\\begin{{tikzpicture}}[{opts}]\n{body}\n\\end{{tikzpicture}}"


def to_tikz(*diagrams: Diagram, symbol: str = "=", scale: float = 1.0, show_types: bool = True, math: bool = False,
            standalone: bool = False) -> str:
    """TikZ code for a diagram, or for an equation of several (separated by ``symbol``).

    Box names are set as text (TeX's special characters escaped); with ``math=True`` they are
    put in math mode as they are (name boxes ``"k_{\\\\mathrm{gen}}"`` then).  ``scale`` is the
    distance between neighbouring wires in cm.  Without ``standalone`` the result is a
    ``tikzpicture`` for a document that loads TikZ (``\\\\usepackage{tikz}``).

    >>> from catkit.diagrams import Box, Copy, Discard, Ty
    >>> X = Ty("X")
    >>> tex = to_tikz(Box("f", X, X) >> Discard(X), Discard(X), symbol="=", standalone=True)
    >>> tex.startswith("\\\\documentclass[tikz"), tex.count("rectangle"), tex.count("circle")
    (True, 1, 2)
    >>> to_tikz(Box("p_1", (), X), show_types=False).count("p\\\\_1")
    1
    """
    if not diagrams:
        raise DiagramTypeError("to_tikz needs at least one diagram")
    for d in diagrams:
        if not isinstance(d, Diagram):
            raise DiagramTypeError(f"to_tikz needs Diagrams, got {d!r}")
    pic = _picture(equation_layout(*diagrams, symbol=symbol, show_types=show_types), scale, math)
    if standalone:
        return f"\\documentclass[tikz, border=4pt]{{standalone}}\n\\begin{{document}}\n{pic}\n\\end{{document}}\n"
    return pic
